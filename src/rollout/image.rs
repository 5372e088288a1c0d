//! `rollout set image`, with no I/O: parsing `CONTAINER=IMAGE`, the container names
//! Numaflow gives a workload's pods, and the plan that sets images in the owner.
//!
//! User containers are named as upstream names them: `udsource`, `transformer`,
//! `udf`, `udsink`, `fb-udsink` (the fallback sink); sidecars and init containers
//! keep their own names. `*` means every user container (not sidecars or init
//! containers).

use std::fmt;

use anyhow::{anyhow, Result};
use kube::api::DynamicObject;
use kube::ResourceExt;
use serde_json::{json, Value};

use super::edit::{self, workload_label, Effect, Outcome, Plan};
use super::pause;
use super::revision;
use crate::target::Kind;
use crate::usage::UsageError;

/// User containers: the name upstream gives each, and where its definition sits in a
/// vertex definition or a MonoVertex spec.
pub const USER_CONTAINERS: [(&str, &str); 5] = [
    ("udsource", "/source/udsource/container"),
    ("transformer", "/source/transformer/container"),
    ("udf", "/udf/container"),
    ("udsink", "/sink/udsink/container"),
    ("fb-udsink", "/sink/fallback/udsink/container"),
];

/// Which containers an assignment names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// `*`: every user container.
    All,
    /// One container by name.
    Named(String),
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::All => f.write_str("*"),
            Selector::Named(n) => f.write_str(n),
        }
    }
}

/// One `CONTAINER=IMAGE` argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The container(s).
    pub container: Selector,
    /// The new image.
    pub image: String,
}

fn is_dns_label(s: &str) -> bool {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    !s.is_empty()
        && s.len() <= 63
        && s.chars().all(|c| alnum(c) || c == '-')
        && s.starts_with(alnum)
        && s.ends_with(alnum)
}

impl Assignment {
    /// Parses `CONTAINER=IMAGE` (`*=IMAGE` for every user container).
    pub fn parse(arg: &str) -> Result<Self, UsageError> {
        let bad = |why: &str| {
            UsageError(format!(
                "invalid CONTAINER=IMAGE {arg:?}: {why} (for example udf=registry.example.com/my-udf:v2)"
            ))
        };
        let (c, image) = arg.split_once('=').ok_or_else(|| bad("no '='"))?;
        let container = match c {
            "*" => Selector::All,
            c if is_dns_label(c) => Selector::Named(c.to_string()),
            "" => return Err(bad("the container name is empty")),
            _ => return Err(bad("the container name must be a DNS label or *")),
        };
        if image.is_empty() {
            return Err(bad("the image is empty"));
        }
        if image
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '=')
        {
            return Err(bad(
                "the image contains a space, '=' or a control character",
            ));
        }
        Ok(Assignment {
            container,
            image: image.to_string(),
        })
    }
}

/// Splits `TARGET... CONTAINER=IMAGE...`: arguments with `=` are assignments and
/// must come after the targets; each container may be named once.
pub fn split_args(args: &[String]) -> Result<(Vec<String>, Vec<Assignment>), UsageError> {
    let first = args.iter().position(|a| a.contains('=')).ok_or_else(|| {
        UsageError(
            "name at least one CONTAINER=IMAGE after the targets (for example udf=registry.example.com/my-udf:v2)"
                .into(),
        )
    })?;
    let (targets, rest) = args.split_at(first);
    let mut out: Vec<Assignment> = Vec::new();
    for a in rest {
        if !a.contains('=') {
            return Err(UsageError(format!(
                "{a:?}: put the targets first and the CONTAINER=IMAGE pairs after them"
            )));
        }
        let asg = Assignment::parse(a)?;
        if out.iter().any(|o| o.container == asg.container) {
            return Err(UsageError(format!(
                "container {} is given more than once",
                asg.container
            )));
        }
        out.push(asg);
    }
    Ok((targets.to_vec(), out))
}

/// What a container is to the workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The user's code: udsource, transformer, udf, udsink, fb-udsink.
    User,
    /// An entry of `sidecars`.
    Sidecar,
    /// An entry of `initContainers`.
    Init,
}

/// One container of a workload definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Container {
    /// The container name in the pod.
    pub name: String,
    /// What it is.
    pub role: Role,
    /// JSON pointer to its definition, relative to the workload definition.
    pub pointer: String,
    /// Its image, when set.
    pub image: Option<String>,
}

impl fmt::Display for Container {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.role {
            Role::User => write!(f, "{}", self.name),
            Role::Sidecar => write!(f, "{} (sidecar)", self.name),
            Role::Init => write!(f, "{} (init container)", self.name),
        }
    }
}

/// The containers of a workload definition, in pod order (user containers, sidecars,
/// then init containers).
pub fn containers(def: &Value) -> Vec<Container> {
    let image = |v: &Value| v.get("image").and_then(Value::as_str).map(str::to_string);
    let mut out: Vec<Container> = USER_CONTAINERS
        .iter()
        .filter_map(|(name, ptr)| {
            def.pointer(ptr).map(|c| Container {
                name: name.to_string(),
                role: Role::User,
                pointer: ptr.to_string(),
                image: image(c),
            })
        })
        .collect();
    for (field, role) in [("sidecars", Role::Sidecar), ("initContainers", Role::Init)] {
        for (i, c) in def
            .get(field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(name) = c.get("name").and_then(Value::as_str) {
                out.push(Container {
                    name: name.to_string(),
                    role,
                    pointer: format!("/{field}/{i}"),
                    image: image(c),
                });
            }
        }
    }
    out
}

fn selects(a: &Assignment, c: &Container) -> bool {
    match &a.container {
        Selector::All => c.role == Role::User,
        Selector::Named(n) => n == &c.name,
    }
}

fn list(cs: &[Container]) -> String {
    if cs.is_empty() {
        return "none".into();
    }
    cs.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// [`set_images`], with the revisions before and after the change recorded in the same
/// patch (`cause`, at `now`) when the spec changes and `kind` holds revisions.
pub fn set_images_recorded(
    kind: Kind,
    obj: &DynamicObject,
    keys: &[String],
    assignments: &[Assignment],
    cause: &str,
    now: &str,
) -> Result<Plan<Vec<Outcome>>> {
    let mut plan = set_images(kind, obj, keys, assignments)?;
    if plan.after.data.get("spec") != obj.data.get("spec") {
        if let Some(owner) = revision::owner_of(kind) {
            revision::record_change(owner, obj, &mut plan.after, cause, now)?;
        }
    }
    Ok(plan)
}

/// `rollout set image`: sets the image of every selected container of each workload
/// in `keys`. A container named by no workload is an error listing the valid ones.
pub fn set_images(
    kind: Kind,
    owner: &DynamicObject,
    keys: &[String],
    assignments: &[Assignment],
) -> Result<Plan<Vec<Outcome>>> {
    let name = owner.name_any();
    let mut per_key = Vec::new();
    for key in keys {
        let def = edit::workload_spec(kind, owner, key).ok_or_else(|| {
            anyhow!(
                "{}: no definition in its owner",
                workload_label(kind, &name, key)
            )
        })?;
        per_key.push((key, containers(def)));
    }
    for a in assignments {
        if per_key
            .iter()
            .any(|(_, cs)| cs.iter().any(|c| selects(a, c)))
        {
            continue;
        }
        let what = match &a.container {
            Selector::All => {
                "user container (udsource, transformer, udf, udsink, fb-udsink)".to_string()
            }
            Selector::Named(n) => format!("container {n:?}"),
        };
        return Err(match per_key.as_slice() {
            [(key, cs)] => anyhow!(
                "{} has no {what}; its containers: {}",
                workload_label(kind, &name, key),
                list(cs)
            ),
            _ => anyhow!(
                "no vertex of pipeline/{name} has a {what}; containers: {}",
                per_key
                    .iter()
                    .map(|(k, cs)| format!("{k}: {}", list(cs)))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        });
    }
    let mut after = owner.clone();
    let mut outcomes = Vec::new();
    for (key, cs) in &per_key {
        let paused = edit::workload_spec(kind, owner, key).is_some_and(pause::holds_spec);
        let def = edit::workload_spec_mut(kind, &mut after, key)?;
        let mut def_value = Value::Object(std::mem::take(def));
        let mut changed = Vec::new();
        let mut selected = false;
        for c in cs {
            // A container named explicitly wins over `*`.
            let Some(a) = assignments
                .iter()
                .find(|a| a.container == Selector::Named(c.name.clone()))
                .or_else(|| assignments.iter().find(|a| selects(a, c)))
            else {
                continue;
            };
            selected = true;
            if c.image.as_deref() != Some(a.image.as_str()) {
                if let Some(slot) = def_value.pointer_mut(&c.pointer) {
                    slot["image"] = json!(a.image);
                    changed.push(c.name.clone());
                }
            }
        }
        *def = match def_value {
            Value::Object(m) => m,
            _ => unreachable!("taken from an object"),
        };
        let effect = match (selected, changed.is_empty()) {
            (false, _) => Effect::NoSuchContainer,
            (true, true) => Effect::ImageUnchanged,
            (true, false) => Effect::ImageUpdated {
                containers: changed,
                paused,
            },
        };
        outcomes.push(Outcome {
            key: key.to_string(),
            effect,
        });
    }
    Ok(Plan {
        after,
        outcome: outcomes,
    })
}

/// The images of a workload definition, by container name.
pub fn images(def: &Value) -> serde_json::Map<String, Value> {
    containers(def)
        .into_iter()
        .map(|c| (c.name, c.image.map_or(Value::Null, Value::String)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn assignments_parse() {
        for (arg, container, image) in [
            ("udf=cat:v2", Selector::Named("udf".into()), "cat:v2"),
            (
                "fb-udsink=registry.example.com:5000/team/sink@sha256:abc",
                Selector::Named("fb-udsink".into()),
                "registry.example.com:5000/team/sink@sha256:abc",
            ),
            ("*=x", Selector::All, "x"),
            ("log-2=busybox", Selector::Named("log-2".into()), "busybox"),
        ] {
            assert_eq!(
                Assignment::parse(arg).unwrap(),
                Assignment {
                    container,
                    image: image.into()
                },
                "{arg}"
            );
        }
    }

    #[test]
    fn bad_assignments_are_usage_errors_quoting_the_argument() {
        for (arg, why) in [
            ("udf", "no '='"),
            ("=img", "the container name is empty"),
            ("udf=", "the image is empty"),
            ("UDF=img", "the container name must be a DNS label or *"),
            ("-udf=img", "the container name must be a DNS label or *"),
            ("u_df=img", "the container name must be a DNS label or *"),
            ("**=img", "the container name must be a DNS label or *"),
            ("udf=a b", "the image contains a space"),
            ("udf=a=b", "the image contains a space, '='"),
        ] {
            let err = Assignment::parse(arg).unwrap_err();
            assert!(
                err.0
                    .starts_with(&format!("invalid CONTAINER=IMAGE {arg:?}: {why}")),
                "{arg}: {err}"
            );
        }
    }

    #[test]
    fn arguments_split_into_targets_and_assignments() {
        let (t, a) = split_args(&args("vertex/p-cat mvtx/m udf=x:1 udsink=y:2")).unwrap();
        assert_eq!(t, args("vertex/p-cat mvtx/m"));
        assert_eq!(a.len(), 2);
        let (t, a) = split_args(&args("vertex p-cat *=x")).unwrap();
        assert_eq!(
            (t, a[0].container.clone()),
            (args("vertex p-cat"), Selector::All)
        );
        for (input, msg) in [
            ("vertex/p-cat", "name at least one CONTAINER=IMAGE"),
            (
                "vertex/p-cat udf=x mvtx/m",
                "\"mvtx/m\": put the targets first",
            ),
            (
                "vertex/p-cat udf=x udf=y",
                "container udf is given more than once",
            ),
            ("vertex/p-cat udf=", "the image is empty"),
        ] {
            let err = split_args(&args(input)).unwrap_err();
            assert!(err.0.contains(msg), "{input}: {err}");
        }
    }

    fn def() -> Value {
        json!({
            "name": "cat",
            "source": {"udsource": {"container": {"image": "src:1"}},
                       "transformer": {"container": {"image": "tr:1"}}},
            "udf": {"container": {"image": "udf:1", "env": [{"name": "A", "value": "1"}]}},
            "sink": {"udsink": {"container": {"image": "sink:1"}},
                     "fallback": {"udsink": {"container": {"image": "fb:1"}}}},
            "sidecars": [{"name": "log", "image": "log:1"}],
            "initContainers": [{"name": "setup", "image": "setup:1"}],
        })
    }

    #[test]
    fn containers_are_named_as_numaflow_names_them() {
        let names: Vec<String> = containers(&def()).iter().map(ToString::to_string).collect();
        assert_eq!(
            names,
            [
                "udsource",
                "transformer",
                "udf",
                "udsink",
                "fb-udsink",
                "log (sidecar)",
                "setup (init container)"
            ]
        );
        assert_eq!(containers(&json!({"name": "x"})), vec![]);
    }

    fn pipeline(vertices: Value) -> DynamicObject {
        serde_json::from_value(json!({
            "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
            "metadata": {"name": "p"}, "spec": {"vertices": vertices},
        }))
        .unwrap()
    }

    fn keys(k: &[&str]) -> Vec<String> {
        k.iter().map(|s| s.to_string()).collect()
    }

    fn set(pl: &DynamicObject, k: &[&str], a: &str) -> Result<Plan<Vec<Outcome>>> {
        let (_, asg) = split_args(&args(&format!("x {a}"))).unwrap();
        set_images(Kind::Pipeline, pl, &keys(k), &asg)
    }

    #[test]
    fn images_are_set_where_the_containers_are() {
        let pl = pipeline(json!([def()]));
        let p = set(&pl, &["cat"], "udf=udf:2 log=log:2").unwrap();
        let v = &p.after.data["spec"]["vertices"][0];
        assert_eq!(v["udf"]["container"]["image"], "udf:2");
        assert_eq!(
            v["udf"]["container"]["env"][0]["name"], "A",
            "other fields kept"
        );
        assert_eq!(v["sidecars"][0]["image"], "log:2");
        assert_eq!(v["source"]["udsource"]["container"]["image"], "src:1");
        assert_eq!(
            p.outcome[0].effect,
            Effect::ImageUpdated {
                containers: keys(&["udf", "log"]),
                paused: false
            }
        );

        let p = set(&pl, &["cat"], "*=all:9 transformer=tr:3").unwrap();
        let v = &p.after.data["spec"]["vertices"][0];
        assert_eq!(images(v)["udsource"], "all:9");
        assert_eq!(
            images(v)["transformer"],
            "tr:3",
            "a named container wins over *"
        );
        assert_eq!(images(v)["fb-udsink"], "all:9");
        assert_eq!(images(v)["log"], "log:1", "* leaves sidecars alone");
        assert_eq!(
            images(v)["setup"],
            "setup:1",
            "* leaves init containers alone"
        );

        let p = set(&pl, &["cat"], "udf=udf:1").unwrap();
        assert_eq!(p.outcome[0].effect, Effect::ImageUnchanged);
        assert_eq!(p.after.data, pl.data);
    }

    #[test]
    fn a_pipeline_sets_each_vertex_that_has_the_container() {
        let pl = pipeline(json!([
            {"name": "in", "source": {"udsource": {"container": {"image": "in:1"}}}},
            {"name": "cat", "udf": {"container": {"image": "cat:1"}},
             "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}},
            {"name": "out", "sink": {"udsink": {"container": {"image": "out:1"}}}},
        ]));
        let p = set(&pl, &["in", "cat", "out"], "udf=cat:2").unwrap();
        let effects: Vec<Effect> = p.outcome.iter().map(|o| o.effect.clone()).collect();
        assert_eq!(
            effects,
            [
                Effect::NoSuchContainer,
                Effect::ImageUpdated {
                    containers: keys(&["udf"]),
                    paused: true
                },
                Effect::NoSuchContainer
            ]
        );
        assert_eq!(
            p.after.data["spec"]["vertices"][0],
            pl.data["spec"]["vertices"][0]
        );
        assert_eq!(
            p.after.data["spec"]["vertices"][2],
            pl.data["spec"]["vertices"][2]
        );
    }

    #[test]
    fn unknown_containers_list_the_valid_ones() {
        let pl = pipeline(json!([
            def(),
            {"name": "out", "sink": {"udsink": {"container": {"image": "out:1"}}}},
            {"name": "bare"},
        ]));
        let err = set(&pl, &["cat"], "udf=x main=y").unwrap_err();
        assert_eq!(
            err.to_string(),
            "vertex/p-cat has no container \"main\"; its containers: udsource, transformer, udf, udsink, fb-udsink, log (sidecar), setup (init container)"
        );
        let err = set(&pl, &["out", "bare"], "udf=x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "no vertex of pipeline/p has a container \"udf\"; containers: out: udsink; bare: none"
        );
        let err = set(&pl, &["bare"], "*=x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "vertex/p-bare has no user container (udsource, transformer, udf, udsink, fb-udsink); its containers: none"
        );
    }
}
