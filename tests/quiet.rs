//! Where Numaflow's controllers are quiet (issue 28): a workload that wants no pods,
//! a spec rejected before any pod is touched, a failure left from an older generation,
//! a daemon Deployment that never becomes available, a pod ready again right after an
//! OOM kill, an old pod stuck terminating, a typo in the InterStepBufferService name,
//! and a ResourceQuota that refuses pods. Each against Numaflow's own controller in the test world; where it cannot
//! produce the state, the test stages the objects as upstream's code leaves them and
//! says why.

mod common;

use std::time::Duration;

use common::*;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams, Patch, PatchParams, PostParams};
use serde_json::{json, Value};
use testenv::names::{INSTANCE_ANNOTATION, UNMANAGED_INSTANCE, UNMANAGED_SCHEDULER};
use testenv::User;

const T: Duration = Duration::from_secs(60);

/// Runs `status --watch=false` on `target` until its output contains `needle`, and
/// returns that run.
async fn once_until(ns: &str, target: &str, needle: &str) -> Run {
    eventually(&format!("{target}: {needle}"), T, || async {
        let r = plugin(
            User::Admin,
            ns,
            &["rollout", "status", target, "--watch=false"],
        )
        .await;
        r.stdout.contains(needle).then_some(r)
    })
    .await
}

#[tokio::test]
async fn a_monovertex_at_zero_replicas_completes() {
    let (ns, client) = setup("zero-mvtx").await;
    create_monovertex(&client, &ns, "m", 0, "example/sink:v1").await;
    // Numaflow writes no updatedReplicas (omitempty) for a MonoVertex that wants no pods.
    let r = admin_expect(0, &ns, &["rollout", "status", "mvtx/m", "--timeout", "60s"]).await;
    assert!(
        r.stdout
            .ends_with("monovertex \"m\" successfully rolled out\n"),
        "{r:?}"
    );
    let st = numaflow(&client, &ns, "MonoVertex")
        .get("m")
        .await
        .unwrap()
        .data["status"]
        .clone();
    assert!(
        st.get("updatedReplicas").is_none(),
        "the state this test is about: {st}"
    );
    // A spec change at zero replicas rolls no pod, and completes too.
    edit_spec(&client, &ns, "MonoVertex", "m", |spec| {
        spec["sink"]["udsink"]["container"]["image"] = json!("example/sink:v2");
    })
    .await;
    admin_expect(0, &ns, &["rollout", "status", "mvtx/m", "--timeout", "60s"]).await;
}

#[tokio::test]
async fn an_idle_pipeline_vertex_at_scale_zero_completes_and_is_not_paused() {
    let (ns, client) = setup("zero-vtx").await;
    create_pipeline(&client, &ns, "p", vec![udf("cat", 0, "example/cat:v1")]).await;
    let r = admin_expect(
        0,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "60s"],
    )
    .await;
    assert!(
        r.stdout
            .ends_with("pipeline \"p\" successfully rolled out\n"),
        "{r:?}"
    );
    assert!(pods(&client, &ns, "p", "cat").await.is_empty());
    let r = admin_expect(
        0,
        &ns,
        &["rollout", "status", "vertex/p-cat", "--watch=false"],
    )
    .await;
    assert!(
        r.stdout
            .contains("vertex \"p-cat\" successfully rolled out"),
        "{r:?}"
    );
    // restart has nothing to replace and does not call a zero step a pause.
    let r = plugin(User::Admin, &ns, &["rollout", "restart", "vertex/p-cat"]).await;
    assert!(
        !r.stderr.contains("is paused") && !r.stderr.contains("in progress"),
        "{r:?}"
    );
    assert_eq!(r.code, 0, "{r:?}");
}

#[tokio::test]
async fn a_monovertex_spec_its_controller_rejects_fails_naming_invalid_spec() {
    let (ns, client) = setup("mvtx-invalid").await;
    create_monovertex(&client, &ns, "m", 2, "example/sink:v1").await;
    admin_expect(0, &ns, &["rollout", "status", "mvtx/m", "--timeout", "60s"]).await;
    // `numa` is reserved for Numaflow's own container: ValidateMonoVertex refuses it
    // after observedGeneration is set, before any hash or pod changes.
    edit_spec(&client, &ns, "MonoVertex", "m", |spec| {
        spec["sidecars"] = json!([{"name": "numa", "image": "example/side:v1"}]);
    })
    .await;
    let r = admin_expect(3, &ns, &["rollout", "status", "mvtx/m", "--timeout", "60s"]).await;
    assert!(
        r.stdout.contains("monovertex \"m\" rollout failed: phase Failed: InvalidSpec: invalid sidecar container name: \"numa\" is reserved"),
        "{r:?}"
    );
    // Validation comes before any lifecycle step: with desiredPhase Paused as well the
    // rollout is failed (3), not paused (5).
    edit_spec(&client, &ns, "MonoVertex", "m", |spec| {
        spec["lifecycle"] = json!({"desiredPhase": "Paused"});
    })
    .await;
    let r = admin_expect(3, &ns, &["rollout", "status", "mvtx/m", "--timeout", "60s"]).await;
    assert!(r.stdout.contains("InvalidSpec"), "{r:?}");
}

#[tokio::test]
async fn a_failure_left_from_an_older_generation_is_in_progress_until_observed() {
    // Staged: Numaflow's controller sets observedGeneration at the start of every
    // reconcile, so the window between `kubectl apply` and its next reconcile is too
    // short to catch. The Pipeline is left exactly as the controller leaves a rejected
    // spec, then its spec changes (generation 2) and nobody observes it.
    let (ns, client) = setup("older-gen").await;
    let api = numaflow(&client, &ns, "Pipeline");
    let mut obj: Value = json!({
        "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
        "metadata": {"name": "p", "namespace": ns,
                     "annotations": {INSTANCE_ANNOTATION: UNMANAGED_INSTANCE}},
        "spec": pipeline_spec(vec![udf("cat", 1, "example/cat:v1")]),
    });
    api.create(
        &PostParams::default(),
        &serde_json::from_value(obj.clone()).unwrap(),
    )
    .await
    .unwrap();
    api.patch_status(
        "p",
        &PatchParams::default(),
        &Patch::Merge(
            json!({"status": {"phase": "Failed", "observedGeneration": 1,
            "message": "invalid edge: no vertex named \"ghost\"",
            "conditions": [{"type": "Configured", "status": "False", "reason": "InvalidSpec",
                "message": "invalid edge: no vertex named \"ghost\"",
                "lastTransitionTime": "2026-03-01T12:00:00Z"}]}}),
        ),
    )
    .await
    .unwrap();
    let r = admin_expect(
        3,
        &ns,
        &["rollout", "status", "pipeline/p", "--watch=false"],
    )
    .await;
    assert!(
        r.stdout.contains("InvalidSpec"),
        "observed, rejected: {r:?}"
    );
    obj["spec"] = pipeline_spec(vec![udf("cat", 1, "example/cat:v2")]);
    edit_spec(&client, &ns, "Pipeline", "p", |spec| {
        *spec = obj["spec"].clone()
    })
    .await;
    let r = admin_expect(
        6,
        &ns,
        &["rollout", "status", "pipeline/p", "--watch=false"],
    )
    .await;
    assert!(
        r.stdout
            .contains("Waiting for pipeline \"p\" spec update to be observed..."),
        "{r:?}"
    );
}

#[tokio::test]
async fn a_pipeline_waits_for_its_daemon_deployment() {
    let (ns, client) = setup("daemon").await;
    // A daemon template no node can take: its pod stays Pending, so the daemon
    // Deployment never becomes available and the pipeline controller reports
    // DaemonServiceHealthy False, while every vertex rolls out.
    let mut spec = pipeline_spec(vec![udf("cat", 1, "example/cat:v1")]);
    spec["templates"] =
        json!({"daemon": {"nodeSelector": {"testenv.kubectl-numa.io/no-such-node": "x"}}});
    let obj = json!({
        "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
        "metadata": {"name": "p", "namespace": ns}, "spec": spec,
    });
    numaflow(&client, &ns, "Pipeline")
        .create(
            &PostParams::default(),
            &serde_json::from_value(obj).unwrap(),
        )
        .await
        .unwrap();
    let vertices = numaflow(&client, &ns, "Vertex");
    eventually(
        "the pipeline controller created vertex p-cat",
        T,
        || async { vertices.get_opt("p-cat").await.unwrap().map(|_| ()) },
    )
    .await;
    admin_expect(
        0,
        &ns,
        &["rollout", "status", "vertex/p-cat", "--timeout", "60s"],
    )
    .await;
    let r = once_until(&ns, "pipeline/p", "0 of 1 updated replicas are available").await;
    assert_eq!(r.code, 6, "{r:?}");
    assert!(
        r.stdout.contains(
            "Waiting for pipeline \"p\" rollout to finish: DaemonServiceHealthy False (Progressing): Waiting for deployment \"p-daemon\" rollout to finish"
        ),
        "{r:?}"
    );
    let r = admin_expect(0, &ns, &["rollout", "get", "pipeline/p"]).await;
    assert!(
        r.stdout
            .contains("\n  DaemonServiceHealthy False (Progressing): "),
        "{r:?}"
    );
    let r = admin_expect(0, &ns, &["rollout", "get", "pipeline/p", "-o", "json"]).await;
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["daemons"][0]["type"], "DaemonServiceHealthy", "{doc}");
    assert_eq!(doc["daemons"][0]["status"], "False", "{doc}");
    // Schedulable again: the controller recreates the daemon, and the pipeline completes.
    edit_spec(&client, &ns, "Pipeline", "p", |spec| {
        spec.as_object_mut().unwrap().remove("templates");
    })
    .await;
    admin_expect(
        0,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "60s"],
    )
    .await;
}

#[tokio::test]
async fn a_pod_ready_again_after_an_oom_kill_is_not_rolled_out_yet() {
    let (ns, client) = rolled_out_cat("oom-recent", 1).await;
    // kwok's restart-after Stage: ready, then OOM-killed (exit 137) and ready again.
    set_udf_image(&client, &ns, "p", "cat", "example/cat:v2-restart-after-300").await;
    eventually("the new pod restarted once and is ready", T, || async {
        let pods = pods(&client, &ns, "p", "cat").await;
        // udf is a sidecar (an init container with restartPolicy Always) in Numaflow 1.8.
        pods.iter()
            .any(|p| {
                let restarted = p.status.as_ref().is_some_and(|s| {
                    let all = s
                        .init_container_statuses
                        .iter()
                        .chain(&s.container_statuses);
                    all.flatten().any(|c| c.restart_count == 1)
                });
                restarted && is_ready(p)
            })
            .then_some(())
    })
    .await;
    // Numaflow's CheckPodsStatus counts it unhealthy for 2 minutes: progressing.
    let r = admin_expect(
        6,
        &ns,
        &["rollout", "status", "vertex/p-cat", "--watch=false"],
    )
    .await;
    assert!(
        r.stdout.contains("container udf restarted ")
            && r.stdout.contains("ago (OOMKilled, exit code 137); Numaflow counts it unhealthy until 2m has passed..."),
        "{r:?}"
    );
}

#[tokio::test]
async fn an_old_pod_stuck_terminating_holds_nothing() {
    // Staged pod: kwok's pod-delete Stage empties the finalizers of every pod on its
    // nodes, so in this world a pod stuck Terminating (a finalizer, an unreachable
    // node) is one no kwok node runs. It carries the vertex's labels and an old hash,
    // as a replica the controller had deleted; Numaflow's own controller rolls the
    // vertex, and its findExistingPods ignores the pod once it is terminating.
    let (ns, client) = rolled_out_cat("terminating", 2).await;
    let api = Api::<Pod>::namespaced(client.clone(), &ns);
    let stuck: Pod = serde_json::from_value(json!({
        "metadata": {"name": "p-cat-1-stuck", "finalizers": ["testenv.kubectl-numa.io/hold"],
            "labels": {"numaflow.numaproj.io/pipeline-name": "p", "numaflow.numaproj.io/vertex-name": "cat",
                       "app.kubernetes.io/component": "vertex"},
            "annotations": {"numaflow.numaproj.io/hash": "0ld0ld0ld0ld0ld0", "numaflow.numaproj.io/replica": "1"}},
        "spec": {"schedulerName": UNMANAGED_SCHEDULER,
                 "containers": [{"name": "udf", "image": "example/cat:v0"}]},
    }))
    .unwrap();
    api.create(&PostParams::default(), &stuck).await.unwrap();
    api.delete("p-cat-1-stuck", &DeleteParams::default())
        .await
        .unwrap();
    set_udf_image(&client, &ns, "p", "cat", "example/cat:v2").await;
    let r = admin_expect(
        0,
        &ns,
        &["rollout", "status", "vertex/p-cat", "--timeout", "60s"],
    )
    .await;
    assert!(
        r.stdout
            .ends_with("vertex \"p-cat\" successfully rolled out\n"),
        "{r:?}"
    );
    let r = admin_expect(0, &ns, &["rollout", "get", "vertex/p-cat"]).await;
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("p-cat-1-stuck"))
        .unwrap_or_else(|| panic!("{r:?}"));
    assert!(line.contains("Terminating"), "{line}");
    let held = api.get("p-cat-1-stuck").await.unwrap();
    assert!(
        held.metadata.deletion_timestamp.is_some(),
        "still terminating"
    );
    api.patch(
        "p-cat-1-stuck",
        &PatchParams::default(),
        &Patch::Merge(json!({"metadata": {"finalizers": null}})),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn a_typo_in_the_isbsvc_name_is_named_from_the_first_read() {
    let (ns, client) = setup("isbsvc-typo").await;
    let mut spec = pipeline_spec(vec![udf("cat", 1, "example/cat:v1")]);
    spec["interStepBufferServiceName"] = json!("defualt");
    let obj = json!({
        "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
        "metadata": {"name": "p", "namespace": ns}, "spec": spec,
    });
    numaflow(&client, &ns, "Pipeline")
        .create(
            &PostParams::default(),
            &serde_json::from_value(obj).unwrap(),
        )
        .await
        .unwrap();
    let r = once_until(&ns, "pipeline/p", "isbsvc defualt not found").await;
    assert_eq!(r.code, 6, "{r:?}");
    assert!(
        r.stdout.contains("Waiting for pipeline \"p\": its controller reports phase Failed (ReconcileFixedResourcesFailed: isbsvc defualt not found) and retries..."),
        "{r:?}"
    );
    // Fixed: the pipeline rolls out.
    edit_spec(&client, &ns, "Pipeline", "p", |spec| {
        spec["interStepBufferServiceName"] = json!("default");
    })
    .await;
    admin_expect(
        0,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "60s"],
    )
    .await;
}

#[tokio::test]
async fn a_crash_looping_daemon_pod_fails_the_pipeline() {
    // Staged pod: the daemon's container runs the controller's own image
    // (NUMAFLOW_IMAGE), which no pipeline spec can change, so no kwok Stage fault word
    // reaches it. The pod is labelled as the pipeline controller labels its daemon's,
    // on a scheduler that does not run, with the status a kubelet writes for a crash loop.
    let (ns, client) = rolled_out_cat("daemon-crash", 1).await;
    let api = Api::<Pod>::namespaced(client.clone(), &ns);
    let daemon: Pod = serde_json::from_value(json!({
        "metadata": {"name": "p-daemon-5d8f9c7b6-x2x9q",
            "labels": {"numaflow.numaproj.io/pipeline-name": "p", "app.kubernetes.io/component": "daemon"}},
        "spec": {"schedulerName": UNMANAGED_SCHEDULER,
                 "containers": [{"name": "main", "image": "quay.io/numaproj/numaflow:v1.8.1"}]},
    }))
    .unwrap();
    api.create(&PostParams::default(), &daemon).await.unwrap();
    api.patch_status(
        "p-daemon-5d8f9c7b6-x2x9q",
        &PatchParams::default(),
        &Patch::Merge(json!({"status": {"phase": "Running", "containerStatuses": [{
            "name": "main", "image": "quay.io/numaproj/numaflow:v1.8.1", "imageID": "", "ready": false,
            "restartCount": 3, "state": {"waiting": {"reason": "CrashLoopBackOff",
                "message": "back-off 40s restarting failed container=main"}}}]}})),
    )
    .await
    .unwrap();
    let r = admin_expect(
        3,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "60s"],
    )
    .await;
    assert!(
        r.stdout.contains("pipeline \"p\" rollout failed: daemon pod p-daemon-5d8f9c7b6-x2x9q container main: CrashLoopBackOff: back-off 40s restarting failed container=main"),
        "{r:?}"
    );
    // A vertex target is judged on its own pods.
    admin_expect(
        0,
        &ns,
        &["rollout", "status", "vertex/p-cat", "--watch=false"],
    )
    .await;
}

/// A ResourceQuota that refuses a vertex's new pod: Numaflow's vertex controller records
/// the generation as observed, fails `orchestratePods` (`MarkDeployFailed`, reason
/// `OrchestratePodsFailed`, the quota's "exceeded quota") and retries with backoff. The
/// plugin names that reason from the first read and keeps waiting: a retry succeeds as
/// soon as the quota allows the pod (raised, or another pod gone), so it is not a failed
/// rollout; `--timeout` or `--progress-deadline` ends a wait for one that never does.
#[tokio::test]
async fn a_quota_that_refuses_pods_is_named_and_waited_for() {
    let (ns, client) = rolled_out_cat("quota", 1).await;
    let pods_api: Api<Pod> = Api::namespaced(client.clone(), &ns);
    let running = pods_api
        .list(&Default::default())
        .await
        .unwrap()
        .items
        .iter()
        .filter(|p| {
            let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
            !matches!(phase, Some("Succeeded" | "Failed"))
        })
        .count();
    // One pod less than the namespace runs now: no new pod fits, also when the
    // controller deletes an old one before it creates its replacement (under the
    // minimal CRDs the edit below changes the pod spec's hash, a rolling update). The
    // daemon's new pod, which the edit asks for too, is refused as well; this test reads
    // the vertex.
    let quotas: Api<k8s_openapi::api::core::v1::ResourceQuota> =
        Api::namespaced(client.clone(), &ns);
    let hard = |n: usize| json!({"spec": {"hard": {"pods": n.to_string()}}});
    let quota = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "pods"},
        "spec": hard(running - 1)["spec"],
    }))
    .unwrap();
    quotas.create(&PostParams::default(), &quota).await.unwrap();
    eventually("the quota controller counted the pods", T, || async {
        let q = quotas.get("pods").await.ok()?;
        let used = q.status?.used?.get("pods")?.0.clone();
        (used == running.to_string()).then_some(())
    })
    .await;
    edit_spec(&client, &ns, "Pipeline", "p", |spec| {
        for v in spec["vertices"].as_array_mut().unwrap() {
            if v["name"] == "cat" {
                v["scale"] = json!({"min": 2, "max": 2});
            }
        }
    })
    .await;
    let r = once_until(&ns, "vertex/p-cat", "exceeded quota").await;
    assert_eq!(r.code, 6, "in progress, not failed: {r:?}");
    assert!(
        r.stdout
            .contains("its controller reports phase Failed (OrchestratePodsFailed: ")
            && r.stdout.contains("and retries..."),
        "{r:?}"
    );
    let r = admin_expect(
        4,
        &ns,
        &["rollout", "status", "vertex/p-cat", "--timeout", "3s"],
    )
    .await;
    assert!(
        r.stderr.contains("exceeded quota"),
        "the timeout says why: {r:?}"
    );
    // Room for the pod: the controller's next retry creates it, and the rollout completes.
    quotas
        .patch(
            "pods",
            &PatchParams::default(),
            &Patch::Merge(hard(running + 5)),
        )
        .await
        .unwrap();
    admin_expect(
        0,
        &ns,
        &["rollout", "status", "vertex/p-cat", "--timeout", "90s"],
    )
    .await;
}

/// Going back to `currentHash` while a rollout is paused mid-way: Numaflow's vertex
/// controller (`orchestratePods`, "regular scaling" once `updateHash == currentHash`)
/// replaces every new pod at once, whatever `maxUnavailable` says, even the pause's 0.
/// From `undo` to the end, `status` must never call that paused (exit 5): it is in
/// progress (6) until every pod runs the old revision again, then complete (0).
#[tokio::test]
async fn an_undo_of_a_paused_rollout_is_in_progress_never_paused() {
    let (ns, client) = rolled_out_cat("revert", 4).await;
    admin_expect_line(0, &ns, "rollout history pipeline/p --record").await;
    let old_hash = numaflow(&client, &ns, "Vertex")
        .get("p-cat")
        .await
        .unwrap()
        .data["status"]["currentHash"]
        .clone();
    // Two of four pods moved to v2 (slow to be ready), then the pause holds the rest.
    admin_expect_line(
        0,
        &ns,
        "rollout set strategy vertex/p-cat --max-unavailable 2",
    )
    .await;
    admin_expect_line(
        0,
        &ns,
        "rollout set image vertex/p-cat udf=example/cat:v2-delay-1500",
    )
    .await;
    eventually("two pods on the new revision", T, || async {
        let v = numaflow(&client, &ns, "Vertex").get("p-cat").await.ok()?;
        (v.data["status"]["updatedReplicas"].as_i64() == Some(2)).then_some(())
    })
    .await;
    admin_expect_line(0, &ns, "rollout pause pipeline/p").await;
    eventually("the pause observed (exit 5)", T, || {
        let ns = ns.clone();
        async move {
            let r = plugin(
                User::Admin,
                &ns,
                &["rollout", "status", "vertex/p-cat", "--watch=false"],
            )
            .await;
            (r.code == 5).then_some(())
        }
    })
    .await;
    admin_expect_line(0, &ns, "rollout undo pipeline/p").await;
    let seen = std::sync::Mutex::new(Vec::new());
    eventually("the revert complete", T, || {
        let ns = ns.clone();
        let seen = &seen;
        async move {
            let r = plugin(
                User::Admin,
                &ns,
                &["rollout", "status", "vertex/p-cat", "--watch=false"],
            )
            .await;
            let mut seen = seen.lock().unwrap();
            assert_ne!(
                r.code, 5,
                "paused while pods are replaced, after {seen:?}: {r:?}"
            );
            assert!([0, 6].contains(&r.code), "{r:?}");
            seen.push(r.code);
            (r.code == 0).then_some(())
        }
    })
    .await;
    let hashes = hashes(&pods(&client, &ns, "p", "cat").await);
    assert_eq!(hashes.len(), 4, "{hashes:?}");
    assert!(
        hashes.iter().all(|h| json!(h) == old_hash),
        "every pod back on {old_hash}: {hashes:?}"
    );
}
