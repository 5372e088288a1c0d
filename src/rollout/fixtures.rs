//! Test fixtures: Numaflow objects and pods built from a few numbers.

use k8s_openapi::jiff::Timestamp;
use kube::api::DynamicObject;
use serde_json::{json, Value};

use super::pod_view::{ContainerView, PodView, Waiting};
use super::pods::{HASH_ANNOTATION, REPLICA_ANNOTATION};
use super::{COMPONENT_LABEL, MONO_VERTEX_LABEL, PIPELINE_LABEL, VERTEX_LABEL};

/// The fixed "now" of every test.
pub fn now() -> Timestamp {
    "2026-03-01T12:00:00Z".parse().unwrap()
}

/// A Vertex `p-<short>` of pipeline `p` with the given generation, spec and status.
pub fn vertex(short: &str, generation: i64, spec: Value, status: Value) -> DynamicObject {
    let mut spec = spec;
    spec["name"] = json!(short);
    spec["pipelineName"] = json!("p");
    serde_json::from_value(json!({
        "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Vertex",
        "metadata": {"name": format!("p-{short}"), "namespace": "ns", "generation": generation,
                     "labels": {PIPELINE_LABEL: "p", VERTEX_LABEL: short}},
        "spec": spec, "status": status,
    }))
    .unwrap()
}

/// A status where the controller reports `updated`/`updated_ready` of `desired`.
pub fn status(
    observed: i64,
    current: &str,
    update: &str,
    desired: i64,
    updated: i64,
    updated_ready: i64,
) -> Value {
    json!({"observedGeneration": observed, "currentHash": current, "updateHash": update,
           "desiredReplicas": desired, "replicas": desired, "updatedReplicas": updated,
           "updatedReadyReplicas": updated_ready, "phase": "Running"})
}

/// A pod of vertex `p-<short>` with index `i` and revision `hash` (`""` = no annotation).
pub fn pod(short: &str, i: u32, hash: &str, ready: bool) -> PodView {
    let mut ann = json!({REPLICA_ANNOTATION: i.to_string()});
    if !hash.is_empty() {
        ann[HASH_ANNOTATION] = json!(hash);
    }
    serde_json::from_value::<k8s_openapi::api::core::v1::Pod>(json!({
        "metadata": {"name": format!("p-{short}-{i}-{hash}"), "namespace": "ns",
                     "creationTimestamp": "2026-03-01T11:59:00Z", "annotations": ann,
                     "labels": {PIPELINE_LABEL: "p", VERTEX_LABEL: short}},
        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": if ready {"True"} else {"False"}}]},
    }))
    .unwrap()
    .into()
}

/// `pod` with a waiting container `udf` in `reason`.
pub fn waiting_pod(short: &str, i: u32, hash: &str, reason: &str) -> PodView {
    let mut p = pod(short, i, hash, false);
    p.containers = vec![ContainerView {
        name: "udf".into(),
        restarts: 4,
        waiting: Some(Box::new(Waiting {
            reason: reason.into(),
            message: "back-off 40s restarting failed container=udf".into(),
        })),
        ..ContainerView::default()
    }];
    p
}

/// `pod` after an eviction: phase Failed, reason Evicted.
pub fn evicted(mut p: PodView) -> PodView {
    p.phase = Some("Failed".into());
    p.reason = Some("Evicted".into());
    p
}

/// `pod` whose container `udf` last terminated with `exit_code` and `reason`,
/// `secs_ago` seconds before [`now`].
pub fn restarted(mut p: PodView, exit_code: i32, reason: &str, secs_ago: i64) -> PodView {
    use super::pod_view::Termination;
    let finished = now() - k8s_openapi::jiff::SignedDuration::from_secs(secs_ago);
    p.containers = vec![ContainerView {
        name: "udf".into(),
        ready: true,
        restarts: 1,
        last_terminated: Some(Box::new(Termination {
            reason: Some(reason.into()),
            exit_code,
            message: None,
            finished_at: Some(finished),
        })),
        ..ContainerView::default()
    }];
    p
}

/// `pod` being deleted.
pub fn terminating(mut p: PodView) -> PodView {
    p.terminating = true;
    p
}

/// A Pipeline `p` with vertices named `shorts`, at `generation`, observed up to `observed`.
pub fn pipeline(shorts: &[&str], generation: i64, observed: i64) -> DynamicObject {
    serde_json::from_value(json!({
        "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
        "metadata": {"name": "p", "namespace": "ns", "generation": generation},
        "spec": {"vertices": shorts.iter().map(|s| json!({"name": s})).collect::<Vec<_>>()},
        "status": {"phase": "Running", "observedGeneration": observed},
    }))
    .unwrap()
}

/// A MonoVertex `m` with the given generation, spec and status.
pub fn monovertex(generation: i64, spec: Value, status: Value) -> DynamicObject {
    serde_json::from_value(json!({
        "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "MonoVertex",
        "metadata": {"name": "m", "namespace": "ns", "generation": generation},
        "spec": spec, "status": status,
    }))
    .unwrap()
}

/// A pod of MonoVertex `m` with index `i` and revision `hash`, labelled as Numaflow's
/// controller labels its pods.
pub fn mvtx_pod(i: u32, hash: &str, ready: bool) -> PodView {
    let mut p = pod("m", i, hash, ready);
    p.name = format!("m-mv-{i}-{hash}");
    p.labels = [(COMPONENT_LABEL, "mono-vertex"), (MONO_VERTEX_LABEL, "m")]
        .into_iter()
        .map(|(k, v)| (k, v.into()))
        .collect();
    p
}

/// A pod of MonoVertex `m`'s daemon Deployment: the same name label, component
/// `mono-vertex-daemon`, no hash or replica annotation.
pub fn mvtx_daemon_pod(ready: bool) -> PodView {
    let mut p = mvtx_pod(0, "", ready);
    p.name = "m-mv-daemon-5d8f9c7b6-x2x9q".into();
    p.index = None;
    p.hash = None;
    let component = p.labels.iter_mut().find(|(k, _)| *k == COMPONENT_LABEL);
    component.unwrap().1 = "mono-vertex-daemon".into();
    p
}
