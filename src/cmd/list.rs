//! `kubectl numa rollout list`: the rollout state of every vertex and monovertex.

use std::io::Write;

use anyhow::Result;
use clap::Args;
use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, ListParams};

use crate::api::{self, paged};
use crate::cli::KubeArgs;
use crate::exit::Exit;
use crate::rollout::report;
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

/// Runs `rollout list`: four LISTs (pipelines, then vertices, monovertices and pods
/// together), each in pages of `--chunk-size`.
pub async fn run(kube_args: &KubeArgs, args: &ListArgs) -> Result<Exit> {
    let kube = api::connect(kube_args).await?;
    let all = args.all_namespaces;
    let dynamic = |kind: Kind| match all {
        true => Api::all_with(kube.client.clone(), &api::resource(kind)),
        false => kube.numaflow(kind, &kube.namespace),
    };
    let mut lp = ListParams::default();
    if let Some(sel) = &args.selector {
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
        paged::objects(&kube, &pipelines, "list pipelines", &ListParams::default()).await?;
    let (vertices, mvtxs, pods) = tokio::try_join!(
        paged::objects(&kube, &vertices, "list vertices", &lp),
        paged::objects(&kube, &mvtxs, "list monovertices", &lp),
        api::pods::list(&kube, pod_ns, &pod_lp, "list pods"),
    )?;
    let mut rows = report::every_workload(&pipelines, &vertices, &mvtxs, &pods, Timestamp::now());
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
