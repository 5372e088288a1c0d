//! `kubectl numa rollout step`: let N more pods of a paused rollout through, then hold.

use std::time::Duration;

use anyhow::Result;
use clap::Args;

use crate::cli::{parse_duration, KubeArgs};
use crate::exit::{Exit, UsageError};
use crate::flags::{BakeFlags, ForceFlag, ManifestFlags};
use crate::flow;
use crate::flow::resolve::one_group;
use crate::target::Selection;

/// The long description of the command (`--help`).
pub const LONG_ABOUT: &str = "\
Let exactly N more pods of a paused rollout move to the new revision, then hold again.

The target must be paused by `kubectl numa rollout pause` with an update pending (a
new image set after the pause). The step uses the stock controller's own mechanics:
the zero maxUnavailable of the pause is replaced with N, and as soon as the Vertex's
status.updatedReplicas reaches the goal (updated + N) it is set back to 0. The
controller replaces N pods per batch and only starts another batch when the whole
batch is Ready, so exactly N pods move. The pause record is kept throughout.

The intent is recorded in the annotation kubectl-numa.io/step on the object that
owns the spec. If the command is interrupted (Ctrl-C puts the zero step back before
exiting; a kill does not), the next `rollout pause`, `rollout resume` or `rollout
step` finds the record, puts the zero step back and removes it: the target never
keeps rolling unattended past that command.";

const HELP: &str = "\
Examples:
  # Canary: hold, ship, let one pod through and wait for it to be Ready
  kubectl numa rollout pause vertex/my-pipeline-cat
  kubectl numa rollout set image vertex/my-pipeline-cat udf=registry.example.com/cat:v2
  kubectl numa rollout step vertex/my-pipeline-cat --pods 1 --wait

  # Then half of the replicas (rounded up), watched 5 minutes past Ready, then the rest
  kubectl numa rollout step vertex/my-pipeline-cat --percent 50 --wait --bake 5m
  kubectl numa rollout promote vertex/my-pipeline-cat --bake 5m

--bake DURATION (with --wait): once the stepped pods are Ready, they are watched for
DURATION more, as `rollout status --bake` watches a finished rollout: a new pod
failing, restarting a container or not ready past --bake-not-ready-tolerance fails
the bake (exit 3). --timeout bounds the whole command, the bake included. A spec
changed during the bake ends it as it ends a step: a notice, exit 0.

Exit codes:
  0  the step is done and the target holds again (with --wait: the stepped pods
     are Ready)
  1  error: not found, forbidden, managed by Numaplane (without --force), not paused,
     no update pending, conflicts
  2  usage error
  3  degraded (--wait): new pods are failing, as `rollout status` detects it, or
     the bake failed (--bake)
  4  --timeout passed (the zero step is put back first)
  130/143  interrupted (on SIGINT the zero step is put back first)";

/// Flags of `rollout step`.
#[derive(Debug, Args)]
#[command(after_help = HELP)]
pub struct StepArgs {
    /// The target: vertex/NAME, mvtx/NAME, or pipeline/NAME (every vertex steps).
    #[arg(value_name = "TARGET", required_unless_present_any = ["filename", "kustomize"], num_args = 1..=2)]
    pub target: Vec<String>,
    /// `-f`, `-R`, `-k`: the one target of the manifests (more is a usage error).
    #[command(flatten)]
    pub manifests: ManifestFlags,
    /// How many more pods move to the new revision.
    #[arg(long, value_name = "N", conflicts_with = "percent", required_unless_present = "percent",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub pods: Option<u32>,
    /// How many more pods, as a percentage of the desired replicas (rounded up).
    #[arg(long, value_name = "P", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub percent: Option<u32>,
    /// Wait until the stepped pods are Ready (fails like `rollout status` on failing pods).
    #[arg(long)]
    pub wait: bool,
    /// Give up after this long (exit 4), holding the target again first.
    #[arg(long, default_value = "10m", value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Duration,
    /// `--force`.
    #[command(flatten)]
    pub force: ForceFlag,
    /// `--bake` (with --wait: the moved pods).
    #[command(flatten)]
    pub bake: BakeFlags,
}

impl StepArgs {
    /// The usage errors found before any request.
    fn validate(&self) -> Result<(), UsageError> {
        if self.pods.is_none() && self.percent.is_none() {
            return Err(UsageError("give --pods N or --percent P".into()));
        }
        if self.bake.bake.is_some() && !self.wait {
            return Err(UsageError("--bake needs --wait".into()));
        }
        Ok(())
    }
}

/// Runs `rollout step`.
pub async fn run(kube_args: &KubeArgs, args: &StepArgs) -> Result<Exit> {
    args.validate()?;
    let selection = args.manifests.choose(&args.target, None)?.selection;
    let (kube, group) = one_group(kube_args.into(), &selection, "step").await?;
    let selection = Selection::one_in(group.members[0].target.clone(), &group.owner.namespace);
    let options = flow::step::Options {
        selection,
        pods: args.pods,
        percent: args.percent,
        wait: args.wait,
        timeout: args.timeout,
        spec: args.force.spec(),
        bake: args.bake.clone(),
    };
    flow::step::run(&kube, &group, &options).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::parse_line;

    #[test]
    fn a_bake_needs_a_wait() {
        let table: &[(&str, Option<&str>)] = &[
            ("vertex/p-cat --pods 1", None),
            ("vertex/p-cat --percent 50 --wait --bake 1m", None),
            (
                "vertex/p-cat --pods 1 --bake 1m",
                Some("--bake needs --wait"),
            ),
        ];
        for (line, want) in table {
            let args: StepArgs = parse_line(line);
            let got = args.validate().err().map(|e| e.0);
            assert_eq!(got.as_deref(), *want, "{line}");
        }
    }
}
