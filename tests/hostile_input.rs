//! Hostile and malformed input for every parser the plugin has: target references,
//! strategy values, CONTAINER=IMAGE, durations, the pause record and the revision
//! history. Each gets many generated inputs (a seeded generator, so a failure is
//! reproducible); none may panic, and every rejection must say something. The binary's
//! own parsing (clap, `-o` values, revision numbers) is driven through the executable:
//! a bad value is exit 2 with a message, never a crash.

use std::collections::BTreeMap;

use kubectl_numa::cli::parse_duration;
use kubectl_numa::rollout::strategy::IntOrPercent;
use kubectl_numa::rollout::{image, pause, revision};
use kubectl_numa::target;

/// xorshift64*: small, seeded, good enough to spread inputs.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A string mixing the characters parsers care about with arbitrary Unicode.
    fn string(&mut self) -> String {
        const PIECES: [&str; 24] = [
            "vertex", "mvtx", "pl", "/", "=", "*", "%", "-", "0", "9", "100", "150", "a", "Z", ".",
            " ", "", "\u{0}", "é", "🦀", "v1:", "{", "\"", "\\",
        ];
        let n = (self.next() % 8) as usize;
        (0..n)
            .map(|_| PIECES[(self.next() % PIECES.len() as u64) as usize])
            .collect()
    }
}

const ROUNDS: usize = 20_000;

#[test]
fn parsers_never_panic_and_always_explain() {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    for _ in 0..ROUNDS {
        let words: Vec<String> = (0..(g.next() % 4)).map(|_| g.string()).collect();
        let sel = if g.next().is_multiple_of(3) {
            Some(g.string())
        } else {
            None
        };
        if let Err(e) = target::parse(&words, sel.as_deref()) {
            assert!(!e.0.is_empty(), "target {words:?}");
        }
        let v = g.string();
        match IntOrPercent::parse(&v) {
            Ok(p) => assert_eq!(
                IntOrPercent::parse(&p.to_string()).unwrap(),
                p,
                "round trip of {v:?}"
            ),
            Err(e) => assert!(
                e.to_string().contains(&format!("{v:?}")),
                "quotes {v:?}: {e}"
            ),
        }
        if let Err(e) = image::split_args(&words) {
            assert!(!e.0.is_empty(), "image args {words:?}");
        }
        if let Err(e) = parse_duration(&v) {
            assert!(e.contains("invalid duration"), "{e}");
        }
    }
}

#[test]
fn annotations_never_panic_and_corruption_is_named() {
    let mut g = Gen(42);
    let good = {
        let mut h = revision::History::default();
        h.record(
            &serde_json::json!({"vertices": [{"name": "cat"}]}),
            "x",
            "t",
        );
        h.encode()
    };
    for i in 0..ROUNDS {
        // Random text, and valid encodings with bytes flipped or cut.
        let raw = match i % 3 {
            0 => g.string(),
            1 => {
                let mut b = good.clone().into_bytes();
                let at = (g.next() as usize) % b.len();
                b[at] = b"A/+=v1:{"[(g.next() % 8) as usize];
                String::from_utf8(b).unwrap()
            }
            _ => good[..(g.next() as usize) % good.len()].to_string(),
        };
        let mut ann = BTreeMap::new();
        ann.insert(revision::HISTORY_ANNOTATION.to_string(), raw.clone());
        ann.insert(pause::PAUSE_ANNOTATION.to_string(), raw.clone());
        if let Err(e) = revision::History::decode(Some(&ann)) {
            assert!(e.to_string().contains(revision::HISTORY_ANNOTATION), "{e}");
        }
        if let Err(e) = pause::decode(Some(&ann)) {
            assert!(format!("{e:#}").contains(pause::PAUSE_ANNOTATION), "{e:#}");
        }
        let _ = pause::is_recorded(Some(&ann), "cat");
    }
}

#[test]
fn bad_command_lines_exit_2_with_a_message() {
    let plugin = env!("CARGO_BIN_EXE_kubectl-numa");
    for args in [
        &["rollout", "status", "pipeline/p", "-o", "yaml"][..],
        &["rollout", "list", "-o", "🦀"],
        &["rollout", "undo", "pipeline/p", "--to-revision", "-1"],
        &[
            "rollout",
            "undo",
            "pipeline/p",
            "--to-revision",
            "99999999999999999999999",
        ],
        &["rollout", "history", "pipeline/p", "--revision", "two"],
        &["rollout", "status", "pipeline/p", "--timeout", "1x"],
        &["rollout", "status", "vertex/\u{7}bell"],
        &[
            "rollout",
            "set",
            "strategy",
            "pipeline/p",
            "--max-unavailable",
            "150%",
        ],
        &["rollout", "set", "image", "pipeline/p", "=x"],
        &["rollout", "get"],
        &["nonsense"],
    ] {
        let out = std::process::Command::new(plugin)
            .args(["--kubeconfig", "/nonexistent"])
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            !stderr.trim().is_empty() && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
    }
}
