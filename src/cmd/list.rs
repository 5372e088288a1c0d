//! `kubectl numa rollout list`: the rollout state of every vertex and monovertex.

use std::collections::HashMap;
use std::io::Write;

use anyhow::Result;
use clap::Args;
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, DynamicObject, ListParams};
use kube::ResourceExt;

use crate::api::{self, Kube};
use crate::cli::KubeArgs;
use crate::exit::Exit;
use crate::rollout::kinds::{vertex_pipeline, vertex_short_name};
use crate::rollout::report;
use crate::rollout::{MONO_VERTEX_LABEL, PIPELINE_LABEL, VERTEX_LABEL};
use crate::target::Kind;
use crate::view::{json, style, table, Output};

const HELP: &str = "\
Examples:
  # Rollouts in the current namespace
  kubectl numa rollout list

  # In all namespaces, with hashes and messages
  kubectl numa rollout list -A -o wide

  # Names of the vertices of one team, for a loop in a script
  kubectl numa rollout list -l team=data -o name

Exit codes: 0 listed (also when empty), 1 error, 2 usage.";

/// Pods of every Numaflow workload.
const POD_SELECTOR: &str = "app.kubernetes.io/component in (vertex,mono-vertex)";

/// The long description of the command (set on its variant in [`crate::cli`], which
/// would otherwise replace it with the variant's one-line doc comment).
pub const LONG_ABOUT: &str =
    "List the rollout state of every Vertex and MonoVertex in the namespace (or, \
with -A, in every namespace): desired, updated and ready replicas, the rolling-update \
strategy in effect, and whether the rollout is complete, progressing, paused or degraded.";

/// Flags of `rollout list`.
#[derive(Debug, Args)]
#[command(after_help = HELP)]
pub struct ListArgs {
    /// List in every namespace.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Only vertices and monovertices whose labels match.
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,
    /// Output format: wide, json, or name.
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<Output>,
}

fn list_api<K>(kube: &Kube, all: bool, api: impl Fn(Option<&str>) -> Api<K>) -> Api<K> {
    if all {
        api(None)
    } else {
        api(Some(&kube.namespace))
    }
}

/// Runs `rollout list`: four LIST requests (pipelines, then vertices, monovertices and
/// pods together).
pub async fn run(kube_args: &KubeArgs, args: &ListArgs) -> Result<Exit> {
    let kube = api::connect(kube_args).await?;
    let all = args.all_namespaces;
    let dynamic = |kind: Kind| {
        list_api(&kube, all, |ns| match ns {
            Some(ns) => kube.numaflow(kind, ns),
            None => Api::all_with(kube.client.clone(), &api::resource(kind)),
        })
    };
    let mut lp = ListParams::default();
    if let Some(sel) = &args.selector {
        lp = lp.labels(sel);
    }
    let pod_ns = (!all).then_some(kube.namespace.as_str());
    let pod_lp = ListParams::default().labels(POD_SELECTOR);
    // Pipelines first: their observedGeneration speaks for Vertex objects read after
    // them (see `fetch::fetch`).
    let pipelines = kube
        .call("list pipelines", async {
            dynamic(Kind::Pipeline).list(&ListParams::default()).await
        })
        .await?;
    let (vertices, mvtxs, pods) = tokio::try_join!(
        kube.call("list vertices", async {
            dynamic(Kind::Vertex).list(&lp).await
        }),
        kube.call("list monovertices", async {
            dynamic(Kind::MonoVertex).list(&lp).await
        }),
        api::pods::list(&kube, pod_ns, &pod_lp, "list pods"),
    )?;
    let now = Timestamp::now();
    let owner = |v: &DynamicObject| -> Option<&DynamicObject> {
        let pl = vertex_pipeline(v)?;
        pipelines
            .items
            .iter()
            .find(|p| p.name_any() == pl && p.namespace() == v.namespace())
    };
    // Pods grouped once by namespace and owning workload, so the cost stays linear.
    let mut grouped: HashMap<(Option<String>, String), Vec<&Pod>> = HashMap::new();
    for p in &pods {
        let labels = p.metadata.labels.as_ref();
        let label = |k: &str| labels.and_then(|l| l.get(k)).map(String::as_str);
        let key = match (
            label(PIPELINE_LABEL),
            label(VERTEX_LABEL),
            label(MONO_VERTEX_LABEL),
        ) {
            (Some(pl), Some(v), _) => format!("vertex/{pl}/{v}"),
            (_, _, Some(m)) => format!("mvtx/{m}"),
            _ => continue,
        };
        grouped.entry((p.namespace(), key)).or_default().push(p);
    }
    let own = |o: &DynamicObject, key: String| {
        grouped
            .get(&(o.namespace(), key))
            .map_or(&[][..], Vec::as_slice)
    };
    let mut rows = Vec::new();
    for v in &vertices.items {
        let key = format!(
            "vertex/{}/{}",
            vertex_pipeline(v).unwrap_or_default(),
            vertex_short_name(v).unwrap_or_default()
        );
        rows.extend(report::vertex(v, owner(v), own(v, key), now).workloads);
    }
    for m in &mvtxs.items {
        rows.extend(report::monovertex(m, own(m, format!("mvtx/{}", m.name_any())), now).workloads);
    }
    rows.sort_by(|a, b| (&a.namespace, &a.name, a.kind).cmp(&(&b.namespace, &b.name, b.kind)));
    let mut out = std::io::stdout().lock();
    match args.output {
        Some(Output::Json) => {
            let items: Vec<_> = rows.iter().map(|a| json::workload(a, false)).collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({ "items": items }))?
            )?;
        }
        Some(Output::Name) => {
            for a in &rows {
                writeln!(out, "{}/{}", a.kind.word(), a.name)?;
            }
        }
        wide => {
            if rows.is_empty() {
                let scope = if all {
                    "any namespace".to_string()
                } else {
                    format!("namespace {:?}", kube.namespace)
                };
                eprintln!("No vertices or monovertices found in {scope}.");
            } else {
                write!(
                    out,
                    "{}",
                    table::render(
                        &rows,
                        all,
                        wide == Some(Output::Wide),
                        style::color_enabled()
                    )
                )?;
            }
        }
    }
    Ok(Exit::Ok)
}
