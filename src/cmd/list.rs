//! `kubectl numa rollout list`: the rollout state of every vertex and monovertex.

use anyhow::Result;
use clap::Args;

use crate::api;
use crate::cli::KubeArgs;
use crate::exit::Exit;
use crate::flow;
use crate::view::Output;

const HELP: &str = "\
Examples:
  # Rollouts in the current namespace
  kubectl numa rollout list

  # In all namespaces, with hashes and messages
  kubectl numa rollout list -A -o wide

  # Names of the vertices of one team, for a loop in a script
  kubectl numa rollout list -l team=data -o name

Exit codes: 0 listed (also when empty), 1 error, 2 usage.";

/// The long description of the command (set on its variant in [`crate::cli`], which
/// would otherwise replace it with the variant's one-line doc comment).
pub const LONG_ABOUT: &str =
    "List the rollout state of every Vertex and MonoVertex in the namespace (or, \
with -A, in every namespace): desired, updated and ready replicas, the rolling-update \
strategy in effect, and whether the rollout is complete, progressing, paused or degraded.";

/// Flags of `rollout list`.
#[derive(Debug, Args)]
#[command(after_help = HELP)]
pub struct ListArgs {
    /// List in every namespace.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Only vertices and monovertices whose labels match.
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,
    /// Output format: wide, json, or name.
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<Output>,
}

/// Runs `rollout list`.
pub async fn run(kube_args: &KubeArgs, args: &ListArgs) -> Result<Exit> {
    let kube = api::connect(kube_args).await?;
    flow::list::run(
        &kube,
        args.all_namespaces,
        args.selector.as_deref(),
        args.output,
    )
    .await
}
