//! One module per subcommand; each has its flags, help text and `run`.

pub mod get;
pub mod list;
pub mod status;
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
        Command::Version(a) => version::run(&cli.kube, a).await,
    }
}
