//! `kubectl numa rollout list`: the rollout state of every vertex and monovertex.

use std::io::Write;

use crate::api;
use crate::cli::KubeArgs;
use crate::exit::Exit;
use crate::view::model::Workload;
use crate::view::{json, style, table, Output};
use anyhow::Result;
use clap::Args;

const HELP: &str = "\
Examples:
  # Rollouts in the current namespace
  kubectl numa rollout list

  # In all namespaces, with hashes and messages
  kubectl numa rollout list -A -o wide

  # Names of the vertices of one team, for a loop in a script
  kubectl numa rollout list -l team=data -o name

Exit codes: 0 listed (also when empty), 1 error, 2 usage.";

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
    let rows: Vec<Workload> = api::inventory::workloads(&kube, all, args.selector.as_deref())
        .await?
        .iter()
        .map(|a| Workload::of(a, false))
        .collect();
    let mut out = std::io::stdout().lock();
    match args.output {
        Some(Output::Json) => {
            writeln!(out, "{}", serde_json::to_string_pretty(&json::list(&rows))?)?;
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
