//! Faults: an API server that restarts, is unreachable or hangs; signals; and secrets
//! that must never reach the output.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use testenv::sim::{self, SimConfig};
use testenv::{ControlPlane, User};

fn plugin_cmd(kubeconfig: &std::path::Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(PLUGIN);
    cmd.arg("--kubeconfig")
        .arg(kubeconfig)
        .args(args)
        .env_remove("KUBECONFIG")
        .env("NO_COLOR", "1");
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd
}

/// Waits for a child with a deadline; kills it and fails when it does not end.
fn finish(mut child: Child, within: Duration) -> Run {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > within {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!(
                "still running after {within:?}: {:?}",
                Run::from((out, start.elapsed()))
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Run::from((out, start.elapsed()))
}

/// Collects a child's pipe on a thread, so that it can be read while the child runs.
fn collect(mut pipe: impl Read + Send + 'static) -> Arc<Mutex<Vec<u8>>> {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let into = buf.clone();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 8192];
        while let Ok(n @ 1..) = pipe.read(&mut chunk) {
            into.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    buf
}

fn text(buf: &Mutex<Vec<u8>>) -> String {
    String::from_utf8_lossy(&buf.lock().unwrap()).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_and_get_watch_survive_an_api_server_restart() {
    let mut plane = ControlPlane::start().await.unwrap();
    let client = plane.client(User::Admin).await.unwrap();
    testenv::bootstrap(&client).await.unwrap();
    let _sim = sim::spawn(client.clone(), SimConfig::default());
    let kc = plane.kubeconfig().to_path_buf();
    create_pipeline(
        &client,
        "default",
        "p",
        vec![udf("cat", 4, "example/cat:v1")],
    )
    .await;
    let first = finish(
        plugin_cmd(&kc, &["rollout", "status", "pipeline/p"])
            .spawn()
            .unwrap(),
        Duration::from_secs(60),
    );
    assert_eq!(first.code, 0, "{first:?}");

    set_udf_image(&client, "default", "p", "cat", "example/cat:v2-delay-2500").await;
    let status = plugin_cmd(
        &kc,
        &["rollout", "status", "pipeline/p", "--timeout", "120s"],
    )
    .spawn()
    .unwrap();
    let mut get = plugin_cmd(&kc, &["rollout", "get", "vertex/p-cat", "--watch"])
        .spawn()
        .unwrap();
    let (get_out, get_err) = (
        collect(get.stdout.take().unwrap()),
        collect(get.stderr.take().unwrap()),
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    plane.kill_apiserver();
    tokio::time::sleep(Duration::from_secs(4)).await;
    plane.restart_apiserver().await.unwrap();

    let r = tokio::task::spawn_blocking(move || finish(status, Duration::from_secs(90)))
        .await
        .unwrap();
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
    let last_frame = || {
        let stdout = text(&get_out);
        let last = stdout
            .rsplit("vertex \"p-cat\" (namespace")
            .next()
            .unwrap_or_default();
        last.contains("✔ Complete").then_some(())
    };
    let start = Instant::now();
    while last_frame().is_none() && start.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    get.kill().unwrap();
    get.wait().unwrap();
    let stderr = text(&get_err);
    assert!(stderr.contains("retrying..."), "{stderr}");
    assert!(
        last_frame().is_some(),
        "the last frame is the final state:\n{}\n{stderr}",
        text(&get_out)
    );
}

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
    std::fs::write(
        &kc,
        kubeconfig(&format!("https://127.0.0.1:{closed}"), token, None),
    )
    .unwrap();
    for args in [
        &["rollout", "status", "pipeline/p", "--request-timeout", "2s"][..],
        &[
            "rollout",
            "status",
            "pipeline/p",
            "--watch=false",
            "--request-timeout",
            "2s",
        ],
        &[
            "rollout",
            "get",
            "pipeline/p",
            "--watch",
            "--request-timeout",
            "2s",
        ],
        &["rollout", "list", "--request-timeout", "2s"],
        &[
            "rollout",
            "status",
            "vertex/p-cat",
            "--request-timeout",
            "2s",
        ],
    ] {
        let r = finish(
            plugin_cmd(&kc, args).spawn().unwrap(),
            Duration::from_secs(20),
        );
        assert_eq!(r.code, 1, "{args:?}: {r:?}");
        assert!(r.took < Duration::from_secs(5), "{args:?}: {r:?}");
        assert!(
            r.stderr.contains(&format!("https://127.0.0.1:{closed}")),
            "names the address: {args:?}: {r:?}"
        );
        assert!(
            !r.stderr.contains(token) && !r.stdout.contains(token),
            "{r:?}"
        );
    }
}

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
    std::fs::write(
        &kc,
        kubeconfig(&format!("https://127.0.0.1:{port}"), "tok", None),
    )
    .unwrap();
    for args in [
        &[
            "rollout",
            "status",
            "pipeline/p",
            "--watch=false",
            "--request-timeout",
            "2s",
        ][..],
        &["rollout", "status", "pipeline/p", "--request-timeout", "2s"],
        &["rollout", "list", "--request-timeout", "2s"],
    ] {
        let r = finish(
            plugin_cmd(&kc, args).spawn().unwrap(),
            Duration::from_secs(20),
        );
        assert_eq!(r.code, 1, "{args:?}: {r:?}");
        assert!(r.took < Duration::from_secs(5), "{args:?}: {r:?}");
        assert!(
            r.stderr.contains(&format!("https://127.0.0.1:{port}")),
            "{args:?}: {r:?}"
        );
    }
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
    let env = env();
    let ns = env.namespace("secrets").await;
    let client = env.client(User::Admin).await;
    create_pipeline(&client, &ns, "p", vec![udf("cat", 1, "example/cat:v1")]).await;
    let admin_token = std::fs::read_to_string(env.kubeconfig())
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
        kubeconfig(env.server(), &admin_token, Some((&cert_path, &key_path))),
    )
    .unwrap();
    let bad_token = dir.path().join("bad-token");
    std::fs::write(
        &bad_token,
        kubeconfig(
            env.server(),
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
        let r = finish(
            plugin_cmd(kc, &args).spawn().unwrap(),
            Duration::from_secs(60),
        );
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
            let request = format!("GET {}/apis/numaflow.numaproj.io/", env.server());
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
    let env = env();
    let ns = env.namespace("signals").await;
    let client = env.client(User::Admin).await;
    create_pipeline(
        &client,
        &ns,
        "p",
        vec![udf("cat", 2, "example/never-ready:v1")],
    )
    .await;
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        let child = plugin_cmd(
            env.kubeconfig(),
            &["-n", &ns, "rollout", "status", "pipeline/p"],
        )
        .spawn()
        .unwrap();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let kill = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let r = finish(child, Duration::from_secs(10));
        assert_eq!(r.code, code, "{signal}: {r:?}");
        assert!(
            r.took < Duration::from_secs(3),
            "{signal}: ends promptly: {r:?}"
        );
    }
}
