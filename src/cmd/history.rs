//! `kubectl numa rollout history`: the revisions the plugin recorded for a target.

use anyhow::Result;
use clap::Args;

use crate::cli::KubeArgs;
use crate::exit::Exit;
use crate::flags::ManifestFlags;
use crate::flow;
use crate::flow::resolve::{each, one_by_one};
use crate::view::JsonOutput;

const HELP: &str = "\
Examples:
  # The revisions of a pipeline, newest last; * marks the current spec
  kubectl numa rollout history pipeline/my-pipeline

  # What one vertex looked like in revision 3
  kubectl numa rollout history vertex/my-pipeline-cat --revision 3

  # Record the current spec now (before an apply), with a cause
  kubectl numa rollout history pipeline/my-pipeline --record --change-cause \"release 42\"

  # The history of every pipeline and monovertex a deploy applies
  kubectl numa rollout history -f deploy/

Revisions are recorded by the plugin in the kubectl-numa.io/revision-history annotation
of the Pipeline or MonoVertex, whenever a plugin command sees a spec it has not recorded
(status, get, history) and around every change it makes (set image, undo).

Exit codes: 0 shown, 1 error (not found, forbidden, unreadable history, no such
revision), 2 usage.";

/// The long description of `rollout history`.
pub const LONG_ABOUT: &str =
    "List the revisions kubectl numa recorded for a pipeline, a pipeline vertex (the \
pipeline's revisions, showing that vertex's part) or a monovertex, or print one revision's spec.";

/// Flags of `rollout history`.
#[derive(Debug, Args)]
#[command(
    after_help = HELP
)]
pub struct HistoryArgs {
    /// The target: pipeline/NAME, vertex/NAME or mvtx/NAME.
    #[arg(value_name = "TARGET", required_unless_present_any = ["filename", "kustomize"], num_args = 1..=2)]
    pub target: Vec<String>,
    /// `-f`, `-R`, `-k`: the history of every target of the manifests, one after another.
    #[command(flatten)]
    pub manifests: ManifestFlags,
    /// Print the stored spec of this revision.
    #[arg(long, value_name = "N")]
    pub revision: Option<u64>,
    /// Record the current spec as a revision now.
    #[arg(long)]
    pub record: bool,
    /// The change cause to record with --record (default: the object's
    /// kubernetes.io/change-cause annotation, else this command line).
    #[arg(long, value_name = "TEXT", requires = "record")]
    pub change_cause: Option<String>,
    /// Output format: json.
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<JsonOutput>,
}

/// Runs `rollout history`.
pub async fn run(kube_args: &KubeArgs, args: &HistoryArgs) -> Result<Exit> {
    let selection = args.manifests.choose(&args.target, None)?.selection;
    let (kube, groups) = one_by_one(kube_args.into(), &selection, "history").await?;
    let options = flow::history::Options {
        revision: args.revision,
        record: args.record,
        change_cause: args.change_cause.clone(),
        json: args.output.is_some(),
    };
    Ok(each(&groups, |g| flow::history::run(&kube, g, &options)).await)
}
