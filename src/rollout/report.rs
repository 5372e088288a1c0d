//! The rollout state of a target: a pipeline (all its vertices), one vertex, or a
//! monovertex. Pure: callers pass the objects and pods they read.

use std::collections::HashMap;

use k8s_openapi::jiff::Timestamp;
use kube::api::DynamicObject;
use serde_json::Value;

use super::assess::{assess, Assessment, Workload};
use super::bake::BakeStatus;
use super::kinds::{observed, pipeline_vertex_names, vertex_pipeline, vertex_short_name, PodOwner};
use super::manager::Manager;
use super::pod_view::PodView;
use super::{condition, manager, pause, State, VERTEX_LABEL};
use crate::target::Kind;

/// The state of one target and of each workload in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The target's kind.
    pub kind: Kind,
    /// Namespace.
    pub namespace: String,
    /// The target's name.
    pub name: String,
    /// Combined state.
    pub state: State,
    /// One line for the whole target.
    pub message: String,
    /// One entry per vertex (or the monovertex), in pipeline order.
    pub workloads: Vec<Assessment>,
    /// Who re-applies the spec of the target's owner (the Pipeline of a vertex); boxed,
    /// as a report is mostly moved around without it.
    pub managed_by: Option<Box<Manager>>,
    /// Numaplane's upgrade state of that owner.
    pub upgrade_state: Option<String>,
    /// The bake of the finished rollout (`--bake`), while or once there is one.
    pub bake: Option<Box<BakeStatus>>,
}

impl Report {
    /// Whether evaluating the same objects later could give another report: only a
    /// pod still within its `ErrImagePull` grace turns into a failure by time alone
    /// ([`super::pods::ERR_IMAGE_PULL_GRACE`]). A watch may skip evaluating again while
    /// nothing arrives and this is false.
    pub fn may_change_with_time(&self) -> bool {
        self.workloads.iter().any(|w| {
            w.pods
                .iter()
                .any(|p| p.failure.is_none() && &*p.reason == "ErrImagePull")
        })
    }
}

/// Marks `a` with the manager and upgrade state of `owner`, the object holding its spec.
fn owned_by(mut a: Assessment, owner: Option<&DynamicObject>) -> Assessment {
    a.managed_by = owner.and_then(|o| manager::detect(&o.metadata));
    a.upgrade_state = owner.and_then(|o| manager::upgrade_state(&o.metadata));
    a
}

/// The pods of a pipeline's vertices, by short vertex name.
fn by_vertex<'a>(pipeline: &str, pods: &[&'a PodView]) -> HashMap<&'a str, Vec<&'a PodView>> {
    let mut map: HashMap<&str, Vec<&PodView>> = HashMap::new();
    for p in pods
        .iter()
        .copied()
        .filter(|p| PodOwner::Pipeline(pipeline).owns(p))
    {
        if let Some(v) = p.label(VERTEX_LABEL) {
            map.entry(v).or_default().push(p);
        }
    }
    map
}

/// `own` are the vertex's pods.
fn assess_vertex(
    vertex: &DynamicObject,
    pipeline: Option<&DynamicObject>,
    own: &[&PodView],
    now: Timestamp,
) -> Assessment {
    let short = vertex_short_name(vertex).unwrap_or_default();
    let workload = Workload {
        kind: Kind::Vertex,
        object: vertex,
        pods: own,
        pause_recorded: pipeline
            .is_some_and(|p| pause::is_recorded(p.metadata.annotations.as_ref(), short)),
        owner_observed: pipeline.is_none_or(observed),
    };
    owned_by(assess(&workload, now), pipeline)
}

/// What a Pipeline's `Failed` phase means for its rollout.
enum PipelineFailed {
    /// The controller rejected the latest spec (`Configured` False, `InvalidSpec`): it
    /// never reaches the Vertex objects, so it never rolls.
    Rejected(String),
    /// A reconcile error the controller retries (`Deployed` False, a write conflict, an
    /// InterStepBufferService not healthy yet): the rollout is not over either way.
    Retrying(String),
}

fn pipeline_failed(pipeline: &DynamicObject) -> Option<PipelineFailed> {
    let why = phase_failed(pipeline)?;
    let null = Value::Null;
    let status = pipeline.data.get("status").unwrap_or(&null);
    let configured_false = condition::find(status, "Configured").is_some_and(|c| c.is_false());
    Some(if configured_false {
        PipelineFailed::Rejected(why)
    } else {
        PipelineFailed::Retrying(why)
    })
}

/// `reason: message` of a `Failed` phase. Numaflow's pipeline controller leaves
/// `status.reason` empty and puts the reason on the condition it set False
/// (`Configured` with `InvalidSpec`, `Deployed`): that one is used then.
fn phase_failed(obj: &DynamicObject) -> Option<String> {
    fn text(v: Option<&Value>) -> Option<String> {
        v.and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }
    let status = obj.data.get("status")?;
    if status.get("phase").and_then(Value::as_str) != Some("Failed") {
        return None;
    }
    let condition = condition::all(status).into_iter().find(|c| c.is_false());
    let reason =
        text(status.get("reason")).or_else(|| condition.as_ref().and_then(|c| c.reason.clone()));
    let message = text(status.get("message")).or_else(|| condition.and_then(|c| c.message));
    Some(
        [reason, message]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(": "),
    )
}

/// A vertex whose pipeline's controller is retrying a failed reconcile: neither complete
/// nor failed while that lasts. The latest definition may not have reached the Vertex,
/// although Numaflow's pipeline controller records the pipeline's generation as
/// observed: a rollback (`--rollback-on-failure`, `undo`) of a crash-looping vertex
/// would otherwise be judged on the pods it is about to replace.
fn retrying_with(a: &mut Assessment, pipeline: &str, why: &str) {
    if matches!(a.state, State::Complete | State::Degraded) {
        a.state = State::Progressing;
        a.message = format!(
            "Waiting for {}: pipeline {pipeline:?} reports phase Failed ({why}) and its controller retries...",
            a.label()
        );
    }
}

/// The phase of a Pipeline whose `spec.lifecycle.desiredPhase` is `Paused`.
fn pipeline_lifecycle_paused(pipeline: &DynamicObject) -> Option<String> {
    let null = Value::Null;
    super::assess::lifecycle_paused(
        pipeline.data.get("spec").unwrap_or(&null),
        pipeline.data.get("status").unwrap_or(&null),
    )
}

/// A vertex of a pipeline whose lifecycle is paused (in `phase`). The pipeline
/// controller pauses its sources first and the other vertices once those are drained:
/// each of them is paused from the moment the pipeline is.
fn paused_with_pipeline(a: &mut Assessment, pipeline: &str, phase: &str) {
    a.state = State::Paused;
    a.lifecycle = Some(phase.to_string());
    a.message = format!(
        "{} is paused by its pipeline's lifecycle (pipeline {pipeline:?} phase {phase}): {}",
        a.label(),
        super::assess::LIFECYCLE_NOTE
    );
}

/// A vertex whose pipeline's latest spec was rejected: degraded with the pipeline's reason.
fn rejected_with(a: &mut Assessment, pipeline: &str, why: &str) {
    a.state = State::Degraded;
    a.message = format!(
        "{} rollout failed: pipeline {pipeline:?} is Failed: {why}",
        a.label()
    );
}

/// The report of a pipeline: every vertex listed in its spec must exist and be
/// complete, and the pipeline controller must have seen the latest pipeline spec.
pub fn pipeline(
    pipeline: &DynamicObject,
    vertices: &[&DynamicObject],
    pods: &[&PodView],
    now: Timestamp,
) -> Report {
    let name = pipeline.metadata.name.clone().unwrap_or_default();
    let label = format!("pipeline {name:?}");
    let mut workloads = Vec::new();
    let mut missing = Vec::new();
    let own = by_vertex(&name, pods);
    // Indexed once: a pipeline of a thousand vertices is evaluated on every pod event.
    let mut by_short: HashMap<&str, &DynamicObject> = HashMap::with_capacity(vertices.len());
    for v in vertices {
        if let Some(short) = vertex_short_name(v) {
            by_short.entry(short).or_insert(v);
        }
    }
    for short in pipeline_vertex_names(pipeline) {
        match by_short.get(short.as_str()) {
            Some(&v) => {
                let pods = own.get(short.as_str()).map_or(&[][..], Vec::as_slice);
                workloads.push(assess_vertex(v, Some(pipeline), pods, now))
            }
            None => missing.push(format!("{name}-{short}")),
        }
    }
    let combined = workloads
        .iter()
        .map(|w| w.state)
        .fold(State::Complete, State::combine);
    let total = workloads.len() + missing.len();
    let done = workloads
        .iter()
        .filter(|w| w.state == State::Complete)
        .count();
    let failed = pipeline_failed(pipeline);
    let (rejected, retrying) = match failed {
        Some(PipelineFailed::Rejected(why)) => (Some(why), None),
        Some(PipelineFailed::Retrying(why)) => (None, Some(why)),
        None => (None, None),
    };
    let lifecycle = pipeline_lifecycle_paused(pipeline);
    for w in &mut workloads {
        if let Some(why) = &rejected {
            rejected_with(w, &name, why);
        } else if let Some(why) = &retrying {
            retrying_with(w, &name, why);
        } else if let Some(phase) = &lifecycle {
            paused_with_pipeline(w, &name, phase);
        }
    }
    let (state, message) = if let Some(phase) = lifecycle {
        (
            State::Paused,
            format!(
                "{label} is paused by its lifecycle (phase {phase}): {}",
                super::assess::LIFECYCLE_NOTE
            ),
        )
    } else if let Some(why) = rejected {
        (
            State::Degraded,
            format!("{label} rollout failed: phase Failed: {why}"),
        )
    } else if !observed(pipeline) {
        (
            State::Progressing,
            format!("Waiting for {label} spec update to be observed..."),
        )
    } else if !missing.is_empty() {
        (
            State::Progressing,
            format!(
                "Waiting for {label} rollout to finish: vertex {} not created yet...",
                missing.join(", ")
            ),
        )
    } else {
        match combined {
            // As each vertex is (see `retrying_with`): a vertex failing or done while the
            // pipeline controller retries is still in progress, and so is the pipeline.
            // (Degraded was missing here: the pipeline was degraded with no degraded
            // vertex left to name, an empty message, and a rollback under a busy
            // controller reported "did not complete", exit 3.)
            State::Complete | State::Degraded if retrying.is_some() => (
                State::Progressing,
                format!(
                    "Waiting for {label}: its controller reports phase Failed ({}) and retries...",
                    retrying.unwrap_or_default()
                ),
            ),
            State::Complete => (State::Complete, format!("{label} successfully rolled out")),
            State::Degraded => {
                let first = workloads.iter().find(|w| w.state == State::Degraded).map(|w| w.message.clone());
                (State::Degraded, first.unwrap_or_default())
            }
            State::Paused => {
                let paused: Vec<String> = workloads
                    .iter()
                    .filter(|w| w.state == State::Paused)
                    .map(|w| format!("{} ({} of {} updated)", w.name, w.updated, w.desired))
                    .collect();
                (State::Paused, format!("{label} rollout is paused: {}", paused.join(", ")))
            }
            State::Progressing => (
                State::Progressing,
                format!("Waiting for {label} rollout to finish: {done} of {total} vertices rolled out..."),
            ),
        }
    };
    Report {
        kind: Kind::Pipeline,
        namespace: pipeline.metadata.namespace.clone().unwrap_or_default(),
        name,
        state,
        message,
        workloads,
        managed_by: manager::detect(&pipeline.metadata).map(Box::new),
        upgrade_state: manager::upgrade_state(&pipeline.metadata),
        bake: None,
    }
}

/// The report of one vertex; `pipeline` is its owning Pipeline when it exists. `pods`
/// may hold other pods too: the vertex's are picked by label.
pub fn vertex(
    vertex: &DynamicObject,
    pipeline: Option<&DynamicObject>,
    pods: &[&PodView],
    now: Timestamp,
) -> Report {
    let short = vertex_short_name(vertex).unwrap_or_default();
    let pl = vertex_pipeline(vertex).unwrap_or_default();
    let own: Vec<&PodView> = pods
        .iter()
        .copied()
        .filter(|p| {
            PodOwner::Vertex {
                pipeline: pl,
                short,
            }
            .owns(p)
        })
        .collect();
    let mut a = assess_vertex(vertex, pipeline, &own, now);
    // The pipeline controller marks observedGeneration before it validates: a spec it
    // rejected (phase Failed, Configured False) never reached this Vertex, whose previous
    // definition must not pass for the new one rolled out; while it retries a failed
    // reconcile the Vertex may not have the latest definition yet either.
    if let Some(failed) = pipeline.and_then(pipeline_failed) {
        match failed {
            PipelineFailed::Rejected(why) => rejected_with(&mut a, pl, &why),
            PipelineFailed::Retrying(why) => retrying_with(&mut a, pl, &why),
        }
    } else if let Some(phase) = pipeline.and_then(pipeline_lifecycle_paused) {
        paused_with_pipeline(&mut a, pl, &phase);
    }
    single(a)
}

/// The state of every vertex and monovertex among the objects of a cluster-wide read
/// (`rollout list`): each vertex with its pipeline and its own pods, each monovertex
/// with its pods. The pods are grouped once, by namespace and owner, so the cost
/// stays linear in the number of pods.
pub fn every_workload(
    pipelines: &[DynamicObject],
    vertices: &[DynamicObject],
    monovertices: &[DynamicObject],
    pods: &[PodView],
    now: Timestamp,
) -> Vec<Assessment> {
    let ns = |o: &DynamicObject| o.metadata.namespace.clone().unwrap_or_default();
    let pipeline_of: HashMap<(String, &str), &DynamicObject> = pipelines
        .iter()
        .filter_map(|p| Some(((ns(p), p.metadata.name.as_deref()?), p)))
        .collect();
    let mut grouped: HashMap<(String, String), Vec<&PodView>> = HashMap::new();
    for p in pods {
        let key = match (
            p.label(super::PIPELINE_LABEL),
            p.label(VERTEX_LABEL),
            p.label(super::MONO_VERTEX_LABEL),
        ) {
            (Some(pl), Some(v), _) => format!("vertex/{pl}/{v}"),
            (_, _, Some(m)) => format!("mvtx/{m}"),
            _ => continue,
        };
        grouped
            .entry((p.namespace.to_string(), key))
            .or_default()
            .push(p);
    }
    let own =
        |o: &DynamicObject, key: String| grouped.get(&(ns(o), key)).map_or(&[][..], Vec::as_slice);
    let mut rows = Vec::new();
    for v in vertices {
        let pl = vertex_pipeline(v).unwrap_or_default();
        let key = format!("vertex/{pl}/{}", vertex_short_name(v).unwrap_or_default());
        let owner = pipeline_of.get(&(ns(v), pl)).copied();
        rows.extend(vertex(v, owner, own(v, key), now).workloads);
    }
    for m in monovertices {
        let key = format!("mvtx/{}", m.metadata.name.as_deref().unwrap_or_default());
        rows.extend(monovertex(m, own(m, key), now).workloads);
    }
    rows
}

/// The report of a monovertex.
pub fn monovertex(mvtx: &DynamicObject, pods: &[&PodView], now: Timestamp) -> Report {
    let name = mvtx.metadata.name.clone().unwrap_or_default();
    let own: Vec<&PodView> = pods
        .iter()
        .copied()
        .filter(|p| PodOwner::MonoVertex(&name).owns(p))
        .collect();
    let workload = Workload {
        kind: Kind::MonoVertex,
        object: mvtx,
        pods: &own,
        pause_recorded: pause::is_recorded(mvtx.metadata.annotations.as_ref(), ""),
        owner_observed: true,
    };
    single(owned_by(assess(&workload, now), Some(mvtx)))
}

fn single(a: Assessment) -> Report {
    Report {
        kind: a.kind,
        namespace: a.namespace.clone(),
        name: a.name.clone(),
        state: a.state,
        message: a.message.clone(),
        managed_by: a.managed_by.clone().map(Box::new),
        upgrade_state: a.upgrade_state.clone(),
        bake: None,
        workloads: vec![a],
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{
        monovertex as monovertex_report, pause, pipeline as pipeline_report,
        vertex as vertex_report, DynamicObject, PodView, State, Value,
    };
    use crate::rollout::fixtures::*;

    fn done(short: &str) -> (DynamicObject, Vec<PodView>) {
        let v = vertex(
            short,
            1,
            json!({"replicas": 2}),
            status(1, "h2", "h2", 2, 2, 2),
        );
        (v, (0..2).map(|i| pod(short, i, "h2", true)).collect())
    }

    fn rolling(short: &str) -> (DynamicObject, Vec<PodView>) {
        let v = vertex(
            short,
            1,
            json!({"replicas": 2}),
            status(1, "h1", "h2", 2, 1, 1),
        );
        (
            v,
            vec![pod(short, 0, "h2", true), pod(short, 1, "h1", true)],
        )
    }

    fn crashing(short: &str) -> (DynamicObject, Vec<PodView>) {
        let v = vertex(
            short,
            1,
            json!({"replicas": 2}),
            status(1, "h1", "h2", 2, 1, 0),
        );
        (
            v,
            vec![
                waiting_pod(short, 0, "h2", "ImagePullBackOff"),
                pod(short, 1, "h1", true),
            ],
        )
    }

    #[test]
    fn pipeline_states() {
        type Parts = Vec<(DynamicObject, Vec<PodView>)>;
        let cases: Vec<(&str, DynamicObject, Parts, State, &str)> = vec![
            (
                "all complete",
                pipeline(&["in", "cat", "out"], 3, 3),
                vec![done("in"), done("cat"), done("out")],
                State::Complete,
                r#"pipeline "p" successfully rolled out"#,
            ),
            (
                "pipeline spec not observed",
                pipeline(&["in", "cat", "out"], 4, 3),
                vec![done("in"), done("cat"), done("out")],
                State::Progressing,
                r#"Waiting for pipeline "p" spec update to be observed..."#,
            ),
            (
                "vertex missing",
                pipeline(&["in", "cat", "out"], 3, 3),
                vec![done("in"), done("cat")],
                State::Progressing,
                r#"Waiting for pipeline "p" rollout to finish: vertex p-out not created yet..."#,
            ),
            (
                "last one rolling",
                pipeline(&["in", "cat", "out"], 3, 3),
                vec![done("in"), done("cat"), rolling("out")],
                State::Progressing,
                r#"Waiting for pipeline "p" rollout to finish: 2 of 3 vertices rolled out..."#,
            ),
            (
                "one degraded",
                pipeline(&["in", "cat", "out"], 3, 3),
                vec![rolling("in"), crashing("cat"), done("out")],
                State::Degraded,
                r#"vertex "p-cat" rollout failed: pod p-cat-0-h2 container udf: ImagePullBackOff: back-off 40s restarting failed container=udf"#,
            ),
            (
                "extra vertex object ignored",
                pipeline(&["in"], 3, 3),
                vec![done("in"), rolling("gone")],
                State::Complete,
                r#"pipeline "p" successfully rolled out"#,
            ),
        ];
        for (name, pl, parts, state, message) in cases {
            let vertices: Vec<&DynamicObject> = parts.iter().map(|(v, _)| v).collect();
            let pods: Vec<&PodView> = parts.iter().flat_map(|(_, p)| p).collect();
            let r = pipeline_report(&pl, &vertices, &pods, now());
            assert_eq!(
                (r.state, r.message.as_str()),
                (state, message),
                "case {name:?}"
            );
        }
    }

    #[test]
    fn only_a_rejected_spec_is_a_failed_pipeline_rollout() {
        let failed = |message: &str| {
            let mut pl = pipeline(&["in", "cat"], 3, 3);
            pl.data["status"]["phase"] = json!("Failed");
            pl.data["status"]["message"] = json!(message);
            pl
        };
        let parts = [done("in"), rolling("cat")];
        let vertices: Vec<&DynamicObject> = parts.iter().map(|(v, _)| v).collect();
        let pods: Vec<&PodView> = parts.iter().flat_map(|(_, p)| p).collect();
        let conflict = failed(
            r#"failed to update vertex, err: Operation cannot be fulfilled on vertices.numaflow.numaproj.io "p-cat": the object has been modified; please apply your changes to the latest version and try again"#,
        );
        let r = pipeline_report(&conflict, &vertices, &pods, now());
        assert_eq!(
            (r.state, r.message.as_str()),
            (
                State::Progressing,
                r#"Waiting for pipeline "p" rollout to finish: 1 of 2 vertices rolled out..."#
            )
        );
        let mut invalid = failed("invalid vertex \"in\", source must have 0 from edges");
        invalid.data["status"]["conditions"] = json!([{"type": "Configured", "status": "False",
            "reason": "InvalidSpec", "message": "invalid vertex \"in\", source must have 0 from edges"}]);
        let r = pipeline_report(&invalid, &vertices, &pods, now());
        assert_eq!(
            (r.state, r.message.as_str()),
            (
                State::Degraded,
                r#"pipeline "p" rollout failed: phase Failed: InvalidSpec: invalid vertex "in", source must have 0 from edges"#
            )
        );
        // A reconcile error the controller retries, every vertex done: not complete yet.
        let mut retried = failed("isbsvc not healthy");
        retried.data["status"]["conditions"] = json!([{"type": "Deployed", "status": "False",
            "reason": "ReconcileFixedResourcesFailed", "message": "isbsvc not healthy"}]);
        let done_parts = [done("in"), done("cat")];
        let done_vertices: Vec<&DynamicObject> = done_parts.iter().map(|(v, _)| v).collect();
        let done_pods: Vec<&PodView> = done_parts.iter().flat_map(|(_, p)| p).collect();
        let r = pipeline_report(&retried, &done_vertices, &done_pods, now());
        assert_eq!(
            (r.state, r.message.as_str()),
            (
                State::Progressing,
                r#"Waiting for pipeline "p": its controller reports phase Failed (ReconcileFixedResourcesFailed: isbsvc not healthy) and retries..."#
            )
        );
    }

    #[test]
    fn pipeline_pause_is_read_from_the_pipeline_record() {
        let mut pl = pipeline(&["cat"], 1, 1);
        pl.metadata.annotations = Some(
            [(
                pause::PAUSE_ANNOTATION.to_string(),
                r#"{"cat":{"maxUnavailable":null}}"#.to_string(),
            )]
            .into(),
        );
        let spec =
            json!({"replicas": 2, "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}});
        let v = vertex("cat", 1, spec, status(1, "h1", "h2", 2, 0, 0));
        let pods = [pod("cat", 0, "h1", true), pod("cat", 1, "h1", true)];
        let refs: Vec<&PodView> = pods.iter().collect();
        let r = pipeline_report(&pl, &[&v], &refs, now());
        assert_eq!(r.state, State::Paused);
        assert_eq!(
            r.message,
            r#"pipeline "p" rollout is paused: p-cat (0 of 2 updated)"#
        );
        assert_eq!(
            r.workloads[0].message,
            r#"vertex "p-cat" rollout is paused (paused by kubectl numa): 0 of 2 replicas updated"#
        );
        let single = vertex_report(&v, Some(&pl), &refs, now());
        assert_eq!(single.message, r.workloads[0].message);
    }

    #[test]
    fn pods_are_matched_to_their_vertex() {
        let (a, pa) = done("a");
        let (b, pb) = rolling("b");
        let owned: Vec<PodView> = pa.into_iter().chain(pb).collect();
        let all: Vec<&PodView> = owned.iter().collect();
        let r = vertex_report(&a, None, &all, now());
        assert_eq!(r.workloads[0].pods.len(), 2);
        assert_eq!(r.state, State::Complete);
        assert_eq!(
            vertex_report(&b, None, &all, now()).state,
            State::Progressing
        );
    }

    #[test]
    fn a_monovertex_counts_its_own_pods_never_its_daemons() {
        let done = || status(1, "h2", "h2", 2, 2, 2);
        let rolling = || status(1, "h1", "h2", 2, 1, 1);
        let cases: Vec<(&str, Value, Vec<PodView>, State, usize)> = vec![
            (
                "a ready daemon pod beside two new pods",
                done(),
                vec![
                    mvtx_pod(0, "h2", true),
                    mvtx_pod(1, "h2", true),
                    mvtx_daemon_pod(true),
                ],
                State::Complete,
                2,
            ),
            (
                "a daemon pod that is not ready holds nothing",
                done(),
                vec![
                    mvtx_pod(0, "h2", true),
                    mvtx_pod(1, "h2", true),
                    mvtx_daemon_pod(false),
                ],
                State::Complete,
                2,
            ),
            (
                "a daemon pod is no replica of the new revision",
                rolling(),
                vec![
                    mvtx_pod(0, "h2", true),
                    mvtx_pod(1, "h1", true),
                    mvtx_daemon_pod(true),
                ],
                State::Progressing,
                2,
            ),
        ];
        for (what, status, pods, want, own) in cases {
            let m = monovertex(1, json!({"replicas": 2}), status);
            let refs: Vec<&PodView> = pods.iter().collect();
            let r = monovertex_report(&m, &refs, now());
            assert_eq!((r.state, r.workloads[0].pods.len()), (want, own), "{what}");
        }
    }

    #[test]
    fn a_vertex_of_a_pipeline_whose_spec_was_rejected_fails() {
        let (v, pods) = done("cat");
        let refs: Vec<&PodView> = pods.iter().collect();
        let failed = |condition: &str, reason: &str, message: &str| {
            let mut pl = pipeline(&["in", "cat"], 3, 3);
            pl.data["status"] = json!({"phase": "Failed", "observedGeneration": 3, "message": message,
                "conditions": [{"type": condition, "status": "False", "reason": reason, "message": message}]});
            pl
        };
        let cases = [
            (
                failed("Configured", "InvalidSpec", "edge from \"cat\" to \"nope\": vertex not found"),
                State::Degraded,
                "vertex \"p-cat\" rollout failed: pipeline \"p\" is Failed: InvalidSpec: edge from \"cat\" to \"nope\": vertex not found",
            ),
            (
                failed("Deployed", "ReconcileVerticesFailed", "failed to update vertex: the object has been modified"),
                State::Progressing,
                "Waiting for vertex \"p-cat\": pipeline \"p\" reports phase Failed (ReconcileVerticesFailed: failed to update vertex: the object has been modified) and its controller retries...",
            ),
            (pipeline(&["in", "cat"], 3, 3), State::Complete, "vertex \"p-cat\" successfully rolled out"),
            {
                // As Numaflow leaves it: no status.reason, the reason on the condition.
                let mut pl = pipeline(&["in", "cat"], 3, 3);
                pl.data["status"] = json!({"phase": "Failed", "observedGeneration": 3,
                    "message": "invalid edge: no vertex named \"ghost\"",
                    "conditions": [{"type": "Configured", "status": "False", "reason": "InvalidSpec",
                                    "message": "invalid edge: no vertex named \"ghost\""}]});
                (pl, State::Degraded, "vertex \"p-cat\" rollout failed: pipeline \"p\" is Failed: InvalidSpec: invalid edge: no vertex named \"ghost\"")
            },
            {
                // Sources pause first: the others are paused from the moment the pipeline is.
                let mut pl = pipeline(&["in", "cat"], 3, 3);
                pl.data["spec"]["lifecycle"] = json!({"desiredPhase": "Paused"});
                pl.data["status"]["phase"] = json!("Pausing");
                (pl, State::Paused, "vertex \"p-cat\" is paused by its pipeline's lifecycle (pipeline \"p\" phase Pausing): spec.lifecycle.desiredPhase is Paused, so data processing is stopped and no pods run; this is not a rollout pause (`kubectl numa rollout pause`): set desiredPhase to Running to resume")
            },
        ];
        for (pl, state, message) in cases {
            let r = vertex_report(&v, Some(&pl), &refs, now());
            assert_eq!((r.state, r.message.as_str()), (state, message));
        }
    }

    #[test]
    fn failing_pods_wait_while_the_pipeline_retries_delivering_its_spec() {
        let v = vertex(
            "cat",
            2,
            json!({"replicas": 2}),
            status(2, "h1", "h2", 2, 1, 0),
        );
        let pods = [
            waiting_pod("cat", 0, "h2", "CrashLoopBackOff"),
            pod("cat", 1, "h1", true),
        ];
        let refs: Vec<&PodView> = pods.iter().collect();
        let mut retrying = pipeline(&["in", "cat"], 3, 3);
        retrying.data["status"] = json!({"phase": "Failed", "observedGeneration": 3,
            "conditions": [{"type": "Deployed", "status": "False", "reason": "ReconcileFixedResourcesFailed",
                            "message": "failed to update vertex: the object has been modified"}]});
        for (pl, state, start) in [
            (pipeline(&["in", "cat"], 3, 3), State::Degraded, "vertex \"p-cat\" rollout failed: pod p-cat-0"),
            (retrying, State::Progressing, "Waiting for vertex \"p-cat\": pipeline \"p\" reports phase Failed (ReconcileFixedResourcesFailed"),
        ] {
            let r = vertex_report(&v, Some(&pl), &refs, now());
            assert_eq!(r.state, state, "{}", r.message);
            assert!(r.message.starts_with(start), "{}", r.message);
            // The pipeline's own verdict agrees with its vertex's, and names it.
            let mut in_v = vertex("in", 1, json!({"replicas": 1}), status(1, "i1", "i1", 1, 1, 1));
            in_v.data["spec"]["pipelineName"] = json!("p");
            let in_pod = pod("in", 0, "i1", true);
            let mut all = refs.clone();
            all.push(&in_pod);
            let whole = pipeline_report(&pl, &[&in_v, &v], &all, now());
            assert_eq!(whole.state, state, "{}", whole.message);
            let want = if state == State::Degraded { start } else { "Waiting for pipeline \"p\": its controller reports phase Failed (ReconcileFixedResourcesFailed: failed to update vertex: the object has been modified) and retries..." };
            assert!(whole.message.starts_with(want), "{}", whole.message);
        }
    }
}
