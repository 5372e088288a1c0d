//! LISTs in pages (`limit` and `continue`, as kubectl's `--chunk-size`), so that
//! neither the API server nor the plugin builds one giant response for tens of
//! thousands of pods.

use std::future::Future;

use anyhow::Result;
use kube::api::ListParams;

use super::{describe, Kube};

/// Items per page unless `--chunk-size` says otherwise: kubectl's default.
pub const DEFAULT_CHUNK_SIZE: u32 = 500;

/// Lists restarted from the first page after an expired continue token before the
/// last try asks for everything in one response, which cannot expire.
const RESTARTS: usize = 2;

/// One page of a list: its items and the token of the next page, if there is one.
#[derive(Debug)]
pub struct Page<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// `metadata.continue`; `None` (or empty) on the last page.
    pub next: Option<String>,
}

/// The params of every page of one list: `lp` with the chunk size and the token.
fn params(lp: &ListParams, chunk: u32, token: Option<&str>) -> ListParams {
    let mut p = lp.clone();
    p.limit = (chunk > 0).then_some(chunk);
    p.continue_token = token.map(str::to_string);
    p
}

/// Reads every page of a list through `page`, `kube.chunk_size` items at a time
/// (all at once when it is 0); `what` names the list in errors.
///
/// A continue token is good only while the server still has the revision of the first
/// page. Once that is compacted (etcd compacts every 5 minutes by default) the next
/// page fails with 410 Gone. The list then starts again from the first page and drops
/// what it had read, so the result is one consistent snapshot, with no object twice
/// and none missing. After [`RESTARTS`] such restarts, the last try lists everything in
/// one response.
pub async fn all<T, F, Fut>(kube: &Kube, what: &str, lp: &ListParams, mut page: F) -> Result<Vec<T>>
where
    F: FnMut(ListParams) -> Fut,
    Fut: Future<Output = kube::Result<Page<T>>>,
{
    let mut restarts = 0;
    'list: loop {
        let chunk = if restarts < RESTARTS {
            kube.chunk_size
        } else {
            0
        };
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let p = match kube
                .timed(what, page(params(lp, chunk, token.as_deref())))
                .await?
            {
                Ok(p) => p,
                Err(kube::Error::Api(s)) if s.code == 410 && token.is_some() => {
                    restarts += 1;
                    if kube.verbosity >= super::log::REQUESTS {
                        super::log::line(&format!(
                            "{what}: the continue token expired (410 Gone); listing again from the first page"
                        ));
                    }
                    continue 'list;
                }
                Err(e) => return Err(describe(e, what, &kube.server)),
            };
            if items.is_empty() {
                items = p.items;
            } else {
                items.extend(p.items);
            }
            match p.next.filter(|t| !t.is_empty()) {
                Some(t) => token = Some(t),
                None => return Ok(items),
            }
        }
    }
}

/// Every Numaflow object of `api` matching `lp`, in pages, each object slimmed
/// ([`super::store::Stored`]) as soon as it is parsed.
pub async fn objects(
    kube: &Kube,
    api: &kube::Api<kube::api::DynamicObject>,
    what: &str,
    lp: &ListParams,
) -> Result<Vec<kube::api::DynamicObject>> {
    use kube::api::DynamicObject;
    all(kube, what, lp, |p| async move {
        super::streamed::page::<super::streamed::Slim, DynamicObject>(kube, api.resource_url(), &p)
            .await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_carry_the_chunk_size_and_the_token() {
        let lp = ListParams::default().labels("a=b");
        for (chunk, token, limit) in [
            (500, None, Some(500)),
            (2, Some("t"), Some(2)),
            (0, None, None),
        ] {
            let p = params(&lp, chunk, token);
            assert_eq!(
                (
                    p.limit,
                    p.continue_token.as_deref(),
                    p.label_selector.as_deref()
                ),
                (limit, token, Some("a=b"))
            );
        }
    }
}
