//! Twenty plugin processes at once against one pipeline (pause, resume, set strategy,
//! set image, undo) while Numaflow's controller rolls the pods and writes status. The end state must be
//! one a serial order of the successful commands could produce, and the plugin's
//! annotations must still decode. Run several rounds.
//!
//! The serial order is the one the API server applied: every change of the Pipeline
//! is watched, and each must be exactly one successful command's effect on the state
//! before it, by a model of the commands ([`State::apply`]) written from their
//! documentation. A successful command that changed nothing must be a no-op in some
//! state of that order, and a failed one must have given up on conflicts or been
//! refused as the model refuses it in some state: what each printed says which.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::*;
use futures::StreamExt;
use kube::api::{DynamicObject, WatchEvent, WatchParams};
use kube::ResourceExt;
use kubectl_numa::rollout::{pause, revision};
use serde_json::{json, Value};
use testenv::User;

const ROUNDS: usize = 3;

fn commands(round: usize) -> Vec<Vec<String>> {
    let mut cmds = Vec::new();
    for i in 0..20 {
        let c: Vec<String> = match i % 5 {
            0 => vec!["rollout".into(), "pause".into(), "vertex/p-cat".into()],
            1 => vec!["rollout".into(), "resume".into(), "vertex/p-cat".into()],
            2 => vec![
                "rollout".into(),
                "set".into(),
                "strategy".into(),
                "vertex/p-cat".into(),
                "--max-unavailable".into(),
                ["1", "2", "50%"][i % 3].into(),
            ],
            3 => vec![
                "rollout".into(),
                "set".into(),
                "image".into(),
                "vertex/p-cat".into(),
                format!("udf=example/cat:r{round}-{i}"),
            ],
            _ => vec!["rollout".into(), "undo".into(), "vertex/p-cat".into()],
        };
        cmds.push(c);
    }
    cmds
}

/// One of the commands, as the model sees it.
#[derive(Debug, Clone, PartialEq)]
enum Write {
    Pause,
    Resume,
    /// `set strategy --max-unavailable`, the value as the spec stores it.
    Strategy(Value),
    /// `set image udf=IMAGE`.
    Image(String),
    Undo,
}

impl Write {
    fn of(args: &[String]) -> Write {
        match args[1].as_str() {
            "pause" => Write::Pause,
            "resume" => Write::Resume,
            "undo" => Write::Undo,
            "set" if args[2] == "strategy" => Write::Strategy(match args[5].as_str() {
                "50%" => json!("50%"),
                n => json!(n.parse::<u64>().unwrap()),
            }),
            "set" => Write::Image(args[4].trim_start_matches("udf=").to_string()),
            other => panic!("no model for {other}"),
        }
    }

    /// What it says when it gives up on conflicts (`api::write`), without the
    /// `kubectl-numa: error: ` prefix.
    fn gave_up(&self) -> String {
        let what = match self {
            Write::Pause => "pause vertex/p-cat (pipeline/p)",
            Write::Resume => "resume vertex/p-cat (pipeline/p)",
            Write::Strategy(_) => "set strategy vertex/p-cat (pipeline/p)",
            Write::Image(_) => "set image vertex/p-cat (pipeline/p)",
            Write::Undo => "undo vertex/p-cat",
        };
        format!(
            "{what}: gave up after 5 attempts: pipeline/p changed between every read and \
write (409 Conflict) and nothing was written; try again"
        )
    }
}

/// A recorded revision, by vertex cat's image (the commands change nothing else that
/// a revision holds).
#[derive(Debug, Clone, PartialEq)]
struct Rev {
    number: u64,
    image: String,
    cause: String,
}

/// What the commands act on, as read from the Pipeline.
#[derive(Debug, Clone, PartialEq)]
struct State {
    /// Vertex cat's `maxUnavailable` (null when absent).
    max_unavailable: Value,
    /// The value the pause record holds for cat (null: was absent), when paused.
    paused: Option<Value>,
    /// Vertex cat's udf image.
    image: String,
    /// The revision history, oldest first, and the next revision number.
    history: Vec<Rev>,
    next: u64,
}

/// What a command does in a state: a change (the new state), nothing, or a refusal;
/// with the line it prints (stdout), or its error (stderr, without the prefix).
#[derive(Debug, PartialEq)]
enum Effect {
    Changed(State, String),
    Same(String),
    Refused(String),
}

const HISTORY_LIMIT: usize = revision::DEFAULT_LIMIT;

fn is_zero(v: &Value) -> bool {
    *v == json!(0) || *v == json!("0%")
}

impl State {
    /// Records a revision as `History::record` documents it: nothing when it is the
    /// newest; an older one with the same content moves to the new number.
    fn record(&mut self, image: &str, cause: &str) {
        if self.history.last().is_some_and(|r| r.image == image) {
            return;
        }
        self.history.retain(|r| r.image != image);
        let number = self
            .next
            .max(self.history.last().map_or(0, |r| r.number) + 1)
            .max(1);
        self.history.push(Rev {
            number,
            image: image.to_string(),
            cause: cause.to_string(),
        });
        self.next = number + 1;
    }

    /// Keeps the newest [`HISTORY_LIMIT`] revisions.
    fn prune(&mut self) {
        let excess = self.history.len().saturating_sub(HISTORY_LIMIT);
        self.history.drain(..excess);
    }

    fn numbers(&self) -> String {
        let n: Vec<String> = self.history.iter().map(|r| r.number.to_string()).collect();
        n.join(", ")
    }

    /// The effect of `w` in this state, by the commands' documentation (`--help`).
    fn apply(&self, w: &Write) -> Effect {
        let mut s = self.clone();
        let held = is_zero(&self.max_unavailable);
        let line = |phrase: &str| format!("vertex/p-cat {phrase}");
        match w {
            // Sets the zero step and records the previous value; already held: nothing.
            Write::Pause => match (&self.paused, held) {
                (Some(_), true) => Effect::Same(line("already paused")),
                (None, true) => {
                    Effect::Same(line("already paused (maxUnavailable is 0 in its spec)"))
                }
                (_, false) => {
                    s.paused = Some(s.max_unavailable.clone());
                    s.max_unavailable = json!(0);
                    Effect::Changed(s, line("paused"))
                }
            },
            // Restores the recorded value and removes the record; not paused: nothing.
            Write::Resume => match &self.paused {
                None => Effect::Same(line("not paused")),
                Some(_) if !held => {
                    s.paused = None;
                    Effect::Changed(s, line("not paused (its strategy was changed since the pause; removed the stale pause record)"))
                }
                Some(v) => {
                    s.max_unavailable = v.clone();
                    s.paused = None;
                    Effect::Changed(s, line("resumed"))
                }
            },
            // Paused: the change goes into the record and the zero step stays.
            Write::Strategy(v) => match &self.paused {
                Some(recorded) if held => {
                    if recorded == v {
                        Effect::Same(line("strategy unchanged (paused)"))
                    } else {
                        s.paused = Some(v.clone());
                        Effect::Changed(
                            s,
                            line("strategy updated (paused: takes effect on resume)"),
                        )
                    }
                }
                _ if self.max_unavailable == *v => Effect::Same(line("strategy unchanged")),
                _ => {
                    s.max_unavailable = v.clone();
                    Effect::Changed(s, line("strategy updated"))
                }
            },
            // Records the spec before (if new) and after the change, in the same patch.
            Write::Image(image) => {
                if *image == self.image {
                    return Effect::Same(line("image unchanged"));
                }
                s.record(&self.image, "(not recorded before the change)");
                s.image = image.clone();
                s.record(
                    image,
                    &format!("kubectl numa rollout set image vertex/p-cat udf={image}"),
                );
                s.prune();
                Effect::Changed(
                    s,
                    line(if held {
                        "image updated (paused: the rollout waits for `kubectl numa rollout resume`)"
                    } else {
                        "image updated"
                    }),
                )
            }
            // Restores the newest revision whose content differs from the current one
            // (the current spec recorded first when new), recorded as the newest.
            Write::Undo => {
                s.record(&self.image, "(not recorded before: saved by rollout undo)");
                let Some(to) = s
                    .history
                    .iter()
                    .rev()
                    .find(|r| r.image != self.image)
                    .cloned()
                else {
                    return Effect::Refused(format!(
                        "vertex/p-cat: no previous revision to undo to; recorded revisions: {}",
                        s.numbers()
                    ));
                };
                s.image = to.image.clone();
                s.record(&to.image, "kubectl numa rollout undo vertex/p-cat");
                s.prune();
                let now = s.history.last().unwrap().number;
                let said = format!(
                    "vertex/p-cat rolled back to revision {} (recorded as revision {now})",
                    to.number
                );
                Effect::Changed(s, said)
            }
        }
    }
}

/// The vertex definition `name` of a pipeline spec (or revision).
fn vertex_of<'a>(spec: &'a Value, name: &str) -> &'a Value {
    revision::vertex_entry(spec, name).unwrap_or_else(|| panic!("no vertex {name}: {spec}"))
}

fn cat_image(spec: &Value) -> String {
    vertex_of(spec, "cat")["udf"]["container"]["image"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A pipeline spec (or revision) without what the commands may change: cat's image and
/// `maxUnavailable` (and the strategy objects a pause or `set strategy` created).
fn unchanging(spec: &Value) -> Value {
    let mut spec = spec.clone();
    let cat = spec["vertices"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|v| v["name"] == "cat")
        .unwrap()
        .as_object_mut()
        .unwrap();
    cat["udf"]["container"]
        .as_object_mut()
        .unwrap()
        .remove("image");
    let mut drop_strategy = false;
    if let Some(us) = cat.get_mut("updateStrategy").and_then(Value::as_object_mut) {
        let mut drop_ru = false;
        if let Some(ru) = us.get_mut("rollingUpdate").and_then(Value::as_object_mut) {
            ru.remove("maxUnavailable");
            drop_ru = ru.is_empty();
        }
        if drop_ru {
            us.remove("rollingUpdate");
        }
        drop_strategy = us.is_empty();
    }
    if drop_strategy {
        cat.remove("updateStrategy");
    }
    spec
}

/// The state of a Pipeline version, and the rest of it, which no command changes (the
/// spec besides [`State`], the other annotations).
fn observe(obj: &DynamicObject) -> (State, Value) {
    let ann = obj.metadata.annotations.as_ref();
    let spec = &obj.data["spec"];
    let rv = obj.resource_version().unwrap_or_default();
    let record = pause::decode(ann).unwrap_or_else(|e| panic!("{rv}: pause record: {e:#}"));
    assert!(
        record.keys().all(|k| k == "cat"),
        "{rv}: only cat is paused: {record:?}"
    );
    let paused = record.get("cat").map(|e| {
        assert_eq!(e.max_surge, None, "{rv}: {e:?}");
        e.max_unavailable.clone().unwrap_or(Value::Null)
    });
    let history = revision::History::decode(ann).unwrap_or_else(|e| panic!("{rv}: history: {e}"));
    let others = unchanging(&revision::pod_part(revision::SpecKind::Pipeline, spec));
    for r in &history.revisions {
        assert_eq!(
            unchanging(&r.spec),
            others,
            "{rv}: revision {} differs from the spec in more than cat's image",
            r.revision
        );
    }
    let state = State {
        max_unavailable: vertex_of(spec, "cat")
            .pointer("/updateStrategy/rollingUpdate/maxUnavailable")
            .cloned()
            .unwrap_or(Value::Null),
        paused,
        image: cat_image(spec),
        history: history
            .revisions
            .iter()
            .map(|r| Rev {
                number: r.revision,
                image: cat_image(&r.spec),
                cause: r.change_cause.clone(),
            })
            .collect(),
        next: history.next,
    };
    let mut annotations: BTreeMap<String, String> = ann.cloned().unwrap_or_default();
    annotations.remove(pause::PAUSE_ANNOTATION);
    annotations.remove(revision::HISTORY_ANNOTATION);
    let rest = json!({"spec": unchanging(spec), "annotations": annotations});
    (state, rest)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_writers_leave_a_consistent_pipeline() {
    let (ns, client) = setup("race").await;
    create_pipeline(
        &client,
        &ns,
        "p",
        vec![
            udf("cat", 3, "example/cat:v0"),
            udf("dog", 1, "example/dog:v0"),
        ],
    )
    .await;
    admin_expect(
        0,
        &ns,
        &["rollout", "status", "pipeline/p", "--timeout", "60s"],
    )
    .await;
    let full = match env().crds() {
        "full" => true,
        "minimal" => false,
        other => panic!("unknown CRD kind {other:?}"),
    };
    let api = numaflow(&client, &ns, "Pipeline");
    for round in 0..ROUNDS {
        // Every version of the Pipeline from here on, in the order the API server
        // stored them.
        let start = api.get("p").await.unwrap();
        let start_rv = start.resource_version().unwrap();
        let mut stream = api
            .watch(&WatchParams::default(), &start_rv)
            .await
            .unwrap()
            .boxed();
        let (tx, mut versions) = tokio::sync::mpsc::unbounded_channel();
        let watch = tokio::spawn(async move {
            while let Some(event) = stream.next().await {
                if tx.send(event).is_err() {
                    return;
                }
            }
        });

        let runs = futures::future::join_all(commands(round).into_iter().map(|c| {
            let ns = ns.clone();
            async move {
                let args: Vec<&str> = c.iter().map(String::as_str).collect();
                (
                    Write::of(&c),
                    c.clone(),
                    plugin(User::Admin, &ns, &args).await,
                )
            }
        }))
        .await;

        // The versions up to the one read now, when every command has ended.
        let end = api.get("p").await.unwrap();
        let end_rv = end.resource_version().unwrap();
        let (first, rest) = observe(&start);
        let mut states = vec![first];
        let mut last_rv = start_rv.clone();
        while last_rv != end_rv {
            let event = tokio::time::timeout(Duration::from_secs(60), versions.recv())
                .await
                .unwrap_or_else(|_| panic!("round {round}: no version {end_rv} in the watch"))
                .unwrap_or_else(|| panic!("round {round}: the watch ended before {end_rv}"));
            let obj = match event {
                Ok(WatchEvent::Modified(obj)) => obj,
                Ok(WatchEvent::Bookmark(_)) => continue,
                other => panic!("round {round}: watch: {other:?}"),
            };
            last_rv = obj.resource_version().unwrap();
            let (state, others) = observe(&obj);
            assert_eq!(
                others, rest,
                "round {round}: version {last_rv} changed what no command changes"
            );
            if states.last() != Some(&state) {
                states.push(state);
            }
        }
        watch.abort();
        assert_eq!(
            observe(&end),
            (states.last().unwrap().clone(), rest.clone()),
            "round {round}: the end state"
        );

        // Every change is one successful command's, each used once.
        let summary = |runs: &[(Write, Vec<String>, Run)]| -> String {
            runs.iter()
                .map(|(_, c, r)| format!("{c:?}: {r:?}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let mut used = vec![false; runs.len()];
        for (k, pair) in states.windows(2).enumerate() {
            let (before, after) = (&pair[0], &pair[1]);
            let by = runs.iter().enumerate().position(|(i, (w, _, r))| {
                !used[i]
                    && r.code == 0
                    && matches!(before.apply(w), Effect::Changed(s, said)
                        if s == *after && r.stdout == format!("{said}\n"))
            });
            match by {
                Some(i) => used[i] = true,
                None => panic!(
                    "round {round}: change {k} is no successful command's effect:\n{before:?}\n-> {after:?}\n{}",
                    summary(&runs)
                ),
            }
        }
        let (mut changed, mut same, mut gave_up, mut refused) = (0, 0, 0, 0);
        for (i, (w, c, r)) in runs.iter().enumerate() {
            assert!(!r.stderr.contains("panicked"), "{c:?}: {r:?}");
            if used[i] {
                changed += 1;
                assert_eq!(r.stderr, "", "{c:?}: {r:?}");
                continue;
            }
            match r.code {
                // Changed nothing: a no-op in some state of the order, saying so.
                0 => {
                    same += 1;
                    assert!(
                        states.iter().any(|s| matches!(s.apply(w),
                            Effect::Same(said) if r.stdout == format!("{said}\n"))),
                        "round {round}: {c:?} succeeded but is no change in the order and no no-op in any state of it: {r:?}\nstates: {states:#?}"
                    );
                }
                // Gave up on conflicts, or refused as it would be in some state.
                1 if r.stderr == format!("kubectl-numa: error: {}\n", w.gave_up()) => gave_up += 1,
                1 => {
                    refused += 1;
                    assert!(
                        states.iter().any(|s| matches!(s.apply(w),
                            Effect::Refused(why) if r.stderr == format!("kubectl-numa: error: {why}\n"))),
                        "round {round}: {c:?} failed neither on conflicts nor as in any state of the order: {r:?}\nstates: {states:#?}"
                    );
                }
                _ => panic!("round {round}: {c:?}: {r:?}"),
            }
        }
        eprintln!(
            "round {round}: {changed} changes, {same} no-ops, {gave_up} gave up on conflicts, {refused} refused"
        );
        assert!(
            changed > 0,
            "round {round}: some command got through:\n{}",
            summary(&runs)
        );

        // The end state read as the plugin reads it.
        let vertex = |name: &str| vertex_of(&end.data["spec"], name).clone();
        let (cat, dog) = (vertex("cat"), vertex("dog"));
        assert_eq!(
            dog["udf"]["container"]["image"], "example/dog:v0",
            "round {round}: the other vertex is untouched"
        );
        // The full CRDs store the default strategy in every vertex definition; the
        // minimal ones store none.
        let default_strategy = full
            .then(|| json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%"}}));
        assert_eq!(
            dog.get("updateStrategy"),
            default_strategy.as_ref(),
            "round {round}"
        );
        let ann = end.metadata.annotations.as_ref();
        let record = pause::decode(ann).unwrap();
        if !record.is_empty() {
            assert_eq!(
                cat.pointer("/updateStrategy/rollingUpdate/maxUnavailable"),
                Some(&json!(0)),
                "round {round}: paused with a record"
            );
        }
        // End the round resumed, so the next starts from a running rollout.
        admin_expect(0, &ns, &["rollout", "resume", "vertex/p-cat"]).await;
    }
}
