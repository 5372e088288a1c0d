//! `rollout status` against a real world: Kubernetes, kwok and Numaflow's own controller.

mod common;

use std::time::Duration;

use common::*;
use k8s_openapi::api::core::v1::Pod;
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

/// Whether a pod's Ready condition is True.
fn is_ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
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
            // The last vertex, a user-defined sink whose pods are slow to be ready.
            json!({"name": "out", "scale": {"min": 2, "max": 2},
                   "sink": {"udsink": {"container": {"image": "example/out:v1-delay-2500"}}}}),
        ],
    )
    .await;
    let r = admin_expect(
        0,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "60s"],
    )
    .await;
    assert!(
        r.took >= Duration::from_millis(2500),
        "returned before the slow vertex could be ready: {r:?}"
    );
    assert!(
        r.stdout
            .ends_with("pipeline \"p\" successfully rolled out\n"),
        "{r:?}"
    );
    // At the moment status returned, the slow vertex's pods were all ready.
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
}

#[tokio::test]
async fn timeout_exits_4() {
    let (ns, client) = rolled_out_pipeline("timeout").await;
    set_udf_image(&client, &ns, "p", "cat", "example/cat:v2-delay-20000").await;
    let r = admin_expect(
        4,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "2s"],
    )
    .await;
    assert!(r.took < Duration::from_secs(10), "{r:?}");
    assert!(
        r.stderr
            .contains("kubectl-numa: timed out waiting for pipeline \"p\": Waiting for pipeline"),
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
    assert!(r.took < Duration::from_secs(15), "fails fast: {r:?}");
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
    let r = plugin(
        User::Admin,
        "default",
        &["rollout", "status", "deployment/x"],
    )
    .await;
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("valid kinds: vertex (vtx, vertices), monovertex (mvtx, monovertices), pipeline (pl, pipelines)"), "{r:?}");
    let r = plugin(
        User::Admin,
        "default",
        &["rollout", "status", "vertex/x", "--timeout", "soon"],
    )
    .await;
    assert_eq!(r.code, 2, "{r:?}");
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
