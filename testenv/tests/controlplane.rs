//! The control plane and the world: readiness, users and their rights, every component
//! of a world at work, and that stopping (or the death of the process that started it)
//! leaves no process behind.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ApiResource, DynamicObject, ListParams, Patch, PatchParams};
use testenv::{ControlPlane, User};

fn alive(pid: u32) -> bool {
    // A zombie still has a /proc entry; count only processes that are not zombies.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            s.rsplit(')')
                .next()
                .is_some_and(|rest| !rest.trim_start().starts_with('Z'))
        })
        .unwrap_or(false)
}

fn wait_gone(pids: &[u32]) -> Vec<u32> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if pids.iter().all(|p| !alive(*p)) {
            return vec![];
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    pids.iter().copied().filter(|p| alive(*p)).collect()
}

fn pipelines() -> ApiResource {
    ApiResource {
        group: "numaflow.numaproj.io".into(),
        version: "v1alpha1".into(),
        api_version: "numaflow.numaproj.io/v1alpha1".into(),
        kind: "Pipeline".into(),
        plural: "pipelines".into(),
    }
}

#[tokio::test]
async fn stop_kills_exactly_its_processes_and_removes_its_dir() {
    let started = Instant::now();
    let mut plane = ControlPlane::start().await.expect("start");
    let ready_in = started.elapsed();
    let pids = plane.pids();
    let dir = plane.dir().unwrap().to_path_buf();
    assert_eq!(pids.len(), 2);
    assert!(pids.iter().all(|p| alive(*p)), "{pids:?} running");
    eprintln!("control plane ready in {ready_in:?}");
    let client = plane.client(User::Admin).await.unwrap();
    let version = client.apiserver_version().await.unwrap();
    assert_eq!(
        version.git_version,
        format!("v{}", testenv::controlplane::version("KUBERNETES_VERSION"))
    );
    plane.stop();
    assert_eq!(
        wait_gone(&pids),
        Vec::<u32>::new(),
        "processes left after stop"
    );
    assert!(!dir.exists(), "{} removed", dir.display());
}

#[tokio::test]
async fn users_have_the_rights_they_are_meant_to() {
    let env = testenv::shared();
    let ns = env.namespace("rights").await;
    let pp = PatchParams::default();
    let patch = Patch::Merge(serde_json::json!({"metadata": {"labels": {"x": "y"}}}));
    for (user, can_read) in [
        (User::Admin, true),
        (User::Viewer, true),
        (User::NoRights, false),
    ] {
        let client = env.client(user).await;
        let pls: Api<DynamicObject> = Api::namespaced_with(client.clone(), &ns, &pipelines());
        let pods: Api<Pod> = Api::namespaced(client, &ns);
        for (what, res) in [
            (
                "list pipelines",
                pls.list(&ListParams::default()).await.map(|_| ()),
            ),
            (
                "list pods",
                pods.list(&ListParams::default()).await.map(|_| ()),
            ),
        ] {
            match res {
                Ok(()) => assert!(can_read, "{user:?} may not {what}"),
                Err(kube::Error::Api(s)) => {
                    assert!(!can_read, "{user:?} should {what}: {s:?}");
                    assert_eq!(s.code, 403, "{user:?} {what}");
                }
                Err(e) => panic!("{user:?} {what}: {e}"),
            }
        }
        if user != User::Admin {
            // Writes are refused (403) before the object's absence matters (404).
            let err = pls.patch("absent", &pp, &patch).await.unwrap_err();
            assert!(
                matches!(&err, kube::Error::Api(s) if s.code == 403),
                "{user:?} patch: {err}"
            );
        }
    }
}

#[tokio::test]
async fn the_shared_environment_has_crds_established() {
    let env = testenv::shared();
    let client = env.client(User::Admin).await;
    for plural in [
        "pipelines",
        "vertices",
        "monovertices",
        "interstepbufferservices",
        "servingpipelines", // Numaflow's controller exits without it
    ] {
        let crds: Api<k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition> =
            Api::all(client.clone());
        let crd = crds
            .get(&format!("{plural}.numaflow.numaproj.io"))
            .await
            .unwrap();
        let established = crd.status.and_then(|s| s.conditions).unwrap_or_default();
        assert!(
            established
                .iter()
                .any(|c| c.type_ == "Established" && c.status == "True"),
            "{plural}"
        );
    }
}

/// A world runs etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok and
/// Numaflow's controller, and they work together: a namespace's InterStepBufferService
/// became healthy, which takes Numaflow's controller (the service and its StatefulSet),
/// kube-controller-manager (the StatefulSet's pod), kube-scheduler (binding it to a fake
/// node) and kwok (making it ready).
#[tokio::test]
async fn a_world_runs_every_component_and_they_reconcile() {
    let env = testenv::shared();
    assert_eq!(env.pids().len(), 6, "{:?}", env.pids());
    assert!(env.pids().iter().all(|p| alive(*p)), "{:?}", env.pids());
    let ns = env.namespace("world").await; // waits for the service to be healthy
    let client = env.client(User::Admin).await;
    let pods: Api<Pod> = Api::namespaced(client, &ns);
    let js = pods.get("isbsvc-default-js-0").await.unwrap();
    let node = js.spec.and_then(|s| s.node_name).unwrap_or_default();
    assert!(node.starts_with("kwok-node-"), "scheduled on {node:?}");
    let status = js.status.unwrap_or_default();
    assert_eq!(status.phase.as_deref(), Some("Running"));
    assert!(status
        .conditions
        .unwrap_or_default()
        .iter()
        .any(|c| c.type_ == "Ready" && c.status == "True"));
}

/// The children die with the process that started them, even when it is SIGKILLed
/// (no chance to run any clean-up code).
#[test]
fn children_die_with_a_killed_parent() {
    let bin = env!("CARGO_BIN_EXE_numa-testenv");
    let mut child = Command::new(bin)
        .args(["start", "--bare"])
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut pids = Vec::new();
    use std::io::BufRead;
    let mut lines = stderr.lines();
    while let Some(line) = lines.next() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("pids: ") {
            pids = rest
                .split_whitespace()
                .map(|p| p.parse().unwrap())
                .collect();
            break;
        }
        if line.starts_with("Error") {
            // The whole error, causes included (the process ends after printing it).
            let rest: Vec<String> = lines.map_while(Result::ok).collect();
            panic!("numa-testenv failed: {line}\n{}", rest.join("\n"));
        }
    }
    assert_eq!(pids.len(), 2, "numa-testenv printed its children's pids");
    assert!(pids.iter().all(|p| alive(*p)));
    let mut export = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut export)
        .unwrap();
    let kubeconfig = export
        .trim()
        .strip_prefix("export KUBECONFIG=")
        .unwrap()
        .to_string();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert_eq!(
        wait_gone(&pids),
        Vec::<u32>::new(),
        "children outlived a SIGKILLed parent"
    );
    // A SIGKILLed parent cannot remove its directory; the test does.
    let dir = Path::new(&kubeconfig).parent().unwrap();
    assert!(dir.join("kube-apiserver.log").exists(), "{}", dir.display());
    std::fs::remove_dir_all(dir).unwrap();
}
