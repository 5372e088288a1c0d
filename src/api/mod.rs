//! Everything that talks to the API server: connecting ([`connect`]), reading a
//! target once ([`fetch`]), every workload at once ([`inventory`]), following targets
//! with watches ([`watch`]), finding the objects that own a target's durable spec
//! ([`owners`]) and changing them safely ([`write`](mod@write)), recording and restoring
//! revisions ([`history`], [`undo`]).

pub mod client;
pub mod fetch;
pub mod history;
pub mod inventory;
pub mod log;
pub mod owners;
pub mod paged;
pub mod pods;
pub mod store;
pub mod streamed;
pub mod undo;
pub mod watch;
pub mod write;

use std::future::Future;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use kube::api::{Api, ApiResource, DynamicObject};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

use crate::target::Kind;

/// Field manager name the plugin uses on every write.
pub const FIELD_MANAGER: &str = "kubectl-numa";

/// A connected client and the namespace commands default to.
#[derive(Clone)]
pub struct Kube {
    /// The client.
    pub client: Client,
    /// `-n`, else the context's namespace, else `default`.
    pub namespace: String,
    /// The API server address, for error messages (never credentials).
    pub server: String,
    /// `--request-timeout`; zero means none.
    pub request_timeout: Duration,
    /// `--chunk-size`: objects per page of a LIST; zero means one response.
    pub chunk_size: u32,
    /// `-v`: the log level (see [`log`]).
    pub verbosity: u8,
}

/// How to reach the cluster: what kubectl's connection flags say (`--kubeconfig`,
/// `--context`, `-n`, `--request-timeout`, `-v`), as plain values.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// The kubeconfig file; `None`: KUBECONFIG, then `~/.kube/config`, then in-cluster.
    pub kubeconfig: Option<std::path::PathBuf>,
    /// The context; `None`: the kubeconfig's current one.
    pub context: Option<String>,
    /// The namespace; `None`: the context's, else `default`.
    pub namespace: Option<String>,
    /// How long one request may take; zero means no limit.
    pub request_timeout: Duration,
    /// Log verbosity on stderr (see [`log`]).
    pub verbosity: u8,
    /// Objects per page of a LIST ([`paged`]); zero means one response.
    pub chunk_size: u32,
}

impl Default for ConnectOptions {
    /// What the command line gives when no flag is set, but no request timeout.
    fn default() -> Self {
        ConnectOptions {
            kubeconfig: None,
            context: None,
            namespace: None,
            request_timeout: Duration::ZERO,
            verbosity: 0,
            chunk_size: paged::DEFAULT_CHUNK_SIZE,
        }
    }
}

/// Builds a client: `--kubeconfig` / `--context`, else KUBECONFIG and
/// `~/.kube/config`, else the in-cluster service account.
pub async fn connect(args: impl Into<ConnectOptions>) -> Result<Kube> {
    let args: ConnectOptions = args.into();
    let opts = KubeConfigOptions {
        context: args.context.clone(),
        ..Default::default()
    };
    let mut config = match &args.kubeconfig {
        Some(path) => {
            let kc = Kubeconfig::read_from(path)
                .with_context(|| format!("reading kubeconfig {}", path.display()))?;
            Config::from_custom_kubeconfig(kc, &opts).await?
        }
        None if args.context.is_some() => Config::from_kubeconfig(&opts).await?,
        None => Config::infer()
            .await
            .map_err(|e| anyhow!("no cluster to talk to: {e}"))?,
    };
    if !args.request_timeout.is_zero() {
        config.connect_timeout = Some(args.request_timeout);
    }
    let namespace = args
        .namespace
        .clone()
        .unwrap_or_else(|| config.default_namespace.clone());
    let server = address(&config.cluster_url);
    if args.verbosity >= log::CONNECTION {
        let source = match (&args.kubeconfig, std::env::var_os("KUBECONFIG")) {
            (Some(path), _) => format!("kubeconfig {}", path.display()),
            (None, Some(env)) => format!("kubeconfig {} (KUBECONFIG)", env.to_string_lossy()),
            (None, None) => "kubeconfig ~/.kube/config or in-cluster".to_string(),
        };
        log::line(&format!(
            "{source}, context {}, server {server}, namespace {namespace}, auth: {}",
            args.context.as_deref().unwrap_or("(current)"),
            log::auth_method(&config.auth_info)
        ));
    }
    let layer = log::RequestLog {
        level: args.verbosity,
        server: server.clone(),
    };
    let client = client::build(config, layer)?;
    Ok(Kube {
        client,
        namespace,
        server,
        request_timeout: args.request_timeout,
        chunk_size: args.chunk_size,
        verbosity: args.verbosity,
    })
}

/// The API server's address for messages and logs: scheme, host, port and path, never
/// a `user:password@` a kubeconfig may carry in the URL.
fn address(url: &http::Uri) -> String {
    let host = url
        .authority()
        .map_or("", |a| a.as_str().rsplit('@').next().unwrap_or_default());
    let scheme = url.scheme_str().unwrap_or("https");
    format!("{scheme}://{host}{}", url.path().trim_end_matches('/'))
}

impl Kube {
    /// The API of a Numaflow kind in `namespace`.
    pub fn numaflow(&self, kind: Kind, namespace: &str) -> Api<DynamicObject> {
        Api::namespaced_with(self.client.clone(), namespace, &resource(kind))
    }

    /// Runs one request within `--request-timeout`, turning errors into one line that
    /// names what was asked (`what`, e.g. `get vertex "p-cat"`) and the server.
    pub async fn call<T>(
        &self,
        what: &str,
        fut: impl Future<Output = kube::Result<T>>,
    ) -> Result<T> {
        self.timed(what, fut)
            .await?
            .map_err(|e| describe(e, what, &self.server))
    }

    /// Runs one request within `--request-timeout` and hands back the kube result
    /// itself, for callers that act on particular API errors (a 409 conflict); only
    /// the timeout becomes an error here.
    pub async fn timed<T>(
        &self,
        what: &str,
        fut: impl Future<Output = kube::Result<T>>,
    ) -> Result<kube::Result<T>> {
        if self.request_timeout.is_zero() {
            return Ok(fut.await);
        }
        tokio::time::timeout(self.request_timeout, fut)
            .await
            .map_err(|_| {
                anyhow!(
                    "{what}: no answer from {} within {:?} (--request-timeout)",
                    self.server,
                    self.request_timeout
                )
            })
    }
}

/// One line for a kube error: the API's own message for API errors, the address tried
/// for transport errors. Never includes credentials.
pub fn describe(err: kube::Error, what: &str, server: &str) -> anyhow::Error {
    match err {
        kube::Error::Api(status) => anyhow!("{what}: {}", status.message),
        kube::Error::HyperError(_) | kube::Error::Service(_) => {
            anyhow!(
                "{what}: cannot reach the API server at {server}: {}",
                root_cause(&err)
            )
        }
        other => anyhow!("{what}: {}", root_cause(&other)),
    }
}

fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut msg = err.to_string();
    let mut src = err.source();
    while let Some(s) = src {
        let m = s.to_string();
        if !msg.contains(&m) {
            msg = format!("{msg}: {m}");
        }
        src = s.source();
    }
    msg
}

/// True when an error is the API's 404.
pub fn is_not_found(err: &kube::Error) -> bool {
    matches!(err, kube::Error::Api(s) if s.code == 404)
}

/// The API resource of a Numaflow kind.
pub fn resource(kind: Kind) -> ApiResource {
    ApiResource {
        group: "numaflow.numaproj.io".into(),
        version: "v1alpha1".into(),
        api_version: "numaflow.numaproj.io/v1alpha1".into(),
        kind: kind.api_kind().into(),
        plural: kind.plural().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_carry_no_credentials() {
        for (url, want) in [
            ("https://10.0.0.1:6443", "https://10.0.0.1:6443"),
            ("https://10.0.0.1:6443/", "https://10.0.0.1:6443"),
            (
                "https://api.example.com/k8s/clusters/c-1",
                "https://api.example.com/k8s/clusters/c-1",
            ),
            (
                "https://admin:s3cr3t@10.0.0.1:6443",
                "https://10.0.0.1:6443",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ] {
            assert_eq!(address(&url.parse().unwrap()), want, "{url}");
        }
    }
}
