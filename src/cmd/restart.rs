//! `kubectl numa rollout restart`: replace every pod, `maxUnavailable` at a time.

use std::time::Duration;

use anyhow::Result;
use clap::Args;

use crate::api;
use crate::cli::{parse_duration, KubeArgs};
use crate::exit::Exit;
use crate::flags::{DryRunFlag, TargetFlags};
use crate::flow;
use crate::view::outcome::WriteOutput;

/// The long description of the command (`--help`).
pub const LONG_ABOUT: &str = "\
Restart every pod of each target, a batch at a time, so the workload keeps serving.

A batch is the target's maxUnavailable scaled against its desired replicas (at least
one pod). Each pod of the batch is deleted gracefully; the controller recreates it
from the current spec; the next batch starts once every replacement is Ready. The
vertices of a pipeline are restarted one after the other.

Ctrl-C stops after the batch in flight is Ready and reports how far the restart got
(press it again to stop at once). A replacement that fails (CrashLoopBackOff,
ImagePullBackOff, ...) stops the restart.

A restart refuses to start while a rollout is in progress, failing, or paused (the
controller recreates a deleted old pod only when its rollout batch comes, so the
restart could wait for ever), unless --force.";

const HELP: &str = "\
Examples:
  # Restart one vertex, maxUnavailable pods at a time
  kubectl numa rollout restart vertex/my-pipeline-cat

  # Every vertex of a pipeline, then a monovertex
  kubectl numa rollout restart pipeline/my-pipeline mvtx/my-mvtx

  # Which pods would go, in which batches, without deleting any
  kubectl numa rollout restart pipeline/my-pipeline --dry-run

Exit codes:
  0  every pod was replaced and its replacement is Ready
  1  error: not found, forbidden, refused (a rollout in progress or paused; see
     --force), or a new rollout started during the restart
  2  usage error
  3  a replacement pod is failing (CrashLoopBackOff, ImagePullBackOff, ...)
  4  a batch's replacements were not Ready within --timeout
  130  interrupted by Ctrl-C (after the batch in flight)";

/// Flags of `rollout restart`.
#[derive(Debug, Args)]
#[command(after_help = HELP)]
pub struct RestartArgs {
    /// What to restart.
    #[command(flatten)]
    pub targets: TargetFlags,
    /// Restart even while a rollout is in progress, failing or paused.
    #[arg(long)]
    pub force: bool,
    /// Stop (exit 4) when a batch's replacements are not Ready within this long.
    #[arg(long, default_value = "5m", value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Duration,
    /// `--dry-run` (client: print the batches and delete nothing; server: also send every
    /// delete with the server's dry run).
    #[command(flatten)]
    pub dry_run: DryRunFlag,
    /// Output format: json (one document per target at the end) or name.
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<WriteOutput>,
}

/// Runs `rollout restart`.
pub async fn run(kube_args: &KubeArgs, args: &RestartArgs) -> Result<Exit> {
    let selection = args.targets.selection()?;
    let kube = api::connect(kube_args).await?;
    let options = flow::restart::Options {
        force: args.force,
        timeout: args.timeout,
        dry_run: args.dry_run.mode,
        output: args.output,
    };
    flow::restart::run(&kube, &selection, &options).await
}
