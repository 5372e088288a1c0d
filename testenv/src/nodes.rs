//! The world's fake nodes: Node objects that kwok (`--manage-all-nodes`) plays the
//! kubelet of. Capacity is large so that scale tests never wait for room.

use anyhow::Result;
use k8s_openapi::api::core::v1::Node;
use kube::api::{Api, Patch, PatchParams};
use kube::Client;
use serde_json::json;

use crate::crds::FIELD_MANAGER;

/// Creates (or updates) nodes `kwok-node-0` .. `kwok-node-<n-1>`.
pub async fn install(client: &Client, n: usize) -> Result<()> {
    let api: Api<Node> = Api::all(client.clone());
    let pp = PatchParams::apply(FIELD_MANAGER).force();
    for i in 0..n {
        let name = format!("kwok-node-{i}");
        let capacity = json!({ "cpu": "1000", "memory": "4Ti", "pods": "20000" });
        let node = json!({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {
                "name": name,
                "annotations": { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
                "labels": { "type": "kwok", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64" },
            },
            "status": { "allocatable": capacity, "capacity": capacity },
        });
        api.patch(&name, &pp, &Patch::Apply(&node)).await?;
    }
    Ok(())
}
