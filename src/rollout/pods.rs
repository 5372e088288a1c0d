//! What the plugin reads from a pod: its revision, readiness, and whether it is failing.

use std::time::Duration;

use k8s_openapi::api::core::v1::{ContainerStatus, Pod};
use k8s_openapi::jiff::Timestamp;

/// Pod annotation holding the hash of the pod spec that created the pod.
pub const HASH_ANNOTATION: &str = "numaflow.numaproj.io/hash";
/// Pod annotation holding the pod's replica index.
pub const REPLICA_ANNOTATION: &str = "numaflow.numaproj.io/replica";

/// Waiting reasons that fail a rollout at once: each is already the kubelet's verdict
/// after at least one retry.
pub const FATAL_REASONS: [&str; 4] = [
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "InvalidImageName",
    "CreateContainerConfigError",
];
/// `ErrImagePull` is the first, possibly transient, pull failure: it fails a rollout
/// only once the pod is at least this old.
pub const ERR_IMAGE_PULL_GRACE: Duration = Duration::from_secs(10);

/// One pod as the rollout views show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodInfo {
    /// Pod name.
    pub name: String,
    /// Replica index from the annotation.
    pub index: Option<u32>,
    /// Hash of the spec revision that created the pod; `None` when the annotation is
    /// missing (such a pod is never counted as updated).
    pub hash: Option<String>,
    /// Ready condition is True.
    pub ready: bool,
    /// Being deleted.
    pub terminating: bool,
    /// `Running`, `Pending`, a container waiting reason, `Terminating`, ...
    pub reason: String,
    /// Sum of container restart counts.
    pub restarts: i32,
    /// Creation time.
    pub created: Option<Timestamp>,
    /// Why this pod fails the rollout, when it does.
    pub failure: Option<PodFailure>,
}

/// A pod that makes a rollout degraded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodFailure {
    /// The failing container, if the failure is a container's.
    pub container: Option<String>,
    /// `CrashLoopBackOff`, `ImagePullBackOff`, `Failed`, ...
    pub reason: String,
    /// The kubelet's message.
    pub message: String,
}

impl PodInfo {
    /// Reads a pod; `now` decides the `ErrImagePull` grace.
    pub fn from_pod(pod: &Pod, now: Timestamp) -> Self {
        let meta = &pod.metadata;
        let ann = |k: &str| meta.annotations.as_ref().and_then(|a| a.get(k)).cloned();
        let status = pod.status.as_ref();
        let containers: Vec<&ContainerStatus> = status
            .into_iter()
            .flat_map(|s| {
                s.init_container_statuses
                    .iter()
                    .flatten()
                    .chain(s.container_statuses.iter().flatten())
            })
            .collect();
        let ready = status
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
        let terminating = meta.deletion_timestamp.is_some();
        let phase = status
            .and_then(|s| s.phase.clone())
            .unwrap_or_else(|| "Pending".into());
        let created = meta.creation_timestamp.as_ref().map(|t| t.0);
        let age = created
            .map(|c| now.duration_since(c))
            .and_then(|d| Duration::try_from(d).ok());

        let waiting = containers.iter().find_map(|c| {
            let w = c.state.as_ref()?.waiting.as_ref()?;
            Some((
                c.name.clone(),
                w.reason.clone().unwrap_or_default(),
                w.message.clone().unwrap_or_default(),
            ))
        });
        let failure = if phase == "Failed" {
            Some(PodFailure {
                container: None,
                reason: status
                    .and_then(|s| s.reason.clone())
                    .unwrap_or_else(|| "Failed".into()),
                message: status
                    .and_then(|s| s.message.clone())
                    .unwrap_or_else(|| "pod phase is Failed".into()),
            })
        } else {
            waiting.as_ref().and_then(|(container, reason, message)| {
                let fatal = FATAL_REASONS.contains(&reason.as_str())
                    || (reason == "ErrImagePull" && age.is_some_and(|a| a >= ERR_IMAGE_PULL_GRACE));
                fatal.then(|| PodFailure {
                    container: Some(container.clone()),
                    reason: reason.clone(),
                    message: message.clone(),
                })
            })
        };
        let reason = if terminating {
            "Terminating".to_string()
        } else {
            match &waiting {
                Some((_, r, _)) if !r.is_empty() => r.clone(),
                _ => phase,
            }
        };
        PodInfo {
            name: meta.name.clone().unwrap_or_default(),
            index: ann(REPLICA_ANNOTATION).and_then(|i| i.parse().ok()),
            hash: ann(HASH_ANNOTATION).filter(|h| !h.is_empty()),
            ready,
            terminating,
            reason,
            restarts: containers.iter().map(|c| c.restart_count).sum(),
            created,
            failure,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(v: serde_json::Value) -> Pod {
        serde_json::from_value(v).unwrap()
    }

    fn now() -> Timestamp {
        "2026-01-01T00:01:00Z".parse().unwrap()
    }

    fn waiting(reason: &str, created: &str) -> Pod {
        pod(json!({
            "metadata": {"name": "p-cat-0-abcde", "creationTimestamp": created,
                         "annotations": {HASH_ANNOTATION: "h2", REPLICA_ANNOTATION: "0"}},
            "status": {"phase": "Pending", "containerStatuses": [{
                "name": "udf", "image": "x", "imageID": "", "ready": false, "restartCount": 3,
                "state": {"waiting": {"reason": reason, "message": format!("{reason} happened")}}}]}
        }))
    }

    #[test]
    fn failure_reasons() {
        let cases = [
            ("CrashLoopBackOff", "2026-01-01T00:00:59Z", true),
            ("ImagePullBackOff", "2026-01-01T00:00:59Z", true),
            ("InvalidImageName", "2026-01-01T00:00:59Z", true),
            ("CreateContainerConfigError", "2026-01-01T00:00:59Z", true),
            ("ErrImagePull", "2026-01-01T00:00:55Z", false),
            ("ErrImagePull", "2026-01-01T00:00:50Z", true),
            ("ContainerCreating", "2026-01-01T00:00:00Z", false),
        ];
        for (reason, created, failing) in cases {
            let info = PodInfo::from_pod(&waiting(reason, created), now());
            assert_eq!(
                info.failure.is_some(),
                failing,
                "{reason} created {created}"
            );
            assert_eq!(info.reason, reason);
            if let Some(f) = info.failure {
                assert_eq!(f.container.as_deref(), Some("udf"));
                assert_eq!(f.message, format!("{reason} happened"));
            }
        }
    }

    #[test]
    fn reads_revision_readiness_and_phase_failure() {
        let ready = pod(json!({
            "metadata": {"name": "a", "annotations": {HASH_ANNOTATION: "h1", REPLICA_ANNOTATION: "2"}},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}
        }));
        let info = PodInfo::from_pod(&ready, now());
        assert_eq!(
            (
                info.hash.as_deref(),
                info.index,
                info.ready,
                info.reason.as_str()
            ),
            (Some("h1"), Some(2), true, "Running")
        );
        assert!(info.failure.is_none());

        let failed = pod(
            json!({"metadata": {"name": "b"}, "status": {"phase": "Failed", "reason": "Evicted", "message": "low memory"}}),
        );
        let info = PodInfo::from_pod(&failed, now());
        assert_eq!(info.hash, None, "no annotation, no revision");
        assert_eq!(info.failure.unwrap().reason, "Evicted");

        let bare =
            pod(json!({"metadata": {"name": "c", "annotations": {REPLICA_ANNOTATION: "x"}}}));
        let info = PodInfo::from_pod(&bare, now());
        assert_eq!(
            (info.index, info.ready, info.reason.as_str()),
            (None, false, "Pending")
        );
    }
}
