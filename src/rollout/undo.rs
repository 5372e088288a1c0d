//! `rollout undo`'s plan: which recorded revision to restore and the object after it.
//! Undo restores only what changes pods; the restored content becomes the newest
//! revision ([`super::revision`]). Pure.

use anyhow::{anyhow, bail, Result};
use kube::api::DynamicObject;
use serde_json::Value;

use super::edit::Plan;
use super::revision::{self, content_hash, pod_part, vertex_entry, History, SpecKind};

/// What an undo restored.
#[derive(Debug, Clone, Copy)]
pub struct Undone {
    /// The revision restored.
    pub from: u64,
    /// The number it is recorded as now.
    pub now: u64,
}

/// What a target's undo restores of `spec`: one vertex's entry, or all of it.
pub fn part(spec: &Value, vertex: Option<&str>) -> Value {
    match vertex {
        Some(v) => vertex_entry(spec, v).cloned().unwrap_or(Value::Null),
        None => spec.clone(),
    }
}

/// The undo of `obj` (of owner kind `kind`; `vertex`: only that vertex's entry): record
/// the current spec if new, pick revision `to` (default: the newest whose pod-affecting
/// content differs from the current one), restore it, record it as the newest.
pub fn plan(
    kind: SpecKind,
    obj: &DynamicObject,
    vertex: Option<&str>,
    to: Option<u64>,
    cause: &str,
    now: &str,
) -> Result<Plan<Undone>> {
    let mut history = History::decode(obj.metadata.annotations.as_ref())?;
    let spec = obj.data.get("spec").cloned().unwrap_or(Value::Null);
    let current = pod_part(kind, &spec);
    history.record(
        &current,
        "(not recorded before: saved by rollout undo)",
        now,
    );
    let here = content_hash(&part(&current, vertex));
    let chosen = match to {
        Some(n) => {
            let r = history.get(n).ok_or_else(|| {
                anyhow!(
                    "revision {n} not found; recorded revisions: {}",
                    history.numbers()
                )
            })?;
            if content_hash(&part(&r.spec, vertex)) == here {
                bail!(
                    "revision {n} is the current spec; recorded revisions: {}",
                    history.numbers()
                );
            }
            r.clone()
        }
        None => history
            .revisions
            .iter()
            .rev()
            .find(|r| {
                content_hash(&part(&r.spec, vertex)) != here && part(&r.spec, vertex) != Value::Null
            })
            .cloned()
            .ok_or_else(|| {
                anyhow!(
                    "no previous revision to undo to; recorded revisions: {}",
                    history.numbers()
                )
            })?,
    };
    let restored = revision::restore(kind, &spec, &chosen.spec, vertex).map_err(|e| anyhow!(e))?;
    let mut after = obj.clone();
    after.data["spec"] = restored.clone();
    history.record(&pod_part(kind, &restored), cause, now);
    revision::store(
        &mut history,
        revision::limit(obj.metadata.annotations.as_ref()),
        &mut after,
    );
    let now_n = history.latest().map_or(0, |r| r.revision);
    Ok(Plan {
        after,
        outcome: Undone {
            from: chosen.revision,
            now: now_n,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(image: &str, history: Option<&History>) -> DynamicObject {
        let mut o: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
            "metadata": {"name": "p", "namespace": "ns", "resourceVersion": "1"},
            "spec": {"vertices": [
                {"name": "in", "replicas": 1, "source": {"udsource": {"container": {"image": "in:v1"}}}},
                {"name": "cat", "replicas": 4, "udf": {"container": {"image": image}}},
            ]},
        }))
        .unwrap();
        if let Some(h) = history {
            o.metadata.annotations =
                Some([(revision::HISTORY_ANNOTATION.to_string(), h.encode())].into());
        }
        o
    }

    fn history(images: &[&str]) -> History {
        let mut h = History::default();
        for i in images {
            h.record(
                &pod_part(SpecKind::Pipeline, &obj(i, None).data["spec"]),
                i,
                "t",
            );
        }
        h
    }

    fn image(o: &DynamicObject) -> &str {
        o.data["spec"]["vertices"][1]["udf"]["container"]["image"]
            .as_str()
            .unwrap()
    }

    #[test]
    fn undo_cases() {
        let h = history(&["cat:v1", "cat:v2", "cat:v3"]);
        let cur = obj("cat:v3", Some(&h));
        let p = plan(SpecKind::Pipeline, &cur, None, None, "undo", "t").unwrap();
        assert_eq!(
            (image(&p.after), p.outcome.from, p.outcome.now),
            ("cat:v2", 2, 4)
        );
        let p = plan(SpecKind::Pipeline, &cur, Some("cat"), Some(1), "undo", "t").unwrap();
        assert_eq!(
            (image(&p.after), p.outcome.from, p.outcome.now),
            ("cat:v1", 1, 4)
        );
        assert_eq!(p.after.data["spec"]["vertices"][1]["replicas"], 4);
        // An unrecorded current spec is saved first; "previous" is then the newest recorded.
        let p = plan(
            SpecKind::Pipeline,
            &obj("cat:v9", Some(&h)),
            None,
            None,
            "undo",
            "t",
        )
        .unwrap();
        assert_eq!((image(&p.after), p.outcome.from), ("cat:v3", 3));
        let after = History::decode(p.after.metadata.annotations.as_ref()).unwrap();
        assert_eq!(
            after
                .revisions
                .iter()
                .map(|r| r.revision)
                .collect::<Vec<_>>(),
            [1, 2, 4, 5]
        );

        for (o, to, want) in [
            (
                obj("cat:v3", Some(&h)),
                Some(7),
                "revision 7 not found; recorded revisions: 1, 2, 3",
            ),
            (
                obj("cat:v3", Some(&h)),
                Some(3),
                "revision 3 is the current spec; recorded revisions: 1, 2, 3",
            ),
            (
                obj("cat:v1", None),
                None,
                "no previous revision to undo to; recorded revisions: 1",
            ),
        ] {
            let err = plan(SpecKind::Pipeline, &o, None, to, "undo", "t").unwrap_err();
            assert_eq!(err.to_string(), want);
        }
        let mut bad = obj("cat:v3", None);
        bad.metadata.annotations = Some(
            [(
                revision::HISTORY_ANNOTATION.to_string(),
                "garbage".to_string(),
            )]
            .into(),
        );
        let err = plan(SpecKind::Pipeline, &bad, None, None, "undo", "t").unwrap_err();
        assert!(
            err.to_string()
                .contains("annotation kubectl-numa.io/revision-history cannot be read"),
            "{err}"
        );
    }
}
