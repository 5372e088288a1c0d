//! Objects no healthy controller would write, against the real API server: missing and
//! wrongly typed status fields, pods without a hash annotation, unknown strategy
//! types, huge labels and annotations, 10,000 pods. The plugin must report what it
//! can and never call a rollout complete without evidence.
//!
//! The Numaflow objects here carry testenv's unmanaged instance annotation, so Numaflow's
//! controller ignores them, and the pods name testenv's unmanaged scheduler, so neither
//! the scheduler nor kwok touches them: their status is whatever the test patches in.
//!
//! With Numaflow's full CRDs (the default install) the API server validates status
//! against the schema, so it refuses most wrongly typed fields: such cases are checked
//! to be refused there, and checked against the plugin only under the minimal CRDs
//! (`NUMA_TESTENV_CRDS=minimal`), whose status preserves whatever is written.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::*;
use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, Patch, PatchParams, PostParams};
use kube::Client;
use serde_json::{json, Value};
use testenv::names::{INSTANCE_ANNOTATION, UNMANAGED_INSTANCE, UNMANAGED_SCHEDULER};
use testenv::User;

/// A MonoVertex status that claims a finished rollout of `n` replicas on `hash`.
fn complete_status(n: u64, hash: &str) -> Value {
    json!({
        "phase": "Running", "observedGeneration": 1,
        "desiredReplicas": n, "replicas": n, "readyReplicas": n,
        "updatedReplicas": n, "updatedReadyReplicas": n,
        "currentHash": hash, "updateHash": hash,
    })
}

/// Creates an object of `kind` that Numaflow's controller ignores and patches `status`
/// in through the status subresource (a create drops it). The API server's refusal of
/// either write is returned.
async fn try_create_with_status(
    client: &Client,
    ns: &str,
    kind: &str,
    mut obj: Value,
    status: Value,
) -> Result<(), kube::Error> {
    obj["apiVersion"] = json!("numaflow.numaproj.io/v1alpha1");
    obj["kind"] = json!(kind);
    obj["metadata"]["namespace"] = json!(ns);
    obj["metadata"]["annotations"][INSTANCE_ANNOTATION] = json!(UNMANAGED_INSTANCE);
    let api = numaflow(client, ns, kind);
    let created = api
        .create(
            &PostParams::default(),
            &serde_json::from_value(obj).unwrap(),
        )
        .await?;
    let name = created.metadata.name.unwrap();
    api.patch_status(
        &name,
        &PatchParams::default(),
        &Patch::Merge(json!({ "status": status })),
    )
    .await?;
    Ok(())
}

/// [`try_create_with_status`], failing the test when the API server refuses.
async fn create_with_status(client: &Client, ns: &str, kind: &str, obj: Value, status: Value) {
    try_create_with_status(client, ns, kind, obj, status)
        .await
        .unwrap_or_else(|e| panic!("create {kind} with its status: {e}"));
}

/// A pod `name` with these labels and, when given, hash annotation, that only the test
/// writes to (its scheduler does not exist).
fn pod(name: &str, labels: &[(&str, &str)], hash: Option<&str>, index: usize) -> Pod {
    let mut labels: BTreeMap<&str, &str> = labels.iter().copied().collect();
    let mono = labels.contains_key("numaflow.numaproj.io/mono-vertex-name");
    let component = if mono { "mono-vertex" } else { "vertex" };
    labels.insert("app.kubernetes.io/component", component);
    let mut annotations = json!({"numaflow.numaproj.io/replica": index.to_string()});
    if let Some(h) = hash {
        annotations["numaflow.numaproj.io/hash"] = json!(h);
    }
    serde_json::from_value(json!({
        "metadata": {"name": name, "labels": labels, "annotations": annotations},
        "spec": {"schedulerName": UNMANAGED_SCHEDULER,
                 "containers": [{"name": "main", "image": "example/any:v1"}]},
    }))
    .unwrap()
}

/// Creates `pods` (16 requests at a time) and marks the first `ready` of them Ready.
async fn create_pods(client: &Client, ns: &str, pods: Vec<Pod>, ready: usize) {
    let api = Api::<Pod>::namespaced(client.clone(), ns);
    let names: Vec<String> = pods
        .iter()
        .map(|p| p.metadata.name.clone().unwrap())
        .collect();
    futures::stream::iter(pods)
        .map(|p| {
            let api = api.clone();
            async move { api.create(&PostParams::default(), &p).await }
        })
        .buffer_unordered(16)
        .try_collect::<Vec<_>>()
        .await
        .expect("create pods");
    let ready_status = json!({"status": {
        "phase": "Running",
        "conditions": [{"type": "Ready", "status": "True"}],
    }});
    futures::stream::iter(names.into_iter().take(ready))
        .map(|name| {
            let (api, patch) = (api.clone(), Patch::Merge(ready_status.clone()));
            async move {
                api.patch_status(&name, &PatchParams::default(), &patch)
                    .await
            }
        })
        .buffer_unordered(16)
        .try_collect::<Vec<_>>()
        .await
        .expect("mark pods ready");
}

/// A MonoVertex `name` of two pods on hash `h1`, both Ready, with this status and
/// strategy; `hashed` false leaves the pods without their hash annotation. The API
/// server's refusal of the object or its status is returned (and no pod made).
async fn monovertex(
    client: &Client,
    ns: &str,
    name: &str,
    status: Value,
    strategy: Value,
    hashed: bool,
) -> Result<(), kube::Error> {
    let mut spec =
        json!({"replicas": 2, "sink": {"udsink": {"container": {"image": "example/sink:v1"}}}});
    if !strategy.is_null() {
        spec["updateStrategy"] = strategy;
    }
    try_create_with_status(
        client,
        ns,
        "MonoVertex",
        json!({"metadata": {"name": name}, "spec": spec}),
        status,
    )
    .await?;
    let label = [("numaflow.numaproj.io/mono-vertex-name", name)];
    let hash = hashed.then_some("h1");
    let pods = (0..2)
        .map(|i| pod(&format!("{name}-{i}"), &label, hash, i))
        .collect();
    create_pods(client, ns, pods, 2).await;
    Ok(())
}

/// Cases whose status (or spec) the full CRDs' schema refuses: a string, bool or object
/// where it wants an integer or string, a phase outside its enum, a strategy type that
/// is not a string.
const FULL_CRDS_REFUSE: [&str; 7] = [
    "generation-string",
    "counts-strings",
    "counts-bools",
    "hashes-numbers",
    "hashes-objects",
    "phase-number",
    "strategy-garbage",
];

/// Cases the full CRDs refuse on a server that checks integer formats: Kubernetes 1.37
/// refuses `desiredReplicas: 1e15` (the CRD says `format: int32`), older servers store
/// it. Either way the plugin is judged on what the server stores.
const INT32_CHECKED: [&str; 1] = ["desired-huge"];

/// `rollout status --watch=false -o json` of `target`: exit code and document.
async fn status_json(ns: &str, target: &str) -> (i32, Value, Run) {
    let r = plugin(
        User::Admin,
        ns,
        &["rollout", "status", target, "--watch=false", "-o", "json"],
    )
    .await;
    let doc = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{target}: not JSON ({e}): {r:?}"));
    (r.code, doc, r)
}

#[tokio::test]
async fn status_fields_missing_or_wrongly_typed_never_make_a_rollout_complete() {
    let (ns, client) = setup("badstatus").await;
    let good = complete_status(2, "h1");
    let with = |patch: Value| {
        let mut s = good.clone();
        for (k, v) in patch.as_object().unwrap() {
            s[k] = v.clone();
        }
        s
    };
    // (name, status, strategy, pods carry the hash, state, message after the label)
    let cases = [
        (
            "control",
            good.clone(),
            Value::Null,
            true,
            "Complete",
            "successfully rolled out",
        ),
        (
            "no-status",
            json!({}),
            Value::Null,
            true,
            "Progressing",
            "spec update to be observed...",
        ),
        (
            "generation-string",
            with(json!({"observedGeneration": "1"})),
            Value::Null,
            true,
            "Progressing",
            "spec update to be observed...",
        ),
        (
            "counts-strings",
            with(json!({"updatedReplicas": "2", "updatedReadyReplicas": "2"})),
            Value::Null,
            true,
            "Progressing",
            "rollout to finish: waiting for the controller to record completion...",
        ),
        (
            "counts-bools",
            with(json!({"updatedReplicas": true, "updatedReadyReplicas": 2.0})),
            Value::Null,
            true,
            "Progressing",
            "rollout to finish: waiting for the controller to record completion...",
        ),
        (
            "hashes-numbers",
            with(json!({"currentHash": 7, "updateHash": 7})),
            Value::Null,
            true,
            "Progressing",
            "rollout to finish: 0 out of 2 new replicas have been updated...",
        ),
        (
            "hashes-objects",
            with(json!({"currentHash": {"h": 1}, "updateHash": ["h1"]})),
            Value::Null,
            true,
            "Progressing",
            "rollout to finish: 0 out of 2 new replicas have been updated...",
        ),
        (
            "desired-negative",
            with(json!({"desiredReplicas": -5})),
            Value::Null,
            true,
            "Progressing",
            "rollout to finish: waiting for the controller to record completion...",
        ),
        (
            // The API server stores 1e15 as an integer; counts are read as 32 bits.
            "desired-huge",
            with(json!({"desiredReplicas": 1e15})),
            Value::Null,
            true,
            "Progressing",
            "rollout to finish: 2 out of 4294967295 new replicas have been updated...",
        ),
        (
            "phase-number",
            with(json!({"phase": 3, "reason": [], "message": {}})),
            Value::Null,
            true,
            "Complete",
            "successfully rolled out",
        ),
        (
            "pods-without-hash",
            good.clone(),
            Value::Null,
            false,
            "Progressing",
            "rollout to finish: 0 out of 2 new replicas have been updated...",
        ),
        (
            "strategy-recreate",
            good.clone(),
            json!({"type": "Recreate"}),
            true,
            "Complete",
            "successfully rolled out",
        ),
        (
            "strategy-unparsable",
            good.clone(),
            json!({"rollingUpdate": {"maxUnavailable": "lots"}}),
            true,
            "Complete",
            "successfully rolled out",
        ),
        (
            "strategy-garbage",
            good.clone(),
            json!({"type": 5, "rollingUpdate": {"maxUnavailable": "lots"}}),
            true,
            "Complete",
            "successfully rolled out",
        ),
    ];
    let full = env().crds() == "full";
    let mut cases = Vec::from(cases);
    let mut refused = Vec::new();
    for (name, status, strategy, hashed, _, _) in &cases {
        let made = monovertex(
            &client,
            &ns,
            name,
            status.clone(),
            strategy.clone(),
            *hashed,
        )
        .await;
        match made {
            Ok(()) => assert!(
                !(full && FULL_CRDS_REFUSE.contains(name)),
                "{name}: the full CRDs accepted it"
            ),
            Err(kube::Error::Api(e)) if full && FULL_CRDS_REFUSE.contains(name) => {
                assert_eq!(e.code, 422, "{name}: refused as invalid: {e}");
                refused.push(*name);
            }
            Err(kube::Error::Api(e))
                if full && INT32_CHECKED.contains(name) && e.message.contains("format int32") =>
            {
                assert_eq!(e.code, 422, "{name}: refused as invalid: {e}");
                refused.push(*name);
            }
            Err(e) => panic!("{name}: {e}"),
        }
    }
    // What the schema refuses cannot reach the plugin: check the rest.
    cases.retain(|(name, ..)| !refused.contains(name));
    for (name, _, _, _, state, message) in &cases {
        let target = format!("mvtx/{name}");
        let (code, doc, r) = status_json(&ns, &target).await;
        let want_code = if *state == "Complete" { 0 } else { 6 };
        assert_eq!(code, want_code, "{name}: {r:?}");
        assert_eq!(doc["state"], *state, "{name}: {r:?}");
        let w = &doc["workloads"][0];
        assert_eq!(
            w["message"].as_str().unwrap(),
            if message.starts_with("rollout") || message.starts_with("spec") {
                format!("Waiting for monovertex {name:?} {message}")
            } else {
                format!("monovertex {name:?} {message}")
            },
            "{name}"
        );
        // What the pods show is reported whatever the status says.
        assert_eq!(
            w["ready"], 2,
            "{name}: ready pods are counted from the pods"
        );
        // Waiting cannot turn missing evidence into completion.
        if want_code != 0 {
            admin_expect(4, &ns, &["rollout", "status", &target, "--timeout", "1s"]).await;
        }
        // The other read commands show the object too.
        let r = admin_expect(0, &ns, &["rollout", "get", &target]).await;
        assert!(r.stdout.contains(&format!("{name}-1")), "{name}: {r:?}");
    }
    let r = admin_expect(0, &ns, &["rollout", "list", "-o", "wide"]).await;
    for (name, ..) in &cases {
        assert!(
            r.stdout.lines().any(|l| l.contains(name)),
            "{name} listed: {r:?}"
        );
    }
    // Any string type rolls as RollingUpdate upstream: the step is known and the
    // strategy can be paused. A type that is not a string is shown as it is...
    let (_, doc, _) = status_json(&ns, "mvtx/strategy-recreate").await;
    assert_eq!(doc["workloads"][0]["strategy"]["type"], "Recreate");
    assert_eq!(doc["workloads"][0]["strategy"]["step"], 1);
    admin_expect(0, &ns, &["rollout", "pause", "mvtx/strategy-recreate"]).await;
    admin_expect(0, &ns, &["rollout", "resume", "mvtx/strategy-recreate"]).await;
    // A maxUnavailable that does not parse (the full CRDs take any string) is shown as
    // it is, with no step.
    let (_, doc, _) = status_json(&ns, "mvtx/strategy-unparsable").await;
    assert_eq!(
        doc["workloads"][0]["strategy"],
        json!({"type": "RollingUpdate", "maxUnavailable": "lots", "maxSurge": null,
               "effectiveMaxUnavailable": null, "step": null})
    );
    if refused.contains(&"strategy-garbage") {
        return; // the full CRDs only take a string type
    }
    let (_, doc, _) = status_json(&ns, "mvtx/strategy-garbage").await;
    assert_eq!(
        doc["workloads"][0]["strategy"],
        json!({"type": 5, "maxUnavailable": "lots", "maxSurge": null,
               "effectiveMaxUnavailable": null, "step": null})
    );
    // ...and not written to: pause and set strategy refuse, writing nothing.
    let api = numaflow(&client, &ns, "MonoVertex");
    let before = api.get("strategy-garbage").await.unwrap();
    for args in [
        &["rollout", "pause", "mvtx/strategy-garbage"][..],
        &[
            "rollout",
            "set",
            "strategy",
            "mvtx/strategy-garbage",
            "--max-unavailable",
            "1",
        ],
    ] {
        let r = admin_expect(1, &ns, args).await;
        assert_eq!(
            r.stderr,
            "kubectl-numa: error: monovertex/strategy-garbage: updateStrategy type 5 is not a \
             string, so the controller cannot read this spec; fix it first (nothing was \
             changed)\n"
        );
    }
    let after = api.get("strategy-garbage").await.unwrap();
    assert_eq!(
        after.metadata.resource_version,
        before.metadata.resource_version
    );
}

#[tokio::test]
async fn a_vertex_whose_pods_carry_no_hash_is_never_complete() {
    let (ns, client) = setup("nohash").await;
    create_with_status(
        &client,
        &ns,
        "Pipeline",
        json!({"metadata": {"name": "p"}, "spec": {"vertices": [{"name": "cat", "scale": {"min": 3, "max": 3}}]}}),
        json!({"phase": "Running", "observedGeneration": 1}),
    )
    .await;
    let labels = json!({"numaflow.numaproj.io/pipeline-name": "p", "numaflow.numaproj.io/vertex-name": "cat"});
    create_with_status(
        &client,
        &ns,
        "Vertex",
        json!({"metadata": {"name": "p-cat", "labels": labels},
               "spec": {"name": "cat", "pipelineName": "p", "replicas": 3}}),
        complete_status(3, "h1"),
    )
    .await;
    let labels = [
        ("numaflow.numaproj.io/pipeline-name", "p"),
        ("numaflow.numaproj.io/vertex-name", "cat"),
    ];
    let pods = (0..3)
        .map(|i| pod(&format!("p-cat-{i}"), &labels, None, i))
        .collect();
    create_pods(&client, &ns, pods, 3).await;

    for target in ["vertex/p-cat", "pipeline/p"] {
        let (code, doc, r) = status_json(&ns, target).await;
        assert_eq!(code, 6, "{target}: {r:?}");
        assert_eq!(doc["state"], "Progressing", "{target}");
        let w = &doc["workloads"][0];
        assert_eq!(
            (
                w["updated"].as_u64(),
                w["old"].as_u64(),
                w["ready"].as_u64()
            ),
            (Some(0), Some(3), Some(3)),
            "{target}"
        );
        admin_expect(4, &ns, &["rollout", "status", target, "--timeout", "1s"]).await;
    }
    // `get` shows the pods under no revision.
    let r = admin_expect(0, &ns, &["rollout", "get", "vertex/p-cat", "-o", "json"]).await;
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let pods = doc["workloads"][0]["pods"].as_array().unwrap();
    assert_eq!(pods.len(), 3);
    assert!(
        pods.iter()
            .all(|p| p["hash"].is_null() && p["ready"] == true),
        "{pods:?}"
    );
}

#[tokio::test]
async fn ten_thousand_pods_are_all_counted() {
    const N: usize = 10_000;
    const READY: usize = 7;
    let (ns, client) = setup("tenk").await;
    create_with_status(
        &client,
        &ns,
        "MonoVertex",
        json!({"metadata": {"name": "big"}, "spec": {"replicas": N}}),
        complete_status(N as u64, "h1"),
    )
    .await;
    let label = [("numaflow.numaproj.io/mono-vertex-name", "big")];
    let pods = (0..N)
        .map(|i| pod(&format!("big-{i}"), &label, Some("h1"), i))
        .collect();
    create_pods(&client, &ns, pods, READY).await;

    // The status claims completion; the pods (7 of 10,000 ready) do not.
    let (code, doc, r) = status_json(&ns, "mvtx/big").await;
    assert_eq!(code, 6, "{r:?}");
    let w = &doc["workloads"][0];
    assert_eq!(
        (
            w["desired"].as_u64(),
            w["updated"].as_u64(),
            w["updatedReady"].as_u64(),
            w["old"].as_u64()
        ),
        (Some(N as u64), Some(N as u64), Some(READY as u64), Some(0))
    );
    assert_eq!(
        w["message"],
        format!("Waiting for monovertex \"big\" rollout to finish: {READY} of {N} updated replicas are ready...")
    );
    admin_expect(
        4,
        &ns,
        &["rollout", "status", "mvtx/big", "--timeout", "2s"],
    )
    .await;
    let r = admin_expect(0, &ns, &["rollout", "get", "mvtx/big", "-o", "json"]).await;
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let pods = doc["workloads"][0]["pods"].as_array().unwrap();
    assert_eq!(pods.len(), N);
    assert_eq!(pods.iter().filter(|p| p["ready"] == true).count(), READY);
    let r = admin_expect(0, &ns, &["rollout", "list"]).await;
    let row: Vec<&str> = r
        .stdout
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        row[..6],
        ["big", "MonoVertex", "-", "10000", "10000", "7"],
        "{r:?}"
    );
}

#[tokio::test]
async fn huge_labels_and_annotations_leave_room_for_the_history() {
    let (ns, client) = setup("huge").await;
    let long = "v".repeat(63); // the longest label value the API accepts
    let mut labels = serde_json::Map::new();
    for i in 0..30 {
        labels.insert(
            format!("{}.example.com/label-{i}", "k".repeat(200)),
            json!(long),
        );
    }
    // Annotations may hold 256 KiB in all; leave the history about 600 bytes.
    let room = 600;
    let filler =
        256 * 1024 - room - "example.com/filler".len() - "kubectl-numa.io/revision-history".len();
    let obj: kube::api::DynamicObject = serde_json::from_value(json!({
        "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
        "metadata": {"name": "p", "namespace": ns, "labels": labels,
                     "annotations": {"example.com/filler": "f".repeat(filler)}},
        "spec": pipeline_spec(vec![udf("cat", 2, "example/cat:v1")]),
    }))
    .unwrap();
    numaflow(&client, &ns, "Pipeline")
        .create(&PostParams::default(), &obj)
        .await
        .expect("create");
    admin_expect(
        0,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "60s"],
    )
    .await;

    // Six image changes whose causes do not compress: the history keeps what fits.
    let cause = |v: usize| -> String {
        (0..120)
            .map(|i| char::from(b'a' + ((v * 31 + i * i * 17) % 26) as u8))
            .collect()
    };
    for v in 2..=7 {
        let cause = cause(v);
        let image = format!("udf=example/cat:v{v}");
        admin_expect(
            0,
            &ns,
            &[
                "rollout",
                "set",
                "image",
                "vertex/p-cat",
                &image,
                "--change-cause",
                &cause,
            ],
        )
        .await;
        admin_expect(
            0,
            &ns,
            &["rollout", "status", "pipeline/p", "--timeout", "60s"],
        )
        .await;
    }
    let r = admin_expect(0, &ns, &["rollout", "history", "pipeline/p", "-o", "json"]).await;
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let revisions = doc["revisions"].as_array().expect("revisions");
    assert!(
        (1..7).contains(&revisions.len()),
        "pruned to what fits, newest kept: {revisions:?}"
    );
    let newest = revisions.last().unwrap();
    assert_eq!(
        (&newest["current"], newest["changeCause"].as_str()),
        (&json!(true), Some(cause(7).as_str()))
    );

    // Read commands render such objects without dumping them.
    let selector = format!("{}.example.com/label-0={long}", "k".repeat(200));
    for args in [
        &["rollout", "list", "-o", "wide"][..],
        &[
            "rollout",
            "status",
            "pipelines",
            "-l",
            &selector,
            "--watch=false",
        ],
        &["rollout", "get", "pipeline/p"],
        &["rollout", "history", "pipeline/p"],
    ] {
        let r = admin_expect(0, &ns, args).await;
        assert!(
            ["p-cat", "pipeline/p", "pipeline \"p\""]
                .iter()
                .any(|p| r.stdout.contains(p)),
            "{args:?} shows the pipeline: {r:?}"
        );
        let out = format!("{}{}", r.stdout, r.stderr);
        assert!(
            !out.contains("example.com/label-") && !out.contains("fffff"),
            "{args:?} dumps no label or annotation: {r:?}"
        );
    }
}

/// The world's watchdog (`testenv::nudge`) wakes Numaflow's controller when it stopped in
/// the race where every new pod is Ready but `updatedReadyReplicas` was counted before the
/// last one was: it annotates a new pod, which a pod event would have done. A monovertex
/// whose new pod is not Ready is left alone: both are looked at in the same passes, so
/// when the first is nudged the second would have been too.
#[tokio::test]
async fn the_world_wakes_the_controller_stuck_before_the_last_ready_pod() {
    let (ns, client) = setup("nudge").await;
    let stuck = json!({
        "phase": "Running", "observedGeneration": 1,
        "desiredReplicas": 2, "replicas": 2, "readyReplicas": 2,
        "updatedReplicas": 1, "updatedReadyReplicas": 0,
        "currentHash": "h1", "updateHash": "h2",
    });
    for (name, ready) in [("stuck", 2), ("moving", 1)] {
        create_with_status(
            &client,
            &ns,
            "MonoVertex",
            json!({"metadata": {"name": name}, "spec": {"replicas": 2,
                "sink": {"udsink": {"container": {"image": "example/sink:v1"}}}}}),
            stuck.clone(),
        )
        .await;
        let label = [("numaflow.numaproj.io/mono-vertex-name", name)];
        // The new pod (h2) first: `ready` marks the first pods Ready.
        let pods = vec![
            pod(&format!("{name}-0"), &label, Some("h2"), 0),
            pod(&format!("{name}-1"), &label, Some("h1"), 1),
        ];
        create_pods(
            &client,
            &ns,
            if ready == 2 {
                pods
            } else {
                pods.into_iter().rev().collect()
            },
            ready,
        )
        .await;
    }
    let api = Api::<Pod>::namespaced(client.clone(), &ns);
    let nudged = |p: &Pod| {
        p.metadata
            .annotations
            .as_ref()
            .is_some_and(|a| a.contains_key(testenv::nudge::NUDGE_ANNOTATION))
    };
    eventually(
        "the stuck monovertex's new pod to be nudged",
        Duration::from_secs(60),
        || async {
            let p = api.get("stuck-0").await.ok()?;
            nudged(&p).then_some(())
        },
    )
    .await;
    let others: Vec<String> = api
        .list(&Default::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|p| nudged(p) && p.metadata.name.as_deref() != Some("stuck-0"))
        .filter_map(|p| p.metadata.name)
        .collect();
    assert!(others.is_empty(), "only stuck-0 is nudged, not {others:?}");
}
