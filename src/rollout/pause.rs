//! The plugin's pause record and the plans of `rollout pause`, `rollout resume` and
//! `rollout set strategy`, computed over the owner object with no I/O.
//!
//! The record is an annotation on the object that owns the durable spec (the
//! Pipeline for its vertices, the MonoVertex itself) holding, per workload, the
//! strategy values that `rollout pause` replaced with zero.
//!
//! Format: `kubectl-numa.io/paused-strategy: {"<vertex name>": {"maxUnavailable": V,
//! "maxSurge": V}}` where `V` is the previous JSON value or `null` for "was absent";
//! a MonoVertex uses the key `""`. An entry may also carry `"created":
//! "rollingUpdate"` or `"created": "updateStrategy"` when the pause had to create
//! `updateStrategy.rollingUpdate` (or `updateStrategy` itself): resume removes those
//! objects again when they end up empty. A `null` value in the spec counts as absent.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Result};
use kube::api::DynamicObject;
use kube::ResourceExt;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::edit::{self, workload_label, Effect, Outcome, Plan};
use super::strategy::{Field, IntOrPercent, Strategy, StrategyType};
use crate::target::Kind;
use crate::usage::UsageError;

/// Annotation holding the pause record.
pub const PAUSE_ANNOTATION: &str = "kubectl-numa.io/paused-strategy";

/// Whether the record in `annotations` holds an entry for `key` (a vertex's short
/// name, or `""` for a MonoVertex). An unreadable record counts as no record here.
pub fn is_recorded(annotations: Option<&BTreeMap<String, String>>, key: &str) -> bool {
    annotations
        .and_then(|a| a.get(PAUSE_ANNOTATION))
        .and_then(|raw| serde_json::from_str::<Map<String, Value>>(raw).ok())
        .is_some_and(|m| m.contains_key(key))
}

/// Which strategy objects a pause created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Created {
    /// Both existed.
    #[default]
    Nothing,
    /// `updateStrategy` existed, `updateStrategy.rollingUpdate` did not.
    RollingUpdate,
    /// Neither existed.
    UpdateStrategy,
}

/// `created` in a record: absent (or null) for [`Created::Nothing`], else the name of
/// the object the pause created.
mod created_field {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Created;

    pub fn serialize<S: Serializer>(c: &Created, s: S) -> Result<S::Ok, S::Error> {
        match c {
            Created::Nothing => s.serialize_none(),
            Created::RollingUpdate => s.serialize_str("rollingUpdate"),
            Created::UpdateStrategy => s.serialize_str("updateStrategy"),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Created, D::Error> {
        match Option::<String>::deserialize(d)?.as_deref() {
            None => Ok(Created::Nothing),
            Some("rollingUpdate") => Ok(Created::RollingUpdate),
            Some("updateStrategy") => Ok(Created::UpdateStrategy),
            Some(other) => Err(D::Error::custom(format!(
                "created is {other:?}, not rollingUpdate or updateStrategy"
            ))),
        }
    }
}

/// What the record holds for one workload: the values before the pause.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Entry {
    /// `rollingUpdate.maxUnavailable` before the pause; `None` when absent (`null`).
    #[serde(default)]
    pub max_unavailable: Option<Value>,
    /// `rollingUpdate.maxSurge` before the pause; `None` when absent (`null`).
    #[serde(default)]
    pub max_surge: Option<Value>,
    /// Objects the pause created.
    #[serde(
        default,
        with = "created_field",
        skip_serializing_if = "Created::is_nothing"
    )]
    pub created: Created,
}

impl Created {
    fn is_nothing(&self) -> bool {
        *self == Created::Nothing
    }
}

/// The whole record: entries by workload key.
pub type Record = BTreeMap<String, Entry>;

/// Reads the record from an owner's annotations (empty when there is none). A
/// record in another format is an error naming the annotation.
pub fn decode(annotations: Option<&BTreeMap<String, String>>) -> Result<Record> {
    let Some(raw) = annotations.and_then(|a| a.get(PAUSE_ANNOTATION)) else {
        return Ok(Record::new());
    };
    let bad = |why: &str| {
        anyhow!(
            "annotation {PAUSE_ANNOTATION} is not a pause record written by kubectl numa ({why}); \
fix or remove it before pausing or resuming"
        )
    };
    let map: Map<String, Value> =
        serde_json::from_str(raw).map_err(|_| bad("not a JSON object"))?;
    let mut record = Record::new();
    for (key, entry) in map {
        if !entry.is_object() {
            return Err(bad(&format!("entry {key:?} is not an object")));
        }
        let e: Entry =
            serde_json::from_value(entry).map_err(|e| bad(&format!("entry {key:?}: {e}")))?;
        record.insert(key, e);
    }
    Ok(record)
}

/// The annotation value of a record; `None` for an empty record (remove it). Keys
/// come out sorted (through serde_json's map), as records have always been written.
pub fn encode(record: &Record) -> Option<String> {
    if record.is_empty() {
        return None;
    }
    let value = serde_json::to_value(record).expect("a pause record serialises");
    Some(value.to_string())
}

/// A workload definition's raw `rollingUpdate` values (`null` counts as absent).
fn raw_values(def: &Map<String, Value>) -> (Option<Value>, Option<Value>) {
    let get = |k: &str| {
        def.get("updateStrategy")
            .and_then(|u| u.get("rollingUpdate"))
            .and_then(|r| r.get(k))
            .filter(|v| !v.is_null())
            .cloned()
    };
    (get("maxUnavailable"), get("maxSurge"))
}

/// Whether the values hold every rollout: `maxUnavailable` zero and `maxSurge` zero
/// or absent.
fn holds(max_unavailable: Option<&Value>, max_surge: Option<&Value>) -> bool {
    let zero = |v: Option<&Value>| {
        v.and_then(IntOrPercent::from_json)
            .is_some_and(IntOrPercent::is_zero)
    };
    zero(max_unavailable) && (max_surge.is_none() || zero(max_surge))
}

fn holds_def(def: &Map<String, Value>) -> bool {
    let (mu, ms) = raw_values(def);
    holds(mu.as_ref(), ms.as_ref())
}

/// Whether a workload definition holds every rollout (a zero step): `maxUnavailable`
/// zero and `maxSurge` zero or absent, whoever set them.
pub fn holds_spec(def: &Value) -> bool {
    def.as_object().is_some_and(holds_def)
}

/// `updateStrategy.rollingUpdate` of a definition, created when missing; an error
/// when either exists and is not an object. Returns what had to be created.
fn rolling_update<'a>(
    label: &str,
    def: &'a mut Map<String, Value>,
) -> Result<(&'a mut Map<String, Value>, Created)> {
    let mut created = Created::Nothing;
    let us = def.entry("updateStrategy").or_insert_with(|| {
        created = Created::UpdateStrategy;
        json!({})
    });
    if us.is_null() {
        *us = json!({});
        created = Created::UpdateStrategy;
    }
    let us = us.as_object_mut().ok_or_else(|| {
        anyhow!("{label}: spec updateStrategy is not an object; fix the spec first")
    })?;
    let ru = us.entry("rollingUpdate").or_insert_with(|| {
        if created == Created::Nothing {
            created = Created::RollingUpdate;
        }
        json!({})
    });
    if ru.is_null() {
        *ru = json!({});
        if created == Created::Nothing {
            created = Created::RollingUpdate;
        }
    }
    let ru = ru.as_object_mut().ok_or_else(|| {
        anyhow!("{label}: spec updateStrategy.rollingUpdate is not an object; fix the spec first")
    })?;
    Ok((ru, created))
}

fn set_or_remove(map: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    match v {
        Some(v) => {
            map.insert(key.to_string(), v);
        }
        None => {
            map.remove(key);
        }
    }
}

/// Pauses one workload definition given its record entry; returns the effect and
/// the entry to keep.
/// Refuses a workload whose `updateStrategy.type` is not a string: the controller
/// cannot decode that spec, so a step written into it would hold nothing.
fn readable_type(label: &str, def: &Map<String, Value>) -> Result<()> {
    if let StrategyType::Invalid(t) = Strategy::from_spec(&Value::Object(def.clone())).kind {
        bail!(
            "{label}: updateStrategy type {t} is not a string, so the controller cannot read \
             this spec; fix it first (nothing was changed)"
        );
    }
    Ok(())
}

fn pause_one(
    label: &str,
    def: &mut Map<String, Value>,
    entry: Option<&Entry>,
) -> Result<(Effect, Option<Entry>)> {
    readable_type(label, def)?;
    match (entry, holds_def(def)) {
        (Some(e), true) => Ok((Effect::AlreadyPaused, Some(e.clone()))),
        (None, true) => Ok((Effect::HeldBySpec, None)),
        (_, false) => {
            let (mu, ms) = raw_values(def);
            let (ru, created) = rolling_update(label, def)?;
            ru.insert("maxUnavailable".into(), json!(0));
            if ms.is_some() {
                ru.insert("maxSurge".into(), json!(0));
            }
            let entry = Entry {
                max_unavailable: mu,
                max_surge: ms,
                created,
            };
            Ok((Effect::Paused, Some(entry)))
        }
    }
}

/// Resumes one workload definition given its record entry; returns the effect and
/// the entry to keep (always none).
fn resume_one(
    label: &str,
    def: &mut Map<String, Value>,
    entry: Option<&Entry>,
) -> Result<(Effect, Option<Entry>)> {
    let Some(e) = entry else {
        let effect = if holds_def(def) {
            Effect::NotPausedBySpec
        } else {
            Effect::NotPaused
        };
        return Ok((effect, None));
    };
    if !holds_def(def) {
        return Ok((Effect::StaleRecordRemoved, None));
    }
    let (ru, _) = rolling_update(label, def)?;
    set_or_remove(ru, "maxUnavailable", e.max_unavailable.clone());
    set_or_remove(ru, "maxSurge", e.max_surge.clone());
    let ru_empty = ru.is_empty();
    if e.created != Created::Nothing && ru_empty {
        let us = def
            .get_mut("updateStrategy")
            .and_then(Value::as_object_mut)
            .expect("rolling_update made it an object");
        us.remove("rollingUpdate");
        if e.created == Created::UpdateStrategy && us.is_empty() {
            def.remove("updateStrategy");
        }
    }
    Ok((Effect::Resumed, None))
}

/// New strategy values from `rollout set strategy`; `None` leaves a value as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StrategyChange {
    /// `--max-unavailable`.
    pub max_unavailable: Option<IntOrPercent>,
    /// `--max-surge`.
    pub max_surge: Option<IntOrPercent>,
}

impl StrategyChange {
    /// Both values given and both zero: rejected before any request.
    pub fn check(&self) -> Result<(), UsageError> {
        match (self.max_unavailable, self.max_surge) {
            (Some(mu), Some(ms)) if mu.is_zero() && ms.is_zero() => Err(UsageError(
                "--max-unavailable and --max-surge both zero would hold every rollout: \
use `kubectl numa rollout pause` for that"
                    .into(),
            )),
            _ => Ok(()),
        }
    }

    fn apply(&self, mu: Option<Value>, ms: Option<Value>) -> (Option<Value>, Option<Value>) {
        (
            self.max_unavailable.map(IntOrPercent::to_json).or(mu),
            self.max_surge.map(IntOrPercent::to_json).or(ms),
        )
    }
}

fn reject_hold(label: &str, mu: Option<&Value>, ms: Option<&Value>) -> Result<()> {
    let surge = if holds(mu, ms) {
        if ms.is_some() {
            "with maxSurge 0"
        } else {
            "with maxSurge unset"
        }
    } else if holds(mu, None) {
        // A server with the minimal CRDs stores maxSurge, but Numaflow's controller
        // reads none: the step is maxUnavailable alone.
        "(Numaflow's controller ignores maxSurge)"
    } else {
        return Ok(());
    };
    Err(UsageError(format!(
        "{label}: maxUnavailable 0 {surge} would hold every rollout: \
use `kubectl numa rollout pause {label}` for that"
    ))
    .into())
}

/// Applies a strategy change to one workload definition. A paused workload keeps its
/// zero step and the change goes into its record entry.
fn set_strategy_one(
    label: &str,
    def: &mut Map<String, Value>,
    entry: Option<&Entry>,
    change: &StrategyChange,
) -> Result<(Effect, Option<Entry>)> {
    readable_type(label, def)?;
    match entry {
        Some(e) if holds_def(def) => {
            let (mu, ms) = change.apply(e.max_unavailable.clone(), e.max_surge.clone());
            reject_hold(label, mu.as_ref(), ms.as_ref())?;
            let new = Entry {
                max_unavailable: mu,
                max_surge: ms,
                created: e.created,
            };
            let effect = if &new == e {
                Effect::StrategyUnchanged { paused: true }
            } else {
                Effect::StrategyUpdated { paused: true }
            };
            Ok((effect, Some(new)))
        }
        _ => {
            let (old_mu, old_ms) = raw_values(def);
            let (mu, ms) = change.apply(old_mu.clone(), old_ms.clone());
            reject_hold(label, mu.as_ref(), ms.as_ref())?;
            if (&mu, &ms) == (&old_mu, &old_ms) {
                return Ok((Effect::StrategyUnchanged { paused: false }, entry.cloned()));
            }
            let (ru, _) = rolling_update(label, def)?;
            set_or_remove(ru, "maxUnavailable", mu);
            set_or_remove(ru, "maxSurge", ms);
            Ok((Effect::StrategyUpdated { paused: false }, entry.cloned()))
        }
    }
}

type EditOne<'a> = dyn FnMut(&str, &mut Map<String, Value>, Option<&Entry>) -> Result<(Effect, Option<Entry>)>
    + 'a;

/// Runs `one` on the definition of each workload in `keys` with its record entry,
/// then writes the record back when it changed.
fn edit_each(
    kind: Kind,
    owner: &DynamicObject,
    keys: &[String],
    one: &mut EditOne<'_>,
) -> Result<Plan<Vec<Outcome>>> {
    let record = decode(owner.metadata.annotations.as_ref())?;
    let mut new_record = record.clone();
    let mut after = owner.clone();
    let name = owner.name_any();
    let mut outcomes = Vec::new();
    for key in keys {
        let label = workload_label(kind, &name, key);
        let def = edit::workload_spec_mut(kind, &mut after, key)?;
        let (effect, entry) = one(&label, def, record.get(key))?;
        match entry {
            Some(e) => new_record.insert(key.clone(), e),
            None => new_record.remove(key),
        };
        outcomes.push(Outcome {
            key: key.clone(),
            effect,
        });
    }
    if new_record != record {
        edit::set_annotation(&mut after, PAUSE_ANNOTATION, encode(&new_record));
    }
    Ok(Plan {
        after,
        outcome: outcomes,
    })
}

/// `rollout pause`: sets a zero step (`maxUnavailable: 0`, and `maxSurge: 0` when
/// present) on each workload and records the previous values. Workloads already
/// held are left alone.
pub fn pause(kind: Kind, owner: &DynamicObject, keys: &[String]) -> Result<Plan<Vec<Outcome>>> {
    edit_each(kind, owner, keys, &mut pause_one)
}

/// `rollout resume`: restores exactly the recorded values and removes the record
/// entries (the annotation when it becomes empty).
pub fn resume(kind: Kind, owner: &DynamicObject, keys: &[String]) -> Result<Plan<Vec<Outcome>>> {
    edit_each(kind, owner, keys, &mut resume_one)
}

/// `rollout set strategy`: sets the given values; on a paused workload, in its
/// record. A result that would hold every rollout is a usage error.
pub fn set_strategy(
    kind: Kind,
    owner: &DynamicObject,
    keys: &[String],
    change: &StrategyChange,
) -> Result<Plan<Vec<Outcome>>> {
    edit_each(kind, owner, keys, &mut |label, def, entry| {
        set_strategy_one(label, def, entry, change)
    })
}

/// A workload's strategy as `rollout set strategy` without values shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrategyView {
    /// The strategy in the spec now.
    pub current: Strategy,
    /// Paused by the plugin: the record holds the values to restore.
    pub paused: bool,
    /// What resume restores (only when paused).
    pub on_resume: Option<Strategy>,
}

fn strategy_of(mu: Option<&Value>, ms: Option<&Value>) -> Strategy {
    let mut ru = Map::new();
    if let Some(v) = mu {
        ru.insert("maxUnavailable".into(), v.clone());
    }
    if let Some(v) = ms {
        ru.insert("maxSurge".into(), v.clone());
    }
    Strategy::from_spec(&json!({"updateStrategy": {"rollingUpdate": ru}}))
}

/// The strategy of workload `key` of `owner`, with what resume would restore.
pub fn view(kind: Kind, owner: &DynamicObject, key: &str) -> Result<StrategyView> {
    let def = edit::workload_spec(kind, owner, key).ok_or_else(|| {
        anyhow!(
            "{}: no definition in its owner",
            workload_label(kind, &owner.name_any(), key)
        )
    })?;
    let record = decode(owner.metadata.annotations.as_ref())?;
    let current = Strategy::from_spec(def);
    let def_map = def.as_object().cloned().unwrap_or_default();
    let entry = record.get(key).filter(|_| holds_def(&def_map));
    Ok(StrategyView {
        current,
        paused: entry.is_some(),
        on_resume: entry.map(|e| strategy_of(e.max_unavailable.as_ref(), e.max_surge.as_ref())),
    })
}

/// Whether workload `key` of `owner` is paused by the plugin (record entry and zero
/// step). An unreadable record counts as not paused.
pub fn is_paused(kind: Kind, owner: &DynamicObject, key: &str) -> bool {
    view(kind, owner, key).is_ok_and(|v| v.paused)
}

/// Shown for a strategy field: `25% (default)`, `2`, `not set`, `invalid "2"`.
pub fn describe_field(f: &Field, default: Option<IntOrPercent>) -> String {
    match (f, default) {
        (Field::Absent, Some(d)) => format!("{d} (default)"),
        (Field::Absent, None) => "not set".into(),
        (Field::Set(v), _) => v.to_string(),
        (Field::Invalid(v), _) => format!("invalid {v}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollout::strategy::DEFAULT_MAX_UNAVAILABLE;

    fn pipeline(vertices: Value, record: Option<&str>) -> DynamicObject {
        let mut o = json!({
            "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
            "metadata": {"name": "p", "namespace": "ns", "resourceVersion": "1",
                         "annotations": {"team": "data"}},
            "spec": {"vertices": vertices},
        });
        if let Some(r) = record {
            o["metadata"]["annotations"][PAUSE_ANNOTATION] = json!(r);
        }
        serde_json::from_value(o).unwrap()
    }

    fn keys(k: &[&str]) -> Vec<String> {
        k.iter().map(|s| s.to_string()).collect()
    }

    fn rec(o: &DynamicObject) -> Option<Value> {
        o.metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(PAUSE_ANNOTATION))
            .map(|s| serde_json::from_str(s).unwrap())
    }

    #[test]
    fn record_round_trips() {
        let mut r = Record::new();
        r.insert(
            "cat".into(),
            Entry {
                max_unavailable: Some(json!("25%")),
                max_surge: None,
                created: Created::Nothing,
            },
        );
        r.insert(
            String::new(),
            Entry {
                max_unavailable: None,
                max_surge: Some(json!(1)),
                created: Created::UpdateStrategy,
            },
        );
        r.insert(
            "in".into(),
            Entry {
                created: Created::RollingUpdate,
                ..Entry::default()
            },
        );
        let s = encode(&r).unwrap();
        assert_eq!(
            s,
            r#"{"":{"created":"updateStrategy","maxSurge":1,"maxUnavailable":null},"cat":{"maxSurge":null,"maxUnavailable":"25%"},"in":{"created":"rollingUpdate","maxSurge":null,"maxUnavailable":null}}"#
        );
        let ann = BTreeMap::from([(PAUSE_ANNOTATION.to_string(), s)]);
        assert_eq!(decode(Some(&ann)).unwrap(), r);
        assert_eq!(encode(&Record::new()), None);
        assert_eq!(decode(None).unwrap(), Record::new());
        // The documented minimal form (absent fields) reads as "was absent".
        let ann = BTreeMap::from([(PAUSE_ANNOTATION.to_string(), r#"{"cat":{}}"#.to_string())]);
        assert_eq!(decode(Some(&ann)).unwrap()["cat"], Entry::default());
    }

    #[test]
    fn foreign_records_are_errors_naming_the_annotation() {
        for (raw, why) in [
            ("nope", "not a JSON object"),
            ("[1]", "not a JSON object"),
            (r#"{"cat": 1}"#, "entry \"cat\" is not an object"),
            (
                r#"{"cat": {"x": 1}}"#,
                "entry \"cat\": unknown field `x`, expected one of `maxUnavailable`, `maxSurge`, `created`",
            ),
            (
                r#"{"cat": {"created": "spec"}}"#,
                "entry \"cat\": created is \"spec\", not rollingUpdate or updateStrategy",
            ),

        ] {
            let ann = BTreeMap::from([(PAUSE_ANNOTATION.to_string(), raw.to_string())]);
            let err = decode(Some(&ann)).unwrap_err().to_string();
            assert!(
                err.starts_with(&format!(
                    "annotation kubectl-numa.io/paused-strategy is not a pause record written by kubectl numa ({why})"
                )),
                "{raw}: {err}"
            );
        }
    }

    struct Case {
        name: &'static str,
        vertex: Value,
        record: Option<&'static str>,
        effect: Effect,
        vertex_after: Value,
        record_after: Option<Value>,
    }

    type PlanFn = fn(Kind, &DynamicObject, &[String]) -> Result<Plan<Vec<Outcome>>>;

    fn check(cases: Vec<Case>, plan: PlanFn) {
        for c in cases {
            let pl = pipeline(json!([c.vertex, {"name": "other"}]), c.record);
            let p = plan(Kind::Pipeline, &pl, &keys(&["cat"])).unwrap();
            assert_eq!(
                p.outcome,
                vec![Outcome {
                    key: "cat".into(),
                    effect: c.effect.clone()
                }],
                "{}",
                c.name
            );
            assert_eq!(
                p.after.data["spec"]["vertices"][0], c.vertex_after,
                "{}",
                c.name
            );
            assert_eq!(
                p.after.data["spec"]["vertices"][1],
                json!({"name": "other"}),
                "{}: other vertices untouched",
                c.name
            );
            assert_eq!(rec(&p.after), c.record_after, "{}", c.name);
            assert_eq!(
                p.after
                    .metadata
                    .annotations
                    .as_ref()
                    .map(|a| a["team"].clone()),
                Some("data".to_string()),
                "{}: other annotations kept",
                c.name
            );
            if !c.effect.changed() {
                assert_eq!(
                    crate::rollout::diff::merge_patch(&pl, &p.after),
                    None,
                    "{}: a no-op writes nothing",
                    c.name
                );
            }
        }
    }

    fn ru(v: Value) -> Value {
        json!({"updateStrategy": {"rollingUpdate": v}})
    }

    fn named(mut v: Value) -> Value {
        v["name"] = json!("cat");
        v
    }

    #[test]
    fn pause_plans() {
        let cases = vec![
            Case {
                name: "absent strategy",
                vertex: json!({"name": "cat"}),
                record: None,
                effect: Effect::Paused,
                vertex_after: named(ru(json!({"maxUnavailable": 0}))),
                record_after: Some(
                    json!({"cat": {"maxUnavailable": null, "maxSurge": null, "created": "updateStrategy"}}),
                ),
            },
            Case {
                name: "percentage, no surge",
                vertex: named(ru(json!({"maxUnavailable": "25%"}))),
                record: None,
                effect: Effect::Paused,
                vertex_after: named(ru(json!({"maxUnavailable": 0}))),
                record_after: Some(json!({"cat": {"maxUnavailable": "25%", "maxSurge": null}})),
            },
            Case {
                name: "surge present is zeroed too",
                vertex: named(ru(json!({"maxUnavailable": 2, "maxSurge": "50%"}))),
                record: None,
                effect: Effect::Paused,
                vertex_after: named(ru(json!({"maxUnavailable": 0, "maxSurge": 0}))),
                record_after: Some(json!({"cat": {"maxUnavailable": 2, "maxSurge": "50%"}})),
            },
            Case {
                name: "zero maxUnavailable with a surge is not held",
                vertex: named(ru(json!({"maxUnavailable": 0, "maxSurge": 1}))),
                record: None,
                effect: Effect::Paused,
                vertex_after: named(ru(json!({"maxUnavailable": 0, "maxSurge": 0}))),
                record_after: Some(json!({"cat": {"maxUnavailable": 0, "maxSurge": 1}})),
            },
            Case {
                name: "updateStrategy without rollingUpdate",
                vertex: json!({"name": "cat", "updateStrategy": {"type": "RollingUpdate"}}),
                record: None,
                effect: Effect::Paused,
                vertex_after: json!({"name": "cat", "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0}}}),
                record_after: Some(
                    json!({"cat": {"maxUnavailable": null, "maxSurge": null, "created": "rollingUpdate"}}),
                ),
            },
            Case {
                name: "already paused",
                vertex: named(ru(json!({"maxUnavailable": 0}))),
                record: Some(r#"{"cat":{"maxUnavailable":"25%","maxSurge":null}}"#),
                effect: Effect::AlreadyPaused,
                vertex_after: named(ru(json!({"maxUnavailable": 0}))),
                record_after: Some(json!({"cat": {"maxUnavailable": "25%", "maxSurge": null}})),
            },
            Case {
                name: "held by the spec itself",
                vertex: named(ru(json!({"maxUnavailable": "0%"}))),
                record: None,
                effect: Effect::HeldBySpec,
                vertex_after: named(ru(json!({"maxUnavailable": "0%"}))),
                record_after: None,
            },
            Case {
                name: "stale record is replaced",
                vertex: named(ru(json!({"maxUnavailable": 3}))),
                record: Some(r#"{"cat":{"maxUnavailable":"25%","maxSurge":null}}"#),
                effect: Effect::Paused,
                vertex_after: named(ru(json!({"maxUnavailable": 0}))),
                record_after: Some(json!({"cat": {"maxUnavailable": 3, "maxSurge": null}})),
            },
            Case {
                name: "an invalid value is recorded verbatim",
                vertex: named(ru(json!({"maxUnavailable": "2"}))),
                record: Some(r#"{"dog":{"maxUnavailable":1,"maxSurge":null}}"#),
                effect: Effect::Paused,
                vertex_after: named(ru(json!({"maxUnavailable": 0}))),
                record_after: Some(json!({"dog": {"maxUnavailable": 1, "maxSurge": null},
                                          "cat": {"maxUnavailable": "2", "maxSurge": null}})),
            },
        ];
        check(cases, pause);
    }

    #[test]
    fn resume_plans() {
        let cases = vec![
            Case {
                name: "restores a percentage",
                vertex: named(ru(json!({"maxUnavailable": 0}))),
                record: Some(r#"{"cat":{"maxUnavailable":"25%","maxSurge":null}}"#),
                effect: Effect::Resumed,
                vertex_after: named(ru(json!({"maxUnavailable": "25%"}))),
                record_after: None,
            },
            Case {
                name: "absent stays absent and created objects go",
                vertex: named(ru(json!({"maxUnavailable": 0}))),
                record: Some(
                    r#"{"cat":{"maxUnavailable":null,"maxSurge":null,"created":"updateStrategy"}}"#,
                ),
                effect: Effect::Resumed,
                vertex_after: json!({"name": "cat"}),
                record_after: None,
            },
            Case {
                name: "a created object someone filled meanwhile stays",
                vertex: json!({"name": "cat", "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0}}}),
                record: Some(
                    r#"{"cat":{"maxUnavailable":null,"maxSurge":null,"created":"updateStrategy"}}"#,
                ),
                effect: Effect::Resumed,
                vertex_after: json!({"name": "cat", "updateStrategy": {"type": "RollingUpdate"}}),
                record_after: None,
            },
            Case {
                name: "objects that existed before stay even when empty",
                vertex: named(ru(json!({"maxUnavailable": 0}))),
                record: Some(r#"{"cat":{"maxUnavailable":null,"maxSurge":null}}"#),
                effect: Effect::Resumed,
                vertex_after: named(ru(json!({}))),
                record_after: None,
            },
            Case {
                name: "surge restored, other entries kept",
                vertex: named(ru(json!({"maxUnavailable": 0, "maxSurge": 0}))),
                record: Some(
                    r#"{"cat":{"maxUnavailable":2,"maxSurge":"50%"},"dog":{"maxUnavailable":1,"maxSurge":null}}"#,
                ),
                effect: Effect::Resumed,
                vertex_after: named(ru(json!({"maxUnavailable": 2, "maxSurge": "50%"}))),
                record_after: Some(json!({"dog": {"maxUnavailable": 1, "maxSurge": null}})),
            },
            Case {
                name: "not paused",
                vertex: named(ru(json!({"maxUnavailable": 1}))),
                record: None,
                effect: Effect::NotPaused,
                vertex_after: named(ru(json!({"maxUnavailable": 1}))),
                record_after: None,
            },
            Case {
                name: "held by the spec, not by us",
                vertex: named(ru(json!({"maxUnavailable": 0}))),
                record: None,
                effect: Effect::NotPausedBySpec,
                vertex_after: named(ru(json!({"maxUnavailable": 0}))),
                record_after: None,
            },
            Case {
                name: "someone replaced the zero step: keep theirs, drop the record",
                vertex: named(ru(json!({"maxUnavailable": "50%"}))),
                record: Some(r#"{"cat":{"maxUnavailable":"25%","maxSurge":null}}"#),
                effect: Effect::StaleRecordRemoved,
                vertex_after: named(ru(json!({"maxUnavailable": "50%"}))),
                record_after: None,
            },
        ];
        check(cases, resume);
    }

    fn change(mu: Option<&str>, ms: Option<&str>) -> StrategyChange {
        StrategyChange {
            max_unavailable: mu.map(|v| IntOrPercent::parse(v).unwrap()),
            max_surge: ms.map(|v| IntOrPercent::parse(v).unwrap()),
        }
    }

    #[test]
    fn set_strategy_plans() {
        type Row = (
            &'static str,
            Value,
            Option<&'static str>,
            StrategyChange,
            Effect,
            Value,
            Option<Value>,
        );
        let rows: Vec<Row> = vec![
            (
                "absent strategy gets values, ints as numbers",
                json!({"name": "cat"}),
                None,
                change(Some("2"), Some("50%")),
                Effect::StrategyUpdated { paused: false },
                named(ru(json!({"maxUnavailable": 2, "maxSurge": "50%"}))),
                None,
            ),
            (
                "only one value changes",
                named(ru(json!({"maxUnavailable": 1, "maxSurge": 1}))),
                None,
                change(None, Some("0")),
                Effect::StrategyUpdated { paused: false },
                named(ru(json!({"maxUnavailable": 1, "maxSurge": 0}))),
                None,
            ),
            (
                "same values",
                named(ru(json!({"maxUnavailable": "25%"}))),
                None,
                change(Some("25%"), None),
                Effect::StrategyUnchanged { paused: false },
                named(ru(json!({"maxUnavailable": "25%"}))),
                None,
            ),
            (
                "paused: the record changes, the zero step stays",
                named(ru(json!({"maxUnavailable": 0}))),
                Some(r#"{"cat":{"maxUnavailable":"25%","maxSurge":null}}"#),
                change(Some("50%"), Some("1")),
                Effect::StrategyUpdated { paused: true },
                named(ru(json!({"maxUnavailable": 0}))),
                Some(json!({"cat": {"maxUnavailable": "50%", "maxSurge": 1}})),
            ),
            (
                "paused with the same values",
                named(ru(json!({"maxUnavailable": 0}))),
                Some(r#"{"cat":{"maxUnavailable":"25%","maxSurge":null}}"#),
                change(Some("25%"), None),
                Effect::StrategyUnchanged { paused: true },
                named(ru(json!({"maxUnavailable": 0}))),
                Some(json!({"cat": {"maxUnavailable": "25%", "maxSurge": null}})),
            ),
        ];
        for (name, vertex, record, ch, effect, vertex_after, record_after) in rows {
            let pl = pipeline(json!([vertex]), record);
            let p = set_strategy(Kind::Pipeline, &pl, &keys(&["cat"]), &ch).unwrap();
            assert_eq!(p.outcome[0].effect, effect, "{name}");
            assert_eq!(p.after.data["spec"]["vertices"][0], vertex_after, "{name}");
            assert_eq!(rec(&p.after), record_after, "{name}");
        }
    }

    #[test]
    fn a_surge_does_not_release_a_zero_max_unavailable() {
        let pl = pipeline(
            json!([named(ru(json!({"maxUnavailable": 1, "maxSurge": 2})))]),
            None,
        );
        let err = set_strategy(
            Kind::Pipeline,
            &pl,
            &keys(&["cat"]),
            &change(Some("0"), None),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "vertex/p-cat: maxUnavailable 0 (Numaflow's controller ignores maxSurge) would hold \
every rollout: use `kubectl numa rollout pause vertex/p-cat` for that"
        );
    }

    #[test]
    fn set_strategy_refuses_a_zero_step() {
        assert!(change(Some("0"), Some("0%")).check().is_err());
        assert!(change(Some("0%"), Some("1")).check().is_ok());
        assert!(
            change(Some("0"), None).check().is_ok(),
            "depends on the spec"
        );
        for (vertex, record, ch) in [
            (json!({"name": "cat"}), None, change(Some("0"), None)),
            (
                named(ru(json!({"maxUnavailable": 1, "maxSurge": 0}))),
                None,
                change(Some("0%"), None),
            ),
            (
                named(ru(json!({"maxUnavailable": 0}))),
                Some(r#"{"cat":{"maxUnavailable":"25%","maxSurge":null}}"#),
                change(Some("0"), None),
            ),
            // Numaflow's controller reads no maxSurge: a surge moves nothing.
            (json!({"name": "cat"}), None, change(Some("0"), Some("1"))),
            (
                named(ru(json!({"maxUnavailable": 2, "maxSurge": "50%"}))),
                None,
                change(Some("0%"), None),
            ),
        ] {
            let pl = pipeline(json!([vertex]), record);
            let err = set_strategy(Kind::Pipeline, &pl, &keys(&["cat"]), &ch).unwrap_err();
            assert!(err.is::<UsageError>(), "{err}");
            assert!(
                err.to_string()
                    .contains("would hold every rollout: use `kubectl numa rollout pause vertex/p-cat` for that"),
                "{err}"
            );
        }
    }

    #[test]
    fn bad_shapes_are_errors_naming_the_workload() {
        let pl = pipeline(json!([{"name": "cat", "updateStrategy": "fast"}]), None);
        let err = pause(Kind::Pipeline, &pl, &keys(&["cat"])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "vertex/p-cat: spec updateStrategy is not an object; fix the spec first"
        );
        // Any string type rolls as RollingUpdate upstream; a number does not decode.
        let recreate = pipeline(
            json!([{"name": "cat", "updateStrategy": {"type": "Recreate"}}]),
            None,
        );
        assert!(pause(Kind::Pipeline, &recreate, &keys(&["cat"])).is_ok());
        for (t, shown) in [(json!(5), "5"), (json!({"a": 1}), r#"{"a":1}"#)] {
            let pl = pipeline(
                json!([{"name": "cat", "updateStrategy": {"type": t}}]),
                None,
            );
            let change = StrategyChange {
                max_unavailable: Some(IntOrPercent::Int(2)),
                max_surge: None,
            };
            for err in [
                pause(Kind::Pipeline, &pl, &keys(&["cat"])).unwrap_err(),
                set_strategy(Kind::Pipeline, &pl, &keys(&["cat"]), &change).unwrap_err(),
            ] {
                assert_eq!(
                    err.to_string(),
                    format!(
                        "vertex/p-cat: updateStrategy type {shown} is not a string, so the \
                         controller cannot read this spec; fix it first (nothing was changed)"
                    )
                );
            }
        }
        let pl = pipeline(json!([{"name": "cat"}]), Some("garbage"));
        assert!(pause(Kind::Pipeline, &pl, &keys(&["cat"]))
            .unwrap_err()
            .to_string()
            .contains(PAUSE_ANNOTATION));
    }

    #[test]
    fn a_monovertex_uses_the_empty_key() {
        let m: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "MonoVertex",
            "metadata": {"name": "m"}, "spec": {"replicas": 2},
        }))
        .unwrap();
        let p = pause(Kind::MonoVertex, &m, &keys(&[""])).unwrap();
        assert_eq!(
            p.after.data["spec"],
            json!({"replicas": 2, "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}})
        );
        assert_eq!(
            rec(&p.after),
            Some(
                json!({"": {"maxUnavailable": null, "maxSurge": null, "created": "updateStrategy"}})
            )
        );
        assert!(is_paused(Kind::MonoVertex, &p.after, ""));
        let r = resume(Kind::MonoVertex, &p.after, &keys(&[""])).unwrap();
        assert_eq!(r.after.data, m.data);
        assert_eq!(r.after.metadata.annotations, None);
    }

    #[test]
    fn view_shows_defaults_and_what_resume_restores() {
        let pl = pipeline(json!([{"name": "cat"}]), None);
        let v = view(Kind::Pipeline, &pl, "cat").unwrap();
        assert!(!v.paused);
        assert_eq!(
            v.current.effective_max_unavailable(),
            Some(DEFAULT_MAX_UNAVAILABLE)
        );
        assert_eq!(
            describe_field(&v.current.max_unavailable, Some(DEFAULT_MAX_UNAVAILABLE)),
            "25% (default)"
        );
        assert_eq!(describe_field(&v.current.max_surge, None), "not set");
        let paused = pause(
            Kind::Pipeline,
            &pipeline(json!([named(ru(json!({"maxUnavailable": "50%"})))]), None),
            &keys(&["cat"]),
        )
        .unwrap()
        .after;
        let v = view(Kind::Pipeline, &paused, "cat").unwrap();
        assert!(v.paused);
        assert_eq!(v.current.max_unavailable, Field::Set(IntOrPercent::Int(0)));
        assert_eq!(
            v.on_resume.unwrap().max_unavailable,
            Field::Set(IntOrPercent::Percent(50))
        );
    }

    /// A deterministic generator (64-bit LCG), enough to vary strategies widely.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    fn value(g: &mut Lcg) -> Option<Value> {
        [
            None,
            Some(json!(0)),
            Some(json!(1)),
            Some(json!(7)),
            Some(json!("0%")),
            Some(json!("25%")),
            Some(json!("100%")),
            Some(json!("2")),
            Some(json!(true)),
        ][g.next(9)]
        .clone()
    }

    /// A random vertex definition: any mix of absent / present strategy objects,
    /// values (valid, zero, invalid) and unrelated fields.
    fn strategy_def(g: &mut Lcg, name: &str) -> Value {
        let mut def = json!({"name": name, "replicas": g.next(5)});
        match g.next(4) {
            0 => {}
            1 => def["updateStrategy"] = json!({}),
            2 => def["updateStrategy"] = json!({"type": "RollingUpdate"}),
            _ => {
                let mut ru = Map::new();
                if let Some(v) = value(g) {
                    ru.insert("maxUnavailable".into(), v);
                }
                if let Some(v) = value(g) {
                    ru.insert("maxSurge".into(), v);
                }
                if g.next(4) == 0 {
                    ru.insert("future".into(), json!("kept"));
                }
                let mut us = json!({"rollingUpdate": ru});
                if g.next(2) == 0 {
                    us["type"] = json!("RollingUpdate");
                }
                def["updateStrategy"] = us;
            }
        }
        def
    }

    #[test]
    fn pause_then_resume_restores_any_strategy_exactly() {
        let mut g = Lcg(0x5eed);
        for round in 0..5_000 {
            let n = 1 + g.next(4);
            let names: Vec<String> = (0..n).map(|i| format!("v{i}")).collect();
            let defs: Vec<Value> = names.iter().map(|nm| strategy_def(&mut g, nm)).collect();
            let pl = pipeline(json!(defs), None);
            // Pause a random non-empty subset (sometimes twice), then resume it.
            let subset: Vec<String> = names.iter().filter(|_| g.next(3) > 0).cloned().collect();
            let subset = if subset.is_empty() {
                names.clone()
            } else {
                subset
            };
            let mut paused = pause(Kind::Pipeline, &pl, &subset).unwrap().after;
            if g.next(2) == 0 {
                let again = pause(Kind::Pipeline, &paused, &subset).unwrap();
                assert!(
                    again.outcome.iter().all(|o| !o.effect.changed()),
                    "round {round}"
                );
                paused = again.after;
            }
            for key in &subset {
                let def = edit::workload_spec(Kind::Pipeline, &paused, key).unwrap();
                assert_eq!(
                    Strategy::from_spec(def).step(4),
                    Some(0),
                    "round {round}: {key} holds after pause: {def}"
                );
            }
            let resumed = resume(Kind::Pipeline, &paused, &subset).unwrap().after;
            assert_eq!(
                resumed.data, pl.data,
                "round {round}: pause+resume of {subset:?} changed the spec"
            );
            assert_eq!(
                resumed.metadata.annotations, pl.metadata.annotations,
                "round {round}: the record is gone"
            );
        }
    }
}
