//! The processes of a world beyond etcd and kube-apiserver: kube-controller-manager,
//! kube-scheduler, kwok (the kubelets of fake nodes, driven by `testenv/stages/pods.yaml`)
//! and Numaflow's own controller.
//!
//! Numaflow's controller reads `/etc/numaflow/controller-config.yaml` and binds `:9090`
//! and `:8081`, neither configurable. Each controller runs in a mount namespace of its own
//! with the world's config folder bind-mounted over `/etc/numaflow`, so worlds never share
//! a config file; the ports allow one world per network namespace, which [`WorldLock`]
//! enforces (a second world in the same network namespace waits for the first to stop).

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde_json::Value;

use super::assets::{version, Binaries};
use super::free_ports;

/// kwok's pod stages: the kubelet behaviour of the world, faults included.
pub const POD_STAGES: &str = include_str!("../../stages/pods.yaml");

/// The image Numaflow's controller puts in every pod it makes (init and `numa` containers).
pub fn numaflow_image() -> String {
    format!("quay.io/numaproj/numaflow:v{}", version("NUMAFLOW_VERSION"))
}

/// Commands for the world's components, given the kubeconfig (admin context current).
pub(super) fn commands(
    bins: &Binaries,
    root: &Path,
    kubeconfig: &Path,
) -> Result<Vec<(&'static str, Command)>> {
    let [kcm_port, scheduler_port, kwok_port] = free_ports()?;
    let mut kcm = Command::new(&bins.controller_manager);
    kcm.arg("--kubeconfig")
        .arg(kubeconfig)
        .arg("--authentication-kubeconfig")
        .arg(kubeconfig)
        .arg("--authorization-kubeconfig")
        .arg(kubeconfig)
        .args(["--bind-address", "127.0.0.1", "--secure-port", &kcm_port.to_string()])
        .arg("--cert-dir")
        .arg(root.join("kcm-certs"))
        .arg("--service-account-private-key-file")
        .arg(root.join("sa.key"))
        .arg("--root-ca-file")
        .arg(root.join("ca.crt"))
        .args(["--leader-elect=false", "--use-service-account-credentials=false"])
        // Deployments, ReplicaSets, StatefulSets, Jobs, service accounts and garbage
        // collection are what Numaflow's objects need, and ResourceQuota usage what a
        // quota that refuses pods needs (tests/quiet.rs); the rest only costs CPU.
        .args([
            "--controllers",
            "deployment-controller,replicaset-controller,statefulset-controller,job-controller,serviceaccount-controller,serviceaccount-token-controller,garbage-collector-controller,namespace-controller,endpointslice-controller,disruption-controller,pod-garbage-collector-controller,resourcequota-controller",
        ])
        .args(["--concurrent-deployment-syncs", "10", "--concurrent-statefulset-syncs", "10"])
        .args(["--kube-api-qps", "500", "--kube-api-burst", "1000", "-v", "0"]);

    let mut scheduler = Command::new(&bins.scheduler);
    scheduler
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .arg("--authentication-kubeconfig")
        .arg(kubeconfig)
        .arg("--authorization-kubeconfig")
        .arg(kubeconfig)
        .args([
            "--bind-address",
            "127.0.0.1",
            "--secure-port",
            &scheduler_port.to_string(),
        ])
        .arg("--cert-dir")
        .arg(root.join("scheduler-certs"))
        .args([
            "--leader-elect=false",
            "--kube-api-qps",
            "500",
            "--kube-api-burst",
            "1000",
            "-v",
            "0",
        ]);

    let stages = root.join("kwok-stages.yaml");
    std::fs::write(&stages, POD_STAGES)?;
    let mut kwok = Command::new(&bins.kwok);
    kwok.arg("--kubeconfig")
        .arg(kubeconfig)
        .arg("--config")
        .arg(&stages)
        .args([
            "--manage-all-nodes=true",
            "--cidr",
            "10.240.0.1/12",
            "--node-ip",
            "10.255.0.1",
        ])
        .args(["--server-address", &format!("127.0.0.1:{kwok_port}")]);

    let config_dir = root.join("numaflow-config");
    std::fs::create_dir_all(&config_dir)?;
    std::fs::write(
        config_dir.join("controller-config.yaml"),
        controller_config(&bins.controller_config)?,
    )?;
    let numaflow = numaflow_command(&bins.numaflow, &config_dir, kubeconfig)?;
    Ok(vec![
        ("kube-controller-manager", kcm),
        ("kube-scheduler", scheduler),
        ("kwok", kwok),
        ("numaflow-controller", numaflow),
    ])
}

/// `numaflow controller` in a mount namespace where `config_dir` is `/etc/numaflow`.
pub(super) fn numaflow_command(
    bin: &Path,
    config_dir: &Path,
    kubeconfig: &Path,
) -> Result<Command> {
    let target = Path::new("/etc/numaflow");
    if !target.is_dir() {
        std::fs::create_dir_all(target).with_context(|| {
            format!(
                "creating {} (the mount point for Numaflow's fixed config path; run as root, or create it once)",
                target.display()
            )
        })?;
    }
    let mut cmd = Command::new("unshare");
    cmd.args(["--mount", "--propagation", "private", "--", "sh", "-c"])
        .arg(r#"mount --bind "$1" /etc/numaflow && exec "$2" controller"#)
        .arg("sh")
        .arg(config_dir)
        .arg(bin)
        .env("KUBECONFIG", kubeconfig)
        .env("NUMAFLOW_IMAGE", numaflow_image())
        .env("NUMAFLOW_LEADER_ELECTION_DISABLED", "true")
        .env("NUMAFLOW_DEBUG", "false");
    Ok(cmd)
}

/// The `controller-config.yaml` of Numaflow's own ConfigMap.
fn controller_config(configmap: &Path) -> Result<String> {
    let text = std::fs::read_to_string(configmap)
        .with_context(|| format!("reading {}", configmap.display()))?;
    let cm: Value = serde_saphyr::from_str(&text)
        .with_context(|| format!("parsing {}", configmap.display()))?;
    match cm["data"]["controller-config.yaml"].as_str() {
        Some(config) => Ok(config.to_string()),
        None => bail!("{} has no data.controller-config.yaml", configmap.display()),
    }
}

/// Waits until Numaflow's controller answers its readiness probe on `:8081`.
pub(super) fn numaflow_ready() -> bool {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect_timeout(
        &"127.0.0.1:8081".parse().expect("address literal"),
        Duration::from_millis(200),
    ) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    if s.write_all(b"GET /readyz HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    buf.starts_with("HTTP/1.0 200") || buf.starts_with("HTTP/1.1 200")
}

/// An exclusive lock on the one Numaflow controller a network namespace can hold,
/// released when dropped or when the process dies.
pub struct WorldLock {
    _file: File,
}

impl WorldLock {
    /// Takes the lock of this network namespace, waiting (with a note on stderr) while
    /// another world holds it.
    pub fn acquire() -> Result<Self> {
        let netns = std::fs::read_link("/proc/self/ns/net")
            .map(|p| {
                p.to_string_lossy()
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "")
            })
            .unwrap_or_else(|_| "net".into());
        let path = std::env::temp_dir().join(format!("numa-testenv-world-{netns}.lock"));
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        // SAFETY: flock on a descriptor this function owns.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            eprintln!(
                "numa-testenv: another test world runs in this network namespace (Numaflow's controller binds :9090 and :8081); waiting for it to stop (lock {}; scripts/demo.sh stop ends the demo's)",
                path.display()
            );
            // SAFETY: as above; blocks until the other world's process releases it.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
                bail!(
                    "locking {}: {}",
                    path.display(),
                    std::io::Error::last_os_error()
                );
            }
        }
        Ok(WorldLock { _file: file })
    }
}
