//! The pod a Vertex or MonoVertex controller creates for one replica.

use std::collections::BTreeMap;

use anyhow::Context;
use k8s_openapi::api::core::v1::Pod;
use kube::api::DynamicObject;
use kube::ResourceExt;
use serde_json::{json, Map, Value};

use super::controller_ref;
use super::vertex::Kind;
use crate::names::{HASH_ANNOTATION, REPLICA_ANNOTATION};

/// Image of the Numaflow runtime container.
const NUMA_IMAGE: &str = "quay.io/numaproj/numaflow:v1.4.0";
/// The node every simulated pod is bound to (there is no scheduler).
const NODE_NAME: &str = "numa-sim-node";
/// User containers: the container name upstream gives each, and where its
/// definition sits in a Vertex or MonoVertex spec.
const USER_CONTAINERS: [(&str, &str); 5] = [
    ("udsource", "/source/udsource/container"),
    ("transformer", "/source/transformer/container"),
    ("udf", "/udf/container"),
    ("udsink", "/sink/udsink/container"),
    ("fb-udsink", "/sink/fallback/udsink/container"),
];
/// Fields copied from a user container definition into the pod's container.
const COPIED_FIELDS: [&str; 6] = [
    "image",
    "imagePullPolicy",
    "command",
    "args",
    "env",
    "resources",
];

/// The pod of replica `index` of `obj`, with pod spec hash `hash` and the given
/// labels. Named by the API server from `<object>-<index>-` plus 5 random characters.
pub(super) fn build(
    kind: Kind,
    obj: &DynamicObject,
    index: u32,
    hash: &str,
    labels: &BTreeMap<String, String>,
) -> anyhow::Result<Pod> {
    let null = Value::Null;
    let spec = obj.data.get("spec").unwrap_or(&null);
    let mut containers = vec![numa_container(kind, spec, index)];
    for (name, path) in USER_CONTAINERS {
        if let Some(def) = spec.pointer(path) {
            containers.push(user_container(name, def));
        }
    }
    containers.extend(list(spec, "sidecars"));
    let mut pod_spec = json!({ "nodeName": NODE_NAME, "containers": containers });
    let init = list(spec, "initContainers");
    if !init.is_empty() {
        pod_spec["initContainers"] = Value::Array(init);
    }

    let mut pod_labels = string_map(spec.pointer("/metadata/labels"));
    pod_labels.extend(labels.iter().map(|(k, v)| (k.clone(), json!(v))));
    let mut annotations = string_map(spec.pointer("/metadata/annotations"));
    annotations.insert(HASH_ANNOTATION.into(), json!(hash));
    annotations.insert(REPLICA_ANNOTATION.into(), json!(index.to_string()));
    let pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "generateName": format!("{}-{index}-", obj.name_any()),
            "namespace": obj.namespace(),
            "labels": pod_labels,
            "annotations": annotations,
            "ownerReferences": [controller_ref(obj, &kind.resource())],
        },
        "spec": pod_spec,
    });
    serde_json::from_value(pod).context("building the pod")
}

/// The `numa` runtime container; `spec.containerTemplate` adds resources and env.
fn numa_container(kind: Kind, spec: &Value, index: u32) -> Value {
    let args = match kind {
        Kind::MonoVertex => json!(["mono-vertex"]),
        Kind::Vertex => {
            let role = if spec.get("source").is_some() {
                "source"
            } else if spec.get("sink").is_some() {
                "sink"
            } else {
                "udf"
            };
            json!([
                "processor",
                format!("--type={role}"),
                "--isbsvc-type=jetstream"
            ])
        }
    };
    let field = |path: &str| json!({ "fieldRef": { "apiVersion": "v1", "fieldPath": path } });
    let mut env = vec![
        json!({ "name": "NUMAFLOW_NAMESPACE", "valueFrom": field("metadata.namespace") }),
        json!({ "name": "NUMAFLOW_POD", "valueFrom": field("metadata.name") }),
        json!({ "name": "NUMAFLOW_REPLICA", "value": index.to_string() }),
    ];
    let template = spec.get("containerTemplate");
    env.extend(template.map(|t| list(t, "env")).unwrap_or_default());
    let mut container = json!({ "name": "numa", "image": NUMA_IMAGE, "args": args, "env": env });
    if let Some(resources) = template.and_then(|t| t.get("resources")) {
        container["resources"] = resources.clone();
    }
    container
}

/// A user container named `name` from its definition in the spec.
fn user_container(name: &str, def: &Value) -> Value {
    let mut container = Map::new();
    container.insert("name".into(), json!(name));
    for field in COPIED_FIELDS {
        if let Some(v) = def.get(field) {
            container.insert(field.into(), v.clone());
        }
    }
    Value::Object(container)
}

fn list(v: &Value, field: &str) -> Vec<Value> {
    v.get(field)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn string_map(v: Option<&Value>) -> Map<String, Value> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter(|(_, v)| v.is_string())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::vertex_resource;

    #[test]
    fn containers_are_named_as_upstream_names_them() {
        let mut obj = DynamicObject::new("pl-v", &vertex_resource()).within("ns").data(json!({
            "spec": {
                "source": {
                    "udsource": { "container": { "image": "src:1", "env": [{"name": "A", "value": "1"}] } },
                    "transformer": { "container": { "image": "tr:1", "args": ["x"] } },
                },
                "sink": {
                    "udsink": { "container": { "image": "sink:1", "command": ["run"] } },
                    "fallback": { "udsink": { "container": { "image": "fb:1" } } },
                },
                "udf": { "container": { "image": "udf:1", "resources": {"limits": {"cpu": "1"}} } },
                "sidecars": [{ "name": "side", "image": "side:1" }],
                "initContainers": [{ "name": "init", "image": "init:1" }],
                "metadata": { "labels": { "team": "a" } },
            }
        }));
        obj.metadata.uid = Some("v-uid".into());
        let labels = BTreeMap::from([("k".to_string(), "v".to_string())]);
        let pod = build(Kind::Vertex, &obj, 2, "abc", &labels).unwrap();
        let spec = pod.spec.unwrap();
        let names: Vec<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "numa",
                "udsource",
                "transformer",
                "udf",
                "udsink",
                "fb-udsink",
                "side"
            ]
        );
        assert_eq!(spec.containers[0].image.as_deref(), Some(NUMA_IMAGE));
        assert_eq!(spec.containers[1].env.as_ref().unwrap()[0].name, "A");
        assert_eq!(spec.containers[2].args.as_ref().unwrap(), &["x"]);
        assert_eq!(spec.containers[4].command.as_ref().unwrap(), &["run"]);
        assert!(spec.containers[3].resources.is_some());
        assert_eq!(spec.init_containers.unwrap()[0].name, "init");
        assert_eq!(spec.node_name.as_deref(), Some(NODE_NAME));
        let meta = pod.metadata;
        assert_eq!(meta.generate_name.as_deref(), Some("pl-v-2-"));
        assert_eq!(meta.namespace.as_deref(), Some("ns"));
        let annotations = meta.annotations.unwrap();
        assert_eq!(annotations[HASH_ANNOTATION], "abc");
        assert_eq!(annotations[REPLICA_ANNOTATION], "2");
        let pod_labels = meta.labels.unwrap();
        assert_eq!(
            (pod_labels["k"].as_str(), pod_labels["team"].as_str()),
            ("v", "a")
        );
        let owner = &meta.owner_references.unwrap()[0];
        assert_eq!(
            (owner.kind.as_str(), owner.uid.as_str(), owner.controller),
            ("Vertex", "v-uid", Some(true))
        );
    }
}
