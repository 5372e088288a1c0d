//! Shared helpers of the plugin's integration tests: the test world (Kubernetes, kwok and
//! Numaflow's own controller, one per test binary, see `testenv::shared`), fixtures, and
//! running the plugin binary as a user would.

#![allow(dead_code)] // each test binary uses a different subset

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ApiResource, DynamicObject, ListParams, PostParams};
use kube::Client;
use serde_json::{json, Value};
pub use testenv::nudge::is_ready;
use testenv::{TestEnv, User};

/// The test binary's world.
pub fn env() -> &'static TestEnv {
    testenv::shared()
}

/// The plugin's own client, as admin in `ns`, each request (and each write's retries)
/// bounded by `request_timeout`: for tests that call the library's API layer directly.
pub async fn admin_kube(ns: &str, request_timeout: Duration) -> kubectl_numa::api::Kube {
    kubectl_numa::api::connect(kubectl_numa::api::ConnectOptions {
        kubeconfig: Some(env().kubeconfig().to_path_buf()),
        context: Some("admin".into()),
        namespace: Some(ns.to_string()),
        request_timeout,
        ..Default::default()
    })
    .await
    .unwrap()
}

/// A namespace of its own for one test, and an admin client.
pub async fn setup(prefix: &str) -> (String, Client) {
    let env = env();
    let ns = env.namespace(prefix).await;
    (ns, env.client(User::Admin).await)
}

/// The API resource of a Numaflow kind (`Pipeline`, `Vertex`, `MonoVertex`).
pub fn resource(kind: &str) -> ApiResource {
    testenv::crds::resource(kind)
}

/// The API of a Numaflow kind in `ns`.
pub fn numaflow(client: &Client, ns: &str, kind: &str) -> Api<DynamicObject> {
    Api::namespaced_with(client.clone(), ns, &resource(kind))
}

/// A vertex definition `name` with `replicas` (pinned as `scale.min == scale.max`, the
/// way a pipeline vertex gets a fixed replica count: the definition has no `replicas`)
/// and a udf image.
pub fn udf(name: &str, replicas: u32, image: &str) -> Value {
    json!({"name": name, "scale": {"min": replicas, "max": replicas},
           "udf": {"container": {"image": image}}})
}

/// The spec of a valid pipeline over these vertex definitions: when they have no
/// source, a one-replica generator `in` comes first; when they have no sink, a
/// one-replica log sink `out` comes last; edges chain the vertices in order.
pub fn pipeline_spec(mut vertices: Vec<Value>) -> Value {
    let one = json!({"min": 1, "max": 1});
    if !vertices.iter().any(|v| v.get("source").is_some()) {
        vertices.insert(0, json!({"name": "in", "scale": one, "source": {"generator": {"rpu": 1, "duration": "1s"}}}));
    }
    if !vertices.iter().any(|v| v.get("sink").is_some()) {
        vertices.push(json!({"name": "out", "scale": one, "sink": {"log": {}}}));
    }
    let edges: Vec<Value> = vertices
        .windows(2)
        .map(|w| json!({"from": w[0]["name"], "to": w[1]["name"]}))
        .collect();
    json!({"vertices": vertices, "edges": edges})
}

/// Creates Pipeline `name` with these vertex definitions (made valid by [`pipeline_spec`]).
pub async fn create_pipeline(
    client: &Client,
    ns: &str,
    name: &str,
    vertices: Vec<Value>,
) -> DynamicObject {
    let obj: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
        "metadata": {"name": name, "namespace": ns},
        "spec": pipeline_spec(vertices),
    }))
    .unwrap();
    numaflow(client, ns, "Pipeline")
        .create(&PostParams::default(), &obj)
        .await
        .expect("create pipeline")
}

/// Creates MonoVertex `name` with `replicas` and a udsink image.
pub async fn create_monovertex(
    client: &Client,
    ns: &str,
    name: &str,
    replicas: u32,
    image: &str,
) -> DynamicObject {
    let obj: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "MonoVertex",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"replicas": replicas, "source": {"udsource": {"container": {"image": "example/src:v1"}}},
                 "sink": {"udsink": {"container": {"image": image}}}},
    }))
    .unwrap();
    numaflow(client, ns, "MonoVertex")
        .create(&PostParams::default(), &obj)
        .await
        .expect("create monovertex")
}

/// Edits an object's spec with `edit` (read, change, replace with the read
/// resourceVersion; retried on conflict).
pub async fn edit_spec(
    client: &Client,
    ns: &str,
    kind: &str,
    name: &str,
    edit: impl Fn(&mut Value),
) {
    let api = numaflow(client, ns, kind);
    for _ in 0..10 {
        let mut obj = api.get(name).await.expect("get for edit");
        edit(&mut obj.data["spec"]);
        match api.replace(name, &PostParams::default(), &obj).await {
            Ok(_) => return,
            Err(kube::Error::Api(e)) if e.code == 409 => continue,
            Err(e) => panic!("edit {kind}/{name}: {e}"),
        }
    }
    panic!("edit {kind}/{name}: conflicts did not stop");
}

/// Sets the udf image of vertex `vertex` of pipeline `pl`.
pub async fn set_udf_image(client: &Client, ns: &str, pl: &str, vertex: &str, image: &str) {
    let (vertex, image) = (vertex.to_string(), image.to_string());
    edit_spec(client, ns, "Pipeline", pl, move |spec| {
        for v in spec["vertices"].as_array_mut().unwrap() {
            if v["name"] == vertex {
                v["udf"]["container"]["image"] = json!(image);
            }
        }
    })
    .await;
}

/// The pods of a pipeline vertex (`short` name) or, with `pl` empty, of monovertex
/// `short` (as its controller selects them: not its daemon's).
pub async fn pods(client: &Client, ns: &str, pl: &str, short: &str) -> Vec<Pod> {
    let sel = if pl.is_empty() {
        format!(
            "app.kubernetes.io/component=mono-vertex,numaflow.numaproj.io/mono-vertex-name={short}"
        )
    } else {
        format!("numaflow.numaproj.io/pipeline-name={pl},numaflow.numaproj.io/vertex-name={short}")
    };
    Api::<Pod>::namespaced(client.clone(), ns)
        .list(&ListParams::default().labels(&sel))
        .await
        .unwrap()
        .items
}

/// Hash annotations of pods.
pub fn hashes(pods: &[Pod]) -> Vec<String> {
    pods.iter()
        .map(|p| {
            p.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("numaflow.numaproj.io/hash"))
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

/// Polls `check` every 50 ms until it returns `Some`, failing the test with `what`
/// after `timeout`.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            start.elapsed() < timeout,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What a run of the plugin printed and its exit code.
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Wall time.
    pub took: Duration,
}

impl From<(Output, Duration)> for Run {
    fn from((o, took): (Output, Duration)) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            took,
        }
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {} after {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.took, self.stdout, self.stderr
        )
    }
}

/// The plugin binary built for these tests.
pub const PLUGIN: &str = env!("CARGO_BIN_EXE_kubectl-numa");

/// Runs the plugin with the test kubeconfig as `user` in `ns` (off the async runtime).
pub async fn plugin(user: User, ns: &str, args: &[&str]) -> Run {
    run(plugin_command(user, ns, args)).await
}

/// Runs the plugin as admin in `ns` and checks that it exits with `code`. On another
/// code the failure shows the namespace as the API server has it right then (see
/// [`snapshot`]): whether the controllers or the plugin stopped short.
pub async fn admin_expect(code: i32, ns: &str, args: &[&str]) -> Run {
    let r = plugin(User::Admin, ns, args).await;
    if r.code != code {
        let world = snapshot(ns).await;
        panic!("{args:?}: want exit {code}: {r:?}\n--- the namespace now\n{world}");
    }
    r
}

/// The Numaflow objects of `ns` (generation, observed generation, hashes and replica
/// counts of their status) and its pods (revision, phase, readiness, deletion), one line
/// each, for a failure message.
pub async fn snapshot(ns: &str) -> String {
    let client = env().client(User::Admin).await;
    let mut out = String::new();
    for kind in ["Pipeline", "Vertex", "MonoVertex"] {
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, &resource(kind));
        let Ok(list) = api.list(&ListParams::default()).await else {
            out += &format!("{kind}: could not be listed\n");
            continue;
        };
        for o in list.items {
            let st = &o.data["status"];
            out += &format!(
                "{kind} {} generation {:?} status {}\n",
                o.metadata.name.unwrap_or_default(),
                o.metadata.generation,
                json!({
                    "phase": st["phase"], "observedGeneration": st["observedGeneration"],
                    "currentHash": st["currentHash"], "updateHash": st["updateHash"],
                    "replicas": st["replicas"], "desiredReplicas": st["desiredReplicas"],
                    "updatedReplicas": st["updatedReplicas"],
                    "updatedReadyReplicas": st["updatedReadyReplicas"],
                    "readyReplicas": st["readyReplicas"],
                })
            );
        }
    }
    let pods = Api::<Pod>::namespaced(client, ns)
        .list(&ListParams::default())
        .await
        .map(|l| l.items)
        .unwrap_or_default();
    for p in pods {
        let ready = is_ready(&p);
        out += &format!(
            "Pod {} hash {:?} phase {:?} ready {ready} deleting {}\n",
            p.metadata.name.as_deref().unwrap_or_default(),
            p.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("numaflow.numaproj.io/hash")),
            p.status.as_ref().and_then(|s| s.phase.as_deref()),
            p.metadata.deletion_timestamp.is_some(),
        );
    }
    out
}

/// A namespace with pipeline `p`: udf `cat` (`replicas` of `example/cat:v1`) between a
/// source and a sink, its rollout waited for by `rollout status` (which records
/// revision 1).
pub async fn rolled_out_cat(prefix: &str, replicas: u32) -> (String, Client) {
    let (ns, client) = setup(prefix).await;
    create_pipeline(
        &client,
        &ns,
        "p",
        vec![udf("cat", replicas, "example/cat:v1")],
    )
    .await;
    admin_expect_line(0, &ns, "rollout status pipeline/p --timeout 60s").await;
    (ns, client)
}

/// [`admin_expect`] with the arguments written as one line (split at whitespace, so no
/// argument may contain a space).
pub async fn admin_expect_line(code: i32, ns: &str, line: &str) -> Run {
    admin_expect(code, ns, &line.split_whitespace().collect::<Vec<_>>()).await
}

/// Runs a prepared command to completion on a blocking thread.
pub async fn run(mut cmd: Command) -> Run {
    tokio::task::spawn_blocking(move || {
        let start = Instant::now();
        let out = cmd.output().expect("spawn command");
        Run::from((out, start.elapsed()))
    })
    .await
    .unwrap()
}

/// A child's stdout or stderr, read line by line on a thread of its own and handed
/// over through a channel, so that a test waits for what the child prints instead of
/// sleeping. Every wait has a timeout, which only bounds a failing test.
pub struct Lines {
    rx: tokio::sync::mpsc::UnboundedReceiver<String>,
    text: String,
    closed: bool,
}

impl Lines {
    /// Starts reading `pipe` (a child's `stdout.take()` or `stderr.take()`).
    pub fn read(pipe: impl std::io::Read + Send + 'static) -> Lines {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        std::thread::spawn(move || {
            let mut pipe = std::io::BufReader::new(pipe);
            loop {
                let mut line = Vec::new();
                match std::io::BufRead::read_until(&mut pipe, b'\n', &mut line) {
                    Ok(1..) => {
                        if tx
                            .send(String::from_utf8_lossy(&line).into_owned())
                            .is_err()
                        {
                            return;
                        }
                    }
                    _ => return,
                }
            }
        });
        Lines {
            rx,
            text: String::new(),
            closed: false,
        }
    }

    /// Everything read so far: whole lines (and a last unterminated one once the pipe
    /// closed).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the pipe closed (the child and everything it started exited).
    pub fn closed(&self) -> bool {
        self.closed
    }

    /// Waits until `done` holds for the text read so far (checked again after each
    /// line), failing the test with `what` and that text when the pipe closes first or
    /// `timeout` passes.
    pub async fn wait_for(
        &mut self,
        what: &str,
        timeout: Duration,
        mut done: impl FnMut(&str) -> bool,
    ) {
        let deadline = tokio::time::Instant::now() + timeout;
        while !done(&self.text) {
            assert!(
                !self.closed,
                "the output ended before {what}:\n{}",
                self.text
            );
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(line)) => self.text.push_str(&line),
                Ok(None) => self.closed = true,
                Err(_) => panic!(
                    "timed out after {timeout:?} waiting for {what}:\n{}",
                    self.text
                ),
            }
        }
    }

    /// Waits for a line containing `what` (see [`Lines::wait_for`]).
    pub async fn wait_line(&mut self, what: &str, timeout: Duration) {
        self.wait_for(&format!("a line with {what:?}"), timeout, |text| {
            text.lines().any(|l| l.contains(what))
        })
        .await;
    }

    /// Reads to the end (once the child exited or was killed) and returns everything.
    pub async fn rest(&mut self, timeout: Duration) -> String {
        let deadline = tokio::time::Instant::now() + timeout;
        while !self.closed {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(line)) => self.text.push_str(&line),
                Ok(None) => self.closed = true,
                Err(_) => panic!("the output did not end within {timeout:?}:\n{}", self.text),
            }
        }
        self.text.clone()
    }
}

/// A child running with its stdout and stderr read as [`Lines`]; killed when dropped
/// still running (a failing test stops what it started).
pub struct Running {
    /// The child (its pipes taken); `None` once [`Running::finish`] took it.
    child: Option<std::process::Child>,
    /// Its standard output.
    pub stdout: Lines,
    /// Its standard error.
    pub stderr: Lines,
    started: Instant,
}

impl Running {
    /// Spawns `cmd` with piped stdout and stderr.
    pub fn spawn(mut cmd: Command) -> Running {
        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn command");
        Running {
            stdout: Lines::read(child.stdout.take().unwrap()),
            stderr: Lines::read(child.stderr.take().unwrap()),
            child: Some(child),
            started: Instant::now(),
        }
    }

    fn child(&mut self) -> &mut std::process::Child {
        self.child
            .as_mut()
            .expect("the child was already waited for")
    }

    /// The child's process id.
    pub fn id(&mut self) -> u32 {
        self.child().id()
    }

    /// Whether the child is still running.
    pub fn is_running(&mut self) -> bool {
        self.child().try_wait().expect("try_wait").is_none()
    }

    /// What it printed so far, and its exit code when it ended (-2 while it runs).
    pub fn so_far(&mut self) -> Run {
        let code = match self.child().try_wait().expect("try_wait") {
            Some(s) => s.code().unwrap_or(-1),
            None => -2,
        };
        Run {
            code,
            stdout: self.stdout.text().to_string(),
            stderr: self.stderr.text().to_string(),
            took: self.started.elapsed(),
        }
    }

    /// [`Running::finish`], failing the test when the child is still running after
    /// `within` (a bound for a hung run only: what ends it is what the test checks).
    pub async fn ended(self, within: Duration) -> Run {
        self.finish(within)
            .await
            .unwrap_or_else(|r| panic!("still running after {within:?}: {r:?}"))
    }

    /// Waits for the child to exit and for its output to end; `Err` with what it printed
    /// when it was still running after `timeout` (it is killed then).
    pub async fn finish(mut self, timeout: Duration) -> Result<Run, Run> {
        let deadline = Instant::now() + timeout;
        let mut child = self.child.take().expect("the child was already waited for");
        let (child, status) = tokio::task::spawn_blocking(move || loop {
            if let Some(status) = child.try_wait().expect("try_wait") {
                return (child, Some(status));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return (child, None);
            }
            std::thread::sleep(Duration::from_millis(20));
        })
        .await
        .unwrap();
        drop(child);
        let stdout = self.stdout.rest(Duration::from_secs(30)).await;
        let stderr = self.stderr.rest(Duration::from_secs(30)).await;
        let run = Run {
            code: status.map_or(-1, |s| s.code().unwrap_or(-1)),
            stdout,
            stderr,
            took: self.started.elapsed(),
        };
        match status {
            Some(_) => Ok(run),
            None => Err(run),
        }
    }

    /// Kills the child and returns what it printed.
    pub async fn kill(mut self) -> Run {
        let _ = self.child().kill();
        self.finish(Duration::from_secs(30))
            .await
            .unwrap_or_else(|r| panic!("still running after kill: {r:?}"))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The command [`plugin`] runs (the test kubeconfig, `user`, `ns`), to spawn it with
/// [`Running::spawn`] and watch it while it runs.
pub fn plugin_command(user: User, ns: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(PLUGIN);
    cmd.arg("--kubeconfig")
        .arg(env().kubeconfig())
        .args(["--context", user.name(), "-n", ns])
        .args(args);
    cmd.env_remove("KUBECONFIG").env("NO_COLOR", "1");
    cmd
}
