//! The HTTP client under the kube API: kube's own stack (base URI, retries of 429 /
//! 503 / 504, credentials, extra headers, rustls, connect / read / write timeouts),
//! built here so that connections set `TCP_NODELAY`.
//!
//! kube's default connector leaves Nagle's algorithm on. A TLS 1.3 client writes its
//! `Finished` message and the first request in two segments; Nagle holds the request
//! back until the server acknowledges `Finished`, and the server delays that ACK, so
//! every new connection paid about 40 ms before its first byte reached the API server
//! (measured: a single GET took 50 ms where curl took 14 ms). curl and Go's net/http,
//! and so kubectl, set `TCP_NODELAY`.
//!
//! A kubeconfig with a `proxy-url` goes to kube's default builder as before, which
//! says the build has no proxy support (kube's `http-proxy` and `socks5` features are
//! not enabled).

use std::time::Duration;

use anyhow::Result;
use hyper_timeout::TimeoutConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use kube::client::retry::RetryPolicy;
use kube::client::{Body, ClientBuilder, ConfigExt};
use kube::{Client, Config};
use tower::retry::RetryLayer;
use tower::{BoxError, ServiceBuilder};

use super::log::RequestLog;

/// A client for `config` whose requests pass through `log` first.
pub fn build(config: Config, log: RequestLog) -> Result<Client> {
    if config.proxy_url.is_some() {
        return Ok(ClientBuilder::try_from(config)?.with_layer(&log).build());
    }
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    http.set_connect_timeout(config.connect_timeout);
    http.set_keepalive(Some(Duration::from_secs(60)));
    let https = config.rustls_https_connector_with_connector(http)?;
    // kube's read and write timeouts: a watch on a connection that went silent fails
    // and is retried instead of waiting for ever.
    let mut timed = TimeoutConnector::new(https);
    timed.set_connect_timeout(config.connect_timeout);
    timed.set_read_timeout(config.read_timeout);
    timed.set_write_timeout(config.write_timeout);
    timed.set_reset_reader_on_write(config.reset_reader_on_write);
    let transport: hyper_util::client::legacy::Client<_, Body> =
        hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build(timed);
    let service = ServiceBuilder::new()
        .layer(log)
        .layer(config.base_uri_layer())
        .option_layer(
            config
                .default_retry
                .then(|| RetryLayer::new(RetryPolicy::server_retry())),
        )
        .option_layer(config.auth_layer()?)
        .layer(config.extra_headers_layer()?)
        .map_err(BoxError::from)
        .service(transport);
    Ok(Client::new(service, config.default_namespace))
}
