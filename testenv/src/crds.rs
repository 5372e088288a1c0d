//! The Numaflow CRDs, written by this project in the shape of upstream's "minimal" CRDs:
//! `spec` and `status` preserve unknown fields, `status` and (for Vertex and MonoVertex)
//! `scale` subresources, upstream's short names and printer columns.

use std::time::Duration;

use anyhow::{bail, Result};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, Patch, PatchParams};
use kube::Client;
use serde_json::{json, Value};

use crate::names::{GROUP, VERSION};

/// Field manager used for everything the test world installs.
pub const FIELD_MANAGER: &str = "numa-testenv";

/// The three CRDs: Pipeline, Vertex, MonoVertex.
pub fn definitions() -> Vec<CustomResourceDefinition> {
    let replica_columns = [
        column("Desired", ".status.desiredReplicas", "string"),
        column("Current", ".status.replicas", "string"),
        column("Ready", ".status.readyReplicas", "string"),
    ];
    let tail = [
        column("Age", ".metadata.creationTimestamp", "date"),
        column("Reason", ".status.reason", "string"),
        column("Message", ".status.message", "string"),
    ];
    let scaled = |kind, plural, singular, short| {
        let mut cols = vec![column("Phase", ".status.phase", "string")];
        cols.extend(replica_columns.iter().cloned());
        cols.extend(tail.iter().cloned());
        crd(kind, plural, singular, short, cols, true)
    };
    vec![
        crd(
            "Pipeline",
            "pipelines",
            "pipeline",
            "pl",
            vec![
                column("Phase", ".status.phase", "string"),
                column("Message", ".status.message", "string"),
                column("Vertices", ".status.vertexCount", "integer"),
                column("Age", ".metadata.creationTimestamp", "date"),
            ],
            false,
        ),
        scaled("Vertex", "vertices", "vertex", "vtx"),
        scaled("MonoVertex", "monovertices", "monovertex", "mvtx"),
    ]
}

fn column(name: &str, path: &str, ty: &str) -> Value {
    json!({ "name": name, "jsonPath": path, "type": ty })
}

fn crd(
    kind: &str,
    plural: &str,
    singular: &str,
    short: &str,
    columns: Vec<Value>,
    scale: bool,
) -> CustomResourceDefinition {
    let mut subresources = json!({ "status": {} });
    if scale {
        subresources["scale"] = json!({
            "specReplicasPath": ".spec.replicas",
            "statusReplicasPath": ".status.replicas",
            "labelSelectorPath": ".status.selector",
        });
    }
    let open = json!({ "type": "object", "x-kubernetes-preserve-unknown-fields": true });
    serde_json::from_value(json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": { "name": format!("{plural}.{GROUP}") },
        "spec": {
            "group": GROUP,
            "scope": "Namespaced",
            "names": {
                "kind": kind, "listKind": format!("{kind}List"), "plural": plural,
                "singular": singular, "shortNames": [short],
            },
            "versions": [{
                "name": VERSION, "served": true, "storage": true,
                "additionalPrinterColumns": columns,
                "subresources": subresources,
                "schema": { "openAPIV3Schema": {
                    "type": "object",
                    "required": ["spec"],
                    "properties": {
                        "apiVersion": { "type": "string" },
                        "kind": { "type": "string" },
                        "metadata": { "type": "object" },
                        "spec": open,
                        "status": open,
                    },
                }},
            }],
        },
    }))
    .expect("CRD literal matches the CustomResourceDefinition type")
}

/// Applies the CRDs (server-side apply, so it is idempotent) and waits until each is
/// `Established`.
pub async fn install(client: &Client) -> Result<()> {
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    let pp = PatchParams::apply(FIELD_MANAGER).force();
    for crd in definitions() {
        let name = crd.metadata.name.clone().unwrap_or_default();
        api.patch(&name, &pp, &Patch::Apply(&crd)).await?;
        let established = kube::runtime::wait::conditions::is_crd_established();
        let wait = kube::runtime::wait::await_condition(api.clone(), &name, established);
        if tokio::time::timeout(Duration::from_secs(30), wait)
            .await
            .is_err()
        {
            bail!("CRD {name} not established after 30s");
        }
    }
    Ok(())
}
