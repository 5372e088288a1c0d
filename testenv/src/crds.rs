//! Numaflow's own CRDs, loaded from the files `scripts/testenv.sh install` copies out of
//! the Numaflow module: `full` (Numaflow's default install: structural schemas that prune
//! unknown fields and default others) or `minimal` (spec and status preserve unknown fields).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, ApiResource, Patch, PatchParams};
use kube::Client;

use crate::names::{GROUP, VERSION};

/// The API resource of a Numaflow kind: `Pipeline`, `Vertex`, `MonoVertex` or
/// `InterStepBufferService`.
pub fn resource(kind: &str) -> ApiResource {
    let plural = match kind {
        "Pipeline" => "pipelines",
        "Vertex" => "vertices",
        "MonoVertex" => "monovertices",
        "InterStepBufferService" => "interstepbufferservices",
        other => panic!("{other} is no Numaflow kind"),
    };
    ApiResource {
        group: GROUP.into(),
        version: VERSION.into(),
        api_version: format!("{GROUP}/{VERSION}"),
        kind: kind.into(),
        plural: plural.into(),
    }
}

/// Field manager used for everything the test world installs.
pub const FIELD_MANAGER: &str = "numa-testenv";

/// Applies the CRDs in `files` (server-side apply, so it is idempotent) and waits until
/// each is `Established`.
pub async fn install(client: &Client, files: &[PathBuf]) -> Result<()> {
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    let pp = PatchParams::apply(FIELD_MANAGER).force();
    let mut names = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        let crd: CustomResourceDefinition =
            serde_saphyr::from_str(&text).with_context(|| format!("parsing {}", file.display()))?;
        let name = crd.metadata.name.clone().unwrap_or_default();
        api.patch(&name, &pp, &Patch::Apply(&crd))
            .await
            .with_context(|| format!("applying {}", file.display()))?;
        names.push(name);
    }
    for name in names {
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
