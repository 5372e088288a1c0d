//! A watchdog for one race in Numaflow's vertex controller (v1.8.1).
//!
//! In one reconcile the controller counts the new pods that are Ready for
//! `status.updatedReadyReplicas` (`orchestratePods`), then lists the pods again for
//! `status.readyReplicas`. When the last new pod turns Ready between the two reads, the
//! status says `updatedReadyReplicas` < `updatedReplicas` with every new pod Ready. The
//! controller ignores pod create events and nothing changes any pod after that, so it
//! never reconciles again and the rollout stays there for good. This was seen in this
//! world as `readyReplicas 2, updatedReplicas 1, updatedReadyReplicas unset` with both
//! pods Ready.
//!
//! A real cluster has the same race. There the plugin reports the stall as it reports
//! any stall (`--progress-deadline`, exit 3). The tests are about the plugin, not about
//! this race, so the world gives the controller the pod event a busier kubelet would
//! have sent. Every [`PERIOD`], a Vertex or MonoVertex whose status has been stuck in
//! exactly that state across two looks gets the annotation [`NUDGE_ANNOTATION`] on one
//! of its new pods. Nothing else is ever touched.

use std::collections::HashMap;
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DynamicObject, ListParams, Patch, PatchParams};
use kube::Client;
use serde_json::{json, Value};

use crate::crds::resource;
use crate::names::{
    COMPONENT_LABEL, HASH_ANNOTATION, MONO_VERTEX_LABEL, PIPELINE_LABEL, VERTEX_LABEL,
};

/// How often the watchdog looks.
pub const PERIOD: Duration = Duration::from_secs(5);

/// The annotation written on a pod to wake the controller.
pub const NUDGE_ANNOTATION: &str = "testenv.kubectl-numa.io/nudged";

fn count(status: &Value, field: &str) -> u64 {
    status[field].as_u64().unwrap_or(0)
}

/// Whether a pod's Ready condition is True.
pub fn is_ready(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

/// The pod selector of a Vertex or MonoVertex.
fn selector(kind: &str, o: &DynamicObject) -> Option<String> {
    let name = o.metadata.name.as_deref()?;
    Some(match kind {
        "MonoVertex" => format!("{COMPONENT_LABEL}=mono-vertex,{MONO_VERTEX_LABEL}={name}"),
        _ => {
            let labels = o.metadata.labels.as_ref()?;
            format!(
                "{PIPELINE_LABEL}={},{VERTEX_LABEL}={}",
                labels.get(PIPELINE_LABEL)?,
                labels.get(VERTEX_LABEL)?
            )
        }
    })
}

/// Looks for stuck objects forever; `client` is an admin client of the world.
pub async fn run(client: Client) {
    // Objects seen in the stuck state at the last look, by kind/namespace/name, with
    // their resourceVersion: stuck twice at the same version gets a nudge.
    let mut suspects: HashMap<String, String> = HashMap::new();
    let mut n: u64 = 0;
    loop {
        tokio::time::sleep(PERIOD).await;
        let mut now = HashMap::new();
        for kind in ["Vertex", "MonoVertex"] {
            let api: Api<DynamicObject> = Api::all_with(client.clone(), &resource(kind));
            let Ok(list) = api.list(&ListParams::default()).await else {
                continue;
            };
            for o in list.items {
                let st = &o.data["status"];
                let (updated, updated_ready) = (
                    count(st, "updatedReplicas"),
                    count(st, "updatedReadyReplicas"),
                );
                let Some(hash) = st["updateHash"].as_str() else {
                    continue;
                };
                if updated == 0 || updated_ready >= updated {
                    continue;
                }
                let (Some(ns), Some(sel)) = (o.metadata.namespace.clone(), selector(kind, &o))
                else {
                    continue;
                };
                let pods = Api::<Pod>::namespaced(client.clone(), &ns);
                let Ok(list) = pods.list(&ListParams::default().labels(&sel)).await else {
                    continue;
                };
                let new: Vec<&Pod> = list
                    .items
                    .iter()
                    .filter(|p| {
                        p.metadata.deletion_timestamp.is_none()
                            && p.metadata
                                .annotations
                                .as_ref()
                                .and_then(|a| a.get(HASH_ANNOTATION))
                                == Some(&hash.to_string())
                    })
                    .collect();
                if (new.len() as u64) < updated || !new.iter().all(|p| is_ready(p)) {
                    continue;
                }
                let key = format!(
                    "{kind}/{ns}/{}",
                    o.metadata.name.clone().unwrap_or_default()
                );
                let version = o.metadata.resource_version.clone().unwrap_or_default();
                if suspects.get(&key) == Some(&version) {
                    n += 1;
                    let name = new[0].metadata.name.clone().unwrap_or_default();
                    let patch =
                        json!({"metadata": {"annotations": {NUDGE_ANNOTATION: n.to_string()}}});
                    let _ = pods
                        .patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
                        .await;
                } else {
                    now.insert(key, version);
                }
            }
        }
        suspects = now;
    }
}
