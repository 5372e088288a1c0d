//! Listing pods cheaply: the response is parsed while it streams in, into only the
//! fields the plugin reads (metadata it needs and status), so listing thousands of
//! pods never holds the whole response text or the pods' specs in memory.

use std::collections::BTreeMap;

use anyhow::Result;
use futures::AsyncReadExt;
use k8s_openapi::api::core::v1::{Pod, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time};
use kube::api::ListParams;
use serde::Deserialize;

use super::store::Slim;
use super::Kube;

#[derive(Deserialize)]
struct SlimList {
    #[serde(default, deserialize_with = "slim_items")]
    items: Vec<Pod>,
}

/// The `items` array, each pod slimmed ([`Slim`]) as soon as it is parsed, so only one
/// full pod status is ever held.
fn slim_items<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Pod>, D::Error> {
    struct Items;
    impl<'de> serde::de::Visitor<'de> for Items {
        type Value = Vec<Pod>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of pods")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Pod>, A::Error> {
            let mut pods = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(p) = seq.next_element::<SlimPod>()? {
                let mut pod = Pod::from(p);
                pod.slim();
                pods.push(pod);
            }
            Ok(pods)
        }
    }
    d.deserialize_seq(Items)
}

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
    uid: Option<String>,
    resource_version: Option<String>,
    labels: Option<BTreeMap<String, String>>,
    annotations: Option<BTreeMap<String, String>>,
    owner_references: Option<Vec<OwnerReference>>,
    creation_timestamp: Option<Time>,
    deletion_timestamp: Option<Time>,
}

impl From<SlimPod> for Pod {
    fn from(p: SlimPod) -> Pod {
        let m = p.metadata;
        Pod {
            metadata: ObjectMeta {
                name: m.name,
                namespace: m.namespace,
                uid: m.uid,
                resource_version: m.resource_version,
                labels: m.labels,
                annotations: m.annotations,
                owner_references: m.owner_references,
                creation_timestamp: m.creation_timestamp,
                deletion_timestamp: m.deletion_timestamp,
                ..ObjectMeta::default()
            },
            spec: None,
            status: p.status,
        }
    }
}

/// Reads an async body from a blocking thread, for a streaming JSON parser.
struct BlockingRead<R>(R);

impl<R: futures::AsyncRead + Unpin> std::io::Read for BlockingRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        futures::executor::block_on(self.0.read(buf))
    }
}

/// Lists pods in `namespace` (all namespaces when `None`) matching `lp`, in one
/// request, without their specs.
pub async fn list(
    kube: &Kube,
    namespace: Option<&str>,
    lp: &ListParams,
    what: &str,
) -> Result<Vec<Pod>> {
    let path = match namespace {
        Some(ns) => format!("/api/v1/namespaces/{ns}/pods"),
        None => "/api/v1/pods".to_string(),
    };
    let req = kube::core::Request::new(path)
        .list(lp)
        .map_err(|e| anyhow::anyhow!("{what}: {e}"))?;
    let body = kube.call(what, kube.client.request_stream(req)).await?;
    let parsed = tokio::task::spawn_blocking(move || {
        serde_json::from_reader::<_, SlimList>(std::io::BufReader::with_capacity(
            64 * 1024,
            BlockingRead(body),
        ))
    })
    .await?;
    let list = parsed
        .map_err(|e| anyhow::anyhow!("{what}: reading the response from {}: {e}", kube.server))?;
    Ok(list.items)
}
