//! `numa-testenv`: the test world from the command line, for people and the demo.
//!
//! `numa-testenv start` runs a world (Kubernetes, kwok and Numaflow's controller) until
//! Ctrl-C or SIGTERM.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, PostParams};
use testenv::{ControlPlane, User};
use tokio::signal::unix::{signal, SignalKind};

#[derive(Parser)]
#[command(
    version,
    about = "A real Kubernetes control plane with kwok nodes and Numaflow's own controller"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Start a world (CRDs, test users, nodes, Numaflow's controller); stop on Ctrl-C.
    Start {
        /// Also copy the kubeconfig here (it has contexts admin, viewer and nobody).
        #[arg(long)]
        kubeconfig_out: Option<PathBuf>,
        /// Only etcd and kube-apiserver: no CRDs, controllers, nodes or Numaflow.
        #[arg(long)]
        bare: bool,
        /// Give this namespace (created when missing) a healthy InterStepBufferService
        /// `default`; may be repeated.
        #[arg(long = "namespace", value_name = "NS")]
        namespaces: Vec<String>,
    },
}

#[tokio::main]
async fn main() -> Result<()> {
    match Cli::parse().command {
        Cmd::Start {
            kubeconfig_out,
            bare,
            namespaces,
        } => start(kubeconfig_out, bare, namespaces).await,
    }
}

async fn start(kubeconfig_out: Option<PathBuf>, bare: bool, namespaces: Vec<String>) -> Result<()> {
    let started = std::time::Instant::now();
    let mut plane = if bare {
        ControlPlane::start().await
    } else {
        ControlPlane::start_world().await
    }
    .context("starting the test world")?;
    let admin = plane.client(User::Admin).await?;
    for ns in &namespaces {
        let obj: Namespace =
            serde_json::from_value(serde_json::json!({ "metadata": { "name": ns } }))?;
        match Api::<Namespace>::all(admin.clone())
            .create(&PostParams::default(), &obj)
            .await
        {
            Ok(_) => {}
            Err(kube::Error::Api(e)) if e.code == 409 => {}
            Err(e) => return Err(e).with_context(|| format!("creating namespace {ns}")),
        }
        testenv::isbsvc::create_healthy(&admin, ns)
            .await
            .with_context(|| format!("InterStepBufferService default in {ns}"))?;
    }
    if !bare {
        tokio::spawn(testenv::nudge::run(admin.clone()));
    }
    let mut kubeconfig = plane.kubeconfig().to_path_buf();
    if let Some(out) = kubeconfig_out {
        std::fs::copy(&kubeconfig, &out).with_context(|| format!("writing {}", out.display()))?;
        kubeconfig = out;
    }
    eprintln!(
        "{} ready at {} in {:.1?}",
        if bare { "control plane" } else { "world" },
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
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    plane.stop();
    Ok(())
}
