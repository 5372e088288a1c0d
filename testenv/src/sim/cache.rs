//! In-memory caches of the objects the simulator reconciles.
//!
//! Each cache is fed by a `kube::runtime::watcher` stream and, so that the simulator
//! never acts twice on something the watch has not delivered yet, by the objects the
//! simulator's own create / replace / patch / delete calls return.
//!
//! Objects and pods labelled [`UNMANAGED_LABEL`] are not selected: the simulator
//! never sees them.
//!
//! Simulator shortcut: an event whose numeric `resourceVersion` is older than the
//! cached object's is ignored. Kubernetes documents resource versions as opaque, but
//! the etcd3 storage of the API servers these tests run against uses the etcd revision,
//! a global, increasing number. A relist (after a watch error) replaces the whole
//! store; writes the simulator made while it was running may then be lost for a tick,
//! which the controllers survive (they delete duplicate pods).

use std::collections::{HashMap, HashSet};
use std::fmt::Debug;
use std::sync::{Arc, Mutex, MutexGuard};

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DynamicObject};
use kube::runtime::watcher::{self, Event};
use kube::runtime::WatchStreamExt;
use kube::{Client, Resource, ResourceExt};
use serde::de::DeserializeOwned;
use tokio::task::JoinHandle;

use super::{monovertex_resource, pipeline_resource, vertex_resource};
use crate::names::UNMANAGED_LABEL;

/// Namespace and name.
type Key = (String, String);

fn key<K: Resource>(obj: &K) -> Key {
    (obj.namespace().unwrap_or_default(), obj.name_any())
}

fn rv<K: Resource>(obj: &K) -> u64 {
    obj.resource_version()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The objects of one kind.
struct Store<K> {
    objects: HashMap<Key, Arc<K>>,
    /// Objects of a list in progress (between `Init` and `InitDone`).
    relist: Option<HashMap<Key, Arc<K>>>,
    /// UIDs the simulator deleted whose delete event has not arrived yet: a late
    /// event for them must not bring them back.
    deleted: HashSet<String>,
    synced: bool,
}

impl<K: Resource> Store<K> {
    fn insert(&mut self, obj: K) {
        if obj.uid().is_some_and(|uid| self.deleted.contains(&uid)) {
            return;
        }
        let k = key(&obj);
        if self
            .objects
            .get(&k)
            .is_some_and(|cached| rv(cached.as_ref()) > rv(&obj))
        {
            return;
        }
        self.objects.insert(k, Arc::new(obj));
    }

    fn remove(&mut self, obj: &K) {
        let k = key(obj);
        if self
            .objects
            .get(&k)
            .is_some_and(|cached| cached.uid() == obj.uid())
        {
            self.objects.remove(&k);
        }
    }

    fn apply(&mut self, event: Event<K>) {
        match event {
            Event::Apply(obj) => self.insert(obj),
            Event::Delete(obj) => {
                self.remove(&obj);
                if let Some(uid) = obj.uid() {
                    self.deleted.remove(&uid);
                }
            }
            Event::Init => self.relist = Some(HashMap::new()),
            Event::InitApply(obj) => {
                if let Some(list) = self.relist.as_mut() {
                    list.insert(key(&obj), Arc::new(obj));
                }
            }
            Event::InitDone => {
                self.objects = self.relist.take().unwrap_or_default();
                self.deleted.clear();
                self.synced = true;
            }
        }
    }
}

/// A watched cache of one kind of object.
pub(super) struct Watched<K> {
    store: Mutex<Store<K>>,
}

impl<K: Resource> Watched<K> {
    fn new() -> Self {
        Self {
            store: Mutex::new(Store {
                objects: HashMap::new(),
                relist: None,
                deleted: HashSet::new(),
                synced: false,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Store<K>> {
        // A panic while holding the lock cannot leave the maps half-updated in a way
        // that matters here; keep going with whatever is in them.
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every cached object.
    pub(super) fn list(&self) -> Vec<Arc<K>> {
        self.lock().objects.values().cloned().collect()
    }

    /// The cached object `namespace/name`.
    pub(super) fn get(&self, namespace: &str, name: &str) -> Option<Arc<K>> {
        self.lock()
            .objects
            .get(&(namespace.to_string(), name.to_string()))
            .cloned()
    }

    /// Record an object the API server returned to the simulator.
    pub(super) fn upsert(&self, obj: K) {
        self.lock().insert(obj);
    }

    /// Record that the simulator deleted `obj`.
    pub(super) fn forget(&self, obj: &K) {
        let mut store = self.lock();
        store.remove(obj);
        if let Some(uid) = obj.uid() {
            store.deleted.insert(uid);
        }
    }

    fn synced(&self) -> bool {
        self.lock().synced
    }
}

/// The four caches the simulator works from.
pub(super) struct Cache {
    /// Pipelines.
    pub(super) pipelines: Arc<Watched<DynamicObject>>,
    /// Vertices.
    pub(super) vertices: Arc<Watched<DynamicObject>>,
    /// MonoVertices.
    pub(super) monovertices: Arc<Watched<DynamicObject>>,
    /// Pods.
    pub(super) pods: Arc<Watched<Pod>>,
}

/// Aborts the watch tasks when dropped.
pub(super) struct Watches(Vec<JoinHandle<()>>);

impl Drop for Watches {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

impl Cache {
    /// Empty caches and the watch tasks filling them, in `namespace` or everywhere.
    pub(super) fn start(client: &Client, namespace: Option<&str>) -> (Arc<Cache>, Watches) {
        let cache = Arc::new(Cache {
            pipelines: Arc::new(Watched::new()),
            vertices: Arc::new(Watched::new()),
            monovertices: Arc::new(Watched::new()),
            pods: Arc::new(Watched::new()),
        });
        let dynamic = |ar| match namespace {
            Some(ns) => Api::<DynamicObject>::namespaced_with(client.clone(), ns, &ar),
            None => Api::<DynamicObject>::all_with(client.clone(), &ar),
        };
        let pods = match namespace {
            Some(ns) => Api::<Pod>::namespaced(client.clone(), ns),
            None => Api::<Pod>::all(client.clone()),
        };
        let tasks = vec![
            spawn_watch(
                dynamic(pipeline_resource()),
                "pipelines",
                cache.pipelines.clone(),
            ),
            spawn_watch(
                dynamic(vertex_resource()),
                "vertices",
                cache.vertices.clone(),
            ),
            spawn_watch(
                dynamic(monovertex_resource()),
                "monovertices",
                cache.monovertices.clone(),
            ),
            spawn_watch(pods, "pods", cache.pods.clone()),
        ];
        (cache, Watches(tasks))
    }

    /// Whether every cache has completed its first list.
    pub(super) fn synced(&self) -> bool {
        self.pipelines.synced()
            && self.vertices.synced()
            && self.monovertices.synced()
            && self.pods.synced()
    }
}

fn spawn_watch<K>(api: Api<K>, what: &'static str, cache: Arc<Watched<K>>) -> JoinHandle<()>
where
    K: Resource + Clone + DeserializeOwned + Debug + Send + Sync + 'static,
{
    tokio::spawn(async move {
        let unmanaged = format!("!{UNMANAGED_LABEL}");
        let config = watcher::Config::default().labels(&unmanaged);
        let mut events = watcher::watcher(api, config).default_backoff().boxed();
        let mut last_error = String::new();
        while let Some(event) = events.next().await {
            match event {
                Ok(event) => {
                    last_error.clear();
                    cache.lock().apply(event);
                }
                Err(e) => {
                    let msg = e.to_string();
                    if msg != last_error {
                        eprintln!("numa-sim: watch {what}: {msg}");
                        last_error = msg;
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn pod(name: &str, uid: &str, rv: &str, phase: &str) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some("ns".into()),
                uid: Some(uid.into()),
                resource_version: Some(rv.into()),
                ..Default::default()
            },
            status: Some(k8s_openapi::api::core::v1::PodStatus {
                phase: Some(phase.into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn phase(w: &Watched<Pod>, name: &str) -> Option<String> {
        w.get("ns", name).and_then(|p| p.status.clone()?.phase)
    }

    #[test]
    fn older_events_are_ignored() {
        let w = Watched::new();
        w.lock().apply(Event::Init);
        w.lock().apply(Event::InitDone);
        w.upsert(pod("a", "u1", "10", "Running"));
        w.lock().apply(Event::Apply(pod("a", "u1", "9", "Pending")));
        assert_eq!(phase(&w, "a").as_deref(), Some("Running"));
        w.lock().apply(Event::Apply(pod("a", "u1", "11", "Failed")));
        assert_eq!(phase(&w, "a").as_deref(), Some("Failed"));
    }

    #[test]
    fn deleted_objects_do_not_come_back() {
        let w = Watched::new();
        w.upsert(pod("a", "u1", "10", "Running"));
        w.forget(&pod("a", "u1", "10", "Running"));
        w.lock()
            .apply(Event::Apply(pod("a", "u1", "12", "Running")));
        assert!(w.get("ns", "a").is_none());
        // A new object of the same name is another uid.
        w.lock()
            .apply(Event::Apply(pod("a", "u2", "13", "Pending")));
        assert_eq!(phase(&w, "a").as_deref(), Some("Pending"));
        // The late delete event of the old one leaves the new one alone.
        w.lock()
            .apply(Event::Delete(pod("a", "u1", "14", "Running")));
        assert_eq!(phase(&w, "a").as_deref(), Some("Pending"));
    }

    #[test]
    fn a_relist_replaces_the_store() {
        let w = Watched::new();
        w.upsert(pod("a", "u1", "10", "Running"));
        assert!(!w.synced());
        w.lock().apply(Event::Init);
        w.lock()
            .apply(Event::InitApply(pod("b", "u2", "11", "Running")));
        w.lock().apply(Event::InitDone);
        assert!(w.synced());
        assert!(w.get("ns", "a").is_none());
        assert!(w.get("ns", "b").is_some());
    }
}
