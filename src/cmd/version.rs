//! `kubectl numa version`: plugin version, commit, and the API server's version.

use anyhow::Result;
use clap::Args;

use crate::api;
use crate::cli::KubeArgs;
use crate::exit::Exit;
use crate::version::{COMMIT, VERSION};

/// The long description of the command (set on its variant in [`crate::cli`], which
/// would otherwise replace it with the variant's one-line doc comment).
pub const LONG_ABOUT: &str =
    "Print the plugin's version and the git commit it was built from, then the \
API server's version when it is reachable (with --client the server is not contacted). An \
unreachable server is reported on stderr and does not fail the command.";

/// Flags of `version`.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  # Plugin and API server versions
  kubectl numa version

  # The plugin only, without contacting any server
  kubectl numa version --client

Exit codes: 0 printed (also when the server is unreachable), 2 usage.")]
pub struct VersionArgs {
    /// Print only the plugin's version; do not contact the API server.
    #[arg(long)]
    pub client: bool,
}

/// Runs `version`. An unreachable server is reported on stderr, not as a failure.
pub async fn run(kube_args: &KubeArgs, args: &VersionArgs) -> Result<Exit> {
    println!("Client Version: v{VERSION} (commit {COMMIT})");
    if args.client {
        return Ok(Exit::Ok);
    }
    let server = async {
        let kube = api::connect(kube_args).await?;
        kube.call("get server version", kube.client.apiserver_version())
            .await
    };
    match server.await {
        Ok(info) => println!("Server Version: {}", info.git_version),
        Err(e) => eprintln!("kubectl-numa: server version unavailable: {e:#}"),
    }
    Ok(Exit::Ok)
}
