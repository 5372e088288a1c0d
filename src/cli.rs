//! The command line: global kube flags and the command tree. Each subcommand's own
//! flags live beside its code in [`crate::cmd`].

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::cmd;

const ABOUT: &str = "Watch, pause, tune and roll back rolling updates of Numaflow workloads";

const LONG_ABOUT: &str = "\
Watch, pause, tune and roll back rolling updates of Numaflow workloads.

Numaflow replaces the pods of a Vertex or MonoVertex with a rolling update
(maxUnavailable pods at a time, gated on readiness). `kubectl numa rollout`
gives it what `kubectl rollout` gives a Deployment: wait for it, see it pod by
pod, and list what is rolling.";

const EXAMPLES: &str = "\
Examples:
  # Wait until every vertex of a pipeline runs the new spec
  kubectl numa rollout status pipeline/my-pipeline

  # See one vertex's rollout pod by pod
  kubectl numa rollout get vertex/my-pipeline-cat

  # List every rollout in all namespaces
  kubectl numa rollout list -A

Exit codes:
  0 success, 1 error, 2 usage; the rollout commands add 3 degraded, 4 timed out,
  5 paused, 6 still progressing, 7 rolled back (see `kubectl numa rollout status --help`);
  130/143 interrupted by SIGINT/SIGTERM.";

const ROLLOUT_LONG_ABOUT: &str = "\
Manage the rollout of vertices, monovertices and pipelines.

Targets are written as kubectl writes them: vertex/NAME (vtx, vertices), mvtx/NAME
(monovertex, monovertices), pipeline/NAME (pl, pipelines), the two-word form
`vertex NAME...`, or a kind with -l SELECTOR. A Vertex is named
<pipeline>-<vertex>; a pipeline target means all of its vertices.";

const ROLLOUT_EXAMPLES: &str = "\
Examples:
  # Deploy and wait until every vertex runs the new spec
  kubectl apply -f pipeline.yaml && kubectl numa rollout status pipeline/my-pipeline

  # What is rolling, in every namespace
  kubectl numa rollout list -A

Exit codes: each command lists its own (see its --help): 0 success, 1 error,
2 usage, 3 degraded, 4 timed out, 5 paused, 6 still progressing, 7 rolled back.";

/// `kubectl numa`: the top-level command.
#[derive(Debug, Parser)]
#[command(
    name = "kubectl-numa",
    bin_name = "kubectl numa",
    version = crate::version::LONG,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = EXAMPLES,
    propagate_version = true,
)]
pub struct Cli {
    /// Connection flags shared by every command.
    #[command(flatten)]
    pub kube: KubeArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage the rollout of vertices, monovertices and pipelines.
    #[command(subcommand, long_about = ROLLOUT_LONG_ABOUT, after_help = ROLLOUT_EXAMPLES)]
    Rollout(RolloutCommand),
    /// Print the plugin version, its git commit, and the API server version.
    #[command(long_about = cmd::version::LONG_ABOUT)]
    Version(cmd::version::VersionArgs),
    /// Print a shell completion script, or the helper kubectl runs to complete `kubectl numa`.
    #[command(long_about = cmd::completion::LONG_ABOUT)]
    Completion(cmd::completion::CompletionArgs),
}

/// `kubectl numa rollout ...`
#[derive(Debug, Subcommand)]
pub enum RolloutCommand {
    /// Wait until a rollout completes; fail fast when it is broken.
    #[command(long_about = cmd::status::LONG_ABOUT)]
    Status(cmd::status::StatusArgs),
    /// Show a rollout pod by pod, grouped by revision.
    #[command(long_about = cmd::get::LONG_ABOUT)]
    Get(cmd::get::GetArgs),
    /// List the rollout state of every vertex and monovertex.
    #[command(long_about = cmd::list::LONG_ABOUT)]
    List(cmd::list::ListArgs),
    /// Hold rollouts where they are (maxUnavailable 0), recording the previous values.
    #[command(long_about = cmd::pause::LONG_ABOUT)]
    Pause(cmd::pause::PauseArgs),
    /// Let paused rollouts continue, restoring exactly what pause recorded.
    #[command(long_about = cmd::resume::LONG_ABOUT)]
    Resume(cmd::resume::ResumeArgs),
    /// Change the update strategy or the container images.
    #[command(subcommand, long_about = cmd::set::LONG_ABOUT, after_help = cmd::set::HELP)]
    Set(cmd::set::SetCommand),
    /// Replace every pod, maxUnavailable at a time, waiting for each batch to be Ready.
    #[command(long_about = cmd::restart::LONG_ABOUT)]
    Restart(cmd::restart::RestartArgs),
    /// Show the revisions kubectl numa recorded, or one revision's spec.
    #[command(long_about = cmd::history::LONG_ABOUT)]
    History(cmd::history::HistoryArgs),
    /// Roll back to a recorded revision (default: the previous one).
    #[command(long_about = cmd::undo::LONG_ABOUT)]
    Undo(cmd::undo::UndoArgs),
    /// Resume a paused rollout and wait until it completes.
    #[command(long_about = cmd::promote::LONG_ABOUT)]
    Promote(cmd::promote::PromoteArgs),
    /// Let exactly N more pods of a paused rollout move to the new revision, then hold again.
    #[command(long_about = cmd::step::LONG_ABOUT)]
    Step(cmd::step::StepArgs),
}

/// How to reach the cluster; the same flags as kubectl's.
#[derive(Debug, Clone, Args)]
pub struct KubeArgs {
    /// Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster).
    #[arg(long, global = true, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
    /// The kubeconfig context to use.
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,
    /// Namespace (default: the context's namespace, else "default").
    #[arg(short = 'n', long, global = true, value_name = "NAME")]
    pub namespace: Option<String>,
    /// How long a single API request may take ("0" means no limit).
    #[arg(long, global = true, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub request_timeout: Duration,
    /// Log verbosity on stderr: 1 and up the connection and auth method, 6 and up every
    /// API request with status and latency (credentials are never logged).
    #[arg(short = 'v', long = "v", global = true, value_name = "LEVEL", default_value_t = 0,
          value_parser = clap::value_parser!(u8).range(0..=9))]
    pub verbosity: u8,
    /// Read large lists in pages of this many objects, as kubectl's --chunk-size
    /// (0: in one response).
    #[arg(long, global = true, value_name = "N", default_value_t = crate::api::paged::DEFAULT_CHUNK_SIZE)]
    pub chunk_size: u32,
}

impl From<&KubeArgs> for crate::api::ConnectOptions {
    fn from(a: &KubeArgs) -> Self {
        crate::api::ConnectOptions {
            kubeconfig: a.kubeconfig.clone(),
            context: a.context.clone(),
            namespace: a.namespace.clone(),
            request_timeout: a.request_timeout,
            verbosity: a.verbosity,
            chunk_size: a.chunk_size,
        }
    }
}

/// Parses a duration the way kubectl writes them: `90s`, `10m`, `1h30m`, `500ms`, or a
/// bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let bad = || {
        format!("invalid duration {s:?}: use a number with a unit, like 30s, 10m, 1h30m or 500ms")
    };
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().map(Duration::from_secs).map_err(|_| bad());
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let digits = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let (num, tail) = rest.split_at(digits);
        let num: f64 = num.parse().map_err(|_| bad())?;
        let unit_len = tail.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
        let (unit, tail) = tail.split_at(unit_len);
        let secs = match unit {
            "ms" => num / 1000.0,
            "s" => num,
            "m" => num * 60.0,
            "h" => num * 3600.0,
            _ => return Err(bad()),
        };
        total += Duration::try_from_secs_f64(secs).map_err(|_| bad())?;
        rest = tail;
    }
    Ok(total)
}

/// Parses the process arguments (exits with code 2 and clap's message on error).
pub fn parse() -> Cli {
    Cli::parse()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations() {
        for (s, want) in [
            ("30s", 30_000),
            ("10m", 600_000),
            ("1h30m", 5_400_000),
            ("500ms", 500),
            ("0", 0),
            ("7", 7_000),
            ("1.5s", 1_500),
        ] {
            assert_eq!(
                parse_duration(s).unwrap(),
                Duration::from_millis(want),
                "{s}"
            );
        }
        for s in ["", "s", "10x", "-1s", "1h-", "abc", "1..2s", "5 s"] {
            assert!(parse_duration(s).is_err(), "{s}");
        }
    }
}
