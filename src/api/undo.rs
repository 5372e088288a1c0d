//! Undo as a write: [`crate::rollout::undo::plan`] applied to a target's owner with
//! [`super::write::write`] (recomputed on a conflict), shared by `rollout undo` and
//! `rollout status --rollback-on-failure`.

use anyhow::{anyhow, Result};
use k8s_openapi::jiff::Timestamp;

use super::write::{self, Spec, Written};
use super::Kube;
use crate::rollout::dry_run::DryRun;
use crate::rollout::owner::Group;
use crate::rollout::revision::owner_of;
use crate::rollout::undo::{plan, Undone};

/// Rolls the first member of `group` back to revision `to` (default: the previous one),
/// recording `cause`; `spec` says whether a Numaplane-managed owner may be written (see
/// [`Spec`]).
pub async fn undo(
    kube: &Kube,
    group: &Group,
    to: Option<u64>,
    cause: &str,
    dry_run: DryRun,
    spec: Spec,
) -> Result<Written<Undone>> {
    let owner = &group.owner;
    let kind = owner_of(owner.kind).ok_or_else(|| anyhow!("{owner} holds no spec"))?;
    let member = &group.members[0];
    let vertex = member.vertex.as_deref();
    let label = member.target.to_string();
    let what = format!("undo {label}");
    write::write(kube, owner, &what, dry_run, spec, |obj| {
        plan(kind, obj, vertex, to, cause, &Timestamp::now().to_string())
            .map_err(|e| anyhow!("{label}: {e:#}"))
    })
    .await
}
