//! Following targets with the watch API (kube's watcher): one watch per kind of object
//! a target depends on, merged into one stream of updates. A dropped watch resumes
//! (with backoff) and relists; errors are passed on so the caller can say it retries.

use futures::stream::{self, BoxStream, StreamExt};
use futures::FutureExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DynamicObject};
use kube::runtime::utils::ResetTimerBackoff;
use kube::runtime::watcher::{self, Event};
use kube::runtime::WatchStreamExt;
use std::time::Duration;

use super::fetch::{Scope, World};
use super::store::Stored;
use super::Kube;
use crate::rollout::pod_view::PodView;
use crate::rollout::PIPELINE_LABEL;
use crate::target::Kind;

/// One change to one target's world.
pub enum Update {
    /// A target's world changed (index into the scopes).
    Changed(usize),
    /// A watch failed; it is being retried.
    Retrying(String),
    /// A watch was refused in a way retrying cannot fix (401, 403, or a 404 for the
    /// resource type itself): the message names the request.
    Refused(String),
}

/// Whether a watch error is the API refusing the request for good.
fn refusal(e: &watcher::Error) -> Option<String> {
    let status = match e {
        watcher::Error::InitialListFailed(kube::Error::Api(s))
        | watcher::Error::WatchStartFailed(kube::Error::Api(s)) => s,
        watcher::Error::WatchError(s) => s,
        _ => return None,
    };
    matches!(status.code, 401 | 403 | 404).then(|| status.message.clone())
}

enum Part {
    Primary(Event<DynamicObject>),
    Owner(Event<DynamicObject>),
    Vertices(Event<DynamicObject>),
    Pods(Box<Event<PodView>>),
}

/// Watches every scope. Call [`Watch::next`] to apply the next event to `worlds`.
pub struct Watch {
    stream: BoxStream<'static, (usize, Result<Part, watcher::Error>)>,
}

/// How a dropped watch is retried: from 250 ms doubling to at most 3 s (kube's default
/// waits up to 30 s, too long for someone watching a rollout), reset after a minute of
/// health.
fn reconnect_backoff() -> ResetTimerBackoff<watcher::ExponentialBackoff> {
    let exponential = backon::ExponentialBuilder::default()
        .with_min_delay(Duration::from_millis(250))
        .with_max_delay(Duration::from_secs(3))
        .with_factor(2.0)
        .with_jitter()
        .without_max_times();
    ResetTimerBackoff::new(exponential.into(), Duration::from_secs(60))
}

/// A watch whose first listing is read from etcd (`resourceVersion=""`), never from the
/// API server's watch cache: a cached list can predate a change the user just made,
/// and `status` would then report the old, complete rollout as done. It is read in
/// pages of `--chunk-size`.
fn fresh(kube: &Kube) -> watcher::Config {
    let mut cfg = watcher::Config::default().list_semantic(watcher::ListSemantic::MostRecent);
    cfg.page_size = (kube.chunk_size > 0).then_some(kube.chunk_size);
    cfg
}

fn by_name(kube: &Kube, name: &str) -> watcher::Config {
    fresh(kube).fields(&format!("metadata.name={name}"))
}

fn follow<K>(
    idx: usize,
    api: Api<K>,
    cfg: watcher::Config,
    wrap: fn(Event<K>) -> Part,
) -> BoxStream<'static, (usize, Result<Part, watcher::Error>)>
where
    K: kube::Resource
        + Stored
        + Clone
        + serde::de::DeserializeOwned
        + std::fmt::Debug
        + Send
        + 'static,
{
    watcher::watcher(api, cfg)
        .backoff(reconnect_backoff())
        .modify(K::slim)
        .map(move |r| (idx, r.map(wrap)))
        .boxed()
}

/// Follows pods, each turned into its [`PodView`] as soon as it arrives: the watch
/// never holds a full pod beyond the event that carried it.
fn follow_pods(
    idx: usize,
    api: Api<Pod>,
    cfg: watcher::Config,
) -> BoxStream<'static, (usize, Result<Part, watcher::Error>)> {
    let view = |e: Event<Pod>| match e {
        Event::Apply(p) => Event::Apply(PodView::from(p)),
        Event::Delete(p) => Event::Delete(PodView::from(p)),
        Event::Init => Event::Init,
        Event::InitApply(p) => Event::InitApply(PodView::from(p)),
        Event::InitDone => Event::InitDone,
    };
    watcher::watcher(api, cfg)
        .backoff(reconnect_backoff())
        .map(move |r| (idx, r.map(|e| Part::Pods(Box::new(view(e))))))
        .boxed()
}

/// Follows the objects of `kind` named `names` in `ns`: each item is the index into
/// `names` and the object as it is now (first from a fresh listing). Dropped watches
/// are resumed with the backoff above and not reported; a watch the API refuses for
/// good ends as `Err` with its message.
pub fn objects(
    kube: &Kube,
    kind: Kind,
    ns: &str,
    names: &[String],
) -> BoxStream<'static, Result<(usize, DynamicObject), String>> {
    let streams = names.iter().enumerate().map(|(i, name)| {
        watcher::watcher(kube.numaflow(kind, ns), by_name(kube, name))
            .backoff(reconnect_backoff())
            .filter_map(move |r| async move {
                match r {
                    Ok(Event::Apply(o) | Event::InitApply(o)) => Some(Ok((i, o))),
                    Ok(_) => None,
                    Err(e) => refusal(&e).map(Err),
                }
            })
            .boxed()
    });
    stream::select_all(streams).boxed()
}

impl Watch {
    /// Starts the watches of `scopes`.
    pub fn start(kube: &Kube, scopes: &[Scope]) -> Watch {
        let mut streams = Vec::new();
        for (i, s) in scopes.iter().enumerate() {
            let ns = &s.namespace;
            let t = &s.target;
            streams.push(follow(
                i,
                kube.numaflow(t.kind, ns),
                by_name(kube, &t.name),
                Part::Primary,
            ));
            let pods: Api<Pod> = Api::namespaced(kube.client.clone(), ns);
            streams.push(follow_pods(i, pods, fresh(kube).labels(&s.pod_selector())));
            match t.kind {
                Kind::Pipeline => {
                    let cfg = fresh(kube).labels(&format!("{PIPELINE_LABEL}={}", t.name));
                    streams.push(follow(
                        i,
                        kube.numaflow(Kind::Vertex, ns),
                        cfg,
                        Part::Vertices,
                    ));
                }
                Kind::Vertex => {
                    let pl = s.owner_pipeline().unwrap_or_default();
                    streams.push(follow(
                        i,
                        kube.numaflow(Kind::Pipeline, ns),
                        by_name(kube, pl),
                        Part::Owner,
                    ));
                }
                Kind::MonoVertex => {}
            }
        }
        Watch {
            stream: stream::select_all(streams).boxed(),
        }
    }

    /// Waits for the next change and applies it to `worlds`, together with every event
    /// that is already waiting (so a burst of pod updates costs one re-evaluation, not
    /// one per event). `None` when every watch ended.
    pub async fn next(&mut self, worlds: &mut [World]) -> Option<Update> {
        // A turn for the other futures of this thread first (the signal handler): a
        // large rollout keeps the stream busy, and a stream never found empty would
        // never let them run.
        tokio::task::yield_now().await;
        let first = loop {
            let item = self.stream.next().await?;
            if let Some(u) = apply(worlds, item) {
                break u;
            }
        };
        let Update::Changed(i) = first else {
            return Some(first);
        };
        for _ in 0..MAX_BATCH {
            match self.stream.next().now_or_never() {
                Some(Some(item)) => {
                    if let Some(u @ (Update::Retrying(_) | Update::Refused(_))) =
                        apply(worlds, item)
                    {
                        return Some(u);
                    }
                }
                Some(None) | None => break,
            }
        }
        Some(Update::Changed(i))
    }
}

/// Most events applied in one call of [`Watch::next`].
const MAX_BATCH: usize = 10_000;

fn apply(worlds: &mut [World], (i, part): (usize, Result<Part, watcher::Error>)) -> Option<Update> {
    let w = &mut worlds[i];
    let changed = match part {
        Err(e) => {
            return Some(
                refusal(&e).map_or_else(|| Update::Retrying(e.to_string()), Update::Refused),
            )
        }
        Ok(Part::Primary(e)) => w.primary.apply(e),
        Ok(Part::Owner(e)) => w.owner.apply(e),
        Ok(Part::Vertices(e)) => w.vertices.apply(e),
        Ok(Part::Pods(e)) => w.pods.apply(*e),
    };
    changed.then_some(Update::Changed(i))
}

/// Resolves when `--request-timeout` has passed (never when it is zero): the limit for
/// a watch's first complete listing, so an unreachable or hanging server fails the
/// command instead of being retried forever.
pub async fn first_sync_deadline(kube: &Kube) {
    if kube.request_timeout.is_zero() {
        futures::future::pending::<()>().await;
    }
    tokio::time::sleep(kube.request_timeout).await;
}

/// What a command remembers of a failing watch: it says it is retrying (at most once
/// every 5 s) and, if the first listing never completes, fails with the last error.
#[derive(Default)]
pub struct Retries {
    last_notice: Option<std::time::Instant>,
    last_error: String,
}

impl Retries {
    /// Notes a retried watch error; returns the notice to tell the user, at most once
    /// every 5 s.
    #[must_use]
    pub fn note(&mut self, kube: &Kube, error: String) -> Option<String> {
        let notice = self
            .last_notice
            .is_none_or(|t| t.elapsed() > Duration::from_secs(5))
            .then(|| {
                format!(
                    "kubectl-numa: lost the watch on {} ({error}); retrying...",
                    kube.server
                )
            });
        if notice.is_some() {
            self.last_notice = Some(std::time::Instant::now());
        }
        self.last_error = error;
        notice
    }

    /// The error for a server that gave no complete listing within `--request-timeout`.
    pub fn unreachable(&self, kube: &Kube) -> anyhow::Error {
        let why = if self.last_error.is_empty() {
            "no answer"
        } else {
            self.last_error.as_str()
        };
        anyhow::anyhow!(
            "cannot read from the API server at {} within {:?} (--request-timeout): {why}",
            kube.server,
            kube.request_timeout
        )
    }
}
