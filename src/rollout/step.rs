//! The plans of `rollout step`, computed over the owner object with no I/O.
//!
//! A step lets a paused workload's rollout move exactly N more pods with the stock
//! controller: the zero `maxUnavailable` of the pause is replaced with N (the pause
//! record stays), and as soon as the Vertex's `status.updatedReplicas` reaches the
//! goal, set back to 0. The controller replaces N pods per batch and only starts the
//! next batch once the whole batch is Ready, so the goal `updated + N` is reached in
//! one batch and the hold is back before a second one can start.
//!
//! The intent is recorded in the annotation `kubectl-numa.io/step` on the owner:
//! `{"<vertex name>": {"goal": G, "maxUnavailable": N}}` (`""` for a MonoVertex).
//! Whatever interrupts a step, the next `pause`, `resume` or `step` finds the record,
//! puts the zero step back and removes it ([`clear`]), so the workload ends paused.

use std::collections::BTreeMap;

use anyhow::{anyhow, Result};
use kube::api::DynamicObject;
use kube::ResourceExt;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::edit::{self, workload_label, Outcome, Plan};
use super::pause;
use crate::target::Kind;

/// Annotation holding the steps in flight.
pub const STEP_ANNOTATION: &str = "kubectl-numa.io/step";

/// One step in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The `status.updatedReplicas` the step ends at.
    pub goal: u32,
    /// The temporary `maxUnavailable` (the number of pods let through).
    #[serde(rename = "maxUnavailable")]
    pub max_unavailable: u32,
}

/// Steps in flight by workload key.
pub type Steps = BTreeMap<String, Step>;

/// Reads the steps in flight (none when there is no annotation).
pub fn decode(obj: &DynamicObject) -> Result<Steps> {
    match obj
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(STEP_ANNOTATION))
    {
        None => Ok(Steps::new()),
        Some(raw) => serde_json::from_str(raw).map_err(|e| {
            anyhow!(
                "annotation {STEP_ANNOTATION} cannot be read ({e}); remove it and run \
`kubectl numa rollout pause` to hold the target"
            )
        }),
    }
}

fn encode(steps: &Steps) -> Option<String> {
    (!steps.is_empty()).then(|| serde_json::to_string(steps).expect("steps serialize"))
}

fn set_max_unavailable(def: &mut serde_json::Map<String, Value>, v: Value) -> bool {
    match def
        .get_mut("updateStrategy")
        .and_then(|u| u.get_mut("rollingUpdate"))
        .and_then(Value::as_object_mut)
    {
        Some(ru) => {
            ru.insert("maxUnavailable".into(), v);
            true
        }
        None => false,
    }
}

/// Finishes the steps in flight of `keys`: the zero step is put back and their
/// record entries removed. Returns the object and the keys that were stepping.
pub fn clear(
    kind: Kind,
    owner: &DynamicObject,
    keys: &[String],
) -> Result<(DynamicObject, Vec<String>)> {
    let mut steps = decode(owner)?;
    let mut after = owner.clone();
    let mut cleared = Vec::new();
    for key in keys {
        if steps.remove(key).is_some() {
            let def = edit::workload_spec_mut(kind, &mut after, key)?;
            set_max_unavailable(def, json!(0));
            cleared.push(key.clone());
        }
    }
    if !cleared.is_empty() {
        edit::set_annotation(&mut after, STEP_ANNOTATION, encode(&steps));
    }
    Ok((after, cleared))
}

/// The plan that ends steps (`rollout step` when the goal is reached, interrupted or
/// timed out): outcome is the keys that were stepping.
pub fn finish(kind: Kind, owner: &DynamicObject, keys: &[String]) -> Result<Plan<Vec<String>>> {
    let (after, cleared) = clear(kind, owner, keys)?;
    Ok(Plan {
        after,
        outcome: cleared,
    })
}

/// The plan that starts steps: for each `(key, step)`, a step left in flight is
/// finished first, the workload must then be paused by the plugin, and its
/// `maxUnavailable` becomes `step.max_unavailable` with the intent recorded.
pub fn start(kind: Kind, owner: &DynamicObject, steps: &[(String, Step)]) -> Result<Plan<()>> {
    let keys: Vec<String> = steps.iter().map(|(k, _)| k.clone()).collect();
    let (mut after, _) = clear(kind, owner, &keys)?;
    let mut record = decode(&after)?;
    let name = owner.name_any();
    for (key, step) in steps {
        let label = workload_label(kind, &name, key);
        if !pause::is_paused(kind, &after, key) {
            return Err(anyhow!(
                "{label} is not paused by kubectl numa: run `kubectl numa rollout pause {label}` \
before the update, then step"
            ));
        }
        let def = edit::workload_spec_mut(kind, &mut after, key)?;
        if !set_max_unavailable(def, json!(step.max_unavailable)) {
            return Err(anyhow!(
                "{label}: spec updateStrategy.rollingUpdate is missing"
            ));
        }
        record.insert(key.clone(), *step);
    }
    edit::set_annotation(&mut after, STEP_ANNOTATION, encode(&record));
    Ok(Plan { after, outcome: () })
}

/// `rollout pause` with steps in flight finished first.
pub fn pause(kind: Kind, owner: &DynamicObject, keys: &[String]) -> Result<Plan<Vec<Outcome>>> {
    let (cleared, _) = clear(kind, owner, keys)?;
    pause::pause(kind, &cleared, keys)
}

/// `rollout resume` with steps in flight finished first (then resumed as usual).
pub fn resume(kind: Kind, owner: &DynamicObject, keys: &[String]) -> Result<Plan<Vec<Outcome>>> {
    let (cleared, _) = clear(kind, owner, keys)?;
    pause::resume(kind, &cleared, keys)
}

/// How many pods a step lets through: `--pods N`, or `--percent P` of `desired`
/// rounded up; never more than are left to update.
pub fn count(pods: Option<u32>, percent: Option<u32>, desired: u32, updated: u32) -> u32 {
    let n = match (pods, percent) {
        (Some(n), _) => n,
        (None, Some(p)) => (u64::from(p) * u64::from(desired)).div_ceil(100) as u32,
        (None, None) => 1,
    };
    n.min(desired.saturating_sub(updated))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipeline(mu: Value, annotations: Value) -> DynamicObject {
        serde_json::from_value(json!({
            "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
            "metadata": {"name": "p", "namespace": "ns", "resourceVersion": "1", "annotations": annotations},
            "spec": {"vertices": [{"name": "cat", "replicas": 10,
                "updateStrategy": {"rollingUpdate": {"maxUnavailable": mu}},
                "udf": {"container": {"image": "cat:v2"}}}]},
        }))
        .unwrap()
    }

    fn mu(o: &DynamicObject) -> &Value {
        &o.data["spec"]["vertices"][0]["updateStrategy"]["rollingUpdate"]["maxUnavailable"]
    }

    #[test]
    fn counts() {
        assert_eq!(count(Some(1), None, 10, 0), 1);
        assert_eq!(count(None, Some(50), 10, 1), 5);
        assert_eq!(count(None, Some(33), 10, 0), 4);
        assert_eq!(count(Some(5), None, 10, 8), 2);
        assert_eq!(count(Some(5), None, 10, 10), 0);
    }

    #[test]
    fn start_needs_a_pause_and_clear_restores_it() {
        let paused = pipeline(
            json!(0),
            json!({pause::PAUSE_ANNOTATION: r#"{"cat":{"maxUnavailable":"25%","maxSurge":null}}"#}),
        );
        let step = Step {
            goal: 1,
            max_unavailable: 1,
        };
        let p = start(Kind::Pipeline, &paused, &[("cat".into(), step)]).unwrap();
        assert_eq!(mu(&p.after), &json!(1));
        assert_eq!(decode(&p.after).unwrap()["cat"], step);
        assert!(pause::is_recorded(
            p.after.metadata.annotations.as_ref(),
            "cat"
        ));
        // Finishing puts the zero back and removes the step record; the pause stays.
        let f = finish(Kind::Pipeline, &p.after, &["cat".into()]).unwrap();
        assert_eq!(f.outcome, ["cat"]);
        assert_eq!(mu(&f.after), &json!(0));
        assert!(decode(&f.after).unwrap().is_empty());
        assert!(pause::is_paused(Kind::Pipeline, &f.after, "cat"));
        // An interrupted step: pause re-zeroes, resume restores the recorded values.
        let pz = pause(Kind::Pipeline, &p.after, &["cat".into()]).unwrap();
        assert_eq!(mu(&pz.after), &json!(0));
        assert!(pause::is_paused(Kind::Pipeline, &pz.after, "cat"));
        assert!(decode(&pz.after).unwrap().is_empty());
        let rs = resume(Kind::Pipeline, &p.after, &["cat".into()]).unwrap();
        assert_eq!(mu(&rs.after), &json!("25%"));
        assert!(decode(&rs.after).unwrap().is_empty());
        // A second step over an interrupted one starts from the zero step.
        let again = start(
            Kind::Pipeline,
            &p.after,
            &[(
                "cat".into(),
                Step {
                    goal: 6,
                    max_unavailable: 5,
                },
            )],
        )
        .unwrap();
        assert_eq!(mu(&again.after), &json!(5));
        // Not paused: refused.
        let err = start(
            Kind::Pipeline,
            &pipeline(json!(2), json!({})),
            &[("cat".into(), step)],
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("is not paused by kubectl numa"),
            "{err}"
        );
    }
}
