//! `rollout undo`: restore a recorded revision's pod-affecting spec on one target's
//! owner, and print what was done.

use std::io::Write;

use anyhow::Result;

use super::patch::warn;
use crate::api::{undo, Kube};
use crate::exit::Exit;
use crate::flags::WriteFlags;
use crate::rollout::owner::Group;
use crate::rollout::undo::Undone;
use crate::view::outcome::{change_lines, undo_json, WriteOutput};

/// Undoes `group`'s one target to revision `to_revision` (the previous one by
/// default), recording `cause`.
pub async fn run(
    kube: &Kube,
    group: &Group,
    to_revision: Option<u64>,
    cause: &str,
    write: &WriteFlags,
) -> Result<Exit> {
    let owner = &group.owner;
    let member = &group.members[0];
    let label = member.target.to_string();
    let spec = write.force.spec();
    let written = undo::undo(kube, group, to_revision, cause, write.dry_run.mode, spec).await?;
    warn(&written, owner, spec);
    let Undone { from, now } = written.outcome;
    let mut out = std::io::stdout().lock();
    match write.output {
        Some(WriteOutput::Name) => writeln!(out, "{}", member.target)?,
        Some(WriteOutput::Json) => {
            let doc = undo_json(
                member,
                owner,
                &written.outcome,
                &written.planned,
                written.managed_by.as_ref(),
                write.dry_run.mode,
            );
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
        None => {
            let suffix = write.dry_run.mode.suffix();
            writeln!(
                out,
                "{label} rolled back to revision {from} (recorded as revision {now}){suffix}"
            )?;
            if write.dry_run.mode.is_dry() {
                for l in change_lines(&written.changes()) {
                    writeln!(out, "{l}")?;
                }
            }
        }
    }
    Ok(Exit::Ok)
}
