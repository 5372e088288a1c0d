//! The one way the plugin changes an object: read it, compute the new object with a
//! pure plan, and send the difference guarded so that it applies only to the object the
//! plan saw. When someone else changed what the plan read in between, read it again and
//! recompute, with jittered, growing pauses, for as long as the retry budget allows
//! ([`retry_budget`]: `--request-timeout`, 30 s by default). Nothing another writer
//! changed is ever overwritten.
//!
//! **The guard: JSON Patch `test` operations on what the plan read.** A plan reads the
//! owner's spec (every top-level field but `status`), its labels and its annotations (the
//! revision history, the pause record), and nothing else. [`diff::guarded_patch`] sends
//! each of those sections' values as read in a `test` operation, then replaces the ones
//! the plan changed; the API server applies all of it or nothing. Numaflow's controllers
//! write an object's status on every reconcile, which moves its `resourceVersion`: a
//! guard on the whole object's version (what this module used until issue 33) conflicted
//! whenever the controller was busy, exactly when a deploy script needs `undo`, `pause` or
//! a rollback. A test on the sections does not see a status write, a finalizer or
//! `managedFields`, and still refuses a write over a real concurrent change.
//! Server-side apply was not chosen: its conflicts are per field manager, so a second
//! `kubectl-numa` run (same manager) would silently overwrite the first, and replacing
//! `spec.vertices` whole under SSA needs the list's merge keys right in every CRD.
//!
//! The server compares a test's scalars byte for byte in its own JSON encoding (Go's
//! `encoding/json`, which writes `<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes), so
//! the patch is sent in that encoding ([`go_json`]). Should a test still fail while a
//! fresh read shows every section unchanged (a number Go writes differently), the write
//! falls back to a merge patch carrying the `resourceVersion` it was computed from, as
//! before, for the rest of its budget.
//!
//! A spec write to an object Numaplane manages is refused unless forced (see
//! [`Spec`]): Numaplane re-applies the spec within seconds. The manager found is
//! handed back in [`Written`] for the command to warn about.
//!
//! Every request names the field manager [`super::FIELD_MANAGER`]. `--dry-run=client`
//! sends nothing; `--dry-run=server` sends the patch with the server's dry run.

use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Result};
use kube::api::{DynamicObject, Patch, PatchParams};
use kube::Resource;
use serde_json::{json, Value};

use super::owners;
use super::{describe, resource, Kube, FIELD_MANAGER};
use crate::rollout::diff::{self, Change};
use crate::rollout::dry_run::DryRun;
use crate::rollout::edit::Plan;
use crate::rollout::manager::{self, Manager};
use crate::rollout::owner::Owner;

/// How long a write keeps re-planning over concurrent changes when `--request-timeout`
/// is 0 (no limit per request): a write never retries for ever.
pub const DEFAULT_RETRY_BUDGET: Duration = Duration::from_secs(30);

/// How long a write may keep reading, planning and sending while other writers change
/// what it read: `--request-timeout` (default 30 s), or [`DEFAULT_RETRY_BUDGET`] when
/// that is 0. Each request is also bounded by `--request-timeout` on its own.
pub fn retry_budget(request_timeout: Duration) -> Duration {
    if request_timeout.is_zero() {
        DEFAULT_RETRY_BUDGET
    } else {
        request_timeout
    }
}

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

/// How a write is guarded against changes it did not see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guard {
    /// JSON Patch `test`s on the sections the plan read ([`diff::guarded_patch`]).
    Sections,
    /// A merge patch carrying the `resourceVersion` read: the fallback when a test
    /// failed over an object whose sections had not changed (see the module docs).
    Version,
}

/// Reads `owner`, computes the new object with `plan`, and sends the difference guarded
/// by what the plan read (see the module docs), recomputing on a real concurrent change
/// within [`retry_budget`]. `what` starts error messages (`pause vertex/p-cat
/// (pipeline/p)`). A plan error stops at once (nothing is sent); when the plan changes
/// nothing, nothing is sent either. A [`Spec::User`] write under Numaplane, not forced,
/// is refused before planning (see [`guard`]; also in a dry run, which says what the
/// real run would do).
pub async fn write<T>(
    kube: &Kube,
    owner: &Owner,
    what: &str,
    dry_run: DryRun,
    spec: Spec,
    mut plan: impl FnMut(&DynamicObject) -> Result<Plan<T>>,
) -> Result<Written<T>> {
    let params = PatchParams {
        dry_run: dry_run == DryRun::Server,
        field_manager: Some(FIELD_MANAGER.to_string()),
        ..PatchParams::default()
    };
    let budget = retry_budget(kube.request_timeout);
    let started = Instant::now();
    let mut mode = Guard::Sections;
    let mut kept_changing: Vec<String> = Vec::new();
    let mut reread: Option<DynamicObject> = None;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let before = match reread.take() {
            Some(obj) => obj,
            None => owners::get(kube, owner)
                .await
                .map_err(|e| e.context(what.to_string()))?,
        };
        let managed_by = guard(&before, owner, what, spec)?;
        let Plan { after, outcome } = plan(&before).map_err(|e| in_context(e, what))?;
        let unsent = |before, after: DynamicObject, outcome| Written {
            before,
            planned: after.clone(),
            after,
            outcome,
            sent: false,
            attempts: attempt,
            managed_by: managed_by.clone(),
        };
        if dry_run == DryRun::Client {
            return Ok(unsent(before, after, outcome));
        }
        let sent = match mode {
            Guard::Sections => match diff::guarded_patch(&before, &after) {
                None => return Ok(unsent(before, after, outcome)),
                Some(ops) => send_tested(kube, owner, what, &params, &ops).await?,
            },
            Guard::Version => match diff::merge_patch(&before, &after) {
                None => return Ok(unsent(before, after, outcome)),
                Some(patch) => {
                    let patch = with_precondition(patch, &before)?;
                    let api = kube.numaflow(owner.kind, &owner.namespace);
                    kube.timed(what, api.patch(&owner.name, &params, &Patch::Merge(&patch)))
                        .await?
                }
            },
        };
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
                note(&mut kept_changing, "its resourceVersion (409 Conflict)");
            }
            Err(kube::Error::Api(s)) if mode == Guard::Sections && is_failed_test(&s) => {
                let now = owners::get(kube, owner)
                    .await
                    .map_err(|e| e.context(what.to_string()))?;
                let moved = diff::moved(&before, &now);
                if moved.is_empty() {
                    // The sections read are unchanged: the server's encoding of a value
                    // differs from ours. Guard by the version read instead, at once.
                    mode = Guard::Version;
                } else {
                    moved.iter().for_each(|m| note(&mut kept_changing, m));
                }
                reread = Some(now);
                if moved.is_empty() {
                    continue;
                }
            }
            Err(e) => return Err(describe(e, what, &kube.server)),
        }
        let pause = backoff(attempt);
        if started.elapsed() + pause > budget {
            bail!(
                "{what}: gave up after {:.1} s and {attempt} attempts: {owner} kept changing \
under the write ({}) and nothing was written; try again, or allow longer with --request-timeout",
                started.elapsed().as_secs_f64(),
                kept_changing.join(", ")
            );
        }
        tokio::time::sleep(pause).await;
    }
}

/// Adds `what` to the list of what kept changing, once.
fn note(list: &mut Vec<String>, what: &str) {
    if !list.iter().any(|w| w == what) {
        list.push(what.to_string());
    }
}

/// Whether an API error is the server's refusal to apply a JSON Patch: what a failed
/// `test` operation (another writer's change) looks like. The API server answers 422
/// with a generic message and no details (apiserver's `applyJSPatch` wraps json-patch's
/// error in `NewGenericServerResponse`, which drops it), unlike a spec its validation
/// refuses (422 too, "... is invalid: ...", naming the object).
fn is_failed_test(s: &kube::core::Status) -> bool {
    s.code == 422
        && s.message == "the server rejected our request due to an error in our request"
        && s.details
            .as_ref()
            .is_none_or(|d| d.name.is_empty() && d.kind.is_empty())
}

/// Sends the JSON Patch `ops` to `owner`, encoded as the server encodes (see [`go_json`]).
async fn send_tested(
    kube: &Kube,
    owner: &Owner,
    what: &str,
    params: &PatchParams,
    ops: &[Value],
) -> Result<kube::Result<DynamicObject>> {
    let url = DynamicObject::url_path(&resource(owner.kind), Some(&owner.namespace));
    let placeholder: Patch<()> = Patch::Json(serde_json::from_value(json!([]))?);
    let mut request = kube::core::Request::new(url)
        .patch(&owner.name, params, &placeholder)
        .map_err(|e| anyhow!("{what}: {e}"))?;
    *request.body_mut() = go_json(&Value::Array(ops.to_vec())).into_bytes();
    kube.timed(what, kube.client.request::<DynamicObject>(request))
        .await
}

/// `v` as JSON in Go's `encoding/json` style, which the API server writes objects in
/// and compares JSON Patch `test` values against byte for byte: `<`, `>` and `&` as
/// `\u003c`, `\u003e`, `\u0026`, and U+2028 and U+2029 escaped. These characters can
/// only stand inside strings of serde_json's output, so replacing them is exact.
pub fn go_json(v: &Value) -> String {
    let plain = v.to_string();
    let mut out = String::with_capacity(plain.len());
    for c in plain.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The pause after the `attempt`-th refused write: a random time up to a cap that
/// starts at 20 ms and doubles each time up to 1 s ("full jitter"), so that concurrent
/// writers spread out instead of meeting again.
fn backoff(attempt: u32) -> Duration {
    let cap = Duration::from_millis((20u64 << (attempt - 1).min(6)).min(1000));
    cap.mul_f64(random_fraction())
}

/// A number in [0, 1) that differs between calls and processes (std's randomly keyed
/// hasher over a counter: enough to spread retries, no cryptography).
fn random_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
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
    fn backoff_is_jittered_below_a_growing_cap() {
        for (attempt, cap_ms) in [(1, 20), (2, 40), (4, 160), (6, 640), (7, 1000), (30, 1000)] {
            let pauses: Vec<u128> = (0..50).map(|_| backoff(attempt).as_millis()).collect();
            assert!(pauses.iter().all(|&p| p < cap_ms), "{attempt}: {pauses:?}");
            let mut distinct = pauses.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert!(distinct.len() > 5, "{attempt}: not jittered: {pauses:?}");
        }
    }

    #[test]
    fn retry_budgets() {
        assert_eq!(retry_budget(Duration::ZERO), DEFAULT_RETRY_BUDGET);
        assert_eq!(retry_budget(Duration::from_secs(5)), Duration::from_secs(5));
    }

    #[test]
    fn json_in_the_servers_encoding() {
        for (v, want) in [
            (
                json!({"a": "x < 1 && y > 2"}),
                r#"{"a":"x \u003c 1 \u0026\u0026 y \u003e 2"}"#,
            ),
            (
                json!(["\u{2028}\u{2029}", "é\n\"\\"]),
                r#"["\u2028\u2029","é\n\"\\"]"#,
            ),
            (
                json!({"n": 1, "f": 0.5, "b": true, "z": null}),
                r#"{"b":true,"f":0.5,"n":1,"z":null}"#,
            ),
        ] {
            let got = go_json(&v);
            assert_eq!(got, want);
            assert_eq!(
                serde_json::from_str::<Value>(&got).unwrap(),
                v,
                "round trip"
            );
        }
    }

    #[test]
    fn failed_tests_are_told_from_other_refusals() {
        let generic = "the server rejected our request due to an error in our request";
        let err = |code, message: &str, named: bool| kube::core::Status {
            message: message.into(),
            reason: "Invalid".into(),
            code,
            details: Some(
                serde_json::from_value(if named {
                    json!({"name": "p", "kind": "pipelines"})
                } else {
                    json!({})
                })
                .unwrap(),
            ),
            ..Default::default()
        };
        assert!(is_failed_test(&err(422, generic, false)));
        assert!(is_failed_test(&kube::core::Status {
            code: 422,
            message: generic.into(),
            ..Default::default()
        }));
        assert!(!is_failed_test(&err(
            422,
            "Pipeline.numaflow.numaproj.io \"p\" is invalid: spec.x: Invalid value",
            true
        )));
        assert!(!is_failed_test(&err(422, generic, true)));
        assert!(!is_failed_test(&err(409, generic, false)));
    }

    #[test]
    fn dry_run_words() {
        assert_eq!(DryRun::None.suffix(), "");
        assert_eq!(DryRun::Client.suffix(), " (dry run)");
        assert_eq!(DryRun::Server.suffix(), " (server dry run)");
        assert!(!DryRun::None.is_dry() && DryRun::Server.is_dry());
    }
}
