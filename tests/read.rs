//! `rollout get` and `rollout list` against the real API server and Numaflow's own controller.

mod common;

use std::collections::BTreeMap;
use std::process::Command;
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

    // Mid-rollout, pods of two revisions: the new one's first pod is never ready, so the
    // controller replaces no more (maxUnavailable 25% of 3 is one pod).
    let old = hash.clone();
    set_udf_image(&client, &ns, "p", "cat", "example/cat:v2-never-ready").await;
    let settled = eventually("one new pod beside two old ones", T, || async {
        let pods = pods(&client, &ns, "p", "cat").await;
        let by_hash = by_revision(&pods);
        let settled = pods.len() == 3
            && pods.iter().all(|p| p.metadata.deletion_timestamp.is_none())
            && by_hash.len() == 2
            && by_hash.get(&old).map(Vec::len) == Some(2);
        settled.then_some(by_hash)
    })
    .await;
    let new = settled.keys().find(|h| **h != old).unwrap().clone();
    let r = admin_expect(0, &ns, &["rollout", "get", "vertex/p-cat"]).await;
    // The pods as the tree groups them: the revision line above each pod line.
    let mut shown: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut group = None;
    for line in r.stdout.lines() {
        let words: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || "│├└─".contains(c))
            .filter(|w| !w.is_empty())
            .collect();
        match words.as_slice() {
            ["revision", h, ..] => group = Some(h.to_string()),
            [mark, name, ..] if ["✔", "◌", "✖", "·"].contains(mark) => shown
                .entry(group.clone().expect("a pod line under a revision line"))
                .or_default()
                .push(name.to_string()),
            _ => {}
        }
    }
    let want: BTreeMap<String, Vec<String>> = settled
        .iter()
        .map(|(h, names)| (h[..12].to_string(), names.clone()))
        .collect();
    assert_eq!(shown, want, "{r:?}");
    assert!(
        r.stdout
            .contains(&format!("revision {} (update)\n", &new[..12])),
        "{r:?}"
    );
    assert!(
        r.stdout
            .contains(&format!("revision {} (current)\n", &old[..12])),
        "{r:?}"
    );
    assert_eq!(
        by_revision(&pods(&client, &ns, "p", "cat").await),
        settled,
        "the pods did not change while get ran"
    );
}

const T: Duration = Duration::from_secs(60);

/// Pod names by revision hash, sorted.
fn by_revision(pods: &[k8s_openapi::api::core::v1::Pod]) -> BTreeMap<String, Vec<String>> {
    let mut by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (p, h) in pods.iter().zip(hashes(pods)) {
        by.entry(h).or_default().push(p.name_any());
    }
    by.values_mut().for_each(|v| v.sort());
    by
}

#[tokio::test]
async fn get_watch_redraws_when_pods_change() {
    let (ns, client) = world("getwatch").await;
    let mut cmd = Command::new(PLUGIN);
    cmd.arg("--kubeconfig")
        .arg(env().kubeconfig())
        .args(["-n", &ns, "rollout", "get", "vertex/p-cat", "--watch"])
        .env("NO_COLOR", "1");
    let mut get = Running::spawn(cmd);
    let frames_of = |text: &str| -> Vec<String> {
        text.split("vertex \"p-cat\" (namespace")
            .skip(1)
            .map(String::from)
            .collect()
    };
    get.stdout
        .wait_for("the first frame, complete", T, |text| {
            frames_of(text)
                .first()
                .is_some_and(|f| f.contains("✔ Complete"))
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
    get.stdout
        .wait_for("a complete frame after the rollout", T, |text| {
            let frames = frames_of(text);
            let progressing = frames.iter().position(|f| f.contains("◌ Progressing"));
            let last_complete = frames.last().is_some_and(|f| f.contains("✔ Complete"));
            progressing.is_some_and(|i| i + 1 < frames.len()) && last_complete
        })
        .await;
    assert!(get.is_running(), "get watches on: {:?}", get.so_far());
    let r = get.kill().await;
    let frames = frames_of(&r.stdout);
    assert!(
        frames.len() >= 3,
        "a frame per change, got {}: {r:?}",
        frames.len()
    );
    assert!(frames.first().unwrap().contains("✔ Complete"), "{r:?}");
    assert!(frames.iter().any(|f| f.contains("◌ Progressing")), "{r:?}");
    assert!(frames.last().unwrap().contains("✔ Complete"), "{r:?}");
    // The last frame shows the new revision's pods, all ready.
    let new = hashes(&pods(&client, &ns, "p", "cat").await);
    assert!(
        frames
            .last()
            .unwrap()
            .contains(&format!("revision {} (update, current)", &new[0][..12])),
        "{r:?}"
    );
    let mut dedup = frames.clone();
    dedup.dedup();
    assert_eq!(
        frames.len(),
        dedup.len(),
        "no frame is printed twice in a row: {r:?}"
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

/// POSTs `body` to the JSON gateway of the etcd at `url` (`/v3/kv/put`, ...) and
/// returns the reply.
fn etcd(url: &str, path: &str, body: &serde_json::Value) -> serde_json::Value {
    use std::io::{Read, Write};
    let host = url.trim_start_matches("http://");
    let mut conn = std::net::TcpStream::connect(host).expect("etcd answers");
    let body = body.to_string();
    write!(
        conn,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reply = String::new();
    conn.read_to_string(&mut reply).unwrap();
    let (head, json) = reply.split_once("\r\n\r\n").expect("an HTTP reply");
    assert!(head.starts_with("HTTP/1.1 200"), "{reply}");
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {reply}"))
}

/// Compacts the etcd at `url` past every revision so far: a write, then a compaction
/// at the write's revision. Every continue token issued before is then expired.
fn compact(url: &str) {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let put = etcd(
        url,
        "/v3/kv/put",
        &serde_json::json!({"key": b64.encode("/paging-test/tick"), "value": b64.encode("x")}),
    );
    let revision = put["header"]["revision"].as_str().expect("a revision");
    etcd(
        url,
        "/v3/kv/compaction",
        &serde_json::json!({"revision": revision, "physical": true}),
    );
}

/// Lists the pods of `ns` in pages of 2 through the plugin's own paging, compacting
/// etcd before the second page of the first `expiries` tries. Returns the names
/// listed and each request's (limit, whether it carried a token).
async fn list_expiring(
    plane: &testenv::ControlPlane,
    ns: &str,
    expiries: usize,
) -> (Vec<String>, Vec<(Option<u32>, bool)>) {
    use kubectl_numa::api;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let kube = api::connect(api::ConnectOptions {
        kubeconfig: Some(plane.kubeconfig().to_path_buf()),
        context: Some("admin".into()),
        namespace: Some(ns.to_string()),
        chunk_size: 2,
        ..Default::default()
    })
    .await
    .unwrap();
    let requests = std::sync::Mutex::new(Vec::new());
    let continued = AtomicUsize::new(0);
    let (kube, log, continued, etcd) = (&kube, &requests, &continued, plane.etcd());
    let pods = api::paged::all(kube, "list pods", &Default::default(), |p| async move {
        log.lock()
            .unwrap()
            .push((p.limit, p.continue_token.is_some()));
        if p.continue_token.is_some() && continued.fetch_add(1, Ordering::SeqCst) < expiries {
            compact(etcd);
        }
        api::pods::page(kube, Some(ns), &p).await
    })
    .await
    .unwrap();
    let mut names: Vec<String> = pods.into_iter().map(|p| p.name).collect();
    names.sort();
    (names, requests.into_inner().unwrap())
}

/// A LIST whose continue token expires mid-way (410 Gone) starts again from its first
/// page and returns every pod exactly once; after two restarts it is read in one
/// response. A control plane of its own, whose API server lists from etcd: with a
/// watch cache (the default) Kubernetes 1.34 to 1.37 serve a token from cached snapshots
/// for minutes, so expiring one on demand takes an API server without one.
#[tokio::test]
async fn a_list_whose_continue_token_expires_starts_again_and_misses_nothing() {
    use k8s_openapi::api::core::v1::{Namespace, Pod};
    let plane = testenv::ControlPlane::start_with_apiserver_flags(&["--watch-cache=false"])
        .await
        .expect("a control plane");
    let client = plane.client(User::Admin).await.unwrap();
    let ns = "paged";
    let namespace: Namespace =
        serde_json::from_value(serde_json::json!({"metadata": {"name": ns}})).unwrap();
    kube::Api::<Namespace>::all(client.clone())
        .create(&Default::default(), &namespace)
        .await
        .unwrap();
    let pods: kube::Api<Pod> = kube::Api::namespaced(client.clone(), ns);
    let mut created = Vec::new();
    for i in 0..5 {
        let pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": format!("pod-{i}")},
            "spec": {"containers": [{"name": "c", "image": "example/c:v1"}]},
        }))
        .unwrap();
        pods.create(&Default::default(), &pod).await.unwrap();
        created.push(format!("pod-{i}"));
    }
    let first = (Some(2), false);
    let next = (Some(2), true);
    // One expiry: the second page fails, the list starts again and reads 3 pages.
    let (names, requests) = list_expiring(&plane, ns, 1).await;
    assert_eq!(names, created, "every pod once");
    assert_eq!(requests, [first, next, first, next, next]);
    // Expiring at every try: after two restarts the list is read in one response.
    let (names, requests) = list_expiring(&plane, ns, usize::MAX).await;
    assert_eq!(names, created, "every pod once");
    assert_eq!(requests, [first, next, first, next, (None, false)]);
}

/// A paged LIST served by the world's default API server (its watch cache on, serving
/// pages from cached snapshots since Kubernetes 1.34) is one snapshot: pods created and
/// deleted between its pages are not seen, every pod of the first page's moment is, once.
/// `scripts/matrix.sh` runs this on every Kubernetes release of its table.
#[tokio::test]
async fn a_paged_list_is_one_snapshot_of_the_first_page() {
    use k8s_openapi::api::core::v1::Pod;
    use kubectl_numa::api;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (ns, client) = setup("snapshot").await;
    let pods: kube::Api<Pod> = kube::Api::namespaced(client.clone(), &ns);
    let pod = |name: &str| -> Pod {
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": name, "labels": {"paged": "yes"}},
            // A scheduler that does not run: the pods stay as they were made.
            "spec": {"schedulerName": "none", "containers": [{"name": "c", "image": "example/c:v1"}]},
        }))
        .unwrap()
    };
    let created: Vec<String> = (0..5).map(|i| format!("pod-{i}")).collect();
    for name in &created {
        pods.create(&Default::default(), &pod(name)).await.unwrap();
    }
    let kube = api::connect(api::ConnectOptions {
        kubeconfig: Some(env().kubeconfig().to_path_buf()),
        context: Some("admin".into()),
        namespace: Some(ns.clone()),
        chunk_size: 2,
        ..Default::default()
    })
    .await
    .unwrap();
    let requests = std::sync::Mutex::new(Vec::new());
    let page = AtomicUsize::new(0);
    let (kube, log, page, pods, ns, pod) = (&kube, &requests, &page, &pods, &ns, &pod);
    // Only these pods (the namespace also has its InterStepBufferService's).
    let selected = kube::api::ListParams::default().labels("paged=yes");
    let listed = api::paged::all(kube, "list pods", &selected, |p| async move {
        log.lock()
            .unwrap()
            .push((p.limit, p.continue_token.is_some()));
        // Between the first and the second page: one pod more, one less.
        if page.fetch_add(1, Ordering::SeqCst) == 1 {
            pods.create(&Default::default(), &pod("pod-9"))
                .await
                .unwrap();
            pods.delete(
                "pod-0",
                &kube::api::DeleteParams::background().grace_period(0),
            )
            .await
            .unwrap();
        }
        api::pods::page(kube, Some(ns), &p).await
    })
    .await
    .unwrap();
    let mut names: Vec<String> = listed.into_iter().map(|p| p.name).collect();
    names.sort();
    assert_eq!(
        names, created,
        "the pods of the first page's moment, each once"
    );
    assert_eq!(
        requests.into_inner().unwrap(),
        [(Some(2), false), (Some(2), true), (Some(2), true)],
        "three pages of at most 2"
    );
}
