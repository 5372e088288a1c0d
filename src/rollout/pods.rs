//! What the plugin reads from a pod: its revision, readiness, and whether it is failing.

use std::time::Duration;

use k8s_openapi::jiff::Timestamp;

use super::pod_view::{shared, ContainerView, PodView, Shared};

/// Pod annotation holding the hash of the pod spec that created the pod.
pub const HASH_ANNOTATION: &str = "numaflow.numaproj.io/hash";
/// Pod annotation holding the pod's replica index.
pub const REPLICA_ANNOTATION: &str = "numaflow.numaproj.io/replica";

/// Waiting reasons that make a pod unhealthy, as Numaflow's controller judges it
/// (`PodsHealthy`, pkg/reconciler/util.go), and so fail a rollout at once. Numaflow's
/// list also has `ErrImagePull`, which fails only after [`ERR_IMAGE_PULL_GRACE`].
pub const FATAL_REASONS: [&str; 8] = [
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "InvalidImageName",
    "ErrImageNeverPull",
    "CreateContainerConfigError",
    "CreateContainerError",
    "ImageInspectError",
    "RunContainerError",
];
/// `ErrImagePull` is the first, possibly transient, pull failure: it fails a rollout
/// only once the pod is at least this old.
pub const ERR_IMAGE_PULL_GRACE: Duration = Duration::from_secs(10);

/// How long Numaflow's `CheckPodsStatus` counts a container that was OOM-killed
/// (exit code 137) or exited 143 with reason `Error` as unhealthy (`RecentRestart`).
pub const RECENT_RESTART_WINDOW: Duration = Duration::from_secs(120);

/// One pod as the rollout views show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodInfo {
    /// Pod name.
    pub name: String,
    /// Replica index from the annotation.
    pub index: Option<u32>,
    /// Hash of the spec revision that created the pod; `None` when the annotation is
    /// missing (such a pod is never counted as updated).
    pub hash: Option<Shared>,
    /// Ready condition is True.
    pub ready: bool,
    /// Being deleted.
    pub terminating: bool,
    /// `Running`, `Pending`, a container waiting reason, `Terminating`, ...
    pub reason: Shared,
    /// Sum of container restart counts.
    pub restarts: i32,
    /// Each container (init containers first, as the kubelet reports them).
    pub containers: Vec<ContainerInfo>,
    /// Creation time.
    pub created: Option<Timestamp>,
    /// Why this pod fails the rollout, when it does.
    pub failure: Option<Box<PodFailure>>,
    /// A container that Numaflow's `CheckPodsStatus` counts as recently restarted
    /// ([`RECENT_RESTART_WINDOW`]): the pod is not healthy yet, whatever its readiness.
    pub recent_restart: Option<Box<PodFailure>>,
    /// Phase `Failed` or `Succeeded` (evicted, say): the kubelet's leftover, not a
    /// replica. Numaflow's controller ignores such a pod and makes a new one at its
    /// index, so it neither holds a rollout open nor fails it. Holds the reason
    /// (`Evicted`) or, without one, the phase.
    pub left_behind: Option<String>,
}

/// What the plugin reads from one container's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerInfo {
    /// Container name.
    pub name: Shared,
    /// The kubelet's restart count.
    pub restarts: i32,
    /// The container's own readiness.
    pub ready: bool,
    /// `OOMKilled, exit code 137`: how it last terminated, if it ever did.
    pub last_termination: Option<String>,
}

impl ContainerInfo {
    fn from_view(c: &ContainerView) -> Self {
        ContainerInfo {
            name: c.name.clone(),
            restarts: c.restarts,
            ready: c.ready,
            last_termination: last_termination(c),
        }
    }
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
    pub fn from_pod(pod: &PodView, now: Timestamp) -> Self {
        let containers = &pod.containers;
        let terminating = pod.terminating;
        let phase = pod.phase.as_deref().unwrap_or("Pending");
        let age = pod
            .created
            .map(|c| now.duration_since(c))
            .and_then(|d| Duration::try_from(d).ok());

        let left_behind =
            (!terminating && (phase == "Failed" || phase == "Succeeded")).then(|| {
                pod.reason
                    .as_deref()
                    .filter(|r| !r.is_empty())
                    .unwrap_or(phase)
                    .to_string()
            });
        let waiting = containers
            .iter()
            .find_map(|c| c.waiting.as_ref().map(|w| (c, &w.reason, &w.message)));
        // Every container, as Numaflow's `checkContainerStatuses` scans them: a sidecar
        // still starting does not hide the main container's crash loop.
        let waiting_failure = containers
            .iter()
            .filter(|_| left_behind.is_none())
            .find_map(|c| {
                let w = c.waiting.as_ref()?;
                let reason = &w.reason;
                let fatal = FATAL_REASONS.contains(&reason.as_str())
                    || (reason == "ErrImagePull" && age.is_some_and(|a| a >= ERR_IMAGE_PULL_GRACE));
                fatal.then(|| PodFailure {
                    container: Some(c.name.to_string()),
                    reason: reason.clone(),
                    message: with_last_termination(&w.message, c),
                })
            });
        let failure = if left_behind.is_some() {
            None
        } else {
            // Numaflow also calls a container that terminated with reason Error unhealthy.
            waiting_failure.clone().or_else(|| {
                containers.iter().find_map(|c| {
                    let t = c.terminated.as_ref()?;
                    (t.reason.as_deref() == Some("Error")).then(|| PodFailure {
                        container: Some(c.name.to_string()),
                        reason: "Error".into(),
                        message: t
                            .message
                            .clone()
                            .filter(|m| !m.is_empty())
                            .unwrap_or_else(|| format!("exited with code {}", t.exit_code)),
                    })
                })
            })
        };
        let recent_restart = if terminating || left_behind.is_some() {
            None
        } else {
            recent_restart(containers, now)
        };
        // The common case, a pod in its phase, shares the view's text: no lookup.
        let reason = if terminating {
            shared("Terminating")
        } else if let Some(why) = &left_behind {
            shared(why)
        } else if let Some(f) = &waiting_failure {
            shared(&f.reason)
        } else {
            match (waiting, &pod.phase) {
                (Some((_, r, _)), _) if !r.is_empty() => shared(r),
                (_, Some(p)) => p.clone(),
                (_, None) => shared(phase),
            }
        };
        PodInfo {
            name: pod.name.clone(),
            index: pod.index,
            hash: pod.hash.clone(),
            ready: pod.ready,
            terminating,
            reason,
            restarts: containers.iter().map(|c| c.restarts).sum(),
            containers: containers.iter().map(ContainerInfo::from_view).collect(),
            created: pod.created,
            failure: failure.map(Box::new),
            recent_restart: recent_restart.map(Box::new),
            left_behind,
        }
    }
}

/// The last restart `CheckPodsStatus` (pkg/reconciler/util.go, `checkContainerStatuses`)
/// counts as unhealthy: a container whose last termination was exit code 137, or 143
/// with reason `Error`, finished less than [`RECENT_RESTART_WINDOW`] before `now`.
fn recent_restart(containers: &[ContainerView], now: Timestamp) -> Option<PodFailure> {
    let (c, t, at) = containers
        .iter()
        .filter_map(|c| {
            let t = c.last_terminated.as_deref()?;
            let counted =
                t.exit_code == 137 || (t.exit_code == 143 && t.reason.as_deref() == Some("Error"));
            Some((c, t, t.finished_at.filter(|_| counted)?))
        })
        .max_by_key(|(_, _, at)| *at)?;
    let ago = Duration::try_from(now.duration_since(at)).unwrap_or_default();
    (ago < RECENT_RESTART_WINDOW).then(|| PodFailure {
        container: Some(c.name.to_string()),
        reason: "RecentRestart".into(),
        message: format!(
            "container {} restarted {} ago ({})",
            c.name,
            super::duration::humanize(ago),
            describe(t)
        ),
    })
}

/// The kubelet's message with the container's last termination, as Numaflow's
/// `PodsHealthy` message names it: `back-off ... (last termination: OOMKilled, exit code 137)`.
fn with_last_termination(message: &str, c: &ContainerView) -> String {
    match last_termination(c) {
        Some(t) => format!("{message} (last termination: {t})"),
        None => message.to_string(),
    }
}

/// `OOMKilled, exit code 137`, from the container's last state.
fn last_termination(c: &ContainerView) -> Option<String> {
    c.last_terminated.as_deref().map(describe)
}

/// `OOMKilled, exit code 137`.
fn describe(t: &super::pod_view::Termination) -> String {
    let reason = t
        .reason
        .as_deref()
        .filter(|r| !r.is_empty())
        .unwrap_or("terminated");
    format!("{reason}, exit code {}", t.exit_code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(v: serde_json::Value) -> PodView {
        serde_json::from_value::<k8s_openapi::api::core::v1::Pod>(v)
            .unwrap()
            .into()
    }

    fn now() -> Timestamp {
        "2026-01-01T00:01:00Z".parse().unwrap()
    }

    fn waiting(reason: &str, created: &str) -> PodView {
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
            ("ErrImageNeverPull", "2026-01-01T00:00:59Z", true),
            ("CreateContainerError", "2026-01-01T00:00:59Z", true),
            ("ImageInspectError", "2026-01-01T00:00:59Z", true),
            ("RunContainerError", "2026-01-01T00:00:59Z", true),
            ("ContainerCreating", "2026-01-01T00:00:00Z", false),
            ("PodInitializing", "2026-01-01T00:00:00Z", false),
        ];
        for (reason, created, failing) in cases {
            let info = PodInfo::from_pod(&waiting(reason, created), now());
            assert_eq!(
                info.failure.is_some(),
                failing,
                "{reason} created {created}"
            );
            assert_eq!(&*info.reason, reason);
            if let Some(f) = info.failure {
                assert_eq!(f.container.as_deref(), Some("udf"));
                assert_eq!(f.message, format!("{reason} happened"));
            }
        }
    }

    #[test]
    fn every_container_is_scanned_not_only_the_first_waiting() {
        let p = pod(json!({
            "metadata": {"name": "p-cat-0-abcde", "creationTimestamp": "2026-01-01T00:00:00Z",
                         "annotations": {HASH_ANNOTATION: "h2", REPLICA_ANNOTATION: "0"}},
            "status": {"phase": "Pending", "containerStatuses": [
                {"name": "monitor", "image": "x", "imageID": "", "ready": false, "restartCount": 0,
                 "state": {"waiting": {"reason": "ContainerCreating"}}},
                {"name": "udf", "image": "x", "imageID": "", "ready": false, "restartCount": 5,
                 "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m"}},
                 "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137,
                                              "finishedAt": "2026-01-01T00:00:30Z"}}}]}
        }));
        let info = PodInfo::from_pod(&p, now());
        let f = info.failure.expect("the second container's crash loop");
        assert_eq!(
            (f.container.as_deref(), f.reason.as_str(), &*info.reason),
            (Some("udf"), "CrashLoopBackOff", "CrashLoopBackOff")
        );
        let r = info.recent_restart.expect("OOM-killed 30s ago");
        assert_eq!(
            r.message,
            "container udf restarted 30s ago (OOMKilled, exit code 137)"
        );
    }

    #[test]
    fn reads_revision_readiness_and_phase_failure() {
        let ready = pod(json!({
            "metadata": {"name": "a", "annotations": {HASH_ANNOTATION: "h1", REPLICA_ANNOTATION: "2"}},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}
        }));
        let info = PodInfo::from_pod(&ready, now());
        assert_eq!(
            (info.hash.as_deref(), info.index, info.ready, &*info.reason),
            (Some("h1"), Some(2), true, "Running")
        );
        assert!(info.failure.is_none());

        let failed = pod(
            json!({"metadata": {"name": "b"}, "status": {"phase": "Failed", "reason": "Evicted", "message": "low memory"}}),
        );
        let info = PodInfo::from_pod(&failed, now());
        assert_eq!(info.hash, None, "no annotation, no revision");
        assert_eq!(
            (info.failure, info.left_behind.as_deref(), &*info.reason),
            (None, Some("Evicted"), "Evicted"),
            "an evicted pod is left behind, not failing"
        );

        let bare =
            pod(json!({"metadata": {"name": "c", "annotations": {REPLICA_ANNOTATION: "x"}}}));
        let info = PodInfo::from_pod(&bare, now());
        assert_eq!(
            (info.index, info.ready, &*info.reason),
            (None, false, "Pending")
        );
    }

    #[test]
    fn leftovers_terminations_and_the_last_termination() {
        let with = |status: serde_json::Value| {
            PodInfo::from_pod(
                &pod(
                    json!({"metadata": {"name": "p", "creationTimestamp": "2026-01-01T00:00:00Z",
                             "annotations": {HASH_ANNOTATION: "h2"}}, "status": status}),
                ),
                now(),
            )
        };
        let container = |state: serde_json::Value, last: serde_json::Value| {
            json!({"name": "udf", "image": "x", "imageID": "", "ready": false, "restartCount": 3,
                   "state": state, "lastState": last})
        };
        type Want<'a> = (Option<&'a str>, Option<(&'a str, &'a str)>, &'a str);
        let cases: Vec<(&str, serde_json::Value, Want)> = vec![
            (
                "evicted",
                json!({"phase": "Failed", "reason": "Evicted", "message": "low on memory"}),
                (Some("Evicted"), None, "Evicted"),
            ),
            (
                "failed without a reason",
                json!({"phase": "Failed"}),
                (Some("Failed"), None, "Failed"),
            ),
            (
                "succeeded",
                json!({"phase": "Succeeded"}),
                (Some("Succeeded"), None, "Succeeded"),
            ),
            (
                "a crash loop after an OOM kill names the last termination",
                json!({"phase": "Running", "containerStatuses": [container(
                 json!({"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s"}}),
                 json!({"terminated": {"reason": "OOMKilled", "exitCode": 137}}))]}),
                (
                    None,
                    Some((
                        "CrashLoopBackOff",
                        "back-off 40s (last termination: OOMKilled, exit code 137)",
                    )),
                    "CrashLoopBackOff",
                ),
            ),
            (
                "a sidecar terminated with reason Error",
                json!({"phase": "Running", "initContainerStatuses": [container(
                 json!({"terminated": {"reason": "Error", "exitCode": 2}}), json!({}))]}),
                (None, Some(("Error", "exited with code 2")), "Running"),
            ),
            (
                "terminated Completed is healthy",
                json!({"phase": "Running", "initContainerStatuses": [container(
                 json!({"terminated": {"reason": "Completed", "exitCode": 0}}), json!({}))]}),
                (None, None, "Running"),
            ),
        ];
        let oom = with(
            json!({"phase": "Running", "initContainerStatuses": [container(
             json!({"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}}),
             json!({"terminated": {"reason": "OOMKilled", "exitCode": 137}}))],
             "containerStatuses": [{"name": "numa", "image": "x", "imageID": "", "ready": true,
             "restartCount": 0, "state": {"running": {}}}]}),
        );
        let read: Vec<_> = oom
            .containers
            .iter()
            .map(|c| (&*c.name, c.restarts, c.ready, c.last_termination.as_deref()))
            .collect();
        assert_eq!(
            read,
            [
                ("udf", 3, false, Some("OOMKilled, exit code 137")),
                ("numa", 0, true, None)
            ],
            "each container, sidecars first"
        );
        for (what, status, (left, failure, reason)) in cases {
            let info = with(status);
            assert_eq!(
                (
                    info.left_behind.as_deref(),
                    info.failure
                        .as_ref()
                        .map(|f| (f.reason.as_str(), f.message.as_str())),
                    &*info.reason
                ),
                (left, failure, reason),
                "{what}"
            );
        }
    }
}
