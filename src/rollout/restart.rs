//! `rollout restart`, with no I/O: whether a workload may be restarted, how many pods
//! go at a time, and whether the replacements of a batch are Ready.
//!
//! A restart deletes pods (gracefully) and lets the controller recreate each index
//! from the current spec. During an update the controller recreates a deleted old pod
//! only when its batch comes, so a restart refuses to run while a rollout is in
//! progress or paused unless forced.

use super::assess::Assessment;
use super::pods::PodFailure;
use super::strategy::{IntOrPercent, Strategy, DEFAULT_MAX_UNAVAILABLE};
use super::State;
use crate::target::Kind;

/// Pods deleted per batch: `maxUnavailable` scaled against the desired replicas
/// (percentages round up), at least 1; 1 when the value is invalid.
pub fn batch_size(strategy: &Strategy, desired: u32) -> u32 {
    match strategy.effective_max_unavailable() {
        Some(v) => v.scaled(desired).max(1),
        None => 1,
    }
}

/// The default batch when nothing is known (25% of the replicas, at least 1).
pub fn default_batch(desired: u32) -> u32 {
    IntOrPercent::scaled(DEFAULT_MAX_UNAVAILABLE, desired).max(1)
}

/// Why a workload must not be restarted now (`None`: it may be). `target` is how the
/// user named it (`vertex/p-cat`), for the commands the message suggests. A zero
/// step (paused by the plugin or by the spec) counts as paused once nothing else is
/// moving; a change the controller has not acted on yet is a rollout in progress,
/// whatever the old strategy in the workload still says.
pub fn refusal(a: &Assessment, target: &str) -> Option<String> {
    let label = a.label();
    match a.state {
        State::Progressing => Some(format!(
            "{label} has a rollout in progress ({}); wait for it with `kubectl numa rollout status {target}`, or restart anyway with --force",
            a.message
        )),
        State::Degraded => Some(format!(
            "{label} has a failing rollout ({}); fix it first, or restart anyway with --force",
            a.message
        )),
        // A workload that wants no pods has a zero step by arithmetic, not by a pause.
        State::Paused | State::Complete
            if a.state == State::Paused || (a.step == Some(0) && a.desired > 0) =>
        {
            Some(format!(
                "{label} is paused; resume it first with `kubectl numa rollout resume {target}`, or restart anyway with --force"
            ))
        }
        State::Paused | State::Complete => None,
    }
}

/// A pod the restart replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodRef {
    /// Pod name.
    pub name: String,
    /// Replica index.
    pub index: Option<u32>,
}

/// The pods to replace, in index order: every pod that is not already terminating.
pub fn originals(a: &Assessment) -> Vec<PodRef> {
    let mut pods: Vec<PodRef> = a
        .pods
        .iter()
        .filter(|p| !p.terminating)
        .map(|p| PodRef {
            name: p.name.clone(),
            index: p.index,
        })
        .collect();
    pods.sort_by(|x, y| (x.index, &x.name).cmp(&(y.index, &y.name)));
    pods
}

/// Where the batch in flight stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Batch {
    /// Replacements are not all Ready yet.
    Waiting {
        /// Deleted pods whose replacement is Ready.
        ready: u32,
        /// Pods in the batch.
        of: u32,
    },
    /// Every deleted pod has a Ready replacement (or its index is no longer wanted).
    Done,
    /// A replacement is failing.
    Failed(String, PodFailure),
    /// A rollout started (the update revision changed) while restarting.
    RolloutStarted,
}

/// The state of `batch` (deleted pods) given the workload now. `originals` are every
/// pod the restart started with; `update_hash` the update revision at the start.
pub fn batch_state(
    batch: &[PodRef],
    originals: &[PodRef],
    a: &Assessment,
    update_hash: Option<&str>,
) -> Batch {
    if update_hash.is_some() && a.update_hash.as_deref() != update_hash {
        return Batch::RolloutStarted;
    }
    let fresh = |name: &str| !originals.iter().any(|o| o.name == name);
    if let Some(p) = a
        .pods
        .iter()
        .find(|p| fresh(&p.name) && p.failure.is_some())
    {
        return Batch::Failed(p.name.clone(), *p.failure.clone().expect("checked"));
    }
    let replaced = |r: &PodRef| match r.index {
        Some(i) if i >= a.desired => true,
        Some(i) => a
            .pods
            .iter()
            .any(|p| p.index == Some(i) && fresh(&p.name) && p.ready && !p.terminating),
        None => !a.pods.iter().any(|p| p.name == r.name),
    };
    let ready = batch.iter().filter(|r| replaced(r)).count() as u32;
    if ready == batch.len() as u32 {
        Batch::Done
    } else {
        Batch::Waiting {
            ready,
            of: batch.len() as u32,
        }
    }
}

/// How one workload's restart ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// Every pod was replaced.
    Done,
    /// SIGINT stopped it after the batch in flight.
    Interrupted,
    /// SIGINT came before it started.
    NotStarted,
}

/// How far the restart of one workload got.
#[derive(Debug, Clone)]
pub struct Tally {
    /// `vertex/p-cat` or `monovertex/m`.
    pub label: String,
    /// Its kind.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// The target it belongs to (index into the targets).
    pub target: usize,
    /// Pods it had when the restart started.
    pub total: usize,
    /// Pods replaced.
    pub replaced: usize,
    /// The pods not restarted.
    pub left: Vec<String>,
    /// How it ended.
    pub end: End,
}

impl End {
    /// The `-o json` word: restarted, interrupted or not started.
    pub fn word(&self) -> &'static str {
        match self {
            End::Done => "restarted",
            End::Interrupted => "interrupted",
            End::NotStarted => "not started",
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::rollout::assess::{assess, Workload};
    use crate::rollout::fixtures::*;
    use crate::target::Kind;

    fn assessment(
        spec: serde_json::Value,
        pods: Vec<crate::rollout::pod_view::PodView>,
        st: serde_json::Value,
    ) -> Assessment {
        assessment_as_seen(spec, pods, st, true)
    }

    /// With `owner_observed` false: the Pipeline changed and its controller has not
    /// copied the change to the Vertex yet.
    fn assessment_as_seen(
        spec: serde_json::Value,
        pods: Vec<crate::rollout::pod_view::PodView>,
        st: serde_json::Value,
        owner_observed: bool,
    ) -> Assessment {
        let v = vertex("cat", 1, spec, st);
        assess(
            &Workload {
                kind: Kind::Vertex,
                object: &v,
                pods: &pods.iter().collect::<Vec<_>>(),
                pause_recorded: false,
                owner_observed,
            },
            now(),
        )
    }

    fn steady(n: u32) -> Assessment {
        assessment(
            json!({"replicas": n}),
            (0..n).map(|i| pod("cat", i, "h1", true)).collect(),
            status(1, "h1", "h1", i64::from(n), i64::from(n), i64::from(n)),
        )
    }

    #[test]
    fn batches_follow_max_unavailable() {
        for (spec, desired, want) in [
            (json!({}), 4, 1),
            (json!({}), 10, 3),
            (json!({}), 0, 1),
            (
                json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": 2}}}),
                4,
                2,
            ),
            (
                json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": "50%"}}}),
                5,
                3,
            ),
            (
                json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}}),
                4,
                1,
            ),
            (
                json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": "2"}}}),
                4,
                1,
            ),
            (
                json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": 9}}}),
                4,
                9,
            ),
        ] {
            assert_eq!(
                batch_size(&Strategy::from_spec(&spec), desired),
                want,
                "{spec} of {desired}"
            );
        }
        assert_eq!(default_batch(8), 2);
    }

    #[test]
    fn refusals() {
        assert_eq!(refusal(&steady(2), "vertex/p-cat"), None);
        let rolling = assessment(
            json!({"replicas": 2}),
            vec![pod("cat", 0, "h2", true), pod("cat", 1, "h1", true)],
            status(1, "h1", "h2", 2, 1, 1),
        );
        assert_eq!(
            refusal(&rolling, "pipeline/p").unwrap(),
            "vertex \"p-cat\" has a rollout in progress (Waiting for vertex \"p-cat\" rollout to finish: 1 out of 2 new replicas have been updated...); wait for it with `kubectl numa rollout status pipeline/p`, or restart anyway with --force"
        );
        let held = assessment(
            json!({"replicas": 2, "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}}),
            (0..2).map(|i| pod("cat", i, "h1", true)).collect(),
            status(1, "h1", "h1", 2, 2, 2),
        );
        assert_eq!(
            refusal(&held, "vertex/p-cat").unwrap(),
            "vertex \"p-cat\" is paused; resume it first with `kubectl numa rollout resume vertex/p-cat`, or restart anyway with --force"
        );
        // Idle at scale 0..0: complete, nothing to restart, and not paused either.
        let idle = assessment(
            json!({"scale": {"min": 0, "max": 0}}),
            vec![],
            json!({"observedGeneration": 1, "currentHash": "h1", "updateHash": "h1",
                   "desiredReplicas": 0, "replicas": 0, "phase": "Running"}),
        );
        assert_eq!(idle.state, State::Complete, "{}", idle.message);
        assert_eq!(refusal(&idle, "vertex/p-cat"), None);
        // Resumed in the Pipeline, not yet copied to the Vertex by its controller.
        let unobserved = assessment_as_seen(
            json!({"replicas": 2, "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}}),
            (0..2).map(|i| pod("cat", i, "h1", true)).collect(),
            status(1, "h1", "h1", 2, 2, 2),
            false,
        );
        assert!(
            refusal(&unobserved, "vertex/p-cat")
                .unwrap()
                .contains("has a rollout in progress (Waiting for vertex \"p-cat\" spec update"),
            "a resumed vertex whose controller lags is not called paused"
        );
        let failing = assessment(
            json!({"replicas": 2}),
            vec![
                waiting_pod("cat", 0, "h2", "CrashLoopBackOff"),
                pod("cat", 1, "h1", true),
            ],
            status(1, "h1", "h2", 2, 1, 0),
        );
        assert!(refusal(&failing, "vertex/p-cat")
            .unwrap()
            .contains("has a failing rollout"));
    }

    #[test]
    fn batch_progress() {
        let start = steady(3);
        let orig = originals(&start);
        assert_eq!(
            orig.iter().map(|p| p.index).collect::<Vec<_>>(),
            [Some(0), Some(1), Some(2)]
        );
        let batch = &orig[..2];
        let with = |pods: Vec<crate::rollout::pod_view::PodView>| {
            assessment(json!({"replicas": 3}), pods, status(1, "h1", "h1", 3, 3, 3))
        };
        let renamed = |i: u32, ready: bool| {
            let mut p = pod("cat", i, "h1", ready);
            p.name = format!("p-cat-{i}-new");
            p
        };
        // Deleted pods still terminating, replacements starting.
        let now = with(vec![
            terminating(pod("cat", 0, "h1", true)),
            renamed(0, false),
            terminating(pod("cat", 1, "h1", true)),
            renamed(1, true),
            pod("cat", 2, "h1", true),
        ]);
        assert_eq!(
            batch_state(batch, &orig, &now, Some("h1")),
            Batch::Waiting { ready: 1, of: 2 }
        );
        let now = with(vec![
            renamed(0, true),
            renamed(1, true),
            pod("cat", 2, "h1", true),
        ]);
        assert_eq!(batch_state(batch, &orig, &now, Some("h1")), Batch::Done);
        // The old pod being Ready does not count: it is not a replacement.
        let now = with(vec![
            pod("cat", 0, "h1", true),
            renamed(1, true),
            pod("cat", 2, "h1", true),
        ]);
        assert_eq!(
            batch_state(batch, &orig, &now, Some("h1")),
            Batch::Waiting { ready: 1, of: 2 }
        );
        // A new revision appears: stop.
        assert_eq!(
            batch_state(batch, &orig, &now, Some("h0")),
            Batch::RolloutStarted
        );
        // A failing replacement: stop with its reason.
        let mut bad = waiting_pod("cat", 0, "h1", "CrashLoopBackOff");
        bad.name = "p-cat-0-new".into();
        let now = with(vec![bad, renamed(1, true), pod("cat", 2, "h1", true)]);
        match batch_state(batch, &orig, &now, Some("h1")) {
            Batch::Failed(pod, f) => assert_eq!(
                (pod.as_str(), f.reason.as_str()),
                ("p-cat-0-new", "CrashLoopBackOff")
            ),
            other => panic!("{other:?}"),
        }
    }
}
