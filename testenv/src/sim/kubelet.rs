//! The simulated kubelet (and scheduler): pods are created bound to a fake node, and
//! this pass writes their status through the `pods/status` subresource the way a
//! kubelet reports it. A new pod is Pending (containers `ContainerCreating`), then
//! after [`SimConfig::ready_delay`](super::SimConfig) Running with every container
//! running and ready.
//!
//! Failures are injected by container image (substring match, on regular containers):
//! - `crashloop`: the container crashes for ever: waiting `CrashLoopBackOff` with the
//!   kubelet's back-off message, `lastState.terminated` (exit code 1, reason `Error`),
//!   `restartCount` rising by one every ready delay; pod phase Running, not Ready.
//! - `pull-error`: the image cannot be pulled: waiting `ErrImagePull`, one ready delay
//!   later `ImagePullBackOff`; pod phase Pending.
//! - `never-ready`: the container runs but never passes its readiness probe.
//! - `delay-<ms>`: the container becomes ready `<ms>` milliseconds after the pod was
//!   first seen instead of after the ready delay.
//!
//! A pod with a deletionTimestamp (a graceful delete by someone else) is removed with
//! grace period 0 one ready delay after the kubelet first sees it terminating.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, Patch, PatchParams};
use kube::ResourceExt;
use serde_json::{json, Map, Value};

use super::hash::hash_json;
use super::vertex::delete_pod;
use super::{now, Ctx, CONCURRENCY};

/// The address every simulated pod and node reports.
const LOOPBACK: &str = "127.0.0.1";
/// Status fields holding times, which differ between two otherwise equal statuses.
const TIME_FIELDS: [&str; 5] = [
    "lastTransitionTime",
    "lastProbeTime",
    "startedAt",
    "finishedAt",
    "startTime",
];

/// What the kubelet remembers about pods, by uid.
#[derive(Default)]
pub(super) struct State(Mutex<HashMap<String, Track>>);

struct Track {
    first_seen: Instant,
    deleting_since: Option<Instant>,
    /// The resourceVersion at which the pod's status was final (nothing more will
    /// happen to it with time): skipped while it stays at that version.
    settled_at: Option<String>,
}

enum Work {
    Finalize(Arc<Pod>),
    Sync(Arc<Pod>, Duration),
}

/// One kubelet pass over every cached pod.
pub(super) async fn pass(ctx: &Ctx) {
    let pods = ctx.cache.pods.list();
    let at = Instant::now();
    let mut work = Vec::new();
    {
        let mut tracks = ctx.kubelet.0.lock().unwrap_or_else(|e| e.into_inner());
        let live: HashSet<String> = pods.iter().filter_map(|p| p.uid()).collect();
        tracks.retain(|uid, _| live.contains(uid));
        for pod in pods {
            let Some(uid) = pod.uid() else { continue };
            let track = tracks.entry(uid).or_insert(Track {
                first_seen: at,
                deleting_since: None,
                settled_at: None,
            });
            if pod.metadata.deletion_timestamp.is_some() {
                let since = *track.deleting_since.get_or_insert(at);
                if at.duration_since(since) >= ctx.cfg.ready_delay {
                    work.push(Work::Finalize(pod));
                }
            } else if track.settled_at.is_none() || track.settled_at != pod.resource_version() {
                let age = at.duration_since(track.first_seen);
                work.push(Work::Sync(pod, age));
            }
        }
    }
    futures::stream::iter(work)
        .for_each_concurrent(CONCURRENCY, |item| async move {
            let (pod, result) = match item {
                Work::Finalize(pod) => {
                    let r = delete_pod(ctx, &pod).await;
                    (pod, r)
                }
                Work::Sync(pod, age) => {
                    let r = sync(ctx, &pod, age).await;
                    (pod, r)
                }
            };
            let what = format!(
                "kubelet pod {}/{}",
                pod.namespace().unwrap_or_default(),
                pod.name_any()
            );
            ctx.errors.report(&what, result);
        })
        .await;
}

/// Write the status `pod` should have at `age`, if it differs from its status now.
async fn sync(ctx: &Ctx, pod: &Pod, age: Duration) -> anyhow::Result<()> {
    let current = serde_json::to_value(&pod.status)?;
    let phase = current.get("phase").and_then(Value::as_str);
    let (desired, settled) = if matches!(phase, Some("Succeeded" | "Failed")) {
        (Map::new(), true)
    } else {
        desired_status(pod, &current, age, ctx.cfg.ready_delay, &now())
    };
    let changed = desired
        .iter()
        .any(|(k, v)| current.get(k).map(strip_times) != Some(strip_times(v)));
    let mut version = pod.resource_version();
    if changed {
        let api = Api::<Pod>::namespaced(ctx.client.clone(), &pod.namespace().unwrap_or_default());
        let patch = Patch::Merge(json!({ "status": desired }));
        let written = api
            .patch_status(&pod.name_any(), &PatchParams::default(), &patch)
            .await?;
        version = written.resource_version();
        ctx.cache.pods.upsert(written);
    }
    if settled {
        let mut tracks = ctx.kubelet.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(track) = pod.uid().and_then(|uid| tracks.get_mut(&uid)) {
            track.settled_at = version;
        }
    }
    Ok(())
}

/// A value with every time field removed, for comparing statuses.
fn strip_times(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !TIME_FIELDS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), strip_times(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip_times).collect()),
        other => other.clone(),
    }
}

/// What the kubelet does with one container, chosen by its image.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Behaviour {
    /// Starts and becomes ready this long after the pod was first seen.
    ReadyAfter(Duration),
    CrashLoop,
    PullError,
    NeverReady,
}

fn behaviour(image: &str, ready_delay: Duration) -> Behaviour {
    if image.contains("crashloop") {
        Behaviour::CrashLoop
    } else if image.contains("pull-error") {
        Behaviour::PullError
    } else if image.contains("never-ready") {
        Behaviour::NeverReady
    } else {
        let delay = image.split("delay-").nth(1).and_then(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        });
        Behaviour::ReadyAfter(delay.map_or(ready_delay, Duration::from_millis))
    }
}

/// One container's status at a point of the pod's life.
struct ContainerView {
    name: String,
    status: Value,
    ready: bool,
    /// Waiting without ever having run: keeps the pod Pending.
    never_started: bool,
}

/// The pod status fields the kubelet reports for `pod` at `age`, reusing times from
/// `current` where a condition or state did not change; and whether nothing more
/// will change with time.
fn desired_status(
    pod: &Pod,
    current: &Value,
    age: Duration,
    ready_delay: Duration,
    now: &str,
) -> (Map<String, Value>, bool) {
    let spec = pod.spec.as_ref();
    let containers: Vec<(String, String)> = spec
        .map(|s| {
            s.containers
                .iter()
                .map(|c| (c.name.clone(), c.image.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    let inits: Vec<(String, String)> = spec
        .and_then(|s| s.init_containers.as_ref())
        .map(|cs| {
            cs.iter()
                .map(|c| (c.name.clone(), c.image.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    let behaviours: Vec<Behaviour> = containers
        .iter()
        .map(|(_, image)| behaviour(image, ready_delay))
        .collect();
    // Containers start when the earliest of them would be ready, at most ready_delay.
    let start = behaviours
        .iter()
        .map(|b| match b {
            Behaviour::ReadyAfter(d) => (*d).min(ready_delay),
            _ => ready_delay,
        })
        .min()
        .unwrap_or(ready_delay);
    let started = age >= start;
    let pod_ref = PodRef {
        name: pod.name_any(),
        namespace: pod.namespace().unwrap_or_default(),
        uid: pod.uid().unwrap_or_default(),
    };
    let old_statuses = current.get("containerStatuses");

    let mut settled = true;
    let mut views: Vec<ContainerView> = containers
        .iter()
        .zip(&behaviours)
        .map(|((name, image), b)| {
            let old = find_named(old_statuses, name);
            let (view, done) = container_status(
                &pod_ref,
                name,
                image,
                *b,
                age,
                start,
                ready_delay,
                old,
                now,
                !inits.is_empty(),
            );
            settled &= done;
            view
        })
        .collect();
    views.sort_by(|a, b| a.name.cmp(&b.name));

    let mut out = Map::new();
    let running = views.iter().all(|v| !v.never_started);
    out.insert(
        "phase".into(),
        json!(if running { "Running" } else { "Pending" }),
    );
    let unready: Vec<&str> = views
        .iter()
        .filter(|v| !v.ready)
        .map(|v| v.name.as_str())
        .collect();
    let old_conditions = current.get("conditions");
    let condition = |type_: &str, ok: bool, reason: &str, message: String| {
        let status = if ok { "True" } else { "False" };
        let old =
            find_typed(old_conditions, type_).filter(|c| c.get("status") == Some(&json!(status)));
        let since = old
            .and_then(|c| c.get("lastTransitionTime"))
            .cloned()
            .unwrap_or(json!(now));
        let mut c = json!({ "type": type_, "status": status, "lastProbeTime": null, "lastTransitionTime": since });
        if !ok {
            c["reason"] = json!(reason);
            c["message"] = json!(message);
        }
        c
    };
    let init_names: Vec<&str> = inits.iter().map(|(n, _)| n.as_str()).collect();
    let unready_msg = format!("containers with unready status: [{}]", unready.join(" "));
    out.insert(
        "conditions".into(),
        json!([
            condition(
                "Initialized",
                inits.is_empty() || started,
                "ContainersNotInitialized",
                format!(
                    "containers with incomplete status: [{}]",
                    init_names.join(" ")
                )
            ),
            condition(
                "Ready",
                unready.is_empty(),
                "ContainersNotReady",
                unready_msg.clone()
            ),
            condition(
                "ContainersReady",
                unready.is_empty(),
                "ContainersNotReady",
                unready_msg
            ),
            condition("PodScheduled", true, "", String::new()),
        ]),
    );
    out.insert("hostIP".into(), json!(LOOPBACK));
    if started {
        out.insert("podIP".into(), json!(LOOPBACK));
        out.insert("podIPs".into(), json!([{ "ip": LOOPBACK }]));
    } else {
        settled = false;
    }
    out.insert(
        "startTime".into(),
        current.get("startTime").cloned().unwrap_or(json!(now)),
    );
    out.insert(
        "containerStatuses".into(),
        Value::Array(views.into_iter().map(|v| v.status).collect()),
    );
    if !inits.is_empty() {
        let old_inits = current.get("initContainerStatuses");
        let mut statuses: Vec<Value> = inits
            .iter()
            .map(|(name, image)| {
                init_status(
                    &pod_ref,
                    name,
                    image,
                    started,
                    find_named(old_inits, name),
                    now,
                )
            })
            .collect();
        statuses.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
        out.insert("initContainerStatuses".into(), Value::Array(statuses));
    }
    (out, settled)
}

/// The identity a kubelet message names a pod by.
struct PodRef {
    name: String,
    namespace: String,
    uid: String,
}

/// The status of one regular container, and whether it will not change any more.
#[allow(clippy::too_many_arguments)]
fn container_status(
    pod: &PodRef,
    name: &str,
    image: &str,
    behaviour: Behaviour,
    age: Duration,
    start: Duration,
    ready_delay: Duration,
    old: Option<&Value>,
    now: &str,
    has_init: bool,
) -> (ContainerView, bool) {
    let mut status = json!({
        "name": name,
        "image": image,
        "imageID": "",
        "lastState": {},
        "ready": false,
        "restartCount": 0,
        "started": false,
    });
    let waiting = |reason: &str, message: Option<String>| {
        let mut w = json!({ "reason": reason });
        if let Some(m) = message {
            w["message"] = json!(m);
        }
        json!({ "waiting": w })
    };
    let old_time = |pointer: &str| {
        old.and_then(|o| o.pointer(pointer))
            .cloned()
            .unwrap_or(json!(now))
    };
    if age < start {
        let reason = if has_init {
            "PodInitializing"
        } else {
            "ContainerCreating"
        };
        status["state"] = waiting(reason, None);
        let view = ContainerView {
            name: name.into(),
            status,
            ready: false,
            never_started: true,
        };
        return (view, false);
    }
    let (ready, never_started, done) = match behaviour {
        Behaviour::ReadyAfter(_) | Behaviour::NeverReady => {
            status["imageID"] = json!(image_id(image));
            status["containerID"] = json!(container_id(pod, name, 0));
            status["started"] = json!(true);
            status["state"] =
                json!({ "running": { "startedAt": old_time("/state/running/startedAt") } });
            let ready = matches!(behaviour, Behaviour::ReadyAfter(after) if age >= after);
            let done = match behaviour {
                Behaviour::ReadyAfter(after) => age >= after,
                _ => true,
            };
            (ready, false, done)
        }
        Behaviour::CrashLoop => {
            let restarts = (age.as_millis() / ready_delay.as_millis().max(1)).max(1) as u64;
            let same_restart = old.and_then(|o| o.get("restartCount")) == Some(&json!(restarts));
            let time = |field: &str| match same_restart {
                true => old_time(&format!("/lastState/terminated/{field}")),
                false => json!(now),
            };
            status["imageID"] = json!(image_id(image));
            status["containerID"] = json!(container_id(pod, name, restarts));
            status["restartCount"] = json!(restarts);
            status["lastState"] = json!({ "terminated": {
                "exitCode": 1,
                "reason": "Error",
                "startedAt": time("startedAt"),
                "finishedAt": time("finishedAt"),
                "containerID": container_id(pod, name, restarts),
            }});
            let message = format!(
                "back-off {} restarting failed container={name} pod={}_{}({})",
                back_off(restarts),
                pod.name,
                pod.namespace,
                pod.uid
            );
            status["state"] = waiting("CrashLoopBackOff", Some(message));
            (false, false, false)
        }
        Behaviour::PullError => {
            let state = if age < start + ready_delay {
                let message = format!(
                    "rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": \
                     failed to resolve reference \"{image}\": {image}: not found"
                );
                waiting("ErrImagePull", Some(message))
            } else {
                waiting(
                    "ImagePullBackOff",
                    Some(format!("Back-off pulling image \"{image}\"")),
                )
            };
            status["state"] = state;
            (false, true, age >= start + ready_delay)
        }
    };
    status["ready"] = json!(ready);
    (
        ContainerView {
            name: name.into(),
            status,
            ready,
            never_started,
        },
        done,
    )
}

/// The status of an init container: running until the regular containers start,
/// then terminated `Completed`.
fn init_status(
    pod: &PodRef,
    name: &str,
    image: &str,
    done: bool,
    old: Option<&Value>,
    now: &str,
) -> Value {
    let old_time = |pointer: &str| {
        old.and_then(|o| o.pointer(pointer))
            .cloned()
            .unwrap_or(json!(now))
    };
    let state = if done {
        json!({ "terminated": {
            "exitCode": 0,
            "reason": "Completed",
            "startedAt": old
                .and_then(|o| o.pointer("/state/terminated/startedAt"))
                .cloned()
                .unwrap_or_else(|| old_time("/state/running/startedAt")),
            "finishedAt": old_time("/state/terminated/finishedAt"),
            "containerID": container_id(pod, name, 0),
        }})
    } else {
        json!({ "running": { "startedAt": old_time("/state/running/startedAt") } })
    };
    json!({
        "name": name,
        "image": image,
        "imageID": image_id(image),
        "containerID": container_id(pod, name, 0),
        "lastState": {},
        "ready": done,
        "restartCount": 0,
        "started": !done,
        "state": state,
    })
}

/// The kubelet's crash-loop back-off before restart number `restarts`: 10s doubling
/// up to 5m, written as Go prints a duration.
fn back_off(restarts: u64) -> String {
    let secs = 10u64
        .saturating_mul(1 << restarts.saturating_sub(1).min(10))
        .min(300);
    if secs < 60 {
        format!("{secs}s")
    } else {
        format!("{}m{}s", secs / 60, secs % 60)
    }
}

/// A 64-hex-digit digest derived from `parts`.
fn digest(parts: Value) -> String {
    (0..4).map(|i| hash_json(&json!([i, parts]))).collect()
}

/// `<repository>@sha256:<digest>`, as containerd reports a pulled image.
fn image_id(image: &str) -> String {
    let repo = match image.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => repo,
        _ => image,
    };
    format!("{repo}@sha256:{}", digest(json!(image)))
}

/// `containerd://<id>` of one run of a container.
fn container_id(pod: &PodRef, name: &str, run: u64) -> String {
    format!("containerd://{}", digest(json!([pod.uid, name, run])))
}

fn find_named<'a>(list: Option<&'a Value>, name: &str) -> Option<&'a Value> {
    list?
        .as_array()?
        .iter()
        .find(|c| c.get("name").and_then(Value::as_str) == Some(name))
}

fn find_typed<'a>(list: Option<&'a Value>, type_: &str) -> Option<&'a Value> {
    list?
        .as_array()?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(type_))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RD: Duration = Duration::from_millis(300);

    fn pod(images: &[(&str, &str)], init: bool) -> Pod {
        let containers: Vec<Value> = images
            .iter()
            .map(|(n, i)| json!({"name": n, "image": i}))
            .collect();
        let mut spec = json!({ "containers": containers });
        if init {
            spec["initContainers"] = json!([{"name": "setup", "image": "busybox"}]);
        }
        serde_json::from_value(json!({
            "metadata": { "name": "p", "namespace": "ns", "uid": "u-1" },
            "spec": spec,
        }))
        .unwrap()
    }

    fn at(pod: &Pod, ms: u64) -> (Value, bool) {
        let (status, settled) = desired_status(
            pod,
            &Value::Null,
            Duration::from_millis(ms),
            RD,
            "2024-01-01T00:00:00Z",
        );
        (Value::Object(status), settled)
    }

    fn condition<'a>(status: &'a Value, type_: &str) -> &'a Value {
        find_typed(status.get("conditions"), type_).unwrap()
    }

    fn container<'a>(status: &'a Value, name: &str) -> &'a Value {
        find_named(status.get("containerStatuses"), name).unwrap()
    }

    #[test]
    fn a_normal_pod_goes_pending_then_ready() {
        let p = pod(&[("numa", "numaflow:v1"), ("udf", "cat:v1")], false);
        let (s, settled) = at(&p, 0);
        assert!(!settled);
        assert_eq!(s["phase"], "Pending");
        assert_eq!(condition(&s, "PodScheduled")["status"], "True");
        assert_eq!(
            condition(&s, "Ready")["message"],
            "containers with unready status: [numa udf]"
        );
        assert_eq!(
            container(&s, "udf")["state"]["waiting"]["reason"],
            "ContainerCreating"
        );
        assert!(s.get("podIP").is_none());

        let (s, settled) = at(&p, 300);
        assert!(settled);
        assert_eq!(s["phase"], "Running");
        for t in ["Initialized", "Ready", "ContainersReady", "PodScheduled"] {
            assert_eq!(condition(&s, t)["status"], "True", "{t}");
        }
        let udf = container(&s, "udf");
        assert_eq!(
            (udf["ready"].clone(), udf["started"].clone()),
            (json!(true), json!(true))
        );
        assert!(udf["state"]["running"]["startedAt"].is_string());
        assert!(udf["containerID"]
            .as_str()
            .unwrap()
            .starts_with("containerd://"));
        assert!(udf["imageID"].as_str().unwrap().starts_with("cat@sha256:"));
        assert_eq!(
            (s["podIP"].clone(), s["hostIP"].clone()),
            (json!(LOOPBACK), json!(LOOPBACK))
        );
        assert!(s["startTime"].is_string());
        let names: Vec<&str> = s["containerStatuses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["numa", "udf"]);
    }

    #[test]
    fn crashloop_restarts_every_ready_delay() {
        let p = pod(
            &[("numa", "numaflow:v1"), ("udf", "example/crashloop:v1")],
            false,
        );
        let (s, settled) = at(&p, 350);
        assert!(!settled);
        assert_eq!(s["phase"], "Running");
        let udf = container(&s, "udf");
        assert_eq!(udf["restartCount"], 1);
        assert_eq!(udf["state"]["waiting"]["reason"], "CrashLoopBackOff");
        assert_eq!(
            udf["state"]["waiting"]["message"],
            "back-off 10s restarting failed container=udf pod=p_ns(u-1)"
        );
        assert_eq!(udf["lastState"]["terminated"]["exitCode"], 1);
        assert_eq!(udf["lastState"]["terminated"]["reason"], "Error");
        assert_eq!(condition(&s, "Ready")["status"], "False");
        assert_eq!(condition(&s, "Ready")["reason"], "ContainersNotReady");
        assert_eq!(
            condition(&s, "Ready")["message"],
            "containers with unready status: [udf]"
        );
        assert_eq!(container(&s, "numa")["ready"], true);

        let (s, _) = at(&p, 950);
        let udf = container(&s, "udf");
        assert_eq!(udf["restartCount"], 3);
        assert!(udf["state"]["waiting"]["message"]
            .as_str()
            .unwrap()
            .starts_with("back-off 40s "));
    }

    #[test]
    fn pull_error_then_back_off() {
        let p = pod(&[("udf", "example/pull-error:v1")], false);
        let (s, settled) = at(&p, 310);
        assert!(!settled);
        assert_eq!(s["phase"], "Pending");
        let w = &container(&s, "udf")["state"]["waiting"];
        assert_eq!(w["reason"], "ErrImagePull");
        assert_eq!(
            w["message"],
            "rpc error: code = NotFound desc = failed to pull and unpack image \"example/pull-error:v1\": \
             failed to resolve reference \"example/pull-error:v1\": example/pull-error:v1: not found"
        );
        assert_eq!(container(&s, "udf")["imageID"], "");
        let (s, settled) = at(&p, 610);
        assert!(settled);
        let w = &container(&s, "udf")["state"]["waiting"];
        assert_eq!(w["reason"], "ImagePullBackOff");
        assert_eq!(
            w["message"],
            "Back-off pulling image \"example/pull-error:v1\""
        );
        assert_eq!(s["phase"], "Pending");
    }

    #[test]
    fn never_ready_runs_unready() {
        let p = pod(&[("udf", "example/never-ready:v1")], false);
        let (s, settled) = at(&p, 5000);
        assert!(settled);
        assert_eq!(s["phase"], "Running");
        assert_eq!(container(&s, "udf")["ready"], false);
        assert!(container(&s, "udf")["state"]["running"].is_object());
        assert_eq!(condition(&s, "ContainersReady")["status"], "False");
    }

    #[test]
    fn delay_marker_sets_the_ready_time() {
        let p = pod(
            &[
                ("numa", "numaflow:v1"),
                ("udf", "example/cat:v2-delay-2000"),
            ],
            false,
        );
        let (s, _) = at(&p, 1000);
        assert_eq!(s["phase"], "Running");
        assert_eq!(condition(&s, "Ready")["status"], "False");
        assert_eq!(container(&s, "numa")["ready"], true);
        let (s, settled) = at(&p, 2000);
        assert!(settled);
        assert_eq!(condition(&s, "Ready")["status"], "True");
        let fast = pod(&[("udf", "example/cat:v2-delay-50")], false);
        assert_eq!(at(&fast, 60).0["phase"], "Running");
        assert_eq!(condition(&at(&fast, 60).0, "Ready")["status"], "True");
    }

    #[test]
    fn init_containers_complete_before_the_pod_runs() {
        let p = pod(&[("udf", "cat:v1")], true);
        let (s, _) = at(&p, 0);
        assert_eq!(condition(&s, "Initialized")["status"], "False");
        assert_eq!(
            condition(&s, "Initialized")["message"],
            "containers with incomplete status: [setup]"
        );
        assert_eq!(
            container(&s, "udf")["state"]["waiting"]["reason"],
            "PodInitializing"
        );
        let (s, _) = at(&p, 300);
        let init = find_named(s.get("initContainerStatuses"), "setup").unwrap();
        assert_eq!(init["state"]["terminated"]["reason"], "Completed");
        assert_eq!(condition(&s, "Initialized")["status"], "True");
    }

    #[test]
    fn unchanged_times_are_kept() {
        let p = pod(&[("udf", "cat:v1")], false);
        let (first, _) = desired_status(&p, &Value::Null, RD, RD, "t1");
        let (second, _) = desired_status(&p, &Value::Object(first.clone()), RD * 2, RD, "t2");
        assert_eq!(first, second);
    }

    #[test]
    fn back_off_doubles_to_five_minutes() {
        let got: Vec<String> = (1..=7).map(back_off).collect();
        assert_eq!(got, ["10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s"]);
    }

    #[test]
    fn behaviour_by_image() {
        assert_eq!(behaviour("x/crashloop:1", RD), Behaviour::CrashLoop);
        assert_eq!(behaviour("x:pull-error", RD), Behaviour::PullError);
        assert_eq!(behaviour("never-ready", RD), Behaviour::NeverReady);
        assert_eq!(
            behaviour("a:v2-delay-2000", RD),
            Behaviour::ReadyAfter(Duration::from_millis(2000))
        );
        assert_eq!(behaviour("a:v2", RD), Behaviour::ReadyAfter(RD));
    }
}
