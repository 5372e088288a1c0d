//! One control plane and simulator per test binary, shared by every test in it.
//!
//! Tests run on many threads and each `#[tokio::test]` has its own runtime, so the
//! control plane is started from a dedicated thread that lives until the process exits
//! (the children's parent-death signal is tied to that thread) and the simulator runs on
//! that thread's runtime. Tests get their own clients with [`TestEnv::client`] and
//! isolate themselves with [`TestEnv::namespace`]. At process exit (also after failed
//! tests) an `atexit` hook stops the processes and removes the directory.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, PostParams};
use kube::Client;
use rand::distr::{Alphanumeric, SampleString};

use crate::controlplane::{client_for, ControlPlane, User};
use crate::sim::{self, SimConfig};

/// What the tests of one binary share: a running control plane with the Numaflow CRDs
/// and RBAC installed, and a simulator reconciling every namespace.
pub struct TestEnv {
    kubeconfig: PathBuf,
    server: String,
    pids: Vec<u32>,
    cycles: Arc<AtomicU64>,
}

static ENV: OnceLock<TestEnv> = OnceLock::new();
static PLANE: Mutex<Option<ControlPlane>> = Mutex::new(None);
/// Tells the simulator to stop before the control plane goes (at process exit).
static SHUTDOWN: tokio::sync::Notify = tokio::sync::Notify::const_new();
/// Set by the simulator thread once it stopped.
static SIM_STOPPED: Mutex<Option<std::sync::mpsc::Receiver<()>>> = Mutex::new(None);

/// The test binary's shared environment, started on first use. Panics with the reason
/// (for example "run scripts/testenv.sh install") when it cannot start.
pub fn shared() -> &'static TestEnv {
    ENV.get_or_init(|| {
        start().unwrap_or_else(|e| panic!("test control plane failed to start: {e:#}"))
    })
}

fn start() -> anyhow::Result<TestEnv> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("numa-testenv".into())
        .spawn(move || {
            let rt = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => return drop(tx.send(Err(e.into()))),
            };
            rt.block_on(async move {
                let started = async {
                    let plane = ControlPlane::start().await?;
                    let admin = plane.client(User::Admin).await?;
                    crate::bootstrap(&admin).await?;
                    let cycles = Arc::new(AtomicU64::new(0));
                    let env = TestEnv {
                        kubeconfig: plane.kubeconfig().to_path_buf(),
                        server: plane.server().to_string(),
                        pids: plane.pids(),
                        cycles: cycles.clone(),
                    };
                    *PLANE.lock().unwrap_or_else(|p| p.into_inner()) = Some(plane);
                    // SAFETY: registering a plain `extern "C" fn` with no captured state.
                    unsafe { libc::atexit(stop_at_exit) };
                    anyhow::Ok((env, admin, cycles))
                };
                match started.await {
                    Ok((env, admin, cycles)) => {
                        let (stopped_tx, stopped_rx) = std::sync::mpsc::channel();
                        *SIM_STOPPED.lock().unwrap_or_else(|p| p.into_inner()) = Some(stopped_rx);
                        let _ = tx.send(Ok(env));
                        tokio::select! {
                            r = sim::run(admin, SimConfig::default(), cycles) => {
                                if let Err(e) = r {
                                    eprintln!("numa-testenv: simulator stopped: {e:#}");
                                }
                            }
                            _ = SHUTDOWN.notified() => {}
                        }
                        let _ = stopped_tx.send(());
                        futures::future::pending::<()>().await;
                    }
                    Err(e) => drop(tx.send(Err(e))),
                }
            });
        })?;
    rx.recv()?
}

extern "C" fn stop_at_exit() {
    // Stop the simulator first so its watches do not complain about the server leaving.
    SHUTDOWN.notify_one();
    if let Some(rx) = SIM_STOPPED.lock().unwrap_or_else(|p| p.into_inner()).take() {
        let _ = rx.recv_timeout(Duration::from_secs(2));
    }
    if let Some(mut plane) = PLANE.lock().unwrap_or_else(|p| p.into_inner()).take() {
        plane.stop();
    }
}

impl TestEnv {
    /// The kubeconfig with contexts `admin` (current), `viewer` and `nobody`.
    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }

    /// The API server address.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Process ids of the kube-apiserver and etcd this binary started.
    pub fn pids(&self) -> &[u32] {
        &self.pids
    }

    /// A new client for `user`, bound to the calling test's runtime.
    pub async fn client(&self, user: User) -> Client {
        client_for(&self.kubeconfig, user)
            .await
            .expect("client from the test kubeconfig")
    }

    /// Creates a namespace named `<prefix>-<random>` and returns its name.
    pub async fn namespace(&self, prefix: &str) -> String {
        let name = format!(
            "{prefix}-{}",
            Alphanumeric
                .sample_string(&mut rand::rng(), 6)
                .to_lowercase()
        );
        let ns: Namespace =
            serde_json::from_value(serde_json::json!({ "metadata": { "name": name } }))
                .expect("namespace literal");
        let api: Api<Namespace> = Api::all(self.client(User::Admin).await);
        api.create(&PostParams::default(), &ns)
            .await
            .expect("create test namespace");
        name
    }

    /// Reconcile passes the simulator has completed so far.
    pub fn sim_cycles(&self) -> u64 {
        self.cycles.load(Ordering::SeqCst)
    }

    /// Waits until the simulator has completed `n` more passes (panics after 60 s).
    pub async fn wait_sim_cycles(&self, n: u64) {
        let goal = self.sim_cycles() + n;
        let wait = async {
            while self.sim_cycles() < goal {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(60), wait)
            .await
            .expect("simulator cycles stalled");
    }
}
