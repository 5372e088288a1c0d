//! Reading manifests as `kubectl apply` does: `-f` files, directories (their `.yaml`,
//! `.yml` and `.json` files in name order, subdirectories with `-R`) and `-` for stdin;
//! `-k DIR` rendered by `kubectl kustomize DIR`. The only I/O of [`crate::manifest`].

use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{anyhow, Context, Result};

use super::documents;
use super::objects::Manifests;
use crate::usage::UsageError;

/// The extensions a directory's manifests have.
const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Reads the manifests of `-f` (`filenames`, `recursive`) or `-k` (`kustomize`). A
/// missing path, a text that does not parse, or no Numaflow workload in it all is a
/// usage error; a missing kubectl (for `-k`) is an error (exit 1): the command line is
/// right, the machine lacks the tool.
pub fn read(filenames: &[String], recursive: bool, kustomize: Option<&str>) -> Result<Manifests> {
    let mut manifests = Manifests::default();
    let sources = match kustomize {
        Some(dir) => {
            let text = render(dir)?;
            let source = format!("kustomization {dir}");
            manifests.add(&source, documents::parse(&source, &text, false)?)?;
            format!("the kustomization {dir}")
        }
        None => {
            for name in filenames {
                read_path(name, recursive, &mut manifests)?;
            }
            let shown: Vec<&str> = filenames
                .iter()
                .map(|f| if f == "-" { "stdin" } else { f.as_str() })
                .collect();
            shown.join(", ")
        }
    };
    manifests.require_targets(&sources)?;
    Ok(manifests)
}

/// Reads one `-f` value into `manifests`.
fn read_path(name: &str, recursive: bool, manifests: &mut Manifests) -> Result<()> {
    if name == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the manifests from stdin")?;
        manifests.add("stdin", documents::parse("stdin", &text, false)?)?;
        return Ok(());
    }
    let path = Path::new(name);
    let meta = std::fs::metadata(path).map_err(|e| missing(name, e))?;
    let files = if meta.is_dir() {
        let mut files = Vec::new();
        walk(path, recursive, &mut files)?;
        files
    } else {
        vec![path.to_path_buf()]
    };
    for file in files {
        let shown = file.display().to_string();
        let text = std::fs::read_to_string(&file).map_err(|e| missing(&shown, e))?;
        let json = file.extension().is_some_and(|e| e == "json");
        manifests.add(&shown, documents::parse(&shown, &text, json)?)?;
    }
    Ok(())
}

/// The manifest files of directory `dir`, in name order; those of its subdirectories
/// (in the same order, depth first) when `recursive`.
fn walk(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading directory {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("reading directory {}", dir.display()))?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if recursive {
                walk(&path, recursive, out)?;
            }
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// A path that cannot be read: a usage error when it does not exist.
fn missing(name: &str, e: std::io::Error) -> anyhow::Error {
    if e.kind() == ErrorKind::NotFound {
        UsageError(format!("{name}: no such file or directory")).into()
    } else {
        anyhow!("reading {name}: {e}")
    }
}

/// The manifests `kubectl kustomize DIR` renders.
fn render(dir: &str) -> Result<String> {
    if !Path::new(dir).is_dir() {
        return Err(UsageError(format!("-k {dir}: no such directory")).into());
    }
    let out = match Command::new("kubectl").arg("kustomize").arg(dir).output() {
        Ok(out) => out,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Err(anyhow!(
                "-k needs kubectl on PATH to render {dir} (`kubectl kustomize {dir}`), and there is no kubectl; \
install kubectl, or render it another way and pass it on stdin: `kustomize build {dir} | kubectl numa rollout ... -f -`"
            ))
        }
        Err(e) => return Err(anyhow!("running `kubectl kustomize {dir}`: {e}")),
    };
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(UsageError(format!(
            "`kubectl kustomize {dir}` failed: {}",
            stderr.trim().trim_start_matches("error: ")
        ))
        .into());
    }
    String::from_utf8(out.stdout).map_err(|_| anyhow!("`kubectl kustomize {dir}` printed no UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PL: &str =
        "apiVersion: numaflow.numaproj.io/v1alpha1\nkind: Pipeline\nmetadata: {name: NAME}\n";

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn names(m: &Manifests) -> Vec<String> {
        m.objects
            .iter()
            .map(|o| o.placed.target.name.clone())
            .collect()
    }

    #[test]
    fn files_directories_and_recursion() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        write(d, "b.yaml", &PL.replace("NAME", "b"));
        write(d, "a.yml", &PL.replace("NAME", "a"));
        write(
            d,
            "c.json",
            r#"{"apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "MonoVertex", "metadata": {"name": "c"}}"#,
        );
        write(d, "notes.txt", &PL.replace("NAME", "txt"));
        write(d, "sub/d.yaml", &PL.replace("NAME", "d"));
        write(d, "sub/deeper/e.yaml", &PL.replace("NAME", "e"));
        let dir = d.display().to_string();
        let table: &[(Vec<String>, bool, &[&str])] = &[
            (vec![dir.clone()], false, &["a", "b", "c"]),
            (vec![dir.clone()], true, &["a", "b", "c", "d", "e"]),
            // A file named explicitly is read whatever its extension.
            (vec![format!("{dir}/notes.txt")], false, &["txt"]),
            (
                vec![format!("{dir}/sub"), format!("{dir}/b.yaml")],
                false,
                &["d", "b"],
            ),
            // The same object twice is one target.
            (
                vec![format!("{dir}/b.yaml"), dir.clone()],
                false,
                &["b", "a", "c"],
            ),
        ];
        for (files, recursive, want) in table {
            let m = read(files, *recursive, None).unwrap_or_else(|e| panic!("{files:?}: {e}"));
            assert_eq!(names(&m), *want, "{files:?} -R={recursive}");
        }
    }

    #[test]
    fn missing_and_empty_inputs_are_usage_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        write(
            d,
            "only/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
        );
        write(d, "bad/x.yaml", "kind: [\n");
        std::fs::create_dir(d.join("empty")).unwrap();
        let p = |rel: &str| d.join(rel).display().to_string();
        let table: Vec<(Vec<String>, String)> = vec![
            (
                vec![p("nope.yaml")],
                format!("{}: no such file or directory", p("nope.yaml")),
            ),
            (
                vec![p("only")],
                format!(
                    "no Pipeline, MonoVertex or Vertex in {} (found 1 ConfigMap)",
                    p("only")
                ),
            ),
            (
                vec![p("empty")],
                format!(
                    "no Pipeline, MonoVertex or Vertex in {} (found no object)",
                    p("empty")
                ),
            ),
            (
                vec![p("bad")],
                format!("{}: document 1: line 1: ", p("bad/x.yaml")),
            ),
        ];
        for (files, want) in table {
            let e = read(&files, false, None).unwrap_err();
            assert!(e.is::<UsageError>(), "{files:?}: {e}");
            assert!(e.to_string().starts_with(&want), "{files:?}: {e}");
        }
        let e = read(&[], false, Some(&p("nope"))).unwrap_err();
        assert!(e.is::<UsageError>());
        assert_eq!(
            e.to_string(),
            format!("-k {}: no such directory", p("nope"))
        );
    }
}
