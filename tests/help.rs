//! Help and man pages, for every command in the clap definition (so commands added
//! later are held to the same rules): a one-line summary, a longer description,
//! examples a user can paste, exit codes, and usage written as `kubectl numa ...`.

use std::process::Command;

use kubectl_numa::generate::{self, visible_commands};

const PLUGIN: &str = env!("CARGO_BIN_EXE_kubectl-numa");

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(PLUGIN).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The lines of the "Examples:" section of an after-help text.
fn examples(after_help: &str) -> Vec<&str> {
    after_help
        .lines()
        .skip_while(|l| l.trim() != "Examples:")
        .skip(1)
        .take_while(|l| !l.starts_with("Exit codes"))
        .collect()
}

#[test]
fn every_command_has_summary_description_examples_and_exit_codes() {
    let mut problems = Vec::new();
    for (path, mut cmd) in visible_commands() {
        let name = format!("kubectl numa {}", path.join(" "));
        let name = name.trim_end();
        let mut problem = |what: &str| problems.push(format!("`{name}`: {what}"));

        let about = cmd.get_about().map(|s| s.to_string()).unwrap_or_default();
        if about.trim().is_empty() || about.contains('\n') {
            problem("needs a one-line summary (about / the variant's doc comment)");
        }
        let long = cmd
            .get_long_about()
            .map(|s| s.to_string())
            .unwrap_or_default();
        if long.trim().is_empty() || long.trim() == about.trim() {
            problem("needs a longer description (`#[command(long_about = ...)]` on its variant in src/cli.rs; one on the Args struct is replaced by the variant's doc comment)");
        }
        let after = cmd
            .get_after_help()
            .map(|s| s.to_string())
            .unwrap_or_default();
        let lines = examples(&after);
        if !after.contains("Examples:") {
            problem("needs examples: an after_help with an \"Examples:\" section");
        } else {
            // Examples may show a workflow with other commands, but at least one
            // must run this one.
            let runs_it = lines
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.starts_with('#'))
                .any(|l| l.contains(&format!("{name} ")) || l.ends_with(name));
            if !runs_it {
                problem(&format!(
                    "no example in its \"Examples:\" section runs `{name}`"
                ));
            }
        }
        let help = cmd.render_long_help().to_string();
        if !help.contains("Exit codes") {
            problem("its help lists no \"Exit codes\"");
        }
        let usage = cmd.render_usage().to_string();
        if !usage.starts_with(&format!("Usage: {name}")) {
            problem(&format!("usage is not written as `{name} ...`: {usage:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "help rules broken:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn help_shows_kubectl_numa_commands() {
    let (code, out) = run(&["--help"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("\nUsage: kubectl numa [OPTIONS] <COMMAND>\n"),
        "{out}"
    );
    for (path, _) in visible_commands().iter().filter(|(p, _)| p.len() == 1) {
        assert!(
            out.contains(&format!("\n  {} ", path[0])),
            "{} in {out}",
            path[0]
        );
    }
    let (code, out) = run(&["rollout", "--help"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("\nUsage: kubectl numa rollout [OPTIONS] <COMMAND>\n"),
        "{out}"
    );
    let (code, out) = run(&["rollout", "status", "--help"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("\nUsage: kubectl numa rollout status [OPTIONS] [TARGET]...\n"),
        "{out}"
    );
    assert!(
        out.contains("\nExit codes:\n  0  every rollout is complete\n"),
        "{out}"
    );
    let (code, out) = run(&["rollout", "list", "-h"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("List the rollout state of every vertex and monovertex\n"),
        "{out}"
    );
}

#[test]
fn a_man_page_per_command() {
    let pages = generate::man_pages().unwrap();
    let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
    let want: Vec<String> = visible_commands()
        .iter()
        .map(|(path, _)| {
            std::iter::once("kubectl-numa")
                .chain(path.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join("-")
                + ".1"
        })
        .collect();
    assert_eq!(names, want);
    assert!(
        names.contains(&"kubectl-numa-rollout-status.1"),
        "{names:?}"
    );
    for (name, roff) in &pages {
        let roff = String::from_utf8_lossy(roff);
        let title = name.trim_end_matches(".1");
        assert!(
            roff.contains(&format!(".TH {} 1", title.to_uppercase())),
            "{name}: {roff}"
        );
        assert!(
            roff.contains(&format!(".SH NAME\n{}", title.replace('-', "\\-"))),
            "{name}: {roff}"
        );
    }
    // The examples and exit codes are in the page too.
    let (_, status) = pages
        .iter()
        .find(|(n, _)| n == "kubectl-numa-rollout-status.1")
        .unwrap();
    let status = String::from_utf8_lossy(status);
    assert!(
        status.contains("Examples:") && status.contains("Exit codes:"),
        "{status}"
    );
}
