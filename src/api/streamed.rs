//! One page of a LIST parsed while it streams in: each item is turned into what the
//! plugin keeps ([`Stored`]) as soon as it is parsed, so a page of 500 pods or Vertex
//! objects never exists as one response text, nor as 500 full objects.

use futures::AsyncReadExt;
use kube::api::ListParams;
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
    let parsed = tokio::task::spawn_blocking(move || {
        serde_json::from_reader::<_, List<Raw, T>>(std::io::BufReader::with_capacity(
            64 * 1024,
            BlockingRead(body),
        ))
    })
    .await
    .map_err(|e| kube::Error::Service(e.into()))?;
    Ok(parsed.map_err(kube::Error::SerdeError)?.page())
}
