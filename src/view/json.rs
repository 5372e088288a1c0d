//! The machine-readable form of a report, documented in the README (`-o json`).

use serde_json::{json, Value};

use crate::rollout::assess::Assessment;
use crate::rollout::bake::BakeStatus;
use crate::rollout::duration::humanize;
use crate::rollout::report::Report;
use crate::rollout::strategy::{Field, StrategyType};

fn field(f: &Field) -> Value {
    match f {
        Field::Absent => Value::Null,
        Field::Set(v) => v.to_json(),
        Field::Invalid(v) => v.clone(),
    }
}

/// One workload; with `pods`, every pod too.
pub fn workload(a: &Assessment, pods: bool) -> Value {
    let mut v = json!({
        "kind": a.kind.api_kind(),
        "name": a.name,
        "namespace": a.namespace,
        "pipeline": a.pipeline,
        "state": a.state,
        "lifecycle": a.lifecycle,
        "message": a.message,
        "podsHealthy": a.pods_healthy,
        "managedBy": a.managed_by,
        "upgradeState": a.upgrade_state,
        "currentHash": a.current_hash,
        "updateHash": a.update_hash,
        "desired": a.desired,
        "updated": a.updated,
        "updatedReady": a.updated_ready,
        "ready": a.ready,
        "old": a.old,
        "strategy": {
            "type": match &a.strategy.kind {
                StrategyType::Named(t) => Value::String(t.clone()),
                StrategyType::Invalid(v) => v.clone(),
            },
            "maxUnavailable": field(&a.strategy.max_unavailable),
            "maxSurge": field(&a.strategy.max_surge),
            "effectiveMaxUnavailable": a.strategy.effective_max_unavailable().map(|m| m.to_json()),
            "step": a.step,
        },
        "failingPods": a.failures.iter().map(|(pod, f)| json!({
            "pod": pod, "container": f.container, "reason": f.reason, "message": f.message,
        })).collect::<Vec<_>>(),
    });
    if pods {
        v["pods"] = a
            .pods
            .iter()
            .map(|p| {
                json!({
                    "name": p.name, "index": p.index, "hash": p.hash.as_deref(), "ready": p.ready,
                    "terminating": p.terminating, "reason": &*p.reason, "restarts": p.restarts,
                    "created": p.created.map(|t| t.to_string()),
                    // Failed or Succeeded: the kubelet's leftover, not a replica.
                    "leftBehind": p.left_behind.is_some(),
                })
            })
            .collect();
    }
    v
}

/// The `rollout list -o json` document: every workload under `items`.
pub fn list(rows: &[Assessment]) -> Value {
    json!({ "items": rows.iter().map(|a| workload(a, false)).collect::<Vec<_>>() })
}

/// One target: its state and every workload in it.
pub fn report(r: &Report, pods: bool) -> Value {
    json!({
        "kind": r.kind.api_kind(),
        "name": r.name,
        "namespace": r.namespace,
        "state": r.state,
        "message": r.message,
        "managedBy": r.managed_by,
        "upgradeState": r.upgrade_state,
        "bake": r.bake.as_deref().map(bake),
        "workloads": r.workloads.iter().map(|w| workload(w, pods)).collect::<Vec<_>>(),
    })
}

/// The bake of a report (`--bake`).
fn bake(b: &BakeStatus) -> Value {
    json!({
        "duration": humanize(b.duration),
        "durationSeconds": b.duration.as_secs(),
        "baked": humanize(b.baked),
        "bakedSeconds": b.baked.as_secs(),
        "result": b.result,
        "healthyPods": b.healthy_pods,
        "failingPod": b.failure,
    })
}
