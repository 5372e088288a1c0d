//! Test fixtures: Numaflow objects and pods built from a few numbers.

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::jiff::Timestamp;
use kube::api::DynamicObject;
use serde_json::{json, Value};

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
pub fn pod(short: &str, i: u32, hash: &str, ready: bool) -> Pod {
    let mut ann = json!({REPLICA_ANNOTATION: i.to_string()});
    if !hash.is_empty() {
        ann[HASH_ANNOTATION] = json!(hash);
    }
    serde_json::from_value(json!({
        "metadata": {"name": format!("p-{short}-{i}-{hash}"), "namespace": "ns",
                     "creationTimestamp": "2026-03-01T11:59:00Z", "annotations": ann,
                     "labels": {PIPELINE_LABEL: "p", VERTEX_LABEL: short}},
        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": if ready {"True"} else {"False"}}]},
    }))
    .unwrap()
}

/// `pod` with a waiting container `udf` in `reason`.
pub fn waiting_pod(short: &str, i: u32, hash: &str, reason: &str) -> Pod {
    let mut p = pod(short, i, hash, false);
    p.status.as_mut().unwrap().container_statuses = Some(vec![serde_json::from_value(json!({
        "name": "udf", "image": "x", "imageID": "", "ready": false, "restartCount": 4,
        "state": {"waiting": {"reason": reason, "message": "back-off 40s restarting failed container=udf"}}
    }))
    .unwrap()]);
    p
}

/// `pod` after an eviction: phase Failed, reason Evicted.
pub fn evicted(mut p: Pod) -> Pod {
    let status = p.status.as_mut().unwrap();
    status.phase = Some("Failed".into());
    status.reason = Some("Evicted".into());
    status.message = Some("The node was low on resource: memory.".into());
    p
}

/// `pod` being deleted.
pub fn terminating(mut p: Pod) -> Pod {
    p.metadata.deletion_timestamp =
        Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(now()));
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
pub fn mvtx_pod(i: u32, hash: &str, ready: bool) -> Pod {
    let mut p = pod("m", i, hash, ready);
    p.metadata.name = Some(format!("m-mv-{i}-{hash}"));
    p.metadata.labels = Some(
        [(MONO_VERTEX_LABEL, "m"), (COMPONENT_LABEL, "mono-vertex")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    p
}

/// A pod of MonoVertex `m`'s daemon Deployment: the same name label, component
/// `mono-vertex-daemon`, no hash or replica annotation.
pub fn mvtx_daemon_pod(ready: bool) -> Pod {
    let mut p = mvtx_pod(0, "", ready);
    p.metadata.name = Some("m-mv-daemon-5d8f9c7b6-x2x9q".into());
    p.metadata.annotations = None;
    p.metadata
        .labels
        .as_mut()
        .unwrap()
        .insert(COMPONENT_LABEL.into(), "mono-vertex-daemon".into());
    p
}
