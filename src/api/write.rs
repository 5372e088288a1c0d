//! The one way the plugin changes an object: read it, compute the new object with a
//! pure plan, send the difference as a JSON merge patch that carries the
//! `resourceVersion` it was computed from. When someone else wrote the object in
//! between (the API answers 409 Conflict), read it again and recompute, at most
//! [`MAX_ATTEMPTS`] times with a short, growing pause in between. Nothing another
//! writer changed is ever overwritten: the patch only applies to the exact version
//! the plan saw.
//!
//! A spec write to an object Numaplane manages is refused unless forced (see
//! [`Spec`]): Numaplane re-applies the spec within seconds. The manager found is
//! handed back in [`Written`] for the command to warn about.
//!
//! Every request names the field manager [`super::FIELD_MANAGER`]. `--dry-run=client`
//! sends nothing; `--dry-run=server` sends the patch with the server's dry run.

use anyhow::{anyhow, bail, Result};
use kube::api::{DynamicObject, Patch, PatchParams};
use serde_json::{json, Value};

use super::owners;
use super::{describe, Kube, FIELD_MANAGER};
use crate::rollout::diff::{self, Change};
use crate::rollout::dry_run::DryRun;
use crate::rollout::edit::Plan;
use crate::rollout::manager::{self, Manager};
use crate::rollout::owner::Owner;

/// Read-compute-patch rounds before giving up on conflicts.
pub const MAX_ATTEMPTS: u32 = 5;

/// What a write changes, for the manager check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spec {
    /// The spec, as the user asked: refused under Numaplane unless `forced` (`--force`).
    User {
        /// `--force`.
        forced: bool,
    },
    /// Only the plugin's own bookkeeping (revision annotations): never refused.
    Bookkeeping,
}

/// The result of one write.
#[derive(Debug, Clone)]
pub struct Written<T> {
    /// The object the final plan was computed from.
    pub before: DynamicObject,
    /// The object as the plan wanted it.
    pub planned: DynamicObject,
    /// The object after the write: the server's answer when a patch was sent (for a
    /// server dry run, what it would store), else `planned`.
    pub after: DynamicObject,
    /// What the plan reported.
    pub outcome: T,
    /// Whether a patch was sent (false for no-ops and client dry runs).
    pub sent: bool,
    /// Read-compute-patch rounds it took.
    pub attempts: u32,
    /// Who re-applies the object's spec, as read.
    pub managed_by: Option<Manager>,
}

impl<T> Written<T> {
    /// The changed fields, for `--dry-run` and `-o json`.
    pub fn changes(&self) -> Vec<Change> {
        diff::changes(&self.before, &self.planned)
    }

    /// The warning to print on stderr when this write changed (or, in a dry run, would
    /// change) a spec someone else re-applies; `forced` as the write was asked.
    pub fn warning(&self, owner: &Owner, spec: Spec) -> Option<String> {
        let m = self.managed_by.as_ref()?;
        diff::merge_patch(&self.before, &self.planned)?;
        let forced = matches!(spec, Spec::User { forced: true }) && m.refuses_writes();
        Some(m.warning(&owner.to_string(), forced))
    }
}

/// Puts `what` before a plan's error, unless the error already starts with an object
/// `what` names (`vertex/p-cat: ...`): one name is enough.
fn in_context(e: anyhow::Error, what: &str) -> anyhow::Error {
    let text = e.to_string();
    let head = text.split_once(": ").map_or("", |(h, _)| h);
    let named = what
        .split_whitespace()
        .any(|w| w.trim_matches(['(', ')']) == head);
    if named {
        e
    } else {
        e.context(what.to_string())
    }
}

/// The manager of `obj` (as read for `owner`), or the refusal of a spec write of
/// `what` to it: under Numaplane, a [`Spec::User`] write not forced is refused, even
/// one that would change nothing, so that a command's outcome does not depend on
/// the object's state.
pub fn guard(
    obj: &DynamicObject,
    owner: &Owner,
    what: &str,
    spec: Spec,
) -> Result<Option<Manager>> {
    let managed_by = manager::detect(&obj.metadata);
    match &managed_by {
        Some(m) if m.refuses_writes() && spec == (Spec::User { forced: false }) => {
            bail!(m.refusal(what, &owner.to_string()))
        }
        _ => Ok(managed_by),
    }
}

/// Reads `owner`, computes the new object with `plan`, and patches the difference
/// with a resourceVersion precondition, recomputing on conflict. `what` starts error
/// messages (`pause vertex/p-cat (pipeline/p)`). A plan error stops at once (nothing
/// is sent); when the plan changes nothing, nothing is sent either. A [`Spec::User`]
/// write under Numaplane, not forced, is refused before planning (see [`guard`]; also
/// in a dry run, which says what the real run would do).
pub async fn write<T>(
    kube: &Kube,
    owner: &Owner,
    what: &str,
    dry_run: DryRun,
    spec: Spec,
    mut plan: impl FnMut(&DynamicObject) -> Result<Plan<T>>,
) -> Result<Written<T>> {
    let api = kube.numaflow(owner.kind, &owner.namespace);
    let params = PatchParams {
        dry_run: dry_run == DryRun::Server,
        field_manager: Some(FIELD_MANAGER.to_string()),
        ..PatchParams::default()
    };
    for attempt in 1..=MAX_ATTEMPTS {
        let before = owners::get(kube, owner)
            .await
            .map_err(|e| e.context(what.to_string()))?;
        let managed_by = guard(&before, owner, what, spec)?;
        let Plan { after, outcome } = plan(&before).map_err(|e| in_context(e, what))?;
        let patch = match diff::merge_patch(&before, &after) {
            Some(p) if dry_run != DryRun::Client => p,
            _ => {
                return Ok(Written {
                    before,
                    planned: after.clone(),
                    after,
                    outcome,
                    sent: false,
                    attempts: attempt,
                    managed_by,
                })
            }
        };
        let patch = with_precondition(patch, &before)?;
        let sent = kube
            .timed(what, api.patch(&owner.name, &params, &Patch::Merge(&patch)))
            .await?;
        match sent {
            Ok(stored) => {
                return Ok(Written {
                    before,
                    planned: after,
                    after: stored,
                    outcome,
                    sent: true,
                    attempts: attempt,
                    managed_by,
                })
            }
            Err(kube::Error::Api(s)) if s.code == 409 => {
                if attempt < MAX_ATTEMPTS {
                    tokio::time::sleep(backoff(attempt)).await;
                }
                continue;
            }
            Err(e) => return Err(describe(e, what, &kube.server)),
        }
    }
    Err(anyhow!(
        "{what}: gave up after {MAX_ATTEMPTS} attempts: {owner} changed between every read and \
write (409 Conflict) and nothing was written; try again"
    ))
}

/// The pause after the `attempt`-th conflict: 10 ms doubling each time, plus up to
/// 10 ms of jitter so that a retry does not keep meeting a periodic writer.
fn backoff(attempt: u32) -> std::time::Duration {
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() % 10_000_000);
    std::time::Duration::from_millis(10 << (attempt - 1).min(6))
        + std::time::Duration::from_nanos(u64::from(jitter))
}

/// Adds `metadata.resourceVersion` of `before` to a merge patch: the API applies the
/// patch only to that version and answers 409 Conflict otherwise.
fn with_precondition(mut patch: Value, before: &DynamicObject) -> Result<Value> {
    let rv = before
        .metadata
        .resource_version
        .clone()
        .ok_or_else(|| anyhow!("the object read has no resourceVersion"))?;
    let meta = patch
        .as_object_mut()
        .expect("a merge patch of two objects is an object")
        .entry("metadata")
        .or_insert_with(|| json!({}));
    if !meta.is_object() {
        *meta = json!({});
    }
    meta["resourceVersion"] = json!(rv);
    Ok(patch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_carry_the_resource_version_read() {
        let before: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
            "metadata": {"name": "p", "resourceVersion": "42"}, "spec": {}
        }))
        .unwrap();
        assert_eq!(
            with_precondition(json!({"spec": {"a": 1}}), &before).unwrap(),
            json!({"spec": {"a": 1}, "metadata": {"resourceVersion": "42"}})
        );
        assert_eq!(
            with_precondition(json!({"metadata": {"annotations": {"x": null}}}), &before).unwrap(),
            json!({"metadata": {"annotations": {"x": null}, "resourceVersion": "42"}})
        );
    }

    #[test]
    fn plan_errors_name_the_object_once() {
        for (what, err, want) in [
            (
                "pause mvtx/m",
                "monovertex/m: spec updateStrategy is not an object",
                "pause mvtx/m: monovertex/m: spec updateStrategy is not an object",
            ),
            (
                "pause monovertex/m",
                "monovertex/m: bad",
                "monovertex/m: bad",
            ),
            (
                "pause vertex/p-cat (pipeline/p)",
                "vertex/p-cat: bad",
                "vertex/p-cat: bad",
            ),
            (
                "pause pipeline/p",
                "vertex/p-cat: bad",
                "pause pipeline/p: vertex/p-cat: bad",
            ),
            (
                "pause pipeline/p",
                "no colon here",
                "pause pipeline/p: no colon here",
            ),
        ] {
            let got = format!("{:#}", in_context(anyhow::anyhow!(err), what));
            assert_eq!(got, want, "{what} / {err}");
        }
    }

    #[test]
    fn backoff_grows() {
        let ms = |a| backoff(a).as_millis();
        assert!((10..20).contains(&ms(1)), "{}", ms(1));
        assert!((80..90).contains(&ms(4)), "{}", ms(4));
    }

    #[test]
    fn dry_run_words() {
        assert_eq!(DryRun::None.suffix(), "");
        assert_eq!(DryRun::Client.suffix(), " (dry run)");
        assert_eq!(DryRun::Server.suffix(), " (server dry run)");
        assert!(!DryRun::None.is_dry() && DryRun::Server.is_dry());
    }
}
