//! Faults: an API server that restarts, is unreachable or hangs; signals; and secrets
//! that must never reach the output.
//!
//! The tests that need a world start one of their own ([`world`]) instead of sharing the
//! binary's (`common::env()`): one of them kills and restarts its API server, which only
//! the test holding the `ControlPlane` can do, and a network namespace runs one world at
//! a time (Numaflow's controller binds fixed ports), so a shared world held until the
//! process exits would keep that test's world from ever starting. Their worlds take
//! turns on the world lock.

mod common;

use std::net::TcpListener;
use std::process::Command;
use std::time::Duration;

use common::*;
use testenv::{ControlPlane, User};

/// A world of the calling test's own (see the module docs), with the healthy
/// InterStepBufferService `default` in namespace `default`; stopped when dropped.
async fn world() -> (ControlPlane, kube::Client) {
    let plane = ControlPlane::start_world()
        .await
        .unwrap_or_else(|e| panic!("test world failed to start: {e:#}"));
    let client = plane.client(User::Admin).await.unwrap();
    testenv::isbsvc::create_healthy(&client, "default")
        .await
        .unwrap_or_else(|e| panic!("InterStepBufferService: {e:#}"));
    (plane, client)
}

fn plugin_cmd(kubeconfig: &std::path::Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(PLUGIN);
    cmd.arg("--kubeconfig")
        .arg(kubeconfig)
        .args(args)
        .env_remove("KUBECONFIG")
        .env("NO_COLOR", "1");
    cmd
}

/// Runs the plugin to its end; fails the test when it is still running after `within`
/// (a bound for a hung run only: what ends it is what the test checks).
async fn finish(cmd: Command, within: Duration) -> Run {
    Running::spawn(cmd).ended(within).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_and_get_watch_survive_an_api_server_restart() {
    let (mut plane, client) = world().await;
    let kc = plane.kubeconfig().to_path_buf();
    create_pipeline(
        &client,
        "default",
        "p",
        vec![udf("cat", 4, "example/cat:v1")],
    )
    .await;
    let first = finish(
        plugin_cmd(&kc, &["rollout", "status", "pipeline/p"]),
        Duration::from_secs(60),
    )
    .await;
    assert_eq!(first.code, 0, "{first:?}");

    // Pods of the new revision take 2.5 s to be ready, one at a time (maxUnavailable
    // 25% of 4): the rollout outlasts the outage.
    set_udf_image(&client, "default", "p", "cat", "example/cat:v2-delay-2500").await;
    let mut status = Running::spawn(plugin_cmd(
        &kc,
        &["rollout", "status", "pipeline/p", "--timeout", "120s"],
    ));
    let mut get = Running::spawn(plugin_cmd(
        &kc,
        &["rollout", "get", "vertex/p-cat", "--watch"],
    ));
    // Both watch the rollout in flight before the API server goes away.
    status
        .stdout
        .wait_line(
            "Waiting for vertex \"p-cat\" rollout to finish",
            Duration::from_secs(60),
        )
        .await;
    get.stdout
        .wait_line("vertex \"p-cat\" (namespace", Duration::from_secs(60))
        .await;
    assert!(
        status.is_running(),
        "status waits for the rollout: {:?}",
        status.so_far()
    );
    plane.kill_apiserver();
    // The outage under test: the API server stays away for 4 s, long enough for both
    // watches to lose their connection and retry (a sleep for the outage's length, not
    // to wait for anything).
    tokio::time::sleep(Duration::from_secs(4)).await;
    plane.restart_apiserver().await.unwrap();
    plane
        .ensure_running()
        .expect("every component of the world outlived the outage");
    // Numaflow's controller does not always come back from an API outage: seen here, with
    // every pod ready, its status stayed at "updatedReplicas 2, updatedReadyReplicas 1"
    // for good (no reconcile, not even on pod updates). In a cluster its pod would be
    // restarted; so it is here, and the plugin's watches are what this test tests.
    plane.restart_numaflow().await.unwrap();

    let r = match status.finish(Duration::from_secs(90)).await {
        Ok(r) => r,
        Err(hung) => {
            // What the cluster says now, to tell a stuck watch from a stuck controller.
            let pods = pods(&client, "default", "p", "cat").await;
            let states: Vec<String> = pods
                .iter()
                .map(|p| {
                    let ready = is_ready(p);
                    format!(
                        "{} ready={ready}",
                        p.metadata.name.clone().unwrap_or_default()
                    )
                })
                .collect();
            let v = numaflow(&client, "default", "Vertex")
                .get("p-cat")
                .await
                .ok();
            let one = plugin_cmd(&kc, &["rollout", "status", "vertex/p-cat", "--watch=false"])
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
            panic!(
                "status still running after 90 s: {hung:?}\npods now: {states:?}\nvertex status: {:?}\none-shot status: {one:?}",
                v.map(|v| v.data["status"].clone())
            );
        }
    };
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr.contains(&format!(
            "kubectl-numa: lost the watch on {}",
            plane.server()
        )),
        "says it retries: {r:?}"
    );
    assert!(r.stderr.contains("retrying..."), "{r:?}");
    assert!(
        r.stdout
            .ends_with("pipeline \"p\" successfully rolled out\n"),
        "{r:?}"
    );
    let lines: Vec<&str> = r.stdout.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        assert!(!lines[i + 1..].contains(l), "printed twice: {l:?}\n{r:?}");
    }
    // Every pod runs the new revision at the end: the final answer is right.
    let new = hashes(&pods(&client, "default", "p", "cat").await);
    assert_eq!(new.len(), 4);
    assert!(new.iter().all(|h| h == &new[0]));

    // get reconnects on its own schedule (at most 3 s between tries), and a restarted
    // API server may hold a custom resource's first watch for seconds while it sets
    // the resource up again: wait for get's last frame to show the final state.
    get.stdout
        .wait_for(
            "get's last frame to show the complete rollout",
            Duration::from_secs(60),
            |text| {
                text.rsplit("vertex \"p-cat\" (namespace")
                    .next()
                    .is_some_and(|last| last.contains("✔ Complete"))
            },
        )
        .await;
    assert!(get.is_running(), "get watches on: {:?}", get.so_far());
    let g = get.kill().await;
    assert!(
        g.stderr.contains("retrying..."),
        "get says it retries: {g:?}"
    );
}

/// An unreachable server (nothing listens on its port) ends every command with exit
/// 1 naming the address: a read at the refused connection (`status vertex/...` reads
/// the vertex before it watches), a watch, which retries, once the request timeout is
/// spent, as its message says. The messages tell which ended it; the test's own bound
/// only catches a hung run.
#[tokio::test]
async fn an_unreachable_server_fails_within_the_request_timeout() {
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kubeconfig");
    let token = "tok-NEVER-PRINT-1234567890";
    let server = format!("https://127.0.0.1:{closed}");
    std::fs::write(&kc, kubeconfig(&server, token, None)).unwrap();
    let refused = |what: &str| {
        format!("kubectl-numa: error: {what}: cannot reach the API server at {server}: ")
    };
    let timed_out = format!(
        "kubectl-numa: error: cannot read from the API server at {server} within 2s (--request-timeout): "
    );
    for (args, want) in [
        (
            &["rollout", "status", "pipeline/p", "--request-timeout", "2s"][..],
            timed_out.clone(),
        ),
        (
            &[
                "rollout",
                "status",
                "pipeline/p",
                "--watch=false",
                "--request-timeout",
                "2s",
            ],
            refused("get pipeline \"p\""),
        ),
        (
            &[
                "rollout",
                "get",
                "pipeline/p",
                "--watch",
                "--request-timeout",
                "2s",
            ],
            timed_out.clone(),
        ),
        (
            &["rollout", "list", "--request-timeout", "2s"],
            refused("list pipelines"),
        ),
        (
            &[
                "rollout",
                "status",
                "vertex/p-cat",
                "--request-timeout",
                "2s",
            ],
            refused("get vertex \"p-cat\""),
        ),
    ] {
        let r = finish(plugin_cmd(&kc, args), Duration::from_secs(30)).await;
        assert_eq!(r.code, 1, "{args:?}: {r:?}");
        let last = r.stderr.lines().last().unwrap_or_default();
        assert!(last.starts_with(&want), "{args:?}: {want:?}: {r:?}");
        if want != timed_out {
            assert!(last.contains("Connection refused"), "{args:?}: {r:?}");
        }
        assert!(
            !r.stderr.contains(token) && !r.stdout.contains(token),
            "{r:?}"
        );
    }
}

/// A server that accepts connections and never answers: every command ends with exit 1
/// on its request timeout. A one-shot read names it, or, when the connection's own
/// timeout (also `--request-timeout`) fires first, says the connection's deadline
/// elapsed; a watch names it.
#[tokio::test]
async fn a_hanging_server_fails_within_the_request_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming().flatten() {
            held.push(conn); // accept, never answer
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kubeconfig");
    let server = format!("https://127.0.0.1:{port}");
    std::fs::write(&kc, kubeconfig(&server, "tok", None)).unwrap();
    let one_shot = |what: &str| {
        [
            format!("kubectl-numa: error: {what}: no answer from {server} within 2s (--request-timeout)\n"),
            format!("kubectl-numa: error: {what}: cannot reach the API server at {server}: ServiceError: client error (Connect): deadline has elapsed\n"),
        ]
    };
    for (args, want) in [
        (
            &[
                "rollout",
                "status",
                "pipeline/p",
                "--watch=false",
                "--request-timeout",
                "2s",
            ][..],
            one_shot("get pipeline \"p\""),
        ),
        (
            &["rollout", "list", "--request-timeout", "2s"],
            one_shot("list pipelines"),
        ),
    ] {
        let r = finish(plugin_cmd(&kc, args), Duration::from_secs(30)).await;
        assert_eq!(r.code, 1, "{args:?}: {r:?}");
        assert!(want.contains(&r.stderr), "{args:?}: {want:?}: {r:?}");
    }
    let args = ["rollout", "status", "pipeline/p", "--request-timeout", "2s"];
    let r = finish(plugin_cmd(&kc, &args), Duration::from_secs(30)).await;
    assert_eq!(r.code, 1, "{args:?}: {r:?}");
    let want = format!(
        "kubectl-numa: error: cannot read from the API server at {server} within 2s (--request-timeout): "
    );
    assert!(
        r.stderr
            .lines()
            .last()
            .unwrap_or_default()
            .starts_with(&want),
        "{want:?}: {r:?}"
    );
}

/// A kubeconfig for `server` with a token and, optionally, a client certificate/key.
fn kubeconfig(
    server: &str,
    token: &str,
    identity: Option<(&std::path::Path, &std::path::Path)>,
) -> String {
    let ident = identity
        .map(|(c, k)| {
            format!(
                "    client-certificate: {}\n    client-key: {}\n",
                c.display(),
                k.display()
            )
        })
        .unwrap_or_default();
    format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster:\n    server: {server}\n    insecure-skip-tls-verify: true\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n    namespace: default\nusers:\n- name: u\n  user:\n    token: {token}\n{ident}"
    )
}

#[tokio::test]
async fn tokens_and_client_keys_never_reach_the_output() {
    let (plane, client) = world().await;
    let ns = "default".to_string();
    create_pipeline(&client, &ns, "p", vec![udf("cat", 1, "example/cat:v1")]).await;
    let admin_token = std::fs::read_to_string(plane.kubeconfig())
        .unwrap()
        .split("- name: admin\n  user:\n    token: ")
        .nth(1)
        .and_then(|t| t.lines().next())
        .unwrap()
        .to_string();
    let (cert, key) = testenv::controlplane::client_identity_pem().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (cert_path, key_path) = (dir.path().join("c.crt"), dir.path().join("c.key"));
    std::fs::write(&cert_path, &cert).unwrap();
    std::fs::write(&key_path, &key).unwrap();
    let good = dir.path().join("good");
    std::fs::write(
        &good,
        kubeconfig(plane.server(), &admin_token, Some((&cert_path, &key_path))),
    )
    .unwrap();
    let bad_token = dir.path().join("bad-token");
    std::fs::write(
        &bad_token,
        kubeconfig(
            plane.server(),
            "tok-WRONG-never-print-42",
            Some((&cert_path, &key_path)),
        ),
    )
    .unwrap();
    let key_body: Vec<&str> = key.lines().filter(|l| !l.starts_with("-----")).collect();
    let runs: Vec<(&std::path::Path, Vec<&str>)> = vec![
        (
            &good,
            vec![
                "-n",
                &ns,
                "rollout",
                "status",
                "pipeline/p",
                "--timeout",
                "60s",
            ],
        ),
        (
            &good,
            vec!["-n", &ns, "rollout", "status", "pipeline/absent"],
        ),
        (
            &good,
            vec!["-n", &ns, "rollout", "get", "pipeline/p", "-o", "json"],
        ),
        (&good, vec!["-n", &ns, "rollout", "list", "-o", "wide"]),
        (&good, vec!["version"]),
        (&good, vec!["rollout", "status", "bogus/x"]),
        (
            &bad_token,
            vec!["-n", &ns, "rollout", "status", "pipeline/p"],
        ),
        (&bad_token, vec!["-n", &ns, "rollout", "list"]),
        // -v logging: the connection, the auth method and every request.
        (
            &good,
            vec!["-v", "9", "-n", &ns, "rollout", "status", "pipeline/p"],
        ),
        (&good, vec!["-v=6", "-n", &ns, "rollout", "history", "pl/p"]),
        (
            &bad_token,
            vec!["-v", "9", "-n", &ns, "rollout", "get", "pipeline/p"],
        ),
    ];
    let mut codes = Vec::new();
    for (kc, args) in runs {
        let r = finish(plugin_cmd(kc, &args), Duration::from_secs(60)).await;
        for secret in [admin_token.as_str(), "tok-WRONG-never-print-42"]
            .iter()
            .chain(key_body.iter())
        {
            assert!(
                !r.stdout.contains(secret) && !r.stderr.contains(secret),
                "{args:?} printed a secret: {r:?}"
            );
        }
        if args.iter().any(|a| a.starts_with("-v")) {
            let auth = format!(
                "auth: bearer token, client certificate {}\n",
                cert_path.display()
            );
            let status = if kc == bad_token.as_path() {
                " 401 Unauthorized in "
            } else {
                " 200 OK in "
            };
            let request = format!("GET {}/apis/numaflow.numaproj.io/", plane.server());
            assert!(
                r.stderr.contains(&auth)
                    && r.stderr
                        .lines()
                        .any(|l| l.contains(&request) && l.contains(status)),
                "{args:?}: the log shows the connection and requests: {r:?}"
            );
        }
        codes.push(r.code);
    }
    assert_eq!(
        codes,
        [0, 1, 0, 0, 0, 2, 1, 1, 0, 0, 1],
        "the runs did what they should"
    );
}

#[tokio::test]
async fn sigint_and_sigterm_exit_130_and_143() {
    let (plane, client) = world().await;
    let ns = "default";
    create_pipeline(
        &client,
        ns,
        "p",
        vec![udf("cat", 2, "example/never-ready:v1")],
    )
    .await;
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        let mut status = Running::spawn(plugin_cmd(
            plane.kubeconfig(),
            &["-n", ns, "rollout", "status", "pipeline/p"],
        ));
        // Signalled while it waits (the vertex's pods are never ready).
        status
            .stdout
            .wait_line(
                "Waiting for vertex \"p-cat\" rollout to finish",
                Duration::from_secs(60),
            )
            .await;
        assert!(status.is_running(), "{signal}: {:?}", status.so_far());
        let kill = Command::new("kill")
            .args([signal, &status.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let r = status
            .finish(Duration::from_secs(30))
            .await
            .unwrap_or_else(|r| panic!("{signal}: still running: {r:?}"));
        assert_eq!(r.code, code, "{signal}: {r:?}");
    }
}
