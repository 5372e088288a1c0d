//! `kubectl numa rollout promote`: resume a paused rollout and wait until it completes.

use anyhow::Result;
use clap::Args;

use crate::api;
use crate::cli::KubeArgs;
use crate::exit::Exit;
use crate::flags::{TargetFlags, WaitFlags, WriteFlags};
use crate::flow;
use crate::rollout::step;

/// The long description of the command (`--help`).
pub const LONG_ABOUT: &str = "\
Promote a paused (or stepped) rollout: resume it and wait until it is complete.

The resume is exactly `rollout resume` (the strategy values recorded by `rollout
pause` are restored, and an unfinished `rollout step` is cleared); the wait is
exactly `rollout status`, with its failure detection and exit codes.";

const HELP: &str = "\
Examples:
  # Canary: hold, ship, let one pod through, check, then let the rest through
  kubectl numa rollout pause vertex/my-pipeline-cat
  kubectl numa rollout set image vertex/my-pipeline-cat udf=registry.example.com/cat:v2
  kubectl numa rollout step vertex/my-pipeline-cat --pods 1 --wait
  kubectl numa rollout promote vertex/my-pipeline-cat --timeout 10m

  # Promote, and undo automatically if the rest of the rollout fails, or if a new
  # pod fails, restarts or stays not ready in the 5 minutes after it completed
  kubectl numa rollout promote pipeline/my-pipeline --rollback-on-failure --bake 5m

Exit codes (as `rollout status`):
  0  resumed and complete
  1  error (not found, forbidden, managed by Numaplane without --force, conflicts on
     the resume write)
  2  usage error
  3  degraded: new pods are failing or no progress within --progress-deadline, or
     the bake failed (--bake)
  4  --timeout passed
  5  still paused (someone paused it again while waiting)
  7  rolled back (--rollback-on-failure)";

/// Flags of `rollout promote`.
#[derive(Debug, Args)]
#[command(after_help = HELP)]
pub struct PromoteArgs {
    /// What to promote.
    #[command(flatten)]
    pub targets: TargetFlags,
    /// How long to wait, and what to do on failure (as `rollout status`).
    #[command(flatten)]
    pub wait: WaitFlags,
}

/// Runs `rollout promote`: the resume of `rollout resume`, then the wait of `rollout
/// status`.
pub async fn run(kube_args: &KubeArgs, args: &PromoteArgs) -> Result<Exit> {
    let selection = args.targets.selection()?;
    let flags = WriteFlags {
        force: args.wait.force,
        ..WriteFlags::default()
    };
    let resumed = flow::patch::run(
        kube_args.into(),
        "resume",
        &selection,
        &flags,
        &step::resume,
        false,
    )
    .await?;
    if resumed != Exit::Ok {
        return Ok(resumed);
    }
    let kube = api::connect(kube_args).await?;
    flow::wait::status(&kube, &selection, true, &args.wait, None).await
}
