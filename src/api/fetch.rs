//! Resolving targets to the objects that decide their rollout, and reading those
//! objects once. A pipeline costs one GET of the Pipeline, one LIST of its Vertex
//! objects and one LIST of its pods; a vertex one GET of itself, one of its Pipeline
//! and one LIST of its pods; a monovertex one GET and one LIST.

use anyhow::{anyhow, Result};
use k8s_openapi::jiff::Timestamp;
use kube::api::{DynamicObject, ListParams};
use kube::ResourceExt;

use super::store::Store;
use super::Kube;
use crate::rollout::kinds::{pipeline_vertex_names, vertex_pipeline, vertex_short_name, PodOwner};
use crate::rollout::owner::Owner;
use crate::rollout::pod_view::PodView;
use crate::rollout::report::{self, Report};
use crate::rollout::PIPELINE_LABEL;
use crate::target::{Kind, Selection, Target};

/// A target with what is needed to select its objects.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The target.
    pub target: Target,
    /// Its namespace.
    pub namespace: String,
    /// For a vertex: its pipeline and short name, read from the Vertex.
    pub vertex_of: Option<(String, String)>,
    /// The target's object when resolving already read it.
    pub prefetched: Option<DynamicObject>,
}

impl Scope {
    /// Label selector of the target's pods: a vertex's as its controller selects
    /// them; a pipeline's or a monovertex's with those of its daemon and side-input
    /// managers, whose health is part of its rollout (the reports tell them apart).
    pub fn pod_selector(&self) -> String {
        match (&self.target.kind, &self.vertex_of) {
            (Kind::Pipeline, _) => PodOwner::PipelineAndHelpers(&self.target.name),
            (Kind::Vertex, Some((pipeline, short))) => PodOwner::Vertex { pipeline, short },
            (Kind::Vertex, None) => PodOwner::AnyVertex,
            (Kind::MonoVertex, _) => PodOwner::MonoVertexAndDaemon(&self.target.name),
        }
        .selector()
    }

    /// The Pipeline this target's rollout also depends on (a vertex's owner).
    pub fn owner_pipeline(&self) -> Option<&str> {
        self.vertex_of.as_ref().map(|(pl, _)| pl.as_str())
    }
}

/// The objects of one target as last read.
#[derive(Debug, Clone, Default)]
pub struct World {
    /// The target's own object (Pipeline, Vertex or MonoVertex).
    pub primary: Store<DynamicObject>,
    /// A vertex target's Pipeline.
    pub owner: Store<DynamicObject>,
    /// A pipeline target's Vertex objects.
    pub vertices: Store<DynamicObject>,
    /// The target's pods.
    pub pods: Store<PodView>,
}

/// What the objects say about a target.
#[derive(Debug)]
pub enum Evaluation {
    /// Not everything has been listed yet.
    Syncing,
    /// The target object does not exist.
    Missing,
    /// The target's rollout state.
    Report(Report),
}

impl World {
    /// The object that owns the target's spec (the Pipeline of a vertex), as read, and
    /// who it is: what revision recording looks at.
    pub fn spec_owner(&self, scope: &Scope) -> Option<(&DynamicObject, Owner)> {
        let (obj, kind) = match scope.target.kind {
            Kind::Vertex => (self.owner.single()?, Kind::Pipeline),
            kind => (self.primary.single()?, kind),
        };
        let owner = Owner {
            kind,
            name: obj.name_any(),
            namespace: scope.namespace.clone(),
        };
        Some((obj, owner))
    }

    /// Evaluates the target's rollout from the objects in this world.
    pub fn evaluate(&self, scope: &Scope, now: Timestamp) -> Evaluation {
        let needs_owner = scope.target.kind == Kind::Vertex;
        let needs_vertices = scope.target.kind == Kind::Pipeline;
        if !self.primary.synced()
            || !self.pods.synced()
            || (needs_owner && !self.owner.synced())
            || (needs_vertices && !self.vertices.synced())
        {
            return Evaluation::Syncing;
        }
        let Some(primary) = self.primary.single() else {
            return Evaluation::Missing;
        };
        let pods: Vec<&PodView> = self.pods.iter().collect();
        Evaluation::Report(match scope.target.kind {
            Kind::Pipeline => {
                let vertices: Vec<&DynamicObject> = self.vertices.iter().collect();
                report::pipeline(primary, &vertices, &pods, now)
            }
            Kind::Vertex => report::vertex(primary, self.owner.single(), &pods, now),
            Kind::MonoVertex => report::monovertex(primary, &pods, now),
        })
    }
}

/// Reads every target once and evaluates it (`get`, `status --watch=false`),
/// recording each spec owner's revision when it is new. Returns the reports, in the
/// order of `scopes`, and the notices to tell the user (a revision not recorded).
pub async fn read_once(kube: &Kube, scopes: &[Scope]) -> Result<(Vec<Report>, Vec<String>)> {
    let mut reports = Vec::new();
    let mut notices = Vec::new();
    for s in scopes {
        let world = fetch(kube, s).await?;
        if let Some((obj, owner)) = world.spec_owner(s) {
            notices.extend(super::history::record_if_new(kube, obj, owner).await);
        }
        match world.evaluate(s, Timestamp::now()) {
            Evaluation::Report(r) => reports.push(r),
            _ => return Err(not_found(kube, &s.target, &s.namespace).await),
        }
    }
    Ok((reports, notices))
}

/// Turns the command line's selection into scopes. Vertex targets are read here (their
/// pipeline decides which pods are theirs); label selections list the kind.
pub async fn resolve(kube: &Kube, selection: &Selection) -> Result<Vec<Scope>> {
    let ns = &kube.namespace;
    let named = match selection {
        Selection::Named(targets) => targets
            .iter()
            .map(|t| (t.clone(), ns.clone(), None))
            .collect::<Vec<_>>(),
        Selection::Placed(placed) => placed
            .iter()
            .map(|p| {
                let in_ns = p.namespace.clone().unwrap_or_else(|| ns.clone());
                (p.target.clone(), in_ns, None)
            })
            .collect(),
        Selection::Labeled { kind, selector } => {
            let api = kube.numaflow(*kind, ns);
            let what = format!("list {} -l {selector:?}", kind.plural());
            let items =
                super::paged::objects(kube, &api, &what, &ListParams::default().labels(selector))
                    .await?;
            if items.is_empty() {
                return Err(anyhow!(
                    "no {} in namespace {ns:?} matches the selector {selector:?}",
                    kind.plural()
                ));
            }
            items
                .into_iter()
                .map(|o| {
                    (
                        Target {
                            kind: *kind,
                            name: o.name_any(),
                        },
                        ns.clone(),
                        Some(o),
                    )
                })
                .collect()
        }
    };
    let mut scopes = Vec::new();
    for (target, namespace, mut prefetched) in named {
        let mut vertex_of = None;
        if target.kind == Kind::Vertex {
            if prefetched.is_none() {
                prefetched = Some(get(kube, &target, &namespace).await?);
            }
            let v = prefetched.as_ref().expect("vertex read above");
            let pl = vertex_pipeline(v).unwrap_or_default().to_string();
            let short = vertex_short_name(v).unwrap_or_default().to_string();
            vertex_of = Some((pl, short));
        }
        scopes.push(Scope {
            target,
            namespace,
            vertex_of,
            prefetched,
        });
    }
    Ok(scopes)
}

async fn get(kube: &Kube, target: &Target, ns: &str) -> Result<DynamicObject> {
    let api = kube.numaflow(target.kind, ns);
    match super::streamed::get(kube, &api, &target.name).await {
        Ok(Some(o)) => Ok(o),
        Ok(None) => Err(not_found(kube, target, ns).await),
        Err(e) => Err(super::describe(
            e,
            &format!("get {} {:?}", target.kind, target.name),
            &kube.server,
        )),
    }
}

/// Reads a scope's objects once, owners first.
///
/// The order matters: a Pipeline's `observedGeneration` says its controller has copied
/// that generation into the Vertex objects, so Vertex objects read after the Pipeline
/// are at least that new. Read the other way round, a fresh Pipeline next to a stale
/// Vertex looks like a finished rollout. (Pods need no such care: a stale pod list
/// shows old or missing pods, never the new revision complete.)
pub async fn fetch(kube: &Kube, scope: &Scope) -> Result<World> {
    let ns = &scope.namespace;
    let t = &scope.target;
    let owner = match (t.kind, scope.owner_pipeline()) {
        (Kind::Vertex, Some(pl)) if !pl.is_empty() => {
            let api = kube.numaflow(Kind::Pipeline, ns);
            Some(
                kube.call(
                    &format!("get pipeline {pl:?}"),
                    super::streamed::get(kube, &api, pl),
                )
                .await?,
            )
        }
        _ => None,
    };
    // A vertex read while resolving the target predates its pipeline just read.
    let primary = match (&scope.prefetched, &owner) {
        (Some(o), None) => Some(o.clone()),
        _ => {
            kube.call(
                &format!("get {} {:?}", t.kind, t.name),
                super::streamed::get(kube, &kube.numaflow(t.kind, ns), &t.name),
            )
            .await?
        }
    };
    let Some(primary) = primary else {
        return Err(not_found(kube, t, ns).await);
    };
    let mut world = World {
        primary: Store::listed([primary]),
        owner: Store::listed(owner.flatten()),
        ..World::default()
    };
    let lp = ListParams::default().labels(&scope.pod_selector());
    let pods_what = format!("list pods of {t}");
    let pods = super::pods::list(kube, Some(ns), &lp, &pods_what);
    if t.kind == Kind::Pipeline {
        let lp = ListParams::default().labels(&format!("{PIPELINE_LABEL}={}", t.name));
        let api = kube.numaflow(Kind::Vertex, ns);
        let vertices_what = format!("list vertices of {t}");
        let vertices = super::paged::objects(kube, &api, &vertices_what, &lp);
        let (vertices, pods) = tokio::try_join!(vertices, pods)?;
        world.vertices = Store::listed(vertices);
        world.pods = Store::listed(pods);
    } else {
        world.pods = Store::listed(pods.await?);
    }
    Ok(world)
}

/// The error for a missing target: what was asked, and what exists instead (for a
/// vertex whose name starts with a pipeline's, that pipeline's vertices).
pub async fn not_found(kube: &Kube, target: &Target, ns: &str) -> anyhow::Error {
    let asked = format!(
        "{} {:?} not found in namespace {ns:?}",
        target.kind, target.name
    );
    let names = |items: Vec<DynamicObject>| items.iter().map(|o| o.name_any()).collect::<Vec<_>>();
    let listed = |kind: Kind| async move {
        let what = format!("list {}", kind.plural());
        super::paged::objects(
            kube,
            &kube.numaflow(kind, ns),
            &what,
            &ListParams::default(),
        )
        .await
    };
    if target.kind == Kind::Vertex {
        if let Ok(pipelines) = listed(Kind::Pipeline).await {
            if let Some(pl) = pipelines
                .iter()
                .find(|p| target.name.starts_with(&format!("{}-", p.name_any())))
            {
                let vs: Vec<String> = pipeline_vertex_names(pl)
                    .iter()
                    .map(|v| format!("{}-{v}", pl.name_any()))
                    .collect();
                return anyhow!(
                    "{asked}; pipeline {:?} has vertices: {}",
                    pl.name_any(),
                    vs.join(", ")
                );
            }
        }
    }
    match listed(target.kind).await {
        Ok(items) if items.is_empty() => {
            anyhow!("{asked}; there are no {} in it", target.kind.plural())
        }
        Ok(items) => {
            let mut n = names(items);
            let more = n.len().saturating_sub(10);
            n.truncate(10);
            let tail = if more > 0 {
                format!(" (and {more} more)")
            } else {
                String::new()
            };
            anyhow!(
                "{asked}; {} there: {}{tail}",
                target.kind.plural(),
                n.join(", ")
            )
        }
        Err(_) => anyhow!("{asked}"),
    }
}
