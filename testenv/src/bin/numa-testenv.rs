//! `numa-testenv`: the test world from the command line, for people and the demo.
//!
//! `numa-testenv start` runs a control plane and the simulator until Ctrl-C or SIGTERM;
//! `numa-testenv sim` runs only the simulator against an existing cluster.

use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use testenv::sim::{self, SimConfig};
use testenv::{ControlPlane, User};
use tokio::signal::unix::{signal, SignalKind};

#[derive(Parser)]
#[command(
    version,
    about = "A real kube-apiserver + etcd with a simulated Numaflow controller"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Start a control plane (CRDs and test users installed) and the simulator; stop on Ctrl-C.
    Start {
        /// Also copy the kubeconfig here (it has contexts admin, viewer and nobody).
        #[arg(long)]
        kubeconfig_out: Option<PathBuf>,
        /// Do not run the simulator.
        #[arg(long)]
        no_sim: bool,
        #[command(flatten)]
        sim: SimArgs,
    },
    /// Run only the simulated controller and kubelet against the cluster of a kubeconfig.
    Sim {
        /// Kubeconfig to use (default: KUBECONFIG or ~/.kube/config, current context).
        #[arg(long)]
        kubeconfig: Option<PathBuf>,
        #[command(flatten)]
        sim: SimArgs,
    },
}

#[derive(clap::Args)]
struct SimArgs {
    /// Delay before a new pod turns Ready, in milliseconds.
    #[arg(long, default_value_t = 300)]
    ready_delay_ms: u64,
    /// Only reconcile objects in this namespace.
    #[arg(long)]
    namespace: Option<String>,
}

impl SimArgs {
    fn config(&self) -> SimConfig {
        SimConfig {
            ready_delay: Duration::from_millis(self.ready_delay_ms),
            namespace: self.namespace.clone(),
            ..SimConfig::default()
        }
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    match Cli::parse().command {
        Cmd::Start {
            kubeconfig_out,
            no_sim,
            sim,
        } => start(kubeconfig_out, no_sim, sim.config()).await,
        Cmd::Sim { kubeconfig, sim } => {
            let client = match kubeconfig {
                Some(path) => {
                    let kc = kube::config::Kubeconfig::read_from(&path)?;
                    let cfg = kube::Config::from_custom_kubeconfig(kc, &Default::default()).await?;
                    kube::Client::try_from(cfg)?
                }
                None => kube::Client::try_default().await?,
            };
            until_signal(sim::run(client, sim.config(), Arc::new(AtomicU64::new(0)))).await
        }
    }
}

async fn start(kubeconfig_out: Option<PathBuf>, no_sim: bool, cfg: SimConfig) -> Result<()> {
    let started = std::time::Instant::now();
    let mut plane = ControlPlane::start()
        .await
        .context("starting the control plane")?;
    let admin = plane.client(User::Admin).await?;
    testenv::bootstrap(&admin)
        .await
        .context("installing CRDs and RBAC")?;
    let mut kubeconfig = plane.kubeconfig().to_path_buf();
    if let Some(out) = kubeconfig_out {
        std::fs::copy(&kubeconfig, &out).with_context(|| format!("writing {}", out.display()))?;
        kubeconfig = out;
    }
    eprintln!(
        "control plane ready at {} in {:.1?}",
        plane.server(),
        started.elapsed()
    );
    eprintln!(
        "pids: {}",
        plane
            .pids()
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("export KUBECONFIG={}", kubeconfig.display());
    eprintln!("contexts: admin (current), viewer, nobody. Stop with Ctrl-C.");
    let result = if no_sim {
        until_signal(futures::future::pending::<Result<()>>()).await
    } else {
        until_signal(sim::run(admin, cfg, Arc::new(AtomicU64::new(0)))).await
    };
    plane.stop();
    result
}

/// Runs `fut` until it ends or SIGINT / SIGTERM arrives.
async fn until_signal(fut: impl std::future::Future<Output = Result<()>>) -> Result<()> {
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    tokio::select! {
        r = fut => r,
        _ = term.recv() => Ok(()),
        _ = int.recv() => Ok(()),
    }
}
