//! One world per test binary, shared by every test in it.
//!
//! Tests run on many threads and each `#[tokio::test]` has its own runtime, so the world
//! is started from a dedicated thread that lives until the process exits (the children's
//! parent-death signal is tied to that thread). Tests get their own clients with
//! [`TestEnv::client`] and isolate themselves with [`TestEnv::namespace`], which also
//! gives each namespace the healthy InterStepBufferService `default` its pipelines need.
//! At process exit (also after failed tests) an `atexit` hook stops the processes and
//! removes the directory. The world's thread runs the watchdog of [`crate::nudge`].

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, PostParams};
use kube::Client;
use rand::distr::{Alphanumeric, SampleString};

use crate::controlplane::{client_for, crd_flavour, ControlPlane, User};

/// What the tests of one binary share: a running world (see
/// [`ControlPlane::start_world`]).
pub struct TestEnv {
    kubeconfig: PathBuf,
    server: String,
    pids: Vec<u32>,
    crds: String,
}

static ENV: OnceLock<TestEnv> = OnceLock::new();
static PLANE: Mutex<Option<ControlPlane>> = Mutex::new(None);

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
            let rt = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => return drop(tx.send(Err(e.into()))),
            };
            rt.block_on(async move {
                let started = async {
                    let plane = ControlPlane::start_world().await?;
                    let admin = plane.client(User::Admin).await?;
                    let env = TestEnv {
                        kubeconfig: plane.kubeconfig().to_path_buf(),
                        server: plane.server().to_string(),
                        pids: plane.pids(),
                        crds: crd_flavour()?,
                    };
                    *PLANE.lock().unwrap_or_else(|p| p.into_inner()) = Some(plane);
                    // SAFETY: registering a plain `extern "C" fn` with no captured state.
                    unsafe { libc::atexit(stop_at_exit) };
                    anyhow::Ok((env, admin))
                };
                let admin = match started.await {
                    Ok((env, admin)) => {
                        drop(tx.send(Ok(env)));
                        admin
                    }
                    Err(e) => return drop(tx.send(Err(e))),
                };
                // The children's parent-death signal is tied to this thread: it lives on,
                // watching for the controller race of [`crate::nudge`].
                crate::nudge::run(admin).await;
            });
        })?;
    rx.recv()?
}

extern "C" fn stop_at_exit() {
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

    /// Which Numaflow CRDs the world runs with: `full` or `minimal`.
    pub fn crds(&self) -> &str {
        &self.crds
    }

    /// Creates a namespace named `<prefix>-<random>` with a healthy
    /// InterStepBufferService `default` in it, and returns its name.
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
        if let Some(plane) = PLANE.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
            if let Err(e) = plane.ensure_running() {
                panic!("the test world broke down: {e:#}");
            }
        }
        let client = self.client(User::Admin).await;
        Api::<Namespace>::all(client.clone())
            .create(&PostParams::default(), &ns)
            .await
            .expect("create test namespace");
        crate::isbsvc::create_healthy(&client, &name)
            .await
            .unwrap_or_else(|e| panic!("InterStepBufferService in {name}: {e:#}"));
        name
    }
}
