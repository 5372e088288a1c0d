//! One module per subcommand; each has its flags, help text and `run`.

pub mod completion;
pub mod get;
pub mod history;
pub mod list;
pub mod pause;
pub mod promote;
pub mod restart;
pub mod resume;
pub mod set;
pub mod status;
pub mod step;
pub mod undo;
pub mod version;

use anyhow::Result;

use crate::cli::{Cli, Command, RolloutCommand};
use crate::exit::Exit;

/// Runs the parsed command line.
pub async fn run(cli: &Cli) -> Result<Exit> {
    match &cli.command {
        Command::Rollout(RolloutCommand::Status(a)) => status::run(&cli.kube, a).await,
        Command::Rollout(RolloutCommand::Get(a)) => get::run(&cli.kube, a).await,
        Command::Rollout(RolloutCommand::List(a)) => list::run(&cli.kube, a).await,
        Command::Rollout(RolloutCommand::Pause(a)) => pause::run(&cli.kube, a).await,
        Command::Rollout(RolloutCommand::Resume(a)) => resume::run(&cli.kube, a).await,
        Command::Rollout(RolloutCommand::Set(a)) => set::run(&cli.kube, a).await,
        Command::Rollout(RolloutCommand::Restart(a)) => restart::run(&cli.kube, a).await,
        Command::Rollout(RolloutCommand::History(a)) => history::run(&cli.kube, a).await,
        Command::Rollout(RolloutCommand::Undo(a)) => undo::run(&cli.kube, a).await,
        Command::Rollout(RolloutCommand::Promote(a)) => promote::run(&cli.kube, a).await,
        Command::Rollout(RolloutCommand::Step(a)) => step::run(&cli.kube, a).await,
        Command::Version(a) => version::run(&cli.kube, a).await,
        Command::Completion(a) => completion::run(a),
    }
}

/// Exit codes 1 and 2 of `pause` and `resume`, for the end of their help texts.
macro_rules! write_errors {
    () => {
        "  1  error: not found, forbidden, managed by Numaplane (without --force), an invalid
     spec or pause record, or what the write read kept changing under it for the whole
     --request-timeout (another writer; Numaflow's status updates never count);
     nothing is half-written
  2  usage error (bad target or flag), found before any request"
    };
}
pub(crate) use write_errors;

/// Parses `line` (split at spaces) as the arguments `A` of a command, for the
/// validation tables of the commands' unit tests.
#[cfg(test)]
pub(crate) fn parse_line<A: clap::Args + clap::FromArgMatches>(line: &str) -> A {
    let cmd = A::augment_args(clap::Command::new("test"));
    let words = std::iter::once("test").chain(line.split(' '));
    let matches = cmd.try_get_matches_from(words).expect(line);
    A::from_arg_matches(&matches).expect(line)
}
