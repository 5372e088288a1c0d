//! Golden tests: whole renders of `rollout get` (tree and `-o json`), `rollout list`
//! (plain and `-A -o wide`) and `rollout status` (live frame and plain lines), computed
//! from YAML fixtures with the library's pure functions (no cluster).
//!
//! Each case is `tests/data/golden/<case>.yaml`: Numaflow objects (Pipeline, Vertex,
//! MonoVertex) and core/v1 Pods as the controllers and the kubelet write them, one YAML
//! document each. Its expected render is `<case>.golden` beside it. A new case is a new
//! YAML file; `GOLDEN_UPDATE=1 cargo test --test golden` writes its `.golden` file (and
//! rewrites every other), which must then be read and checked by hand before it is
//! committed: a generated file is only worth what its review was.
//!
//! The targets of a case are, in file order, every Pipeline, every MonoVertex and every
//! Vertex whose Pipeline is not in the file. A comment line `# targets: KIND/NAME ...`
//! (kinds as on the command line: `pipeline/p`, `vertex/p-cat`, `mvtx/m`) names them
//! instead. Each target sees the objects and pods of its own namespace only, as a
//! namespaced read does; a vertex target gets its Pipeline when the file has it.

use kubectl_numa::view::model::{Target, Workload};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::jiff::Timestamp;
use kube::api::DynamicObject;
use kubectl_numa::rollout::kinds::vertex_pipeline;
use kubectl_numa::rollout::pod_view::PodView;
use kubectl_numa::rollout::report::{self, Report};
use kubectl_numa::target::Kind;
use kubectl_numa::view;
use serde_json::Value;

/// The fixed "now" of every render (pod ages, the `ErrImagePull` grace).
const NOW: &str = "2026-03-01T12:00:00Z";
const UPDATE_ENV: &str = "GOLDEN_UPDATE";
const NUMAFLOW_API: &str = "numaflow.numaproj.io/v1alpha1";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden")
}

/// The objects of one case.
#[derive(Default)]
struct Case {
    pipelines: Vec<DynamicObject>,
    vertices: Vec<DynamicObject>,
    monovertices: Vec<DynamicObject>,
    pods: Vec<PodView>,
    /// `(kind, name)` in file order, or as the `# targets:` line says.
    targets: Vec<(Kind, String)>,
}

fn name(o: &DynamicObject) -> &str {
    o.metadata.name.as_deref().unwrap_or_default()
}

fn namespace(o: &DynamicObject) -> &str {
    o.metadata.namespace.as_deref().unwrap_or_default()
}

fn load(path: &Path) -> Case {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let docs: Vec<Value> = serde_saphyr::from_multiple(&text)
        .unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
    let mut case = Case::default();
    let mut in_file_order = Vec::new();
    for (i, doc) in docs.into_iter().enumerate() {
        let at = || format!("{} document {}", path.display(), i + 1);
        let api = doc["apiVersion"].as_str().unwrap_or_default().to_string();
        let kind = doc["kind"].as_str().unwrap_or_default().to_string();
        let object = |doc: Value| -> DynamicObject {
            serde_json::from_value(doc).unwrap_or_else(|e| panic!("{}: {e}", at()))
        };
        match (api.as_str(), kind.as_str()) {
            ("v1", "Pod") => {
                let pod: Pod =
                    serde_json::from_value(doc).unwrap_or_else(|e| panic!("{}: {e}", at()));
                case.pods.push(PodView::from(pod));
            }
            (NUMAFLOW_API, "Pipeline") => {
                let o = object(doc);
                in_file_order.push((Kind::Pipeline, name(&o).to_string()));
                case.pipelines.push(o);
            }
            (NUMAFLOW_API, "Vertex") => {
                let o = object(doc);
                in_file_order.push((Kind::Vertex, name(&o).to_string()));
                case.vertices.push(o);
            }
            (NUMAFLOW_API, "MonoVertex") => {
                let o = object(doc);
                in_file_order.push((Kind::MonoVertex, name(&o).to_string()));
                case.monovertices.push(o);
            }
            _ => panic!("{}: unexpected apiVersion {api:?} kind {kind:?}", at()),
        }
    }
    let declared = text
        .lines()
        .find_map(|l| l.strip_prefix("# targets:"))
        .map(|list| {
            list.split_whitespace()
                .map(|t| {
                    let (kind, name) = t.split_once('/').unwrap_or_else(|| {
                        panic!("{}: target {t:?} is not KIND/NAME", path.display())
                    });
                    let kind = Kind::parse(kind).unwrap_or_else(|| {
                        panic!("{}: target {t:?}: unknown kind", path.display())
                    });
                    (kind, name.to_string())
                })
                .collect::<Vec<_>>()
        });
    case.targets = match declared {
        Some(t) => t,
        None => in_file_order
            .into_iter()
            .filter(|(kind, name)| {
                *kind != Kind::Vertex || case.pipeline_of(case.find(*kind, name)).is_none()
            })
            .collect(),
    };
    assert!(
        !case.targets.is_empty(),
        "{}: no targets (no Pipeline, Vertex or MonoVertex)",
        path.display()
    );
    case
}

impl Case {
    fn find(&self, kind: Kind, name_: &str) -> &DynamicObject {
        let list = match kind {
            Kind::Pipeline => &self.pipelines,
            Kind::Vertex => &self.vertices,
            Kind::MonoVertex => &self.monovertices,
        };
        list.iter()
            .find(|o| name(o) == name_)
            .unwrap_or_else(|| panic!("target {kind}/{name_} is not in the case"))
    }

    /// The Pipeline of a vertex, when the case has it (same namespace).
    fn pipeline_of(&self, vertex: &DynamicObject) -> Option<&DynamicObject> {
        let pl = vertex_pipeline(vertex)?;
        self.pipelines
            .iter()
            .find(|p| name(p) == pl && namespace(p) == namespace(vertex))
    }

    fn pods_in(&self, ns: &str) -> Vec<&PodView> {
        self.pods.iter().filter(|p| &*p.namespace == ns).collect()
    }

    fn reports(&self, now: Timestamp) -> Vec<Report> {
        self.targets
            .iter()
            .map(|(kind, name_)| {
                let obj = self.find(*kind, name_);
                let pods = self.pods_in(namespace(obj));
                match kind {
                    Kind::Pipeline => {
                        let vertices: Vec<&DynamicObject> = self
                            .vertices
                            .iter()
                            .filter(|v| {
                                namespace(v) == namespace(obj) && vertex_pipeline(v) == Some(name_)
                            })
                            .collect();
                        report::pipeline(obj, &vertices, &pods, now)
                    }
                    Kind::Vertex => report::vertex(obj, self.pipeline_of(obj), &pods, now),
                    Kind::MonoVertex => report::monovertex(obj, &pods, now),
                }
            })
            .collect()
    }
}

/// Every render of a case's reports, in sections.
fn render(reports: &[Report], now: Timestamp) -> String {
    let mut out = String::new();
    let mut section = |title: &str, body: &str| {
        let _ = writeln!(out, "==> {title} <==");
        out.push_str(body);
        if !body.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    };
    section(
        "rollout get (tree)",
        &view::tree::render(&Target::all(reports, true), now, false),
    );
    let rows: Vec<_> = reports
        .iter()
        .flat_map(|r| r.workloads.iter().map(|a| Workload::of(a, false)))
        .collect();
    section(
        "rollout list (table)",
        &view::table::render(&rows, false, false, false),
    );
    section(
        "rollout list -A -o wide (table)",
        &view::table::render(&rows, true, true, false),
    );
    let targets = Target::all(reports, false);
    let mut frame = view::live::frame(&targets, false).join("\n");
    frame.push('\n');
    section("rollout status (live frame)", &frame);
    let mut lines = Vec::new();
    view::lines::Lines::default()
        .update(&mut lines, &targets)
        .expect("writing lines to memory");
    section(
        "rollout status (lines)",
        &String::from_utf8(lines).expect("lines are UTF-8"),
    );
    let mut json = String::new();
    for r in reports {
        json += &serde_json::to_string_pretty(&view::json::report(&Target::of(r, true))).unwrap();
        json.push('\n');
    }
    section("rollout get -o json", &json);
    out
}

/// A line diff of `want` and `got` (longest common subsequence), with two lines of
/// context around each change and line numbers of the expected file.
fn diff(want: &str, got: &str) -> String {
    let a: Vec<&str> = want.lines().collect();
    let b: Vec<&str> = got.lines().collect();
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // (tag, line number in want, text)
    let mut ops: Vec<(char, usize, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((' ', i + 1, a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', i + 1, a[i]));
            i += 1;
        } else {
            ops.push(('+', i + 1, b[j]));
            j += 1;
        }
    }
    const CONTEXT: usize = 2;
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != ' ').collect();
    let mut shown = BTreeSet::new();
    for &k in &changed {
        shown.extend(k.saturating_sub(CONTEXT)..(k + CONTEXT + 1).min(ops.len()));
    }
    let mut out = String::new();
    let mut last = None;
    for k in shown {
        if last.is_none_or(|l| k != l + 1) {
            let _ = writeln!(out, "@@ expected line {} @@", ops[k].1);
        }
        let (tag, _, text) = ops[k];
        let _ = writeln!(out, "{tag} {text}");
        last = Some(k);
    }
    out
}

/// Checks one case; `Err` says what is wrong.
fn check(yaml: &Path, update: bool, now: Timestamp) -> Result<(), String> {
    let golden = yaml.with_extension("golden");
    let got = render(&load(yaml).reports(now), now);
    if update {
        std::fs::write(&golden, &got)
            .unwrap_or_else(|e| panic!("writing {}: {e}", golden.display()));
        eprintln!("golden: wrote {}", golden.display());
        return Ok(());
    }
    let want = match std::fs::read_to_string(&golden) {
        Ok(w) => w,
        Err(e) => {
            return Err(format!(
                "{}: cannot read the expected render ({e}); rerun with {UPDATE_ENV}=1 to write it, then review it",
                golden.display()
            ))
        }
    };
    if want == got {
        return Ok(());
    }
    let mut why = format!(
        "{} differs from the render (- expected, + got):\n{}",
        golden.display(),
        diff(&want, &got)
    );
    if want.lines().eq(got.lines()) {
        why += "(only line endings or the final newline differ)\n";
    }
    Err(why)
}

#[test]
fn whole_renders_match_their_golden_files() {
    let now: Timestamp = NOW.parse().unwrap();
    let update = std::env::var_os(UPDATE_ENV).is_some_and(|v| v == "1");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir().display()))
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let yamls: Vec<&PathBuf> = cases
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    assert!(
        !yamls.is_empty(),
        "no cases (*.yaml) in {}",
        dir().display()
    );
    let mut failures = Vec::new();
    // A golden file whose case is gone would never be checked again.
    for g in cases
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "golden"))
    {
        if !g.with_extension("yaml").exists() {
            failures.push(format!(
                "{}: no case {} for it (remove it, or restore the case)",
                g.display(),
                g.with_extension("yaml").display()
            ));
        }
    }
    for yaml in &yamls {
        if let Err(e) = check(yaml, update, now) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden check(s) failed over {} case(s):\n\n{}\nIf the new render is right, rerun with {UPDATE_ENV}=1 to rewrite the golden files, then review every changed line (git diff) before committing.",
        failures.len(),
        yamls.len(),
        failures.join("\n")
    );
}
