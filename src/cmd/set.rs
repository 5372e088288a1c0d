//! `kubectl numa rollout set strategy` and `rollout set image`.

use anyhow::Result;
use clap::{Args, Subcommand};

use crate::cli::KubeArgs;
use crate::exit::{Exit, UsageError};
use crate::flags::{SelectorFlag, TargetFlags, WriteFlags};
use crate::flow;
use crate::rollout::image::{self, Assignment};
use crate::rollout::pause::{self, StrategyChange};
use crate::rollout::strategy::IntOrPercent;
use crate::target;

/// The long description of `rollout set` (`--help`).
pub const LONG_ABOUT: &str = "\
Change what drives a rollout: the update strategy (how many pods at a time) or the
container images (which starts a rollout).

Writes go to the object that owns the durable spec: a pipeline vertex's entry in its
Pipeline's spec.vertices, or a MonoVertex itself, as one JSON merge patch per object
that carries the resourceVersion it was computed from (a concurrent change by
someone else is re-read, never overwritten).";

/// Examples and exit codes of `rollout set`.
pub const HELP: &str = "\
Examples:
  # Two pods at a time for one vertex
  kubectl numa rollout set strategy vertex/my-pipeline-cat --max-unavailable 2

  # A new udf image, then wait for the rollout
  kubectl numa rollout set image vertex/my-pipeline-cat udf=registry.example.com/cat:v2 \\
      && kubectl numa rollout status vertex/my-pipeline-cat

Exit codes: 0 done (also when unchanged), 1 error (not found, forbidden, managed
by Numaplane without --force, unknown container, another writer changing it for the whole --request-timeout), 2 usage (bad value, target or flag).";

/// `kubectl numa rollout set ...`
#[derive(Debug, Subcommand)]
pub enum SetCommand {
    /// Change maxUnavailable / maxSurge (or show them, with no value flags).
    #[command(long_about = STRATEGY_LONG_ABOUT)]
    Strategy(StrategyArgs),
    /// Change container images; this starts a rollout.
    #[command(long_about = IMAGE_LONG_ABOUT)]
    Image(ImageArgs),
}

/// The long description of the command (`--help`).
pub const STRATEGY_LONG_ABOUT: &str = "\
Change the pace of rollouts: how many pods the controller replaces at a time.

--max-unavailable and --max-surge take a non-negative integer (\"2\") or a percentage
from 0% to 100% (\"25%\", of the desired replicas, rounded up). Integers are written as
JSON numbers and percentages as strings, as the API expects. A zero maxUnavailable is
refused: it holds every rollout, which is what `rollout pause` is for. Changing the
strategy never starts a rollout by itself.

Numaflow has no maxSurge (through v1.8): its controller never reads it, and its full
CRDs (the default install) drop the field, so there --max-surge is refused with exit 1
and nothing written (the server's dry-run answer is checked first). Under the minimal
CRDs it is stored, with a warning that the controller ignores it.

On a target paused by `rollout pause`, the new values go into the pause record and
the target stays paused; resume applies them.

With no value flags, prints the current strategy of each workload, defaults included
(maxUnavailable 25%), and for a paused one what resume restores.

Writes go to the Pipeline's spec.vertices entry of a pipeline vertex, or to the
MonoVertex.";

const STRATEGY_HELP: &str = "\
Examples:
  # Roll a vertex two pods at a time
  kubectl numa rollout set strategy vertex/my-pipeline-cat --max-unavailable 2

  # Half the replicas at a time, for every vertex of a pipeline
  kubectl numa rollout set strategy pipeline/my-pipeline --max-unavailable 50%

  # Show the strategies, defaults included
  kubectl numa rollout set strategy pipeline/my-pipeline

Exit codes:
  0  updated, unchanged, or shown
  1  error: not found, forbidden, managed by Numaplane (without --force), an invalid
     spec or pause record, a field the server
     would not store (--max-surge under Numaflow's full CRDs), or what the
     write read kept changing under it for the whole --request-timeout (another
     writer; Numaflow's status updates never count); nothing is half-written
  2  usage error: a bad value (\"150%\", \"-1\", \"abc\", \"2.5\", \"\"), a zero
     maxUnavailable, a bad target or flag; found before any write";

/// Flags of `rollout set strategy`.
#[derive(Debug, Args)]
#[command(after_help = STRATEGY_HELP)]
pub struct StrategyArgs {
    /// What to change.
    #[command(flatten)]
    pub targets: TargetFlags,
    /// Pods that may be unavailable during a rollout: N or N% (default 25%).
    #[arg(long, value_name = "N|N%", allow_hyphen_values = true)]
    pub max_unavailable: Option<String>,
    /// maxSurge, N or N%: stored only under Numaflow's minimal CRDs, and ignored by its
    /// controller (refused under the full CRDs, which drop it).
    #[arg(long, value_name = "N|N%", allow_hyphen_values = true)]
    pub max_surge: Option<String>,
    /// Dry run, force and output flags.
    #[command(flatten)]
    pub write: WriteFlags,
}

/// The long description of the command (`--help`).
pub const IMAGE_LONG_ABOUT: &str = "\
Set the image of containers of each target; this starts a rollout (paced by the
target's strategy, held at zero replaced pods on a paused target).

CONTAINER is the name the pod's container gets from Numaflow: udsource, transformer,
udf, udsink, fb-udsink (the fallback sink) for the user's code, or a sidecar's or init
container's own name. *=IMAGE sets every user container (not sidecars or init
containers). A container no workload of the target has is an error that lists the
valid ones; in a pipeline target, vertices without the container are left alone.

Writes go to the Pipeline's spec.vertices entry of a pipeline vertex, or to the
MonoVertex; a pipeline target changes all its vertices in one patch.";

const IMAGE_HELP: &str = "\
Examples:
  # Ship a new udf image to one vertex
  kubectl numa rollout set image vertex/my-pipeline-cat udf=registry.example.com/cat:v2

  # Sink and fallback sink of a monovertex, then wait for the rollout
  kubectl numa rollout set image mvtx/my-mvtx udsink=registry.example.com/sink:v2 \\
      fb-udsink=registry.example.com/sink:v2 && kubectl numa rollout status mvtx/my-mvtx

  # Every user container of every vertex (quote the * from the shell)
  kubectl numa rollout set image pipeline/my-pipeline '*=registry.example.com/all:v3'

Exit codes:
  0  updated or unchanged
  1  error: not found, forbidden, managed by Numaplane (without --force), a container
     the target does not have (the message
     lists the valid ones), or what the write read kept changing under it for the whole
     --request-timeout (another writer; Numaflow's status updates never count);
     nothing is half-written
  2  usage error: a malformed CONTAINER=IMAGE, a bad target or flag; found before
     any request";

/// Flags of `rollout set image`.
#[derive(Debug, Args)]
#[command(
    after_help = IMAGE_HELP,
    override_usage = "kubectl numa rollout set image [OPTIONS] TARGET... CONTAINER=IMAGE..."
)]
pub struct ImageArgs {
    /// Targets (KIND/NAME..., KIND NAME..., or KIND with -l), then CONTAINER=IMAGE pairs.
    #[arg(value_name = "TARGET... CONTAINER=IMAGE", required = true)]
    pub args: Vec<String>,
    /// `-l`.
    #[command(flatten)]
    pub select: SelectorFlag,
    /// Dry run, force and output flags.
    #[command(flatten)]
    pub write: WriteFlags,
    /// Recorded with the new revision (default: this command line).
    #[arg(long, value_name = "TEXT")]
    pub change_cause: Option<String>,
}

/// Runs `rollout set ...`.
pub async fn run(kube_args: &KubeArgs, cmd: &SetCommand) -> Result<Exit> {
    match cmd {
        SetCommand::Strategy(a) => strategy(kube_args, a).await,
        SetCommand::Image(a) => image(kube_args, a).await,
    }
}

fn value(flag: &str, v: Option<&String>) -> Result<Option<IntOrPercent>, UsageError> {
    v.map(|v| IntOrPercent::parse(v).map_err(|e| UsageError(format!("{flag}: {e}"))))
        .transpose()
}

impl StrategyArgs {
    /// The change asked for, checked before any request (no values: show the strategy).
    fn change(&self) -> Result<StrategyChange, UsageError> {
        let change = StrategyChange {
            max_unavailable: value("--max-unavailable", self.max_unavailable.as_ref())?,
            max_surge: value("--max-surge", self.max_surge.as_ref())?,
        };
        change.check()?;
        Ok(change)
    }
}

/// Printed on stderr when `set strategy --max-surge` succeeded: a server with Numaflow's
/// minimal CRDs stores the value, but it changes nothing.
const MAX_SURGE_IGNORED: &str = "kubectl-numa: warning: Numaflow's controller ignores \
maxSurge: a rollout still replaces at most maxUnavailable pods per step and adds none";

async fn strategy(kube_args: &KubeArgs, args: &StrategyArgs) -> Result<Exit> {
    let change = args.change()?;
    let selection = args.targets.selection()?;
    if change == StrategyChange::default() {
        let (kube, groups) = flow::resolve::groups(kube_args.into(), &selection).await?;
        return flow::strategy::show(&kube, &groups, args.write.output).await;
    }
    let planner =
        move |kind, obj: &_, keys: &[String]| pause::set_strategy(kind, obj, keys, &change);
    if change.max_surge.is_some() {
        // Numaflow's full CRDs prune maxSurge: check what the server keeps first.
        let exit = flow::patch::run(
            kube_args.into(),
            "set strategy",
            &selection,
            &args.write,
            &planner,
            true,
        )
        .await?;
        // The minimal CRDs keep it, and no Numaflow controller reads it.
        eprintln!("{MAX_SURGE_IGNORED}");
        return Ok(exit);
    }
    flow::patch::run(
        kube_args.into(),
        "set strategy",
        &selection,
        &args.write,
        &planner,
        false,
    )
    .await
}

async fn image(kube_args: &KubeArgs, args: &ImageArgs) -> Result<Exit> {
    let cause = args
        .change_cause
        .clone()
        .unwrap_or_else(crate::api::history::command_line);
    let (targets, assignments): (Vec<String>, Vec<Assignment>) = image::split_args(&args.args)?;
    let selection = target::parse(&targets, args.select.selector.as_deref())?;
    flow::patch::run(
        kube_args.into(),
        "set image",
        &selection,
        &args.write,
        &move |kind, obj, keys| {
            let now = k8s_openapi::jiff::Timestamp::now().to_string();
            image::set_images_recorded(kind, obj, keys, &assignments, &cause, &now)
        },
        false,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::parse_line;

    #[test]
    fn strategy_values_are_checked_before_any_request() {
        // (line, Ok("maxUnavailable maxSurge", "-" for none) or Err(part of the message))
        let table: &[(&str, Result<&str, &str>)] = &[
            ("vertex/p-cat", Ok("- -")),
            ("vertex/p-cat --max-unavailable 2", Ok("2 -")),
            (
                "vertex/p-cat --max-unavailable 50% --max-surge 0",
                Ok("50% 0"),
            ),
            ("vertex/p-cat --max-unavailable 0", Ok("0 -")),
            (
                "vertex/p-cat --max-unavailable -1",
                Err("--max-unavailable: "),
            ),
            ("vertex/p-cat --max-surge 10x", Err("--max-surge: ")),
            (
                "vertex/p-cat --max-unavailable 0 --max-surge 0%",
                Err("both zero would hold every rollout"),
            ),
        ];
        let text = |v: Option<IntOrPercent>| v.map_or("-".to_string(), |v| v.to_string());
        for (line, want) in table {
            let args: StrategyArgs = parse_line(line);
            let got = args
                .change()
                .map(|c| format!("{} {}", text(c.max_unavailable), text(c.max_surge)))
                .map_err(|e| e.0);
            match (&got, want) {
                (Ok(g), Ok(w)) if g == w => {}
                (Err(g), Err(w)) if g.contains(w) => {}
                _ => panic!("{line}: want {want:?}, got {got:?}"),
            }
        }
    }
}
