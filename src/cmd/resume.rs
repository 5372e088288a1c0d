//! `kubectl numa rollout resume`: let paused rollouts continue.

use anyhow::Result;
use clap::Args;

use super::write_errors;
use crate::cli::KubeArgs;
use crate::exit::Exit;
use crate::flags::{TargetFlags, WriteFlags};
use crate::flow;
use crate::rollout::step;

/// The long description of the command (`--help`).
pub const LONG_ABOUT: &str = "\
Let the rollout of each paused target continue.

Restores exactly the strategy values `rollout pause` recorded (a value that was not
set is removed again) and removes the pause record. A rollout that was frozen
continues from where it stopped; one that was held at zero starts.

A target that is not paused is left alone. A target whose zero step someone else
replaced since the pause keeps their values; only the stale record is removed. A
zero maxUnavailable written by someone else is not a pause: change it with
`kubectl numa rollout set strategy`.

A `rollout step` left unfinished (its process killed) is cleared first (its
kubectl-numa.io/step record is removed), then the recorded values are restored.";

const HELP: &str = concat!(
    "\
Examples:
  # Continue one vertex, or every vertex of a pipeline
  kubectl numa rollout resume vertex/my-pipeline-cat
  kubectl numa rollout resume pipeline/my-pipeline

  # Then wait for the rollout to finish
  kubectl numa rollout resume mvtx/my-mvtx && kubectl numa rollout status mvtx/my-mvtx

Exit codes:
  0  resumed, also when not paused
",
    write_errors!()
);

/// Flags of `rollout resume`.
#[derive(Debug, Args)]
#[command(after_help = HELP)]
pub struct ResumeArgs {
    /// What to resume.
    #[command(flatten)]
    pub targets: TargetFlags,
    /// Dry run, force and output flags.
    #[command(flatten)]
    pub write: WriteFlags,
}

/// Runs `rollout resume`.
pub async fn run(kube_args: &KubeArgs, args: &ResumeArgs) -> Result<Exit> {
    flow::patch::run(
        kube_args.into(),
        "resume",
        &args.targets.selection()?,
        &args.write,
        &step::resume,
        false,
    )
    .await
}
