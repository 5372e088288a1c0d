//! `kubectl numa rollout get`: a target's rollout as a tree, pod by pod.

use anyhow::Result;
use clap::Args;

use crate::api;
use crate::cli::KubeArgs;
use crate::exit::Exit;
use crate::flags::ManifestFlags;
use crate::flow;
use crate::view::JsonOutput;

const HELP: &str = "\
Examples:
  # A pipeline: every vertex, its strategy and counts, pods grouped by revision
  kubectl numa rollout get pipeline/my-pipeline

  # Follow one vertex as it rolls (Ctrl-C to stop)
  kubectl numa rollout get vertex/my-pipeline-cat --watch

  # Everything, pods included, for scripts
  kubectl numa rollout get mvtx/my-mvtx -o json

  # Every pipeline and monovertex in a directory of manifests
  kubectl numa rollout get -f deploy/

Exit codes: 0 shown, 1 error (not found, forbidden, unreachable), 2 usage.";

/// The long description of the command (set on its variant in [`crate::cli`], which
/// would otherwise replace it with the variant's one-line doc comment).
pub const LONG_ABOUT: &str =
    "Show the rollout of each target as a tree: the target, each vertex with its \
strategy and replica counts, and its pods grouped by the revision (spec hash) that created \
them, with readiness, reason, restarts and age. --watch redraws it when anything changes.";

/// Flags of `rollout get`.
#[derive(Debug, Args)]
#[command(after_help = HELP)]
pub struct GetArgs {
    /// What to show: KIND/NAME... or KIND NAME...
    #[arg(value_name = "TARGET", required_unless_present_any = ["filename", "kustomize"])]
    pub targets: Vec<String>,
    /// `-f`, `-R`, `-k`.
    #[command(flatten)]
    pub manifests: ManifestFlags,
    /// Keep the view open and redraw it when anything changes.
    #[arg(short = 'w', long)]
    pub watch: bool,
    /// Output format: json (with pods).
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<JsonOutput>,
}

/// Runs `rollout get`.
pub async fn run(kube_args: &KubeArgs, args: &GetArgs) -> Result<Exit> {
    let selection = args.manifests.choose(&args.targets, None)?.selection;
    let kube = api::connect(kube_args).await?;
    flow::get::run(&kube, &selection, args.watch, args.output.is_some()).await
}
