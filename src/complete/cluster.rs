//! The reads behind a completion: object names and namespaces from the API server,
//! contexts from the kubeconfig. Every failure yields no names: a completion prints
//! no error and never makes the shell wait long (5 s per request unless the words
//! say `--request-timeout`).

use std::path::PathBuf;
use std::time::Duration;

use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, ListParams};
use kube::config::Kubeconfig;

use super::{Connection, Lookup};
use crate::api;
use crate::api::ConnectOptions;
use crate::cli::parse_duration;

/// How long one read may take when the words do not say.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// The names a lookup asks for, sorted; empty when they cannot be read.
pub fn names(lookup: &Lookup, conn: &Connection) -> Vec<String> {
    let mut names = match lookup {
        Lookup::Contexts { .. } => contexts(conn),
        Lookup::Namespaces { .. } | Lookup::Objects { .. } => {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return Vec::new();
            };
            runtime.block_on(read(lookup, conn)).unwrap_or_default()
        }
    };
    names.sort();
    names.dedup();
    names
}

async fn read(lookup: &Lookup, conn: &Connection) -> anyhow::Result<Vec<String>> {
    let kube = api::connect(options(conn)).await?;
    let params = ListParams::default();
    let list = match lookup {
        Lookup::Objects { kind, .. } => {
            let api = kube.numaflow(*kind, &kube.namespace);
            kube.call("list", api.list_metadata(&params)).await?
        }
        Lookup::Namespaces { .. } => {
            let api = Api::<Namespace>::all(kube.client.clone());
            let list = kube.call("list", api.list_metadata(&params)).await?;
            return Ok(list
                .items
                .into_iter()
                .filter_map(|n| n.metadata.name)
                .collect());
        }
        Lookup::Contexts { .. } => return Ok(contexts(conn)),
    };
    Ok(list
        .items
        .into_iter()
        .filter_map(|o| o.metadata.name)
        .collect())
}

/// The contexts of `--kubeconfig`, else of KUBECONFIG / `~/.kube/config`.
fn contexts(conn: &Connection) -> Vec<String> {
    let config = match conn.kubeconfig.as_deref() {
        Some(path) => Kubeconfig::read_from(expand_home(path)),
        None => Kubeconfig::read(),
    };
    config
        .map(|c| c.contexts.into_iter().map(|c| c.name).collect())
        .unwrap_or_default()
}

fn options(conn: &Connection) -> ConnectOptions {
    let request_timeout = conn
        .request_timeout
        .as_deref()
        .and_then(|s| parse_duration(s).ok())
        .filter(|d| !d.is_zero())
        .unwrap_or(DEFAULT_TIMEOUT);
    ConnectOptions {
        kubeconfig: conn.kubeconfig.as_deref().map(expand_home),
        context: conn.context.clone(),
        namespace: conn.namespace.clone(),
        request_timeout,
        // Completions print candidates only: never log, whatever the line says.
        verbosity: 0,
        ..ConnectOptions::default()
    }
}

/// The shell has not expanded `~` in the words it hands to a completion.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}
