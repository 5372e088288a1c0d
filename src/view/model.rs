//! The display model: what every rendering of a rollout shows, in one serialisable
//! form built from the reports of [`crate::rollout::report`]. `-o json` is this model
//! serialised (its keys sorted, as the README documents them); the tree of `get`, the
//! table of `list`, the live view and the plain progress lines read the same fields.
//! A field only a terminal view needs is kept out of the JSON with `#[serde(skip)]`.

use k8s_openapi::jiff::Timestamp;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::rollout::assess::Assessment;
use crate::rollout::bake::{BakeFailure, BakeResult, BakeStatus};
use crate::rollout::condition::Condition;
use crate::rollout::duration::humanize;
use crate::rollout::manager::Manager;
use crate::rollout::pods::PodInfo;
use crate::rollout::report::Report;
use crate::rollout::strategy::{Field, StrategyType};
use crate::rollout::State;
use crate::target::Kind;

/// One target: its state and every workload in it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    /// The target's kind (`Vertex`, `MonoVertex`, `Pipeline` in JSON).
    #[serde(serialize_with = "api_kind")]
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// Its namespace.
    pub namespace: String,
    /// The combined state.
    pub state: State,
    /// One line for the whole target.
    pub message: String,
    /// Who re-applies the spec of its owner.
    pub managed_by: Option<Manager>,
    /// Numaplane's upgrade state of that owner.
    pub upgrade_state: Option<String>,
    /// The bake (`--bake`), while or once there is one.
    pub bake: Option<Bake>,
    /// The controller's conditions on the daemon and side-input manager Deployments
    /// of a pipeline or monovertex (empty for a vertex).
    pub daemons: Vec<Condition>,
    /// One entry per vertex (or the monovertex), in pipeline order.
    pub workloads: Vec<Workload>,
}

impl Target {
    /// The model of `r`; with `pods`, every pod of every workload too.
    pub fn of(r: &Report, pods: bool) -> Target {
        Target {
            kind: r.kind,
            name: r.name.clone(),
            namespace: r.namespace.clone(),
            state: r.state,
            message: r.message.clone(),
            managed_by: r.managed_by.as_deref().cloned(),
            upgrade_state: r.upgrade_state.clone(),
            bake: r.bake.as_deref().map(Bake::of),
            daemons: r.helpers.clone(),
            workloads: r.workloads.iter().map(|w| Workload::of(w, pods)).collect(),
        }
    }

    /// The models of `reports`.
    pub fn all(reports: &[Report], pods: bool) -> Vec<Target> {
        reports.iter().map(|r| Target::of(r, pods)).collect()
    }
}

/// The bake of a target (`--bake`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bake {
    /// How long the bake lasts (`5m`).
    pub duration: String,
    /// The same, in seconds.
    pub duration_seconds: u64,
    /// How long it has baked.
    pub baked: String,
    /// The same, in seconds.
    pub baked_seconds: u64,
    /// Baking, passed or failed.
    pub result: BakeResult,
    /// New pods ready and not restarted.
    pub healthy_pods: u32,
    /// What failed it.
    pub failing_pod: Option<BakeFailure>,
}

impl Bake {
    fn of(b: &BakeStatus) -> Bake {
        Bake {
            duration: humanize(b.duration),
            duration_seconds: b.duration.as_secs(),
            baked: humanize(b.baked),
            baked_seconds: b.baked.as_secs(),
            result: b.result,
            healthy_pods: b.healthy_pods,
            failing_pod: b.failure.clone(),
        }
    }
}

/// One vertex or monovertex.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Workload {
    /// `Vertex` or `MonoVertex` in JSON.
    #[serde(serialize_with = "api_kind")]
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// Its namespace.
    pub namespace: String,
    /// The pipeline of a vertex.
    pub pipeline: Option<String>,
    /// Its state.
    pub state: State,
    /// The lifecycle phase asked for, when it pauses the workload.
    pub lifecycle: Option<String>,
    /// One line.
    pub message: String,
    /// The controller's `PodsHealthy` condition.
    pub pods_healthy: Option<Condition>,
    /// Who re-applies its spec.
    pub managed_by: Option<Manager>,
    /// Numaplane's upgrade state.
    pub upgrade_state: Option<String>,
    /// The revision most pods run.
    pub current_hash: Option<String>,
    /// The revision being rolled out.
    pub update_hash: Option<String>,
    /// Desired replicas.
    pub desired: u32,
    /// Replicas on the update revision.
    pub updated: u32,
    /// Of those, ready.
    pub updated_ready: u32,
    /// Ready replicas of any revision.
    pub ready: u32,
    /// Replicas of older revisions.
    pub old: u32,
    /// The strategy and its step.
    pub strategy: Strategy,
    /// New pods that fail.
    pub failing_pods: Vec<FailingPod>,
    /// Every pod (`get -o json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pods: Option<Vec<Pod>>,
}

impl Workload {
    /// The model of `a`; with `pods`, its pods too.
    pub fn of(a: &Assessment, pods: bool) -> Workload {
        Workload {
            kind: a.kind,
            name: a.name.clone(),
            namespace: a.namespace.clone(),
            pipeline: a.pipeline.clone(),
            state: a.state,
            lifecycle: a.lifecycle.clone(),
            message: a.message.clone(),
            pods_healthy: a.pods_healthy.clone(),
            managed_by: a.managed_by.clone(),
            upgrade_state: a.upgrade_state.clone(),
            current_hash: a.current_hash.clone(),
            update_hash: a.update_hash.clone(),
            desired: a.desired,
            updated: a.updated,
            updated_ready: a.updated_ready,
            ready: a.ready,
            old: a.old,
            strategy: Strategy::of(a),
            failing_pods: a
                .failures
                .iter()
                .map(|(pod, f)| FailingPod {
                    pod: pod.clone(),
                    container: f.container.clone(),
                    reason: f.reason.clone(),
                    message: f.message.clone(),
                })
                .collect(),
            pods: pods.then(|| a.pods.iter().map(Pod::of).collect()),
        }
    }
}

/// The rolling-update strategy of a workload, as stored and as applied.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Strategy {
    /// `RollingUpdate`, or the invalid value stored.
    #[serde(rename = "type")]
    pub kind: Value,
    /// As stored (null when not set; the invalid value as it is).
    pub max_unavailable: Value,
    /// As stored.
    pub max_surge: Value,
    /// What the controller applies (null when invalid).
    pub effective_max_unavailable: Option<Value>,
    /// Pods replaced per step now.
    pub step: Option<u32>,
    /// The same for a terminal.
    #[serde(skip)]
    pub text: StrategyText,
}

/// A strategy's values as a terminal shows them.
#[derive(Debug, Clone, Default)]
pub struct StrategyText {
    /// maxUnavailable as stored (`None` when not set, `invalid X` when invalid).
    pub max_unavailable: Option<String>,
    /// maxSurge the same way.
    pub max_surge: Option<String>,
    /// The maxUnavailable applied, or `invalid`.
    pub effective: String,
}

impl Strategy {
    fn of(a: &Assessment) -> Strategy {
        let s = &a.strategy;
        let effective = s.effective_max_unavailable();
        Strategy {
            kind: match &s.kind {
                StrategyType::Named(t) => Value::String(t.clone()),
                StrategyType::Invalid(v) => v.clone(),
            },
            max_unavailable: json_of(&s.max_unavailable),
            max_surge: json_of(&s.max_surge),
            effective_max_unavailable: effective.map(|m| m.to_json()),
            step: a.step,
            text: StrategyText {
                max_unavailable: text_of(&s.max_unavailable),
                max_surge: text_of(&s.max_surge),
                effective: effective.map_or("invalid".into(), |m| m.to_string()),
            },
        }
    }
}

fn json_of(f: &Field) -> Value {
    match f {
        Field::Absent => Value::Null,
        Field::Set(v) => v.to_json(),
        Field::Invalid(v) => v.clone(),
    }
}

fn text_of(f: &Field) -> Option<String> {
    match f {
        Field::Absent => None,
        Field::Set(v) => Some(v.to_string()),
        Field::Invalid(v) => Some(format!("invalid {v}")),
    }
}

/// A new pod that fails.
#[derive(Debug, Clone, Serialize)]
pub struct FailingPod {
    /// The pod's name.
    pub pod: String,
    /// The failing container.
    pub container: Option<String>,
    /// `CrashLoopBackOff`, `ImagePullBackOff`, ...
    pub reason: String,
    /// The kubelet's message, with the last termination.
    pub message: String,
}

/// One pod of a workload.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pod {
    /// Its name.
    pub name: String,
    /// Its replica index.
    pub index: Option<u32>,
    /// The revision it runs.
    pub hash: Option<String>,
    /// Ready.
    pub ready: bool,
    /// Being deleted.
    pub terminating: bool,
    /// Its phase or the reason it is not ready.
    pub reason: String,
    /// Container restarts.
    pub restarts: i32,
    /// When it was created (RFC 3339 in JSON).
    #[serde(serialize_with = "rfc3339")]
    pub created: Option<Timestamp>,
    /// Failed or Succeeded: the kubelet's leftover, not a replica (a boolean in JSON;
    /// the reason on a terminal).
    #[serde(serialize_with = "present")]
    pub left_behind: Option<String>,
    /// Whether it counts as failing.
    #[serde(skip)]
    pub failing: bool,
}

impl Pod {
    fn of(p: &PodInfo) -> Pod {
        Pod {
            name: p.name.clone(),
            index: p.index,
            hash: p.hash.as_deref().map(str::to_string),
            ready: p.ready,
            terminating: p.terminating,
            reason: p.reason.to_string(),
            restarts: p.restarts,
            created: p.created,
            left_behind: p.left_behind.clone(),
            failing: p.failure.is_some(),
        }
    }
}

fn api_kind<S: Serializer>(kind: &Kind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.api_kind())
}

fn rfc3339<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&t.to_string()),
        None => s.serialize_none(),
    }
}

fn present<S: Serializer>(v: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bool(v.is_some())
}
