//! The table of `rollout list`.

use comfy_table::{presets, Table};

use super::style;
use crate::rollout::assess::Assessment;
use crate::rollout::strategy::Field;

fn field(f: &Field, default: &str) -> String {
    match f {
        Field::Absent => default.into(),
        Field::Set(v) => v.to_string(),
        Field::Invalid(v) => format!("invalid {v}"),
    }
}

/// Renders workloads as a kubectl-style table (no borders); `namespace` adds the
/// NAMESPACE column, `wide` the hashes and message.
pub fn render(rows: &[Assessment], namespace: bool, wide: bool, color: bool) -> String {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING);
    let mut header = vec![];
    if namespace {
        header.push("NAMESPACE");
    }
    header.extend([
        "NAME",
        "KIND",
        "PIPELINE",
        "DESIRED",
        "UPDATED",
        "READY",
        "MAX UNAVAILABLE",
        "MAX SURGE",
        "STATE",
    ]);
    if wide {
        header.extend(["CURRENT HASH", "UPDATE HASH", "MESSAGE"]);
    }
    t.set_header(header);
    for a in rows {
        let mut row = vec![];
        if namespace {
            row.push(a.namespace.clone());
        }
        row.extend([
            a.name.clone(),
            a.kind.api_kind().to_string(),
            a.pipeline.clone().unwrap_or_else(|| "-".into()),
            a.desired.to_string(),
            a.updated.to_string(),
            a.ready.to_string(),
            field(&a.strategy.max_unavailable, "25% (default)"),
            field(&a.strategy.max_surge, "-"),
            style::state(a.state, color),
        ]);
        if wide {
            row.extend([
                a.current_hash.clone().unwrap_or_else(|| "-".into()),
                a.update_hash.clone().unwrap_or_else(|| "-".into()),
                a.message.clone(),
            ]);
        }
        t.add_row(row);
    }
    let mut s = t.trim_fmt();
    s.push('\n');
    s
}
