//! `--rollback-on-failure`: undo each degraded target to its previous revision and
//! wait for the rollbacks.

use anyhow::{anyhow, Result};

use super::patch::warn;
use super::wait::wait;
use crate::api::fetch::Scope;
use crate::api::{history, owners, undo, Kube};
use crate::exit::{self, Exit};
use crate::flags::WaitFlags;
use crate::rollout::dry_run::DryRun;
use crate::rollout::report::Report;
use crate::rollout::undo::Undone;
use crate::rollout::State;
use crate::target::Selection;
use crate::view::Output;

/// Undoes each degraded target to its previous revision, waits for the rollbacks, and
/// returns 7 when all completed, else 3 (both stories printed). Targets that did not
/// fail keep their own outcome.
pub async fn roll_back(
    kube: &Kube,
    scopes: &[Scope],
    reports: &[Report],
    flags: &WaitFlags,
    output: Option<Output>,
) -> Result<Exit> {
    let say = |line: String| {
        if output == Some(Output::Json) {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    };
    let mut exit = Exit::Ok;
    let mut rolled: Vec<(Scope, String, u64)> = Vec::new();
    let cause = history::command_line();
    let spec = flags.force.spec();
    for (s, r) in scopes.iter().zip(reports) {
        if r.state != State::Degraded {
            exit = exit.worst(exit::of_state(r.state, true));
            continue;
        }
        let undone = match owners::resolve(kube, &Selection::one_in(s.target.clone(), &s.namespace))
            .await
            .and_then(|mut g| g.pop().ok_or_else(|| anyhow!("nothing to roll back")))
        {
            Ok(g) => undo::undo(kube, &g, None, &cause, DryRun::None, spec)
                .await
                .map(|w| (g, w)),
            Err(e) => Err(e),
        };
        match undone {
            Ok((g, w)) => {
                warn(&w, &g.owner, spec);
                let Undone { from, now } = w.outcome;
                say(format!(
                    "{}: rollout failed ({}); rolling back to revision {from} (recorded as revision {now})",
                    s.target, r.message
                ));
                rolled.push((s.clone(), r.message.clone(), from));
            }
            Err(e) => {
                eprintln!(
                    "kubectl-numa: {}: rollout failed ({}), and the rollback failed: {e:#}",
                    s.target, r.message
                );
                exit = exit.worst(Exit::Degraded);
            }
        }
    }
    if rolled.is_empty() {
        return Ok(exit);
    }
    let again: Vec<Scope> = rolled.iter().map(|(s, _, _)| s.clone()).collect();
    // The rollback is waited for, not baked: it restores what ran before.
    let (after, _) = wait(kube, &again, flags, output, None).await?;
    for (s, story, from) in &rolled {
        match after.iter().find(|r| r.name == s.target.name) {
            Some(r) if r.state == State::Complete => {
                say(format!(
                    "{}: rolled back to revision {from}: {}",
                    s.target, r.message
                ));
                exit = exit.worst(Exit::RolledBack);
            }
            other => {
                let why = other.map_or("it could not be read".to_string(), |r| r.message.clone());
                eprintln!(
                    "kubectl-numa: {}: rollout failed ({story}), and the rollback to revision {from} did not complete: {why}",
                    s.target
                );
                exit = exit.worst(Exit::Degraded);
            }
        }
    }
    Ok(exit)
}
