//! Writes under a busy controller (issue 33). Numaflow's own controller, in the middle of
//! a rollout whose new pods crash-loop, writes the Pipeline's and the Vertex's status on
//! every reconcile, which moves their `resourceVersion` many times a second. A deploy
//! script runs exactly then: `pause`, `undo` or `--rollback-on-failure` of a bad image.
//! Every command below must succeed the first time, as the user sees it (its exit code
//! and no "gave up" on stderr), 50 rounds each. The eight loops run at once, each in a
//! namespace of its own, so the controller is busier still.

mod common;

use common::*;

/// Rounds per command.
const ROUNDS: usize = 50;

/// A namespace with pipeline `p` whose vertex `cat` (2 replicas) is rolling out to an
/// image that crash-loops (kwok: the image says `crashloop`), as the plugin reports it:
/// degraded, exit 3. The new spec is recorded as revision 2, the healthy one as 1.
async fn crash_looping(prefix: &str) -> String {
    let (ns, _client) = rolled_out_cat(prefix, 2).await;
    admin_expect_line(0, &ns, "rollout history pipeline/p --record").await;
    admin_expect_line(
        0,
        &ns,
        "rollout set image vertex/p-cat udf=example/cat:crashloop-0",
    )
    .await;
    admin_expect_line(3, &ns, "rollout status vertex/p-cat --timeout 60s").await;
    ns
}

/// Runs `line` (with `{i}` replaced by the round) `ROUNDS` times; each must exit
/// `code` at once and never say it gave up.
async fn rounds(ns: &str, lines: &[(&str, i32)]) {
    for i in 0..ROUNDS {
        for (line, code) in lines {
            let line = line.replace("{i}", &i.to_string());
            let r = admin_expect_line(*code, ns, &line).await;
            assert!(!r.stderr.contains("gave up"), "round {i}: {line}: {r:?}");
        }
    }
}

async fn pause_and_resume() {
    let ns = crash_looping("busy-pause").await;
    rounds(
        &ns,
        &[
            ("rollout pause pipeline/p", 0),
            ("rollout resume pipeline/p", 0),
        ],
    )
    .await;
}

async fn set_image() {
    let ns = crash_looping("busy-image").await;
    rounds(
        &ns,
        &[(
            "rollout set image vertex/p-cat udf=example/cat:crashloop-{i}",
            0,
        )],
    )
    .await;
}

async fn set_strategy() {
    let ns = crash_looping("busy-strategy").await;
    rounds(
        &ns,
        &[
            ("rollout set strategy vertex/p-cat --max-unavailable 1", 0),
            ("rollout set strategy vertex/p-cat --max-unavailable 50%", 0),
        ],
    )
    .await;
}

/// `undo` goes back one revision: from the crash-looping spec to the healthy one and
/// back again, each time recorded as a new revision.
async fn undo() {
    let ns = crash_looping("busy-undo").await;
    rounds(&ns, &[("rollout undo pipeline/p", 0)]).await;
}

/// `undo --to-revision N`: revisions 1 (healthy) and 2 (crash-looping) exist; round `i`
/// restores revision `i + 1`, which is the spec before the current one whether or not
/// the history keeps the number a restored revision had.
async fn undo_to_revision() {
    let ns = crash_looping("busy-torev").await;
    for i in 0..ROUNDS {
        let line = format!("rollout undo pipeline/p --to-revision {}", i + 1);
        let r = admin_expect_line(0, &ns, &line).await;
        assert!(!r.stderr.contains("gave up"), "round {i}: {line}: {r:?}");
    }
}

/// `step --pods 1` of a paused rollout, each round after a new crash-looping image: a
/// new spec restarts Numaflow's batches at pod 0 (`orchestratePods` resets
/// `updatedReplicas`), so the one pod always moves, although the one before it never
/// became Ready (the same image again would wait for that forever: the controller starts
/// no batch before the last one is Ready).
async fn step() {
    let ns = crash_looping("busy-step").await;
    admin_expect_line(0, &ns, "rollout pause pipeline/p").await;
    rounds(
        &ns,
        &[
            (
                "rollout set image vertex/p-cat udf=example/cat:crashloop-step-{i}",
                0,
            ),
            ("rollout step vertex/p-cat --pods 1 --timeout 60s", 0),
        ],
    )
    .await;
}

/// `status --rollback-on-failure` of a crash-looping image rolls back to the healthy
/// revision and waits for it (exit 7); each round starts a new bad image.
async fn rollback_on_failure() {
    let ns = crash_looping("busy-rollback").await;
    admin_expect_line(0, &ns, "rollout undo pipeline/p").await;
    admin_expect_line(0, &ns, "rollout status pipeline/p --timeout 60s").await;
    rounds(
        &ns,
        &[
            (
                "rollout set image vertex/p-cat udf=example/cat:crashloop-{i}",
                0,
            ),
            (
                "rollout status pipeline/p --rollback-on-failure --timeout 90s",
                7,
            ),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_write_succeeds_first_time_under_a_crash_looping_rollout() {
    let loops = vec![
        tokio::spawn(pause_and_resume()),
        tokio::spawn(set_image()),
        tokio::spawn(set_strategy()),
        tokio::spawn(undo()),
        tokio::spawn(undo_to_revision()),
        tokio::spawn(step()),
        tokio::spawn(rollback_on_failure()),
    ];
    let mut failed = Vec::new();
    for (i, l) in loops.into_iter().enumerate() {
        if let Err(e) = l.await {
            failed.push(format!("loop {i}: {e}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
