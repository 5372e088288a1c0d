//! The pipeline controller: one Vertex object per `Pipeline.spec.vertices[]` entry,
//! re-copied whenever the entry's hash changes, and the Pipeline's status.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use anyhow::anyhow;
use futures::StreamExt;
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use kube::ResourceExt;
use serde_json::{json, Map, Value};

use super::hash::hash_json;
use super::rollout::{clamp_replicas, is_paused};
use super::{
    controller_ref, controller_uid, delete_params, differs, ignore_not_found, now,
    pipeline_resource, vertex_resource, Ctx, CONCURRENCY,
};
use crate::names::{COMPONENT_LABEL, HASH_ANNOTATION, PIPELINE_LABEL, VERTEX_LABEL};

/// Reconcile every cached Pipeline, then delete Vertex objects whose Pipeline is gone
/// (there is no garbage collector in the test control plane).
pub(super) async fn reconcile_all(ctx: &Ctx) {
    let pipelines = ctx.cache.pipelines.list();
    let live: HashSet<String> = pipelines.iter().filter_map(|p| p.uid()).collect();
    let mut owned: HashMap<String, Vec<Arc<DynamicObject>>> = HashMap::new();
    let mut orphans = Vec::new();
    for vertex in ctx.cache.vertices.list() {
        match controller_uid(&vertex.metadata, "Pipeline").map(str::to_string) {
            Some(uid) if live.contains(&uid) => owned.entry(uid).or_default().push(vertex),
            Some(_) => orphans.push(vertex),
            None => {}
        }
    }
    let (owned, live) = (&owned, &live);
    futures::stream::iter(pipelines)
        .for_each_concurrent(CONCURRENCY, |pl| async move {
            let what = format!(
                "pipeline {}/{}",
                pl.namespace().unwrap_or_default(),
                pl.name_any()
            );
            let mine = pl
                .uid()
                .and_then(|uid| owned.get(&uid))
                .map_or(&[][..], Vec::as_slice);
            ctx.errors
                .report(&what, reconcile(ctx, &pl, mine, live).await);
        })
        .await;
    futures::stream::iter(orphans)
        .for_each_concurrent(CONCURRENCY, |vertex| async move {
            let what = format!(
                "vertex {}/{}",
                vertex.namespace().unwrap_or_default(),
                vertex.name_any()
            );
            ctx.errors.report(&what, delete_vertex(ctx, &vertex).await);
        })
        .await;
}

/// Bring the Vertex objects of one Pipeline in line with its definitions, then write
/// its status. `observedGeneration` is written only when every Vertex was found up to
/// date or was written successfully in this pass, so it means "the vertices have this
/// generation's spec".
async fn reconcile(
    ctx: &Ctx,
    pl: &DynamicObject,
    owned: &[Arc<DynamicObject>],
    live_pipelines: &HashSet<String>,
) -> anyhow::Result<()> {
    if pl.metadata.deletion_timestamp.is_some() {
        return Ok(());
    }
    let ns = pl.namespace().unwrap_or_default();
    let spec = pl.data.get("spec").cloned().unwrap_or(Value::Null);
    let defs = spec
        .get("vertices")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let paused = is_paused(&spec);
    let api = Api::<DynamicObject>::namespaced_with(ctx.client.clone(), &ns, &vertex_resource());

    let mut in_sync = true;
    let mut first_error: Option<anyhow::Error> = None;
    let mut wanted = HashSet::new();
    for def in &defs {
        let Some(short) = def.get("name").and_then(Value::as_str) else {
            continue;
        };
        let name = format!("{}-{short}", pl.name_any());
        wanted.insert(name.clone());
        let existing = ctx.cache.vertices.get(&ns, &name);
        if let Some(vertex) = &existing {
            let owner = controller_uid(&vertex.metadata, "Pipeline");
            if owner != pl.uid().as_deref() {
                in_sync = false;
                // A Vertex of a deleted Pipeline is being garbage-collected; anything
                // else is in the way for good.
                if owner.is_none_or(|uid| live_pipelines.contains(uid)) {
                    first_error.get_or_insert(anyhow!(
                        "vertex {name} exists and is not controlled by this pipeline"
                    ));
                }
                continue;
            }
        }
        let desired = desired_vertex(pl, def, short, existing.as_deref(), paused);
        if existing.as_deref() == Some(&desired) {
            continue;
        }
        let written = match existing {
            None => api.create(&PostParams::default(), &desired).await,
            Some(_) => api.replace(&name, &PostParams::default(), &desired).await,
        };
        match written {
            Ok(obj) => ctx.cache.vertices.upsert(obj),
            Err(e) => {
                in_sync = false;
                first_error.get_or_insert(anyhow!(e).context(format!("writing vertex {name}")));
            }
        }
    }
    for vertex in owned.iter().filter(|v| !wanted.contains(&v.name_any())) {
        if let Err(e) = delete_vertex(ctx, vertex).await {
            in_sync = false;
            first_error.get_or_insert(e);
        }
    }

    let mut status = Map::new();
    status.insert(
        "phase".into(),
        json!(if paused { "Paused" } else { "Running" }),
    );
    status.insert("vertexCount".into(), json!(defs.len()));
    if in_sync {
        status.insert(
            "observedGeneration".into(),
            json!(pl.metadata.generation.unwrap_or(0)),
        );
    }
    if differs(pl.data.get("status"), &status) {
        status.insert("lastUpdated".into(), json!(now()));
        let pipelines =
            Api::<DynamicObject>::namespaced_with(ctx.client.clone(), &ns, &pipeline_resource());
        let patch = Patch::Merge(json!({ "status": status }));
        let obj = pipelines
            .patch_status(&pl.name_any(), &PatchParams::default(), &patch)
            .await?;
        ctx.cache.pipelines.upsert(obj);
    }
    first_error.map_or(Ok(()), Err)
}

async fn delete_vertex(ctx: &Ctx, vertex: &DynamicObject) -> anyhow::Result<()> {
    let ns = vertex.namespace().unwrap_or_default();
    let api = Api::<DynamicObject>::namespaced_with(ctx.client.clone(), &ns, &vertex_resource());
    ignore_not_found(
        api.delete(&vertex.name_any(), &delete_params(vertex.uid(), None))
            .await,
    )?;
    ctx.cache.vertices.forget(vertex);
    Ok(())
}

/// The Vertex object for definition `def` of pipeline `pl`, starting from the existing
/// one: its spec is re-copied from the definition when the definition's hash differs
/// from the Vertex's hash annotation, and its lifecycle follows the Pipeline's.
fn desired_vertex(
    pl: &DynamicObject,
    def: &Value,
    short: &str,
    existing: Option<&DynamicObject>,
    paused: bool,
) -> DynamicObject {
    let pipeline = pl.name_any();
    let def_hash = hash_json(def);
    let mut obj = existing.cloned().unwrap_or_else(|| {
        DynamicObject::new(&format!("{pipeline}-{short}"), &vertex_resource())
            .within(&pl.namespace().unwrap_or_default())
    });
    let old_spec = existing
        .and_then(|v| v.data.get("spec"))
        .filter(|s| s.is_object());
    let mut spec = match old_spec {
        Some(old) if obj.annotations().get(HASH_ANNOTATION) == Some(&def_hash) => old.clone(),
        _ => vertex_spec(def, &pipeline, short, old_spec),
    };
    if let Some(map) = spec.as_object_mut() {
        if paused {
            map.insert("lifecycle".into(), json!({ "desiredPhase": "Paused" }));
        } else {
            map.remove("lifecycle");
        }
    }
    obj.data["spec"] = spec;
    let labels = obj.labels_mut();
    labels.insert(PIPELINE_LABEL.into(), pipeline);
    labels.insert(VERTEX_LABEL.into(), short.into());
    labels.insert(COMPONENT_LABEL.into(), "vertex".into());
    obj.annotations_mut()
        .insert(HASH_ANNOTATION.into(), def_hash);
    if controller_uid(&obj.metadata, "Pipeline").is_none() {
        obj.owner_references_mut()
            .push(controller_ref(pl, &pipeline_resource()));
    }
    obj
}

/// A Vertex spec copied from a pipeline's vertex definition. Replicas: the
/// definition's, else the old spec's, else 1, kept within the scale bounds.
fn vertex_spec(def: &Value, pipeline: &str, short: &str, old_spec: Option<&Value>) -> Value {
    let mut spec = match def {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    spec.insert("pipelineName".into(), json!(pipeline));
    spec.insert("name".into(), json!(short));
    let replicas = def
        .get("replicas")
        .or_else(|| old_spec?.get("replicas"))
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let mut spec = Value::Object(spec);
    spec["replicas"] = json!(clamp_replicas(&spec, replicas));
    spec
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipeline(vertices: Value, paused: bool) -> DynamicObject {
        let mut spec = json!({ "vertices": vertices });
        if paused {
            spec["lifecycle"] = json!({"desiredPhase": "Paused"});
        }
        let mut pl = DynamicObject::new("pl", &pipeline_resource())
            .within("ns")
            .data(json!({ "spec": spec }));
        pl.metadata.uid = Some("pl-uid".into());
        pl
    }

    #[test]
    fn a_new_vertex_copies_the_definition() {
        let def = json!({"name": "cat", "udf": {"container": {"image": "cat:v1"}}});
        let pl = pipeline(json!([def.clone()]), false);
        let v = desired_vertex(&pl, &def, "cat", None, false);
        assert_eq!(v.name_any(), "pl-cat");
        assert_eq!(v.namespace().as_deref(), Some("ns"));
        assert_eq!(
            v.data["spec"],
            json!({"name": "cat", "pipelineName": "pl", "replicas": 1,
                   "udf": {"container": {"image": "cat:v1"}}})
        );
        assert_eq!(v.labels()[PIPELINE_LABEL], "pl");
        assert_eq!(v.labels()[VERTEX_LABEL], "cat");
        assert_eq!(v.labels()[COMPONENT_LABEL], "vertex");
        assert_eq!(v.annotations()[HASH_ANNOTATION], hash_json(&def));
        let owner = &v.owner_references()[0];
        assert_eq!(
            (owner.kind.as_str(), owner.uid.as_str()),
            ("Pipeline", "pl-uid")
        );
        assert_eq!(owner.api_version, "numaflow.numaproj.io/v1alpha1");
        assert_eq!(
            (owner.controller, owner.block_owner_deletion),
            (Some(true), Some(true))
        );
    }

    #[test]
    fn an_unchanged_definition_keeps_direct_edits_and_a_changed_one_overwrites_them() {
        let def = json!({"name": "cat", "udf": {"container": {"image": "cat:v1"}}});
        let pl = pipeline(json!([def.clone()]), false);
        let mut v = desired_vertex(&pl, &def, "cat", None, false);
        v.data["spec"]["udf"]["container"]["image"] = json!("edited");
        v.data["spec"]["replicas"] = json!(3);
        let same = desired_vertex(&pl, &def, "cat", Some(&v), false);
        assert_eq!(same, v);

        let def2 = json!({"name": "cat", "udf": {"container": {"image": "cat:v2"}}});
        let next = desired_vertex(&pl, &def2, "cat", Some(&v), false);
        assert_eq!(next.data["spec"]["udf"]["container"]["image"], "cat:v2");
        assert_eq!(
            next.data["spec"]["replicas"], 3,
            "replicas survive a re-copy"
        );
        assert_eq!(next.annotations()[HASH_ANNOTATION], hash_json(&def2));
        assert_eq!(next.owner_references().len(), 1);
    }

    #[test]
    fn replicas_come_from_the_definition_within_scale_bounds() {
        let def = json!({"name": "a", "replicas": 2, "scale": {"min": 3, "max": 5}});
        assert_eq!(
            vertex_spec(&def, "p", "a", Some(&json!({"replicas": 4})))["replicas"],
            3
        );
        let def = json!({"name": "a", "scale": {"max": 2}});
        assert_eq!(
            vertex_spec(&def, "p", "a", Some(&json!({"replicas": 4})))["replicas"],
            2
        );
        assert_eq!(vertex_spec(&def, "p", "a", None)["replicas"], 1);
    }

    #[test]
    fn pause_follows_the_pipeline() {
        let def = json!({"name": "cat"});
        let pl = pipeline(json!([def.clone()]), true);
        let v = desired_vertex(&pl, &def, "cat", None, true);
        assert_eq!(v.data["spec"]["lifecycle"]["desiredPhase"], "Paused");
        let resumed = desired_vertex(&pl, &def, "cat", Some(&v), false);
        assert!(resumed.data["spec"].get("lifecycle").is_none());
    }
}
