//! `rollout history`: the revisions recorded on a target's owner (recording the
//! current spec first when it is not), or one revision's pod-affecting spec.

use std::io::Write;

use anyhow::{anyhow, Result};
use serde_json::Value;

use crate::api::history as record;
use crate::api::{owners, Kube};
use crate::exit::Exit;
use crate::rollout::dry_run::DryRun;
use crate::rollout::manager;
use crate::rollout::owner::Group;
use crate::rollout::revision::{self, content_hash, owner_of, pod_part, vertex_entry, History};
use crate::view::history::{self as show, RevisionRow};

/// What `rollout history` was asked.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--revision N`: that revision's spec.
    pub revision: Option<u64>,
    /// `--record`: record the current spec first.
    pub record: bool,
    /// `--change-cause`, with `--record`.
    pub change_cause: Option<String>,
    /// `-o json`.
    pub json: bool,
}

/// Shows the history of `group`'s one target.
pub async fn run(kube: &Kube, group: &Group, opts: &Options) -> Result<Exit> {
    let owner = &group.owner;
    let kind = owner_of(owner.kind).ok_or_else(|| anyhow!("{owner} holds no spec"))?;
    let vertex = group.members[0].vertex.clone();
    if opts.record {
        let cause = opts.change_cause.as_deref();
        let recorded = record::record(kube, owner, cause, DryRun::None).await?;
        let word = if recorded {
            "recorded"
        } else {
            "already recorded"
        };
        println!("{owner}: current spec {word}");
    }
    let mut obj = owners::get(kube, owner).await?;
    if !opts.record && !revision::is_recorded(kind, &obj) {
        if let Some(notice) = record::record_if_new(kube, &obj, owner.clone()).await {
            eprintln!("{notice}");
        }
        obj = owners::get(kube, owner).await?;
    }
    let history =
        History::decode(obj.metadata.annotations.as_ref()).map_err(|e| anyhow!("{owner}: {e}"))?;
    let spec = obj.data.get("spec").cloned().unwrap_or(Value::Null);
    let part_of = |spec: &Value| -> Value {
        match &vertex {
            Some(v) => vertex_entry(spec, v).cloned().unwrap_or(Value::Null),
            None => spec.clone(),
        }
    };
    let current = content_hash(&part_of(&pod_part(kind, &spec)));
    let label = group.members[0].target.to_string();
    let mut out = std::io::stdout().lock();
    if let Some(n) = opts.revision {
        let r = history.get(n).ok_or_else(|| {
            anyhow!(
                "{label}: revision {n} not found; recorded revisions: {}",
                history.numbers()
            )
        })?;
        let shown = part_of(&r.spec);
        match opts.json {
            true => writeln!(out, "{}", serde_json::to_string_pretty(&shown)?)?,
            false => {
                writeln!(
                    out,
                    "{label} revision {} ({}), recorded {}, cause: {}",
                    r.revision, r.hash, r.recorded_at, r.change_cause
                )?;
                writeln!(out, "{}", serde_json::to_string_pretty(&shown)?)?;
            }
        }
        return Ok(Exit::Ok);
    }
    let rows: Vec<RevisionRow> = history
        .revisions
        .iter()
        .map(|r| {
            let hash = content_hash(&part_of(&r.spec));
            RevisionRow {
                revision: r.revision,
                recorded_at: r.recorded_at.clone(),
                change_cause: r.change_cause.clone(),
                current: hash == current,
                hash,
            }
        })
        .collect();
    match opts.json {
        true => {
            let managed_by = manager::detect(&obj.metadata);
            let doc = show::json(
                &label,
                &owner.to_string(),
                &owner.namespace,
                managed_by.as_ref(),
                &rows,
            );
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
        false => write!(out, "{}", show::table(&label, &rows))?,
    }
    Ok(Exit::Ok)
}
