//! `kubectl numa rollout undo`: restore a recorded revision's pod-affecting spec.

use anyhow::Result;
use clap::Args;

use crate::api::history::command_line;
use crate::cli::KubeArgs;
use crate::exit::Exit;
use crate::flags::{ManifestFlags, WriteFlags};
use crate::flow;
use crate::flow::resolve::{each, one_by_one};

const HELP: &str = "\
Examples:
  # Roll a pipeline back to its previous revision and wait for it
  kubectl numa rollout undo pipeline/my-pipeline && kubectl numa rollout status pipeline/my-pipeline

  # Only one vertex, to a chosen revision (see `rollout history`)
  kubectl numa rollout undo vertex/my-pipeline-cat --to-revision 3

  # What would change, without changing it
  kubectl numa rollout undo mvtx/my-mvtx --dry-run

  # Every pipeline and monovertex of a deploy's manifests, each to its previous revision
  kubectl numa rollout undo -f deploy/

Undo restores only what changes pods (images, containers, ...): replicas, scale,
updateStrategy, lifecycle and the pause state are kept as they are now. A vertex target
restores only that vertex's entry of its Pipeline. The restored content becomes the
newest revision. With -f or -k, each target of the manifests is undone in turn (an
error on one is printed and the others are still undone; the worst outcome is the
exit code). The patch carries the resourceVersion it was computed from, so a
concurrent edit is never overwritten (the undo is recomputed, or fails).

Exit codes: 0 rolled back (or dry run shown), 1 error (managed by Numaplane without
--force, no such revision, it is the current one, no history, unreadable history, forbidden, conflicts), 2 usage.";

/// The long description of `rollout undo`.
pub const LONG_ABOUT: &str =
    "Roll a pipeline, a pipeline vertex or a monovertex back to a revision recorded \
by kubectl numa (default: the previous one).";

/// Flags of `rollout undo`.
#[derive(Debug, Args)]
#[command(
    after_help = HELP
)]
pub struct UndoArgs {
    /// The target: pipeline/NAME, vertex/NAME or mvtx/NAME.
    #[arg(value_name = "TARGET", required_unless_present_any = ["filename", "kustomize"], num_args = 1..=2)]
    pub target: Vec<String>,
    /// `-f`, `-R`, `-k`: undo every target of the manifests, one after another.
    #[command(flatten)]
    pub manifests: ManifestFlags,
    /// The revision to restore (default: the previous one).
    #[arg(long, value_name = "N")]
    pub to_revision: Option<u64>,
    /// Recorded with the restored revision (default: this command line).
    #[arg(long, value_name = "TEXT")]
    pub change_cause: Option<String>,
    /// Dry run, force and output flags.
    #[command(flatten)]
    pub write: WriteFlags,
}

/// Runs `rollout undo`.
pub async fn run(kube_args: &KubeArgs, args: &UndoArgs) -> Result<Exit> {
    let selection = args.manifests.choose(&args.target, None)?.selection;
    let (kube, groups) = one_by_one(kube_args.into(), &selection, "undo").await?;
    let cause = args.change_cause.clone().unwrap_or_else(command_line);
    let undo = |g| flow::undo::run(&kube, g, args.to_revision, &cause, &args.write);
    Ok(each(&groups, undo).await)
}
