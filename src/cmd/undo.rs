//! `kubectl numa rollout undo`: restore a recorded revision's pod-affecting spec.

use std::io::Write;

use anyhow::{anyhow, bail, Result};
use clap::Args;
use k8s_openapi::jiff::Timestamp;
use kube::api::DynamicObject;
use serde_json::{json, Value};

use super::history::one_group;
use super::write::{warn, DryRunFlag, ForceFlag};
use crate::api::history::command_line;
use crate::api::owners::Group;
use crate::api::write::{self, DryRun, Spec};
use crate::api::Kube;
use crate::cli::KubeArgs;
use crate::exit::Exit;
use crate::rollout::edit::Plan;
use crate::rollout::revision::{
    self, content_hash, owner_of, pod_part, vertex_entry, History, Owner,
};
use crate::view::write::{change_lines, WriteOutput};

const HELP: &str = "\
Examples:
  # Roll a pipeline back to its previous revision and wait for it
  kubectl numa rollout undo pipeline/my-pipeline && kubectl numa rollout status pipeline/my-pipeline

  # Only one vertex, to a chosen revision (see `rollout history`)
  kubectl numa rollout undo vertex/my-pipeline-cat --to-revision 3

  # What would change, without changing it
  kubectl numa rollout undo mvtx/my-mvtx --dry-run

Undo restores only what changes pods (images, containers, ...): replicas, scale,
updateStrategy, lifecycle and the pause state are kept as they are now. A vertex target
restores only that vertex's entry of its Pipeline. The restored content becomes the
newest revision. The patch carries the resourceVersion it was computed from, so a
concurrent edit is never overwritten (the undo is recomputed, or fails).

Exit codes: 0 rolled back (or dry run shown), 1 error (managed by Numaplane without
--force, no such revision, it is the current one, no history, unreadable history, forbidden, conflicts), 2 usage.";

/// The long description of `rollout undo`.
pub const LONG_ABOUT: &str =
    "Roll a pipeline, a pipeline vertex or a monovertex back to a revision recorded \
by kubectl numa (default: the previous one).";

/// Flags of `rollout undo`.
#[derive(Debug, Args)]
#[command(
    after_help = HELP
)]
pub struct UndoArgs {
    /// The target: pipeline/NAME, vertex/NAME or mvtx/NAME.
    #[arg(value_name = "TARGET", required = true, num_args = 1..=2)]
    pub target: Vec<String>,
    /// The revision to restore (default: the previous one).
    #[arg(long, value_name = "N")]
    pub to_revision: Option<u64>,
    /// Recorded with the restored revision (default: this command line).
    #[arg(long, value_name = "TEXT")]
    pub change_cause: Option<String>,
    /// `--dry-run`.
    #[command(flatten)]
    pub dry_run: DryRunFlag,
    /// `--force`.
    #[command(flatten)]
    pub force: ForceFlag,
    /// Output format: json or name.
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<WriteOutput>,
}

/// What an undo restored.
#[derive(Debug, Clone, Copy)]
struct Undone {
    from: u64,
    now: u64,
}

fn part(spec: &Value, vertex: Option<&str>) -> Value {
    match vertex {
        Some(v) => vertex_entry(spec, v).cloned().unwrap_or(Value::Null),
        None => spec.clone(),
    }
}

/// The pure undo: record the current spec if new, pick the revision, restore it,
/// record it as the newest.
fn plan(
    kind: Owner,
    obj: &DynamicObject,
    vertex: Option<&str>,
    to: Option<u64>,
    cause: &str,
    now: &str,
) -> Result<Plan<Undone>> {
    let mut history = History::decode(obj.metadata.annotations.as_ref())?;
    let spec = obj.data.get("spec").cloned().unwrap_or(Value::Null);
    let current = pod_part(kind, &spec);
    history.record(
        &current,
        "(not recorded before: saved by rollout undo)",
        now,
    );
    let here = content_hash(&part(&current, vertex));
    let chosen = match to {
        Some(n) => {
            let r = history.get(n).ok_or_else(|| {
                anyhow!(
                    "revision {n} not found; recorded revisions: {}",
                    history.numbers()
                )
            })?;
            if content_hash(&part(&r.spec, vertex)) == here {
                bail!(
                    "revision {n} is the current spec; recorded revisions: {}",
                    history.numbers()
                );
            }
            r.clone()
        }
        None => history
            .revisions
            .iter()
            .rev()
            .find(|r| {
                content_hash(&part(&r.spec, vertex)) != here && part(&r.spec, vertex) != Value::Null
            })
            .cloned()
            .ok_or_else(|| {
                anyhow!(
                    "no previous revision to undo to; recorded revisions: {}",
                    history.numbers()
                )
            })?,
    };
    let restored = revision::restore(kind, &spec, &chosen.spec, vertex).map_err(|e| anyhow!(e))?;
    let mut after = obj.clone();
    after.data["spec"] = restored.clone();
    history.record(&pod_part(kind, &restored), cause, now);
    revision::store(
        &mut history,
        revision::limit(obj.metadata.annotations.as_ref()),
        &mut after,
    );
    let now_n = history.latest().map_or(0, |r| r.revision);
    Ok(Plan {
        after,
        outcome: Undone {
            from: chosen.revision,
            now: now_n,
        },
    })
}

/// Rolls the first member of `group` back to its previous revision (the newest
/// recorded revision whose pod-affecting content differs from the current spec), as
/// `rollout undo` without `--to-revision` does. Returns the revision restored and the
/// number it is recorded as now. Used by `rollout status --rollback-on-failure`;
/// `spec` says whether a Numaplane-managed owner may be written (see [`Spec`]).
pub async fn undo_previous(
    kube: &Kube,
    group: &Group,
    cause: &str,
    spec: Spec,
) -> Result<(u64, u64)> {
    let owner = &group.owner;
    let kind = owner_of(owner.kind).ok_or_else(|| anyhow!("{owner} holds no spec"))?;
    let member = &group.members[0];
    let vertex = member.vertex.as_deref();
    let label = member.target.to_string();
    let written = write::write(
        kube,
        owner,
        &format!("undo {label}"),
        DryRun::None,
        spec,
        |obj| {
            plan(
                kind,
                obj,
                vertex,
                None,
                cause,
                &Timestamp::now().to_string(),
            )
            .map_err(|e| anyhow!("{label}: {e:#}"))
        },
    )
    .await?;
    warn(&written, owner, spec);
    Ok((written.outcome.from, written.outcome.now))
}

/// Runs `rollout undo`.
pub async fn run(kube_args: &KubeArgs, args: &UndoArgs) -> Result<Exit> {
    let (kube, group) = one_group(kube_args, &args.target, "undo").await?;
    let owner = &group.owner;
    let kind = owner_of(owner.kind).ok_or_else(|| anyhow!("{owner} holds no spec"))?;
    let member = &group.members[0];
    let vertex = member.vertex.as_deref();
    let label = member.target.to_string();
    let cause = args.change_cause.clone().unwrap_or_else(command_line);
    let what = format!("undo {label}");
    let spec = args.force.spec();
    let written = write::write(&kube, owner, &what, args.dry_run.mode, spec, |obj| {
        plan(
            kind,
            obj,
            vertex,
            args.to_revision,
            &cause,
            &Timestamp::now().to_string(),
        )
        .map_err(|e| anyhow!("{label}: {e:#}"))
    })
    .await?;
    warn(&written, owner, spec);
    let Undone { from, now } = written.outcome;
    let mut out = std::io::stdout().lock();
    match args.output {
        Some(WriteOutput::Name) => writeln!(out, "{}", member.target)?,
        Some(WriteOutput::Json) => {
            let doc = json!({
                "target": label, "owner": owner.to_string(), "namespace": owner.namespace,
                "restoredRevision": from, "newRevision": now, "dryRun": args.dry_run.mode.json(),
                "managedBy": written.managed_by,
                "spec": part(written.planned.data.get("spec").unwrap_or(&Value::Null), vertex),
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
        None => {
            let suffix = args.dry_run.mode.suffix();
            writeln!(
                out,
                "{label} rolled back to revision {from} (recorded as revision {now}){suffix}"
            )?;
            if args.dry_run.mode.is_dry() {
                for l in change_lines(&written.changes()) {
                    writeln!(out, "{l}")?;
                }
            }
        }
    }
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(image: &str, history: Option<&History>) -> DynamicObject {
        let mut o: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
            "metadata": {"name": "p", "namespace": "ns", "resourceVersion": "1"},
            "spec": {"vertices": [
                {"name": "in", "replicas": 1, "source": {"udsource": {"container": {"image": "in:v1"}}}},
                {"name": "cat", "replicas": 4, "udf": {"container": {"image": image}}},
            ]},
        }))
        .unwrap();
        if let Some(h) = history {
            o.metadata.annotations =
                Some([(revision::HISTORY_ANNOTATION.to_string(), h.encode())].into());
        }
        o
    }

    fn history(images: &[&str]) -> History {
        let mut h = History::default();
        for i in images {
            h.record(
                &pod_part(Owner::Pipeline, &obj(i, None).data["spec"]),
                i,
                "t",
            );
        }
        h
    }

    fn image(o: &DynamicObject) -> &str {
        o.data["spec"]["vertices"][1]["udf"]["container"]["image"]
            .as_str()
            .unwrap()
    }

    #[test]
    fn undo_cases() {
        let h = history(&["cat:v1", "cat:v2", "cat:v3"]);
        let cur = obj("cat:v3", Some(&h));
        let p = plan(Owner::Pipeline, &cur, None, None, "undo", "t").unwrap();
        assert_eq!(
            (image(&p.after), p.outcome.from, p.outcome.now),
            ("cat:v2", 2, 4)
        );
        let p = plan(Owner::Pipeline, &cur, Some("cat"), Some(1), "undo", "t").unwrap();
        assert_eq!(
            (image(&p.after), p.outcome.from, p.outcome.now),
            ("cat:v1", 1, 4)
        );
        assert_eq!(p.after.data["spec"]["vertices"][1]["replicas"], 4);
        // An unrecorded current spec is saved first; "previous" is then the newest recorded.
        let p = plan(
            Owner::Pipeline,
            &obj("cat:v9", Some(&h)),
            None,
            None,
            "undo",
            "t",
        )
        .unwrap();
        assert_eq!((image(&p.after), p.outcome.from), ("cat:v3", 3));
        let after = History::decode(p.after.metadata.annotations.as_ref()).unwrap();
        assert_eq!(
            after
                .revisions
                .iter()
                .map(|r| r.revision)
                .collect::<Vec<_>>(),
            [1, 2, 4, 5]
        );

        for (o, to, want) in [
            (
                obj("cat:v3", Some(&h)),
                Some(7),
                "revision 7 not found; recorded revisions: 1, 2, 3",
            ),
            (
                obj("cat:v3", Some(&h)),
                Some(3),
                "revision 3 is the current spec; recorded revisions: 1, 2, 3",
            ),
            (
                obj("cat:v1", None),
                None,
                "no previous revision to undo to; recorded revisions: 1",
            ),
        ] {
            let err = plan(Owner::Pipeline, &o, None, to, "undo", "t").unwrap_err();
            assert_eq!(err.to_string(), want);
        }
        let mut bad = obj("cat:v3", None);
        bad.metadata.annotations = Some(
            [(
                revision::HISTORY_ANNOTATION.to_string(),
                "garbage".to_string(),
            )]
            .into(),
        );
        let err = plan(Owner::Pipeline, &bad, None, None, "undo", "t").unwrap_err();
        assert!(
            err.to_string()
                .contains("annotation kubectl-numa.io/revision-history cannot be read"),
            "{err}"
        );
    }
}
