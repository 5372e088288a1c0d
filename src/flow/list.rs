//! `rollout list`: every vertex and monovertex as a table, JSON or names.

use std::io::Write;

use anyhow::Result;

use crate::api::{inventory, Kube};
use crate::exit::Exit;
use crate::view::model::Workload;
use crate::view::{json, style, table, Output};

/// Lists the workloads of the namespace (every namespace with `all`) whose labels
/// match `selector`.
pub async fn run(
    kube: &Kube,
    all: bool,
    selector: Option<&str>,
    output: Option<Output>,
) -> Result<Exit> {
    let rows: Vec<Workload> = inventory::workloads(kube, all, selector)
        .await?
        .iter()
        .map(|a| Workload::of(a, false))
        .collect();
    let mut out = std::io::stdout().lock();
    match output {
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
