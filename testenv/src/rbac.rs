//! Permissions of the test users: `viewer` may read Numaflow objects, pods and
//! namespaces; `nobody` gets nothing; `admin` is in `system:masters`.

use anyhow::Result;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding};
use kube::api::{Api, Patch, PatchParams};
use kube::Client;
use serde_json::json;

use crate::crds::FIELD_MANAGER;
use crate::names::GROUP;

/// Name of the read-only cluster role bound to `viewer`.
pub const VIEWER_ROLE: &str = "numa-viewer";

/// Creates (or updates) the viewer's ClusterRole and ClusterRoleBinding.
pub async fn install(client: &Client) -> Result<()> {
    let read = ["get", "list", "watch"];
    let role: ClusterRole = serde_json::from_value(json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": { "name": VIEWER_ROLE },
        "rules": [
            { "apiGroups": [GROUP], "resources": ["pipelines", "vertices", "monovertices"], "verbs": read },
            { "apiGroups": [""], "resources": ["pods", "namespaces"], "verbs": read },
        ],
    }))?;
    let binding: ClusterRoleBinding = serde_json::from_value(json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": { "name": VIEWER_ROLE },
        "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": VIEWER_ROLE },
        "subjects": [{ "apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "viewer" }],
    }))?;
    let pp = PatchParams::apply(FIELD_MANAGER).force();
    Api::<ClusterRole>::all(client.clone())
        .patch(VIEWER_ROLE, &pp, &Patch::Apply(&role))
        .await?;
    Api::<ClusterRoleBinding>::all(client.clone())
        .patch(VIEWER_ROLE, &pp, &Patch::Apply(&binding))
        .await?;
    Ok(())
}
