//! The rollout state of a target: a pipeline (all its vertices), one vertex, or a
//! monovertex. Pure: callers pass the objects and pods they read.

use std::collections::HashMap;

use k8s_openapi::jiff::Timestamp;
use kube::api::DynamicObject;
use serde_json::Value;

use super::assess::{assess, Assessment, Workload};
use super::bake::BakeStatus;
use super::kinds::{
    is_helper_pod, observed, pipeline_vertex_names, vertex_pipeline, vertex_short_name, PodOwner,
};
use super::manager::Manager;
use super::pod_view::PodView;
use super::pods::PodInfo;
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
    /// The conditions in which the controller reports the target's daemon and
    /// side-input manager Deployments ([`PIPELINE_HELPERS`], [`MONO_VERTEX_HELPERS`]),
    /// as it wrote them; none for a vertex target.
    pub helpers: Vec<condition::Condition>,
}

impl Report {
    /// Whether evaluating the same objects later could give another report: a pod
    /// still within its `ErrImagePull` grace turns into a failure by time alone
    /// ([`super::pods::ERR_IMAGE_PULL_GRACE`]), and a recent restart stops counting
    /// once [`super::pods::RECENT_RESTART_WINDOW`] has passed. A watch may skip
    /// evaluating again while nothing arrives and this is false.
    pub fn may_change_with_time(&self) -> bool {
        self.workloads.iter().any(|w| {
            w.pods.iter().any(|p| {
                (p.failure.is_none() && &*p.reason == "ErrImagePull") || p.recent_restart.is_some()
            })
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

/// The failed reconcile a Pipeline reports about its latest generation. What it
/// reported before the controller observed that generation says nothing about it: the
/// rollout of a spec just applied is in progress until then, not failed.
fn pipeline_failed(pipeline: &DynamicObject) -> Option<PipelineFailed> {
    if !observed(pipeline) {
        return None;
    }
    let f = condition::reconcile_failure(pipeline.data.get("status")?)?;
    Some(if f.is_final() {
        PipelineFailed::Rejected(f.why)
    } else {
        PipelineFailed::Retrying(f.why)
    })
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

/// The conditions in which a Pipeline's controller reports its daemon Deployment and
/// side-input manager Deployments (`checkChildrenResourceStatus`).
pub const PIPELINE_HELPERS: [&str; 2] = ["DaemonServiceHealthy", "SideInputsManagersHealthy"];
/// The condition in which a MonoVertex's controller reports its daemon Deployment.
pub const MONO_VERTEX_HELPERS: [&str; 1] = ["DaemonHealthy"];

/// Those of `types` among `obj`'s conditions, in that order.
fn helper_conditions(obj: &DynamicObject, types: &[&str]) -> Vec<condition::Condition> {
    let Some(status) = obj.data.get("status") else {
        return Vec::new();
    };
    types
        .iter()
        .filter_map(|t| condition::find(status, t))
        .collect()
}

/// A helper Deployment (daemon, side-input manager) that is not healthy yet.
struct HelpersUnhealthy {
    /// `DaemonServiceHealthy False (Progressing): message`.
    what: String,
    /// Numaflow's `CheckDeploymentStatus` found its progress deadline exceeded.
    failed: bool,
}

/// The first of `types` among `obj`'s conditions that is not True. Every edit of a
/// Pipeline recreates its daemon Deployment (its spec is embedded there), so the
/// rollout is not over until the controller reports the new one healthy
/// (`CheckDeploymentStatus`, reason `ProgressDeadlineExceeded` when it never will). A
/// condition absent altogether (a Numaflow that does not write it) holds nothing.
fn helpers_unhealthy(obj: &DynamicObject, types: &[&str]) -> Option<HelpersUnhealthy> {
    let status = obj.data.get("status")?;
    types.iter().find_map(|t| {
        let c = condition::find(status, t).filter(|c| c.status != "True")?;
        Some(HelpersUnhealthy {
            failed: c.reason.as_deref() == Some("ProgressDeadlineExceeded"),
            what: format!("{} {}", c.type_, c.summary()),
        })
    })
}

/// The first pod of a helper Deployment of `owner`'s (daemon, side-input manager)
/// that fails by Numaflow's pod rules ([`PodInfo`]'s failure: CrashLoopBackOff,
/// ImagePullBackOff, terminated `Error`, ...), as `daemon pod NAME container C:
/// REASON: message`. Terminating pods (a recreated Deployment's old ones) are skipped.
fn helper_pod_failure(owner: PodOwner<'_>, pods: &[&PodView], now: Timestamp) -> Option<String> {
    pods.iter()
        .filter(|p| !p.terminating && owner.owns(p) && is_helper_pod(p))
        .find_map(|p| {
            let f = PodInfo::from_pod(p, now).failure?;
            let container = f
                .container
                .as_ref()
                .map(|c| format!(" container {c}"))
                .unwrap_or_default();
            Some(format!(
                "{} pod {}{container}: {}: {}",
                p.label(super::COMPONENT_LABEL).unwrap_or_default(),
                p.name,
                f.reason,
                f.message
            ))
        })
}

/// `text...`, once: Numaflow's own progress messages already end so.
fn ellipsis(text: &str) -> String {
    format!("{}...", text.trim_end_matches("..."))
}

/// A vertex still paused by its lifecycle while its pipeline's is not: the pipeline
/// controller has not yet carried the resume to this Vertex (`vertexResumeHandler`),
/// so its rollout is in progress, not paused.
fn resuming_with(a: &mut Assessment, pipeline: &str) {
    if a.lifecycle.is_some() {
        a.state = State::Progressing;
        a.lifecycle = None;
        a.message = format!(
            "Waiting for {}: pipeline {pipeline:?} is resuming it from its lifecycle pause...",
            a.label()
        );
    }
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
    // A lifecycle pause the controller has not observed is no verdict yet (its spec
    // may be one it rejects): the pipeline is progressing until then.
    let lifecycle = pipeline_lifecycle_paused(pipeline).filter(|_| observed(pipeline));
    if lifecycle.is_none() {
        for w in &mut workloads {
            resuming_with(w, &name);
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
    for w in &mut workloads {
        if let Some(why) = &rejected {
            rejected_with(w, &name, why);
        } else if let Some(why) = &retrying {
            retrying_with(w, &name, why);
        } else if let Some(phase) = &lifecycle {
            paused_with_pipeline(w, &name, phase);
        }
    }
    let helpers = helpers_unhealthy(pipeline, &PIPELINE_HELPERS);
    // Upstream validates the spec before any lifecycle step: a rejected spec under
    // `desiredPhase: Paused` is a failure, not a pause.
    let (state, message) = if let Some(why) = rejected {
        (
            State::Degraded,
            format!("{label} rollout failed: phase Failed: {why}"),
        )
    } else if let Some(phase) = lifecycle {
        (
            State::Paused,
            format!(
                "{label} is paused by its lifecycle (phase {phase}): {}",
                super::assess::LIFECYCLE_NOTE
            ),
        )
    } else if !observed(pipeline) {
        (
            State::Progressing,
            format!("Waiting for {label} spec update to be observed..."),
        )
    } else if let Some(why) = helper_pod_failure(PodOwner::PipelineAndHelpers(&name), pods, now) {
        (State::Degraded, format!("{label} rollout failed: {why}"))
    } else if let Some(why) = retrying {
        // Named from the first read: a typo in `interStepBufferServiceName`
        // (`isbsvc x not found`) or a refused write reads as this until it is fixed,
        // and --progress-deadline ends a wait that stops moving.
        (
            State::Progressing,
            format!(
                "Waiting for {label}: its controller reports phase Failed ({why}) and retries..."
            ),
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
            State::Complete => match helpers {
                Some(h) if h.failed => (
                    State::Degraded,
                    format!("{label} rollout failed: {}", h.what),
                ),
                Some(h) => (
                    State::Progressing,
                    format!("Waiting for {label} rollout to finish: {}", ellipsis(&h.what)),
                ),
                None => (State::Complete, format!("{label} successfully rolled out")),
            },
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
        helpers: helper_conditions(pipeline, &PIPELINE_HELPERS),
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
    } else if let Some(phase) = pipeline
        .filter(|p| observed(p))
        .and_then(pipeline_lifecycle_paused)
    {
        paused_with_pipeline(&mut a, pl, &phase);
    } else if pipeline.is_some() {
        resuming_with(&mut a, pl);
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
    let mut a = assess(&workload, now);
    let settled = matches!(a.state, State::Complete | State::Progressing) && observed(mvtx);
    if let Some(why) =
        helper_pod_failure(PodOwner::MonoVertexAndDaemon(&name), pods, now).filter(|_| settled)
    {
        a.state = State::Degraded;
        a.message = format!("{} rollout failed: {why}", a.label());
    } else if a.state == State::Complete {
        if let Some(h) = helpers_unhealthy(mvtx, &MONO_VERTEX_HELPERS) {
            let label = a.label();
            (a.state, a.message) = if h.failed {
                (
                    State::Degraded,
                    format!("{label} rollout failed: {}", h.what),
                )
            } else {
                (
                    State::Progressing,
                    format!(
                        "Waiting for {label} rollout to finish: {}",
                        ellipsis(&h.what)
                    ),
                )
            };
        }
    }
    let mut r = single(owned_by(a, Some(mvtx)));
    r.helpers = helper_conditions(mvtx, &MONO_VERTEX_HELPERS);
    r
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
        helpers: Vec::new(),
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
                r#"Waiting for pipeline "p": its controller reports phase Failed (failed to update vertex, err: Operation cannot be fulfilled on vertices.numaflow.numaproj.io "p-cat": the object has been modified; please apply your changes to the latest version and try again) and retries..."#
            )
        );
        // A typo in interStepBufferServiceName: named from the first read, before any
        // vertex exists.
        let mut typo = failed("isbsvc defualt not found");
        typo.data["status"]["conditions"] = json!([{"type": "Deployed", "status": "False",
            "reason": "ReconcileFixedResourcesFailed", "message": "isbsvc defualt not found"}]);
        let r = pipeline_report(&typo, &[], &[], now());
        assert_eq!(
            (r.state, r.message.as_str()),
            (
                State::Progressing,
                r#"Waiting for pipeline "p": its controller reports phase Failed (ReconcileFixedResourcesFailed: isbsvc defualt not found) and retries..."#
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
    fn quiet_states_agree_with_numaflow() {
        let idle = |short: &str| {
            let v = vertex(
                short,
                1,
                json!({"scale": {"min": 0, "max": 0}}),
                json!({"observedGeneration": 1, "currentHash": "h2", "updateHash": "h2",
                       "desiredReplicas": 0, "replicas": 0, "phase": "Running"}),
            );
            (v, Vec::<PodView>::new())
        };
        let with_status = |mut pl: DynamicObject, status: Value| {
            pl.data["status"] = status;
            pl
        };
        let daemon = |status: &str, reason: &str| {
            json!({"phase": "Running", "observedGeneration": 3, "conditions": [
                {"type": "DaemonServiceHealthy", "status": status, "reason": reason, "message": "deployment \"p-daemon\" ..."},
                {"type": "SideInputsManagersHealthy", "status": "True", "reason": "NoSideInputs"}]})
        };
        type Parts = Vec<(DynamicObject, Vec<PodView>)>;
        let cases: Vec<(&str, DynamicObject, Parts, State, &str)> = vec![
            (
                "an idle pipeline at scale.min 0 completes",
                pipeline(&["in", "cat"], 3, 3),
                vec![idle("in"), idle("cat")],
                State::Complete,
                r#"pipeline "p" successfully rolled out"#,
            ),
            (
                "a rejection of an older generation says nothing of the spec just applied",
                with_status(
                    pipeline(&["in", "cat"], 4, 3),
                    json!({"phase": "Failed", "observedGeneration": 3,
                    "conditions": [{"type": "Configured", "status": "False", "reason": "InvalidSpec", "message": "bad edge"}]}),
                ),
                vec![done("in"), done("cat")],
                State::Progressing,
                r#"Waiting for pipeline "p" spec update to be observed..."#,
            ),
            (
                "an invalid spec under a lifecycle pause is a failure, not a pause",
                {
                    let mut pl = with_status(
                        pipeline(&["in", "cat"], 3, 3),
                        json!({"phase": "Failed", "observedGeneration": 3,
                        "conditions": [{"type": "Configured", "status": "False", "reason": "InvalidSpec", "message": "bad edge"}]}),
                    );
                    pl.data["spec"]["lifecycle"] = json!({"desiredPhase": "Paused"});
                    pl
                },
                vec![done("in"), done("cat")],
                State::Degraded,
                r#"pipeline "p" rollout failed: phase Failed: InvalidSpec: bad edge"#,
            ),
            (
                "a daemon Deployment not rolled out yet holds the pipeline",
                with_status(
                    pipeline(&["in", "cat"], 3, 3),
                    daemon("False", "Progressing"),
                ),
                vec![done("in"), done("cat")],
                State::Progressing,
                r#"Waiting for pipeline "p" rollout to finish: DaemonServiceHealthy False (Progressing): deployment "p-daemon" ..."#,
            ),
            (
                "a daemon Deployment past its progress deadline fails the pipeline",
                with_status(
                    pipeline(&["in", "cat"], 3, 3),
                    daemon("False", "ProgressDeadlineExceeded"),
                ),
                vec![done("in"), done("cat")],
                State::Degraded,
                r#"pipeline "p" rollout failed: DaemonServiceHealthy False (ProgressDeadlineExceeded): deployment "p-daemon" ..."#,
            ),
            (
                "a healthy daemon lets the pipeline complete",
                with_status(pipeline(&["in", "cat"], 3, 3), daemon("True", "Healthy")),
                vec![done("in"), done("cat")],
                State::Complete,
                r#"pipeline "p" successfully rolled out"#,
            ),
            (
                "a vertex still lifecycle-paused while its pipeline resumes is in progress",
                pipeline(&["in", "cat"], 3, 3),
                vec![done("in"), {
                    let v = vertex(
                        "cat",
                        1,
                        json!({"replicas": 2, "lifecycle": {"desiredPhase": "Paused"}}),
                        json!({"observedGeneration": 1, "phase": "Paused", "currentHash": "h2", "updateHash": "h2", "desiredReplicas": 0, "replicas": 0}),
                    );
                    (v, vec![])
                }],
                State::Progressing,
                r#"Waiting for pipeline "p" rollout to finish: 1 of 2 vertices rolled out..."#,
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
    fn a_failing_daemon_pod_fails_the_rollout() {
        use crate::rollout::{COMPONENT_LABEL, PIPELINE_LABEL};
        let helper = |component: &str, terminating: bool| {
            let mut p = waiting_pod("x", 0, "", "CrashLoopBackOff");
            p.name = format!("p-{component}-5d8f9-x2x9q");
            p.labels = vec![
                (COMPONENT_LABEL, component.into()),
                (PIPELINE_LABEL, "p".into()),
            ];
            p.terminating = terminating;
            p
        };
        let parts = [done("in"), done("cat")];
        let vertices: Vec<&DynamicObject> = parts.iter().map(|(v, _)| v).collect();
        let cases = [
            (
                helper("daemon", false),
                State::Degraded,
                r#"pipeline "p" rollout failed: daemon pod p-daemon-5d8f9-x2x9q container udf: CrashLoopBackOff: back-off 40s restarting failed container=udf"#,
            ),
            (
                helper("side-inputs-manager", false),
                State::Degraded,
                r#"pipeline "p" rollout failed: side-inputs-manager pod p-side-inputs-manager-5d8f9-x2x9q container udf: CrashLoopBackOff: back-off 40s restarting failed container=udf"#,
            ),
            (
                helper("daemon", true),
                State::Complete,
                r#"pipeline "p" successfully rolled out"#,
            ),
            (
                helper("job", false),
                State::Complete,
                r#"pipeline "p" successfully rolled out"#,
            ),
        ];
        for (extra, state, message) in cases {
            let pods: Vec<&PodView> = parts.iter().flat_map(|(_, p)| p).chain([&extra]).collect();
            let r = pipeline_report(&pipeline(&["in", "cat"], 3, 3), &vertices, &pods, now());
            assert_eq!(
                (r.state, r.message.as_str()),
                (state, message),
                "{}",
                extra.name
            );
            assert_eq!(
                r.workloads.iter().map(|w| w.pods.len()).sum::<usize>(),
                4,
                "helpers are no replicas"
            );
        }
        let mut daemon = mvtx_daemon_pod(false);
        daemon.containers = waiting_pod("m", 0, "", "ImagePullBackOff").containers;
        let own = [mvtx_pod(0, "h2", true), daemon];
        let refs: Vec<&PodView> = own.iter().collect();
        let m = monovertex(1, json!({"replicas": 1}), status(1, "h2", "h2", 1, 1, 1));
        let r = monovertex_report(&m, &refs, now());
        assert_eq!(
            (r.state, r.message.as_str()),
            (
                State::Degraded,
                r#"monovertex "m" rollout failed: mono-vertex-daemon pod m-mv-daemon-5d8f9c7b6-x2x9q container udf: ImagePullBackOff: back-off 40s restarting failed container=udf"#
            )
        );
    }

    #[test]
    fn a_monovertex_waits_for_its_daemon() {
        let cases = [
            (
                "True",
                "Healthy",
                State::Complete,
                r#"monovertex "m" successfully rolled out"#,
            ),
            (
                "False",
                "Progressing",
                State::Progressing,
                r#"Waiting for monovertex "m" rollout to finish: DaemonHealthy False (Progressing): not ready..."#,
            ),
            (
                "Unknown",
                "Unknown",
                State::Progressing,
                r#"Waiting for monovertex "m" rollout to finish: DaemonHealthy Unknown (Unknown): not ready..."#,
            ),
            (
                "False",
                "ProgressDeadlineExceeded",
                State::Degraded,
                r#"monovertex "m" rollout failed: DaemonHealthy False (ProgressDeadlineExceeded): not ready"#,
            ),
        ];
        for (status, reason, state, message) in cases {
            let mut st = super::super::fixtures::status(1, "h2", "h2", 0, 0, 0);
            st["conditions"] = json!([{"type": "DaemonHealthy", "status": status, "reason": reason, "message": "not ready"}]);
            let m = monovertex(1, json!({"replicas": 0}), st);
            let r = monovertex_report(&m, &[], now());
            assert_eq!(
                (r.state, r.message.as_str()),
                (state, message),
                "{status} {reason}"
            );
        }
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
