//! Revision history and undo against the real API server and Numaflow's own controller.

mod common;

use common::*;
use kube::api::{Patch, PatchParams};
use serde_json::json;
use testenv::User;

const HISTORY: &str = "kubectl-numa.io/revision-history";

/// A user-defined source `in`, udf `cat` (3 replicas) and user-defined sink `out`: a
/// valid pipeline as it is (`create_pipeline` adds no vertex), in this order.
fn three(cat_image: &str, in_image: &str) -> Vec<serde_json::Value> {
    let one = json!({"min": 1, "max": 1});
    vec![
        json!({"name": "in", "scale": one, "source": {"udsource": {"container": {"image": in_image}}}}),
        udf("cat", 3, cat_image),
        json!({"name": "out", "scale": one, "sink": {"udsink": {"container": {"image": "example/out:v1"}}}}),
    ]
}

/// Replaces the pipeline's vertices as `kubectl apply` of a new file would.
async fn apply(client: &kube::Client, ns: &str, vertices: Vec<serde_json::Value>) {
    edit_spec(client, ns, "Pipeline", "p", move |spec| {
        spec["vertices"] = json!(vertices.clone())
    })
    .await;
}

/// The image of each pod's `udf` container (Numaflow 1.8 runs it as a sidecar: an init
/// container that keeps running).
fn udf_images(pods: &[k8s_openapi::api::core::v1::Pod]) -> Vec<String> {
    pods.iter()
        .map(|p| {
            let spec = p.spec.as_ref().unwrap();
            let init = spec.init_containers.iter().flatten();
            let udf = spec.containers.iter().chain(init).find(|c| c.name == "udf");
            udf.and_then(|c| c.image.clone()).unwrap_or_default()
        })
        .collect()
}

async fn status(ns: &str, target: &str) -> Run {
    plugin(
        User::Admin,
        ns,
        &["rollout", "status", target, "--timeout", "60s"],
    )
    .await
}

#[tokio::test]
async fn status_records_and_undo_rolls_a_crash_loop_back() {
    let (ns, client) = setup("undo").await;
    create_pipeline(&client, &ns, "p", three("example/cat:v1", "example/in:v1")).await;
    let r = status(&ns, "pipeline/p").await;
    assert_eq!(r.code, 0, "{r:?}");
    let v1_hashes = hashes(&pods(&client, &ns, "p", "cat").await);
    let r = plugin(
        User::Admin,
        &ns,
        &["rollout", "history", "pipeline/p", "-o", "json"],
    )
    .await;
    let doc: serde_json::Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|_| panic!("{r:?}"));
    assert_eq!(
        doc["revisions"].as_array().unwrap().len(),
        1,
        "status recorded r1: {r:?}"
    );
    assert_eq!(doc["revisions"][0]["current"], true);

    // v2: a crash-looping image, more replicas and a different pace.
    let mut v2 = three("example/crashloop:v2", "example/in:v1");
    // A pipeline vertex has no `replicas`: its count is pinned by `scale`.
    v2[1]["scale"] = json!({"min": 4, "max": 4});
    v2[1]["updateStrategy"] = json!({"rollingUpdate": {"maxUnavailable": "50%"}});
    apply(&client, &ns, v2).await;
    let r = status(&ns, "pipeline/p").await;
    assert_eq!(r.code, 3, "the crash loop is degraded: {r:?}");

    let r = admin_expect(0, &ns, &["rollout", "undo", "pipeline/p"]).await;
    assert_eq!(
        r.stdout,
        "pipeline/p rolled back to revision 1 (recorded as revision 3)\n"
    );
    let r = status(&ns, "pipeline/p").await;
    assert_eq!(r.code, 0, "{r:?}");
    let now = pods(&client, &ns, "p", "cat").await;
    assert_eq!(now.len(), 4, "replicas kept at v2's 4");
    // Numaflow hashes `scale` into the pod spec, so with v2's 4 replicas kept the pods
    // cannot carry v1's hash: they are all on one new hash, running v1's image.
    let now_hashes = hashes(&now);
    assert!(
        now_hashes.iter().all(|h| h == &now_hashes[0]) && now_hashes[0] != v1_hashes[0],
        "every pod on one hash, v1's content with v2's scale: {now_hashes:?}"
    );
    assert_eq!(
        udf_images(&now),
        ["example/cat:v1"; 4],
        "every pod back on v1's image"
    );
    let pl = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
    let cat = &pl.data["spec"]["vertices"][1];
    assert_eq!(cat["udf"]["container"]["image"], "example/cat:v1");
    assert_eq!(cat["scale"], json!({"min": 4, "max": 4}));
    // The full CRDs default a missing updateStrategy as a whole, not its `type` inside one.
    assert_eq!(
        cat["updateStrategy"],
        json!({"rollingUpdate": {"maxUnavailable": "50%"}})
    );

    let r = admin_expect(0, &ns, &["rollout", "history", "pipeline/p"]).await;
    let rows: Vec<&str> = r.stdout.lines().skip(2).collect();
    assert_eq!(
        rows.len(),
        2,
        "v1 moved to revision 3, v2 is revision 2: {r:?}"
    );
    assert!(rows[0].starts_with("2 "), "{r:?}");
    assert!(
        rows[1].starts_with("3 ") && rows[1].contains(" * "),
        "{r:?}"
    );
    assert!(
        rows[1].ends_with("kubectl numa rollout undo pipeline/p"),
        "change cause is the command line: {r:?}"
    );
}

#[tokio::test]
async fn undo_of_one_vertex_leaves_the_others_alone() {
    let (ns, client) = setup("undo1").await;
    create_pipeline(&client, &ns, "p", three("example/cat:v1", "example/in:v1")).await;
    let r = status(&ns, "pipeline/p").await;
    assert_eq!(r.code, 0, "{r:?}");
    apply(&client, &ns, three("example/cat:v2", "example/in:v2")).await;
    let r = status(&ns, "pipeline/p").await;
    assert_eq!(r.code, 0, "{r:?}");
    admin_expect(0, &ns, &["rollout", "undo", "vertex/p-cat"]).await;
    let pl = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
    let vs = &pl.data["spec"]["vertices"];
    assert_eq!(vs[1]["udf"]["container"]["image"], "example/cat:v1");
    assert_eq!(
        vs[0]["source"]["udsource"]["container"]["image"], "example/in:v2",
        "other vertices untouched"
    );
    assert_eq!(
        vs[2]["sink"]["udsink"]["container"]["image"],
        "example/out:v1"
    );
}

#[tokio::test]
async fn to_revision_dry_run_and_errors() {
    let (ns, client) = setup("torev").await;
    create_pipeline(&client, &ns, "p", three("example/cat:v1", "example/in:v1")).await;
    for img in ["v1", "v2", "v3"] {
        set_udf_image(&client, &ns, "p", "cat", &format!("example/cat:{img}")).await;
        admin_expect(
            0,
            &ns,
            &[
                "rollout",
                "history",
                "pipeline/p",
                "--record",
                "--change-cause",
                img,
            ],
        )
        .await;
    }
    let before = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
    let r = admin_expect(
        0,
        &ns,
        &[
            "rollout",
            "undo",
            "pipeline/p",
            "--to-revision",
            "1",
            "--dry-run",
        ],
    )
    .await;
    assert!(
        r.stdout.starts_with(
            "pipeline/p rolled back to revision 1 (recorded as revision 4) (dry run)\n"
        ),
        "{r:?}"
    );
    assert!(r.stdout.contains("- spec.vertices[cat].udf.container.image: \"example/cat:v3\"\n+ spec.vertices[cat].udf.container.image: \"example/cat:v1\""), "{r:?}");
    // The controller may write the pipeline's status meanwhile; a write by the plugin
    // would change the spec (generation) or the history annotation.
    let after = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
    assert_eq!(
        (&after.metadata.generation, &after.metadata.annotations),
        (&before.metadata.generation, &before.metadata.annotations),
        "dry run wrote nothing"
    );

    for (args, want) in [
        (
            vec!["--to-revision", "9"],
            "revision 9 not found; recorded revisions: 1, 2, 3",
        ),
        (
            vec!["--to-revision", "3"],
            "revision 3 is the current spec; recorded revisions: 1, 2, 3",
        ),
    ] {
        let mut full = vec!["rollout", "undo", "pipeline/p"];
        full.extend(args);
        let r = plugin(User::Admin, &ns, &full).await;
        assert_eq!(r.code, 1, "{r:?}");
        assert!(r.stderr.contains(want), "{r:?}");
    }
    admin_expect(
        0,
        &ns,
        &["rollout", "undo", "pipeline/p", "--to-revision", "1"],
    )
    .await;
    let pl = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
    assert_eq!(
        pl.data["spec"]["vertices"][1]["udf"]["container"]["image"],
        "example/cat:v1"
    );
    let r = admin_expect(
        0,
        &ns,
        &["rollout", "history", "vertex/p-cat", "--revision", "2"],
    )
    .await;
    assert!(r.stdout.contains("\"image\": \"example/cat:v2\""), "{r:?}");
    assert!(r.stdout.starts_with("vertex/p-cat revision 2 ("), "{r:?}");
}

#[tokio::test]
async fn corrupt_history_and_no_history_write_nothing() {
    let (ns, client) = setup("corrupt").await;
    create_monovertex(&client, &ns, "m", 1, "example/sink:v1").await;
    let api = numaflow(&client, &ns, "MonoVertex");
    let r = admin_expect(1, &ns, &["rollout", "undo", "mvtx/m"]).await;
    assert!(
        r.stderr
            .contains("no previous revision to undo to; recorded revisions: 1"),
        "{r:?}"
    );
    let patch = json!({"metadata": {"annotations": {HISTORY: "v1:not-base64!"}}});
    api.patch("m", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .unwrap();
    let before = api.get("m").await.unwrap();
    for args in [
        &["rollout", "undo", "mvtx/m"][..],
        &["rollout", "history", "mvtx/m"],
    ] {
        let r = admin_expect(1, &ns, args).await;
        assert!(
            r.stderr
                .contains("annotation kubectl-numa.io/revision-history cannot be read"),
            "{r:?}"
        );
    }
    // The plugin runs have exited: any write of theirs is visible now.
    let after = api.get("m").await.unwrap();
    assert_eq!(
        before.metadata.generation, after.metadata.generation,
        "spec not written"
    );
    assert_eq!(
        before.metadata.annotations, after.metadata.annotations,
        "annotations not written"
    );
}

#[tokio::test]
async fn set_image_records_before_and_after_and_viewers_are_not_recorded() {
    let (ns, client) = setup("viewer").await;
    create_pipeline(&client, &ns, "p", three("example/cat:v1", "example/in:v1")).await;
    let r = plugin(
        User::Viewer,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "60s"],
    )
    .await;
    assert_eq!(r.code, 0, "the viewer gets its status: {r:?}");
    assert!(
        r.stderr
            .contains("kubectl-numa: notice: revision not recorded"),
        "{r:?}"
    );
    assert!(r.stderr.contains("forbidden"), "{r:?}");
    let pl = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
    assert!(
        pl.metadata
            .annotations
            .as_ref()
            .is_none_or(|a| !a.contains_key(HISTORY)),
        "nothing recorded"
    );

    admin_expect(
        0,
        &ns,
        &[
            "rollout",
            "set",
            "image",
            "vertex/p-cat",
            "udf=example/cat:v2",
            "--change-cause",
            "ship v2",
        ],
    )
    .await;
    let r = plugin(
        User::Admin,
        &ns,
        &["rollout", "history", "pipeline/p", "-o", "json"],
    )
    .await;
    let doc: serde_json::Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|_| panic!("{r:?}"));
    let revs = doc["revisions"].as_array().unwrap();
    assert_eq!(revs.len(), 2, "before and after, in the same patch: {r:?}");
    assert_eq!(revs[1]["changeCause"], "ship v2");
    assert_eq!(revs[1]["current"], true);
}

#[tokio::test]
async fn status_rollback_on_failure_restores_the_previous_revision() {
    let (ns, client) = setup("autorb").await;
    create_pipeline(&client, &ns, "p", three("example/cat:v1", "example/in:v1")).await;
    let r = status(&ns, "pipeline/p").await;
    assert_eq!(r.code, 0, "{r:?}");
    let v1_hashes = hashes(&pods(&client, &ns, "p", "cat").await);
    set_udf_image(&client, &ns, "p", "cat", "example/crashloop:v2").await;
    let r = admin_expect(
        7,
        &ns,
        &[
            "rollout",
            "status",
            "pipeline/p",
            "--rollback-on-failure",
            "--timeout",
            "90s",
        ],
    )
    .await;
    assert!(
        r.stdout.contains("pipeline/p: rollout failed (")
            && r.stdout
                .contains("rolling back to revision 1 (recorded as revision 3)")
            && r.stdout.contains("pipeline/p: rolled back to revision 1: "),
        "{r:?}"
    );
    let now = pods(&client, &ns, "p", "cat").await;
    assert_eq!(now.len(), 3);
    assert!(
        hashes(&now).iter().all(|h| h == &v1_hashes[0]),
        "every pod back on v1's hash: {r:?}"
    );
    let pl = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
    assert_eq!(
        pl.data["spec"]["vertices"][1]["udf"]["container"]["image"],
        "example/cat:v1"
    );
    // The rollback itself failing: no previous revision to go to is exit 3 with both stories.
    let (ns, client) = setup("autorb2").await;
    create_pipeline(
        &client,
        &ns,
        "p",
        three("example/crashloop:v1", "example/in:v1"),
    )
    .await;
    let r = admin_expect(
        3,
        &ns,
        &[
            "rollout",
            "status",
            "pipeline/p",
            "--rollback-on-failure",
            "--timeout",
            "60s",
        ],
    )
    .await;
    assert!(
        r.stderr.contains("rollout failed (") && r.stderr.contains("and the rollback failed: "),
        "{r:?}"
    );
}

/// The number of revisions `rollout history -o json` lists.
async fn revisions(ns: &str, target: &str) -> usize {
    let r = admin_expect(0, ns, &["rollout", "history", target, "-o", "json"]).await;
    let doc: serde_json::Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|_| panic!("{r:?}"));
    doc["revisions"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn a_scale_edit_rolls_pods_and_records_no_revision_and_defaults_make_no_diff() {
    let (ns, client) = setup("scale").await;
    create_pipeline(&client, &ns, "p", three("example/cat:v1", "example/in:v1")).await;
    let r = status(&ns, "pipeline/p").await;
    assert_eq!(r.code, 0, "{r:?}");
    // Under the full CRDs the server has defaulted `updateStrategy` in every vertex by
    // now; status, get and history see it and record nothing more than the first spec.
    admin_expect(0, &ns, &["rollout", "get", "pipeline/p"]).await;
    assert_eq!(revisions(&ns, "pipeline/p").await, 1);
    let before = hashes(&pods(&client, &ns, "p", "cat").await);

    edit_spec(&client, &ns, "Pipeline", "p", |spec| {
        spec["vertices"][1]["scale"] = json!({"min": 4, "max": 4})
    })
    .await;
    let r = status(&ns, "pipeline/p").await;
    assert_eq!(r.code, 0, "{r:?}");
    let after = hashes(&pods(&client, &ns, "p", "cat").await);
    assert!(
        after.len() == 4 && after.iter().all(|h| h == &after[0] && !before.contains(h)),
        "Numaflow hashes scale: every pod rolled to one new hash: {before:?} -> {after:?}"
    );
    assert_eq!(
        revisions(&ns, "pipeline/p").await,
        1,
        "scale is no revision"
    );

    // Nothing to undo to, and the server's defaults are no difference either.
    let pl = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
    let r = plugin(User::Admin, &ns, &["rollout", "undo", "pipeline/p"]).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr
            .contains("no previous revision to undo to; recorded revisions: 1"),
        "{r:?}"
    );
    let r = plugin(
        User::Admin,
        &ns,
        &[
            "rollout",
            "undo",
            "pipeline/p",
            "--to-revision",
            "1",
            "--dry-run",
        ],
    )
    .await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("revision 1 is the current spec"), "{r:?}");
    let now = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
    assert_eq!(
        (&now.metadata.generation, &now.metadata.annotations),
        (&pl.metadata.generation, &pl.metadata.annotations),
        "nothing written"
    );
    assert_eq!(
        now.data["spec"]["vertices"][1]["scale"],
        json!({"min": 4, "max": 4})
    );
}
