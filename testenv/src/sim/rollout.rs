//! The vertex / monovertex rollout algorithm of NUMAFLOW.md, as pure logic: from an
//! object's spec, status and pods, the pod actions to take and the status to write.
//!
//! Besides the upstream steps it implements the seed design's `maxSurge`: a new-hash
//! pod may be created next to the old pod of the same index, which is deleted only
//! once its new sibling is Ready.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::hash::hash_json;

/// Spec fields that never reach the pod spec, so changing them never starts a rollout.
const UNHASHED_FIELDS: [&str; 4] = ["replicas", "scale", "updateStrategy", "lifecycle"];
/// `maxUnavailable` when the spec does not set it (or sets something unparsable).
const DEFAULT_MAX_UNAVAILABLE: &str = "25%";

/// What the algorithm needs to know about one existing pod.
#[derive(Clone, Debug)]
pub struct PodView {
    /// Pod name.
    pub name: String,
    /// Replica index (the `numaflow.numaproj.io/replica` annotation).
    pub index: u32,
    /// The `numaflow.numaproj.io/hash` annotation.
    pub hash: String,
    /// The pod's Ready condition is True.
    pub ready: bool,
    /// Phase Failed.
    pub failed: bool,
    /// It has a deletionTimestamp: ignored, as if already gone.
    pub terminating: bool,
}

/// One pod change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Create the pod of replica `index` with pod hash `hash`.
    Create {
        /// Replica index.
        index: u32,
        /// Pod spec hash for the annotation.
        hash: String,
    },
    /// Delete this pod (immediately).
    Delete {
        /// Pod name.
        name: String,
    },
}

/// The inputs of one reconcile of one Vertex or MonoVertex.
pub struct Input<'a> {
    /// `metadata.generation`.
    pub generation: i64,
    /// The object's `spec`.
    pub spec: &'a Value,
    /// The object's `status` (`Null` when it has none yet).
    pub status: &'a Value,
    /// The object's pods.
    pub pods: &'a [PodView],
    /// [`pod_hash`] of the spec.
    pub hash: &'a str,
    /// Label selector string of the object's pods, for `status.selector`.
    pub selector: &'a str,
    /// The current time, RFC 3339, for `status.lastScaledAt`.
    pub now: &'a str,
}

/// The outcome of one reconcile.
#[derive(Debug)]
pub struct Plan {
    /// Pod changes, in order.
    pub actions: Vec<Action>,
    /// Status fields to merge into the object's status.
    pub status: Map<String, Value>,
}

/// Hash of the pod-relevant part of a spec: the spec without replicas, scale,
/// update strategy and lifecycle.
pub fn pod_hash(spec: &Value) -> String {
    let mut spec = spec.clone();
    if let Some(map) = spec.as_object_mut() {
        for field in UNHASHED_FIELDS {
            map.remove(field);
        }
    }
    hash_json(&spec)
}

/// Whether `spec.lifecycle.desiredPhase` is `Paused`.
pub fn is_paused(spec: &Value) -> bool {
    spec.pointer("/lifecycle/desiredPhase")
        .and_then(Value::as_str)
        == Some("Paused")
}

/// `spec.replicas` (default 1) clamped to `scale.min..=scale.max`; 0 when paused.
pub fn desired_replicas(spec: &Value) -> u32 {
    if is_paused(spec) {
        return 0;
    }
    clamp_replicas(
        spec,
        spec.get("replicas").and_then(Value::as_i64).unwrap_or(1),
    )
}

/// Clamp a replica count to the spec's `scale.max` (when >= 0) and `scale.min` (when > 0).
pub fn clamp_replicas(spec: &Value, replicas: i64) -> u32 {
    let mut r = replicas;
    if let Some(max) = spec.pointer("/scale/max").and_then(Value::as_i64) {
        if max >= 0 && r > max {
            r = max;
        }
    }
    if let Some(min) = spec.pointer("/scale/min").and_then(Value::as_i64) {
        if min > 0 && r < min {
            r = min;
        }
    }
    u32::try_from(r.max(0)).unwrap_or(u32::MAX)
}

/// An int-or-percent value scaled against `total`, percentages rounded up.
/// `None` when the value is neither an integer nor `"N%"`.
fn scaled(value: &Value, total: u32) -> Option<u32> {
    let n = match value {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => match s.strip_suffix('%') {
            Some(pct) => {
                let pct: i64 = pct.trim().parse().ok()?;
                (pct * i64::from(total) + 99).div_euclid(100)
            }
            None => s.trim().parse().ok()?,
        },
        _ => return None,
    };
    Some(u32::try_from(n.max(0)).unwrap_or(u32::MAX))
}

/// `maxUnavailable` scaled against `desired` (default 25%).
fn max_unavailable(spec: &Value, desired: u32) -> u32 {
    spec.pointer("/updateStrategy/rollingUpdate/maxUnavailable")
        .and_then(|v| scaled(v, desired))
        .unwrap_or_else(|| scaled(&json!(DEFAULT_MAX_UNAVAILABLE), desired).unwrap_or(1))
}

/// `maxSurge` scaled against `desired`; 0 when unset or unparsable.
fn max_surge(spec: &Value, desired: u32) -> u32 {
    spec.pointer("/updateStrategy/rollingUpdate/maxSurge")
        .and_then(|v| scaled(v, desired))
        .unwrap_or(0)
}

/// Mutable state of one planning run: live pods by index and the actions so far.
struct Planner<'a> {
    slots: BTreeMap<u32, Vec<&'a PodView>>,
    actions: Vec<Action>,
    /// Surge pods allowed in total (`maxSurge`).
    surge: u32,
    /// Surge pods still allowed in this run.
    surge_left: u32,
}

impl Planner<'_> {
    fn delete(&mut self, pod: &PodView) {
        self.actions.push(Action::Delete {
            name: pod.name.clone(),
        });
    }

    fn create(&mut self, index: u32, hash: &str) {
        self.actions.push(Action::Create {
            index,
            hash: hash.to_string(),
        });
    }

    /// Make replica `index` run `hash`: keep one healthy new-hash pod (or create one),
    /// delete failed pods and duplicates, and delete old-hash pods unless they are the
    /// surge partner of a new pod that is not Ready yet. Returns whether the index has
    /// a Ready new-hash pod.
    fn ensure(&mut self, index: u32, hash: &str) -> bool {
        let pods = self.slots.get(&index).cloned().unwrap_or_default();
        let (mut new, rest): (Vec<&PodView>, Vec<&PodView>) =
            pods.into_iter().partition(|p| p.hash == hash && !p.failed);
        let (failed, old): (Vec<&PodView>, Vec<&PodView>) =
            rest.into_iter().partition(|p| p.failed);
        for pod in failed {
            self.delete(pod);
        }
        new.sort_by_key(|p| !p.ready);
        match new.split_first() {
            None => {
                if !old.is_empty() && self.surge_left > 0 {
                    self.surge_left -= 1;
                } else {
                    old.iter().for_each(|p| self.delete(p));
                }
                self.create(index, hash);
            }
            Some((kept, duplicates)) => {
                duplicates.iter().for_each(|p| self.delete(p));
                if !kept.ready && !old.is_empty() && self.surge > 0 {
                    self.surge_left = self.surge_left.saturating_sub(1);
                } else {
                    old.iter().for_each(|p| self.delete(p));
                }
            }
        }
        new.first().is_some_and(|p| p.ready)
    }
}

fn status_u32(status: &Value, field: &str) -> u32 {
    status
        .get(field)
        .and_then(Value::as_u64)
        .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
}

fn status_str<'a>(status: &'a Value, field: &str) -> &'a str {
    status.get(field).and_then(Value::as_str).unwrap_or("")
}

/// One reconcile of the rollout algorithm (NUMAFLOW.md steps 1-6).
pub fn plan(input: &Input) -> Plan {
    let spec = input.spec;
    let status = input.status;
    let hash = input.hash;
    let desired = desired_replicas(spec);

    // Step 1: a new pod hash starts (or restarts) a rollout.
    let mut update_hash = status_str(status, "updateHash").to_string();
    let mut current_hash = status_str(status, "currentHash").to_string();
    let mut updated = status_u32(status, "updatedReplicas");
    let mut updated_ready = status_u32(status, "updatedReadyReplicas");
    if update_hash != hash {
        update_hash = hash.to_string();
        updated = 0;
        updated_ready = 0;
    }

    let mut slots: BTreeMap<u32, Vec<&PodView>> = BTreeMap::new();
    for pod in input.pods.iter().filter(|p| !p.terminating) {
        slots.entry(pod.index).or_default().push(pod);
    }
    let surge = max_surge(spec, desired);
    let mut planner = Planner {
        slots,
        actions: Vec::new(),
        surge,
        surge_left: surge,
    };

    // Step 2: pods beyond the desired count go.
    let extra: Vec<&PodView> = planner
        .slots
        .range(desired..)
        .flat_map(|(_, pods)| pods.iter().copied())
        .collect();
    for pod in extra {
        planner.delete(pod);
    }
    updated = updated.min(desired);

    // Step 3: the updated range must be in place and Ready before going on.
    let mut proceed = true;
    if updated > 0 {
        updated_ready = (0..updated).filter(|&i| planner.ensure(i, hash)).count() as u32;
        proceed = updated_ready == updated;
    }

    if proceed {
        if update_hash == current_hash || current_hash.is_empty() {
            // Step 4: first deploy or plain scaling.
            for i in updated..desired {
                planner.ensure(i, hash);
            }
            updated = desired;
            current_hash = update_hash.clone();
        } else if updated < desired {
            // Step 5: replace the next batch.
            let step = (max_unavailable(spec, desired) + surge).min(desired - updated);
            for i in updated..updated + step {
                planner.ensure(i, hash);
            }
            updated += step;
            if updated == desired {
                current_hash = update_hash.clone();
            }
        }
    }

    // Step 6: the rest of the status, counted as if the actions had been applied.
    let deleted: Vec<&str> = planner
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Delete { name } => Some(name.as_str()),
            Action::Create { .. } => None,
        })
        .collect();
    let created = planner.actions.len() - deleted.len();
    let remaining = input
        .pods
        .iter()
        .filter(|p| !p.terminating && !deleted.contains(&p.name.as_str()));
    let (replicas, ready) = remaining.fold((created, 0usize), |(n, r), p| {
        (n + 1, r + usize::from(p.ready))
    });

    let mut out = Map::new();
    out.insert(
        "phase".into(),
        json!(if is_paused(spec) { "Paused" } else { "Running" }),
    );
    out.insert("replicas".into(), json!(replicas));
    out.insert("readyReplicas".into(), json!(ready));
    out.insert("desiredReplicas".into(), json!(desired));
    out.insert("updatedReplicas".into(), json!(updated));
    out.insert("updatedReadyReplicas".into(), json!(updated_ready));
    out.insert("updateHash".into(), json!(update_hash));
    out.insert("currentHash".into(), json!(current_hash));
    out.insert("selector".into(), json!(input.selector));
    out.insert("observedGeneration".into(), json!(input.generation));
    let scaled_now =
        status.get("desiredReplicas").and_then(Value::as_u64) != Some(u64::from(desired));
    if scaled_now || status.get("lastScaledAt").is_none() {
        out.insert("lastScaledAt".into(), json!(input.now));
    }
    Plan {
        actions: planner.actions,
        status: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pod of replica `index` on hash `hash`; `state` is "ready", "starting",
    /// "failed" or "terminating".
    fn pod(index: u32, hash: &str, state: &str) -> PodView {
        PodView {
            name: format!("v-{index}-{hash}-{state}"),
            index,
            hash: hash.into(),
            ready: state == "ready",
            failed: state == "failed",
            terminating: state == "terminating",
        }
    }

    fn ready_pods(n: u32, hash: &str) -> Vec<PodView> {
        (0..n).map(|i| pod(i, hash, "ready")).collect()
    }

    /// A finished rollout of `n` replicas on `hash`.
    fn steady(n: u32, hash: &str) -> Value {
        json!({"updateHash": hash, "currentHash": hash, "updatedReplicas": n,
               "updatedReadyReplicas": n, "desiredReplicas": n, "lastScaledAt": "t0"})
    }

    /// A rollout from `from` to `to` with `updated` replicas done.
    fn rolling(n: u32, from: &str, to: &str, updated: u32) -> Value {
        json!({"updateHash": to, "currentHash": from, "updatedReplicas": updated,
               "updatedReadyReplicas": updated, "desiredReplicas": n, "lastScaledAt": "t0"})
    }

    struct Case {
        name: &'static str,
        spec: Value,
        status: Value,
        pods: Vec<PodView>,
        hash: &'static str,
        /// Expected actions as "create <i> <hash>" / "delete <name>", in order.
        actions: Vec<&'static str>,
        /// Expected status fields (a subset).
        status_out: Value,
    }

    fn render(actions: &[Action]) -> Vec<String> {
        actions
            .iter()
            .map(|a| match a {
                Action::Create { index, hash } => format!("create {index} {hash}"),
                Action::Delete { name } => format!("delete {name}"),
            })
            .collect()
    }

    fn run(case: &Case) -> Plan {
        plan(&Input {
            generation: 7,
            spec: &case.spec,
            status: &case.status,
            pods: &case.pods,
            hash: case.hash,
            selector: "app=x",
            now: "t1",
        })
    }

    fn cases() -> Vec<Case> {
        let mut mid_surge = ready_pods(4, "h1");
        mid_surge.push(pod(0, "h2", "starting"));
        let mut surge_done = ready_pods(4, "h1");
        surge_done.push(pod(0, "h2", "ready"));
        let mut restart = vec![pod(0, "h2", "ready"), pod(1, "h2", "ready")];
        restart.extend([pod(2, "h1", "ready"), pod(3, "h1", "ready")]);
        let mut one_new = vec![pod(0, "h2", "ready")];
        one_new.extend((1..4).map(|i| pod(i, "h1", "ready")));
        let mut one_new_starting = vec![pod(0, "h2", "starting")];
        one_new_starting.extend((1..4).map(|i| pod(i, "h1", "ready")));
        let mut with_failed = ready_pods(4, "h1");
        with_failed[2] = pod(2, "h1", "failed");
        let mut with_terminating = ready_pods(3, "h1");
        with_terminating[1] = pod(1, "h1", "terminating");
        let mut duplicate = ready_pods(2, "h1");
        duplicate.push(PodView {
            name: "dup".into(),
            ..pod(1, "h1", "starting")
        });
        let strategy = |mu: Value, ms: Option<Value>| {
            let mut ru = json!({"maxUnavailable": mu});
            if let Some(ms) = ms {
                ru["maxSurge"] = ms;
            }
            json!({"replicas": 4, "updateStrategy": {"rollingUpdate": ru}})
        };
        vec![
            Case {
                name: "first deploy creates all",
                spec: json!({"replicas": 3}),
                status: Value::Null,
                pods: vec![],
                hash: "h1",
                actions: vec!["create 0 h1", "create 1 h1", "create 2 h1"],
                status_out: json!({"updateHash": "h1", "currentHash": "h1", "updatedReplicas": 3,
                    "updatedReadyReplicas": 0, "desiredReplicas": 3, "replicas": 3, "readyReplicas": 0,
                    "phase": "Running", "observedGeneration": 7, "selector": "app=x", "lastScaledAt": "t1"}),
            },
            Case {
                name: "replicas default to 1",
                spec: json!({}),
                status: Value::Null,
                pods: vec![],
                hash: "h1",
                actions: vec!["create 0 h1"],
                status_out: json!({"desiredReplicas": 1}),
            },
            Case {
                name: "steady state does nothing",
                spec: json!({"replicas": 4}),
                status: steady(4, "h1"),
                pods: ready_pods(4, "h1"),
                hash: "h1",
                actions: vec![],
                status_out: json!({"updatedReplicas": 4, "updatedReadyReplicas": 4, "readyReplicas": 4,
                    "replicas": 4, "currentHash": "h1"}),
            },
            Case {
                name: "4 replicas at the default 25% replace one pod",
                spec: json!({"replicas": 4}),
                status: steady(4, "h1"),
                pods: ready_pods(4, "h1"),
                hash: "h2",
                actions: vec!["delete v-0-h1-ready", "create 0 h2"],
                status_out: json!({"updateHash": "h2", "currentHash": "h1", "updatedReplicas": 1,
                    "updatedReadyReplicas": 0, "replicas": 4, "readyReplicas": 3}),
            },
            Case {
                name: "an unready updated pod stops the rollout",
                spec: json!({"replicas": 4}),
                status: rolling(4, "h1", "h2", 1),
                pods: one_new_starting,
                hash: "h2",
                actions: vec![],
                status_out: json!({"updatedReplicas": 1, "updatedReadyReplicas": 0, "currentHash": "h1"}),
            },
            Case {
                name: "a ready updated pod lets the next one go",
                spec: json!({"replicas": 4}),
                status: rolling(4, "h1", "h2", 1),
                pods: one_new.clone(),
                hash: "h2",
                actions: vec!["delete v-1-h1-ready", "create 1 h2"],
                status_out: json!({"updatedReplicas": 2, "updatedReadyReplicas": 1}),
            },
            Case {
                name: "the last batch sets currentHash",
                spec: json!({"replicas": 2}),
                status: rolling(2, "h1", "h2", 1),
                pods: vec![pod(0, "h2", "ready"), pod(1, "h1", "ready")],
                hash: "h2",
                actions: vec!["delete v-1-h1-ready", "create 1 h2"],
                status_out: json!({"updatedReplicas": 2, "currentHash": "h2", "updateHash": "h2"}),
            },
            Case {
                name: "percentages round up (30% of 4 is 2)",
                spec: strategy(json!("30%"), None),
                status: steady(4, "h1"),
                pods: ready_pods(4, "h1"),
                hash: "h2",
                actions: vec![
                    "delete v-0-h1-ready",
                    "create 0 h2",
                    "delete v-1-h1-ready",
                    "create 1 h2",
                ],
                status_out: json!({"updatedReplicas": 2}),
            },
            Case {
                name: "an integer maxUnavailable",
                spec: strategy(json!(3), None),
                status: steady(4, "h1"),
                pods: ready_pods(4, "h1"),
                hash: "h2",
                actions: vec![
                    "delete v-0-h1-ready",
                    "create 0 h2",
                    "delete v-1-h1-ready",
                    "create 1 h2",
                    "delete v-2-h1-ready",
                    "create 2 h2",
                ],
                status_out: json!({"updatedReplicas": 3}),
            },
            Case {
                name: "maxUnavailable 0 never starts replacing",
                spec: strategy(json!(0), None),
                status: steady(4, "h1"),
                pods: ready_pods(4, "h1"),
                hash: "h2",
                actions: vec![],
                status_out: json!({"updatedReplicas": 0, "updateHash": "h2", "currentHash": "h1"}),
            },
            Case {
                name: "maxUnavailable 0 freezes a rollout in flight",
                spec: strategy(json!(0), None),
                status: rolling(4, "h1", "h2", 1),
                pods: one_new.clone(),
                hash: "h2",
                actions: vec![],
                status_out: json!({"updatedReplicas": 1, "updatedReadyReplicas": 1, "currentHash": "h1"}),
            },
            Case {
                name: "while frozen a scale-up creates nothing",
                spec: json!({"replicas": 6, "updateStrategy": {"rollingUpdate": {"maxUnavailable": "0%"}}}),
                status: rolling(4, "h1", "h2", 1),
                pods: one_new,
                hash: "h2",
                actions: vec![],
                status_out: json!({"updatedReplicas": 1, "desiredReplicas": 6, "replicas": 4, "lastScaledAt": "t1"}),
            },
            Case {
                name: "scale-down deletes the high indexes",
                spec: json!({"replicas": 2}),
                status: steady(4, "h1"),
                pods: ready_pods(4, "h1"),
                hash: "h1",
                actions: vec!["delete v-2-h1-ready", "delete v-3-h1-ready"],
                status_out: json!({"replicas": 2, "readyReplicas": 2, "desiredReplicas": 2,
                    "updatedReplicas": 2, "lastScaledAt": "t1"}),
            },
            Case {
                name: "scale-up creates the new indexes",
                spec: json!({"replicas": 3}),
                status: steady(2, "h1"),
                pods: ready_pods(2, "h1"),
                hash: "h1",
                actions: vec!["create 2 h1"],
                status_out: json!({"replicas": 3, "updatedReplicas": 3}),
            },
            Case {
                name: "scale bounds clamp replicas",
                spec: json!({"replicas": 9, "scale": {"min": 1, "max": 2}}),
                status: steady(2, "h1"),
                pods: ready_pods(2, "h1"),
                hash: "h1",
                actions: vec![],
                status_out: json!({"desiredReplicas": 2}),
            },
            Case {
                name: "a hash change mid-rollout restarts it",
                spec: json!({"replicas": 4}),
                status: rolling(4, "h1", "h2", 2),
                pods: restart,
                hash: "h3",
                actions: vec!["delete v-0-h2-ready", "create 0 h3"],
                status_out: json!({"updateHash": "h3", "currentHash": "h1", "updatedReplicas": 1,
                    "updatedReadyReplicas": 0}),
            },
            Case {
                name: "a failed pod is replaced",
                spec: json!({"replicas": 4}),
                status: steady(4, "h1"),
                pods: with_failed,
                hash: "h1",
                actions: vec!["delete v-2-h1-failed", "create 2 h1"],
                status_out: json!({"updatedReplicas": 4, "updatedReadyReplicas": 3, "replicas": 4,
                    "readyReplicas": 3}),
            },
            Case {
                name: "a terminating pod is ignored and its index refilled",
                spec: json!({"replicas": 3}),
                status: steady(3, "h1"),
                pods: with_terminating,
                hash: "h1",
                actions: vec!["create 1 h1"],
                status_out: json!({"replicas": 3, "readyReplicas": 2, "updatedReadyReplicas": 2}),
            },
            Case {
                name: "a duplicate of an index is deleted",
                spec: json!({"replicas": 2}),
                status: steady(2, "h1"),
                pods: duplicate,
                hash: "h1",
                actions: vec!["delete dup"],
                status_out: json!({"replicas": 2}),
            },
            Case {
                name: "maxSurge creates the new pod next to the old one",
                spec: strategy(json!(0), Some(json!(1))),
                status: steady(4, "h1"),
                pods: ready_pods(4, "h1"),
                hash: "h2",
                actions: vec!["create 0 h2"],
                status_out: json!({"updatedReplicas": 1, "replicas": 5, "readyReplicas": 4}),
            },
            Case {
                name: "a surge pair waits for the new pod",
                spec: strategy(json!(0), Some(json!(1))),
                status: rolling(4, "h1", "h2", 1),
                pods: mid_surge,
                hash: "h2",
                actions: vec![],
                status_out: json!({"updatedReplicas": 1, "updatedReadyReplicas": 0, "replicas": 5}),
            },
            Case {
                name: "a ready surge pod retires its old sibling and the next pair starts",
                spec: strategy(json!(0), Some(json!(1))),
                status: rolling(4, "h1", "h2", 1),
                pods: surge_done,
                hash: "h2",
                actions: vec!["delete v-0-h1-ready", "create 1 h2"],
                status_out: json!({"updatedReplicas": 2, "updatedReadyReplicas": 1, "replicas": 5}),
            },
            Case {
                name: "maxSurge plus maxUnavailable: one pair and one replacement",
                spec: strategy(json!(1), Some(json!("25%"))),
                status: steady(4, "h1"),
                pods: ready_pods(4, "h1"),
                hash: "h2",
                actions: vec!["create 0 h2", "delete v-1-h1-ready", "create 1 h2"],
                status_out: json!({"updatedReplicas": 2, "replicas": 5, "readyReplicas": 3}),
            },
            Case {
                name: "changing the strategy alone does not move pods",
                spec: strategy(json!("50%"), Some(json!(2))),
                status: steady(4, "h1"),
                pods: ready_pods(4, "h1"),
                hash: "h1",
                actions: vec![],
                status_out: json!({"updatedReplicas": 4}),
            },
            Case {
                name: "a paused lifecycle means desired 0",
                spec: json!({"replicas": 2, "lifecycle": {"desiredPhase": "Paused"}}),
                status: steady(2, "h1"),
                pods: ready_pods(2, "h1"),
                hash: "h1",
                actions: vec!["delete v-0-h1-ready", "delete v-1-h1-ready"],
                status_out: json!({"phase": "Paused", "desiredReplicas": 0, "replicas": 0,
                    "updatedReplicas": 0}),
            },
        ]
    }

    #[test]
    fn table() {
        for case in cases() {
            let plan = run(&case);
            assert_eq!(
                render(&plan.actions),
                case.actions,
                "actions of case {:?}",
                case.name
            );
            for (field, want) in case.status_out.as_object().unwrap() {
                assert_eq!(
                    plan.status.get(field),
                    Some(want),
                    "status.{field} of case {:?}: {:?}",
                    case.name,
                    plan.status
                );
            }
        }
    }

    #[test]
    fn last_scaled_at_only_moves_with_desired() {
        let case = &cases()[2];
        assert_eq!(case.name, "steady state does nothing");
        assert!(run(case).status.get("lastScaledAt").is_none());
    }

    #[test]
    fn a_four_replica_rollout_replaces_one_pod_at_a_time() {
        let spec = json!({"replicas": 4});
        let mut status = Value::Object(steady(4, "h1").as_object().unwrap().clone());
        let mut pods = ready_pods(4, "h1");
        let mut rounds = 0;
        loop {
            let plan = plan(&Input {
                generation: 1,
                spec: &spec,
                status: &status,
                pods: &pods,
                hash: "h2",
                selector: "",
                now: "t",
            });
            let deleted = plan
                .actions
                .iter()
                .filter(|a| matches!(a, Action::Delete { .. }))
                .count();
            assert!(
                deleted <= 1,
                "more than one pod down at once: {:?}",
                plan.actions
            );
            for action in &plan.actions {
                match action {
                    Action::Delete { name } => pods.retain(|p| &p.name != name),
                    // New pods come up Ready before the next reconcile.
                    Action::Create { index, hash } => pods.push(pod(*index, hash, "ready")),
                }
            }
            for (k, v) in plan.status {
                status[k] = v;
            }
            rounds += 1;
            if status["currentHash"] == "h2" && status["updatedReadyReplicas"] == 4 {
                break;
            }
            assert!(rounds < 20, "rollout did not finish: {status}");
        }
        assert!(pods.iter().all(|p| p.hash == "h2") && pods.len() == 4);
        assert_eq!(status["updatedReplicas"], 4);
    }

    #[test]
    fn pod_hash_ignores_scaling_and_strategy() {
        let a = json!({"udf": {"container": {"image": "a"}}, "replicas": 1});
        let b = json!({"udf": {"container": {"image": "a"}}, "replicas": 5, "scale": {"max": 9},
            "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}},
            "lifecycle": {"desiredPhase": "Paused"}});
        let c = json!({"udf": {"container": {"image": "b"}}});
        assert_eq!(pod_hash(&a), pod_hash(&b));
        assert_ne!(pod_hash(&a), pod_hash(&c));
    }

    #[test]
    fn scaling_values() {
        assert_eq!(scaled(&json!("25%"), 4), Some(1));
        assert_eq!(scaled(&json!("25%"), 1), Some(1));
        assert_eq!(scaled(&json!("25%"), 0), Some(0));
        assert_eq!(scaled(&json!("34%"), 3), Some(2));
        assert_eq!(scaled(&json!(2), 10), Some(2));
        assert_eq!(scaled(&json!("x"), 10), None);
        assert_eq!(max_unavailable(&json!({}), 10), 3);
        assert_eq!(max_surge(&json!({}), 10), 0);
    }
}
