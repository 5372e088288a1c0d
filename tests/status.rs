//! `rollout status` against a real world: Kubernetes, kwok and Numaflow's own controller.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use testenv::User;

const T: Duration = Duration::from_secs(60);

/// The definition of vertex `name` in a pipeline spec.
fn vertex_def<'a>(spec: &'a mut serde_json::Value, name: &str) -> &'a mut serde_json::Value {
    spec["vertices"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no vertex {name}"))
}

/// Creates pipeline `p` with vertex `cat` (4 replicas) and waits for its first deploy.
async fn rolled_out_pipeline(prefix: &str) -> (String, kube::Client) {
    let (ns, client) = setup(prefix).await;
    create_pipeline(&client, &ns, "p", vec![udf("cat", 4, "example/cat:v1")]).await;
    admin_expect(
        0,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "60s"],
    )
    .await;
    (ns, client)
}

#[tokio::test]
async fn waits_until_every_pod_runs_the_new_spec() {
    let (ns, client) = rolled_out_pipeline("complete").await;
    let before = hashes(&pods(&client, &ns, "p", "cat").await);
    set_udf_image(&client, &ns, "p", "cat", "example/cat:v2").await;
    let r = admin_expect(
        0,
        &ns,
        &["rollout", "status", "vertex/p-cat", "--timeout", "60s"],
    )
    .await;
    assert!(
        r.stdout
            .ends_with("vertex \"p-cat\" successfully rolled out\n"),
        "{r:?}"
    );
    assert!(
        r.stdout.contains("Waiting for vertex \"p-cat\""),
        "progress lines are printed: {r:?}"
    );
    let lines: Vec<&str> = r.stdout.lines().collect();
    let mut dedup = lines.clone();
    dedup.dedup();
    assert_eq!(
        lines, dedup,
        "a line is printed only when something changed"
    );
    // At the moment status returned, every pod already ran the new revision.
    let after = pods(&client, &ns, "p", "cat").await;
    assert_eq!(after.len(), 4);
    let new = hashes(&after);
    assert!(
        new.iter().all(|h| h == &new[0] && !before.contains(h)),
        "before {before:?} after {new:?}"
    );
}

#[tokio::test]
async fn a_pipeline_is_done_only_when_its_last_vertex_is() {
    let (ns, client) = setup("pipeline3").await;
    create_pipeline(
        &client,
        &ns,
        "p",
        vec![
            udf("cat", 2, "example/cat:v1"),
            // The last vertex, a user-defined sink whose pods are not ready (until its
            // image is fixed below).
            json!({"name": "out", "scale": {"min": 2, "max": 2},
                   "sink": {"udsink": {"container": {"image": "example/out:v1-never-ready"}}}}),
        ],
    )
    .await;
    let mut status = Running::spawn(plugin_command(
        User::Admin,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "120s"],
    ));
    // The first two vertices are rolled out, the last one is not: status says so and
    // goes on waiting.
    status
        .stdout
        .wait_line(
            "Waiting for pipeline \"p\" rollout to finish: 2 of 3 vertices rolled out...",
            T,
        )
        .await;
    for short in ["in", "cat"] {
        let pods = pods(&client, &ns, "p", short).await;
        assert!(
            !pods.is_empty() && pods.iter().all(is_ready),
            "{short}: {pods:?}"
        );
    }
    let out = pods(&client, &ns, "p", "out").await;
    assert!(!out.iter().any(is_ready), "{out:?}");
    let so_far = status.so_far();
    assert!(
        status.is_running()
            && !so_far
                .stdout
                .contains("pipeline \"p\" successfully rolled out"),
        "still waiting: {so_far:?}"
    );
    // Now the last vertex can be ready: only then is the pipeline done.
    edit_spec(&client, &ns, "Pipeline", "p", |spec| {
        vertex_def(spec, "out")["sink"]["udsink"]["container"]["image"] = json!("example/out:v2");
    })
    .await;
    let r = status.ended(T).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .ends_with("pipeline \"p\" successfully rolled out\n"),
        "{r:?}"
    );
    // At the moment status returned, the last vertex's new pods were all ready.
    let out = pods(&client, &ns, "p", "out").await;
    assert_eq!(out.len(), 2);
    assert!(out.iter().all(is_ready), "{out:?}");
    for short in ["in", "cat", "out"] {
        let v = numaflow(&client, &ns, "Vertex")
            .get(&format!("p-{short}"))
            .await
            .unwrap();
        let s = &v.data["status"];
        assert_eq!(s["updateHash"], s["currentHash"], "{short}: {s}");
        // Counted on the pods: the controller's updatedReadyReplicas can stay behind
        // (on a first deploy it is often never recorded at all).
        let ready_new = pods(&client, &ns, "p", short)
            .await
            .iter()
            .filter(|p| is_ready(p) && hashes(std::slice::from_ref(*p))[0] == s["updateHash"])
            .count();
        assert_eq!(
            Some(ready_new as u64),
            s["desiredReplicas"].as_u64(),
            "{short}: {s}"
        );
    }
}

#[tokio::test]
async fn a_monovertex_rolls_out() {
    let (ns, client) = setup("mvtx").await;
    create_monovertex(&client, &ns, "m", 3, "example/sink:v1").await;
    let r = admin_expect(0, &ns, &["rollout", "status", "mvtx/m", "--timeout", "60s"]).await;
    assert!(
        r.stdout
            .ends_with("monovertex \"m\" successfully rolled out\n"),
        "{r:?}"
    );
    // At the moment status returned, its three pods were ready, of its revision.
    let m = numaflow(&client, &ns, "MonoVertex").get("m").await.unwrap();
    let pods = pods(&client, &ns, "", "m").await;
    assert_eq!(pods.len(), 3, "{pods:?}");
    assert!(pods.iter().all(is_ready), "{pods:?}");
    assert!(
        hashes(&pods)
            .iter()
            .all(|h| m.data["status"]["updateHash"] == h.as_str()),
        "{:?} {pods:?}",
        m.data["status"]
    );
}

#[tokio::test]
async fn timeout_exits_4() {
    let (ns, client) = rolled_out_pipeline("timeout").await;
    // A rollout that cannot finish: only the timeout can end the wait.
    set_udf_image(&client, &ns, "p", "cat", "example/cat:v2-never-ready").await;
    let r = admin_expect(
        4,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "2s"],
    )
    .await;
    assert!(
        r.stderr
            .contains("kubectl-numa: timed out waiting for pipeline \"p\": Waiting for pipeline"),
        "{r:?}"
    );
    assert!(
        !r.stdout.contains("pipeline \"p\" successfully rolled out"),
        "{r:?}"
    );
}

async fn degraded_by(image: &str, reason: &str) {
    let (ns, client) = rolled_out_pipeline(&format!("fail-{}", &image[..5])).await;
    set_udf_image(&client, &ns, "p", "cat", image).await;
    let r = admin_expect(
        3,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "60s"],
    )
    .await;
    // Failed (3) as soon as it was seen, not timed out (4) at the end of --timeout.
    assert!(!r.stderr.contains("timed out"), "{r:?}");
    let last = r.stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("vertex \"p-cat\" rollout failed: pod p-cat-0-"),
        "{r:?}"
    );
    assert!(
        last.contains(&format!("container udf: {reason}: ")),
        "{r:?}"
    );
}

#[tokio::test]
async fn crash_loop_is_degraded() {
    degraded_by("example/crashloop:v2", "CrashLoopBackOff").await;
}

#[tokio::test]
async fn image_pull_failure_is_degraded() {
    degraded_by("example/pull-error:v2", "ImagePullBackOff").await;
}

#[tokio::test]
async fn never_ready_hits_the_progress_deadline() {
    let (ns, client) = rolled_out_pipeline("deadline").await;
    set_udf_image(&client, &ns, "p", "cat", "example/never-ready:v2").await;
    let r = admin_expect(
        3,
        &ns,
        &[
            "rollout",
            "status",
            "pipeline/p",
            "--progress-deadline",
            "3s",
        ],
    )
    .await;
    assert!(
        r.stdout
            .contains("rollout failed: progress deadline exceeded (no progress for 3s)"),
        "{r:?}"
    );
}

#[tokio::test]
async fn zero_step_is_paused_and_ends_the_wait() {
    let (ns, client) = rolled_out_pipeline("paused").await;
    edit_spec(&client, &ns, "Pipeline", "p", |spec| {
        let cat = vertex_def(spec, "cat");
        cat["updateStrategy"] = json!({"rollingUpdate": {"maxUnavailable": 0}});
        cat["udf"]["container"]["image"] = json!("example/cat:v2");
    })
    .await;
    let r = admin_expect(
        5,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "60s"],
    )
    .await;
    assert!(
        r.stdout.contains(
            "vertex \"p-cat\" rollout is paused (maxUnavailable is 0): 0 of 4 replicas updated"
        ),
        "{r:?}"
    );
    assert!(
        r.stdout
            .ends_with("pipeline \"p\" rollout is paused: p-cat (0 of 4 updated)\n"),
        "{r:?}"
    );
}

#[tokio::test]
async fn watch_false_mid_rollout_exits_6_and_json_describes_it() {
    let (ns, client) = rolled_out_pipeline("nowatch").await;
    set_udf_image(&client, &ns, "p", "cat", "example/cat:v2-delay-20000").await;
    let v = eventually("the rollout to start", T, || async {
        let v = numaflow(&client, &ns, "Vertex").get("p-cat").await.ok()?;
        (v.data["status"]["updatedReplicas"] == json!(1)).then_some(v)
    })
    .await;
    let r = admin_expect(
        6,
        &ns,
        &[
            "rollout",
            "status",
            "vertex/p-cat",
            "--watch=false",
            "-o",
            "json",
        ],
    )
    .await;
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    assert_eq!(doc["kind"], "Vertex");
    assert_eq!(doc["name"], "p-cat");
    assert_eq!(doc["namespace"], ns.as_str());
    assert_eq!(doc["state"], "Progressing");
    let w = &doc["workloads"][0];
    assert_eq!(w["updateHash"], v.data["status"]["updateHash"]);
    assert_ne!(w["currentHash"], w["updateHash"]);
    assert_eq!(
        (
            w["desired"].as_u64(),
            w["updated"].as_u64(),
            w["updatedReady"].as_u64()
        ),
        (Some(4), Some(1), Some(0))
    );
    assert_eq!(w["failingPods"], json!([]));
}

#[tokio::test]
async fn missing_objects_exit_1_naming_what_exists() {
    let (ns, client) = setup("missing").await;
    create_pipeline(
        &client,
        &ns,
        "p",
        vec![
            udf("cat", 1, "example/cat:v1"),
            udf("dog", 1, "example/dog:v1"),
        ],
    )
    .await;
    let r = admin_expect(1, &ns, &["rollout", "status", "vertex/p-cow"]).await;
    assert_eq!(
        r.stderr,
        format!("kubectl-numa: error: vertex \"p-cow\" not found in namespace \"{ns}\"; pipeline \"p\" has vertices: p-in, p-cat, p-dog, p-out\n")
    );
    let r = admin_expect(
        1,
        &ns,
        &["rollout", "status", "pipeline/q", "--watch=false"],
    )
    .await;
    assert_eq!(r.stderr, format!("kubectl-numa: error: pipeline \"q\" not found in namespace \"{ns}\"; pipelines there: p\n"));
    let r = admin_expect(1, &ns, &["rollout", "status", "mvtx/m"]).await;
    assert_eq!(r.stderr, format!("kubectl-numa: error: monovertex \"m\" not found in namespace \"{ns}\"; there are no monovertices in it\n"));
}

#[tokio::test]
async fn usage_errors_exit_2_before_any_request() {
    // The kubeconfig's server is a port the test listens on: any request would first
    // connect to it, and that connection would wait in its accept queue.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kubeconfig");
    std::fs::write(
        &kc,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:{port}\n    insecure-skip-tls-verify: true\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n    namespace: default\nusers:\n- name: u\n  user:\n    token: tok\n"
        ),
    )
    .unwrap();
    let usage = |args: &[&str]| {
        let mut cmd = std::process::Command::new(PLUGIN);
        cmd.arg("--kubeconfig")
            .arg(&kc)
            .args(args)
            .env_remove("KUBECONFIG")
            .env("NO_COLOR", "1");
        run(cmd)
    };
    let r = usage(&["rollout", "status", "deployment/x"]).await;
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(
        r.stderr,
        "kubectl-numa: error: unknown kind \"deployment\"; valid kinds: vertex (vtx, vertices), monovertex (mvtx, monovertices), pipeline (pl, pipelines)\n",
        "{r:?}"
    );
    let r = usage(&["rollout", "status", "vertex/x", "--timeout", "soon"]).await;
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--timeout"), "{r:?}");
    let r = usage(&["rollout", "status", "vertex/X"]).await;
    assert_eq!(r.code, 2, "{r:?}");
    // A valid command does connect (it fails there: the test never answers).
    listener.set_nonblocking(true).unwrap();
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "a usage error made a request"
    );
    let r = usage(&["rollout", "status", "vertex/x", "--request-timeout", "1s"]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(listener.accept().is_ok(), "a valid command connects: {r:?}");
}

#[tokio::test]
async fn viewer_can_wait_and_nobody_is_forbidden() {
    let (ns, _client) = rolled_out_pipeline("rbac").await;
    let r = plugin(User::Viewer, &ns, &["rollout", "status", "pipeline/p"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let r = plugin(User::NoRights, &ns, &["rollout", "status", "pipeline/p"]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("forbidden"), "{r:?}");
    assert!(r.stderr.contains("User \"nobody\" cannot"), "{r:?}");
}

#[tokio::test]
async fn several_targets_and_selectors() {
    let (ns, client) = rolled_out_pipeline("many").await;
    create_monovertex(&client, &ns, "m", 1, "example/sink:v1").await;
    let r = admin_expect(
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
    assert!(
        r.stdout
            .contains("pipeline \"p\" successfully rolled out\n"),
        "{r:?}"
    );
    assert!(
        r.stdout
            .contains("monovertex \"m\" successfully rolled out\n"),
        "{r:?}"
    );
    // The worst target decides: one paused (5) beats one complete (0).
    edit_spec(&client, &ns, "MonoVertex", "m", |spec| {
        spec["updateStrategy"] = json!({"rollingUpdate": {"maxUnavailable": "0%"}});
        spec["sink"]["udsink"]["container"]["image"] = json!("example/sink:v2");
    })
    .await;
    admin_expect(
        5,
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
    let r = admin_expect(
        0,
        &ns,
        &[
            "rollout",
            "status",
            "vertex",
            "-l",
            "numaflow.numaproj.io/pipeline-name=p",
            "--timeout",
            "60s",
        ],
    )
    .await;
    // The selector picks every vertex of the pipeline: its source and sink too.
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "vertex \"p-cat\" successfully rolled out",
            "vertex \"p-in\" successfully rolled out",
            "vertex \"p-out\" successfully rolled out",
        ],
        "{r:?}"
    );
    let r = admin_expect(1, &ns, &["rollout", "status", "vertex", "-l", "app=none"]).await;
    assert!(r.stderr.contains("no vertices in namespace"), "{r:?}");
}

#[tokio::test]
async fn runs_as_a_kubectl_plugin() {
    let (ns, _client) = rolled_out_pipeline("kubectl").await;
    let bin_dir = std::path::Path::new(PLUGIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = std::process::Command::new("kubectl");
    cmd.env("PATH", path).env("KUBECONFIG", env().kubeconfig());
    cmd.args(["numa", "rollout", "status", "pipeline/p", "-n", &ns]);
    let r = run(cmd).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .ends_with("pipeline \"p\" successfully rolled out\n"),
        "{r:?}"
    );
    let mut cmd = std::process::Command::new("kubectl");
    cmd.env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
        .env("KUBECONFIG", env().kubeconfig());
    cmd.args(["numa", "rollout", "status", "pipeline/absent", "-n", &ns]);
    let r = run(cmd).await;
    assert_eq!(r.code, 1, "exit codes pass through kubectl: {r:?}");
}

/// On a terminal, status draws a live view redrawn in place (run under `script`, which
/// gives the plugin a pseudo-terminal).
#[tokio::test]
async fn on_a_terminal_the_view_is_redrawn_in_place() {
    let (ns, client) = rolled_out_pipeline("tty").await;
    // New pods take 1 s to be ready and the controller replaces one at a time: the
    // rollout lasts 4 s at least, so status starts well before it ends (with instant
    // pods the real controller can finish before the first frame).
    set_udf_image(&client, &ns, "p", "cat", "example/cat:v2-delay-1000").await;
    let inner = format!(
        "{PLUGIN} --kubeconfig {} -n {ns} rollout status pipeline/p --timeout 60s",
        env().kubeconfig().display()
    );
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &inner, "/dev/null"])
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let r = run(cmd).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains("\u{1b}[J"),
        "clears below the cursor before a redraw: {r:?}"
    );
    let moves_up = r.stdout.match_indices("\u{1b}[").any(|(i, _)| {
        let rest = &r.stdout[i + 2..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && rest[digits..].starts_with('A')
    });
    assert!(
        moves_up,
        "moves the cursor up over the previous frame: {r:?}"
    );
    let last_frame = r.stdout.rsplit("\u{1b}[J").next().unwrap();
    assert!(
        last_frame.contains("✔ Complete pipeline \"p\": pipeline \"p\" successfully rolled out"),
        "{last_frame:?}"
    );
    assert!(
        last_frame.contains("p-cat  [####################] 4/4 ready, 4/4 updated  ✔ Complete"),
        "{last_frame:?}"
    );
    assert!(
        (0..4).any(|n| r.stdout.contains(&format!("] {n}/4 ready"))),
        "shows progress on the way: {r:?}"
    );
}
