//! What Numaflow's own controller and kwok leave that a model of them did not: pods left
//! behind by an eviction, the MonoVertex daemon's pods beside its replicas, a crash loop
//! after an OOM kill in a sidecar udf container.

mod common;

use std::time::Duration;

use common::*;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams, Patch, PatchParams};
use serde_json::{json, Value};

const T: Duration = Duration::from_secs(60);

fn phase(p: &Pod) -> &str {
    p.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

fn get_json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("-o json: {e}\n{r:?}"))
}

/// The pods of `get -o json`'s first workload.
fn json_pods(doc: &Value) -> Vec<Value> {
    let targets = doc["items"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| vec![doc.clone()]);
    targets[0]["workloads"][0]["pods"]
        .as_array()
        .unwrap_or_else(|| panic!("no pods in {doc}"))
        .clone()
}

/// kwok evicts a ready pod of a finished rollout; Numaflow's controller leaves the Failed
/// pod where it is and makes a new one at its index. The rollout stays finished: status
/// exits 0, get shows the leftover apart and -o json marks it.
#[tokio::test]
async fn an_evicted_pod_left_behind_is_no_replica() {
    let (ns, client) = setup("evicted").await;
    create_pipeline(&client, &ns, "p", vec![udf("cat", 3, "example/cat:v1")]).await;
    admin_expect(
        0,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "60s"],
    )
    .await;
    let victim = pods(&client, &ns, "p", "cat").await[1]
        .metadata
        .name
        .clone()
        .unwrap();
    let api: Api<Pod> = Api::namespaced(client.clone(), &ns);
    let label = json!({"metadata": {"labels": {"testenv.kubectl-numa.io/fault": "evicted"}}});
    api.patch(&victim, &PatchParams::default(), &Patch::Merge(&label))
        .await
        .unwrap();
    let all = eventually("the eviction and its replacement", T, || {
        let client = client.clone();
        let (ns, victim) = (ns.clone(), victim.clone());
        async move {
            let all = pods(&client, &ns, "p", "cat").await;
            let evicted = all
                .iter()
                .any(|p| p.metadata.name.as_deref() == Some(&victim) && phase(p) == "Failed");
            let running = all.iter().filter(|p| phase(p) == "Running").count();
            (evicted && running == 3).then_some(all)
        }
    })
    .await;
    assert_eq!(all.len(), 4, "the leftover stays beside three replicas");

    let r = admin_expect(
        0,
        &ns,
        &["rollout", "status", "vertex/p-cat", "--watch=false"],
    )
    .await;
    assert_eq!(
        r.stdout, "vertex \"p-cat\" successfully rolled out\n",
        "{r:?}"
    );
    let r = admin_expect(0, &ns, &["rollout", "get", "vertex/p-cat"]).await;
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains(victim.as_str()))
        .unwrap_or_else(|| panic!("{victim} in {r:?}"));
    assert!(line.contains("left behind: Evicted"), "{line}");
    let doc =
        get_json(&admin_expect(0, &ns, &["rollout", "get", "vertex/p-cat", "-o", "json"]).await);
    let marks: Vec<(String, bool)> = json_pods(&doc)
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["leftBehind"] == true,
            )
        })
        .collect();
    assert_eq!(marks.len(), 4, "{marks:?}");
    for (name, left) in marks {
        assert_eq!(left, name == victim, "{name}");
    }
}

/// An evicted pod of the new revision that the controller already replaced is not a
/// failed rollout, and `--rollback-on-failure` leaves the healthy rollout alone.
#[tokio::test]
async fn an_evicted_new_pod_fails_no_rollout() {
    let (ns, client) = setup("evictnew").await;
    create_pipeline(&client, &ns, "p", vec![udf("cat", 2, "example/cat:v1")]).await;
    admin_expect(
        0,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "60s"],
    )
    .await;
    set_udf_image(&client, &ns, "p", "cat", "example/cat:v2-delay-1500").await;
    // Evict the first new pod as soon as it runs; its replacement comes up healthy.
    let api: Api<Pod> = Api::namespaced(client.clone(), &ns);
    let first = eventually("a running pod of the new revision", T, || {
        let api = api.clone();
        async move {
            let list = api
                .list(&ListParams::default().labels("numaflow.numaproj.io/vertex-name=cat"))
                .await
                .ok()?;
            list.items.into_iter().find_map(|p| {
                let image = p
                    .spec
                    .as_ref()?
                    .init_containers
                    .as_ref()?
                    .iter()
                    .find(|c| c.name == "udf")?
                    .image
                    .clone()?;
                (image.ends_with("v2-delay-1500") && phase(&p) == "Running")
                    .then(|| p.metadata.name.clone().unwrap())
            })
        }
    })
    .await;
    let label = json!({"metadata": {"labels": {"testenv.kubectl-numa.io/fault": "evicted"}}});
    api.patch(&first, &PatchParams::default(), &Patch::Merge(&label))
        .await
        .unwrap();
    let r = admin_expect(
        0,
        &ns,
        &[
            "rollout",
            "status",
            "vertex/p-cat",
            "--rollback-on-failure",
            "--timeout",
            "90s",
        ],
    )
    .await;
    assert!(
        r.stdout
            .ends_with("vertex \"p-cat\" successfully rolled out\n"),
        "{r:?}"
    );
    let evicted = api.get(&first).await.unwrap();
    assert_eq!(
        phase(&evicted),
        "Failed",
        "the eviction happened: {evicted:?}"
    );
    let pl = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
    let cat = pl.data["spec"]["vertices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "cat")
        .unwrap();
    assert_eq!(
        cat["udf"]["container"]["image"], "example/cat:v2-delay-1500",
        "not rolled back"
    );
}

/// A MonoVertex's daemon Deployment pod carries the MonoVertex's name label and no hash:
/// it is neither an old replica nor shown among the replicas.
#[tokio::test]
async fn a_monovertex_daemon_pod_is_not_a_replica() {
    let (ns, client) = setup("mvdaemon").await;
    create_monovertex(&client, &ns, "m", 2, "example/sink:v1").await;
    let daemon = eventually("the MonoVertex daemon's pod", T, || {
        let api: Api<Pod> = Api::namespaced(client.clone(), &ns);
        async move {
            let list = api
                .list(&ListParams::default().labels("app.kubernetes.io/component=mono-vertex-daemon,numaflow.numaproj.io/mono-vertex-name=m"))
                .await
                .ok()?;
            list.items.into_iter().next()
        }
    })
    .await;
    let r = admin_expect(0, &ns, &["rollout", "status", "mvtx/m", "--timeout", "60s"]).await;
    assert!(
        r.stdout
            .ends_with("monovertex \"m\" successfully rolled out\n"),
        "{r:?}"
    );
    let doc = get_json(&admin_expect(0, &ns, &["rollout", "get", "mvtx/m", "-o", "json"]).await);
    let names: Vec<String> = json_pods(&doc)
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("m-mv-") && !n.contains("daemon")),
        "{names:?}"
    );
    assert!(!names.contains(daemon.metadata.name.as_ref().unwrap()));
}

/// A udf that crash-loops after an OOM kill (kwok: the image says `crashloop`) fails the
/// rollout with exit 3, naming the pod, the container, the reason and the last termination.
#[tokio::test]
async fn a_crash_loop_after_an_oom_kill_names_the_last_termination() {
    let (ns, client) = setup("oom").await;
    create_pipeline(&client, &ns, "p", vec![udf("cat", 2, "example/cat:v1")]).await;
    admin_expect(
        0,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "60s"],
    )
    .await;
    set_udf_image(&client, &ns, "p", "cat", "example/cat:v2-crashloop").await;
    let r = admin_expect(
        3,
        &ns,
        &["rollout", "status", "vertex/p-cat", "--timeout", "60s"],
    )
    .await;
    let last = r.stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("vertex \"p-cat\" rollout failed: pod p-cat-"),
        "{r:?}"
    );
    assert!(
        last.contains("container udf: CrashLoopBackOff: back-off 40s restarting failed container=udf (last termination: OOMKilled, exit code 137)"),
        "{r:?}"
    );
    // Numaflow's own verdict, its PodsHealthy condition, is shown beside the plugin's.
    let healthy = eventually("PodsHealthy False in get -o json", T, || {
        let ns = ns.clone();
        async move {
            let r = admin_expect(0, &ns, &["rollout", "get", "vertex/p-cat", "-o", "json"]).await;
            let c = get_json(&r)["workloads"][0]["podsHealthy"].clone();
            (c["status"] == "False").then_some(c)
        }
    })
    .await;
    assert_eq!(healthy["type"], "PodsHealthy", "{healthy}");
    assert!(
        healthy["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("Pod")),
        "reason Pod<Reason>: {healthy}"
    );
    let r = admin_expect(0, &ns, &["rollout", "get", "vertex/p-cat"]).await;
    let want = format!(
        "   PodsHealthy False ({}): {}\n",
        healthy["reason"].as_str().unwrap(),
        healthy["message"].as_str().unwrap_or_default()
    );
    assert!(r.stdout.contains(&want), "{want:?} in {r:?}");
}

/// A change the pipeline controller rejects never rolls: it marks the Pipeline Failed
/// (Configured False, InvalidSpec) with observedGeneration current and leaves every
/// Vertex on the previous definition. status fails, exit 3, for the pipeline and for
/// each of its vertices, with the controller's reason, instead of calling the previous
/// revision rolled out.
#[tokio::test]
async fn a_rejected_spec_fails_the_pipeline_and_its_vertices() {
    let (ns, client) = setup("rejected").await;
    create_pipeline(&client, &ns, "p", vec![udf("cat", 2, "example/cat:v1")]).await;
    admin_expect(
        0,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "60s"],
    )
    .await;
    edit_spec(&client, &ns, "Pipeline", "p", |spec| {
        for v in spec["vertices"].as_array_mut().unwrap() {
            if v["name"] == "cat" {
                v["udf"]["container"]["image"] = json!("example/cat:v2");
            }
        }
        spec["edges"]
            .as_array_mut()
            .unwrap()
            .push(json!({"from": "cat", "to": "ghost"}));
    })
    .await;
    for target in ["pipeline/p", "vertex/p-cat", "vertex/p-out"] {
        let r = admin_expect(3, &ns, &["rollout", "status", target, "--timeout", "60s"]).await;
        let last = r.stdout.lines().last().unwrap_or_default().to_string();
        assert!(last.contains("rollout failed"), "{target}: {r:?}");
        assert!(last.contains("InvalidSpec"), "{target}: {r:?}");
        assert!(
            !r.stdout.contains("successfully rolled out"),
            "{target}: {r:?}"
        );
    }
    // The controller kept the previous definition: nothing rolled.
    let v = numaflow(&client, &ns, "Vertex").get("p-cat").await.unwrap();
    assert_eq!(
        v.data["spec"]["udf"]["container"]["image"],
        "example/cat:v1"
    );
}

/// Numaflow's lifecycle pause stops processing (every pod goes); it is not a rollout
/// pause. status ends at once with the paused exit code (5) and says which pause it is,
/// for a Pipeline and for a MonoVertex.
#[tokio::test]
async fn a_lifecycle_pause_is_not_a_rollout() {
    let (ns, client) = setup("lifecycle").await;
    create_pipeline(&client, &ns, "p", vec![udf("cat", 2, "example/cat:v1")]).await;
    create_monovertex(&client, &ns, "m", 2, "example/sink:v1").await;
    admin_expect(
        0,
        &ns,
        &[
            "rollout",
            "status",
            "pipeline/p",
            "mvtx/m",
            "--timeout",
            "60s",
        ],
    )
    .await;
    for kind in ["Pipeline", "MonoVertex"] {
        let name = if kind == "Pipeline" { "p" } else { "m" };
        edit_spec(&client, &ns, kind, name, |spec| {
            spec["lifecycle"] = json!({"desiredPhase": "Paused", "pauseGracePeriodSeconds": 1});
        })
        .await;
    }
    for target in ["pipeline/p", "mvtx/m", "vertex/p-cat"] {
        let r = admin_expect(5, &ns, &["rollout", "status", target, "--timeout", "60s"]).await;
        let last = r.stdout.lines().last().unwrap_or_default().to_string();
        // A vertex is paused by its pipeline's lifecycle.
        assert!(
            last.contains("is paused by its lifecycle")
                || last.contains("is paused by its pipeline's lifecycle"),
            "{target}: {r:?}"
        );
        assert!(last.contains("not a rollout pause"), "{target}: {r:?}");
    }
    // The MonoVertex controller deletes its pods at once; status still says paused.
    eventually("the MonoVertex's pods gone", T, || {
        let client = client.clone();
        let ns = ns.clone();
        async move { pods(&client, &ns, "", "m").await.is_empty().then_some(()) }
    })
    .await;
    let r = admin_expect(5, &ns, &["rollout", "status", "mvtx/m", "--watch=false"]).await;
    assert!(
        r.stdout.contains("paused by its lifecycle (phase Paused)"),
        "{r:?}"
    );
    // list and get tell a lifecycle pause apart from a rollout pause.
    let r = admin_expect(0, &ns, &["rollout", "list"]).await;
    for name in ["m", "p-cat", "p-in", "p-out"] {
        let row = r
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} in {r:?}"));
        assert!(row.ends_with("॥ Paused (lifecycle)"), "{row}");
    }
    let r = admin_expect(0, &ns, &["rollout", "get", "pipeline/p"]).await;
    // (Its sources stop first: p-cat may still run its pods while they drain.)
    assert!(
        r.stdout
            .contains("├─ vertex p-cat  ॥ Paused (lifecycle)  desired "),
        "{r:?}"
    );
    let doc = get_json(&admin_expect(0, &ns, &["rollout", "list", "-o", "json"]).await);
    let lifecycle: Vec<(&str, &Value)> = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["name"].as_str().unwrap(), &w["lifecycle"]))
        .collect();
    for (name, phase) in lifecycle {
        assert!(
            phase == "Pausing" || phase == "Paused",
            "{name}: lifecycle {phase}"
        );
    }
}
