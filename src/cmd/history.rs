//! `kubectl numa rollout history`: the revisions the plugin recorded for a target.

use std::io::Write;

use anyhow::{anyhow, Result};
use clap::Args;
use serde_json::Value;

use crate::api::history as record;
use crate::api::owners;
use crate::cli::KubeArgs;
use crate::exit::{Exit, UsageError};
use crate::flow::resolve::one_group;
use crate::rollout::dry_run::DryRun;
use crate::rollout::manager;
use crate::rollout::revision::{self, content_hash, owner_of, pod_part, vertex_entry, History};
use crate::view::history::{self as show, RevisionRow};
use crate::view::Output;

const HELP: &str = "\
Examples:
  # The revisions of a pipeline, newest last; * marks the current spec
  kubectl numa rollout history pipeline/my-pipeline

  # What one vertex looked like in revision 3
  kubectl numa rollout history vertex/my-pipeline-cat --revision 3

  # Record the current spec now (before an apply), with a cause
  kubectl numa rollout history pipeline/my-pipeline --record --change-cause \"release 42\"

Revisions are recorded by the plugin in the kubectl-numa.io/revision-history annotation
of the Pipeline or MonoVertex, whenever a plugin command sees a spec it has not recorded
(status, get, history) and around every change it makes (set image, undo).

Exit codes: 0 shown, 1 error (not found, forbidden, unreadable history, no such
revision), 2 usage.";

/// The long description of `rollout history`.
pub const LONG_ABOUT: &str =
    "List the revisions kubectl numa recorded for a pipeline, a pipeline vertex (the \
pipeline's revisions, showing that vertex's part) or a monovertex, or print one revision's spec.";

/// Flags of `rollout history`.
#[derive(Debug, Args)]
#[command(
    after_help = HELP
)]
pub struct HistoryArgs {
    /// The target: pipeline/NAME, vertex/NAME or mvtx/NAME.
    #[arg(value_name = "TARGET", required = true, num_args = 1..=2)]
    pub target: Vec<String>,
    /// Print the stored spec of this revision.
    #[arg(long, value_name = "N")]
    pub revision: Option<u64>,
    /// Record the current spec as a revision now.
    #[arg(long)]
    pub record: bool,
    /// The change cause to record with --record (default: the object's
    /// kubernetes.io/change-cause annotation, else this command line).
    #[arg(long, value_name = "TEXT", requires = "record")]
    pub change_cause: Option<String>,
    /// Output format: json.
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<Output>,
}

/// Runs `rollout history`.
pub async fn run(kube_args: &KubeArgs, args: &HistoryArgs) -> Result<Exit> {
    if matches!(args.output, Some(Output::Name | Output::Wide)) {
        return Err(UsageError("rollout history supports -o json only".into()).into());
    }
    let (kube, group) = one_group(kube_args.into(), &args.target, "history").await?;
    let owner = &group.owner;
    let kind = owner_of(owner.kind).ok_or_else(|| anyhow!("{owner} holds no spec"))?;
    let vertex = group.members[0].vertex.clone();
    if args.record {
        let cause = args.change_cause.as_deref();
        let recorded = record::record(&kube, owner, cause, DryRun::None).await?;
        let word = if recorded {
            "recorded"
        } else {
            "already recorded"
        };
        println!("{owner}: current spec {word}");
    }
    let mut obj = owners::get(&kube, owner).await?;
    if !args.record && !revision::is_recorded(kind, &obj) {
        if let Some(notice) = record::record_if_new(&kube, &obj, owner.clone()).await {
            eprintln!("{notice}");
        }
        obj = owners::get(&kube, owner).await?;
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
    if let Some(n) = args.revision {
        let r = history.get(n).ok_or_else(|| {
            anyhow!(
                "{label}: revision {n} not found; recorded revisions: {}",
                history.numbers()
            )
        })?;
        let shown = part_of(&r.spec);
        match args.output {
            Some(Output::Json) => writeln!(out, "{}", serde_json::to_string_pretty(&shown)?)?,
            _ => {
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
    match args.output {
        Some(Output::Json) => {
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
        _ => write!(out, "{}", show::table(&label, &rows))?,
    }
    Ok(Exit::Ok)
}
