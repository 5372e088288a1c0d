//! What the write commands print, with no I/O: one result line per target in the
//! style of `kubectl rollout pause` (`vertex/p-cat paused`), the changed fields of a
//! dry run, the strategy lines of `set strategy` without values, and the `-o json`
//! documents (documented in the README).

use serde_json::{json, Value};

use crate::rollout::diff::Change;
use crate::rollout::dry_run::DryRun;
use crate::rollout::edit::{self, Effect, Outcome};
use crate::rollout::image;
use crate::rollout::manager::{self, Manager};
use crate::rollout::owner::{Member, Owner};
use crate::rollout::pause::{self, describe_field, StrategyView};
use crate::rollout::strategy::{Field, Strategy, DEFAULT_MAX_UNAVAILABLE};
use crate::rollout::undo::{self, Undone};
use crate::target::Kind;
use kube::api::DynamicObject;
use kube::ResourceExt;

/// `-o` of the write commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WriteOutput {
    /// One JSON document per target (described in the README).
    Json,
    /// `kind/name` lines.
    Name,
}

/// The outcomes that belong to `member`.
pub fn outcomes_of<'a>(member: &Member, outcomes: &'a [Outcome]) -> Vec<&'a Outcome> {
    outcomes.iter().filter(|o| member.covers(&o.key)).collect()
}

/// The effect that stands for a target: the first change, else the first effect.
fn headline<'a>(outcomes: &[&'a Outcome]) -> Option<&'a Effect> {
    outcomes
        .iter()
        .find(|o| o.effect.changed())
        .or(outcomes.first())
        .map(|o| &o.effect)
}

/// `vertex/p-cat paused`, `pipeline/p paused (cat: already paused) (dry run)`.
/// Vertices of a pipeline target with another effect are listed in parentheses,
/// except those that lack the containers of a `set image`.
pub fn result_line(member: &Member, outcomes: &[&Outcome], dry_run: DryRun) -> String {
    let target = &member.target;
    let Some(head) = headline(outcomes) else {
        return format!("{target} has no vertices");
    };
    let others: Vec<String> = outcomes
        .iter()
        .filter(|o| o.effect.phrase() != head.phrase() && o.effect != Effect::NoSuchContainer)
        .map(|o| format!("{}: {}", o.key, o.effect))
        .collect();
    let mut line = format!("{target} {head}");
    if !others.is_empty() {
        line += &format!(" ({})", others.join("; "));
    }
    line + dry_run.suffix()
}

/// The lines of a dry run's changes: `- path: old` / `+ path: new`.
/// The revision history annotation is summarized, not printed.
pub fn change_lines(changes: &[Change]) -> Vec<String> {
    let history = crate::rollout::revision::HISTORY_ANNOTATION;
    let (recorded, changes): (Vec<&Change>, Vec<&Change>) =
        changes.iter().partition(|c| c.path.contains(history));
    changes
        .into_iter()
        .flat_map(|c| {
            c.to_string()
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .chain(
            (!recorded.is_empty())
                .then(|| format!("~ metadata.annotations[{history:?}]: revision recorded")),
        )
        .collect()
}

fn field_json(f: &Field) -> Value {
    match f {
        Field::Absent => Value::Null,
        Field::Set(v) => v.to_json(),
        Field::Invalid(v) => v.clone(),
    }
}

fn strategy_json(s: &Strategy) -> Value {
    json!({
        "maxUnavailable": field_json(&s.max_unavailable),
        "maxSurge": field_json(&s.max_surge),
        "effectiveMaxUnavailable": s.effective_max_unavailable().map(|v| v.to_json()),
    })
}

/// One workload of an owner as the write commands report it: its strategy, pause
/// state, what resume restores, and its images.
pub fn workload_json(kind: Kind, owner: &DynamicObject, key: &str) -> Value {
    let name = &owner.name_any();
    let (wkind, wname) = match kind {
        Kind::Pipeline => ("Vertex", format!("{name}-{key}")),
        _ => ("MonoVertex", name.to_string()),
    };
    let mut v = json!({"kind": wkind, "name": wname});
    if kind == Kind::Pipeline {
        v["vertex"] = json!(key);
    }
    if let Ok(view) = pause::view(kind, owner, key) {
        v["paused"] = json!(view.paused);
        v["strategy"] = strategy_json(&view.current);
        v["onResume"] = view.on_resume.as_ref().map_or(Value::Null, strategy_json);
    }
    if let Some(def) = edit::workload_spec(kind, owner, key) {
        v["images"] = Value::Object(image::images(def));
    }
    v
}

/// The `-o json` document of one target after a write.
pub fn target_json(
    owner: &Owner,
    object: &DynamicObject,
    member: &Member,
    outcomes: &[&Outcome],
    dry_run: DryRun,
    changes: &[Change],
) -> Value {
    let workloads: Vec<Value> = outcomes
        .iter()
        .map(|o| {
            let mut w = workload_json(owner.kind, object, &o.key);
            w["result"] = json!(o.effect.phrase());
            w["changed"] = json!(o.effect.changed());
            w
        })
        .collect();
    json!({
        "kind": member.target.kind.api_kind(),
        "name": member.target.name,
        "namespace": owner.namespace,
        "result": headline(outcomes).map(Effect::phrase),
        "changed": outcomes.iter().any(|o| o.effect.changed()),
        "dryRun": dry_run.json(),
        "owner": {
            "kind": owner.kind.api_kind(),
            "name": owner.name,
            "resourceVersion": object.metadata.resource_version,
        },
        "managedBy": manager::detect(&object.metadata),
        "workloads": workloads,
        "changes": changes.iter().map(|c| json!({"path": c.path, "old": c.old, "new": c.new})).collect::<Vec<_>>(),
    })
}

/// The `-o json` document of `rollout undo`: the revision restored, the one recorded,
/// and the pod-affecting spec written.
pub fn undo_json(
    member: &Member,
    owner: &Owner,
    undone: &Undone,
    written: &DynamicObject,
    managed_by: Option<&Manager>,
    dry_run: DryRun,
) -> Value {
    let spec = written.data.get("spec").unwrap_or(&Value::Null);
    json!({
        "target": member.target.to_string(), "owner": owner.to_string(), "namespace": owner.namespace,
        "restoredRevision": undone.from, "newRevision": undone.now,
        "dryRun": dry_run.json(), "managedBy": managed_by,
        "spec": undo::part(spec, member.vertex.as_deref()),
    })
}

/// The `-o json` document of one target for `set strategy` without values.
pub fn strategy_target_json(
    owner: &Owner,
    object: &DynamicObject,
    member: &Member,
    keys: &[String],
) -> Value {
    json!({
        "managedBy": manager::detect(&object.metadata),
        "kind": member.target.kind.api_kind(),
        "name": member.target.name,
        "namespace": owner.namespace,
        "owner": {
            "kind": owner.kind.api_kind(),
            "name": owner.name,
            "resourceVersion": object.metadata.resource_version,
        },
        "workloads": keys.iter().map(|k| workload_json(owner.kind, object, k)).collect::<Vec<_>>(),
    })
}

fn values(s: &Strategy) -> String {
    format!(
        "maxUnavailable {}, maxSurge {}",
        describe_field(&s.max_unavailable, Some(DEFAULT_MAX_UNAVAILABLE)),
        describe_field(&s.max_surge, None)
    )
}

/// One line of `set strategy` without values: `vertex/p-cat: maxUnavailable 25%
/// (default), maxSurge not set`, with what resume restores when paused.
pub fn strategy_line(label: &str, view: &StrategyView) -> String {
    if let (true, Some(r)) = (view.paused, &view.on_resume) {
        return format!(
            "{label}: paused by kubectl numa ({}); on resume: {}",
            values(&view.current),
            values(r)
        );
    }
    let held = view.current.step(1) == Some(0);
    format!(
        "{label}: {}{}",
        values(&view.current),
        if held { " (holds every rollout)" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollout::owner::member;

    fn out(key: &str, effect: Effect) -> Outcome {
        Outcome {
            key: key.into(),
            effect,
        }
    }

    #[test]
    fn result_lines() {
        let v = member(Kind::Vertex, "p-cat", Some("cat"));
        let p = member(Kind::Pipeline, "p", None);
        let paused = out("cat", Effect::Paused);
        let already = out("cat", Effect::AlreadyPaused);
        let in_paused = out("in", Effect::Paused);
        let no_udf = out("in", Effect::NoSuchContainer);
        let image = out(
            "cat",
            Effect::ImageUpdated {
                containers: vec!["udf".into()],
                paused: false,
            },
        );
        let cases: Vec<(&Member, Vec<&Outcome>, DryRun, &str)> = vec![
            (&v, vec![&paused], DryRun::None, "vertex/p-cat paused"),
            (
                &v,
                vec![&already],
                DryRun::None,
                "vertex/p-cat already paused",
            ),
            (
                &v,
                vec![&paused],
                DryRun::Client,
                "vertex/p-cat paused (dry run)",
            ),
            (
                &v,
                vec![&paused],
                DryRun::Server,
                "vertex/p-cat paused (server dry run)",
            ),
            (
                &p,
                vec![&in_paused, &already],
                DryRun::None,
                "pipeline/p paused (cat: already paused)",
            ),
            (
                &p,
                vec![&no_udf, &image],
                DryRun::None,
                "pipeline/p image updated",
            ),
            (&p, vec![], DryRun::None, "pipeline/p has no vertices"),
        ];
        for (m, o, d, want) in cases {
            assert_eq!(result_line(m, &o, d), want);
        }
    }

    #[test]
    fn strategy_lines() {
        let view = |spec: Value, record: Option<Value>| StrategyView {
            current: Strategy::from_spec(&spec),
            paused: record.is_some(),
            on_resume: record.map(|r| Strategy::from_spec(&r)),
        };
        assert_eq!(
            strategy_line("vertex/p-cat", &view(json!({}), None)),
            "vertex/p-cat: maxUnavailable 25% (default), maxSurge not set"
        );
        assert_eq!(
            strategy_line(
                "mvtx/m",
                &view(
                    json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": 2, "maxSurge": "10%"}}}),
                    None
                )
            ),
            "mvtx/m: maxUnavailable 2, maxSurge 10%"
        );
        assert_eq!(
            strategy_line(
                "vertex/p-cat",
                &view(
                    json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}}),
                    None
                )
            ),
            "vertex/p-cat: maxUnavailable 0, maxSurge not set (holds every rollout)"
        );
        assert_eq!(
            strategy_line(
                "vertex/p-cat",
                &view(
                    json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}}),
                    Some(json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": "50%"}}}))
                )
            ),
            "vertex/p-cat: paused by kubectl numa (maxUnavailable 0, maxSurge not set); on resume: maxUnavailable 50%, maxSurge not set"
        );
    }

    #[test]
    fn json_documents_describe_the_result() {
        let owner = Owner {
            kind: Kind::Pipeline,
            name: "p".into(),
            namespace: "ns".into(),
        };
        let obj: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
            "metadata": {"name": "p", "resourceVersion": "9",
                         "annotations": {pause::PAUSE_ANNOTATION: r#"{"cat":{"maxUnavailable":"25%","maxSurge":null}}"#}},
            "spec": {"vertices": [{"name": "cat", "udf": {"container": {"image": "cat:v1"}},
                                   "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}}]},
        }))
        .unwrap();
        let m = member(Kind::Vertex, "p-cat", Some("cat"));
        let o = out("cat", Effect::Paused);
        let changes = vec![Change {
            path: "spec.x".into(),
            old: None,
            new: Some(json!(0)),
        }];
        let doc = target_json(&owner, &obj, &m, &[&o], DryRun::Client, &changes);
        assert_eq!(
            doc,
            json!({
                "kind": "Vertex", "name": "p-cat", "namespace": "ns", "result": "paused",
                "changed": true, "dryRun": "client",
                "owner": {"kind": "Pipeline", "name": "p", "resourceVersion": "9"},
                "managedBy": null,
                "workloads": [{
                    "kind": "Vertex", "name": "p-cat", "vertex": "cat", "paused": true,
                    "result": "paused", "changed": true,
                    "strategy": {"maxUnavailable": 0, "maxSurge": null, "effectiveMaxUnavailable": 0},
                    "onResume": {"maxUnavailable": "25%", "maxSurge": null, "effectiveMaxUnavailable": "25%"},
                    "images": {"udf": "cat:v1"},
                }],
                "changes": [{"path": "spec.x", "old": null, "new": 0}],
            })
        );
    }
}
