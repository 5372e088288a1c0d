//! The rollout state of one vertex or monovertex, computed from its object and pods
//! with no I/O. The definition of "complete" is NUMAFLOW.md's, checked both against
//! the controller's status and against the pods themselves.

use k8s_openapi::jiff::Timestamp;
use kube::api::DynamicObject;
use serde_json::Value;

use super::condition::{self, Condition, PODS_HEALTHY};
use super::manager::Manager;
use super::pods::{PodFailure, PodInfo};
use super::strategy::Strategy;
use super::State;
use crate::target::Kind;

/// One vertex or monovertex with its pods, as read from the cluster.
pub struct Workload<'a> {
    /// `Vertex` or `MonoVertex`.
    pub kind: Kind,
    /// The object.
    pub object: &'a DynamicObject,
    /// Its pods (selected by label).
    pub pods: &'a [&'a super::pod_view::PodView],
    /// The plugin's pause record for this workload exists.
    pub pause_recorded: bool,
    /// For a pipeline vertex: has the pipeline controller seen the pipeline's latest
    /// generation (pipeline `status.observedGeneration >= metadata.generation`)?
    pub owner_observed: bool,
}

/// The rollout state of one workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// `Vertex` or `MonoVertex`.
    pub kind: Kind,
    /// Namespace.
    pub namespace: String,
    /// Object name.
    pub name: String,
    /// Pipeline of a vertex.
    pub pipeline: Option<String>,
    /// Desired replicas.
    pub desired: u32,
    /// Pods of the update revision (not terminating).
    pub updated: u32,
    /// Of those, ready.
    pub updated_ready: u32,
    /// All ready pods.
    pub ready: u32,
    /// Pods of any other revision or none, not terminating (nor left behind: Failed or
    /// Succeeded).
    pub old: u32,
    /// `status.currentHash`.
    pub current_hash: Option<String>,
    /// `status.updateHash`.
    pub update_hash: Option<String>,
    /// The strategy in the spec.
    pub strategy: Strategy,
    /// Pods moved per step, when it can be known.
    pub step: Option<u32>,
    /// The verdict.
    pub state: State,
    /// `Pausing` or `Paused` when the workload, or its pipeline, is paused by its
    /// lifecycle (`spec.lifecycle.desiredPhase: Paused`), which is not a rollout pause.
    pub lifecycle: Option<String>,
    /// The object's own `PodsHealthy` condition: Numaflow's verdict on its pods.
    pub pods_healthy: Option<Condition>,
    /// One line in the style of `kubectl rollout status`.
    pub message: String,
    /// Failing pods of the update revision.
    pub failures: Vec<(String, PodFailure)>,
    /// Every pod, sorted by revision then index.
    pub pods: Vec<PodInfo>,
    /// Who re-applies the spec (of the MonoVertex, or of the vertex's Pipeline); set
    /// by [`super::report`], which sees that object.
    pub managed_by: Option<Manager>,
    /// Numaplane's upgrade state of that object (`promoted`, `trial`, `recyclable`).
    pub upgrade_state: Option<String>,
}

impl Assessment {
    /// `vertex "p-cat"` as used in messages.
    pub fn label(&self) -> String {
        format!("{} {:?}", self.kind, self.name)
    }
}

fn int(v: &Value, path: &[&str]) -> Option<i64> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_i64()
}

fn string(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `status.updatedReplicas`: absent is 0 (Numaflow's field is `omitempty`), a value
/// of another type is unreadable.
fn updated_replicas(status: &Value) -> Option<i64> {
    match status.get("updatedReplicas") {
        None | Some(Value::Null) => Some(0),
        Some(v) => v.as_i64(),
    }
}

fn clamp_u32(n: i64) -> u32 {
    n.clamp(0, i64::from(u32::MAX)) as u32
}

/// Desired replicas of a workload: the controller's `status.desiredReplicas` once it
/// has `observed` the latest spec, else the spec's as the controller computes them.
pub fn desired(spec: &Value, status: &Value, observed: bool) -> u32 {
    match int(status, &["desiredReplicas"]) {
        Some(d) if observed => clamp_u32(d),
        _ => desired_replicas(spec),
    }
}

/// Desired replicas as the controller computes them, following Numaflow's
/// `Vertex.CalculateReplicas` and `MonoVertex.CalculateReplicas` (v1.8.1): zero when
/// the lifecycle is paused; a reduce vertex runs one pod per partition
/// (`GetPartitionCount`: `partitions`, 1 for a non-keyed reduce), anything else
/// `spec.replicas` (default 1); then, unless `scale.disabled`, the count is raised to
/// `scale.min` (default 0) or lowered to `scale.max` (default 50), the minimum
/// checked first, so a minimum above the maximum wins.
pub fn desired_replicas(spec: &Value) -> u32 {
    if spec
        .pointer("/lifecycle/desiredPhase")
        .and_then(Value::as_str)
        == Some("Paused")
    {
        return 0;
    }
    let group_by = spec.pointer("/udf/groupBy").filter(|g| !g.is_null());
    let mut n = match group_by {
        Some(g) => {
            let keyed = g.get("keyed").and_then(Value::as_bool) == Some(true);
            match int(spec, &["partitions"]) {
                Some(p) if p >= 1 && keyed => p,
                _ => 1,
            }
        }
        None => int(spec, &["replicas"]).unwrap_or(1),
    };
    let disabled = spec.pointer("/scale/disabled").and_then(Value::as_bool) == Some(true);
    if !disabled {
        let max = int(spec, &["scale", "max"]).unwrap_or(DEFAULT_MAX_REPLICAS);
        let min = int(spec, &["scale", "min"])
            .filter(|m| *m >= 0)
            .unwrap_or(0);
        if n < min {
            n = min;
        } else if n > max {
            n = max;
        }
    }
    clamp_u32(n)
}

/// Numaflow's `DefaultMaxReplicas`: `scale.max` when the spec leaves it out.
pub const DEFAULT_MAX_REPLICAS: i64 = 50;

/// How a lifecycle pause is told apart from a rollout pause in messages.
pub const LIFECYCLE_NOTE: &str = "spec.lifecycle.desiredPhase is Paused, so data processing \
is stopped and no pods run; this is not a rollout pause (`kubectl numa rollout pause`): set \
desiredPhase to Running to resume";

/// `Pausing` or `Paused` (the phase) when `spec.lifecycle.desiredPhase` is `Paused`
/// (Numaflow's lifecycle pause, which stops processing: not a rollout pause).
pub fn lifecycle_paused(spec: &Value, status: &Value) -> Option<String> {
    if spec
        .pointer("/lifecycle/desiredPhase")
        .and_then(Value::as_str)
        != Some("Paused")
    {
        return None;
    }
    Some(
        string(status, "phase")
            .filter(|p| p == "Paused")
            .unwrap_or_else(|| "Pausing".into()),
    )
}

/// Computes the rollout state of a workload at time `now`.
pub fn assess(w: &Workload<'_>, now: Timestamp) -> Assessment {
    let obj = w.object;
    let null = Value::Null;
    let spec = obj.data.get("spec").unwrap_or(&null);
    let status = obj.data.get("status").unwrap_or(&null);
    let strategy = Strategy::from_spec(spec);
    let generation = obj.metadata.generation;
    let observed_generation = int(status, &["observedGeneration"]);
    let observed = w.owner_observed
        && matches!((generation, observed_generation), (Some(g), Some(o)) if o >= g);
    let desired = desired(spec, status, observed);
    let update_hash = string(status, "updateHash");
    let current_hash = string(status, "currentHash");
    let new_hash = update_hash.as_deref();

    let mut pods: Vec<PodInfo> = w.pods.iter().map(|p| PodInfo::from_pod(p, now)).collect();
    pods.sort_by(|a, b| {
        (a.hash.as_deref() != new_hash, a.index, &a.name).cmp(&(
            b.hash.as_deref() != new_hash,
            b.index,
            &b.name,
        ))
    });
    // Failed and Succeeded pods are the kubelet's leftovers: the controller has made
    // their replacements, so they count for nothing (they are still shown).
    let replicas = || pods.iter().filter(|p| p.left_behind.is_none());
    let is_new =
        |p: &&PodInfo| new_hash.is_some() && p.hash.as_deref() == new_hash && !p.terminating;
    let updated = replicas().filter(is_new).count() as u32;
    let updated_ready = replicas().filter(is_new).filter(|p| p.ready).count() as u32;
    let ready = replicas().filter(|p| p.ready && !p.terminating).count() as u32;
    // Terminating pods are no replicas either: Numaflow's `findExistingPods` ignores
    // them, as a ReplicaSet does, so one stuck (a finalizer, an unreachable node)
    // holds nothing open; `get` shows it as Terminating.
    let old = replicas()
        .filter(|p| !p.terminating)
        .filter(|p| new_hash.is_none() || p.hash.as_deref() != new_hash)
        .count() as u32;
    let failures: Vec<(String, PodFailure)> = pods
        .iter()
        .filter(is_new)
        .filter_map(|p| p.failure.as_deref().map(|f| (p.name.clone(), f.clone())))
        .collect();
    let step = strategy.step(desired);

    // Not `updatedReadyReplicas`: the controller stops recounting it once a reconcile
    // found the batch ready, and one that read a stale Vertex from its cache leaves it
    // behind for good (no pod event follows); the pods below say whether they are ready.
    // `updatedReplicas` is `omitempty` and the status is written by server-side apply:
    // a workload that wants no pods (an idle pipeline's vertex at `scale.min` 0) has none.
    let status_says_done = update_hash.is_some()
        && update_hash == current_hash
        && updated_replicas(status) == Some(i64::from(desired));
    let pods_say_done = updated == desired && updated_ready == desired && old == 0;
    let pending = update_hash.is_none() || update_hash != current_hash || updated < desired;

    let label = format!(
        "{} {:?}",
        w.kind,
        obj.metadata.name.as_deref().unwrap_or_default()
    );
    let lifecycle = lifecycle_paused(spec, status);
    // What the controller said of the generation it observed: nothing it reported
    // before observing the latest spec is about that spec.
    let failure = observed
        .then(|| condition::reconcile_failure(status))
        .flatten();
    let recent_restart = pods
        .iter()
        .filter(is_new)
        .find_map(|p| p.recent_restart.as_deref().map(|r| (p.name.as_str(), r)));
    // The order follows the controllers' reconcile: the spec is validated before any
    // lifecycle step (an invalid spec under `desiredPhase: Paused` is a failure, not a
    // pause), and a reconcile that failed before pods were orchestrated leaves the old
    // hashes and pods in place, which must not pass for the new spec rolled out.
    let (state, message) = if let Some(f) = failure.as_ref().filter(|f| f.is_final()) {
        (
            State::Degraded,
            format!("{label} rollout failed: phase Failed: {}", f.why),
        )
    } else if !observed {
        // Not even a lifecycle pause is a verdict before the controller has looked:
        // the same spec may be one it rejects.
        (
            State::Progressing,
            format!("Waiting for {label} spec update to be observed..."),
        )
    } else if let Some(phase) = &lifecycle {
        (
            State::Paused,
            format!("{label} is paused by its lifecycle (phase {phase}): {LIFECYCLE_NOTE}"),
        )
    } else if let Some((pod, f)) = failures.first() {
        let container = f
            .container
            .as_ref()
            .map(|c| format!(" container {c}"))
            .unwrap_or_default();
        (
            State::Degraded,
            format!(
                "{label} rollout failed: pod {pod}{container}: {}: {}",
                f.reason, f.message
            ),
        )
    } else if let Some(f) = &failure {
        // Numaflow marks Failed on any reconcile error and retries it (with backoff):
        // the rollout goes on, and --progress-deadline reports one that stops moving.
        (
            State::Progressing,
            format!(
                "Waiting for {label}: its controller reports phase Failed ({}) and retries...",
                f.why
            ),
        )
    } else if status_says_done && pods_say_done {
        match recent_restart {
            // Numaflow's `CheckPodsStatus` counts such a pod unhealthy for 2 minutes
            // (a transient verdict it re-checks): the rollout is still progressing,
            // not failed. Another crash turns into CrashLoopBackOff, which fails it.
            Some((pod, r)) => (
                State::Progressing,
                format!(
                    "Waiting for {label} rollout to finish: pod {pod} {}; Numaflow counts it unhealthy until {} has passed...",
                    r.message,
                    super::duration::humanize(super::pods::RECENT_RESTART_WINDOW)
                ),
            ),
            None => (State::Complete, format!("{label} successfully rolled out")),
        }
    } else if pending
        && step == Some(0)
        && update_hash.is_some()
        && update_hash != current_hash
        // With every replica updated (none at all, for a workload that wants 0) the
        // controller switches `currentHash` itself, whatever the step.
        && updated_replicas(status).is_some_and(|u| u < i64::from(desired))
    {
        let by = if w.pause_recorded {
            "paused by kubectl numa"
        } else {
            "maxUnavailable is 0"
        };
        (
            State::Paused,
            format!("{label} rollout is paused ({by}): {updated} of {desired} replicas updated"),
        )
    } else {
        let detail = if updated < desired {
            format!("{updated} out of {desired} new replicas have been updated...")
        } else if old > 0 {
            format!("{old} old replicas are pending termination...")
        } else if updated_ready < desired {
            format!("{updated_ready} of {desired} updated replicas are ready...")
        } else {
            "waiting for the controller to record completion...".to_string()
        };
        (
            State::Progressing,
            format!("Waiting for {label} rollout to finish: {detail}"),
        )
    };

    Assessment {
        kind: w.kind,
        namespace: obj.metadata.namespace.clone().unwrap_or_default(),
        name: obj.metadata.name.clone().unwrap_or_default(),
        pipeline: string(spec, "pipelineName").or_else(|| {
            obj.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(super::PIPELINE_LABEL))
                .cloned()
        }),
        desired,
        updated,
        updated_ready,
        ready,
        old,
        current_hash,
        update_hash,
        strategy,
        step,
        state,
        lifecycle,
        pods_healthy: condition::find(status, PODS_HEALTHY),
        message,
        failures,
        pods,
        managed_by: None,
        upgrade_state: None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::rollout::fixtures::*;

    struct Case {
        name: &'static str,
        generation: i64,
        spec: serde_json::Value,
        status: serde_json::Value,
        pods: Vec<crate::rollout::pod_view::PodView>,
        pause_recorded: bool,
        owner_observed: bool,
        state: State,
        message: &'static str,
    }

    fn ready(n: u32, hash: &str) -> Vec<crate::rollout::pod_view::PodView> {
        (0..n).map(|i| pod("cat", i, hash, true)).collect()
    }

    fn case(name: &'static str, state: State, message: &'static str) -> Case {
        Case {
            name,
            generation: 2,
            spec: json!({"replicas": 4}),
            status: status(2, "h2", "h2", 4, 4, 4),
            pods: ready(4, "h2"),
            pause_recorded: false,
            owner_observed: true,
            state,
            message,
        }
    }

    #[test]
    fn states_and_messages() {
        let mid = || status(2, "h1", "h2", 4, 2, 1);
        let zero =
            json!({"replicas": 4, "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}});
        let cases = vec![
            case(
                "complete",
                State::Complete,
                r#"vertex "p-cat" successfully rolled out"#,
            ),
            Case {
                status: status(1, "h2", "h2", 4, 4, 4),
                ..case(
                    "generation not observed",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" spec update to be observed..."#,
                )
            },
            Case {
                owner_observed: false,
                ..case(
                    "pipeline not observed",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" spec update to be observed..."#,
                )
            },
            Case {
                status: json!({}),
                pods: vec![],
                ..case(
                    "no status at all",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" spec update to be observed..."#,
                )
            },
            Case {
                status: mid(),
                pods: vec![
                    pod("cat", 0, "h2", true),
                    pod("cat", 1, "h2", false),
                    pod("cat", 2, "h1", true),
                    pod("cat", 3, "h1", true),
                ],
                ..case(
                    "mid rollout",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" rollout to finish: 2 out of 4 new replicas have been updated..."#,
                )
            },
            Case {
                status: status(2, "h2", "h2", 4, 4, 4),
                pods: [
                    ready(4, "h2"),
                    vec![terminating(pod("cat", 3, "h1", false))],
                ]
                .concat(),
                ..case(
                    "an old pod stuck terminating holds nothing open (findExistingPods ignores it)",
                    State::Complete,
                    r#"vertex "p-cat" successfully rolled out"#,
                )
            },
            Case {
                status: status(2, "h2", "h2", 4, 4, 3),
                pods: [ready(3, "h2"), vec![pod("cat", 3, "h2", false)]].concat(),
                ..case(
                    "last pod not ready",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" rollout to finish: 3 of 4 updated replicas are ready..."#,
                )
            },
            Case {
                pods: [ready(3, "h2"), vec![pod("cat", 3, "", true)]].concat(),
                ..case(
                    "pod without hash is no evidence",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" rollout to finish: 3 out of 4 new replicas have been updated..."#,
                )
            },
            Case {
                status: status(2, "h2", "h2", 4, 4, 3),
                ..case(
                    "stale updatedReadyReplicas, every new pod ready",
                    State::Complete,
                    r#"vertex "p-cat" successfully rolled out"#,
                )
            },
            Case {
                status: json!({"observedGeneration": 2, "currentHash": "h2", "updateHash": "h2", "desiredReplicas": 4, "updatedReplicas": "4", "updatedReadyReplicas": 4}),
                ..case(
                    "wrongly typed status field",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" rollout to finish: waiting for the controller to record completion..."#,
                )
            },
            Case {
                status: status(2, "h1", "h2", 4, 4, 4),
                ..case(
                    "controller has not switched currentHash",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" rollout to finish: waiting for the controller to record completion..."#,
                )
            },
            Case {
                status: mid(),
                pods: vec![
                    waiting_pod("cat", 0, "h2", "CrashLoopBackOff"),
                    pod("cat", 1, "h2", true),
                    pod("cat", 2, "h1", true),
                ],
                ..case(
                    "new pod crash-looping",
                    State::Degraded,
                    r#"vertex "p-cat" rollout failed: pod p-cat-0-h2 container udf: CrashLoopBackOff: back-off 40s restarting failed container=udf"#,
                )
            },
            Case {
                spec: json!({"replicas": 4, "lifecycle": {"desiredPhase": "Paused"}}),
                status: json!({"observedGeneration": 2, "phase": "Paused", "currentHash": "h2", "updateHash": "h2", "desiredReplicas": 0}),
                pods: vec![],
                ..case(
                    "a lifecycle pause is not a rollout pause",
                    State::Paused,
                    "vertex \"p-cat\" is paused by its lifecycle (phase Paused): spec.lifecycle.desiredPhase is Paused, so data processing is stopped and no pods run; this is not a rollout pause (`kubectl numa rollout pause`): set desiredPhase to Running to resume",
                )
            },
            Case {
                spec: json!({"replicas": 4, "lifecycle": {"desiredPhase": "Paused"}}),
                status: status(1, "h2", "h2", 4, 4, 4),
                ..case(
                    "a lifecycle pause not observed yet is no verdict: the spec may be rejected",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" spec update to be observed..."#,
                )
            },
            Case {
                pods: [ready(4, "h2"), vec![evicted(pod("cat", 1, "h1", false))]].concat(),
                ..case(
                    "an old pod left behind by an eviction holds nothing open",
                    State::Complete,
                    r#"vertex "p-cat" successfully rolled out"#,
                )
            },
            Case {
                pods: [ready(4, "h2"), vec![evicted(pod("cat", 2, "h2", false))]].concat(),
                ..case(
                    "an evicted new pod the controller already replaced fails nothing",
                    State::Complete,
                    r#"vertex "p-cat" successfully rolled out"#,
                )
            },
            Case {
                status: status(2, "h2", "h2", 4, 4, 3),
                pods: [ready(3, "h2"), vec![evicted(pod("cat", 3, "h2", false))]].concat(),
                ..case(
                    "an evicted new pod not replaced yet is a missing replica",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" rollout to finish: 3 out of 4 new replicas have been updated..."#,
                )
            },
            Case {
                status: mid(),
                pods: vec![
                    pod("cat", 0, "h2", true),
                    pod("cat", 1, "h2", true),
                    waiting_pod("cat", 2, "h1", "CrashLoopBackOff"),
                    pod("cat", 3, "h1", true),
                ],
                ..case(
                    "old pod crash-looping is not this rollout's failure",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" rollout to finish: 2 out of 4 new replicas have been updated..."#,
                )
            },
            Case {
                status: json!({"observedGeneration": 2, "phase": "Failed", "reason": "ISBSvcNotHealthy", "message": "isbsvc not healthy"}),
                ..case(
                    "a reconcile error the controller retries is no failed rollout",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat": its controller reports phase Failed (ISBSvcNotHealthy: isbsvc not healthy) and retries..."#,
                )
            },
            Case {
                status: json!({"observedGeneration": 2, "phase": "Failed", "reason": "InvalidSpec", "message": "bad udf"}),
                pods: vec![],
                ..case(
                    "object failed",
                    State::Degraded,
                    r#"vertex "p-cat" rollout failed: phase Failed: InvalidSpec: bad udf"#,
                )
            },
            Case {
                spec: zero.clone(),
                status: mid(),
                pods: [
                    vec![pod("cat", 0, "h2", true), pod("cat", 1, "h2", true)],
                    (2..4).map(|i| pod("cat", i, "h1", true)).collect(),
                ]
                .concat(),
                ..case(
                    "frozen by maxUnavailable 0",
                    State::Paused,
                    r#"vertex "p-cat" rollout is paused (maxUnavailable is 0): 2 of 4 replicas updated"#,
                )
            },
            Case {
                spec: zero.clone(),
                status: status(2, "h1", "h2", 4, 0, 0),
                pods: ready(4, "h1"),
                pause_recorded: true,
                ..case(
                    "paused before the rollout started",
                    State::Paused,
                    r#"vertex "p-cat" rollout is paused (paused by kubectl numa): 0 of 4 replicas updated"#,
                )
            },
            Case {
                spec: zero.clone(),
                pause_recorded: true,
                ..case(
                    "paused but nothing pending",
                    State::Complete,
                    r#"vertex "p-cat" successfully rolled out"#,
                )
            },
            Case {
                spec: json!({"replicas": 4, "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}}),
                status: mid(),
                pods: [
                    ready(2, "h2"),
                    (2..4).map(|i| pod("cat", i, "h1", true)).collect(),
                ]
                .concat(),
                ..case(
                    "a surge does not keep it moving: Numaflow ignores maxSurge",
                    State::Paused,
                    r#"vertex "p-cat" rollout is paused (maxUnavailable is 0): 2 of 4 replicas updated"#,
                )
            },
            Case {
                spec: json!({"replicas": 4, "lifecycle": {"desiredPhase": "Paused"}}),
                status: status(2, "h2", "h2", 0, 0, 0),
                pods: vec![],
                ..case(
                    "lifecycle paused scales to zero: paused, not complete",
                    State::Paused,
                    "vertex \"p-cat\" is paused by its lifecycle (phase Pausing): spec.lifecycle.desiredPhase is Paused, so data processing is stopped and no pods run; this is not a rollout pause (`kubectl numa rollout pause`): set desiredPhase to Running to resume",
                )
            },
            Case {
                spec: zero.clone(),
                status: status(2, "h1", "h1", 4, 4, 2),
                pods: vec![
                    pod("cat", 0, "h2", true),
                    pod("cat", 1, "h2", true),
                    pod("cat", 2, "h1", true),
                    pod("cat", 3, "h1", true),
                ],
                ..case(
                    "a revert to currentHash replaces every new pod at once, even at a zero step: not paused",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" rollout to finish: 2 out of 4 new replicas have been updated..."#,
                )
            },
            Case {
                spec: json!({"scale": {"min": 0, "max": 0}}),
                status: json!({"observedGeneration": 2, "currentHash": "h2", "updateHash": "h2",
                               "desiredReplicas": 0, "replicas": 0, "phase": "Running"}),
                pods: vec![],
                ..case(
                    "zero desired replicas: the omitempty counts are absent",
                    State::Complete,
                    r#"vertex "p-cat" successfully rolled out"#,
                )
            },
            Case {
                spec: json!({"replicas": 0, "scale": {"disabled": true}}),
                status: json!({"observedGeneration": 2, "currentHash": "h1", "updateHash": "h2",
                               "desiredReplicas": 0, "replicas": 0, "phase": "Running"}),
                pods: vec![],
                ..case(
                    "zero desired replicas, hash not switched yet",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" rollout to finish: waiting for the controller to record completion..."#,
                )
            },
            Case {
                status: {
                    let mut s = status(2, "h1", "h1", 4, 4, 4);
                    s["phase"] = json!("Failed");
                    s["reason"] = json!("InvalidSpec");
                    s["message"] = json!("invalid mvtx: sink is required");
                    s
                },
                pods: ready(4, "h1"),
                ..case(
                    "a spec rejected before pods: old hashes and pods are no rollout",
                    State::Degraded,
                    r#"vertex "p-cat" rollout failed: phase Failed: InvalidSpec: invalid mvtx: sink is required"#,
                )
            },
            Case {
                status: {
                    let mut s = status(2, "h1", "h1", 4, 4, 4);
                    s["phase"] = json!("Failed");
                    s["reason"] = json!("OrchestrateFixedResourcesFailed");
                    s["message"] = json!("failed to orchestrate mono vtx daemon deployment");
                    s
                },
                pods: ready(4, "h1"),
                ..case(
                    "a reconcile failed before pods and retried is never rolled out",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat": its controller reports phase Failed (OrchestrateFixedResourcesFailed: failed to orchestrate mono vtx daemon deployment) and retries..."#,
                )
            },
            Case {
                generation: 3,
                status: json!({"observedGeneration": 2, "phase": "Failed", "reason": "InvalidSpec", "message": "bad udf"}),
                ..case(
                    "a failure of an older generation says nothing of the new spec",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" spec update to be observed..."#,
                )
            },
            Case {
                spec: json!({"replicas": 4, "lifecycle": {"desiredPhase": "Paused"}}),
                status: json!({"observedGeneration": 2, "phase": "Failed", "reason": "InvalidSpec", "message": "bad udf"}),
                pods: vec![],
                ..case(
                    "an invalid spec under a lifecycle pause fails, it does not pause",
                    State::Degraded,
                    r#"vertex "p-cat" rollout failed: phase Failed: InvalidSpec: bad udf"#,
                )
            },
            Case {
                pods: [ready(3, "h2"), vec![restarted(pod("cat", 3, "h2", true), 137, "OOMKilled", 30)]].concat(),
                ..case(
                    "a new pod ready 30s after an OOM kill is not healthy yet: progressing",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" rollout to finish: pod p-cat-3-h2 container udf restarted 30s ago (OOMKilled, exit code 137); Numaflow counts it unhealthy until 2m has passed..."#,
                )
            },
            Case {
                pods: [ready(3, "h2"), vec![restarted(pod("cat", 3, "h2", true), 143, "Error", 90)]].concat(),
                ..case(
                    "exit 143 with reason Error counts as a recent restart",
                    State::Progressing,
                    r#"Waiting for vertex "p-cat" rollout to finish: pod p-cat-3-h2 container udf restarted 1m30s ago (Error, exit code 143); Numaflow counts it unhealthy until 2m has passed..."#,
                )
            },
            Case {
                pods: [ready(3, "h2"), vec![restarted(pod("cat", 3, "h2", true), 137, "OOMKilled", 121)]].concat(),
                ..case(
                    "an OOM kill more than 2 minutes ago no longer counts",
                    State::Complete,
                    r#"vertex "p-cat" successfully rolled out"#,
                )
            },
            Case {
                pods: [ready(3, "h2"), vec![restarted(pod("cat", 3, "h2", true), 143, "Completed", 10)]].concat(),
                ..case(
                    "exit 143 without reason Error is a graceful stop, not counted",
                    State::Complete,
                    r#"vertex "p-cat" successfully rolled out"#,
                )
            },
        ];
        for c in cases {
            let v = vertex("cat", c.generation, c.spec, c.status);
            let w = Workload {
                kind: Kind::Vertex,
                object: &v,
                pods: &c.pods.iter().collect::<Vec<_>>(),
                pause_recorded: c.pause_recorded,
                owner_observed: c.owner_observed,
            };
            let a = assess(&w, now());
            assert_eq!(
                (a.state, a.message.as_str()),
                (c.state, c.message),
                "case {:?}",
                c.name
            );
        }
    }

    #[test]
    fn counts_and_pod_order() {
        let v = vertex(
            "cat",
            2,
            json!({"replicas": 4}),
            status(2, "h1", "h2", 4, 2, 1),
        );
        let pods = [
            pod("cat", 3, "h1", true),
            pod("cat", 1, "h2", false),
            pod("cat", 2, "h1", true),
            pod("cat", 0, "h2", true),
        ];
        let a = assess(
            &Workload {
                kind: Kind::Vertex,
                object: &v,
                pods: &pods.iter().collect::<Vec<_>>(),
                pause_recorded: false,
                owner_observed: true,
            },
            now(),
        );
        assert_eq!(
            (a.desired, a.updated, a.updated_ready, a.ready, a.old),
            (4, 2, 1, 3, 2)
        );
        let names: Vec<_> = a.pods.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            ["p-cat-0-h2", "p-cat-1-h2", "p-cat-2-h1", "p-cat-3-h1"],
            "update revision first, then by index"
        );
        assert_eq!(a.pipeline.as_deref(), Some("p"));
    }

    #[test]
    fn desired_follows_scale_and_lifecycle() {
        for (spec, want) in [
            (json!({}), 1),
            (json!({"replicas": 5}), 5),
            (json!({"replicas": 5, "scale": {"max": 3}}), 3),
            (json!({"replicas": 0, "scale": {"min": 2}}), 2),
            (json!({"replicas": -3}), 0),
            (json!({"replicas": "7"}), 1),
            (
                json!({"replicas": 5, "lifecycle": {"desiredPhase": "Paused"}}),
                0,
            ),
            (json!({"replicas": 80}), 50),
            (json!({"replicas": 80, "scale": {"disabled": true}}), 80),
            (
                json!({"replicas": 0, "scale": {"disabled": true, "min": 2}}),
                0,
            ),
            (json!({"replicas": 3, "scale": {"min": 5, "max": 2}}), 5),
            (json!({"replicas": 3, "scale": {"min": -1}}), 3),
            (
                json!({"replicas": 2, "partitions": 4, "udf": {"groupBy": {"keyed": true}}}),
                4,
            ),
            (
                json!({"replicas": 2, "partitions": 4, "udf": {"groupBy": {"keyed": false}}}),
                1,
            ),
            (
                json!({"replicas": 2, "udf": {"groupBy": {"keyed": true}}}),
                1,
            ),
            (
                json!({"replicas": 2, "partitions": 4, "udf": {"container": {}}}),
                2,
            ),
            (
                json!({"partitions": 4, "udf": {"groupBy": {"keyed": true}}, "scale": {"max": 3}}),
                3,
            ),
        ] {
            assert_eq!(desired_replicas(&spec), want, "{spec}");
        }
    }
}
