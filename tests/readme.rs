//! The README's tour, replayed as written: every `$` line of its `## Tour` section runs
//! with bash against a fresh namespace of the test world, and its output must match
//! what the README shows once run-to-run details are masked.

mod common;

use std::process::Command;

use common::*;

/// `(command, expected output)` pairs of the README's tour, in order.
fn tour() -> Vec<(String, String)> {
    let readme = include_str!("../README.md");
    let start = readme.find("\n## Tour").expect("README has a Tour section");
    let section = &readme[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let mut steps: Vec<(String, String)> = Vec::new();
    for block in section.split("```text\n").skip(1) {
        let block = &block[..block.find("```").expect("closed block")];
        for line in block.lines() {
            match line.strip_prefix("$ ") {
                Some(cmd) => steps.push((cmd.to_string(), String::new())),
                None => {
                    let last = steps.last_mut().expect("a block starts with a command");
                    last.1.push_str(line);
                    last.1.push('\n');
                }
            }
        }
    }
    steps
}

/// Replaces what changes between runs, then folds runs of spaces (column widths follow
/// the masked values).
fn mask(text: &str, ns: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = line.replace(ns, "default");
        let words: Vec<String> = line.split_whitespace().map(mask_word).collect();
        out.push_str(&words.join(" "));
        out.push('\n');
    }
    out
}

fn mask_word(w: &str) -> String {
    // Timestamps, then a pod's random suffix and its uid, hashes, ages.
    if w.len() >= 20 && w.as_bytes()[4] == b'-' && w.contains('T') && w.ends_with('Z') {
        return "<time>".into();
    }
    let mut w = w.to_string();
    if let Some(open) = w.find('(') {
        if w.ends_with(')') && w[open + 1..w.len() - 1].len() == 36 {
            w = format!("{}(<uid>)", &w[..open]);
        }
    }
    let parts: Vec<&str> = w.split('-').collect();
    if parts.len() >= 4
        && parts[0].ends_with("demo")
        && parts[parts.len() - 2].chars().all(|c| c.is_ascii_digit())
    {
        let id = parts[parts.len() - 1];
        let (id, rest) = id.split_at(
            id.find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(id.len()),
        );
        if id.len() == 5 {
            return format!("{}-<id>{rest}", parts[..parts.len() - 1].join("-"));
        }
    }
    if w.len() >= 12 && w.chars().all(|c| c.is_ascii_hexdigit()) {
        return "<hash>".into();
    }
    let digits = w.trim_end_matches(['s', 'm', 'h', 'd']);
    if digits.len() + 1 == w.len()
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
    {
        return "<age>".into();
    }
    w
}

#[test]
fn masking() {
    assert_eq!(
        mask("  ├─ ✔ demo-cat-0-x7k2p  Ready   restarts 0    40s  2026-11-27T08:50:01.1Z 5c2b1f0e9d8a ns1", "ns1"),
        "├─ ✔ demo-cat-0-<id> Ready restarts 0 <age> <time> <hash> default\n"
    );
    assert_eq!(
        mask_word("pod=demo-cat-0-b8d2k_default(4f1c2a9e-7b3d-4e5f-9a8b-1c2d3e4f5a6b)"),
        "pod=demo-cat-0-<id>_default(<uid>)"
    );
}

#[tokio::test]
async fn the_tour_runs_as_written() {
    let env = env();
    let ns = env.namespace("tour").await;
    // A kubeconfig whose contexts default to the tour's namespace, so commands run as written.
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kubeconfig");
    let text = std::fs::read_to_string(env.kubeconfig())
        .unwrap()
        .replace("namespace: default", &format!("namespace: {ns}"));
    std::fs::write(&kc, text).unwrap();
    let bin_dir = std::path::Path::new(PLUGIN).parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let steps = tour();
    assert!(steps.len() >= 10, "the tour has its steps: {steps:?}");
    for (cmd, want) in steps {
        let mut c = Command::new("bash");
        c.args(["-c", &cmd]).current_dir(env!("CARGO_MANIFEST_DIR"));
        c.env("KUBECONFIG", &kc)
            .env("PATH", &path)
            .env("NO_COLOR", "1");
        let r = run(c).await;
        assert_eq!(r.code, 0, "$ {cmd}\n{r:?}");
        assert_eq!(
            mask(&r.stdout, &ns),
            mask(&want, &ns),
            "$ {cmd}\nactual output:\n{}",
            r.stdout
        );
    }
}
