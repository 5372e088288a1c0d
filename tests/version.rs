//! `kubectl numa version` against the real API server, and `--client` without any.

mod common;

use std::io::ErrorKind;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use common::*;

/// The commit the plugin was built from, as build.rs records it.
fn head_commit() -> String {
    Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn client_line() -> String {
    format!(
        "Client Version: v{} (commit {})\n",
        env!("CARGO_PKG_VERSION"),
        head_commit()
    )
}

#[tokio::test]
async fn prints_plugin_commit_and_server_versions() {
    let (ns, _client) = setup("version").await;
    let r = admin_expect(0, &ns, &["version"]).await;
    assert_eq!(
        r.stdout,
        format!(
            "{}Server Version: v{}\n",
            client_line(),
            testenv::controlplane::version("KUBERNETES_VERSION")
        ),
        "{r:?}"
    );
    assert_eq!(r.stderr, "", "{r:?}");
    let commit = head_commit();
    assert!(
        commit.len() == 12 && commit.bytes().all(|b| b.is_ascii_hexdigit()),
        "built from a git checkout, so the commit is known: {commit}"
    );
}

/// A kubeconfig whose server is `127.0.0.1:port`.
fn kubeconfig_for(port: u16) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "numa-version-{}-{port}.kubeconfig",
        std::process::id()
    ));
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:{port}
    insecure-skip-tls-verify: true
users:
- name: u
  user:
    token: t
contexts:
- name: x
  context:
    cluster: c
    user: u
current-context: x
"
        ),
    )
    .unwrap();
    path
}

#[tokio::test]
async fn client_flag_contacts_no_server() {
    // A listener that accepts nothing: any connection attempt would wait in its
    // backlog, where `accept` finds it.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let kubeconfig = kubeconfig_for(listener.local_addr().unwrap().port());
    let run_version = |args: &[&str]| {
        let mut cmd = Command::new(PLUGIN);
        cmd.arg("--kubeconfig")
            .arg(&kubeconfig)
            .args(args)
            .env_remove("KUBECONFIG");
        run(cmd)
    };

    // Waiting for this server would take the default --request-timeout, 30s.
    let r = run_version(&["version", "--client"]).await;
    assert_eq!(
        (r.code, r.stdout.clone(), r.stderr.as_str()),
        (0, client_line(), ""),
        "{r:?}"
    );
    assert!(r.took < Duration::from_secs(5), "fast: {r:?}");
    match listener.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        other => panic!("--client connected to the server: {other:?}"),
    }

    // Without --client it does connect (so the check above can see a connection),
    // gets no answer, and says so on stderr without failing.
    let r = run_version(&["--request-timeout", "2s", "version"]).await;
    assert_eq!((r.code, r.stdout.clone()), (0, client_line()), "{r:?}");
    assert!(
        r.stderr
            .starts_with("kubectl-numa: server version unavailable: "),
        "{r:?}"
    );
    assert!(listener.accept().is_ok(), "version connected to the server");

    // A closed port: refused at once, still exit 0.
    drop(listener);
    let r = run_version(&["version", "--client"]).await;
    assert_eq!((r.code, r.stdout.clone()), (0, client_line()), "{r:?}");
    std::fs::remove_file(&kubeconfig).unwrap();
}
