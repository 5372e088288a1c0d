//! krew-manifest.yaml by the rules krew enforces (kubernetes-sigs/krew,
//! internal/index/validation/validate.go and cmd/validate-krew-manifest), plus this
//! project's: the version of Cargo.toml, one archive per OS and CPU named the way
//! scripts/package.sh names it, the binary and the LICENSE installed, and the sha256
//! of the archive that scripts/package.sh built (CI runs it before the tests).
//!
//! The YAML is read with serde-saphyr, already in the dependency tree through kube's
//! kubeconfig parsing, into structs shaped like krew's `index.Plugin`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Plugin {
    api_version: String,
    kind: String,
    metadata: Metadata,
    spec: Spec,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Metadata {
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Spec {
    version: String,
    #[serde(default)]
    homepage: String,
    #[serde(default)]
    short_description: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    caveats: String,
    #[serde(default)]
    platforms: Vec<Platform>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Platform {
    selector: Option<LabelSelector>,
    #[serde(default)]
    uri: String,
    #[serde(default)]
    sha256: String,
    #[serde(default)]
    bin: String,
    files: Option<Vec<FileOperation>>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct FileOperation {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

const NAME: &str = "numa";
const VERSION: &str = concat!("v", env!("CARGO_PKG_VERSION"));
/// The platforms this plugin ships for.
const SHIPPED: [(&str, &str); 6] = [
    ("linux", "amd64"),
    ("linux", "arm64"),
    ("darwin", "amd64"),
    ("darwin", "arm64"),
    ("windows", "amd64"),
    ("windows", "arm64"),
];
/// The <os, arch> pairs a selector is matched against (krew's list, and arm64).
const KNOWN: [(&str, &str); 12] = [
    ("linux", "386"),
    ("linux", "amd64"),
    ("linux", "arm"),
    ("linux", "arm64"),
    ("darwin", "386"),
    ("darwin", "amd64"),
    ("darwin", "arm"),
    ("darwin", "arm64"),
    ("windows", "386"),
    ("windows", "amd64"),
    ("windows", "arm"),
    ("windows", "arm64"),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn manifest() -> Plugin {
    let text = std::fs::read_to_string(root().join("krew-manifest.yaml")).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("krew-manifest.yaml: {e}"))
}

/// krew's `IsSafePluginName`: `^[\w-]+$` and not a name Windows reserves.
fn is_safe_plugin_name(name: &str) -> bool {
    const WINDOWS_FORBIDDEN: [&str; 22] = [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
        "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !WINDOWS_FORBIDDEN
            .iter()
            .any(|f| f.eq_ignore_ascii_case(name))
}

/// krew's semver: `v` then MAJOR.MINOR.PATCH (no leading zeros), optional
/// `-prerelease` and `+build`.
fn is_semver(v: &str) -> bool {
    let Some(rest) = v.strip_prefix('v') else {
        return false;
    };
    let (rest, build) = rest
        .split_once('+')
        .map_or((rest, None), |(a, b)| (a, Some(b)));
    let (core, pre) = rest
        .split_once('-')
        .map_or((rest, None), |(a, b)| (a, Some(b)));
    let ident = |s: &str| {
        !s.is_empty()
            && s.split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    };
    let numbers: Vec<&str> = core.split('.').collect();
    numbers.len() == 3
        && numbers.iter().all(|n| {
            !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
                && (n.len() == 1 || !n.starts_with('0'))
        })
        && pre.is_none_or(ident)
        && build.is_none_or(ident)
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// krew's `validateSelector`.
fn selector_problem(sel: Option<&LabelSelector>) -> Option<String> {
    let Some(sel) = sel else {
        return Some("nil selector is not supported".into());
    };
    let exprs = sel.match_expressions.as_deref().unwrap_or_default();
    if sel.match_labels.is_none() && exprs.is_empty() {
        return Some("empty selector is not supported".into());
    }
    let keys = sel
        .match_labels
        .iter()
        .flat_map(|m| m.keys())
        .chain(exprs.iter().map(|e| &e.key));
    for key in keys {
        if key != "os" && key != "arch" {
            return Some(format!("key {key:?} not supported"));
        }
    }
    if sel.match_labels.as_ref().is_some_and(BTreeMap::is_empty) {
        return Some("`matchLabels` specified but empty".into());
    }
    if sel.match_expressions.as_ref().is_some_and(Vec::is_empty) {
        return Some("`matchExpressions` specified but empty".into());
    }
    None
}

/// Whether a label selector selects the labels `os`, `arch` (Kubernetes semantics).
fn matches(sel: &LabelSelector, os: &str, arch: &str) -> bool {
    let labels = BTreeMap::from([("os", os), ("arch", arch)]);
    let labels_ok = sel
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k.as_str()) == Some(&v.as_str()));
    let exprs_ok = sel.match_expressions.iter().flatten().all(|e| {
        let value = labels.get(e.key.as_str());
        let values = e.values.as_deref().unwrap_or_default();
        match e.operator.as_str() {
            "In" => value.is_some_and(|v| values.iter().any(|x| x == v)),
            "NotIn" => value.is_none_or(|v| values.iter().all(|x| x != v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    });
    labels_ok && exprs_ok
}

/// The archive scripts/package.sh makes for `os`/`arch`.
fn archive_name(os: &str, arch: &str) -> String {
    format!("kubectl-numa_{VERSION}_{os}_{arch}.tar.gz")
}

fn bin_for(os: &str) -> String {
    if os == "windows" {
        "kubectl-numa.exe".into()
    } else {
        "kubectl-numa".into()
    }
}

/// The platform of the manifest that selects `os`/`arch`.
fn platform_for<'a>(plugin: &'a Plugin, os: &str, arch: &str) -> Option<&'a Platform> {
    plugin
        .spec
        .platforms
        .iter()
        .find(|p| p.selector.as_ref().is_some_and(|s| matches(s, os, arch)))
}

fn long_lines(text: &str, max: usize) -> Vec<&str> {
    // krew warns about lines longer than `max` unless they are one word.
    text.lines()
        .filter(|l| l.len() > max && l.trim().contains(' '))
        .collect()
}

#[test]
fn manifest_follows_krews_rules() {
    let p = manifest();
    let mut problems: Vec<String> = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            problems.push(what);
        }
    };
    check(
        p.api_version == "krew.googlecontainertools.github.com/v1alpha2",
        format!("apiVersion {:?}", p.api_version),
    );
    check(p.kind == "Plugin", format!("kind {:?}", p.kind));
    check(
        is_safe_plugin_name(&p.metadata.name),
        format!("metadata.name {:?} must match ^[\\w-]+$", p.metadata.name),
    );
    check(
        p.metadata.name == NAME,
        format!(
            "metadata.name {:?}: the plugin is `{NAME}` (kubectl-{NAME})",
            p.metadata.name
        ),
    );
    check(
        p.spec.version == VERSION,
        format!(
            "spec.version {:?}, Cargo.toml says {VERSION}: run scripts/package.sh",
            p.spec.version
        ),
    );
    check(
        is_semver(&p.spec.version),
        format!("spec.version {:?} is not v + semver", p.spec.version),
    );
    let short = &p.spec.short_description;
    check(!short.is_empty(), "shortDescription is empty".into());
    check(
        !short.contains(['\r', '\n']),
        "shortDescription has a line break".into(),
    );
    check(
        short.chars().count() <= 50,
        format!("shortDescription is longer than 50: {short:?}"),
    );
    check(
        !p.spec.description.trim().is_empty(),
        "description is empty".into(),
    );
    check(
        long_lines(&p.spec.description, 80).is_empty(),
        format!(
            "description lines over 80: {:?}",
            long_lines(&p.spec.description, 80)
        ),
    );
    check(
        long_lines(&p.spec.caveats, 80).is_empty(),
        format!(
            "caveats lines over 80: {:?}",
            long_lines(&p.spec.caveats, 80)
        ),
    );
    check(
        p.spec.homepage == env!("CARGO_PKG_HOMEPAGE"),
        format!("homepage {:?} is not Cargo.toml's", p.spec.homepage),
    );
    check(!p.spec.platforms.is_empty(), "no platform".into());

    for (i, pl) in p.spec.platforms.iter().enumerate() {
        let mut check = |ok: bool, what: String| check(ok, format!("platforms[{i}]: {what}"));
        check(!pl.uri.is_empty(), "`uri` has to be set".into());
        check(
            is_sha256(&pl.sha256),
            format!("`sha256` {:?} must match ^[a-f0-9]{{64}}$", pl.sha256),
        );
        check(!pl.bin.is_empty(), "`bin` has to be set".into());
        if let Some(files) = &pl.files {
            check(
                !files.is_empty(),
                "`files` has to be unspecified or non-empty".into(),
            );
            for f in files {
                check(
                    !f.from.is_empty() && !f.to.is_empty(),
                    format!("file {f:?} needs `from` and `to`"),
                );
            }
        }
        if let Some(problem) = selector_problem(pl.selector.as_ref()) {
            check(false, format!("invalid platform selector: {problem}"));
            continue;
        }
        let sel = pl.selector.as_ref().unwrap();
        check(
            KNOWN.iter().any(|(os, arch)| matches(sel, os, arch)),
            "its selector matches no supported platform".into(),
        );
        // This project's layout: one archive per OS and CPU, as package.sh names it.
        let labels = sel.match_labels.clone().unwrap_or_default();
        let (Some(os), Some(arch)) = (labels.get("os"), labels.get("arch")) else {
            check(false, "selects by matchLabels os and arch".into());
            continue;
        };
        let url = format!(
            "{}/releases/download/{VERSION}/{}",
            env!("CARGO_PKG_HOMEPAGE"),
            archive_name(os, arch)
        );
        check(pl.uri == url, format!("uri {:?}, want {url:?}", pl.uri));
        check(
            pl.bin == bin_for(os),
            format!("bin {:?}, want {:?}", pl.bin, bin_for(os)),
        );
        let want = vec![
            FileOperation {
                from: bin_for(os),
                to: ".".into(),
            },
            FileOperation {
                from: "LICENSE".into(),
                to: ".".into(),
            },
        ];
        check(
            pl.files.as_ref() == Some(&want),
            format!("files {:?}, want {want:?}", pl.files),
        );
    }

    for (os, arch) in KNOWN {
        let selecting: Vec<usize> = p
            .spec
            .platforms
            .iter()
            .enumerate()
            .filter(|(_, pl)| pl.selector.as_ref().is_some_and(|s| matches(s, os, arch)))
            .map(|(i, _)| i)
            .collect();
        check(
            selecting.len() <= 1,
            format!("platforms {selecting:?} overlap: all select os={os}/arch={arch}"),
        );
        check(
            !SHIPPED.contains(&(os, arch)) || selecting.len() == 1,
            format!("no platform for os={os}/arch={arch}"),
        );
    }
    assert!(
        problems.is_empty(),
        "krew-manifest.yaml:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_rules_catch_bad_manifests() {
    assert!(is_safe_plugin_name("numa") && is_safe_plugin_name("a_b-c"));
    assert!(
        !is_safe_plugin_name("nu.ma") && !is_safe_plugin_name("") && !is_safe_plugin_name("con")
    );
    assert!(is_semver("v0.1.0") && is_semver("v1.2.3-rc.1+b5"));
    assert!(
        !is_semver("0.1.0") && !is_semver("v1.2") && !is_semver("v01.2.3") && !is_semver("v1.2.3-")
    );
    assert!(is_sha256(&"a".repeat(64)) && !is_sha256(&"A".repeat(64)) && !is_sha256("abc"));
    let sel = |yaml: &str| serde_saphyr::from_str::<LabelSelector>(yaml).unwrap();
    assert_eq!(
        selector_problem(None).unwrap(),
        "nil selector is not supported"
    );
    assert_eq!(
        selector_problem(Some(&sel("{}"))).unwrap(),
        "empty selector is not supported"
    );
    assert_eq!(
        selector_problem(Some(&sel("matchLabels: {os: linux, cpu: x}"))).unwrap(),
        "key \"cpu\" not supported"
    );
    assert_eq!(
        selector_problem(Some(&sel(
            "matchLabels: {}\nmatchExpressions: [{key: os, operator: Exists}]"
        )))
        .unwrap(),
        "`matchLabels` specified but empty"
    );
    let any_linux = sel("matchExpressions: [{key: os, operator: In, values: [linux]}]");
    assert!(selector_problem(Some(&any_linux)).is_none());
    assert!(matches(&any_linux, "linux", "arm64") && !matches(&any_linux, "darwin", "arm64"));
    let linux_amd64 = sel("matchLabels: {os: linux, arch: amd64}");
    assert!(matches(&linux_amd64, "linux", "amd64") && !matches(&linux_amd64, "linux", "arm64"));
}

/// This machine's krew platform.
fn host() -> (&'static str, &'static str) {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    (os, arch)
}

fn sha256_of(path: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum");
    assert!(out.status.success(), "sha256sum {}", path.display());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

fn tar(args: &[&str], archive: &Path) -> Vec<u8> {
    let out = Command::new("tar")
        .args(args)
        .arg(archive)
        .output()
        .expect("tar");
    assert!(
        out.status.success(),
        "tar {args:?} {}: {out:?}",
        archive.display()
    );
    out.stdout
}

/// Says loudly, past the test harness's output capture, that something was not checked.
fn shout(msg: &str) {
    let _ = writeln!(std::io::stderr(), "\n*** {msg} ***\n");
}

#[test]
fn packaged_archive_matches_the_manifest() {
    let (os, arch) = host();
    let name = archive_name(os, arch);
    let archive: PathBuf = root().join("dist").join(&name);
    if !archive.exists() {
        let msg = format!(
            "NOT CHECKED: dist/{name} is missing, so the manifest's {os}/{arch} sha256 was not \
             compared with a built archive; run scripts/package.sh (CI does, before the tests)"
        );
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        shout(&msg);
        return;
    }
    let plugin = manifest();
    let platform = platform_for(&plugin, os, arch)
        .unwrap_or_else(|| panic!("krew-manifest.yaml has no platform for {os}/{arch}"));
    let sha = sha256_of(&archive);
    assert_eq!(
        platform.sha256, sha,
        "krew-manifest.yaml's {os}/{arch} sha256 is not that of dist/{name}: run scripts/package.sh"
    );
    let recorded =
        std::fs::read_to_string(root().join("dist").join(format!("{name}.sha256"))).unwrap();
    assert_eq!(recorded, format!("{sha}  {name}\n"));

    // Exactly what `files` installs, at the top level.
    let listing = String::from_utf8(tar(&["-tzf"], &archive)).unwrap();
    let mut entries: Vec<&str> = listing.lines().collect();
    entries.sort();
    let mut want: Vec<&str> = platform
        .files
        .iter()
        .flatten()
        .map(|f| f.from.as_str())
        .collect();
    want.sort();
    assert_eq!(
        entries, want,
        "dist/{name} holds what krew-manifest.yaml's files install"
    );
    let packaged_license = Command::new("tar")
        .args(["-xzOf"])
        .arg(&archive)
        .arg("LICENSE")
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        packaged_license,
        std::fs::read(root().join("LICENSE")).unwrap()
    );

    // The packaged binary is this version of the plugin.
    let dir = std::env::temp_dir().join(format!("numa-krew-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let version = Command::new(dir.join(&platform.bin))
        .args(["version", "--client"])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let stdout = String::from_utf8_lossy(&version.stdout);
    assert!(
        stdout.starts_with(&format!("Client Version: {VERSION} (commit ")),
        "dist/{name}: {stdout}"
    );
}

#[test]
fn license_is_apache_2() {
    let text = std::fs::read_to_string(root().join("LICENSE")).unwrap();
    assert!(text.contains("Apache License") && text.contains("Version 2.0, January 2004"));
    assert!(
        text.contains("END OF TERMS AND CONDITIONS"),
        "the full text"
    );
    assert_eq!(env!("CARGO_PKG_LICENSE"), "Apache-2.0");
}
