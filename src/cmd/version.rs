//! `kubectl numa version`: plugin version, commit, and the API server's version.

use anyhow::Result;
use clap::Args;

use crate::api;
use crate::cli::KubeArgs;
use crate::exit::Exit;
use crate::version::{COMMIT, VERSION};

/// Flags of `version`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  kubectl numa version\n  kubectl numa version --client")]
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
