//! `--bake`: a finished rollout's new pods watched past readiness, against Numaflow's own
//! controller, with kwok OOM-killing or restarting a container once it was ready
//! (`oom-after-<ms>`, `restart-after-<ms>` in the image; see testenv/stages).

mod common;

use std::time::Duration;

use common::*;
use serde_json::Value;
use testenv::User;

const T: Duration = Duration::from_secs(90);

/// [`rolled_out_cat`], then the udf image set to `image`.
async fn shipped(prefix: &str, replicas: u32, image: &str) -> (String, kube::Client) {
    let (ns, client) = rolled_out_cat(prefix, replicas).await;
    set_udf_image(&client, &ns, "p", "cat", image).await;
    (ns, client)
}

fn json_doc(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("-o json: {e}\n{r:?}"))
}

/// The index of the first line of `text` containing `what`.
fn line_of(text: &str, what: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(what))
}

#[tokio::test]
async fn a_quiet_bake_passes_after_its_duration() {
    let (ns, _client) = shipped("bakequiet", 2, "example/cat:v2").await;
    let r = admin_expect_line(0, &ns, "rollout status pipeline/p --bake 3s --timeout 60s").await;
    let start = line_of(
        &r.stdout,
        "pipeline \"p\" successfully rolled out; baking for 3s",
    );
    let end = line_of(
        &r.stdout,
        "pipeline \"p\" successfully rolled out and baked for 3s",
    );
    assert!(
        matches!((start, end), (Some(s), Some(e)) if s < e),
        "a line when the bake starts, one when it ends: {r:?}"
    );
    assert_eq!(
        r.stdout.matches("baking for 3s").count(),
        1,
        "the start is printed once: {r:?}"
    );
    assert!(r.took >= Duration::from_secs(3), "{r:?}");

    let r = admin_expect_line(0, &ns, "rollout status vertex/p-cat --bake 2s -o json").await;
    let bake = &json_doc(&r)["bake"];
    assert_eq!(bake["result"], "Passed", "{r:?}");
    assert_eq!(
        (bake["duration"].as_str(), bake["durationSeconds"].as_u64()),
        (Some("2s"), Some(2))
    );
    assert!(bake["bakedSeconds"].as_u64().unwrap() >= 2, "{r:?}");
    assert_eq!(bake["healthyPods"], 2, "{r:?}");
    assert!(bake["failingPod"].is_null(), "{r:?}");
}

#[tokio::test]
async fn an_oom_kill_during_the_bake_fails_it() {
    let (ns, client) = shipped("bakeoom", 1, "example/cat:v2-oom-after-5000").await;
    let r = admin_expect_line(
        3,
        &ns,
        "rollout status vertex/p-cat --bake 60s --timeout 80s -o json",
    )
    .await;
    let doc = json_doc(&r);
    assert_eq!(doc["state"], "Degraded", "{r:?}");
    let bake = &doc["bake"];
    assert_eq!(bake["result"], "Failed", "{r:?}");
    let pod = pods(&client, &ns, "p", "cat").await[0]
        .metadata
        .name
        .clone()
        .unwrap();
    let failing = &bake["failingPod"];
    assert_eq!(failing["pod"], pod.as_str(), "{r:?}");
    assert_eq!(failing["container"], "udf", "{r:?}");
    assert_eq!(failing["reason"], "CrashLoopBackOff", "{r:?}");
    assert!(
        failing["message"]
            .as_str()
            .unwrap()
            .ends_with("(last termination: OOMKilled, exit code 137)"),
        "{r:?}"
    );
    let message = doc["message"].as_str().unwrap();
    assert!(
        message.starts_with("vertex \"p-cat\" bake failed after ")
            && message.contains(&format!(": pod {pod}: container udf: CrashLoopBackOff: ")),
        "{r:?}"
    );
    assert!(
        bake["bakedSeconds"].as_u64().unwrap() < 60,
        "failed before its time: {r:?}"
    );
}

#[tokio::test]
async fn a_failed_bake_rolls_back_with_rollback_on_failure() {
    let (ns, client) = shipped("bakerb", 1, "example/cat:v1").await;
    // Revision 1 is v1 (recorded by `shipped`'s status); ship the bad version now.
    let v1 = hashes(&pods(&client, &ns, "p", "cat").await);
    set_udf_image(&client, &ns, "p", "cat", "example/cat:v2-oom-after-5000").await;
    let r = admin_expect_line(
        7,
        &ns,
        "rollout status pipeline/p --bake 60s --rollback-on-failure --timeout 120s",
    )
    .await;
    let baking = line_of(
        &r.stdout,
        "pipeline \"p\" successfully rolled out; baking for 1m",
    );
    let failed = line_of(
        &r.stdout,
        "pipeline/p: rollout failed (pipeline \"p\" bake failed after ",
    );
    let back = line_of(&r.stdout, "pipeline/p: rolled back to revision 1: ");
    assert!(
        matches!((baking, failed, back), (Some(a), Some(b), Some(c)) if a < b && b < c),
        "{r:?}"
    );
    assert!(
        r.stdout.contains("container udf: CrashLoopBackOff: ")
            && r.stdout
                .contains("(last termination: OOMKilled, exit code 137))"),
        "{r:?}"
    );
    assert_eq!(
        r.stdout.matches("baking").count(),
        1,
        "the rollback is waited for, not baked: {r:?}"
    );
    let now = pods(&client, &ns, "p", "cat").await;
    assert_eq!(hashes(&now), v1, "back on v1's pods: {r:?}");
}

#[tokio::test]
async fn a_container_restart_during_the_bake_fails_it() {
    let (ns, client) = shipped("bakerestart", 2, "example/cat:v2-restart-after-4000").await;
    let r = admin_expect_line(
        3,
        &ns,
        "rollout status vertex/p-cat --bake 60s --timeout 80s",
    )
    .await;
    let line = r
        .stdout
        .lines()
        .find(|l| l.starts_with("vertex \"p-cat\" bake failed after "))
        .unwrap_or_else(|| panic!("{r:?}"));
    assert!(
        line.ends_with(
            ": container udf: Restarted: restarted 1 time during the bake (last termination: OOMKilled, exit code 137)"
        ),
        "{line}"
    );
    let names: Vec<String> = pods(&client, &ns, "p", "cat")
        .await
        .iter()
        .map(|p| p.metadata.name.clone().unwrap())
        .collect();
    assert!(
        names.iter().any(|n| line.contains(&format!(": pod {n}: "))),
        "names one of {names:?}: {line}"
    );
}

#[tokio::test]
async fn a_spec_changed_during_the_bake_supersedes_it() {
    let (ns, client) = shipped("bakesuper", 1, "example/cat:v2").await;
    let mut status = Running::spawn(plugin_command(
        User::Admin,
        &ns,
        &[
            "rollout",
            "status",
            "vertex/p-cat",
            "--bake",
            "6s",
            "--timeout",
            "90s",
        ],
    ));
    status
        .stdout
        .wait_line("vertex \"p-cat\" successfully rolled out; baking for 6s", T)
        .await;
    set_udf_image(&client, &ns, "p", "cat", "example/cat:v3").await;
    status
        .stderr
        .wait_line(
            "the spec changed during the bake; waiting for the new rollout",
            T,
        )
        .await;
    let r = status.ended(T).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout.matches("baking for 6s").count(),
        2,
        "the new rollout is baked from its start: {r:?}"
    );
    assert!(
        r.stdout
            .ends_with("vertex \"p-cat\" successfully rolled out and baked for 6s\n"),
        "{r:?}"
    );
    let images: Vec<bool> = pods(&client, &ns, "p", "cat")
        .await
        .iter()
        .map(|p| format!("{:?}", p.spec).contains("example/cat:v3"))
        .collect();
    assert_eq!(images, [true], "{r:?}");
}

#[tokio::test]
async fn the_timeout_bounds_the_bake() {
    let (ns, _client) = shipped("baketimeout", 1, "example/cat:v2").await;
    let r = admin_expect_line(4, &ns, "rollout status pipeline/p --bake 5m --timeout 6s").await;
    assert!(
        r.stderr
            .contains("timed out during the bake of pipeline \"p\" (baked ")
            && r.stderr.contains(" of 5m)"),
        "{r:?}"
    );
}

#[tokio::test]
async fn step_wait_bakes_the_moved_pods() {
    let (ns, client) = setup("bakestep").await;
    create_pipeline(&client, &ns, "p", vec![udf("cat", 3, "example/cat:v1")]).await;
    admin_expect_line(0, &ns, "rollout status pipeline/p --timeout 60s").await;
    admin_expect_line(0, &ns, "rollout pause vertex/p-cat").await;
    // Each new pod is ready 1.5 s after it was scheduled, so that the step holds the
    // rollout before the controller takes another batch, and OOM-killed 5 s later.
    set_udf_image(
        &client,
        &ns,
        "p",
        "cat",
        "example/cat-delay-1500:v2-oom-after-5000",
    )
    .await;
    let r = admin_expect_line(
        3,
        &ns,
        "rollout step vertex/p-cat --pods 1 --wait --bake 60s --timeout 80s",
    )
    .await;
    assert!(
        r.stdout.contains("vertex \"p-cat\" stepped; baking for 1m"),
        "{r:?}"
    );
    assert!(
        r.stderr.contains("vertex \"p-cat\" bake failed after ")
            && r.stderr.contains("container udf: CrashLoopBackOff: ")
            && r.stderr
                .contains("(last termination: OOMKilled, exit code 137)"),
        "{r:?}"
    );
    let on_v1 = pods(&client, &ns, "p", "cat")
        .await
        .iter()
        .filter(|p| format!("{:?}", p.spec).contains("example/cat:v1"))
        .count();
    assert_eq!(on_v1, 2, "the step moved one pod and held: {r:?}");

    // A usage error writes nothing.
    let r = admin_expect_line(2, &ns, "rollout step vertex/p-cat --pods 1 --bake 1m").await;
    assert!(r.stderr.contains("--bake needs --wait"), "{r:?}");
    let r = admin_expect_line(
        2,
        &ns,
        "rollout status vertex/p-cat --watch=false --bake 1m",
    )
    .await;
    assert!(r.stderr.contains("--bake needs --watch"), "{r:?}");
}
