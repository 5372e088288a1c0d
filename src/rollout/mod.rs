//! Rollout logic with no I/O: what each kind answers about its names and pods
//! ([`kinds`]), status conditions ([`condition`]), who re-applies a spec ([`manager`]), strategy values, pod readings, the
//! state of one workload ([`assess`]) and of a whole target ([`report`]); the plans of the write commands
//! over the owner object ([`pause`], [`image`], [`undo`], sharing [`edit`] and [`diff`]) and
//! the batches of a restart ([`restart`]); the bake after a rollout ([`bake`]); the
//! decisions of a wait for rollouts ([`wait`]) and its quiet-watch line ([`watchdog`]); the owners writes go to ([`owner`]) and
//! `--dry-run` ([`dry_run`]).

pub mod assess;
pub mod bake;
pub mod condition;
pub mod diff;
pub mod dry_run;
pub mod duration;
pub mod edit;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod image;
pub mod kinds;
pub mod manager;
pub mod owner;
pub mod pause;
pub mod pod_view;
pub mod pods;
pub mod report;
pub mod restart;
pub mod revision;
pub mod step;
pub mod strategy;
pub mod undo;
pub mod wait;
pub mod watchdog;

use std::fmt;

/// Label on Vertex objects and their pods: the pipeline name.
pub const PIPELINE_LABEL: &str = "numaflow.numaproj.io/pipeline-name";
/// Label on Vertex objects and their pods: the short vertex name.
pub const VERTEX_LABEL: &str = "numaflow.numaproj.io/vertex-name";
/// Label on MonoVertex pods, and on the pods of the MonoVertex's daemon Deployment too.
pub const MONO_VERTEX_LABEL: &str = "numaflow.numaproj.io/mono-vertex-name";
/// Standard component label: `vertex`, `mono-vertex`, or a helper's (`daemon`,
/// `mono-vertex-daemon`, `side-inputs-manager`, `job`).
pub const COMPONENT_LABEL: &str = "app.kubernetes.io/component";
/// The component of the pods a MonoVertex controller manages (its daemon's pods carry
/// the same name label with component `mono-vertex-daemon`).
pub const MONO_VERTEX_COMPONENT: &str = "mono-vertex";

/// Where a rollout stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum State {
    /// Every replica runs the update revision and is ready; the controller agrees.
    Complete,
    /// Moving, or waiting for the controller to act.
    Progressing,
    /// Held by a zero step (`kubectl numa rollout pause`, or `maxUnavailable: 0`).
    Paused,
    /// New pods are failing, the object reports `Failed`, or progress stalled.
    Degraded,
}

impl State {
    /// True when waiting longer cannot change the verdict by itself.
    pub fn is_final(self) -> bool {
        !matches!(self, State::Progressing)
    }

    /// Combines the states of a pipeline's vertices: any degraded vertex fails the
    /// pipeline; otherwise it is progressing while any vertex is; then paused.
    pub fn combine(self, other: State) -> State {
        use State::*;
        match (self, other) {
            (Degraded, _) | (_, Degraded) => Degraded,
            (Progressing, _) | (_, Progressing) => Progressing,
            (Paused, _) | (_, Paused) => Paused,
            _ => Complete,
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::Complete => "Complete",
            State::Progressing => "Progressing",
            State::Paused => "Paused",
            State::Degraded => "Degraded",
        })
    }
}
