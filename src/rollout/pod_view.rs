//! A pod as the plugin holds it: exactly what [`PodInfo`](super::pods::PodInfo) and the
//! pod selection read, a few hundred bytes where k8s-openapi's `Pod` takes kilobytes
//! (real pods carry long annotations, specs, image IDs and timestamps). One-shot reads
//! and watch stores keep pods only in this form.
//!
//! Text that many pods repeat (namespace, label values, hash, container names, phase)
//! is held once, [`shared`] by every pod that carries it; only the pod's name is its
//! own. What is rare (a waiting message, a termination) sits behind a pointer, so a
//! container that is simply running costs a few words.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock, Mutex};

use k8s_openapi::api::core::v1::{ContainerStateTerminated, ContainerStatus, Pod, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::jiff::Timestamp;

use super::pods::{HASH_ANNOTATION, REPLICA_ANNOTATION};
use super::{COMPONENT_LABEL, MONO_VERTEX_LABEL, PIPELINE_LABEL, VERTEX_LABEL};

/// The labels a view keeps, sorted: those the pod selection and the reports read.
pub const KEPT_LABELS: [&str; 4] = [
    COMPONENT_LABEL,
    MONO_VERTEX_LABEL,
    PIPELINE_LABEL,
    VERTEX_LABEL,
];

/// Text held once for every pod that carries it.
pub type Shared = Arc<str>;

/// `text` as the one shared copy of it in this process.
///
/// The pool only grows: it holds the distinct namespaces, label values, hashes,
/// container names and phases seen, which number in the workloads and their revisions,
/// not in the pods.
pub fn shared(text: &str) -> Shared {
    static POOL: LazyLock<Mutex<HashSet<Shared>>> = LazyLock::new(Mutex::default);
    let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = pool.get(text) {
        return s.clone();
    }
    let s: Shared = Arc::from(text);
    pool.insert(s.clone());
    s
}

/// One pod, reduced to what the plugin reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodView {
    /// Pod name.
    pub name: String,
    /// Namespace.
    pub namespace: Shared,
    /// Those of [`KEPT_LABELS`] the pod has, sorted by key.
    pub labels: Vec<(&'static str, Shared)>,
    /// The hash annotation (the spec revision that made the pod), when set and not empty.
    pub hash: Option<Shared>,
    /// The replica annotation, when it is a number.
    pub index: Option<u32>,
    /// Creation time.
    pub created: Option<Timestamp>,
    /// Has a deletion timestamp.
    pub terminating: bool,
    /// `status.phase`.
    pub phase: Option<Shared>,
    /// `status.reason` (`Evicted`).
    pub reason: Option<Shared>,
    /// The Ready condition is True.
    pub ready: bool,
    /// Each container, init containers first (as the kubelet reports them).
    pub containers: Vec<ContainerView>,
}

/// What the plugin reads from one container's status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerView {
    /// Container name.
    pub name: Shared,
    /// The container's own readiness.
    pub ready: bool,
    /// The kubelet's restart count.
    pub restarts: i32,
    /// Waiting: its reason and message (empty when unset).
    pub waiting: Option<Box<Waiting>>,
    /// Terminated now.
    pub terminated: Option<Box<Termination>>,
    /// How it last terminated, if it ever did.
    pub last_terminated: Option<Box<Termination>>,
}

/// A container waiting to run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Waiting {
    /// `CrashLoopBackOff`, `ImagePullBackOff`, ... (empty when unset).
    pub reason: String,
    /// The kubelet's message (empty when unset).
    pub message: String,
}

/// A container's termination.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Termination {
    /// `OOMKilled`, `Error`, `Completed`, ...
    pub reason: Option<String>,
    /// Exit code.
    pub exit_code: i32,
    /// The kubelet's message.
    pub message: Option<String>,
    /// When it finished.
    pub finished_at: Option<Timestamp>,
}

impl PodView {
    /// The view of a pod's metadata and status (the spec is never read).
    pub fn new(meta: ObjectMeta, status: Option<PodStatus>) -> Self {
        let ann = |k: &str| meta.annotations.as_ref().and_then(|a| a.get(k));
        let mut labels: Vec<(&'static str, Shared)> = match &meta.labels {
            Some(all) => KEPT_LABELS
                .iter()
                .filter_map(|k| Some((*k, shared(all.get(*k)?))))
                .collect(),
            None => Vec::new(),
        };
        labels.shrink_to_fit();
        let status = status.unwrap_or_default();
        let ready = status
            .conditions
            .iter()
            .flatten()
            .any(|c| c.type_ == "Ready" && c.status == "True");
        let mut containers: Vec<ContainerView> = status
            .init_container_statuses
            .into_iter()
            .flatten()
            .chain(status.container_statuses.into_iter().flatten())
            .map(ContainerView::new)
            .collect();
        containers.shrink_to_fit();
        PodView {
            hash: ann(HASH_ANNOTATION)
                .filter(|h| !h.is_empty())
                .map(|h| shared(h)),
            index: ann(REPLICA_ANNOTATION).and_then(|i| i.parse().ok()),
            name: meta.name.unwrap_or_default(),
            namespace: shared(meta.namespace.as_deref().unwrap_or_default()),
            labels,
            created: meta.creation_timestamp.map(|t| t.0),
            terminating: meta.deletion_timestamp.is_some(),
            phase: status.phase.as_deref().map(shared),
            reason: status.reason.as_deref().map(shared),
            ready,
            containers,
        }
    }

    /// The value of label `key`, when it is one the view keeps.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels
            .binary_search_by(|(k, _)| (*k).cmp(key))
            .ok()
            .map(|i| &*self.labels[i].1)
    }
}

impl From<Pod> for PodView {
    fn from(pod: Pod) -> Self {
        PodView::new(pod.metadata, pod.status)
    }
}

impl ContainerView {
    fn new(c: ContainerStatus) -> Self {
        let state = c.state.unwrap_or_default();
        ContainerView {
            name: shared(&c.name),
            ready: c.ready,
            restarts: c.restart_count,
            waiting: state.waiting.map(|w| {
                Box::new(Waiting {
                    reason: w.reason.unwrap_or_default(),
                    message: w.message.unwrap_or_default(),
                })
            }),
            terminated: state.terminated.map(Termination::new),
            last_terminated: c
                .last_state
                .and_then(|s| s.terminated)
                .map(Termination::new),
        }
    }
}

impl Termination {
    fn new(t: ContainerStateTerminated) -> Box<Self> {
        Box::new(Termination {
            reason: t.reason,
            exit_code: t.exit_code,
            message: t.message,
            finished_at: t.finished_at.map(|f| f.0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_what_is_read_and_drops_the_rest() {
        let pod: Pod = serde_json::from_value(json!({
            "metadata": {"name": "p-cat-0-x", "namespace": "ns", "uid": "u1",
                "creationTimestamp": "2026-03-01T11:59:00Z",
                "deletionTimestamp": "2026-03-01T11:59:30Z",
                "labels": {"numaflow.numaproj.io/vertex-name": "cat", "team": "data",
                           "numaflow.numaproj.io/pipeline-name": "p",
                           "app.kubernetes.io/component": "vertex"},
                "annotations": {HASH_ANNOTATION: "h1", REPLICA_ANNOTATION: "3",
                                "sidecar.istio.io/status": "x".repeat(4000)}},
            "spec": {"containers": [{"name": "udf", "image": "cat:v1"}]},
            "status": {"phase": "Running", "reason": "Evicted", "podIP": "10.1.0.1",
                "conditions": [{"type": "Initialized", "status": "True"},
                               {"type": "Ready", "status": "True"}],
                "initContainerStatuses": [{"name": "init", "image": "i", "imageID": "sha256:1",
                    "ready": true, "restartCount": 1,
                    "state": {"terminated": {"exitCode": 0, "reason": "Completed",
                                             "finishedAt": "2026-03-01T11:59:01Z"}}}],
                "containerStatuses": [{"name": "udf", "image": "cat:v1", "imageID": "sha256:2",
                    "ready": false, "restartCount": 2,
                    "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}},
                    "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled"}}}]},
        }))
        .unwrap();
        let view = PodView::from(pod);
        let s = |v: &str| v.to_string();
        let sh = |v: &str| shared(v);
        assert_eq!(
            view,
            PodView {
                name: s("p-cat-0-x"),
                namespace: sh("ns"),
                labels: vec![
                    ("app.kubernetes.io/component", sh("vertex")),
                    ("numaflow.numaproj.io/pipeline-name", sh("p")),
                    ("numaflow.numaproj.io/vertex-name", sh("cat")),
                ],
                hash: Some(sh("h1")),
                index: Some(3),
                created: Some("2026-03-01T11:59:00Z".parse().unwrap()),
                terminating: true,
                phase: Some(sh("Running")),
                reason: Some(sh("Evicted")),
                ready: true,
                containers: vec![
                    ContainerView {
                        name: sh("init"),
                        ready: true,
                        restarts: 1,
                        waiting: None,
                        terminated: Some(Box::new(Termination {
                            reason: Some(s("Completed")),
                            exit_code: 0,
                            message: None,
                            finished_at: Some("2026-03-01T11:59:01Z".parse().unwrap()),
                        })),
                        last_terminated: None,
                    },
                    ContainerView {
                        name: sh("udf"),
                        ready: false,
                        restarts: 2,
                        waiting: Some(Box::new(Waiting {
                            reason: s("CrashLoopBackOff"),
                            message: s("back-off")
                        })),
                        terminated: None,
                        last_terminated: Some(Box::new(Termination {
                            reason: Some(s("OOMKilled")),
                            exit_code: 137,
                            message: None,
                            finished_at: None,
                        })),
                    },
                ],
            }
        );
        assert_eq!(view.label("numaflow.numaproj.io/vertex-name"), Some("cat"));
        assert_eq!(view.label("team"), None, "other labels are dropped");
        let again = PodView::from(
            serde_json::from_value::<Pod>(json!({
            "metadata": {"name": "p-cat-1-y", "namespace": "ns",
                "labels": {"numaflow.numaproj.io/vertex-name": "cat"}}}))
            .unwrap(),
        );
        assert!(
            Arc::ptr_eq(&view.namespace, &again.namespace),
            "one copy of each namespace"
        );
        assert!(
            Arc::ptr_eq(&view.labels[2].1, &again.labels[0].1),
            "one copy of each label value"
        );
    }

    #[test]
    fn missing_parts_read_as_nothing() {
        for (what, pod, hash, index) in [
            ("bare", json!({"metadata": {}}), None, None),
            (
                "empty hash, odd index",
                json!({"metadata": {"annotations": {HASH_ANNOTATION: "", REPLICA_ANNOTATION: "x"}}}),
                None,
                None,
            ),
            (
                "no status",
                json!({"metadata": {"annotations": {HASH_ANNOTATION: "h", REPLICA_ANNOTATION: "0"}}, "status": null}),
                Some("h"),
                Some(0),
            ),
        ] {
            let view = PodView::from(serde_json::from_value::<Pod>(pod).unwrap());
            assert_eq!(
                (
                    view.hash.as_deref(),
                    view.index,
                    view.ready,
                    view.phase.as_deref(),
                    view.containers.len()
                ),
                (hash, index, false, None, 0),
                "{what}"
            );
        }
    }
}
