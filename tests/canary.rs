//! Canary steps (`rollout step`) and `rollout promote` against a real world:
//! Kubernetes, kwok and Numaflow's own controller.

mod common;

use std::time::Duration;

use common::*;
use kube::api::DynamicObject;
use kube::{Client, ResourceExt};
use kubectl_numa::api::write::{write, Spec};
use kubectl_numa::rollout::dry_run::DryRun;
use kubectl_numa::rollout::owner::Owner;
use kubectl_numa::rollout::step::{self, Step, STEP_ANNOTATION};
use kubectl_numa::target::Kind;
use serde_json::Value;
use testenv::User;

const T: Duration = Duration::from_secs(60);

async fn rollout(ns: &str, args: &[&str]) -> Run {
    let mut all = vec!["rollout"];
    all.extend_from_slice(args);
    plugin(User::Admin, ns, &all).await
}

async fn vertex(client: &Client, ns: &str, name: &str) -> DynamicObject {
    numaflow(client, ns, "Vertex")
        .get(name)
        .await
        .expect("get vertex")
}

/// Waits until the vertex controller has seen the new spec (an update is pending).
async fn update_pending(client: &Client, ns: &str, name: &str) {
    eventually("the update to be pending", T, || async {
        let v = vertex(client, ns, name).await;
        let s = &v.data["status"];
        (s["updateHash"] != s["currentHash"]
            && s["observedGeneration"].as_i64() >= v.metadata.generation)
            .then_some(())
    })
    .await;
}

/// Waits until the vertex controller has reconciled the current spec of `name` with a
/// zero step (`maxUnavailable: 0`) after every pod of its last batch was Ready: the
/// point where it would start the next batch if the hold did not hold (it records
/// `updatedReadyReplicas == updatedReplicas` and starts the next batch in the same
/// reconcile).
async fn held_after_ready_batch(client: &Client, ns: &str, name: &str) {
    eventually("the controller to hold after a ready batch", T, || async {
        let v = vertex(client, ns, name).await;
        let s = &v.data["status"];
        let mu = &v.data["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"];
        (is_zero(mu)
            && s["observedGeneration"].as_i64() >= v.metadata.generation
            && s["updateHash"] != s["currentHash"]
            && s["updatedReplicas"].as_u64() > Some(0)
            && s["updatedReadyReplicas"] == s["updatedReplicas"])
            .then_some(())
    })
    .await;
}

/// Whether a `maxUnavailable` value is a zero step (`0` or `"0%"`).
fn is_zero(v: &Value) -> bool {
    v.as_i64() == Some(0) || v.as_str() == Some("0%") || v.as_str() == Some("0")
}

/// The definition of vertex `name` in a Pipeline.
fn vertex_def<'a>(pl: &'a DynamicObject, name: &str) -> &'a Value {
    pl.data["spec"]["vertices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no vertex {name}"))
}

/// (updatedReplicas, pods on the update hash).
async fn updated(client: &Client, ns: &str) -> (u64, usize) {
    let v = vertex(client, ns, "p-cat").await;
    let hash = v.data["status"]["updateHash"].as_str().unwrap().to_string();
    let on_new = hashes(&pods(client, ns, "p", "cat").await)
        .iter()
        .filter(|h| **h == hash)
        .count();
    // The controller omits a zero updatedReplicas.
    (
        v.data["status"]["updatedReplicas"].as_u64().unwrap_or(0),
        on_new,
    )
}

/// Pipeline `p` with vertex `cat` rolled out, paused, then given a new image; returns
/// the namespace, a client and the update strategy `cat` had as stored before the
/// pause (the full CRDs default it).
async fn paused_with_update(prefix: &str, replicas: u32, image: &str) -> (String, Client, Value) {
    let (ns, client) = rolled_out_cat(prefix, replicas).await;
    let pl = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
    let strategy = vertex_def(&pl, "cat")
        .get("updateStrategy")
        .cloned()
        .unwrap_or(Value::Null);
    let r = rollout(&ns, &["pause", "vertex/p-cat"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let r = rollout(
        &ns,
        &["set", "image", "vertex/p-cat", &format!("udf={image}")],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    update_pending(&client, &ns, "p-cat").await;
    (ns, client, strategy)
}

#[tokio::test]
async fn step_one_pod_then_half_then_promote() {
    // New pods take 1.5 s to be Ready: the hold must be back well before that.
    let (ns, client, strategy) = paused_with_update("step", 10, "example/cat-delay-1500:v2").await;
    assert_eq!(updated(&client, &ns).await, (0, 0));

    let r = rollout(&ns, &["step", "vertex/p-cat", "--pods", "1", "--wait"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .contains("vertex/p-cat stepped: 1 of 10 pods on the new revision; held again"),
        "{r:?}"
    );
    held_after_ready_batch(&client, &ns, "p-cat").await;
    assert_eq!(updated(&client, &ns).await, (1, 1), "holds at 1");
    let pl = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
    assert_eq!(
        vertex_def(&pl, "cat")["updateStrategy"]["rollingUpdate"]["maxUnavailable"],
        0
    );
    assert!(!pl.annotations().contains_key(STEP_ANNOTATION));
    let r = rollout(&ns, &["status", "vertex/p-cat", "--timeout", "30s"]).await;
    assert_eq!(r.code, 5, "paused again: {r:?}");

    let r = rollout(&ns, &["step", "vertex/p-cat", "--percent", "50", "--wait"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    held_after_ready_batch(&client, &ns, "p-cat").await;
    assert_eq!(updated(&client, &ns).await, (6, 6), "1 + 50% of 10 = 6");

    let r = rollout(&ns, &["promote", "vertex/p-cat", "--timeout", "60s"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(updated(&client, &ns).await, (10, 10));
    let pl = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
    assert_eq!(
        vertex_def(&pl, "cat")
            .get("updateStrategy")
            .cloned()
            .unwrap_or(Value::Null),
        strategy,
        "the strategy from before the pause is back"
    );
    assert!(!pl
        .annotations()
        .contains_key("kubectl-numa.io/paused-strategy"));
}

#[tokio::test]
async fn promote_completes_a_paused_rollout() {
    let (ns, client, _) = paused_with_update("promote", 3, "example/cat:v2").await;
    // The controller has seen the new spec under the zero step: nothing moved.
    assert_eq!(updated(&client, &ns).await, (0, 0));
    let r = rollout(&ns, &["promote", "pipeline/p", "--timeout", "60s"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(updated(&client, &ns).await, (3, 3));
}

#[tokio::test]
async fn an_interrupted_step_is_finished_by_pause_and_refused_when_not_paused() {
    // A never-ready image: the first batch never completes.
    let (ns, client, _) = paused_with_update("stepkill", 4, "example/never-ready:v2").await;
    // What a step killed right after its first write leaves behind.
    let kube = admin_kube(&ns, Duration::from_secs(30)).await;
    let owner = Owner {
        kind: Kind::Pipeline,
        name: "p".into(),
        namespace: ns.clone(),
    };
    let s = Step {
        goal: 2,
        max_unavailable: 2,
    };
    write(
        &kube,
        &owner,
        "test step",
        DryRun::None,
        Spec::User { forced: false },
        |o| step::start(Kind::Pipeline, o, &[("cat".into(), s)]),
    )
    .await
    .unwrap();
    eventually("the step to start", T, || async {
        (updated(&client, &ns).await.0 == 2).then_some(())
    })
    .await;
    let r = rollout(&ns, &["pause", "vertex/p-cat"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let pl = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
    assert_eq!(
        vertex_def(&pl, "cat")["updateStrategy"]["rollingUpdate"]["maxUnavailable"],
        0,
        "the zero step is back"
    );
    assert!(!pl.annotations().contains_key(STEP_ANNOTATION));
    assert!(pl
        .annotations()
        .contains_key("kubectl-numa.io/paused-strategy"));

    // Not paused: refused, nothing written.
    let r = rollout(&ns, &["resume", "vertex/p-cat"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let r = rollout(&ns, &["step", "vertex/p-cat", "--pods", "1"]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("is not paused by kubectl numa"), "{r:?}");
}
