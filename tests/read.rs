//! `rollout get` and `rollout list` against the real API server and Numaflow's own controller.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use kube::ResourceExt;
use testenv::User;

async fn world(prefix: &str) -> (String, kube::Client) {
    let (ns, client) = setup(prefix).await;
    create_pipeline(
        &client,
        &ns,
        "p",
        // `create_pipeline` adds a 1-replica generator `in` and a 1-replica log sink `out`.
        vec![udf("cat", 3, "example/cat:v1")],
    )
    .await;
    create_monovertex(&client, &ns, "m", 2, "example/sink:v1").await;
    admin_expect(
        0,
        &ns,
        &[
            "rollout",
            "status",
            "pipeline/p",
            "mvtx/m",
            "--timeout",
            "60s",
        ],
    )
    .await;
    (ns, client)
}

#[tokio::test]
async fn get_shows_every_pod_grouped_by_revision() {
    let (ns, client) = world("get").await;
    let r = admin_expect(0, &ns, &["rollout", "get", "pipeline/p"]).await;
    assert!(
        r.stdout.starts_with(&format!(
            "pipeline \"p\" (namespace \"{ns}\")  ✔ Complete\n"
        )),
        "{r:?}"
    );
    assert!(
        r.stdout
            .contains("├─ vertex p-in  ✔ Complete  desired 1  updated 1  ready 1"),
        "{r:?}"
    );
    assert!(
        r.stdout
            .contains("├─ vertex p-cat  ✔ Complete  desired 3  updated 3  ready 3"),
        "{r:?}"
    );
    assert!(
        r.stdout
            .contains("└─ vertex p-out  ✔ Complete  desired 1  updated 1  ready 1"),
        "{r:?}"
    );
    for p in pods(&client, &ns, "p", "cat").await {
        assert!(
            r.stdout.contains(&format!("✔ {}  Ready", p.name_any())),
            "{} in {r:?}",
            p.name_any()
        );
    }
    let hash = &hashes(&pods(&client, &ns, "p", "cat").await)[0];
    assert!(
        r.stdout
            .contains(&format!("revision {} (update, current)", &hash[..12])),
        "{r:?}"
    );

    let r = admin_expect(0, &ns, &["rollout", "get", "mvtx/m", "-o", "json"]).await;
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut names: Vec<String> = doc["workloads"][0]["pods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    let mut want: Vec<String> = pods(&client, &ns, "", "m")
        .await
        .iter()
        .map(|p| p.name_any())
        .collect();
    names.sort();
    want.sort();
    assert_eq!(names, want);
    assert_eq!(doc["state"], "Complete");
}

#[tokio::test]
async fn get_watch_redraws_when_pods_change() {
    let (ns, client) = world("getwatch").await;
    let mut cmd = Command::new(PLUGIN);
    cmd.arg("--kubeconfig").arg(env().kubeconfig()).args([
        "-n",
        &ns,
        "rollout",
        "get",
        "vertex/p-cat",
        "--watch",
    ]);
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .env("NO_COLOR", "1")
        .spawn()
        .unwrap();
    // What the watch printed so far, read on a thread of its own.
    let printed = Arc::new(Mutex::new(String::new()));
    let reader = {
        let (printed, mut stdout) = (printed.clone(), child.stdout.take().unwrap());
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = stdout.read(&mut buf) {
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                printed.lock().unwrap().push_str(&text);
            }
        })
    };
    let frames_of = |text: &str| -> Vec<String> {
        text.split("vertex \"p-cat\" (namespace")
            .skip(1)
            .map(String::from)
            .collect()
    };
    let frames_now = || frames_of(&printed.lock().unwrap());
    eventually("the first frame", Duration::from_secs(30), || {
        let frames = frames_now();
        std::future::ready(
            frames
                .first()
                .is_some_and(|f| f.contains("✔ Complete"))
                .then_some(()),
        )
    })
    .await;
    set_udf_image(&client, &ns, "p", "cat", "example/cat:v2").await;
    admin_expect(
        0,
        &ns,
        &["rollout", "status", "vertex/p-cat", "--timeout", "60s"],
    )
    .await;
    // The watch catches up: a complete frame after a progressing one.
    eventually(
        "a complete frame after the rollout",
        Duration::from_secs(30),
        || {
            let frames = frames_now();
            let progressing = frames.iter().position(|f| f.contains("◌ Progressing"));
            let last_complete = frames.last().is_some_and(|f| f.contains("✔ Complete"));
            std::future::ready(
                (progressing.is_some_and(|i| i + 1 < frames.len()) && last_complete).then_some(()),
            )
        },
    )
    .await;
    child.kill().unwrap();
    child.wait().unwrap();
    reader.join().unwrap();
    let stdout = printed.lock().unwrap().clone();
    let frames = frames_of(&stdout);
    assert!(
        frames.len() >= 3,
        "a frame per change, got {}:\n{stdout}",
        frames.len()
    );
    assert!(frames.first().unwrap().contains("✔ Complete"), "{stdout}");
    assert!(
        frames.iter().any(|f| f.contains("◌ Progressing")),
        "{stdout}"
    );
    assert!(frames.last().unwrap().contains("✔ Complete"), "{stdout}");
    let mut dedup = frames.clone();
    dedup.dedup();
    assert_eq!(
        frames.len(),
        dedup.len(),
        "no frame is printed twice in a row"
    );
}

#[tokio::test]
async fn list_shows_every_workload() {
    let (ns, _client) = world("list").await;
    let r = plugin(User::Viewer, &ns, &["rollout", "list"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "a header and m, p-cat, p-in, p-out: {r:?}");
    assert!(lines[0].starts_with("NAME    KIND         PIPELINE   DESIRED   UPDATED   READY   MAX UNAVAILABLE   MAX SURGE   STATE"), "{r:?}");
    // The full CRDs store the default 25% in the spec: it is then not "(default)".
    let m = if env().crds() == "full" {
        "m       MonoVertex   -          2         2         2       25%               -           ✔ Complete"
    } else {
        "m       MonoVertex   -          2         2         2       25% (default)     -           ✔ Complete"
    };
    assert!(lines[1].starts_with(m), "{r:?}");
    assert!(
        lines[2].starts_with("p-cat   Vertex       p          3         3         3"),
        "{r:?}"
    );
    for (line, name) in [(lines[3], "p-in "), (lines[4], "p-out")] {
        assert!(
            line.starts_with(&format!(
                "{name}   Vertex       p          1         1         1"
            )),
            "{r:?}"
        );
    }

    let r = plugin(User::Admin, &ns, &["rollout", "list", "-o", "name"]).await;
    assert_eq!(
        r.stdout, "monovertex/m\nvertex/p-cat\nvertex/p-in\nvertex/p-out\n",
        "{r:?}"
    );
    let r = plugin(
        User::Admin,
        &ns,
        &[
            "rollout",
            "list",
            "-l",
            "numaflow.numaproj.io/vertex-name=cat",
            "-o",
            "json",
        ],
    )
    .await;
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["items"].as_array().unwrap().len(), 1, "{r:?}");
    assert_eq!(doc["items"][0]["name"], "p-cat");
    assert_eq!(doc["items"][0]["state"], "Complete");

    let r = plugin(User::Admin, &ns, &["rollout", "list", "-A"]).await;
    let row = r
        .stdout
        .lines()
        .find(|l| l.starts_with(&format!("{ns} ")))
        .unwrap_or_else(|| panic!("{r:?}"));
    assert_eq!(
        row.split_whitespace().take(3).collect::<Vec<_>>(),
        [ns.as_str(), "m", "MonoVertex"],
        "{r:?}"
    );
    assert!(r.stdout.starts_with("NAMESPACE"), "{r:?}");

    let r = plugin(User::NoRights, &ns, &["rollout", "list"]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("forbidden"), "{r:?}");
}

#[tokio::test]
async fn list_of_an_empty_namespace_says_so() {
    let (ns, _client) = setup("empty").await;
    let r = admin_expect(0, &ns, &["rollout", "list"]).await;
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        format!("No vertices or monovertices found in namespace \"{ns}\".\n")
    );
}
