//! The InterStepBufferService every pipeline needs: `default`, a one-replica JetStream
//! service (Numaflow's controller makes a StatefulSet `isbsvc-default-js` of it and
//! reports the service healthy once that StatefulSet is ready).

use std::time::Duration;

use anyhow::{bail, Context, Result};
use kube::api::{Api, ApiResource, DynamicObject, PostParams};
use kube::runtime::wait::await_condition;
use kube::Client;
use serde_json::json;

use crate::names::{GROUP, VERSION};

/// Name of the service pipelines use when they name none.
pub const NAME: &str = "default";

/// How long the service may take to become healthy.
const HEALTHY_TIMEOUT: Duration = Duration::from_secs(60);

/// The InterStepBufferService API resource.
pub fn resource() -> ApiResource {
    crate::crds::resource("InterStepBufferService")
}

/// Creates InterStepBufferService `default` in `ns` and waits until it is healthy: phase
/// `Running` and condition `ChildrenResourcesHealthy` True.
pub async fn create_healthy(client: &Client, ns: &str) -> Result<()> {
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, &resource());
    let obj: DynamicObject = serde_json::from_value(json!({
        "apiVersion": format!("{GROUP}/{VERSION}"), "kind": "InterStepBufferService",
        "metadata": { "name": NAME, "namespace": ns },
        "spec": { "jetstream": { "version": "latest", "replicas": 1 } },
    }))?;
    api.create(&PostParams::default(), &obj)
        .await
        .context("creating it")?;
    let healthy = |o: Option<&DynamicObject>| {
        let Some(status) = o.map(|o| &o.data["status"]) else {
            return false;
        };
        let children = status["conditions"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c["type"] == "ChildrenResourcesHealthy" && c["status"] == "True");
        status["phase"] == "Running" && children
    };
    match tokio::time::timeout(HEALTHY_TIMEOUT, await_condition(api.clone(), NAME, healthy)).await {
        Ok(r) => r.map(drop).context("watching it"),
        Err(_) => {
            let status = api
                .get(NAME)
                .await
                .map(|o| o.data["status"].clone())
                .unwrap_or_default();
            bail!("not healthy after {HEALTHY_TIMEOUT:?}; status: {status}")
        }
    }
}
