//! A simulated Numaflow controller and kubelet.
//!
//! It reconciles Pipelines into Vertex objects (`pipeline`), rolls the pods of Vertex
//! and MonoVertex objects the way the upstream controllers do (`rollout`, applied by
//! `vertex`), and plays kubelet for every pod (`kubelet`): Pending, then Running and
//! Ready, or one of the injected failures chosen by container image (`kubelet` lists
//! them).
//!
//! It works from watch-fed caches (`cache`) and reconciles every
//! [`SimConfig::tick`]; one full pass over all objects and pods is a *cycle*.
//! Anything labelled [`UNMANAGED_LABEL`](crate::names::UNMANAGED_LABEL) is left alone.

mod cache;
mod hash;
mod kubelet;
mod pipeline;
mod pods;
mod rollout;
mod vertex;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use kube::api::{ApiResource, DeleteParams, DynamicObject, Preconditions};
use kube::{Client, ResourceExt};
use serde_json::{Map, Value};
use tokio::task::JoinHandle;

use crate::names::{GROUP, VERSION};
use cache::Cache;

/// How the simulator behaves.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// How long a new pod takes to become Ready (also the crash-loop restart period).
    pub ready_delay: Duration,
    /// Time between reconcile passes.
    pub tick: Duration,
    /// Only this namespace; `None` for all namespaces.
    pub namespace: Option<String>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            ready_delay: Duration::from_millis(300),
            tick: Duration::from_millis(50),
            namespace: None,
        }
    }
}

/// A simulator running as a tokio task; stopped when dropped.
pub struct Simulator {
    cycles: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

/// Start the simulator on the current tokio runtime. It runs until the returned
/// [`Simulator`] is dropped.
pub fn spawn(client: Client, cfg: SimConfig) -> Simulator {
    let cycles = Arc::new(AtomicU64::new(0));
    let counter = cycles.clone();
    let task = tokio::spawn(async move {
        if let Err(e) = run(client, cfg, counter).await {
            eprintln!("numa-sim: stopped: {e:#}");
        }
    });
    Simulator { cycles, task }
}

impl Simulator {
    /// Completed reconcile cycles so far.
    pub fn cycles(&self) -> u64 {
        self.cycles.load(Ordering::SeqCst)
    }

    /// Wait until `n` more cycles have completed after this call.
    pub async fn wait_cycles(&self, n: u64) {
        wait_for_cycles(&self.cycles, n).await;
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Wait until `counter` has grown by `n` from its value now.
async fn wait_for_cycles(counter: &AtomicU64, n: u64) {
    let target = counter.load(Ordering::SeqCst) + n;
    while counter.load(Ordering::SeqCst) < target {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Run the simulator loop forever (the command-line runner's entry point).
/// `cycles` is incremented after each completed reconcile pass.
pub async fn run(client: Client, cfg: SimConfig, cycles: Arc<AtomicU64>) -> anyhow::Result<()> {
    let (cache, _watches) = Cache::start(&client, cfg.namespace.as_deref());
    let ctx = Ctx {
        client,
        cfg,
        cache,
        errors: ErrorLog::default(),
        kubelet: kubelet::State::default(),
    };
    let mut ticks = tokio::time::interval(ctx.cfg.tick);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if !ctx.cache.synced() {
            continue;
        }
        pipeline::reconcile_all(&ctx).await;
        vertex::reconcile_all(&ctx).await;
        kubelet::pass(&ctx).await;
        cycles.fetch_add(1, Ordering::SeqCst);
    }
}

/// Everything a reconcile pass needs.
struct Ctx {
    client: Client,
    cfg: SimConfig,
    cache: Arc<Cache>,
    errors: ErrorLog,
    kubelet: kubelet::State,
}

/// How many objects (or pods) one pass works on at the same time.
const CONCURRENCY: usize = 16;

/// Per-object error reporting that prints each distinct error once, not every tick.
#[derive(Default)]
struct ErrorLog(Mutex<HashMap<String, String>>);

impl ErrorLog {
    /// Report the outcome of reconciling `what`. Conflicts (409) are expected with
    /// lagging caches and are retried silently on the next tick.
    fn report(&self, what: &str, result: anyhow::Result<()>) {
        let mut last = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match result {
            Ok(()) => {
                last.remove(what);
            }
            Err(e) if is_status(&e, 409) => {}
            Err(e) => {
                let msg = format!("{e:#}");
                if last.get(what) != Some(&msg) {
                    eprintln!("numa-sim: {what}: {msg}");
                    last.insert(what.to_string(), msg);
                }
            }
        }
    }
}

/// Whether `err` is an API error with HTTP status `code`.
fn is_status(err: &anyhow::Error, code: u16) -> bool {
    err.chain().any(|cause| {
        matches!(cause.downcast_ref::<kube::Error>(), Some(kube::Error::Api(s)) if s.code == code)
    })
}

/// Ok for a 404 (the object is already gone), the error otherwise.
fn ignore_not_found<T>(result: kube::Result<T>) -> kube::Result<Option<T>> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(kube::Error::Api(s)) if s.code == 404 => Ok(None),
        Err(e) => Err(e),
    }
}

/// The current time as Kubernetes writes it (RFC 3339, seconds, UTC).
fn now() -> String {
    k8s_openapi::jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn numaflow_resource(kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: GROUP.into(),
        version: VERSION.into(),
        api_version: format!("{GROUP}/{VERSION}"),
        kind: kind.into(),
        plural: plural.into(),
    }
}

/// The Pipeline resource.
fn pipeline_resource() -> ApiResource {
    numaflow_resource("Pipeline", "pipelines")
}

/// The Vertex resource.
fn vertex_resource() -> ApiResource {
    numaflow_resource("Vertex", "vertices")
}

/// The MonoVertex resource.
fn monovertex_resource() -> ApiResource {
    numaflow_resource("MonoVertex", "monovertices")
}

/// The uid of the controller owner of kind `kind` (a Numaflow kind) in `meta`.
fn controller_uid<'a>(meta: &'a ObjectMeta, kind: &str) -> Option<&'a str> {
    meta.owner_references.iter().flatten().find_map(|o| {
        let ours = o.controller == Some(true) && o.kind == kind && o.api_version.starts_with(GROUP);
        ours.then_some(o.uid.as_str())
    })
}

/// A controller ownerReference to the Numaflow object `owner` of resource `ar`.
fn controller_ref(owner: &DynamicObject, ar: &ApiResource) -> OwnerReference {
    OwnerReference {
        api_version: ar.api_version.clone(),
        kind: ar.kind.clone(),
        name: owner.name_any(),
        uid: owner.uid().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// Whether any of the `fields` (a JSON object) differs from the same field of `current`.
fn differs(current: Option<&Value>, fields: &Map<String, Value>) -> bool {
    fields
        .iter()
        .any(|(k, v)| current.and_then(|c| c.get(k)) != Some(v))
}

/// Delete options: only the object with this uid, with this grace period.
fn delete_params(uid: Option<String>, grace_period_seconds: Option<u32>) -> DeleteParams {
    DeleteParams {
        grace_period_seconds,
        preconditions: Some(Preconditions {
            uid,
            resource_version: None,
        }),
        ..DeleteParams::default()
    }
}
