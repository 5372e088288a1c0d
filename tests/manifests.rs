//! Targets from manifests (`-f`, `-R`, `-k`) against the real API server and Numaflow's
//! own controller: the manifests are applied with the world's kubectl, as a deploy
//! script applies them, and the plugin finds its targets in the same files.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;
use serde_json::Value;
use testenv::User;

/// A pipeline `NAME`: a generator, udf `cat` (2 replicas of `CAT`), a log sink.
const PIPELINE: &str = "\
apiVersion: numaflow.numaproj.io/v1alpha1
kind: Pipeline
metadata:
  name: NAME
spec:
  vertices:
    - name: in
      scale: {min: 1, max: 1}
      source:
        generator: {rpu: 1, duration: 1s}
    - name: cat
      scale: {min: 2, max: 2}
      udf:
        container:
          image: CAT
    - name: out
      scale: {min: 1, max: 1}
      sink:
        log: {}
  edges:
    - {from: in, to: cat}
    - {from: cat, to: out}
";

/// A monovertex `NAME` of 2 replicas, its sink image `SINK`, as JSON.
const MONOVERTEX: &str = r#"{
  "apiVersion": "numaflow.numaproj.io/v1alpha1",
  "kind": "MonoVertex",
  "metadata": {"name": "NAME"},
  "spec": {
    "replicas": 2,
    "source": {"udsource": {"container": {"image": "example/src:v1"}}},
    "sink": {"udsink": {"container": {"image": "SINK"}}}
  }
}
"#;

/// Two objects no rollout targets: a ConfigMap and a Deployment, in one file.
const OTHERS: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: b
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: example/web:v1
";

fn pipeline(name: &str, cat: &str) -> String {
    PIPELINE.replace("NAME", name).replace("CAT", cat)
}

fn monovertex(name: &str, sink: &str) -> String {
    MONOVERTEX.replace("NAME", name).replace("SINK", sink)
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// `kubectl ARGS` as admin in `ns` (the world's kubectl, on PATH in scripts/test.sh);
/// it must succeed.
async fn kubectl(ns: &str, args: &[&str]) -> Run {
    let mut c = Command::new("kubectl");
    c.arg("--kubeconfig")
        .arg(env().kubeconfig())
        .args(["--context", "admin", "-n", ns])
        .args(args);
    let r = run(c).await;
    assert_eq!(r.code, 0, "kubectl {args:?}: {r:?}");
    r
}

/// The plugin as admin in `ns` with `stdin` on its standard input.
async fn plugin_stdin(ns: &str, args: &[&str], stdin: String) -> Run {
    let mut cmd = plugin_command(User::Admin, ns, args);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    tokio::task::spawn_blocking(move || {
        let start = std::time::Instant::now();
        let mut child = cmd.spawn().expect("spawn the plugin");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        Run::from((out, start.elapsed()))
    })
    .await
    .unwrap()
}

/// The `(kind, name, namespace)` of every JSON document the plugin printed.
fn documents(r: &Run) -> Vec<(String, String, String)> {
    serde_json::Deserializer::from_str(&r.stdout)
        .into_iter::<Value>()
        .map(|d| d.unwrap_or_else(|e| panic!("{e}: {r:?}")))
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("kind"), s("name"), s("namespace"))
        })
        .collect()
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

/// Writes pipeline `p` (udf image `cat`) to `pl` and monovertex `m` (sink image `sink`)
/// to `mv`, below `dir`.
fn write_pair(dir: &Path, (pl, mv): (&str, &str), cat: &str, sink: &str) {
    write(dir, pl, &pipeline("p", cat));
    write(dir, mv, &monovertex("m", sink));
}

/// Checks that the plain output of `r` says pipeline `pl` and monovertex `mv` rolled out.
fn assert_rolled_out(r: &Run, pl: &str, mv: &str) {
    let done = |kind: &str, name: &str| format!("{kind} \"{name}\" successfully rolled out\n");
    assert!(
        r.stdout.contains(&done("pipeline", pl)) && r.stdout.contains(&done("monovertex", mv)),
        "{r:?}"
    );
}

#[tokio::test]
async fn a_directory_is_waited_for_and_its_other_kinds_are_counted() {
    let (ns, _) = setup("mf-dir").await;
    let dir = tempfile::tempdir().unwrap();
    write_pair(
        dir.path(),
        ("pipeline.yaml", "monovertex.json"),
        "example/cat:v1",
        "example/sink:v1",
    );
    write(dir.path(), "others.yaml", OTHERS);
    write(dir.path(), "README.md", "not a manifest");
    let d = path(dir.path());
    kubectl(&ns, &["apply", "-f", &d]).await;

    let r = admin_expect(0, &ns, &["rollout", "status", "-f", &d, "--timeout", "90s"]).await;
    assert_rolled_out(&r, "p", "m");
    let skipped =
        "kubectl-numa: skipped 2 objects that are not rollout targets: 1 ConfigMap, 1 Deployment\n";
    assert_eq!(r.stderr.matches(skipped).count(), 1, "{r:?}");
    // Applied as written: the server's defaults (the full CRDs' updateStrategy) are no
    // difference.
    assert!(!r.stderr.contains("does not look applied"), "{r:?}");

    // The same outcome as naming the targets: the documents, in the files' order.
    let by_files = admin_expect(
        0,
        &ns,
        &["rollout", "status", "-f", &d, "--watch=false", "-o", "json"],
    )
    .await;
    let named = admin_expect(
        0,
        &ns,
        &[
            "rollout",
            "status",
            "mvtx/m",
            "pipeline/p",
            "--watch=false",
            "-o",
            "json",
        ],
    )
    .await;
    let want = vec![
        ("MonoVertex".to_string(), "m".to_string(), ns.clone()),
        ("Pipeline".to_string(), "p".to_string(), ns.clone()),
    ];
    assert_eq!(documents(&by_files), want, "{by_files:?}");
    assert_eq!(documents(&named), want, "{named:?}");
    let r = admin_expect(0, &ns, &["rollout", "get", "-f", &d]).await;
    assert!(
        r.stdout.contains("monovertex \"m\"") && r.stdout.contains("pipeline \"p\""),
        "{r:?}"
    );
}

#[tokio::test]
async fn nested_directories_are_read_with_recursive_and_stdin_works() {
    let (ns, _) = setup("mf-nested").await;
    let dir = tempfile::tempdir().unwrap();
    write_pair(
        dir.path(),
        ("top/pipeline.yml", "top/more/deeper/monovertex.json"),
        "example/cat:v1",
        "example/sink:v1",
    );
    let top = path(&dir.path().join("top"));
    kubectl(&ns, &["apply", "-R", "-f", &top]).await;

    let get = |extra: &'static [&'static str]| {
        let ns = ns.clone();
        let top = top.clone();
        async move {
            let mut args = vec!["rollout", "get", "-f", &top, "-o", "json"];
            args.extend(extra.iter().copied());
            admin_expect(0, &ns, &args).await
        }
    };
    let flat = get(&[]).await;
    assert_eq!(
        documents(&flat),
        [("Pipeline".to_string(), "p".to_string(), ns.clone())],
        "{flat:?}"
    );
    let deep = get(&["-R"]).await;
    assert_eq!(
        documents(&deep),
        [
            ("MonoVertex".to_string(), "m".to_string(), ns.clone()),
            ("Pipeline".to_string(), "p".to_string(), ns.clone())
        ],
        "{deep:?}"
    );

    // stdin: the same manifests, piped (a ConfigMap among them is skipped).
    let text = format!(
        "{}---\n{}---\n{}",
        pipeline("p", "example/cat:v1"),
        monovertex("m", "example/sink:v1"),
        OTHERS
    );
    let r = plugin_stdin(
        &ns,
        &["rollout", "status", "-f", "-", "--timeout", "90s"],
        text,
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_rolled_out(&r, "p", "m");
    assert!(
        r.stderr
            .contains("skipped 2 objects that are not rollout targets: 1 ConfigMap, 1 Deployment"),
        "{r:?}"
    );
}

#[tokio::test]
async fn a_kustomization_sets_the_namespace_and_a_name_prefix() {
    let (ns, _) = setup("mf-kust").await;
    let dir = tempfile::tempdir().unwrap();
    write_pair(
        dir.path(),
        ("base/pipeline.yaml", "base/monovertex.yaml"),
        "example/cat:v1",
        "example/sink:v1",
    );
    write(
        dir.path(),
        "base/kustomization.yaml",
        &format!(
            "namespace: {ns}\nnamePrefix: kz-\nresources:\n  - pipeline.yaml\n  - monovertex.yaml\n"
        ),
    );
    let k = path(&dir.path().join("base"));
    kubectl(&ns, &["apply", "-k", &k]).await;
    // Run in another namespace (-n default): the kustomization's namespace wins.
    let r = plugin(
        User::Admin,
        "default",
        &["rollout", "status", "-k", &k, "--timeout", "90s"],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}\n{}", snapshot(&ns).await);
    assert_rolled_out(&r, "kz-p", "kz-m");
    let r = plugin(
        User::Admin,
        "default",
        &["rollout", "get", "-k", &k, "-o", "json"],
    )
    .await;
    // In the order kustomize renders them.
    let mut got = documents(&r);
    got.sort();
    assert_eq!(
        got,
        [
            ("MonoVertex".to_string(), "kz-m".to_string(), ns.clone()),
            ("Pipeline".to_string(), "kz-p".to_string(), ns.clone())
        ],
        "{r:?}"
    );
    // The write commands take the same targets: a server dry run of a new image for
    // every user container, and the strategies shown.
    let r = plugin(
        User::Admin,
        "default",
        &[
            "rollout",
            "set",
            "image",
            "-k",
            &k,
            "*=example/all:v2",
            "--dry-run=server",
            "-o",
            "name",
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    let mut names: Vec<&str> = r.stdout.lines().collect();
    names.sort();
    assert_eq!(names, ["monovertex/kz-m", "pipeline/kz-p"], "{r:?}");
    let r = plugin(
        User::Admin,
        "default",
        &["rollout", "set", "strategy", "-k", &k],
    )
    .await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains("kz-m") && r.stdout.contains("kz-p-cat"),
        "{r:?}"
    );
}

#[tokio::test]
async fn bad_manifests_are_usage_errors_before_any_request() {
    let (ns, client) = setup("mf-errors").await;
    create_monovertex(&client, &ns, "m", 1, "example/sink:v1").await;
    let before = numaflow(&client, &ns, "MonoVertex").get("m").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = monovertex("m", "example/sink:v1");
    write(d, "good.json", &good);
    write(
        d,
        "bad.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\nkind: Pipeline\nmetadata:\n  name: x\n   bad: [\n",
    );
    write(d, "only-others/others.yaml", OTHERS);
    write(
        d,
        "generated.yaml",
        "apiVersion: numaflow.numaproj.io/v1alpha1\nkind: Pipeline\nmetadata: {generateName: p-}\n",
    );
    write(
        d,
        "kind.yaml",
        "apiVersion: numaflow.numaproj.io/v1alpha1\nkind: Pipelines\nmetadata: {name: p}\n",
    );
    write(
        d,
        "version.yaml",
        "apiVersion: numaflow.numaproj.io/v1\nkind: MonoVertex\nmetadata: {name: m}\n",
    );
    let p = |rel: &str| path(&d.join(rel));
    // (extra arguments of `rollout pause`, whether good.json comes first (a good
    // manifest does not hide a bad one), the error it prints), <dir> standing for the
    // manifests' directory.
    let table: &[(&[&str], bool, &str)] = &[
        (&["-f", "<dir>/nope.yaml"], true, "<dir>/nope.yaml: no such file or directory"),
        (
            &["-f", "<dir>/bad.yaml"], true,
            "<dir>/bad.yaml: document 2: line 8: mapping values are not allowed in this context",
        ),
        (
            &["-f", "<dir>/only-others"], false,
            "no Pipeline, MonoVertex or Vertex in <dir>/only-others (found 1 ConfigMap, 1 Deployment)",
        ),
        (
            &["-f", "<dir>/generated.yaml"], true,
            "<dir>/generated.yaml: document 1: Pipeline has no metadata.name (generateName \"p-\" names it only when it is created",
        ),
        (
            &["-f", "<dir>/kind.yaml"], true,
            "<dir>/kind.yaml: document 1: unknown Numaflow kind \"Pipelines\" in numaflow.numaproj.io/v1alpha1",
        ),
        (
            &["-f", "<dir>/version.yaml"], true,
            "<dir>/version.yaml: document 1: unknown apiVersion \"numaflow.numaproj.io/v1\" for MonoVertex; Numaflow serves numaflow.numaproj.io/v1alpha1",
        ),
        (
            &["mvtx/m"], true,
            "\"mvtx/m\": -f names the targets already; give no KIND/NAME with it",
        ),
        (
            &["-l", "a=b"], true,
            "-f names the targets already; give no -l/--selector with it",
        ),
        (&["-k", "<dir>/no-such-dir"], false, "-k <dir>/no-such-dir: no such directory"),
    ];
    let in_dir = |text: &str| text.replace("<dir>", &path(d));
    for (extra, good_first, want) in table {
        let want = in_dir(want);
        let mut args = vec!["rollout".to_string(), "pause".into()];
        if *good_first {
            args.extend(["-f".to_string(), p("good.json")]);
        }
        args.extend(extra.iter().map(|a| in_dir(a)));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = plugin(User::Admin, &ns, &args).await;
        assert_eq!(r.code, 2, "{args:?}: {r:?}");
        assert!(
            r.stderr.contains(&format!("kubectl-numa: error: {want}")),
            "{args:?}: want {want:?}: {r:?}"
        );
        assert_eq!(r.stdout, "", "{args:?}");
    }
    // -f with -k, as kubectl refuses it.
    let r = plugin(
        User::Admin,
        &ns,
        &[
            "rollout",
            "pause",
            "-f",
            &p("good.json"),
            "-k",
            &p("only-others"),
        ],
    )
    .await;
    assert_eq!(r.code, 2, "{r:?}");
    // No kubectl for -k: exit 1, naming what is missing.
    let mut cmd = plugin_command(
        User::Admin,
        &ns,
        &["rollout", "pause", "-k", &p("only-others")],
    );
    cmd.env("PATH", d.join("empty-path"));
    let r = run(cmd).await;
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("-k needs kubectl on PATH") && r.stderr.contains("there is no kubectl"),
        "{r:?}"
    );
    // Nothing was written by any of these (the controller writes only the status).
    let after = numaflow(&client, &ns, "MonoVertex").get("m").await.unwrap();
    let written = |o: &kube::api::DynamicObject| {
        (
            o.metadata.generation,
            o.metadata.annotations.clone(),
            o.data["spec"].clone(),
        )
    };
    assert_eq!(
        written(&before),
        written(&after),
        "the MonoVertex was written"
    );
    // The good file alone pauses it: the errors above came from the bad ones.
    admin_expect(0, &ns, &["rollout", "pause", "-f", &p("good.json")]).await;
}

#[tokio::test]
async fn a_manifest_edited_but_not_applied_is_a_warning_or_an_error() {
    let (ns, _) = setup("mf-applied").await;
    let dir = tempfile::tempdir().unwrap();
    let file = path(&dir.path().join("pipeline.yaml"));
    write(
        dir.path(),
        "pipeline.yaml",
        &pipeline("p", "example/cat:v1"),
    );
    kubectl(&ns, &["apply", "-f", &file]).await;
    let r = admin_expect(
        0,
        &ns,
        &[
            "rollout",
            "status",
            "-f",
            &file,
            "--require-applied",
            "--timeout",
            "90s",
        ],
    )
    .await;
    assert!(!r.stderr.contains("applied"), "{r:?}");

    // The file changes; nobody applies it.
    write(
        dir.path(),
        "pipeline.yaml",
        &pipeline("p", "example/cat:v2"),
    );
    let found = format!(
        "pipeline/p in namespace {ns:?} does not look applied from {file}: document 1: \
spec.vertices[1].udf.container.image is \"example/cat:v2\" in the manifest, \"example/cat:v1\" live"
    );
    let r = admin_expect(
        0,
        &ns,
        &["rollout", "status", "-f", &file, "--timeout", "90s"],
    )
    .await;
    assert!(
        r.stderr
            .contains(&format!("kubectl-numa: warning: {found}\n")),
        "{r:?}"
    );
    assert!(
        r.stdout.contains("pipeline \"p\" successfully rolled out"),
        "{r:?}"
    );
    let r = admin_expect(
        1,
        &ns,
        &["rollout", "status", "-f", &file, "--require-applied"],
    )
    .await;
    assert!(
        r.stderr.contains(&format!(
            "kubectl-numa: error: {found} (--require-applied); nothing was waited for"
        )),
        "{r:?}"
    );
    assert_eq!(r.stdout, "", "{r:?}");
}

#[tokio::test]
async fn pause_and_undo_act_on_every_target_of_the_manifests() {
    let (ns, client) = setup("mf-undo").await;
    let dir = tempfile::tempdir().unwrap();
    let d = path(dir.path());
    let release = |cat: &str, sink: &str| {
        write_pair(dir.path(), ("pipeline.yaml", "monovertex.json"), cat, sink)
    };
    release("example/cat:v1", "example/sink:v1");
    kubectl(&ns, &["apply", "-f", &d]).await;
    admin_expect(0, &ns, &["rollout", "status", "-f", &d, "--timeout", "90s"]).await;
    release("example/cat:v2", "example/sink:v2");
    kubectl(&ns, &["apply", "-f", &d]).await;
    admin_expect(0, &ns, &["rollout", "status", "-f", &d, "--timeout", "90s"]).await;

    let r = admin_expect(0, &ns, &["rollout", "pause", "-f", &d]).await;
    assert_eq!(
        r.stdout, "monovertex/m paused\npipeline/p paused\n",
        "{r:?}"
    );
    // Both roll back to revision 1 while paused: the new rollouts wait at zero pods.
    let r = admin_expect(0, &ns, &["rollout", "undo", "-f", &d]).await;
    assert_eq!(
        r.stdout,
        "monovertex/m rolled back to revision 1 (recorded as revision 3)\n\
pipeline/p rolled back to revision 1 (recorded as revision 3)\n",
        "{r:?}"
    );
    let r = admin_expect(5, &ns, &["rollout", "status", "-f", &d, "--timeout", "90s"]).await;
    assert!(
        r.stderr.contains("does not look applied"),
        "the files still say v2: {r:?}"
    );
    admin_expect(0, &ns, &["rollout", "resume", "-f", &d]).await;
    admin_expect(0, &ns, &["rollout", "status", "-f", &d, "--timeout", "90s"]).await;
    let cat = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
    assert_eq!(
        cat.data["spec"]["vertices"][1]["udf"]["container"]["image"],
        "example/cat:v1"
    );
    let m = numaflow(&client, &ns, "MonoVertex").get("m").await.unwrap();
    assert_eq!(
        m.data["spec"]["sink"]["udsink"]["container"]["image"],
        "example/sink:v1"
    );
    // The history of both, one after the other.
    let r = admin_expect(0, &ns, &["rollout", "history", "-f", &d]).await;
    assert!(
        r.stdout.starts_with("monovertex/m\n") && r.stdout.contains("\npipeline/p\n"),
        "{r:?}"
    );
    // A step takes exactly one target.
    let r = admin_expect(2, &ns, &["rollout", "step", "-f", &d, "--pods", "1"]).await;
    assert!(
        r.stderr.contains(
            "rollout step takes exactly one target; the manifests hold 2: monovertex/m, pipeline/p"
        ),
        "{r:?}"
    );
}
