//! Who owns the spec: objects shaped as Numaplane, Argo CD and Flux leave them, on the
//! real API server with Numaflow's own controller. Under Numaplane every spec write is
//! refused (exit 1, nothing written) unless forced; under Argo CD and Flux it goes ahead
//! with a warning on stderr; `restart` changes no spec and says nothing.

mod common;

use std::path::PathBuf;

use common::*;
use kube::api::{Api, DynamicObject, PostParams};
use kube::core::{ApiResource, GroupVersionKind};
use kube::Client;
use serde_json::{json, Value};
use testenv::User;

/// Installs Numaplane's CRDs (tests/data/numaplane) once more: server-side apply, so
/// every test may do it.
async fn numaplane_crds(client: &Client) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/numaplane");
    let files = ["pipelinerollouts.yaml", "monovertexrollouts.yaml"].map(|f| dir.join(f));
    testenv::crds::install(client, &files)
        .await
        .expect("numaplane CRDs");
}

/// Creates the Numaplane object `kind`/`name` (its spec is not read by anything here)
/// and returns the ownerReference its children carry.
async fn rollout_object(client: &Client, ns: &str, kind: &str, name: &str) -> Value {
    let gvk = GroupVersionKind::gvk("numaplane.numaproj.io", "v1alpha1", kind);
    let plural = format!("{}s", kind.to_lowercase());
    let api: Api<DynamicObject> = Api::namespaced_with(
        client.clone(),
        ns,
        &ApiResource::from_gvk_with_plural(&gvk, &plural),
    );
    let obj: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "numaplane.numaproj.io/v1alpha1", "kind": kind,
        "metadata": {"name": name, "namespace": ns}, "spec": {},
    }))
    .unwrap();
    let made = api
        .create(&PostParams::default(), &obj)
        .await
        .expect("create rollout object");
    json!([{"apiVersion": "numaplane.numaproj.io/v1alpha1", "kind": kind, "name": name,
            "uid": made.metadata.uid, "controller": true, "blockOwnerDeletion": true}])
}

/// Creates a MonoVertex `name` with `metadata` merged in (labels, annotations,
/// ownerReferences), as its manager would leave it.
async fn monovertex(client: &Client, ns: &str, name: &str, metadata: Value, manager: Option<&str>) {
    let mut meta = json!({"name": name, "namespace": ns});
    for (k, v) in metadata.as_object().unwrap() {
        meta[k] = v.clone();
    }
    let obj: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "MonoVertex", "metadata": meta,
        "spec": {"replicas": 1, "source": {"udsource": {"container": {"image": "example/src:v1"}}},
                 "sink": {"udsink": {"container": {"image": "example/sink:v1"}}}},
    }))
    .unwrap();
    let pp = PostParams {
        field_manager: manager.map(str::to_string),
        ..PostParams::default()
    };
    numaflow(client, ns, "MonoVertex")
        .create(&pp, &obj)
        .await
        .expect("create monovertex");
}

/// What a write of the plugin would change: the spec and the annotations (status and
/// resourceVersion move with the controller's own writes).
async fn spec_of(client: &Client, ns: &str, kind: &str, name: &str) -> (Value, Value) {
    let o = numaflow(client, ns, kind).get(name).await.expect("get");
    (o.data["spec"].clone(), json!(o.metadata.annotations))
}

async fn rollout(ns: &str, args: &[&str]) -> Run {
    let mut all = vec!["rollout"];
    all.extend_from_slice(args);
    plugin(User::Admin, ns, &all).await
}

async fn rolled_out(ns: &str, target: &str) {
    let r = rollout(ns, &["status", target, "--timeout", "90s"]).await;
    assert_eq!(r.code, 0, "{r:?}");
}

#[tokio::test]
async fn writes_under_numaplane_are_refused_and_forced_writes_warn() {
    let (ns, client) = setup("numaplane").await;
    numaplane_crds(&client).await;
    let owner = rollout_object(&client, &ns, "MonoVertexRollout", "m").await;
    let labels = json!({"numaplane.numaproj.io/upgrade-state": "promoted"});
    monovertex(
        &client,
        &ns,
        "m-0",
        json!({"ownerReferences": owner, "labels": labels}),
        Some("numaplane"),
    )
    .await;
    rolled_out(&ns, "mvtx/m-0").await;
    let before = spec_of(&client, &ns, "MonoVertex", "m-0").await;
    // Every command that writes a spec, also a dry run, also one that would change
    // nothing (resume of a rollout that is not paused).
    for args in [
        vec!["pause", "mvtx/m-0"],
        vec!["pause", "mvtx/m-0", "--dry-run=server"],
        vec!["pause", "mvtx/m-0", "-o", "json"],
        vec!["resume", "mvtx/m-0"],
        vec!["set", "image", "mvtx/m-0", "udsink=example/sink:v2"],
        vec!["set", "strategy", "mvtx/m-0", "--max-unavailable", "2"],
        vec!["undo", "mvtx/m-0"],
        vec!["step", "mvtx/m-0", "--pods", "1"],
        vec!["promote", "mvtx/m-0", "--timeout", "10s"],
        vec![
            "status",
            "mvtx/m-0",
            "--rollback-on-failure",
            "--timeout",
            "10s",
        ],
    ] {
        let r = rollout(&ns, &args).await;
        assert_eq!(r.code, 1, "{args:?}: {r:?}");
        assert!(r.stdout.is_empty(), "{args:?}: {r:?}");
        for want in [
            "refused: monovertex/m-0 is managed by Numaplane (MonoVertexRollout ",
            &format!("MonoVertexRollout {ns}/m, by its ownerReference"),
            "nothing was written. Change spec.monoVertex of the MonoVertexRollout instead, or pass --force",
        ] {
            assert!(r.stderr.contains(want), "{args:?}: want {want:?} in {r:?}");
        }
        assert_eq!(
            spec_of(&client, &ns, "MonoVertex", "m-0").await,
            before,
            "{args:?} wrote"
        );
    }
    // restart changes no spec: no refusal, no warning.
    let r = rollout(&ns, &["restart", "mvtx/m-0", "--timeout", "90s"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(!r.stderr.contains("managed by"), "{r:?}");
    // --force writes, and says on stderr that Numaplane will revert it.
    let r = rollout(&ns, &["pause", "mvtx/m-0", "--force", "-o", "name"]).await;
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "monovertex/m-0\n"),
        "{r:?}"
    );
    assert!(
        r.stderr.contains(&format!(
            "kubectl-numa: warning: monovertex/m-0 is managed by Numaplane (MonoVertexRollout {ns}/m): \
written anyway (--force), but Numaplane will revert this change within seconds"
        )),
        "{r:?}"
    );
    assert_ne!(spec_of(&client, &ns, "MonoVertex", "m-0").await.0, before.0);
}

#[tokio::test]
async fn numaplane_children_show_their_manager_and_upgrade_state() {
    let (ns, client) = setup("children").await;
    numaplane_crds(&client).await;
    let owner = rollout_object(&client, &ns, "PipelineRollout", "my-pl").await;
    for (name, state) in [("my-pl-0", "promoted"), ("my-pl-1", "trial")] {
        let obj: DynamicObject = serde_json::from_value(json!({
            "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
            "metadata": {"name": name, "namespace": ns, "ownerReferences": owner,
                         "labels": {"numaplane.numaproj.io/upgrade-state": state}},
            "spec": pipeline_spec(vec![udf("cat", 1, "example/cat:v1")]),
        }))
        .unwrap();
        numaflow(&client, &ns, "Pipeline")
            .create(&PostParams::default(), &obj)
            .await
            .unwrap();
    }
    // status on the trial child works as on any pipeline.
    rolled_out(&ns, "pipeline/my-pl-1").await;
    rolled_out(&ns, "pipeline/my-pl-0").await;
    let r = rollout(&ns, &["get", "pipeline/my-pl-1"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[2..4],
        [
            format!("  managed by PipelineRollout {ns}/my-pl; its spec is re-applied from there")
                .as_str(),
            "  Numaplane upgrade state: trial",
        ],
        "{r:?}"
    );
    // The vertex's spec is its Pipeline's: the same manager.
    let r = rollout(&ns, &["get", "vertex/my-pl-0-cat", "-o", "json"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let doc = if doc["items"].is_array() {
        doc["items"][0].clone()
    } else {
        doc
    };
    assert_eq!(
        doc["managedBy"],
        json!({"tool": "Numaplane", "kind": "PipelineRollout", "name": "my-pl", "namespace": ns,
               "evidence": "ownerReference"}),
        "{r:?}"
    );
    assert_eq!(doc["upgradeState"], "promoted", "{r:?}");
    assert_eq!(
        doc["workloads"][0]["managedBy"]["kind"], "PipelineRollout",
        "{r:?}"
    );
    // list: an UPGRADE column, and MANAGED BY with -o wide.
    let r = rollout(&ns, &["list", "-o", "wide"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    let mut rows = r.stdout.lines();
    let header: Vec<&str> = rows
        .next()
        .unwrap()
        .split("   ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let upgrade = header
        .iter()
        .position(|c| *c == "UPGRADE")
        .expect("UPGRADE column");
    let managed = header
        .iter()
        .position(|c| *c == "MANAGED BY")
        .expect("MANAGED BY column");
    let mut seen = Vec::new();
    for row in rows {
        let cells: Vec<&str> = row
            .split("   ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        seen.push((
            cells[0].to_string(),
            cells[upgrade].to_string(),
            cells[managed].to_string(),
        ));
    }
    let pr = format!("PipelineRollout {ns}/my-pl");
    for (name, state) in [("my-pl-0-cat", "promoted"), ("my-pl-1-in", "trial")] {
        assert!(
            seen.contains(&(name.to_string(), state.to_string(), pr.clone())),
            "{name}: {seen:?}"
        );
    }
    // A vertex target of a managed Pipeline is refused too.
    let r = rollout(&ns, &["pause", "vertex/my-pl-1-cat"]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains(&format!(
            "pause vertex/my-pl-1-cat (pipeline/my-pl-1): refused: pipeline/my-pl-1 is managed by Numaplane (PipelineRollout {ns}/my-pl"
        )) && r.stderr.contains("Change spec.pipeline of the PipelineRollout instead"),
        "{r:?}"
    );
}

#[tokio::test]
async fn writes_under_argo_cd_and_flux_warn_on_stderr_only() {
    let (ns, client) = setup("gitops").await;
    let tracking = format!("guestbook:numaflow.numaproj.io/MonoVertex:{ns}/argo");
    let cases = [
        (
            "argo",
            json!({"annotations": {"argocd.argoproj.io/tracking-id": tracking}}),
            None,
            "is managed by Argo CD application guestbook: the next sync (at once with self-heal) will revert this change unless git changes too",
        ),
        (
            "argo-label",
            json!({"labels": {"app.kubernetes.io/instance": "guestbook"}}),
            None,
            "is managed by Argo CD application guestbook: the next sync",
        ),
        (
            "argo-fields",
            json!({}),
            Some("argocd-controller"),
            "is managed by an Argo CD application: the next sync",
        ),
        (
            "kustomized",
            json!({"labels": {"kustomize.toolkit.fluxcd.io/name": "apps", "kustomize.toolkit.fluxcd.io/namespace": "flux-system"}}),
            Some("kustomize-controller"),
            "is managed by Flux Kustomization flux-system/apps: the next reconcile will revert this change unless git changes too",
        ),
        (
            "helmed",
            json!({"labels": {"helm.toolkit.fluxcd.io/name": "numa", "helm.toolkit.fluxcd.io/namespace": "apps",
                              "app.kubernetes.io/instance": "numa", "app.kubernetes.io/managed-by": "Helm"}}),
            Some("helm-controller"),
            "is managed by Flux HelmRelease apps/numa: the next reconcile",
        ),
    ];
    for (name, meta, manager, _) in &cases {
        monovertex(&client, &ns, name, meta.clone(), *manager).await;
    }
    for (name, _, _, warning) in &cases {
        rolled_out(&ns, &format!("mvtx/{name}")).await;
        let target = format!("mvtx/{name}");
        let r = rollout(
            &ns,
            &[
                "set",
                "image",
                &target,
                "udsink=example/sink:v2",
                "-o",
                "json",
            ],
        )
        .await;
        assert_eq!(r.code, 0, "{name}: {r:?}");
        let doc: Value = serde_json::from_str(&r.stdout)
            .unwrap_or_else(|e| panic!("{name}: stdout is not JSON ({e}): {r:?}"));
        assert!(doc["managedBy"]["tool"].is_string(), "{name}: {r:?}");
        assert!(
            r.stderr.contains(&format!(
                "kubectl-numa: warning: monovertex/{name} {warning}"
            )),
            "{name}: {r:?}"
        );
        let (spec, _) = spec_of(&client, &ns, "MonoVertex", name).await;
        assert_eq!(
            spec["sink"]["udsink"]["container"]["image"], "example/sink:v2",
            "{name}"
        );
        // A write that changes nothing warns of nothing.
        let r = rollout(&ns, &["set", "image", &target, "udsink=example/sink:v2"]).await;
        assert_eq!(r.code, 0, "{name}: {r:?}");
        assert!(!r.stderr.contains("warning"), "{name}: {r:?}");
        let r = rollout(&ns, &["get", &target]).await;
        assert!(
            r.stdout.contains("; its spec is re-applied from there\n"),
            "{name}: {r:?}"
        );
    }
    // No manager: no line, no warning, null in JSON.
    monovertex(&client, &ns, "plain", json!({"labels": {"app.kubernetes.io/instance": "rel", "app.kubernetes.io/managed-by": "Helm"}}), None).await;
    rolled_out(&ns, "mvtx/plain").await;
    let r = rollout(&ns, &["pause", "mvtx/plain", "-o", "json"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.is_empty(), "{r:?}");
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["managedBy"], Value::Null, "{r:?}");
}
