//! Shell completion: the committed scripts are current and load in real shells, bash
//! completes subcommands, and the helper kubectl runs (`kubectl_complete-numa`) lists
//! the objects of the real control plane.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::*;
use kubectl_numa::generate::{self, KUBECTL_SHIM, SHIM_NAME};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn completions() -> PathBuf {
    root().join("completions")
}

/// Runs a shell snippet with `shell` (which must be installed: scripts/test.sh installs
/// zsh and fish from Debian) and returns what it printed, failing on a non-zero exit
/// or anything on stderr.
fn shell(shell: &str, args: &[&str], script: &str) -> String {
    let out = Command::new(shell)
        .args(args)
        .arg(script)
        .current_dir(root())
        .env("HOME", std::env::temp_dir())
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {shell} ({e}): install it (scripts/test.sh does: apt-get install zsh fish)")
        });
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success() && stderr.is_empty(),
        "{shell} {script:?}: exit {:?}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        out.status.code()
    );
    stdout
}

#[test]
fn committed_scripts_are_current() {
    let mut stale = Vec::new();
    for (name, want) in generate::completion_files() {
        let path = completions().join(name);
        if std::fs::read(&path).ok().as_deref() != Some(&want[..]) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "completions/ is stale ({}): regenerate it with scripts/completions.sh and commit the result",
        stale.join(", ")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(completions().join(SHIM_NAME))
            .unwrap()
            .permissions()
            .mode();
        assert!(
            mode & 0o111 == 0o111,
            "completions/{SHIM_NAME} must be executable (mode {mode:o}): run scripts/completions.sh"
        );
    }
}

#[test]
fn scripts_load_in_bash_zsh_and_fish() {
    let out = shell(
        "bash",
        &["--norc", "--noprofile", "-c"],
        "source completions/kubectl-numa.bash && complete -p kubectl-numa",
    );
    assert!(out.contains("-F _kubectl__numa"), "{out}");

    let out = shell(
        "zsh",
        &["-f", "-c"],
        "autoload -Uz compinit && compinit -u -D && source completions/_kubectl-numa && print -r -- ${_comps[kubectl-numa]}",
    );
    assert_eq!(out, "_kubectl-numa\n");

    // fish can run its completion engine on a command line: a real completion.
    let out = shell(
        "fish",
        &["--no-config", "-c"],
        "source completions/kubectl-numa.fish; complete -C 'kubectl-numa rollout st'",
    );
    assert!(
        out.lines().any(|l| l.starts_with("status\t")),
        "fish offers status: {out}"
    );
}

/// What bash's completion function of `kubectl-numa` offers for `line` (words split
/// on spaces; a trailing space completes an empty word), as an interactive bash calls
/// it: COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT set, then the function registered
/// with `complete -F` called with the command, the word and the previous word.
fn bash_completes(line: &str) -> Vec<String> {
    let script = format!(
        r#"source completions/kubectl-numa.bash
fn=$(complete -p kubectl-numa | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
COMP_LINE='kubectl-numa {line}'
read -ra COMP_WORDS <<<"$COMP_LINE"
[[ "$COMP_LINE" == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))
COMP_POINT=${{#COMP_LINE}}
COMPREPLY=()
"$fn" kubectl-numa "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#
    );
    shell("bash", &["--norc", "--noprofile", "-c"], &script)
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn bash_completes_subcommands_and_their_flags() {
    assert_eq!(bash_completes("rollout sta"), ["status"]);
    assert_eq!(bash_completes("rollout st"), ["status", "step"]);
    assert_eq!(bash_completes("rollout status --ti"), ["--timeout"]);
    assert_eq!(bash_completes("rollout list -o "), ["json", "name", "wide"]);
    assert_eq!(bash_completes("completion kubectl-"), ["kubectl-shim"]);
}

#[test]
fn kubectl_shim_prints_and_installs_the_helper() {
    let out = std::process::Command::new(PLUGIN)
        .args(["completion", "kubectl-shim"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), KUBECTL_SHIM);

    let dir = std::env::temp_dir().join(format!("numa-shim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = std::process::Command::new(PLUGIN)
        .args(["completion", "kubectl-shim", "--install"])
        .arg(&dir)
        .env("PATH", &dir)
        .output()
        .unwrap();
    let installed = dir.join(SHIM_NAME);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("installed {}\n", installed.display())
    );
    assert_eq!(std::fs::read_to_string(&installed).unwrap(), KUBECTL_SHIM);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&installed).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755);
    }
    std::fs::remove_dir_all(&dir).unwrap();

    let out = std::process::Command::new(PLUGIN)
        .args(["completion", "bash", "--install", "/tmp"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let out = std::process::Command::new(PLUGIN)
        .args([
            "completion",
            "kubectl-shim",
            "--install",
            "/nonexistent/dir",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("/nonexistent/dir is not a folder"),
        "{out:?}"
    );
}

/// PATH with the committed helper and the plugin built for these tests first.
fn helper_path() -> String {
    let bin_dir = Path::new(PLUGIN).parent().unwrap();
    format!(
        "{}:{}:{}",
        completions().display(),
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Runs `kubectl_complete-numa WORD...` the way kubectl runs it: found on PATH, with
/// the words after `kubectl numa` as arguments (the last one being completed) and the
/// user's environment, KUBECONFIG included.
async fn helper(words: &[&str]) -> Run {
    let mut cmd = Command::new(SHIM_NAME);
    cmd.args(words)
        .env("PATH", helper_path())
        .env("KUBECONFIG", env().kubeconfig());
    run(cmd).await
}

#[tokio::test]
async fn kubectl_helper_lists_names_from_the_cluster() {
    let (ns, client) = setup("complete").await;
    create_pipeline(
        &client,
        &ns,
        "p",
        vec![udf("cat", 1, "example/cat:v1")], // with the source "in" and the sink "out"
    )
    .await;
    create_monovertex(&client, &ns, "m", 1, "example/sink:v1").await;
    let vertices = numaflow(&client, &ns, "Vertex");
    eventually(
        "the vertices of pipeline p",
        Duration::from_secs(30),
        || {
            let vertices = vertices.clone();
            async move {
                let list = vertices.list(&Default::default()).await.ok()?;
                (list.items.len() == 3).then_some(())
            }
        },
    )
    .await;

    let r = helper(&["rollout", "status", "-n", &ns, "vertex/"]).await;
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "vertex/p-cat\nvertex/p-in\nvertex/p-out\n:4\n", ""),
        "{r:?}"
    );
    // The prefix typed so far, another spelling of the kind, the KIND NAME form
    let r = helper(&["rollout", "get", "--namespace", &ns, "vtx/p-c"]).await;
    assert_eq!(r.stdout, "vtx/p-cat\n:4\n", "{r:?}");
    let r = helper(&[
        "rollout",
        "status",
        &format!("--namespace={ns}"),
        "vertex",
        "p-i",
    ])
    .await;
    assert_eq!(r.stdout, "p-in\n:4\n", "{r:?}");
    let r = helper(&["-n", &ns, "rollout", "status", "pipeline/p", "mvtx/"]).await;
    assert_eq!(r.stdout, "mvtx/m\n:4\n", "{r:?}");
    // Kinds first, without a space after them
    let r = helper(&["rollout", "status", ""]).await;
    assert!(
        r.stdout.starts_with("vertex/\t") && r.stdout.ends_with("\n:6\n"),
        "{r:?}"
    );
    // Namespaces and contexts
    let r = helper(&["rollout", "list", "-n", &ns[..ns.len() - 2]]).await;
    assert_eq!(r.stdout, format!("{ns}\n:4\n"), "{r:?}");
    let r = helper(&["rollout", "list", "--context", ""]).await;
    assert_eq!(r.stdout, "admin\nnobody\nviewer\n:4\n", "{r:?}");
    // --context among the words is used: the viewer may list, nobody may not, and a
    // refused or failed read gives no names and no error.
    let r = helper(&[
        "--context",
        "viewer",
        "rollout",
        "get",
        "-n",
        &ns,
        "pipeline/",
    ])
    .await;
    assert_eq!(r.stdout, "pipeline/p\n:4\n", "{r:?}");
    let r = helper(&[
        "--context",
        "nobody",
        "rollout",
        "get",
        "-n",
        &ns,
        "pipeline/",
    ])
    .await;
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, ":4\n", ""),
        "{r:?}"
    );
    let r = helper(&[
        "--kubeconfig",
        "/nonexistent",
        "rollout",
        "get",
        "pipeline/",
    ])
    .await;
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, ":4\n", ""),
        "{r:?}"
    );

    through_kubectl(&ns).await;
}

/// The same through kubectl itself when it completes plugins (1.26+): `kubectl
/// __complete` is what kubectl's own shell completion runs.
async fn through_kubectl(ns: &str) {
    let version = Command::new("kubectl")
        .args(["version", "--client", "-o", "json"])
        .output()
        .ok()
        .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok())
        .and_then(|v| {
            let minor = v["clientVersion"]["minor"].as_str()?.trim_end_matches('+');
            minor.parse::<u32>().ok()
        });
    match version {
        Some(minor) if minor >= 26 => {}
        other => panic!(
            "the kubectl on PATH ({}) completes plugins only from 1.26: put a newer one first \
             (scripts/test.sh puts the world's kubectl on PATH)",
            other.map_or("missing".to_string(), |m| format!("1.{m}"))
        ),
    }
    let mut cmd = Command::new("kubectl");
    cmd.args([
        "__complete",
        "numa",
        "rollout",
        "status",
        "-n",
        ns,
        "vertex/",
    ])
    .env("PATH", helper_path())
    .env("KUBECONFIG", env().kubeconfig());
    let r = run(cmd).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        r.stdout, "vertex/p-cat\nvertex/p-in\nvertex/p-out\n:4\n",
        "{r:?}"
    );
}
