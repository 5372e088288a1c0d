//! The vertex and monovertex controllers: the I/O side of [`super::rollout`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ApiResource, DynamicObject, Patch, PatchParams, PostParams};
use kube::ResourceExt;
use serde_json::{json, Value};

use super::rollout::{self, Action, PodView};
use super::{
    controller_uid, delete_params, differs, ignore_not_found, monovertex_resource, now, pods,
    vertex_resource, Ctx, CONCURRENCY,
};
use crate::names::{
    COMPONENT_LABEL, HASH_ANNOTATION, MANAGED_BY_LABEL, MONO_VERTEX_LABEL, PART_OF_LABEL,
    PIPELINE_LABEL, REPLICA_ANNOTATION, VERTEX_LABEL,
};

/// Which controller.
#[derive(Clone, Copy, Debug)]
pub(super) enum Kind {
    /// A pipeline vertex.
    Vertex,
    /// A MonoVertex.
    MonoVertex,
}

impl Kind {
    /// The API resource of this kind.
    pub(super) fn resource(self) -> ApiResource {
        match self {
            Kind::Vertex => vertex_resource(),
            Kind::MonoVertex => monovertex_resource(),
        }
    }

    /// The labels the controller puts on the pods of `obj`.
    fn pod_labels(self, obj: &DynamicObject) -> BTreeMap<String, String> {
        let spec_str = |field: &str, label: &str| {
            obj.data
                .pointer(&format!("/spec/{field}"))
                .and_then(Value::as_str)
                .or_else(|| obj.labels().get(label).map(String::as_str))
                .unwrap_or_default()
                .to_string()
        };
        let (component, managed_by, own) = match self {
            Kind::Vertex => (
                "vertex",
                "vertex-controller",
                vec![
                    (PIPELINE_LABEL, spec_str("pipelineName", PIPELINE_LABEL)),
                    (VERTEX_LABEL, spec_str("name", VERTEX_LABEL)),
                ],
            ),
            Kind::MonoVertex => (
                "mono-vertex",
                "mono-vertex-controller",
                vec![(MONO_VERTEX_LABEL, obj.name_any())],
            ),
        };
        let mut labels: BTreeMap<String, String> =
            own.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        labels.insert(COMPONENT_LABEL.into(), component.into());
        labels.insert(MANAGED_BY_LABEL.into(), managed_by.into());
        labels.insert(PART_OF_LABEL.into(), "numaflow".into());
        labels
    }
}

/// Reconcile every cached Vertex and MonoVertex, then delete pods whose owner is gone
/// (there is no garbage collector in the test control plane).
pub(super) async fn reconcile_all(ctx: &Ctx) {
    let mut by_owner: HashMap<String, Vec<Arc<Pod>>> = HashMap::new();
    let mut owned = Vec::new();
    for pod in ctx.cache.pods.list() {
        let owner = ["Vertex", "MonoVertex"]
            .into_iter()
            .find_map(|kind| controller_uid(&pod.metadata, kind))
            .map(str::to_string);
        if let Some(uid) = owner {
            by_owner.entry(uid.clone()).or_default().push(pod.clone());
            owned.push((uid, pod));
        }
    }
    let objects: Vec<(Kind, Arc<DynamicObject>)> = ctx
        .cache
        .vertices
        .list()
        .into_iter()
        .map(|v| (Kind::Vertex, v))
        .chain(
            ctx.cache
                .monovertices
                .list()
                .into_iter()
                .map(|m| (Kind::MonoVertex, m)),
        )
        .collect();
    let live: HashSet<String> = objects.iter().filter_map(|(_, o)| o.uid()).collect();
    let by_owner = &by_owner;
    futures::stream::iter(objects)
        .for_each_concurrent(CONCURRENCY, |(kind, obj)| async move {
            let what = format!(
                "{kind:?} {}/{}",
                obj.namespace().unwrap_or_default(),
                obj.name_any()
            );
            let pods = obj
                .uid()
                .and_then(|uid| by_owner.get(&uid))
                .map_or(&[][..], Vec::as_slice);
            ctx.errors
                .report(&what, reconcile(ctx, kind, &obj, pods).await);
        })
        .await;
    let orphans = owned
        .into_iter()
        .filter(|(uid, _)| !live.contains(uid))
        .map(|(_, pod)| pod);
    futures::stream::iter(orphans)
        .for_each_concurrent(CONCURRENCY, |pod| async move {
            let what = format!(
                "pod {}/{}",
                pod.namespace().unwrap_or_default(),
                pod.name_any()
            );
            ctx.errors.report(&what, delete_pod(ctx, &pod).await);
        })
        .await;
}

/// Plan and apply one rollout step for `obj`, then write its status if it changed.
async fn reconcile(
    ctx: &Ctx,
    kind: Kind,
    obj: &DynamicObject,
    pods: &[Arc<Pod>],
) -> anyhow::Result<()> {
    if obj.metadata.deletion_timestamp.is_some() {
        return Ok(());
    }
    let null = Value::Null;
    let spec = obj.data.get("spec").unwrap_or(&null);
    let status = obj.data.get("status").unwrap_or(&null);
    let views: Vec<PodView> = pods.iter().filter_map(|p| view(p)).collect();
    let labels = kind.pod_labels(obj);
    let selector = labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    let hash = rollout::pod_hash(spec);
    let now = now();
    let plan = rollout::plan(&rollout::Input {
        generation: obj.metadata.generation.unwrap_or(0),
        spec,
        status,
        pods: &views,
        hash: &hash,
        selector: &selector,
        now: &now,
    });

    let ns = obj.namespace().unwrap_or_default();
    let pod_api = Api::<Pod>::namespaced(ctx.client.clone(), &ns);
    for action in &plan.actions {
        match action {
            Action::Delete { name } => {
                if let Some(pod) = pods
                    .iter()
                    .find(|p| p.metadata.name.as_deref() == Some(name))
                {
                    delete_pod(ctx, pod).await?;
                }
            }
            Action::Create { index, hash } => {
                let pod = pods::build(kind, obj, *index, hash, &labels)?;
                let created = pod_api.create(&PostParams::default(), &pod).await?;
                ctx.cache.pods.upsert(created);
            }
        }
    }

    if differs(obj.data.get("status"), &plan.status) {
        let api = Api::<DynamicObject>::namespaced_with(ctx.client.clone(), &ns, &kind.resource());
        let patch = Patch::Merge(json!({ "status": plan.status }));
        let updated = api
            .patch_status(&obj.name_any(), &PatchParams::default(), &patch)
            .await?;
        match kind {
            Kind::Vertex => ctx.cache.vertices.upsert(updated),
            Kind::MonoVertex => ctx.cache.monovertices.upsert(updated),
        }
    }
    Ok(())
}

/// What the rollout needs to know about `pod`; `None` without a replica index.
fn view(pod: &Pod) -> Option<PodView> {
    let annotations = pod.metadata.annotations.as_ref()?;
    let status = pod.status.as_ref();
    Some(PodView {
        name: pod.name_any(),
        index: annotations.get(REPLICA_ANNOTATION)?.parse().ok()?,
        hash: annotations
            .get(HASH_ANNOTATION)
            .cloned()
            .unwrap_or_default(),
        ready: status
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True")),
        failed: status.and_then(|s| s.phase.as_deref()) == Some("Failed"),
        terminating: pod.metadata.deletion_timestamp.is_some(),
    })
}

/// Delete `pod` at once (grace period 0), as the controller does.
pub(super) async fn delete_pod(ctx: &Ctx, pod: &Pod) -> anyhow::Result<()> {
    let api = Api::<Pod>::namespaced(ctx.client.clone(), &pod.namespace().unwrap_or_default());
    ignore_not_found(
        api.delete(&pod.name_any(), &delete_params(pod.uid(), Some(0)))
            .await,
    )?;
    ctx.cache.pods.forget(pod);
    Ok(())
}
