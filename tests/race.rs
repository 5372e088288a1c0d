//! Twenty plugin processes at once against one pipeline (pause, resume, set strategy,
//! set image, undo) while Numaflow's controller rolls the pods and writes status. The end state must be
//! one a serial order of the successful commands could produce, and the plugin's
//! annotations must still decode. Run several rounds.

mod common;

use std::collections::BTreeSet;

use common::*;
use kubectl_numa::rollout::{pause, revision};
use serde_json::Value;
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
    // Every strategy value any command set so far (resume may bring back an older one),
    // starting with the stored default: the full CRDs default it to 25%, the minimal
    // CRDs leave it out (null).
    let full = match env().crds() {
        "full" => true,
        "minimal" => false,
        other => panic!("unknown CRD kind {other:?}"),
    };
    let mut values: Vec<Value> = vec![if full {
        Value::from("25%")
    } else {
        Value::Null
    }];
    for round in 0..ROUNDS {
        let runs = futures::future::join_all(commands(round).into_iter().map(|c| {
            let ns = ns.clone();
            async move {
                let args: Vec<&str> = c.iter().map(String::as_str).collect();
                (c.clone(), plugin(User::Admin, &ns, &args).await)
            }
        }))
        .await;
        let mut images: BTreeSet<String> = ["example/cat:v0".to_string()].into();
        for (c, r) in &runs {
            assert!(matches!(r.code, 0 | 1), "{c:?}: {r:?}");
            assert!(!r.stderr.contains("panicked"), "{c:?}: {r:?}");
            if r.code == 1 {
                assert!(!r.stderr.trim().is_empty(), "a failure says why: {c:?}");
            }
            if c[1] == "set" && c[2] == "image" {
                images.insert(c[4].trim_start_matches("udf=").to_string());
            }
            if c[1] == "set" && c[2] == "strategy" {
                values.push(match c[5].as_str() {
                    "50%" => Value::from("50%"),
                    n => Value::from(n.parse::<u64>().unwrap()),
                });
            }
        }
        let ok = runs.iter().filter(|(_, r)| r.code == 0).count();
        eprintln!("round {round}: {ok} of {} commands succeeded", runs.len());
        assert!(ok > 0, "round {round}: some command got through");
        let pl = numaflow(&client, &ns, "Pipeline").get("p").await.unwrap();
        let ann = pl.metadata.annotations.as_ref();
        let record =
            pause::decode(ann).unwrap_or_else(|e| panic!("round {round}: pause record: {e:#}"));
        let history = revision::History::decode(ann)
            .unwrap_or_else(|e| panic!("round {round}: history: {e}"));
        // By name: `create_pipeline` put a generator `in` first and a sink `out` last.
        let vertex = |name: &str| {
            pl.data["spec"]["vertices"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["name"] == name)
                .unwrap_or_else(|| panic!("round {round}: no vertex {name}"))
                .clone()
        };
        let (cat, dog) = (&vertex("cat"), &vertex("dog"));
        assert_eq!(
            dog["udf"]["container"]["image"], "example/dog:v0",
            "round {round}: the other vertex is untouched"
        );
        // The full CRDs store the default strategy in every vertex definition; the
        // minimal ones store none.
        let default_strategy = full.then(|| {
            serde_json::json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%"}})
        });
        assert_eq!(
            dog.get("updateStrategy"),
            default_strategy.as_ref(),
            "round {round}"
        );
        // The image is one some command (set image, or undo to an earlier revision) wrote.
        let image = cat["udf"]["container"]["image"]
            .as_str()
            .unwrap()
            .to_string();
        let recorded: BTreeSet<String> = history
            .revisions
            .iter()
            .filter_map(|r| {
                revision::vertex_entry(&r.spec, "cat")?["udf"]["container"]["image"]
                    .as_str()
                    .map(String::from)
            })
            .collect();
        assert!(
            images.contains(&image) || recorded.contains(&image),
            "round {round}: image {image}"
        );
        // Paused means maxUnavailable 0 with a record; otherwise a value some command set (or none).
        let mu = cat
            .pointer("/updateStrategy/rollingUpdate/maxUnavailable")
            .cloned()
            .unwrap_or(Value::Null);
        if record.is_empty() {
            assert!(
                values.contains(&mu),
                "round {round}: maxUnavailable {mu} without a pause record"
            );
        } else {
            assert_eq!(mu, Value::from(0), "round {round}: paused with a record");
        }
        assert!(
            history.latest().is_some(),
            "round {round}: history has revisions"
        );
        // End the round resumed, so the next starts from a running rollout.
        admin_expect(0, &ns, &["rollout", "resume", "vertex/p-cat"]).await;
    }
}
