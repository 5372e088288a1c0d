//! `kubectl numa rollout status`: wait until rollouts complete, fail fast when broken.

use anyhow::Result;
use clap::{ArgAction, Args};

use crate::api;
use crate::cli::KubeArgs;
use crate::exit::{Exit, UsageError};
use crate::flags::{TargetFlags, WaitFlags};
use crate::flow;
use crate::view::JsonOutput;

const HELP: &str = "\
Examples:
  # Wait for every vertex of a pipeline (the usual deploy-script step)
  kubectl apply -f pipeline.yaml && kubectl numa rollout status pipeline/my-pipeline

  # One vertex, a monovertex, and a bound on the wait
  kubectl numa rollout status vertex/my-pipeline-cat mvtx/my-mvtx --timeout 5m

  # Every pipeline labelled team=data, once, as JSON
  kubectl numa rollout status pipeline -l team=data --watch=false -o json

  # Every pipeline, monovertex and vertex a deploy applied, from its manifests
  kubectl apply -f deploy/ && kubectl numa rollout status -f deploy/ --bake 5m --rollback-on-failure --timeout 20m

  # A kustomization (rendered by `kubectl kustomize`), failing if it was not applied
  kubectl numa rollout status -k overlays/prod --require-applied

  # Deploy: wait, then watch the new pods 5 more minutes; roll back on any failure
  kubectl numa rollout status pipeline/my-pipeline --bake 5m --rollback-on-failure --timeout 20m

Exit codes:
  0  every rollout is complete
  1  error (API unreachable, not found, forbidden; with --rollback-on-failure, managed
     by Numaplane without --force; with --require-applied, a manifest not applied;
     with -k, no kubectl on PATH)
  2  usage error (also, before any request: a -f path that does not exist, a
     manifest that does not parse, manifests without a Pipeline, MonoVertex or
     Vertex, one without a name, an unknown Numaflow kind or apiVersion)
  3  degraded: new pods are failing (CrashLoopBackOff, ImagePullBackOff,
     InvalidImageName, CreateContainerConfigError, ErrImagePull for 10s or more,
     phase Failed) or no progress within --progress-deadline; or the bake failed
  4  --timeout passed (it bounds the whole wait, the bake included)
  5  paused (maxUnavailable and maxSurge are zero with an update pending)
  6  still progressing (only with --watch=false)
  7  rolled back (--rollback-on-failure): the rollout failed (3), the previous
     revision was restored and its rollout completed; with the rollback failing
     too, the exit code is 3 and both failures are printed
  130/143  interrupted by SIGINT/SIGTERM
With several targets the most severe outcome decides (1, 3, 4, 7, 6, 5, 0).

--rollback-on-failure: when a target turns degraded (a failing new pod, or no
progress within --progress-deadline), `rollout undo` runs on it: the newest
recorded revision whose pods differ from the current spec is restored (the
revision before the current one; `rollout status` records the current spec as it
starts, so the spec that last completed under status is that revision). The
rollback is then waited for like any rollout (--timeout and --progress-deadline
apply to it anew).

  # Deploy, and roll back automatically if the new version fails
  kubectl apply -f pipeline.yaml
  kubectl numa rollout status pipeline/my-pipeline --rollback-on-failure --timeout 10m

--bake DURATION: once the rollout is complete, the new revision's pods are watched
for DURATION more (readiness is a weak signal for a stream processor: a new UDF can
pass its probe and be OOM-killed once messages arrive). The bake fails (exit 3,
naming the pod, the container, the reason and the last termination) when a new pod
fails as above, restarts a container (its restart count grows past the count when
the bake started), or stays not ready longer than --bake-not-ready-tolerance (30s).
It passes only after DURATION with none of that and the rollout still complete. A
spec changed during the bake supersedes it: status waits for the new rollout and
bakes that. With --rollback-on-failure a failed bake is rolled back like a failed
rollout (exit 7); the rollback itself is waited for, not baked. Plain output prints
a line when the bake starts and when it ends; the live view counts down; -o json
reports it under \"bake\" (duration, baked, result, healthyPods, failingPod).

-f FILE|DIR|- (repeatable, -R for subdirectories) and -k DIR (rendered by `kubectl
kustomize DIR`; kubectl must be on PATH): every Pipeline, MonoVertex and Vertex of the
manifests is a target, in the namespace its metadata names, else -n, else the
context's; objects of other kinds are skipped and counted on stderr. Before waiting,
each manifest's spec is compared with the live one: a field the manifest sets to a
value the live spec does not hold (server defaults are no difference) is a warning
naming the first such path, or with --require-applied an error (exit 1).";

/// The long description of the command (set on its variant in [`crate::cli`], which
/// would otherwise replace it with the variant's one-line doc comment).
pub const LONG_ABOUT: &str =
    "Wait until the rollout of each target is complete: every replica runs the \
newest spec and is ready, no pod of an older revision is left, and the controllers have \
observed the latest generation of the Pipeline and of each Vertex. Ends early, with a \
distinct exit code, when the rollout is failing, paused or stalled.";

/// Flags of `rollout status`.
#[derive(Debug, Args)]
#[command(after_help = HELP)]
pub struct StatusArgs {
    /// What to wait for.
    #[command(flatten)]
    pub targets: TargetFlags,
    /// Wait for the rollout to finish; --watch=false prints the current state once.
    #[arg(short = 'w', long, default_value_t = true, action = ArgAction::Set, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub watch: bool,
    /// With -f or -k: fail (exit 1) before waiting when a manifest sets a field the
    /// live spec does not hold, instead of a warning.
    #[arg(long)]
    pub require_applied: bool,
    /// How long to wait, and what to do on failure.
    #[command(flatten)]
    pub wait: WaitFlags,
    /// Output format: json prints one document per target when done.
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<JsonOutput>,
}

impl StatusArgs {
    /// The usage errors found before any request.
    fn validate(&self) -> Result<(), UsageError> {
        if self.wait.rollback_on_failure && !self.watch {
            return Err(UsageError("--rollback-on-failure needs --watch".into()));
        }
        if self.wait.bake.bake.is_some() && !self.watch {
            return Err(UsageError("--bake needs --watch".into()));
        }
        let manifests = &self.targets.manifests;
        if self.require_applied && manifests.filename.is_empty() && manifests.kustomize.is_none() {
            return Err(UsageError("--require-applied needs -f or -k".into()));
        }
        Ok(())
    }
}

/// Runs `rollout status`.
pub async fn run(kube_args: &KubeArgs, args: &StatusArgs) -> Result<Exit> {
    args.validate()?;
    let chosen = args.targets.choose()?;
    let kube = api::connect(kube_args).await?;
    if let Some(manifests) = &chosen.manifests {
        flow::applied::check(&kube, manifests, args.require_applied).await?;
    }
    flow::wait::status(
        &kube,
        &chosen.selection,
        args.watch,
        &args.wait,
        args.output.map(JsonOutput::output),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::parse_line;

    #[test]
    fn flags_that_need_a_watch_are_refused() {
        let table: &[(&str, Option<&str>)] = &[
            ("pipeline/p", None),
            ("pipeline/p -o json --watch=false", None),
            ("pipeline/p --bake 1m --rollback-on-failure", None),
            (
                "pipeline/p --watch=false --rollback-on-failure",
                Some("--rollback-on-failure needs --watch"),
            ),
            (
                "pipeline/p --watch=false --bake 1m",
                Some("--bake needs --watch"),
            ),
            ("-f deploy/ --require-applied", None),
            ("-k deploy/ --require-applied", None),
            (
                "pipeline/p --require-applied",
                Some("--require-applied needs -f or -k"),
            ),
        ];
        for (line, want) in table {
            let args: StatusArgs = parse_line(line);
            let got = args.validate().err().map(|e| e.0);
            match (want, &got) {
                (None, None) => {}
                (Some(w), Some(g)) if g.contains(w) => {}
                _ => panic!("{line}: want {want:?}, got {got:?}"),
            }
        }
    }
}
