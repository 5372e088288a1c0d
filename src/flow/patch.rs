//! The run that `pause`, `resume`, `set strategy`, `set image` and `promote` share:
//! resolve the targets to owners, plan and write each owner once, and print one line
//! (or document) per target.
//!
//! Nothing is half-written: with several owners, every patch is first sent with the
//! server's dry run (which checks the plan, the permissions and the API's
//! validation), and only then for real. A field the plan sets that the server's
//! answer does not have (a structural schema prunes unknown fields) is an error
//! before anything is stored.

use std::io::Write;

use anyhow::{bail, Result};
use kube::api::DynamicObject;

use super::resolve;
use crate::api::write::{self, Spec, Written};
use crate::api::ConnectOptions;
use crate::exit::Exit;
use crate::flags::WriteFlags;
use crate::rollout::diff;
use crate::rollout::dry_run::DryRun;
use crate::rollout::edit::{self, Outcome, Plan};
use crate::rollout::owner::{Group, Owner};
use crate::target::{Kind, Selection};
use crate::view::outcome::{self as show, WriteOutput};

/// Prints on stderr the warning a write earned (someone re-applies the spec it
/// changed), never on stdout, so `-o json` and `-o name` stay clean.
pub fn warn<T>(w: &Written<T>, owner: &Owner, spec: Spec) {
    if let Some(line) = w.warning(owner, spec) {
        eprintln!("kubectl-numa: {line}");
    }
}

/// A pure plan over one owner: its kind, the object read, the workloads asked for.
pub type Planner<'a> = dyn Fn(Kind, &DynamicObject, &[String]) -> Result<Plan<Vec<Outcome>>> + 'a;

fn plan_group(g: &Group, obj: &DynamicObject, planner: &Planner<'_>) -> Result<Plan<Vec<Outcome>>> {
    let keys = edit::select_keys(g.owner.kind, obj, &g.wanted())?;
    planner(g.owner.kind, obj, &keys)
}

/// Runs a write command: plan and patch each owner once, print each target. With
/// several owners, or with `verify`, every patch is first sent with the server's dry
/// run, so that nothing is half-written and a field the server would not store
/// (`maxSurge` under Numaflow's full CRDs) is refused with nothing written.
pub async fn run(
    conn: ConnectOptions,
    verb: &str,
    selection: &Selection,
    flags: &WriteFlags,
    planner: &Planner<'_>,
    verify: bool,
) -> Result<Exit> {
    let (kube, groups) = resolve::groups(conn, selection).await?;
    let spec = flags.force.spec();
    let mode = flags.dry_run.mode;
    // First every patch with the server's dry run, when a real write must not be
    // half-done; then each for real (or as asked).
    let rehearse = (groups.len() > 1 || verify) && mode == DryRun::None;
    let passes = if rehearse {
        vec![DryRun::Server, mode]
    } else {
        vec![mode]
    };
    for pass in passes {
        let last = pass == mode;
        for g in &groups {
            let what = g.describe(verb);
            let w = write::write(&kube, &g.owner, &what, pass, spec, |obj| {
                plan_group(g, obj, planner)
            })
            .await?;
            if pass == DryRun::Server {
                refuse_dropped(&what, &w)?;
            }
            if last {
                warn(&w, &g.owner, spec);
                print(g, &w, flags)?;
            }
        }
    }
    Ok(Exit::Ok)
}

/// An error when the server's answer to a (dry-run) patch lacks fields the plan set.
fn refuse_dropped<T>(what: &str, w: &Written<T>) -> Result<()> {
    let dropped = diff::dropped(&w.planned, &w.after);
    if !w.sent || dropped.is_empty() {
        return Ok(());
    }
    let paths: Vec<&str> = dropped.iter().map(|c| c.path.as_str()).collect();
    let why = if paths.iter().any(|p| p.ends_with(".maxSurge")) {
        "Numaflow has no maxSurge (its CRDs drop it and its controller ignores it)"
    } else {
        "the object's schema has no such field"
    };
    bail!(
        "{what}: the server does not store {}: {why}; nothing was written",
        paths.join(", ")
    )
}

fn print(g: &Group, w: &Written<Vec<Outcome>>, flags: &WriteFlags) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let changes = w.changes();
    for m in &g.members {
        let outcomes = show::outcomes_of(m, &w.outcome);
        match flags.output {
            Some(WriteOutput::Json) => {
                let doc = show::target_json(
                    &g.owner,
                    &w.after,
                    m,
                    &outcomes,
                    flags.dry_run.mode,
                    &changes,
                );
                writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
            }
            Some(WriteOutput::Name) => writeln!(out, "{}", m.target)?,
            _ => writeln!(
                out,
                "{}",
                show::result_line(m, &outcomes, flags.dry_run.mode)
            )?,
        }
    }
    if flags.dry_run.mode.is_dry() && flags.output.is_none() {
        for line in show::change_lines(&changes) {
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    Ok(())
}
