//! The reads of `rollout list`: four LISTs (pipelines, then vertices, monovertices
//! and pods together), each in pages of `--chunk-size`.

use anyhow::Result;
use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, ListParams};

use super::{paged, pods, Kube};
use crate::rollout::assess::Assessment;
use crate::rollout::report;
use crate::target::Kind;

/// Pods of every Numaflow workload.
const POD_SELECTOR: &str = "app.kubernetes.io/component in (vertex,mono-vertex)";

/// Every vertex and monovertex of the namespace (or of all, with `all`), whose labels
/// match `selector`, assessed now and sorted by namespace, name and kind.
pub async fn workloads(kube: &Kube, all: bool, selector: Option<&str>) -> Result<Vec<Assessment>> {
    let dynamic = |kind: Kind| match all {
        true => Api::all_with(kube.client.clone(), &super::resource(kind)),
        false => kube.numaflow(kind, &kube.namespace),
    };
    let mut lp = ListParams::default();
    if let Some(sel) = selector {
        lp = lp.labels(sel);
    }
    let pod_ns = (!all).then_some(kube.namespace.as_str());
    let pod_lp = ListParams::default().labels(POD_SELECTOR);
    let (pipelines, vertices, mvtxs) = (
        dynamic(Kind::Pipeline),
        dynamic(Kind::Vertex),
        dynamic(Kind::MonoVertex),
    );
    // Pipelines first: their observedGeneration speaks for Vertex objects read after
    // them (see `fetch::fetch`).
    let pipelines =
        paged::objects(kube, &pipelines, "list pipelines", &ListParams::default()).await?;
    let (vertices, mvtxs, pods) = tokio::try_join!(
        paged::objects(kube, &vertices, "list vertices", &lp),
        paged::objects(kube, &mvtxs, "list monovertices", &lp),
        pods::list(kube, pod_ns, &pod_lp, "list pods"),
    )?;
    let mut rows = report::every_workload(&pipelines, &vertices, &mvtxs, &pods, Timestamp::now());
    rows.sort_by(|a, b| (&a.namespace, &a.name, a.kind).cmp(&(&b.namespace, &b.name, b.kind)));
    Ok(rows)
}
