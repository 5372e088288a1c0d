//! A real Kubernetes control plane on loopback, started from cached binaries.
//!
//! [`ControlPlane::start`] picks free ports, writes self-signed serving certificates, a
//! static token file for three users ([`User`]), a service-account key and a kubeconfig
//! with one context per user into a fresh temporary directory, starts etcd and
//! kube-apiserver (RBAC authorization) and waits until `/readyz` answers.
//! [`ControlPlane::start_world`] goes on to a whole world: Numaflow's CRDs, the users'
//! RBAC, kube-controller-manager, kube-scheduler, kwok with fake nodes and Numaflow's own
//! controller ([`components`]). [`ControlPlane::stop`] (also run on drop) kills exactly
//! the processes it started and removes the directory. Every child is also spawned with a
//! parent-death signal, so it dies with the process that started it even when that is killed.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

mod assets;
pub mod components;
mod files;

pub use assets::{cache_dir, crd_flavour, version, Binaries};
pub use components::{numaflow_image, WorldLock};

/// Fake nodes of a world (kwok plays their kubelets).
pub const NODES: usize = 3;

/// How long a start may take before it is reported as failed.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// The users in the static token file; each has a context of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum User {
    /// `admin`, in the `system:masters` group.
    Admin,
    /// `viewer`, bound to read-only access to Numaflow objects, pods and namespaces.
    Viewer,
    /// `nobody`, authenticated but with no permissions at all.
    NoRights,
}

impl User {
    /// Every user, in the order of the token file.
    pub const ALL: [User; 3] = [User::Admin, User::Viewer, User::NoRights];

    /// User name, which is also its kubeconfig context name.
    pub fn name(self) -> &'static str {
        match self {
            User::Admin => "admin",
            User::Viewer => "viewer",
            User::NoRights => "nobody",
        }
    }

    fn groups(self) -> &'static str {
        match self {
            User::Admin => "system:masters",
            User::Viewer | User::NoRights => "",
        }
    }
}

/// A running control plane (etcd + kube-apiserver, and for a world the other
/// components) and the files that describe how to reach it.
pub struct ControlPlane {
    dir: Option<tempfile::TempDir>,
    /// etcd first, then kube-apiserver, then the world's components; with their names.
    children: Vec<(&'static str, Child)>,
    /// Held while a Numaflow controller of this world runs (one per network namespace).
    lock: Option<WorldLock>,
    /// How kube-apiserver was started, to start it again after [`Self::kill_apiserver`].
    apiserver: Option<(std::ffi::OsString, Vec<std::ffi::OsString>)>,
    /// The `numaflow` binary of a world, to start its controller again.
    numaflow: Option<PathBuf>,
    server: String,
    etcd: String,
    kubeconfig: PathBuf,
    /// Flags added to kube-apiserver's own.
    apiserver_flags: Vec<String>,
}

impl ControlPlane {
    /// Starts etcd and kube-apiserver and waits until the API server is ready.
    pub async fn start() -> Result<Self> {
        Self::start_with_apiserver_flags(&[]).await
    }

    /// [`Self::start`] with `flags` added to kube-apiserver's (`--watch-cache=false`, say).
    pub async fn start_with_apiserver_flags(flags: &[&str]) -> Result<Self> {
        let bins = Binaries::locate(false)?;
        Self::start_plane(&bins, flags).await
    }

    /// Starts a whole world: the control plane, Numaflow's CRDs (flavour from
    /// [`crd_flavour`]) and the users' RBAC, kube-controller-manager, kube-scheduler,
    /// kwok with [`NODES`] fake nodes, and Numaflow's controller, and waits until that
    /// controller is ready. Waits first while another world holds this network
    /// namespace's [`WorldLock`].
    pub async fn start_world() -> Result<Self> {
        let bins = Binaries::locate(true)?;
        let flavour = crd_flavour()?;
        let lock = tokio::task::spawn_blocking(WorldLock::acquire).await??;
        let mut plane = Self::start_plane(&bins, &[]).await?;
        plane.lock = Some(lock);
        let root = plane.dir().context("control plane stopped")?.to_path_buf();
        let admin = plane.client(User::Admin).await?;
        crate::crds::install(&admin, &bins.crd_files(&flavour)?).await?;
        crate::rbac::install(&admin).await?;
        crate::nodes::install(&admin, NODES).await?;
        plane.numaflow = Some(bins.numaflow.clone());
        for (name, cmd) in components::commands(&bins, &root, &plane.kubeconfig)? {
            let child = spawn(cmd, &root, name)?;
            plane.children.push((name, child));
        }
        plane.wait_numaflow(&root).await?;
        Ok(plane)
    }

    /// Starts etcd and kube-apiserver, on fresh ports up to three times: a free port is
    /// only free until someone binds it, and worlds start side by side in one test binary.
    async fn start_plane(bins: &Binaries, flags: &[&str]) -> Result<Self> {
        let mut last = None;
        for _ in 0..3 {
            match Self::try_start_plane(bins, flags).await {
                Ok(plane) => return Ok(plane),
                Err(e) => last = Some(e),
            }
        }
        Err(last.expect("three attempts"))
    }

    async fn try_start_plane(bins: &Binaries, flags: &[&str]) -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("numa-testenv-")
            .tempdir_in(scratch_root())?;
        let root = dir.path().to_path_buf();
        let mut plane = ControlPlane {
            dir: Some(dir),
            children: Vec::new(),
            lock: None,
            apiserver: None,
            numaflow: None,
            server: String::new(),
            etcd: String::new(),
            kubeconfig: root.join("kubeconfig"),
            apiserver_flags: flags.iter().map(|f| f.to_string()).collect(),
        };
        plane.launch(bins, &root).await?;
        Ok(plane)
    }

    async fn launch(&mut self, bins: &Binaries, root: &Path) -> Result<()> {
        let [etcd_client, etcd_peer, secure] = free_ports()?;
        let files = files::write_all(root)?;
        self.server = format!("https://127.0.0.1:{secure}");
        files::write_kubeconfig(&self.kubeconfig, &self.server, &files)?;

        let etcd_url = format!("http://127.0.0.1:{etcd_client}");
        self.etcd = etcd_url.clone();
        let peer_url = format!("http://127.0.0.1:{etcd_peer}");
        let mut etcd = Command::new(&bins.etcd);
        etcd.args(["--name", "default", "--data-dir"])
            .arg(root.join("etcd"))
            .args([
                "--listen-client-urls",
                &etcd_url,
                "--advertise-client-urls",
                &etcd_url,
            ])
            .args([
                "--listen-peer-urls",
                &peer_url,
                "--initial-advertise-peer-urls",
                &peer_url,
            ])
            .args(["--initial-cluster", &format!("default={peer_url}")])
            .args(["--log-level", "error"]);
        let child = spawn(etcd, root, "etcd")?;
        self.children.push(("etcd", child));

        let mut apiserver = Command::new(&bins.apiserver);
        apiserver
            .args(["--etcd-servers", &etcd_url])
            .args([
                "--bind-address",
                "127.0.0.1",
                "--advertise-address",
                "127.0.0.1",
            ])
            // No endpoints for the `kubernetes` Service: nothing in this world reaches the
            // API server through it, and since 1.37 the endpoint reconcilers refuse a
            // loopback advertise address ("may not be in the loopback range").
            .args(["--endpoint-reconciler-type", "none"])
            .args(["--secure-port", &secure.to_string()])
            .arg("--cert-dir")
            .arg(root.join("certs"))
            .arg("--tls-cert-file")
            .arg(&files.serving_cert)
            .arg("--tls-private-key-file")
            .arg(&files.serving_key)
            .arg("--token-auth-file")
            .arg(&files.tokens)
            .args(["--authorization-mode", "RBAC"])
            .args([
                "--service-account-issuer",
                "https://kubernetes.default.svc.cluster.local",
            ])
            .arg("--service-account-key-file")
            .arg(&files.service_account_pub)
            .arg("--service-account-signing-key-file")
            .arg(&files.service_account_key)
            .args(["--service-cluster-ip-range", "10.96.0.0/16"])
            // No service-account tokens in pods (nothing runs in them), and no not-ready taint on new
            // nodes: kwok marks them ready and no node-lifecycle controller runs to lift it.
            .args([
                "--disable-admission-plugins",
                "ServiceAccount,TaintNodesByCondition",
            ])
            .args(["--allow-privileged=true", "-v", "0"])
            .args(&self.apiserver_flags);
        if let Some(audit) = std::env::var_os("NUMA_TESTENV_AUDIT_LOG") {
            apiserver.arg("--audit-log-path").arg(audit);
            apiserver
                .arg("--audit-policy-file")
                .arg(&files.audit_policy);
        }
        self.apiserver = Some((
            apiserver.get_program().to_owned(),
            apiserver.get_args().map(ToOwned::to_owned).collect(),
        ));
        let child = spawn(apiserver, root, "kube-apiserver")?;
        self.children.push(("kube-apiserver", child));
        self.wait_ready(root).await
    }

    /// Kills kube-apiserver (SIGKILL) and leaves etcd running: an API outage.
    pub fn kill_apiserver(&mut self) {
        if let Some((_, c)) = self.children.get_mut(1) {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts kube-apiserver again, on the same address, and waits until it is ready.
    pub async fn restart_apiserver(&mut self) -> Result<()> {
        let root = self.dir().context("control plane stopped")?.to_path_buf();
        let (program, args) = self
            .apiserver
            .clone()
            .context("control plane not started")?;
        self.kill_apiserver();
        let mut cmd = Command::new(program);
        cmd.args(args);
        let child = spawn(cmd, &root, "kube-apiserver")?;
        match self.children.get_mut(1) {
            Some((_, slot)) => *slot = child,
            None => self.children.push(("kube-apiserver", child)),
        }
        self.wait_ready(&root).await
    }

    async fn wait_ready(&mut self, root: &Path) -> Result<()> {
        let deadline = Instant::now() + READY_TIMEOUT;
        let client = self.client(User::Admin).await?;
        loop {
            self.check_alive(root)?;
            let req = http::Request::get("/readyz").body(Vec::new())?;
            match client.request_text(req).await {
                Ok(body) if body.trim() == "ok" => return Ok(()),
                _ if Instant::now() > deadline => {
                    bail!(
                        "kube-apiserver not ready after {READY_TIMEOUT:?}; the end of its log:\n{}",
                        log_tail(root, "kube-apiserver")
                    )
                }
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Starts Numaflow's controller of a world again (SIGKILL, then a fresh process with
    /// the same config) and waits until it is ready: fresh informers, as after a
    /// controller pod's restart.
    pub async fn restart_numaflow(&mut self) -> Result<()> {
        let root = self.dir().context("control plane stopped")?.to_path_buf();
        let bin = self
            .numaflow
            .clone()
            .context("not a world: no Numaflow controller")?;
        let slot = self
            .children
            .iter()
            .position(|(n, _)| *n == "numaflow-controller")
            .context("no Numaflow controller running")?;
        let (_, mut old) = self.children.remove(slot);
        let _ = old.kill();
        let _ = old.wait();
        let cmd =
            components::numaflow_command(&bin, &root.join("numaflow-config"), &self.kubeconfig)?;
        let child = spawn(cmd, &root, "numaflow-controller")?;
        self.children.push(("numaflow-controller", child));
        self.wait_numaflow(&root).await
    }

    /// Fails with the end of its log when a process of this plane has exited.
    pub fn ensure_running(&mut self) -> Result<()> {
        let root = self.dir().context("control plane stopped")?.to_path_buf();
        self.check_alive(&root)
    }

    /// Fails with the end of its log when a child has exited.
    fn check_alive(&mut self, root: &Path) -> Result<()> {
        for (name, child) in self.children.iter_mut() {
            if let Some(status) = child.try_wait()? {
                bail!(
                    "{name} exited early ({status}); the end of its log:\n{}",
                    log_tail(root, name)
                );
            }
        }
        Ok(())
    }

    /// Waits until Numaflow's controller answers its readiness probe.
    async fn wait_numaflow(&mut self, root: &Path) -> Result<()> {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            self.check_alive(root)?;
            if tokio::task::spawn_blocking(components::numaflow_ready).await? {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "Numaflow's controller not ready after {READY_TIMEOUT:?}; the end of its log:\n{}",
                    log_tail(root, "numaflow-controller")
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The API server's address, `https://127.0.0.1:PORT`.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// etcd's client URL, `http://127.0.0.1:PORT`.
    pub fn etcd(&self) -> &str {
        &self.etcd
    }

    /// A kubeconfig with one context per [`User`]; `admin` is the current context.
    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }

    /// The temporary directory holding certificates, tokens, logs and etcd's data.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_ref().map(|d| d.path())
    }

    /// A client authenticated as `user`, for the current tokio runtime.
    pub async fn client(&self, user: User) -> Result<Client> {
        client_for(&self.kubeconfig, user).await
    }

    /// Kills the processes this control plane started and removes its directory.
    pub fn stop(&mut self) {
        for (_, child) in self.children.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
        self.children.clear();
        self.lock = None;
        if let Some(dir) = self.dir.take() {
            let _ = dir.close();
        }
    }

    /// Process ids of the running children (etcd, kube-apiserver, then the world's).
    pub fn pids(&self) -> Vec<u32> {
        self.children.iter().map(|(_, c)| c.id()).collect()
    }
}

impl Drop for ControlPlane {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A self-signed client certificate and its private key (PEM), for tests that need a
/// kubeconfig holding a client key (the test API server does not ask for one).
pub fn client_identity_pem() -> Result<(String, String)> {
    let key = rcgen::KeyPair::generate()?;
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new())?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "numa-test-client");
    let cert = params.self_signed(&key)?;
    Ok((cert.pem(), key.serialize_pem()))
}

/// Spawns a control-plane process logging to `<root>/<name>.log` (appended to).
fn spawn(mut cmd: Command, root: &Path, name: &str) -> Result<Child> {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(root.join(format!("{name}.log")))?;
    cmd.stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    set_parent_death_signal(&mut cmd);
    cmd.spawn().with_context(|| format!("starting {name}"))
}

/// The last lines of a process's log, for start-up errors (the directory is removed
/// when the failed control plane is dropped).
fn log_tail(root: &Path, name: &str) -> String {
    let log = std::fs::read_to_string(root.join(format!("{name}.log"))).unwrap_or_default();
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

/// A client for `user` from a kubeconfig written by [`ControlPlane`].
pub async fn client_for(kubeconfig: &Path, user: User) -> Result<Client> {
    let kc = Kubeconfig::read_from(kubeconfig)?;
    let opts = KubeConfigOptions {
        context: Some(user.name().to_string()),
        ..Default::default()
    };
    let config = Config::from_custom_kubeconfig(kc, &opts).await?;
    Ok(Client::try_from(config)?)
}

/// Where temporary directories go: `NUMA_TESTENV_SCRATCH` when set (the test script
/// uses it to check that nothing is left behind), else memory-backed `/dev/shm` when
/// there is one, where etcd's fsync of every write costs nothing.
fn scratch_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("NUMA_TESTENV_SCRATCH").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let shm = PathBuf::from("/dev/shm");
    if shm.is_dir() {
        shm
    } else {
        std::env::temp_dir()
    }
}

pub(crate) fn free_ports<const N: usize>() -> Result<[u16; N]> {
    // Hold every listener until all ports are chosen so none is picked twice.
    let listeners = (0..N)
        .map(|_| TcpListener::bind("127.0.0.1:0"))
        .collect::<std::io::Result<Vec<_>>>()?;
    let mut ports = [0; N];
    for (port, l) in ports.iter_mut().zip(&listeners) {
        *port = l.local_addr()?.port();
    }
    Ok(ports)
}

/// Asks Linux to SIGKILL the child when the thread that spawned it exits. Spawn from a
/// thread that lives as long as the control plane should (see [`crate::shared`]).
fn set_parent_death_signal(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl is async-signal-safe and touches only the child's own state.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

impl User {
    /// The token file line of this user.
    pub(crate) fn token_line(self, token: &str) -> String {
        format!(
            "{token},{name},{name},\"{groups}\"",
            name = self.name(),
            groups = self.groups()
        )
    }
}
