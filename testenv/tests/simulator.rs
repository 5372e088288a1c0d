//! The simulated Numaflow controller and kubelet against a real API server: rollouts,
//! update-strategy knobs, pipeline-to-vertex propagation and injected pod failures
//! must look in the API the way NUMAFLOW.md says the real system behaves.

use std::collections::BTreeSet;
use std::future::Future;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Pod;
use kube::api::{
    Api, ApiResource, DeleteParams, DynamicObject, ListParams, Patch, PatchParams, PostParams,
};
use kube::{Client, ResourceExt};
use serde_json::{json, Value};
use testenv::names::{
    COMPONENT_LABEL, GROUP, HASH_ANNOTATION, MANAGED_BY_LABEL, MONO_VERTEX_LABEL, PART_OF_LABEL,
    PIPELINE_LABEL, REPLICA_ANNOTATION, VERSION, VERTEX_LABEL,
};
use testenv::User;

/// Upper bound of every wait.
const TIMEOUT: Duration = Duration::from_secs(60);
/// Time between two looks at the API.
const POLL: Duration = Duration::from_millis(20);

fn resource(kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: GROUP.into(),
        version: VERSION.into(),
        api_version: format!("{GROUP}/{VERSION}"),
        kind: kind.into(),
        plural: plural.into(),
    }
}

fn pipelines() -> ApiResource {
    resource("Pipeline", "pipelines")
}

fn vertices() -> ApiResource {
    resource("Vertex", "vertices")
}

fn monovertices() -> ApiResource {
    resource("MonoVertex", "monovertices")
}

/// A test's client and namespace.
struct World {
    client: Client,
    ns: String,
}

impl World {
    async fn new(prefix: &str) -> World {
        let env = testenv::shared();
        World {
            client: env.client(User::Admin).await,
            ns: env.namespace(prefix).await,
        }
    }

    fn api(&self, ar: &ApiResource) -> Api<DynamicObject> {
        Api::namespaced_with(self.client.clone(), &self.ns, ar)
    }

    async fn create(&self, ar: &ApiResource, name: &str, spec: Value) -> DynamicObject {
        let obj = DynamicObject::new(name, ar)
            .within(&self.ns)
            .data(json!({ "spec": spec }));
        self.api(ar)
            .create(&PostParams::default(), &obj)
            .await
            .expect("create object")
    }

    async fn get(&self, ar: &ApiResource, name: &str) -> DynamicObject {
        self.api(ar).get(name).await.expect("get object")
    }

    async fn get_opt(&self, ar: &ApiResource, name: &str) -> Option<DynamicObject> {
        self.api(ar).get_opt(name).await.expect("get object")
    }

    async fn merge(&self, ar: &ApiResource, name: &str, patch: Value) -> DynamicObject {
        self.api(ar)
            .patch(name, &PatchParams::default(), &Patch::Merge(patch))
            .await
            .expect("patch object")
    }

    async fn pods(&self, selector: &str) -> Vec<Pod> {
        let api: Api<Pod> = Api::namespaced(self.client.clone(), &self.ns);
        let mut pods = api
            .list(&ListParams::default().labels(selector))
            .await
            .expect("list pods")
            .items;
        pods.sort_by_key(|p| (index(p), p.name_any()));
        pods
    }
}

/// Poll `probe` until it returns `Ok`; panic after [`TIMEOUT`] with `what` and the
/// last `Err` it returned (a description of what it saw).
async fn wait_for<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let deadline = Instant::now() + TIMEOUT;
    loop {
        match probe().await {
            Ok(v) => return v,
            Err(seen) if Instant::now() > deadline => {
                panic!("timed out after {TIMEOUT:?} waiting for {what}; last seen: {seen}")
            }
            Err(_) => tokio::time::sleep(POLL).await,
        }
    }
}

fn hash(pod: &Pod) -> String {
    pod.annotations()
        .get(HASH_ANNOTATION)
        .cloned()
        .unwrap_or_default()
}

fn index(pod: &Pod) -> u32 {
    pod.annotations()
        .get(REPLICA_ANNOTATION)
        .and_then(|i| i.parse().ok())
        .unwrap_or(u32::MAX)
}

fn ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

fn live(pods: &[Pod]) -> Vec<&Pod> {
    pods.iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .collect()
}

/// One line per pod: name, hash, readiness.
fn describe(pods: &[Pod]) -> String {
    let lines: Vec<String> = pods
        .iter()
        .map(|p| {
            let gone = if p.metadata.deletion_timestamp.is_some() {
                " terminating"
            } else {
                ""
            };
            format!("{} hash={} ready={}{gone}", p.name_any(), hash(p), ready(p))
        })
        .collect();
    format!("[{}]", lines.join(", "))
}

fn status(obj: &DynamicObject) -> Value {
    obj.data.get("status").cloned().unwrap_or(Value::Null)
}

fn vertex_selector(pipeline: &str, vertex: &str) -> String {
    format!("{PIPELINE_LABEL}={pipeline},{VERTEX_LABEL}={vertex}")
}

fn cat(image: &str, replicas: u32) -> Value {
    json!({ "name": "cat", "replicas": replicas, "udf": { "container": { "image": image } } })
}

/// Wait until the rollout of `name` is finished in the NUMAFLOW.md sense, with
/// `replicas` Ready pods all on the update hash; returns that hash.
async fn wait_rolled_out(
    w: &World,
    ar: &ApiResource,
    name: &str,
    selector: &str,
    replicas: u32,
) -> String {
    wait_for(
        &format!("{} {name} rolled out to {replicas} ready pods", ar.kind),
        || async {
            let obj = w
                .get_opt(ar, name)
                .await
                .ok_or(format!("no {} {name} yet", ar.kind))?;
            let st = status(&obj);
            let pods = w.pods(selector).await;
            let update = st["updateHash"].as_str().unwrap_or_default().to_string();
            let done = !update.is_empty()
                && st["currentHash"] == st["updateHash"]
                && st["updatedReplicas"] == json!(replicas)
                && st["updatedReadyReplicas"] == json!(replicas)
                && st["desiredReplicas"] == json!(replicas)
                && st["readyReplicas"] == json!(replicas)
                && st["observedGeneration"] == json!(obj.metadata.generation.unwrap_or(-1))
                && pods.len() == replicas as usize
                && pods.iter().all(|p| hash(p) == update && ready(p));
            if done {
                Ok(update)
            } else {
                Err(format!(
                    "status {st}, generation {:?}, pods {}",
                    obj.metadata.generation,
                    describe(&pods)
                ))
            }
        },
    )
    .await
}

/// Wait until the Pipeline's observedGeneration says its vertices carry its spec.
async fn wait_pipeline_observed(w: &World, name: &str) {
    wait_for(&format!("pipeline {name} observed"), || async {
        let pl = w.get(&pipelines(), name).await;
        let st = status(&pl);
        match st["observedGeneration"] == json!(pl.metadata.generation.unwrap_or(-1)) {
            true => Ok(()),
            false => Err(format!(
                "generation {:?}, status {st}",
                pl.metadata.generation
            )),
        }
    })
    .await
}

/// Watch a rollout to its end, sampling pods, and check each sample with `check`
/// (given the live pods and the old hash). Returns how many old-hash pods each sample
/// saw, and the largest number of live pods seen.
async fn watch_rollout(
    w: &World,
    ar: &ApiResource,
    name: &str,
    selector: &str,
    old_hash: &str,
    check: impl Fn(&[&Pod]) -> Result<(), String>,
) -> (BTreeSet<usize>, usize) {
    let deadline = Instant::now() + TIMEOUT;
    let mut old_counts = BTreeSet::new();
    let mut most = 0;
    loop {
        let pods = w.pods(selector).await;
        let alive = live(&pods);
        if let Err(broken) = check(&alive) {
            panic!("{broken}: pods {}", describe(&pods));
        }
        most = most.max(alive.len());
        old_counts.insert(alive.iter().filter(|p| hash(p) == old_hash).count());
        let st = status(&w.get(ar, name).await);
        let finished = st["currentHash"] == st["updateHash"] && st["updateHash"] != json!(old_hash);
        if finished && old_counts.contains(&0) && alive.iter().all(|p| ready(p)) {
            return (old_counts, most);
        }
        assert!(
            Instant::now() < deadline,
            "rollout of {name} did not finish in {TIMEOUT:?}: status {st}, pods {}",
            describe(&pods)
        );
        tokio::time::sleep(POLL).await;
    }
}

#[tokio::test]
async fn a_pipeline_vertex_rolls_one_pod_at_a_time() {
    let w = World::new("roll").await;
    w.create(
        &pipelines(),
        "pl",
        json!({ "vertices": [cat("example/cat:v1", 4)], "edges": [] }),
    )
    .await;
    let selector = vertex_selector("pl", "cat");
    let v1 = wait_rolled_out(&w, &vertices(), "pl-cat", &selector, 4).await;

    w.merge(
        &pipelines(),
        "pl",
        json!({ "spec": { "vertices": [cat("example/cat:v2", 4)] } }),
    )
    .await;
    let (old_counts, most) = watch_rollout(&w, &vertices(), "pl-cat", &selector, &v1, |alive| {
        let ready = alive.iter().filter(|p| ready(p)).count();
        if ready < 3 {
            return Err(format!("{} pods unavailable at once", 4 - ready));
        }
        Ok(())
    })
    .await;
    assert!(most <= 4, "more than 4 pods at once: {most}");
    for n in [3, 2, 1] {
        assert!(
            old_counts.contains(&n),
            "never saw exactly {n} old pods (steps of 1): {old_counts:?}"
        );
    }
    let v2 = wait_rolled_out(&w, &vertices(), "pl-cat", &selector, 4).await;
    assert_ne!(v1, v2);
    wait_pipeline_observed(&w, "pl").await;

    let vertex = w.get(&vertices(), "pl-cat").await;
    let st = status(&vertex);
    assert_eq!(st["phase"], "Running");
    assert_eq!(st["replicas"], 4);
    assert!(st["lastScaledAt"].is_string(), "{st}");
    let selector_labels = st["selector"].as_str().unwrap();
    for label in [
        selector.as_str(),
        "app.kubernetes.io/managed-by=vertex-controller",
    ] {
        for part in label.split(',') {
            assert!(
                selector_labels.contains(part),
                "selector {selector_labels} lacks {part}"
            );
        }
    }
    let pods = w.pods(&selector).await;
    let indexes: Vec<u32> = pods.iter().map(index).collect();
    assert_eq!(indexes, [0, 1, 2, 3]);
    for pod in &pods {
        assert!(
            pod.name_any()
                .starts_with(&format!("pl-cat-{}-", index(pod))),
            "{}",
            pod.name_any()
        );
        let image = pod
            .spec
            .as_ref()
            .unwrap()
            .containers
            .iter()
            .find(|c| c.name == "udf")
            .unwrap()
            .image
            .clone();
        assert_eq!(image.as_deref(), Some("example/cat:v2"));
    }
}

#[tokio::test]
async fn max_unavailable_zero_freezes_a_rollout_in_flight() {
    let w = World::new("freeze").await;
    w.create(
        &pipelines(),
        "pl",
        json!({ "vertices": [cat("example/cat:v1", 4)] }),
    )
    .await;
    let selector = vertex_selector("pl", "cat");
    let v1 = wait_rolled_out(&w, &vertices(), "pl-cat", &selector, 4).await;

    // The new image is slow to become ready, so the freeze lands mid-rollout.
    w.merge(
        &pipelines(),
        "pl",
        json!({ "spec": { "vertices": [cat("example/cat:v2-delay-3000", 4)] } }),
    )
    .await;
    wait_for("the first batch to start", || async {
        let st = status(&w.get(&vertices(), "pl-cat").await);
        if st["updatedReplicas"] == 1 {
            Ok(())
        } else {
            Err(st.to_string())
        }
    })
    .await;
    let mut frozen = cat("example/cat:v2-delay-3000", 4);
    frozen["updateStrategy"] =
        json!({ "type": "RollingUpdate", "rollingUpdate": { "maxUnavailable": 0 } });
    w.merge(
        &pipelines(),
        "pl",
        json!({ "spec": { "vertices": [frozen] } }),
    )
    .await;
    wait_pipeline_observed(&w, "pl").await;
    let vertex = w.get(&vertices(), "pl-cat").await;
    assert_eq!(
        vertex.data["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"],
        0
    );

    // Once the batch in flight is Ready, nothing else moves.
    wait_for("the first new pod to be ready", || async {
        let st = status(&w.get(&vertices(), "pl-cat").await);
        if st["updatedReadyReplicas"] == 1 {
            Ok(())
        } else {
            Err(st.to_string())
        }
    })
    .await;
    let before = w.pods(&selector).await;
    let names = |pods: &[Pod]| {
        pods.iter()
            .map(|p| (p.name_any(), hash(p)))
            .collect::<Vec<_>>()
    };
    testenv::shared().wait_sim_cycles(8).await;
    let after = w.pods(&selector).await;
    assert_eq!(names(&before), names(&after), "pods moved while frozen");
    assert_eq!(
        after.iter().filter(|p| hash(p) == v1).count(),
        3,
        "{}",
        describe(&after)
    );
    let st = status(&w.get(&vertices(), "pl-cat").await);
    assert_eq!(st["updatedReplicas"], 1, "{st}");
    assert_eq!(st["currentHash"], json!(v1), "{st}");
    assert_ne!(st["updateHash"], json!(v1), "{st}");

    // Unfreezing lets it finish.
    w.merge(
        &pipelines(),
        "pl",
        json!({ "spec": { "vertices": [cat("example/cat:v2-delay-300", 4)] } }),
    )
    .await;
    wait_rolled_out(&w, &vertices(), "pl-cat", &selector, 4).await;
}

#[tokio::test]
async fn max_surge_one_adds_exactly_one_extra_pod() {
    let w = World::new("surge").await;
    let strategy = json!({ "rollingUpdate": { "maxUnavailable": 0, "maxSurge": 1 } });
    let mut def = cat("example/cat:v1", 4);
    def["updateStrategy"] = strategy.clone();
    w.create(&pipelines(), "pl", json!({ "vertices": [def] }))
        .await;
    let selector = vertex_selector("pl", "cat");
    let v1 = wait_rolled_out(&w, &vertices(), "pl-cat", &selector, 4).await;

    let mut def = cat("example/cat:v2", 4);
    def["updateStrategy"] = strategy;
    w.merge(&pipelines(), "pl", json!({ "spec": { "vertices": [def] } }))
        .await;
    let (_, most) = watch_rollout(&w, &vertices(), "pl-cat", &selector, &v1, |alive| {
        if alive.len() > 5 {
            return Err(format!(
                "{} pods for 4 replicas with maxSurge 1",
                alive.len()
            ));
        }
        let ready = alive.iter().filter(|p| ready(p)).count();
        if ready < 4 {
            return Err(format!("only {ready} ready pods with maxUnavailable 0"));
        }
        Ok(())
    })
    .await;
    assert_eq!(most, 5, "never saw the surge pod");
    wait_rolled_out(&w, &vertices(), "pl-cat", &selector, 4).await;
}

#[tokio::test]
async fn pipeline_edits_reach_the_vertex_and_overwrite_direct_edits() {
    let w = World::new("edit").await;
    let sink = json!({ "name": "out", "sink": { "log": {} } });
    let pl = w
        .create(
            &pipelines(),
            "pl",
            json!({ "vertices": [cat("example/cat:v1", 1), sink] }),
        )
        .await;
    wait_pipeline_observed(&w, "pl").await;

    let vertex = w.get(&vertices(), "pl-cat").await;
    let spec = &vertex.data["spec"];
    assert_eq!(
        (spec["pipelineName"].as_str(), spec["name"].as_str()),
        (Some("pl"), Some("cat"))
    );
    assert_eq!(spec["udf"]["container"]["image"], "example/cat:v1");
    assert_eq!(vertex.labels()[PIPELINE_LABEL], "pl");
    assert_eq!(vertex.labels()[VERTEX_LABEL], "cat");
    assert_eq!(vertex.labels()[COMPONENT_LABEL], "vertex");
    assert!(vertex.annotations().contains_key(HASH_ANNOTATION));
    let owner = &vertex.owner_references()[0];
    assert_eq!(
        (owner.kind.as_str(), owner.uid.clone()),
        ("Pipeline", pl.uid().unwrap())
    );
    assert_eq!(
        (owner.controller, owner.block_owner_deletion),
        (Some(true), Some(true))
    );
    let pl_status = status(&w.get(&pipelines(), "pl").await);
    assert_eq!(
        (
            pl_status["phase"].as_str(),
            pl_status["vertexCount"].as_i64()
        ),
        (Some("Running"), Some(2))
    );
    assert!(pl_status["lastUpdated"].is_string());

    // A direct edit survives while the pipeline's definition does not change...
    w.merge(
        &vertices(),
        "pl-cat",
        json!({ "spec": { "udf": { "container": { "image": "example/direct:v9" } } } }),
    )
    .await;
    testenv::shared().wait_sim_cycles(5).await;
    let vertex = w.get(&vertices(), "pl-cat").await;
    assert_eq!(
        vertex.data["spec"]["udf"]["container"]["image"],
        "example/direct:v9"
    );

    // ...and is lost at the next pipeline change.
    let mut edited = cat("example/cat:v1", 1);
    edited["udf"]["container"]["args"] = json!(["--verbose"]);
    w.merge(
        &pipelines(),
        "pl",
        json!({ "spec": { "vertices": [edited] } }),
    )
    .await;
    wait_pipeline_observed(&w, "pl").await;
    let vertex = w.get(&vertices(), "pl-cat").await;
    assert_eq!(
        vertex.data["spec"]["udf"]["container"]["image"],
        "example/cat:v1"
    );
    assert_eq!(
        vertex.data["spec"]["udf"]["container"]["args"],
        json!(["--verbose"])
    );
    let pods = w.pods(&vertex_selector("pl", "cat")).await;
    let udf = |pods: &[Pod]| {
        pods.iter()
            .flat_map(|p| p.spec.as_ref().unwrap().containers.iter())
            .find(|c| c.name == "udf")
            .map(|c| (c.image.clone(), c.args.clone()))
    };
    wait_rolled_out(&w, &vertices(), "pl-cat", &vertex_selector("pl", "cat"), 1).await;
    let pods_now = w.pods(&vertex_selector("pl", "cat")).await;
    assert_eq!(
        udf(&pods_now),
        Some((
            Some("example/cat:v1".into()),
            Some(vec!["--verbose".to_string()])
        )),
        "before: {}",
        describe(&pods)
    );

    // The removed vertex goes, with its pods.
    wait_for("vertex pl-out and its pods to go", || async {
        let gone = w.get_opt(&vertices(), "pl-out").await.is_none();
        let pods = w.pods(&vertex_selector("pl", "out")).await;
        if gone && pods.is_empty() {
            Ok(())
        } else {
            Err(format!("vertex gone: {gone}, pods {}", describe(&pods)))
        }
    })
    .await;
    assert_eq!(status(&w.get(&pipelines(), "pl").await)["vertexCount"], 1);
}

#[tokio::test]
async fn a_paused_pipeline_scales_to_zero_and_resumes() {
    let w = World::new("pause").await;
    w.create(
        &pipelines(),
        "pl",
        json!({ "vertices": [cat("example/cat:v1", 2)] }),
    )
    .await;
    let selector = vertex_selector("pl", "cat");
    let hash = wait_rolled_out(&w, &vertices(), "pl-cat", &selector, 2).await;

    w.merge(
        &pipelines(),
        "pl",
        json!({ "spec": { "lifecycle": { "desiredPhase": "Paused" } } }),
    )
    .await;
    wait_for("the paused vertex to have no pods", || async {
        let st = status(&w.get(&vertices(), "pl-cat").await);
        let pods = w.pods(&selector).await;
        let paused = st["phase"] == "Paused" && st["desiredReplicas"] == 0 && pods.is_empty();
        if paused {
            Ok(())
        } else {
            Err(format!("status {st}, pods {}", describe(&pods)))
        }
    })
    .await;
    wait_pipeline_observed(&w, "pl").await;
    assert_eq!(status(&w.get(&pipelines(), "pl").await)["phase"], "Paused");

    w.merge(&pipelines(), "pl", json!({ "spec": { "lifecycle": null } }))
        .await;
    assert_eq!(
        wait_rolled_out(&w, &vertices(), "pl-cat", &selector, 2).await,
        hash,
        "resuming is not a rollout"
    );
}

#[tokio::test]
async fn a_monovertex_rolls_the_same_way() {
    let w = World::new("mono").await;
    let spec = |image: &str| {
        json!({
            "replicas": 3,
            "source": {
                "udsource": { "container": { "image": image } },
                "transformer": { "container": { "image": "example/transform:v1" } },
            },
            "sink": { "udsink": { "container": { "image": "example/sink:v1" } } },
        })
    };
    w.create(&monovertices(), "mv", spec("example/source:v1"))
        .await;
    let selector = format!("{MONO_VERTEX_LABEL}=mv");
    let v1 = wait_rolled_out(&w, &monovertices(), "mv", &selector, 3).await;
    let pods = w.pods(&selector).await;
    let labels = pods[0].labels();
    assert_eq!(labels[COMPONENT_LABEL], "mono-vertex");
    assert_eq!(labels[MANAGED_BY_LABEL], "mono-vertex-controller");
    assert_eq!(labels[PART_OF_LABEL], "numaflow");
    let names: Vec<&str> = pods[0]
        .spec
        .as_ref()
        .unwrap()
        .containers
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["numa", "udsource", "transformer", "udsink"]);
    let owner = &pods[0].owner_references()[0];
    assert_eq!(
        (owner.kind.as_str(), owner.controller),
        ("MonoVertex", Some(true))
    );

    w.merge(
        &monovertices(),
        "mv",
        json!({ "spec": spec("example/source:v2") }),
    )
    .await;
    let (old_counts, most) = watch_rollout(&w, &monovertices(), "mv", &selector, &v1, |alive| {
        let ready = alive.iter().filter(|p| ready(p)).count();
        if ready < 2 {
            return Err(format!("{} of 3 pods unavailable at once", 3 - ready));
        }
        Ok(())
    })
    .await;
    assert!(most <= 3, "more than 3 pods at once: {most}");
    assert!(
        old_counts.contains(&2) && old_counts.contains(&1),
        "not one pod at a time: {old_counts:?}"
    );
    wait_rolled_out(&w, &monovertices(), "mv", &selector, 3).await;

    // Changing only the strategy or the replicas is not a rollout.
    let before: Vec<String> = w
        .pods(&selector)
        .await
        .iter()
        .map(|p| p.name_any())
        .collect();
    w.merge(
        &monovertices(),
        "mv",
        json!({ "spec": { "updateStrategy": { "rollingUpdate": { "maxUnavailable": "50%" } } } }),
    )
    .await;
    testenv::shared().wait_sim_cycles(5).await;
    let after: Vec<String> = w
        .pods(&selector)
        .await
        .iter()
        .map(|p| p.name_any())
        .collect();
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_gracefully_deleted_pod_is_replaced_and_finalized() {
    let w = World::new("restart").await;
    w.create(
        &pipelines(),
        "pl",
        json!({ "vertices": [cat("example/cat:v1", 2)] }),
    )
    .await;
    let selector = vertex_selector("pl", "cat");
    wait_rolled_out(&w, &vertices(), "pl-cat", &selector, 2).await;
    let victim = w.pods(&selector).await.remove(0);
    let api: Api<Pod> = Api::namespaced(w.client.clone(), &w.ns);
    api.delete(&victim.name_any(), &DeleteParams::default())
        .await
        .expect("delete pod");
    let terminating = api.get_opt(&victim.name_any()).await.expect("get pod");
    assert!(
        terminating.is_some_and(|p| p.metadata.deletion_timestamp.is_some()),
        "a graceful delete leaves the pod terminating until the kubelet finalizes it"
    );
    wait_for("the deleted pod to be replaced and gone", || async {
        let pods = w.pods(&selector).await;
        let gone = pods.iter().all(|p| p.name_any() != victim.name_any());
        let replaced = pods
            .iter()
            .filter(|p| index(p) == index(&victim) && ready(p))
            .count()
            == 1;
        if gone && replaced && pods.len() == 2 {
            Ok(())
        } else {
            Err(describe(&pods))
        }
    })
    .await;
}

/// The container status of `name` in `pod`, as JSON.
fn container_status(pod: &Pod, name: &str) -> Value {
    let statuses = pod
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.clone())
        .unwrap_or_default();
    let found = statuses.into_iter().find(|c| c.name == name);
    serde_json::to_value(found).unwrap()
}

fn pod_condition(pod: &Pod, type_: &str) -> Value {
    let conditions = pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.clone())
        .unwrap_or_default();
    serde_json::to_value(conditions.into_iter().find(|c| c.type_ == type_)).unwrap()
}

fn phase(pod: &Pod) -> String {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default()
}

/// The one pod of vertex `cat`-like vertex `vertex` of pipeline `pl`.
async fn only_pod(w: &World, vertex: &str) -> Result<Pod, String> {
    let mut pods = w.pods(&vertex_selector("pl", vertex)).await;
    match pods.len() {
        1 => Ok(pods.remove(0)),
        _ => Err(format!("pods of {vertex}: {}", describe(&pods))),
    }
}

#[tokio::test]
async fn injected_failures_look_like_the_kubelet_reports_them() {
    let w = World::new("faults").await;
    let udf = |name: &str, image: &str| json!({ "name": name, "udf": { "container": { "image": image } } });
    w.create(
        &pipelines(),
        "pl",
        json!({ "vertices": [
            udf("crash", "example/crashloop:v1"),
            udf("pull", "example/pull-error:v1"),
            udf("slow", "example/never-ready:v1"),
        ]}),
    )
    .await;

    // Image pull failure: ErrImagePull first, then ImagePullBackOff; pod Pending.
    let reasons = std::sync::Mutex::new(Vec::<String>::new());
    let pull = wait_for("the pull-error pod to back off", || async {
        let pod = only_pod(&w, "pull").await?;
        let st = container_status(&pod, "udf");
        let reason = st["state"]["waiting"]["reason"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut seen = reasons.lock().unwrap();
        if seen.last() != Some(&reason) {
            seen.push(reason.clone());
        }
        if reason == "ImagePullBackOff" {
            Ok(pod)
        } else {
            Err(format!("udf status {st}"))
        }
    })
    .await;
    let reasons = reasons.into_inner().unwrap();
    assert!(
        reasons.contains(&"ErrImagePull".to_string()),
        "reasons seen: {reasons:?}"
    );
    assert_eq!(phase(&pull), "Pending");
    let st = container_status(&pull, "udf");
    assert_eq!(
        st["state"]["waiting"]["message"],
        "Back-off pulling image \"example/pull-error:v1\""
    );
    assert_eq!(
        (
            st["ready"].clone(),
            st["restartCount"].clone(),
            st["image"].clone()
        ),
        (json!(false), json!(0), json!("example/pull-error:v1"))
    );
    assert_eq!(container_status(&pull, "numa")["ready"], true);
    assert_eq!(
        pod_condition(&pull, "Ready")["message"],
        "containers with unready status: [udf]"
    );

    // Crash loop: Running, CrashLoopBackOff with the kubelet's message, rising restarts.
    let crash = wait_for("the crashloop pod to restart twice", || async {
        let pod = only_pod(&w, "crash").await?;
        let st = container_status(&pod, "udf");
        if st["restartCount"].as_i64() >= Some(2) {
            Ok(pod)
        } else {
            Err(format!("udf status {st}"))
        }
    })
    .await;
    assert_eq!(phase(&crash), "Running");
    let st = container_status(&crash, "udf");
    assert_eq!(st["state"]["waiting"]["reason"], "CrashLoopBackOff");
    let message = st["state"]["waiting"]["message"].as_str().unwrap();
    let tail = format!(
        "restarting failed container=udf pod={}_{}({})",
        crash.name_any(),
        w.ns,
        crash.uid().unwrap()
    );
    assert!(
        message.starts_with("back-off ") && message.ends_with(&tail),
        "message {message:?}, want …{tail}"
    );
    assert_eq!(st["lastState"]["terminated"]["exitCode"], 1);
    assert_eq!(st["lastState"]["terminated"]["reason"], "Error");
    assert_eq!(st["ready"], false);
    let ready_condition = pod_condition(&crash, "Ready");
    assert_eq!(ready_condition["status"], "False");
    assert_eq!(ready_condition["reason"], "ContainersNotReady");
    assert_eq!(
        ready_condition["message"],
        "containers with unready status: [udf]"
    );
    let restarts = st["restartCount"].as_i64().unwrap();
    wait_for("the restart count to keep rising", || async {
        let pod = only_pod(&w, "crash").await?;
        let now = container_status(&pod, "udf")["restartCount"]
            .as_i64()
            .unwrap_or(0);
        if now > restarts {
            Ok(())
        } else {
            Err(format!("restartCount {now}"))
        }
    })
    .await;

    // Never ready: Running, the container runs and stays unready.
    let slow = wait_for("the never-ready pod to run", || async {
        let pod = only_pod(&w, "slow").await?;
        if phase(&pod) == "Running" {
            Ok(pod)
        } else {
            Err(format!("phase {}", phase(&pod)))
        }
    })
    .await;
    testenv::shared().wait_sim_cycles(5).await;
    let slow_now = only_pod(&w, "slow").await.unwrap();
    assert_eq!(slow_now.name_any(), slow.name_any());
    let st = container_status(&slow_now, "udf");
    assert!(st["state"]["running"]["startedAt"].is_string(), "{st}");
    assert_eq!(
        (st["ready"].clone(), st["started"].clone()),
        (json!(false), json!(true))
    );
    assert_eq!(pod_condition(&slow_now, "Ready")["status"], "False");
    assert_eq!(pod_condition(&slow_now, "PodScheduled")["status"], "True");
    let vertex_status = status(&w.get(&vertices(), "pl-slow").await);
    assert_eq!(
        (
            vertex_status["readyReplicas"].clone(),
            vertex_status["replicas"].clone()
        ),
        (json!(0), json!(1))
    );
}
