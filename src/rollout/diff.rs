//! Comparing an owner object before and after a plan, with no I/O: the JSON merge
//! patch (RFC 7386) that turns one into the other, and the changed fields as a list
//! of leaf paths for `--dry-run` and `-o json`.
//!
//! Only what a user edits is compared: every top-level field but `status`, plus
//! `metadata.labels` and `metadata.annotations`. A merge patch replaces arrays whole
//! (for example `spec.vertices` of a Pipeline), which is safe only because the write
//! path sends the patch with the `resourceVersion` it was computed from.

use std::fmt;

use kube::api::DynamicObject;
use serde_json::{Map, Value};

/// Top-level fields a patch never carries.
const SKIPPED: [&str; 4] = ["apiVersion", "kind", "metadata", "status"];
/// Metadata fields a patch may carry.
const METADATA: [&str; 2] = ["labels", "annotations"];

/// The merge-patch fragment turning `a` into `b` (`None`: no difference; a JSON
/// `null` removes the field).
fn patch_value(a: Option<&Value>, b: Option<&Value>) -> Option<Value> {
    match (a, b) {
        (a, b) if a == b => None,
        (_, None) => Some(Value::Null),
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut out = Map::new();
            for k in a.keys().chain(b.keys()) {
                if out.contains_key(k) {
                    continue;
                }
                if let Some(p) = patch_value(a.get(k), b.get(k)) {
                    out.insert(k.clone(), p);
                }
            }
            (!out.is_empty()).then_some(Value::Object(out))
        }
        (_, Some(b)) => Some(b.clone()),
    }
}

fn user_fields(obj: &DynamicObject) -> Map<String, Value> {
    let mut m: Map<String, Value> = obj
        .data
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !SKIPPED.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut meta = Map::new();
    if let Some(l) = &obj.metadata.labels {
        meta.insert("labels".into(), serde_json::to_value(l).unwrap_or_default());
    }
    if let Some(a) = &obj.metadata.annotations {
        meta.insert(
            "annotations".into(),
            serde_json::to_value(a).unwrap_or_default(),
        );
    }
    debug_assert!(meta.keys().all(|k| METADATA.contains(&k.as_str())));
    // Always present, so that removing the last annotation patches
    // `metadata.annotations: null`, never `metadata: null`.
    m.insert("metadata".into(), Value::Object(meta));
    m
}

/// The JSON merge patch turning `before` into `after`, `None` when they do not differ
/// in any field a user edits.
pub fn merge_patch(before: &DynamicObject, after: &DynamicObject) -> Option<Value> {
    let (a, b) = (
        Value::Object(user_fields(before)),
        Value::Object(user_fields(after)),
    );
    match patch_value(Some(&a), Some(&b)) {
        // Both are objects, so the fragment is an object too.
        Some(Value::Null) | None => None,
        p => p,
    }
}

/// One changed leaf field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Where: `spec.vertices[cat].updateStrategy.rollingUpdate.maxUnavailable`,
    /// `metadata.annotations["kubectl-numa.io/paused-strategy"]`.
    pub path: String,
    /// The value before; `None` when absent.
    pub old: Option<Value>,
    /// The value after; `None` when removed.
    pub new: Option<Value>,
}

impl fmt::Display for Change {
    /// `- path: old` and/or `+ path: new`, values as compact JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(old) = &self.old {
            write!(f, "- {}: {old}", self.path)?;
            if self.new.is_some() {
                writeln!(f)?;
            }
        }
        if let Some(new) = &self.new {
            write!(f, "+ {}: {new}", self.path)?;
        }
        Ok(())
    }
}

fn key_segment(path: &str, key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", Value::String(key.to_string())),
    }
}

/// Names of an array whose items are all objects with distinct string `name`s.
fn names(items: &[Value]) -> Option<Vec<&str>> {
    let names: Vec<&str> = items
        .iter()
        .map(|i| i.get("name").and_then(Value::as_str))
        .collect::<Option<_>>()?;
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    (sorted.len() == names.len()).then_some(names)
}

fn leaves(path: &str, v: &Value, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, v) in m {
                leaves(&key_segment(path, k), v, out);
            }
        }
        _ => out.push((path.to_string(), v.clone())),
    }
}

fn walk(path: &str, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<Change>) {
    if a == b {
        return;
    }
    match (a, b) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut seen = Vec::new();
            for k in a.keys().chain(b.keys()) {
                if !seen.contains(&k) {
                    seen.push(k);
                    walk(&key_segment(path, k), a.get(k), b.get(k), out);
                }
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => match (names(x), names(y)) {
            (Some(nx), Some(ny)) => {
                let mut order: Vec<&str> = nx.clone();
                order.extend(ny.iter().filter(|n| !nx.contains(n)));
                for n in order {
                    let find = |items: &'_ [Value], names: &[&str]| {
                        names.iter().position(|m| *m == n).map(|i| items[i].clone())
                    };
                    let (old, new) = (find(x, &nx), find(y, &ny));
                    walk(&format!("{path}[{n}]"), old.as_ref(), new.as_ref(), out);
                }
            }
            _ => out.push(Change {
                path: path.to_string(),
                old: a.cloned(),
                new: b.cloned(),
            }),
        },
        (Some(Value::Object(_)), None) => {
            let mut l = Vec::new();
            leaves(path, a.unwrap_or(&Value::Null), &mut l);
            out.extend(l.into_iter().map(|(path, v)| Change {
                path,
                old: Some(v),
                new: None,
            }));
        }
        (None, Some(Value::Object(_))) => {
            let mut l = Vec::new();
            leaves(path, b.unwrap_or(&Value::Null), &mut l);
            out.extend(l.into_iter().map(|(path, v)| Change {
                path,
                old: None,
                new: Some(v),
            }));
        }
        _ => out.push(Change {
            path: path.to_string(),
            old: a.cloned(),
            new: b.cloned(),
        }),
    }
}

/// The fields a user edits that differ between `before` and `after`, as leaves.
/// Arrays of objects with distinct names (vertices, containers, env) are compared
/// item by item by name; other arrays as whole values.
pub fn changes(before: &DynamicObject, after: &DynamicObject) -> Vec<Change> {
    let (a, b) = (
        Value::Object(user_fields(before)),
        Value::Object(user_fields(after)),
    );
    let mut out = Vec::new();
    walk("", Some(&a), Some(&b), &mut out);
    // `spec` first, metadata last: the change, then the bookkeeping.
    out.sort_by_key(|c| c.path.starts_with("metadata"));
    out
}

/// The fields `planned` sets that the server's answer `stored` does not have: a
/// structural schema prunes fields it does not know (Numaflow's full CRDs drop
/// `maxSurge`, for one). Defaults the server adds are not drops.
pub fn dropped(planned: &DynamicObject, stored: &DynamicObject) -> Vec<Change> {
    changes(planned, stored)
        .into_iter()
        .filter(|c| c.old.is_some() && c.new.is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn obj(v: Value) -> DynamicObject {
        let mut o = json!({"apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
                           "metadata": {"name": "p", "resourceVersion": "7"}});
        for (k, val) in v.as_object().unwrap() {
            if k == "metadata" {
                for (mk, mv) in val.as_object().unwrap() {
                    o["metadata"][mk] = mv.clone();
                }
            } else {
                o[k] = val.clone();
            }
        }
        serde_json::from_value(o).unwrap()
    }

    #[test]
    fn merge_patches() {
        let cases = [
            (
                "no change",
                json!({"spec": {"a": 1}}),
                json!({"spec": {"a": 1}}),
                None,
            ),
            (
                "status is never patched",
                json!({"spec": {"a": 1}, "status": {"x": 1}}),
                json!({"spec": {"a": 1}, "status": {"x": 2}}),
                None,
            ),
            (
                "a nested value",
                json!({"spec": {"a": {"b": 1, "c": 2}}}),
                json!({"spec": {"a": {"b": 2, "c": 2}}}),
                Some(json!({"spec": {"a": {"b": 2}}})),
            ),
            (
                "a removed field is null",
                json!({"spec": {"a": {"b": 1, "c": 2}}}),
                json!({"spec": {"a": {"c": 2}}}),
                Some(json!({"spec": {"a": {"b": null}}})),
            ),
            (
                "arrays are replaced whole",
                json!({"spec": {"vertices": [{"name": "a", "x": 1}, {"name": "b"}]}}),
                json!({"spec": {"vertices": [{"name": "a", "x": 2}, {"name": "b"}]}}),
                Some(json!({"spec": {"vertices": [{"name": "a", "x": 2}, {"name": "b"}]}})),
            ),
            (
                "annotations added and removed",
                json!({"metadata": {"annotations": {"k": "v", "old": "x"}}, "spec": {}}),
                json!({"metadata": {"annotations": {"k": "w"}}, "spec": {}}),
                Some(json!({"metadata": {"annotations": {"k": "w", "old": null}}})),
            ),
            (
                "the last annotation removed",
                json!({"metadata": {"annotations": {"k": "v"}}, "spec": {}}),
                json!({"spec": {}}),
                Some(json!({"metadata": {"annotations": null}})),
            ),
        ];
        for (name, a, b, want) in cases {
            assert_eq!(merge_patch(&obj(a), &obj(b)), want, "{name}");
        }
    }

    fn lines(a: Value, b: Value) -> Vec<String> {
        changes(&obj(a), &obj(b))
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn changes_are_leaves_with_readable_paths() {
        assert_eq!(
            lines(
                json!({"metadata": {"annotations": {"x": "1"}},
                       "spec": {"vertices": [{"name": "in"}, {"name": "cat", "updateStrategy": {"rollingUpdate": {"maxUnavailable": "25%"}}}]}}),
                json!({"metadata": {"annotations": {"x": "1", "kubectl-numa.io/paused-strategy": "{}"}},
                       "spec": {"vertices": [{"name": "in", "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}},
                                             {"name": "cat", "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}}]}}),
            ),
            [
                "+ spec.vertices[in].updateStrategy.rollingUpdate.maxUnavailable: 0",
                "- spec.vertices[cat].updateStrategy.rollingUpdate.maxUnavailable: \"25%\"\n+ spec.vertices[cat].updateStrategy.rollingUpdate.maxUnavailable: 0",
                "+ metadata.annotations[\"kubectl-numa.io/paused-strategy\"]: \"{}\"",
            ]
        );
        assert_eq!(
            lines(
                json!({"spec": {"sidecars": [{"name": "s", "image": "a"}], "args": ["x"], "gone": {"a": {"b": 1}}}}),
                json!({"spec": {"sidecars": [{"name": "s", "image": "b"}], "args": ["y"]}}),
            ),
            [
                "- spec.args: [\"x\"]\n+ spec.args: [\"y\"]",
                "- spec.gone.a.b: 1",
                "- spec.sidecars[s].image: \"a\"\n+ spec.sidecars[s].image: \"b\"",
            ]
        );
        assert!(lines(json!({"spec": {"a": 1}}), json!({"spec": {"a": 1}})).is_empty());
    }

    #[test]
    fn dropped_fields_are_the_planned_ones_the_server_did_not_keep() {
        let planned = obj(json!({"spec": {"vertices": [{"name": "cat",
            "updateStrategy": {"rollingUpdate": {"maxUnavailable": "50%", "maxSurge": 1}}}]}}));
        let stored = obj(json!({"spec": {"vertices": [{"name": "cat",
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "50%"}}}]}}));
        assert_eq!(
            dropped(&planned, &stored)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["- spec.vertices[cat].updateStrategy.rollingUpdate.maxSurge: 1"],
            "a pruned field is dropped; a defaulted `type` is not"
        );
        assert!(dropped(&planned, &planned).is_empty());
    }
}
