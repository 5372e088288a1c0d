//! Comparing an owner object before and after a plan, with no I/O: the JSON merge
//! patch (RFC 7386) that turns one into the other, and the changed fields as a list
//! of leaf paths for `--dry-run` and `-o json`.
//!
//! Only what a user edits is compared: every top-level field but `status`, plus
//! `metadata.labels` and `metadata.annotations`. These are also the *sections* a plan
//! reads, and [`guarded_patch`] writes them as a JSON Patch (RFC 6902) that the API
//! server applies only while each section still holds the value the plan saw: a status
//! write, a finalizer or any other field moving in between does not stop it, a change
//! to what the plan read does. A merge patch replaces arrays whole (for example
//! `spec.vertices` of a Pipeline), which is safe only because the write path sends it
//! with the `resourceVersion` it was computed from.

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

/// The sections of `obj` a plan reads and a write may change, as JSON Pointers with
/// their values (`None`: absent): every top-level field [`merge_patch`] compares, then
/// `/metadata/labels` and `/metadata/annotations`, always listed.
fn sections(obj: &DynamicObject) -> Vec<(String, Option<Value>)> {
    let fields = user_fields(obj);
    let mut out: Vec<(String, Option<Value>)> = fields
        .iter()
        .filter(|(k, _)| k.as_str() != "metadata")
        .map(|(k, v)| (format!("/{}", pointer_token(k)), Some(v.clone())))
        .collect();
    let meta = fields.get("metadata");
    for m in METADATA {
        let v = meta.and_then(|meta| meta.get(m)).cloned();
        out.push((format!("/metadata/{m}"), v));
    }
    out
}

/// A JSON Pointer reference token (RFC 6901): `~` as `~0`, `/` as `~1`.
fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The JSON Patch (RFC 6902) turning `before` into `after` that the API server applies
/// only to an object whose sections (see [`sections`]) all still hold what `before`
/// holds: first a `test` of each section as read (`null` for an absent one, which the
/// server's json-patch accepts for a missing member), then, for each section that
/// differs, an `add` of its new value (replacing it whole) or a `remove`. `None` when
/// nothing a user edits differs. Which sections moved when the server refuses the tests
/// is [`moved`].
pub fn guarded_patch(before: &DynamicObject, after: &DynamicObject) -> Option<Vec<Value>> {
    merge_patch(before, after)?;
    let (was, will) = (sections(before), sections(after));
    let mut ops: Vec<Value> = was
        .iter()
        .map(|(path, v)| serde_json::json!({"op": "test", "path": path, "value": v}))
        .collect();
    let mut paths: Vec<&String> = was.iter().map(|(p, _)| p).collect();
    for (p, _) in &will {
        if !paths.contains(&p) {
            paths.push(p);
        }
    }
    for path in paths {
        match (section(&was, path).cloned(), section(&will, path).cloned()) {
            (a, b) if a == b => {}
            (_, Some(v)) => ops.push(serde_json::json!({"op": "add", "path": path, "value": v})),
            (Some(_), None) => ops.push(serde_json::json!({"op": "remove", "path": path})),
            (None, None) => {}
        }
    }
    Some(ops)
}

/// The sections (see [`sections`]) that differ between two reads of an object, as
/// field paths (`spec`, `metadata.annotations`): what a refused [`guarded_patch`] met.
pub fn moved(before: &DynamicObject, now: &DynamicObject) -> Vec<String> {
    let (was, is) = (sections(before), sections(now));
    let mut out: Vec<String> = Vec::new();
    for (path, _) in was.iter().chain(&is) {
        let name = path.trim_start_matches('/').replace('/', ".");
        if section(&was, path) != section(&is, path) && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The value of the section at `path` in a [`sections`] list.
fn section<'a>(list: &'a [(String, Option<Value>)], path: &str) -> Option<&'a Value> {
    list.iter()
        .find(|(p, _)| p == path)
        .and_then(|(_, v)| v.as_ref())
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

    #[test]
    fn guarded_patches_test_every_section_read_and_replace_the_changed_ones() {
        let cases = [
            (
                "no change: nothing to send",
                json!({"spec": {"a": 1}}),
                json!({"spec": {"a": 1}, "status": {"phase": "Running"}}),
                None,
            ),
            (
                "a spec edit: absent labels and annotations are tested as null",
                json!({"spec": {"a": 1, "b": [1, 2]}}),
                json!({"spec": {"a": 2, "b": [1, 2]}}),
                Some(json!([
                    {"op": "test", "path": "/spec", "value": {"a": 1, "b": [1, 2]}},
                    {"op": "test", "path": "/metadata/labels", "value": null},
                    {"op": "test", "path": "/metadata/annotations", "value": null},
                    {"op": "add", "path": "/spec", "value": {"a": 2, "b": [1, 2]}},
                ])),
            ),
            (
                "a first annotation is added whole",
                json!({"spec": {}, "metadata": {"labels": {"l": "1"}}}),
                json!({"spec": {}, "metadata": {"labels": {"l": "1"}, "annotations": {"x": "y"}}}),
                Some(json!([
                    {"op": "test", "path": "/spec", "value": {}},
                    {"op": "test", "path": "/metadata/labels", "value": {"l": "1"}},
                    {"op": "test", "path": "/metadata/annotations", "value": null},
                    {"op": "add", "path": "/metadata/annotations", "value": {"x": "y"}},
                ])),
            ),
            (
                "the last annotation removed removes the map",
                json!({"spec": {}, "metadata": {"annotations": {"x": "y"}}}),
                json!({"spec": {}}),
                Some(json!([
                    {"op": "test", "path": "/spec", "value": {}},
                    {"op": "test", "path": "/metadata/labels", "value": null},
                    {"op": "test", "path": "/metadata/annotations", "value": {"x": "y"}},
                    {"op": "remove", "path": "/metadata/annotations"},
                ])),
            ),
            (
                "status, finalizers and resourceVersion are neither tested nor written",
                json!({"spec": {"a": 1}, "status": {"phase": "Running"},
                       "metadata": {"finalizers": ["f"]}}),
                json!({"spec": {"a": 2}, "status": {"phase": "Failed"},
                       "metadata": {"finalizers": [], "resourceVersion": "9"}}),
                Some(json!([
                    {"op": "test", "path": "/spec", "value": {"a": 1}},
                    {"op": "test", "path": "/metadata/labels", "value": null},
                    {"op": "test", "path": "/metadata/annotations", "value": null},
                    {"op": "add", "path": "/spec", "value": {"a": 2}},
                ])),
            ),
            (
                "a new top-level field is tested absent, then added",
                json!({"spec": {}}),
                json!({"spec": {}, "a/b~c": 1}),
                Some(json!([
                    {"op": "test", "path": "/spec", "value": {}},
                    {"op": "test", "path": "/metadata/labels", "value": null},
                    {"op": "test", "path": "/metadata/annotations", "value": null},
                    {"op": "add", "path": "/a~1b~0c", "value": 1},
                ])),
            ),
        ];
        for (name, before, after, want) in cases {
            let got = guarded_patch(&obj(before), &obj(after)).map(Value::Array);
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn moved_names_the_sections_that_differ() {
        let cases = [
            (
                "a status write moves nothing",
                json!({"spec": {"a": 1}}),
                json!({"spec": {"a": 1}, "status": {"phase": "Running"}}),
                vec![],
            ),
            (
                "a spec edit",
                json!({"spec": {"a": 1}}),
                json!({"spec": {"a": 2}}),
                vec!["spec"],
            ),
            (
                "an annotation and a label",
                json!({"spec": {}}),
                json!({"spec": {}, "metadata": {"annotations": {"x": "1"}, "labels": {"l": "1"}}}),
                vec!["metadata.labels", "metadata.annotations"],
            ),
            (
                "a finalizer is not a section",
                json!({"spec": {}}),
                json!({"spec": {}, "metadata": {"finalizers": ["f"]}}),
                vec![],
            ),
        ];
        for (name, a, b, want) in cases {
            assert_eq!(moved(&obj(a), &obj(b)), want, "{name}");
        }
    }
}
