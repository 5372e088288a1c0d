//! Objects of one kind as last seen, kept current from a list or a watch.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateTerminated, ContainerStatus, Pod, PodCondition, PodStatus,
};
use kube::runtime::watcher::Event;
use kube::ResourceExt;

/// Drops the parts of an object the plugin never reads (managed field sets; a pod's spec),
/// so that thousands of pods stay cheap to hold.
pub trait Slim {
    /// Clears what is not needed.
    fn slim(&mut self);
}

/// A Numaflow object keeps of its managed fields only the managers' names, which
/// tell who re-applies it ([`crate::rollout::manager`]); the field sets are dropped.
impl Slim for kube::api::DynamicObject {
    fn slim(&mut self) {
        if let Some(entries) = self.metadata.managed_fields.as_mut() {
            for e in entries.iter_mut() {
                e.fields_v1 = None;
            }
        }
    }
}

/// A pod keeps what [`PodInfo::from_pod`](crate::rollout::pods::PodInfo::from_pod) and
/// the pod selection read: its identity, the `numaflow.numaproj.io/` annotations, the
/// `numaflow.numaproj.io/` and `app.kubernetes.io/` labels, and of its status the phase,
/// reason, message, Ready condition and each container's name, readiness, restarts,
/// waiting or terminated state and last termination. (Real pods carry kilobytes of other annotations, image IDs and
/// timestamps: at 2,000 pods the full statuses were most of the plugin's memory.)
impl Slim for Pod {
    fn slim(&mut self) {
        let meta = &mut self.metadata;
        meta.managed_fields = None;
        keep(&mut meta.annotations, &["numaflow.numaproj.io/"]);
        keep(
            &mut meta.labels,
            &["numaflow.numaproj.io/", "app.kubernetes.io/"],
        );
        self.spec = None;
        self.status = self.status.take().map(slim_status);
    }
}

fn keep(map: &mut Option<BTreeMap<String, String>>, prefixes: &[&str]) {
    if let Some(m) = map {
        m.retain(|k, _| prefixes.iter().any(|p| k.starts_with(p)));
    }
}

/// A termination's reason, exit code and message (what failures and their messages name).
fn slim_terminated(t: ContainerStateTerminated) -> ContainerStateTerminated {
    ContainerStateTerminated {
        reason: t.reason,
        exit_code: t.exit_code,
        message: t.message,
        ..ContainerStateTerminated::default()
    }
}

fn slim_status(s: PodStatus) -> PodStatus {
    let containers = |cs: Option<Vec<ContainerStatus>>| {
        cs.map(|cs| {
            cs.into_iter()
                .map(|c| ContainerStatus {
                    name: c.name,
                    ready: c.ready,
                    restart_count: c.restart_count,
                    state: c.state.map(|st| ContainerState {
                        waiting: st.waiting,
                        terminated: st.terminated.map(slim_terminated),
                        ..ContainerState::default()
                    }),
                    last_state: c.last_state.map(|st| ContainerState {
                        terminated: st.terminated.map(slim_terminated),
                        ..ContainerState::default()
                    }),
                    ..ContainerStatus::default()
                })
                .collect()
        })
    };
    PodStatus {
        phase: s.phase,
        reason: s.reason,
        message: s.message,
        conditions: s.conditions.map(|cs| {
            cs.into_iter()
                .filter(|c| c.type_ == "Ready")
                .map(|c| PodCondition {
                    type_: c.type_,
                    status: c.status,
                    ..PodCondition::default()
                })
                .collect()
        }),
        container_statuses: containers(s.container_statuses),
        init_container_statuses: containers(s.init_container_statuses),
        ..PodStatus::default()
    }
}

/// Objects by name, with the state of their watch's initial listing.
#[derive(Debug, Clone)]
pub struct Store<K> {
    objects: BTreeMap<String, K>,
    relisting: Option<BTreeMap<String, K>>,
    synced: bool,
}

impl<K> Default for Store<K> {
    fn default() -> Self {
        Store {
            objects: BTreeMap::new(),
            relisting: None,
            synced: false,
        }
    }
}

impl<K: kube::Resource + Slim> Store<K> {
    /// A store filled from a completed list (slimmed).
    pub fn listed(items: impl IntoIterator<Item = K>) -> Self {
        let objects = items
            .into_iter()
            .map(|mut o| {
                o.slim();
                (o.name_any(), o)
            })
            .collect();
        Store {
            objects,
            relisting: None,
            synced: true,
        }
    }

    /// Applies a watcher event. A relist (after a dropped watch) replaces the contents
    /// only once it is complete, so a reconnect never shows a half-empty world.
    /// Returns true when the visible contents may have changed.
    pub fn apply(&mut self, event: Event<K>) -> bool {
        match event {
            Event::Init => {
                self.relisting = Some(BTreeMap::new());
                false
            }
            Event::InitApply(o) => {
                self.relisting
                    .get_or_insert_with(BTreeMap::new)
                    .insert(o.name_any(), o);
                false
            }
            Event::InitDone => {
                self.objects = self.relisting.take().unwrap_or_default();
                self.synced = true;
                true
            }
            Event::Apply(o) => {
                self.objects.insert(o.name_any(), o);
                true
            }
            Event::Delete(o) => self.objects.remove(&o.name_any()).is_some(),
        }
    }

    /// Whether a complete listing has been seen.
    pub fn synced(&self) -> bool {
        self.synced
    }

    /// The objects, by name.
    pub fn iter(&self) -> impl Iterator<Item = &K> {
        self.objects.values()
    }

    /// Owned copies of the objects, sorted by name.
    pub fn to_vec(&self) -> Vec<K>
    where
        K: Clone,
    {
        self.objects.values().cloned().collect()
    }

    /// The object named `name`.
    pub fn get(&self, name: &str) -> Option<&K> {
        self.objects.get(name)
    }

    /// The only object (for stores that watch one name).
    pub fn single(&self) -> Option<&K> {
        self.objects.values().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::Pod;

    fn pod(name: &str) -> Pod {
        serde_json::from_value(serde_json::json!({"metadata": {"name": name}})).unwrap()
    }

    /// A kubelet-written pod as the API returns it, with `extra` merged into it.
    fn full_pod(extra: serde_json::Value) -> Pod {
        let mut p = serde_json::json!({
            "metadata": {"name": "p-cat-0-x", "namespace": "ns", "uid": "u1",
                "resourceVersion": "7", "creationTimestamp": "2026-03-01T11:59:00Z",
                "labels": {"numaflow.numaproj.io/pipeline-name": "p",
                           "numaflow.numaproj.io/vertex-name": "cat",
                           "app.kubernetes.io/component": "vertex", "team": "data"},
                "annotations": {"numaflow.numaproj.io/hash": "h1",
                                "numaflow.numaproj.io/replica": "0",
                                "sidecar.istio.io/status": "x".repeat(4000)},
                "managedFields": [{"manager": "kubelet", "operation": "Update"}],
                "ownerReferences": [{"apiVersion": "numaflow.numaproj.io/v1alpha1",
                    "kind": "Vertex", "name": "p-cat", "uid": "v1", "controller": true}]},
            "spec": {"containers": [{"name": "udf", "image": "cat:v1"}]},
            "status": {"phase": "Running", "hostIP": "10.0.0.1", "podIP": "10.1.0.1",
                "qosClass": "BestEffort", "startTime": "2026-03-01T11:59:01Z",
                "conditions": [
                    {"type": "Initialized", "status": "True", "lastTransitionTime": "2026-03-01T11:59:01Z"},
                    {"type": "Ready", "status": "True", "lastTransitionTime": "2026-03-01T11:59:05Z"}],
                "initContainerStatuses": [{"name": "init", "image": "init:v1", "imageID": "sha256:1",
                    "ready": true, "restartCount": 1,
                    "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}],
                "containerStatuses": [{"name": "udf", "image": "cat:v1", "imageID": "sha256:2",
                    "containerID": "containerd://abc", "ready": true, "restartCount": 2, "started": true,
                    "state": {"running": {"startedAt": "2026-03-01T11:59:05Z"}},
                    "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}}}]},
        });
        json_patch(&mut p, extra);
        serde_json::from_value(p).unwrap()
    }

    fn json_patch(into: &mut serde_json::Value, from: serde_json::Value) {
        match (into, from) {
            (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
                for (k, v) in b {
                    json_patch(a.entry(k).or_insert(serde_json::Value::Null), v);
                }
            }
            (a, b) => *a = b,
        }
    }

    #[test]
    fn slim_pods_read_the_same() {
        use crate::rollout::pods::PodInfo;
        let now: k8s_openapi::jiff::Timestamp = "2026-03-01T12:00:00Z".parse().unwrap();
        let waiting = |reason: &str| {
            serde_json::json!({"status": {"phase": "Pending", "containerStatuses": [{
                "name": "udf", "image": "cat:v2", "imageID": "", "ready": false, "restartCount": 5,
                "state": {"waiting": {"reason": reason, "message": "back-off pulling"}}}]}})
        };
        for (name, extra) in [
            ("ready", serde_json::json!({})),
            ("crash loop", waiting("CrashLoopBackOff")),
            ("pull error", waiting("ErrImagePull")),
            (
                "failed",
                serde_json::json!({"status": {"phase": "Failed", "reason": "Evicted", "message": "low memory"}}),
            ),
            (
                "terminating",
                serde_json::json!({"metadata": {"deletionTimestamp": "2026-03-01T11:59:59Z"}}),
            ),
            (
                "not ready",
                serde_json::json!({"status": {"conditions": [{"type": "Ready", "status": "False"}]}}),
            ),
            ("no status", serde_json::json!({"status": null})),
            (
                "crash loop after an OOM kill, in a sidecar",
                serde_json::json!({"status": {"phase": "Running", "initContainerStatuses": [{
                    "name": "udf", "image": "cat:v2", "imageID": "", "ready": false, "restartCount": 3,
                    "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s"}},
                    "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137,
                                                 "startedAt": "2026-03-01T11:58:00Z", "containerID": "x"}}}]}}),
            ),
            (
                "terminated with reason Error",
                serde_json::json!({"status": {"phase": "Running", "containerStatuses": [{
                    "name": "numa", "image": "numa", "imageID": "", "ready": false, "restartCount": 0,
                    "state": {"terminated": {"reason": "Error", "exitCode": 2, "message": "boom",
                                             "finishedAt": "2026-03-01T11:59:00Z"}}}]}}),
            ),
        ] {
            let full = full_pod(extra);
            let mut slim = full.clone();
            slim.slim();
            assert_eq!(
                PodInfo::from_pod(&slim, now),
                PodInfo::from_pod(&full, now),
                "{name}"
            );
            assert_eq!(
                slim.metadata.labels.as_ref().map(|l| l.len()),
                Some(3),
                "{name}"
            );
            assert_eq!(
                slim.metadata.annotations.as_ref().map(|a| a.len()),
                Some(2),
                "{name}"
            );
            assert!(slim.spec.is_none() && slim.metadata.managed_fields.is_none());
            assert_eq!(
                slim.metadata.owner_references,
                full.metadata.owner_references
            );
        }
    }

    #[test]
    fn relist_replaces_contents_only_when_done() {
        let mut s = Store::default();
        assert!(!s.synced());
        for e in [
            Event::Init,
            Event::InitApply(pod("a")),
            Event::InitApply(pod("b")),
        ] {
            s.apply(e);
        }
        assert_eq!(s.iter().count(), 0, "nothing visible before InitDone");
        assert!(s.apply(Event::InitDone));
        assert!(s.synced());
        assert!(s.apply(Event::Delete(pod("a"))));
        assert!(!s.apply(Event::Delete(pod("zz"))));
        s.apply(Event::Init);
        s.apply(Event::InitApply(pod("c")));
        assert_eq!(
            s.get("b").map(|p| p.name_any()),
            Some("b".into()),
            "old view kept during relist"
        );
        s.apply(Event::InitDone);
        assert_eq!(
            s.to_vec().iter().map(|p| p.name_any()).collect::<Vec<_>>(),
            ["c"]
        );
    }
}
