//! Listing pods cheaply: each page of the response is parsed while it streams in
//! ([`streamed`]), into the compact [`PodView`], so listing tens of thousands of pods
//! never holds a response's text, a pod's spec or k8s-openapi's full `Pod` for more
//! than one pod.

use std::collections::BTreeMap;

use anyhow::Result;
use k8s_openapi::api::core::v1::PodStatus;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use kube::api::ListParams;
use serde::Deserialize;

use super::paged::{self, Page};
use super::streamed;
use super::Kube;
use crate::rollout::pod_view::PodView;

/// A pod as parsed: the metadata the view reads and the status; the spec is skipped.
#[derive(Deserialize)]
struct SlimPod {
    metadata: SlimMeta,
    #[serde(default)]
    status: Option<PodStatus>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SlimMeta {
    name: Option<String>,
    namespace: Option<String>,
    labels: Option<BTreeMap<String, String>>,
    annotations: Option<BTreeMap<String, String>>,
    creation_timestamp: Option<Time>,
    deletion_timestamp: Option<Time>,
}

impl From<SlimPod> for PodView {
    fn from(p: SlimPod) -> PodView {
        let m = p.metadata;
        let meta = ObjectMeta {
            name: m.name,
            namespace: m.namespace,
            labels: m.labels,
            annotations: m.annotations,
            creation_timestamp: m.creation_timestamp,
            deletion_timestamp: m.deletion_timestamp,
            ..ObjectMeta::default()
        };
        PodView::new(meta, p.status)
    }
}

/// One page of pods in `namespace` (all namespaces when `None`): the request `lp`
/// describes (selector, `limit`, `continue`), parsed as it streams in.
pub async fn page(
    kube: &Kube,
    namespace: Option<&str>,
    lp: &ListParams,
) -> kube::Result<Page<PodView>> {
    let path = match namespace {
        Some(ns) => format!("/api/v1/namespaces/{ns}/pods"),
        None => "/api/v1/pods".to_string(),
    };
    streamed::page::<SlimPod, PodView>(kube, &path, lp).await
}

/// Every pod in `namespace` (all namespaces when `None`) matching `lp`, in pages of
/// `--chunk-size` ([`paged::all`]), as views; `what` names the list in errors.
pub async fn list(
    kube: &Kube,
    namespace: Option<&str>,
    lp: &ListParams,
    what: &str,
) -> Result<Vec<PodView>> {
    paged::all(kube, what, lp, |p| async move {
        page(kube, namespace, &p).await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::Pod;

    /// The streaming parse (spec skipped, metadata in part) gives the same view as k8s-openapi's full `Pod`.
    #[test]
    fn streamed_pods_read_as_full_pods() {
        let list = serde_json::json!({
            "kind": "PodList", "apiVersion": "v1",
            "metadata": {"resourceVersion": "9", "continue": "next-page"},
            "items": [
                {"metadata": {"name": "p-cat-0-x", "namespace": "ns", "uid": "u1",
                    "creationTimestamp": "2026-03-01T11:59:00Z",
                    "labels": {"numaflow.numaproj.io/pipeline-name": "p",
                               "numaflow.numaproj.io/vertex-name": "cat", "team": "data"},
                    "annotations": {"numaflow.numaproj.io/hash": "h1",
                                    "numaflow.numaproj.io/replica": "0", "other": "x".repeat(4000)},
                    "managedFields": [{"manager": "kubelet", "operation": "Update"}],
                    "ownerReferences": [{"apiVersion": "numaflow.numaproj.io/v1alpha1",
                        "kind": "Vertex", "name": "p-cat", "uid": "v1", "controller": true}]},
                 "spec": {"containers": [{"name": "udf", "image": "cat:v1",
                     "env": [{"name": "A", "value": "b"}]}]},
                 "status": {"phase": "Running", "hostIP": "10.0.0.1",
                     "conditions": [{"type": "Ready", "status": "True",
                                     "lastTransitionTime": "2026-03-01T11:59:05Z"}],
                     "containerStatuses": [{"name": "udf", "image": "cat:v1", "imageID": "sha256:2",
                         "ready": true, "restartCount": 2, "started": true,
                         "state": {"running": {"startedAt": "2026-03-01T11:59:05Z"}},
                         "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}}}]}},
                {"metadata": {"name": "p-cat-1-y", "namespace": "ns",
                    "deletionTimestamp": "2026-03-01T11:59:59Z"}},
            ],
        });
        let text = list.to_string();
        let streamed: streamed::List<SlimPod, PodView> =
            serde_json::from_reader(text.as_bytes()).unwrap();
        let streamed = streamed.page();
        let full: Vec<PodView> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| serde_json::from_value::<Pod>(p.clone()).unwrap().into())
            .collect();
        assert_eq!(streamed.items, full);
        assert_eq!(streamed.items[0].containers[0].restarts, 2);
        assert!(streamed.items[1].terminating);
        assert_eq!(streamed.next.as_deref(), Some("next-page"));
    }
}
