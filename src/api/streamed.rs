//! Responses parsed while they stream in. In one page of a LIST each item is turned
//! into what the plugin keeps ([`Stored`]) as soon as it is parsed, so a page of 500
//! pods or Vertex objects never exists as one response text, nor as 500 full objects.
//! Numaflow objects are parsed as [`Slim`], which skips the field sets of their
//! managed fields (a pipeline of 1000 vertices carries megabytes of them) instead of
//! building and then dropping them.

use std::collections::BTreeMap;

use futures::AsyncReadExt;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
    ManagedFieldsEntry, ObjectMeta, OwnerReference, Time,
};
use kube::api::{DynamicObject, ListParams};
use kube::core::TypeMeta;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::paged::Page;
use super::store::Stored;
use super::Kube;

/// A list response: its continue token and its items, each kept as `T`.
#[derive(Deserialize)]
#[serde(bound(deserialize = "Raw: DeserializeOwned, T: From<Raw> + Stored"))]
pub(super) struct List<Raw, T> {
    #[serde(default)]
    metadata: ListMeta,
    #[serde(default, deserialize_with = "items")]
    items: Kept<Raw, T>,
}

/// The kept items of a list, with the type they were parsed as.
pub(super) struct Kept<Raw, T>(Vec<T>, std::marker::PhantomData<fn(Raw)>);

impl<Raw, T> Default for Kept<Raw, T> {
    fn default() -> Self {
        Kept(Vec::new(), std::marker::PhantomData)
    }
}

impl<Raw, T> List<Raw, T> {
    /// The list as a page: its kept items and its continue token.
    pub(super) fn page(self) -> Page<T> {
        Page {
            items: self.items.0,
            next: self.metadata.next,
        }
    }
}

#[derive(Deserialize, Default)]
struct ListMeta {
    #[serde(rename = "continue")]
    next: Option<String>,
}

/// The `items` array, each item parsed as `Raw`, turned into `T` and slimmed before the
/// next one is read.
fn items<'de, D, Raw, T>(d: D) -> Result<Kept<Raw, T>, D::Error>
where
    D: serde::Deserializer<'de>,
    Raw: DeserializeOwned,
    T: From<Raw> + Stored,
{
    struct Items<Raw, T>(std::marker::PhantomData<fn(Raw) -> T>);
    impl<'de, Raw: DeserializeOwned, T: From<Raw> + Stored> serde::de::Visitor<'de> for Items<Raw, T> {
        type Value = Kept<Raw, T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of objects")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut kept = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(raw) = seq.next_element::<Raw>()? {
                let mut item = T::from(raw);
                item.slim();
                kept.push(item);
            }
            Ok(Kept(kept, std::marker::PhantomData))
        }
    }
    d.deserialize_seq(Items(std::marker::PhantomData))
}

/// Reads an async body from a blocking thread, for a streaming JSON parser.
struct BlockingRead<R>(R);

impl<R: futures::AsyncRead + Unpin> std::io::Read for BlockingRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        futures::executor::block_on(self.0.read(buf))
    }
}

/// One page of the collection at `path` (`/api/v1/namespaces/NS/pods`, ...) that `lp`
/// describes (selector, `limit`, `continue`), each item parsed as `Raw` and kept as `T`.
pub async fn page<Raw, T>(kube: &Kube, path: &str, lp: &ListParams) -> kube::Result<Page<T>>
where
    Raw: DeserializeOwned + 'static,
    T: From<Raw> + Stored + Send + 'static,
{
    let req = kube::core::Request::new(path)
        .list(lp)
        .map_err(kube::Error::BuildRequest)?;
    let body = kube.client.request_stream(req).await?;
    Ok(parse::<List<Raw, T>, _>(body).await?.page())
}

/// Parses a response body as `D` while it streams in, on a blocking thread (serde's
/// reader interface is synchronous).
async fn parse<D, R>(body: R) -> kube::Result<D>
where
    D: DeserializeOwned + Send + 'static,
    R: futures::AsyncRead + Unpin + Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        serde_json::from_reader::<_, D>(std::io::BufReader::with_capacity(
            64 * 1024,
            BlockingRead(body),
        ))
    })
    .await
    .map_err(|e| kube::Error::Service(e.into()))?
    .map_err(kube::Error::SerdeError)
}

/// A Numaflow object as parsed: `metadata` field by field, its managed fields without
/// their field sets; everything else (`spec`, `status`) as JSON.
#[derive(Deserialize)]
pub struct Slim {
    #[serde(rename = "apiVersion", default)]
    api_version: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    metadata: SlimMeta,
    #[serde(flatten)]
    data: serde_json::Map<String, serde_json::Value>,
}

/// k8s-openapi's `ObjectMeta`, field for field, but for the managed fields.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct SlimMeta {
    annotations: Option<BTreeMap<String, String>>,
    creation_timestamp: Option<Time>,
    deletion_grace_period_seconds: Option<i64>,
    deletion_timestamp: Option<Time>,
    finalizers: Option<Vec<String>>,
    generate_name: Option<String>,
    generation: Option<i64>,
    labels: Option<BTreeMap<String, String>>,
    managed_fields: Option<Vec<SlimManagedFields>>,
    name: Option<String>,
    namespace: Option<String>,
    owner_references: Option<Vec<OwnerReference>>,
    resource_version: Option<String>,
    self_link: Option<String>,
    uid: Option<String>,
}

/// A managed fields entry without `fieldsV1`, which is skipped unparsed.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct SlimManagedFields {
    api_version: Option<String>,
    fields_type: Option<String>,
    manager: Option<String>,
    operation: Option<String>,
    subresource: Option<String>,
    time: Option<Time>,
}

impl From<Slim> for DynamicObject {
    fn from(o: Slim) -> DynamicObject {
        let m = o.metadata;
        let managed_fields = m.managed_fields.map(|entries| {
            entries
                .into_iter()
                .map(|e| ManagedFieldsEntry {
                    api_version: e.api_version,
                    fields_type: e.fields_type,
                    fields_v1: None,
                    manager: e.manager,
                    operation: e.operation,
                    subresource: e.subresource,
                    time: e.time,
                })
                .collect()
        });
        DynamicObject {
            types: (!o.kind.is_empty()).then_some(TypeMeta {
                api_version: o.api_version,
                kind: o.kind,
            }),
            metadata: ObjectMeta {
                annotations: m.annotations,
                creation_timestamp: m.creation_timestamp,
                deletion_grace_period_seconds: m.deletion_grace_period_seconds,
                deletion_timestamp: m.deletion_timestamp,
                finalizers: m.finalizers,
                generate_name: m.generate_name,
                generation: m.generation,
                labels: m.labels,
                managed_fields,
                name: m.name,
                namespace: m.namespace,
                owner_references: m.owner_references,
                resource_version: m.resource_version,
                self_link: m.self_link,
                uid: m.uid,
            },
            data: serde_json::Value::Object(o.data),
        }
    }
}

/// The Numaflow object `name` of `api`, parsed as it streams in and slimmed
/// ([`Stored`]); `None` when it does not exist.
pub async fn get(
    kube: &Kube,
    api: &kube::Api<DynamicObject>,
    name: &str,
) -> kube::Result<Option<DynamicObject>> {
    let req = kube::core::Request::new(api.resource_url())
        .get(name, &Default::default())
        .map_err(kube::Error::BuildRequest)?;
    let body = match kube.client.request_stream(req).await {
        Ok(body) => body,
        Err(e) if super::is_not_found(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut object = DynamicObject::from(parse::<Slim, _>(body).await?);
    object.slim();
    Ok(Some(object))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slim parse gives the object serde gives, less the managed field sets.
    #[test]
    fn slim_objects_read_as_full_objects() {
        let object = serde_json::json!({
            "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
            "metadata": {"name": "p", "namespace": "ns", "uid": "u", "generation": 3,
                "resourceVersion": "9", "creationTimestamp": "2026-03-01T11:59:00Z",
                "labels": {"team": "data"}, "annotations": {"a": "b"}, "finalizers": ["f"],
                "ownerReferences": [{"apiVersion": "v1", "kind": "X", "name": "x", "uid": "ux"}],
                "managedFields": [{"manager": "kubectl", "operation": "Apply",
                    "apiVersion": "numaflow.numaproj.io/v1alpha1", "fieldsType": "FieldsV1",
                    "time": "2026-03-01T11:59:00Z",
                    "fieldsV1": {"f:spec": {"f:vertices": {}}}}]},
            "spec": {"vertices": [{"name": "in"}]},
            "status": {"phase": "Running"},
        });
        let slim: DynamicObject = serde_json::from_value::<Slim>(object.clone())
            .unwrap()
            .into();
        let mut full: DynamicObject = serde_json::from_value(object).unwrap();
        full.slim();
        assert_eq!(
            serde_json::to_value(&slim).unwrap(),
            serde_json::to_value(&full).unwrap()
        );
    }
}
