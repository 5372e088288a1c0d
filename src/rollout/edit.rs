//! What every write plan shares, with no I/O: where a workload's durable definition
//! sits inside the object that owns it, which workloads a write covers, and the
//! result a plan hands to the write path ([`Plan`], [`Outcome`]).
//!
//! The owner of a pipeline vertex is its Pipeline (`spec.vertices[i]`, matched by
//! `name`); the owner of a MonoVertex is the MonoVertex (`spec`). A Vertex spec is
//! never edited: the pipeline controller overwrites it.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::{anyhow, bail, Result};
use kube::api::DynamicObject;
use kube::ResourceExt;
use serde_json::{Map, Value};

use crate::target::Kind;

/// A computed change of one owner object: the object as it should be, and what the
/// plan did to each workload. `after` equal to the input means "nothing to write".
#[derive(Debug, Clone)]
pub struct Plan<T> {
    /// The owner object with the change applied.
    pub after: DynamicObject,
    /// What happened, per workload or as a whole.
    pub outcome: T,
}

/// What a write did to one workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The workload key: a vertex's short name, or `""` for a MonoVertex.
    pub key: String,
    /// The effect.
    pub effect: Effect,
}

/// The effect of a write verb on one workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The step was set to zero and the previous values recorded.
    Paused,
    /// The plugin's pause record exists and the step is zero: nothing to do.
    AlreadyPaused,
    /// The spec already holds a zero step that the plugin did not set.
    HeldBySpec,
    /// The recorded values were restored and the record removed.
    Resumed,
    /// Not paused: nothing to do.
    NotPaused,
    /// Not paused by the plugin: the spec sets a zero step itself.
    NotPausedBySpec,
    /// A pause record whose zero step someone else replaced: the record was dropped,
    /// the strategy left as it is.
    StaleRecordRemoved,
    /// The strategy changed; `paused` when the change went into the pause record.
    StrategyUpdated {
        /// Paused target: the recorded values changed, the zero step stays.
        paused: bool,
    },
    /// The strategy already had these values.
    StrategyUnchanged {
        /// Paused target (the comparison was with the recorded values).
        paused: bool,
    },
    /// Container images changed (container names, in spec order).
    ImageUpdated {
        /// Containers whose image changed.
        containers: Vec<String>,
        /// The workload is paused: the new rollout waits for resume.
        paused: bool,
    },
    /// Every selected container already runs the image.
    ImageUnchanged,
    /// The workload has none of the named containers (other vertices of the
    /// pipeline target do).
    NoSuchContainer,
}

impl Effect {
    /// Whether the effect changes the object.
    pub fn changed(&self) -> bool {
        matches!(
            self,
            Effect::Paused
                | Effect::Resumed
                | Effect::StaleRecordRemoved
                | Effect::StrategyUpdated { .. }
                | Effect::ImageUpdated { .. }
        )
    }

    /// The words after the target in a result line: `paused`, `already paused`, ...
    pub fn phrase(&self) -> &'static str {
        match self {
            Effect::Paused => "paused",
            Effect::AlreadyPaused => "already paused",
            Effect::HeldBySpec => "already paused (maxUnavailable is 0 in its spec)",
            Effect::Resumed => "resumed",
            Effect::NotPaused => "not paused",
            Effect::NotPausedBySpec => "not paused by kubectl numa (maxUnavailable is 0 in its spec; set a value with `kubectl numa rollout set strategy`)",
            Effect::StaleRecordRemoved => "not paused (its strategy was changed since the pause; removed the stale pause record)",
            Effect::StrategyUpdated { paused: false } => "strategy updated",
            Effect::StrategyUpdated { paused: true } => "strategy updated (paused: takes effect on resume)",
            Effect::StrategyUnchanged { paused: false } => "strategy unchanged",
            Effect::StrategyUnchanged { paused: true } => "strategy unchanged (paused)",
            Effect::ImageUpdated { paused: false, .. } => "image updated",
            Effect::ImageUpdated { paused: true, .. } => "image updated (paused: the rollout waits for `kubectl numa rollout resume`)",
            Effect::ImageUnchanged => "image unchanged",
            Effect::NoSuchContainer => "has none of these containers",
        }
    }
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.phrase())
    }
}

/// The label of a workload in messages: `vertex/p-cat` or `monovertex/m`.
pub fn workload_label(owner_kind: Kind, owner_name: &str, key: &str) -> String {
    match owner_kind {
        Kind::Pipeline => format!("vertex/{owner_name}-{key}"),
        _ => format!("monovertex/{owner_name}"),
    }
}

/// The workloads a write covers, in the owner's order: every vertex of the pipeline
/// when any `wanted` entry is `None` (a pipeline target), else the named vertices;
/// `[""]` for a MonoVertex. A named vertex missing from the spec is an error.
pub fn select_keys(
    owner_kind: Kind,
    owner: &DynamicObject,
    wanted: &[Option<String>],
) -> Result<Vec<String>> {
    if owner_kind != Kind::Pipeline {
        return Ok(vec![String::new()]);
    }
    let all = super::kinds::pipeline_vertex_names(owner);
    if wanted.iter().any(Option::is_none) {
        return Ok(all);
    }
    for w in wanted.iter().flatten() {
        if !all.contains(w) {
            bail!(
                "pipeline {:?} has no vertex {w:?} in spec.vertices (it has: {})",
                &owner.name_any(),
                all.join(", ")
            );
        }
    }
    Ok(all
        .into_iter()
        .filter(|n| wanted.iter().flatten().any(|w| w == n))
        .collect())
}

/// The definition of workload `key` inside the owner: `spec.vertices[i]` with that
/// name for a Pipeline, `spec` for a MonoVertex.
pub fn workload_spec<'a>(
    owner_kind: Kind,
    owner: &'a DynamicObject,
    key: &str,
) -> Option<&'a Value> {
    let spec = owner.data.get("spec")?;
    match owner_kind {
        Kind::Pipeline => spec
            .get("vertices")?
            .as_array()?
            .iter()
            .find(|v| v.get("name").and_then(Value::as_str) == Some(key)),
        _ => Some(spec),
    }
}

/// Mutable [`workload_spec`]; an error naming the workload when it is not an object.
pub fn workload_spec_mut<'a>(
    owner_kind: Kind,
    owner: &'a mut DynamicObject,
    key: &str,
) -> Result<&'a mut Map<String, Value>> {
    let label = workload_label(owner_kind, &owner.name_any(), key);
    let spec = owner.data.get_mut("spec");
    let def = match owner_kind {
        Kind::Pipeline => spec
            .and_then(|s| s.get_mut("vertices"))
            .and_then(Value::as_array_mut)
            .and_then(|vs| {
                vs.iter_mut()
                    .find(|v| v.get("name").and_then(Value::as_str) == Some(key))
            }),
        _ => spec,
    };
    def.and_then(Value::as_object_mut)
        .ok_or_else(|| anyhow!("{label}: its definition is missing or not an object"))
}

/// The owner's annotations (empty when it has none).
pub fn annotations(owner: &DynamicObject) -> BTreeMap<String, String> {
    owner.metadata.annotations.clone().unwrap_or_default()
}

/// Sets (`Some`) or removes (`None`) one annotation; an empty map becomes `None`.
pub fn set_annotation(owner: &mut DynamicObject, key: &str, value: Option<String>) {
    let mut all = annotations(owner);
    match value {
        Some(v) => {
            all.insert(key.to_string(), v);
        }
        None => {
            all.remove(key);
        }
    }
    owner.metadata.annotations = (!all.is_empty()).then_some(all);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pipeline(vertices: Value) -> DynamicObject {
        serde_json::from_value(json!({
            "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
            "metadata": {"name": "p", "namespace": "ns"},
            "spec": {"vertices": vertices},
        }))
        .unwrap()
    }

    #[test]
    fn keys_follow_the_pipeline_order() {
        let pl = pipeline(json!([{"name": "in"}, {"name": "cat"}, {"name": "out"}]));
        let some = |s: &str| Some(s.to_string());
        for (wanted, want) in [
            (vec![None], vec!["in", "cat", "out"]),
            (vec![some("out"), some("in")], vec!["in", "out"]),
            (vec![some("cat"), None], vec!["in", "cat", "out"]),
            (vec![some("cat"), some("cat")], vec!["cat"]),
        ] {
            assert_eq!(
                select_keys(Kind::Pipeline, &pl, &wanted).unwrap(),
                want,
                "{wanted:?}"
            );
        }
        let err = select_keys(Kind::Pipeline, &pl, &[some("dog")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"pipeline "p" has no vertex "dog" in spec.vertices (it has: in, cat, out)"#
        );
        assert_eq!(
            select_keys(Kind::MonoVertex, &pl, &[None]).unwrap(),
            vec![""]
        );
    }

    #[test]
    fn workload_definitions_are_found_by_name() {
        let mut pl =
            pipeline(json!([{"name": "in", "replicas": 1}, {"name": "cat", "replicas": 2}]));
        assert_eq!(
            workload_spec(Kind::Pipeline, &pl, "cat").unwrap()["replicas"],
            2
        );
        assert!(workload_spec(Kind::Pipeline, &pl, "dog").is_none());
        workload_spec_mut(Kind::Pipeline, &mut pl, "cat")
            .unwrap()
            .insert("replicas".into(), json!(5));
        assert_eq!(pl.data["spec"]["vertices"][1]["replicas"], 5);
        let err = workload_spec_mut(Kind::Pipeline, &mut pl, "dog").unwrap_err();
        assert_eq!(
            err.to_string(),
            "vertex/p-dog: its definition is missing or not an object"
        );
        let mut m = pl.clone();
        m.data["spec"] = json!({"replicas": 3});
        assert_eq!(
            workload_spec(Kind::MonoVertex, &m, "").unwrap()["replicas"],
            3
        );
    }

    #[test]
    fn annotations_are_set_and_removed() {
        let mut pl = pipeline(json!([]));
        set_annotation(&mut pl, "a", Some("1".into()));
        assert_eq!(annotations(&pl)["a"], "1");
        set_annotation(&mut pl, "a", None);
        assert_eq!(pl.metadata.annotations, None, "an empty map is dropped");
    }
}
