//! `-v LEVEL` logging on standard error, in the spirit of kubectl's `-v`:
//!
//! - 1 and up: where the plugin connects (kubeconfig, context, server, namespace)
//!   and how it authenticates (the method only: `bearer token`, `client certificate
//!   <path>`, never a token, password or key);
//! - 6 and up: every API request with its status and latency
//!   (`GET https://…/apis/… 200 OK in 3 ms`). The request log wraps the kube client
//!   from outside: the client adds its credentials below it, so no header holding
//!   them is ever within its reach.
//!
//! Levels above 6 log what 6 logs. Lines start with `I` and the UTC time, like klog's.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use http::{Request, Response};
use k8s_openapi::jiff::Timestamp;
use kube::config::AuthInfo;
use tower::{Layer, Service};

/// Level from which connection facts are logged.
pub const CONNECTION: u8 = 1;
/// Level from which every request is logged.
pub const REQUESTS: u8 = 6;
/// Writes one log line to standard error.
pub fn line(msg: &str) {
    let now = Timestamp::now().strftime("%m%d %H:%M:%S%.6f");
    eprintln!("I{now} {msg}");
}

/// How `auth` authenticates, without any secret: the method and, for files and
/// commands, their path or name.
pub fn auth_method(auth: &AuthInfo) -> String {
    let mut ways = Vec::new();
    if auth.token.is_some() {
        ways.push("bearer token".to_string());
    }
    if let Some(f) = &auth.token_file {
        ways.push(format!("bearer token from file {f}"));
    }
    match (&auth.client_certificate, &auth.client_certificate_data) {
        (Some(path), _) => ways.push(format!("client certificate {path}")),
        (None, Some(_)) => ways.push("client certificate (inline)".to_string()),
        (None, None) => {}
    }
    if let Some(exec) = &auth.exec {
        let command = exec.command.as_deref().unwrap_or("?");
        ways.push(format!("exec plugin {command}"));
    }
    if let Some(p) = &auth.auth_provider {
        ways.push(format!("auth provider {}", p.name));
    }
    if auth.username.is_some() || auth.password.is_some() {
        ways.push("basic auth".to_string());
    }
    if ways.is_empty() {
        "no credentials".to_string()
    } else {
        ways.join(", ")
    }
}

/// The layer that logs requests at `level` (nothing below [`REQUESTS`]).
#[derive(Clone)]
pub struct RequestLog {
    /// The `-v` level.
    pub level: u8,
    /// Prefix of the logged paths (the API server address).
    pub server: String,
}

impl<S> Layer<S> for RequestLog {
    type Service = Logged<S>;

    fn layer(&self, inner: S) -> Logged<S> {
        Logged {
            inner,
            log: self.clone(),
        }
    }
}

/// A client service that logs each request it passes on.
#[derive(Clone)]
pub struct Logged<S> {
    inner: S,
    log: RequestLog,
}

impl<S, B, RB> Service<Request<B>> for Logged<S>
where
    S: Service<Request<B>, Response = Response<RB>>,
    S::Future: Send + 'static,
    S::Error: std::fmt::Display,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        if self.log.level < REQUESTS {
            return Box::pin(self.inner.call(req));
        }
        let what = format!("{} {}{}", req.method(), self.log.server, req.uri());
        let start = Instant::now();
        let fut = self.inner.call(req);
        Box::pin(async move {
            let result = fut.await;
            let ms = start.elapsed().as_millis();
            match &result {
                Ok(res) => line(&format!("{what} {} in {ms} ms", res.status())),
                Err(e) => line(&format!("{what} failed after {ms} ms: {e}")),
            }
            result
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::config::{AuthProviderConfig, ExecConfig};

    #[test]
    fn auth_methods_name_no_secret() {
        let token = AuthInfo {
            token: Some("s3cr3t-token".to_string().into()),
            ..AuthInfo::default()
        };
        let cert = AuthInfo {
            client_certificate: Some("/etc/c.crt".into()),
            client_key_data: Some("S3CR3T-KEY".to_string().into()),
            ..AuthInfo::default()
        };
        let inline = AuthInfo {
            client_certificate_data: Some("Q0VSVA==".into()),
            client_key_data: Some("S3CR3T-KEY".to_string().into()),
            token_file: Some("/var/run/token".into()),
            ..AuthInfo::default()
        };
        let exec: ExecConfig = serde_json::from_value(serde_json::json!({
            "apiVersion": "client.authentication.k8s.io/v1", "command": "aws",
            "args": ["--secret", "S3CR3T-ARG"],
        }))
        .unwrap();
        let others = AuthInfo {
            exec: Some(exec),
            auth_provider: Some(
                serde_json::from_value::<AuthProviderConfig>(serde_json::json!({
                    "name": "oidc", "config": {"id-token": "S3CR3T-ID"},
                }))
                .unwrap(),
            ),
            username: Some("admin".into()),
            password: Some("S3CR3T-PASS".to_string().into()),
            ..AuthInfo::default()
        };
        for (auth, want) in [
            (AuthInfo::default(), "no credentials"),
            (token, "bearer token"),
            (cert, "client certificate /etc/c.crt"),
            (
                inline,
                "bearer token from file /var/run/token, client certificate (inline)",
            ),
            (others, "exec plugin aws, auth provider oidc, basic auth"),
        ] {
            let got = auth_method(&auth);
            assert_eq!(got, want);
            assert!(!got.to_lowercase().contains("s3cr3t"), "{got}");
        }
    }
}
