//! `kubectl numa rollout list`: the rollout state of every vertex and monovertex.

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
use crate::rollout::report::{self, vertex_pipeline};
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

/// Runs `rollout list`: four LIST requests (pipelines, vertices, monovertices, pods).
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
    let pods: Api<Pod> = list_api(&kube, all, |ns| match ns {
        Some(ns) => Api::namespaced(kube.client.clone(), ns),
        None => Api::all(kube.client.clone()),
    });
    let (pipelines, vertices, mvtxs, pods) = tokio::try_join!(
        kube.call("list pipelines", async {
            dynamic(Kind::Pipeline).list(&ListParams::default()).await
        }),
        kube.call("list vertices", async {
            dynamic(Kind::Vertex).list(&lp).await
        }),
        kube.call("list monovertices", async {
            dynamic(Kind::MonoVertex).list(&lp).await
        }),
        kube.call("list pods", async {
            pods.list(&ListParams::default().labels(POD_SELECTOR)).await
        }),
    )?;
    let now = Timestamp::now();
    let owner = |v: &DynamicObject| -> Option<&DynamicObject> {
        let pl = vertex_pipeline(v)?;
        pipelines
            .items
            .iter()
            .find(|p| p.name_any() == pl && p.namespace() == v.namespace())
    };
    let in_ns = |o: &DynamicObject| -> Vec<Pod> {
        pods.items
            .iter()
            .filter(|p| p.namespace() == o.namespace())
            .cloned()
            .collect()
    };
    let mut rows = Vec::new();
    for v in &vertices.items {
        rows.extend(report::vertex(v, owner(v), &in_ns(v), now).workloads);
    }
    for m in &mvtxs.items {
        rows.extend(report::monovertex(m, &in_ns(m), now).workloads);
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
