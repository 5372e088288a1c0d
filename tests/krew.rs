//! krew-manifest.yaml judged by the real krew (`kubectl-krew` and
//! `validate-krew-manifest`, built from sigs.k8s.io/krew by `scripts/testenv.sh install`
//! into the assets folder `NUMA_TESTENV_ASSETS`): the manifest as it stands installs the
//! archive scripts/package.sh built, through kubectl, into a temporary KREW_ROOT; the
//! manifest the release workflow renders (`scripts/package.sh manifest`) installs on every
//! platform it lists. What krew cannot judge is checked here: the version of Cargo.toml,
//! the release URIs, the platforms against those the release workflow builds, and the
//! archive's layout.
//!
//! Every temporary folder is a `tempfile::TempDir` (removed when dropped, also on a
//! panic) under `NUMA_TESTENV_SCRATCH` when set; every process started is waited for,
//! and killed if it outlives its timeout.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;
use tempfile::TempDir;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Plugin {
    metadata: Metadata,
    spec: Spec,
}

#[derive(Debug, Deserialize)]
struct Metadata {
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Spec {
    version: String,
    homepage: String,
    platforms: Vec<Platform>,
}

#[derive(Debug, Deserialize)]
struct Platform {
    selector: Selector,
    uri: String,
    sha256: String,
    bin: String,
    files: Vec<FileOperation>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Selector {
    match_labels: Labels,
}

#[derive(Debug, Deserialize)]
struct Labels {
    os: String,
    arch: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct FileOperation {
    from: String,
    to: String,
}

const NAME: &str = "numa";
const VERSION: &str = concat!("v", env!("CARGO_PKG_VERSION"));
const TIMEOUT: Duration = Duration::from_secs(120);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read_manifest(path: &Path) -> Plugin {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn manifest() -> Plugin {
    read_manifest(&root().join("krew-manifest.yaml"))
}

/// The archive scripts/package.sh makes for `os`/`arch`.
fn archive_name(os: &str, arch: &str) -> String {
    format!("kubectl-numa_{VERSION}_{os}_{arch}.tar.gz")
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

/// The folder of the test binaries (kubectl, kubectl-krew, validate-krew-manifest).
fn assets() -> PathBuf {
    let dir = std::env::var_os("NUMA_TESTENV_ASSETS")
        .map(PathBuf::from)
        .expect(
        "NUMA_TESTENV_ASSETS is not set: export NUMA_TESTENV_ASSETS=$(scripts/testenv.sh install) \
         (it builds krew and kubectl), or run scripts/test.sh",
    );
    for bin in ["kubectl", "kubectl-krew", "validate-krew-manifest"] {
        assert!(
            dir.join(bin).is_file(),
            "{} has no {bin}: run scripts/testenv.sh install (it builds krew since testenv/versions.env has KREW_VERSION)",
            dir.display()
        );
    }
    dir
}

fn tempdir() -> TempDir {
    let mut b = tempfile::Builder::new();
    b.prefix("numa-krew-");
    match std::env::var_os("NUMA_TESTENV_SCRATCH") {
        Some(dir) => b.tempdir_in(dir),
        None => b.tempdir(),
    }
    .unwrap()
}

/// The archive scripts/package.sh built for this machine, or `None` (said loudly; a
/// failure under CI) when it is missing.
fn host_archive() -> Option<PathBuf> {
    let (os, arch) = host();
    let name = archive_name(os, arch);
    let archive = root().join("dist").join(&name);
    if archive.exists() {
        return Some(archive);
    }
    let msg = format!(
        "NOT CHECKED: dist/{name} is missing, so krew did not install it; run \
         scripts/package.sh first (CI does, before the tests)"
    );
    assert!(std::env::var_os("CI").is_none(), "{msg}");
    eprintln!("\n*** {msg} ***\n");
    None
}

#[derive(Debug)]
struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Output {
    fn ok(&self) -> bool {
        self.code == Some(0)
    }
}

/// Runs `cmd` with stdout and stderr in files of `scratch`, killing it after TIMEOUT.
fn run(mut cmd: Command, scratch: &Path) -> Output {
    let out_path = scratch.join("stdout");
    let err_path = scratch.join("stderr");
    cmd.stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("starting {cmd:?}: {e}"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = Output {
        code: status.and_then(|s| s.code()),
        stdout: std::fs::read_to_string(&out_path).unwrap(),
        stderr: std::fs::read_to_string(&err_path).unwrap(),
    };
    std::fs::remove_file(out_path).unwrap();
    std::fs::remove_file(err_path).unwrap();
    assert!(
        status.is_some(),
        "{cmd:?} ran over {TIMEOUT:?}: killed; {out:?}"
    );
    out
}

/// A krew home of its own: KREW_ROOT, HOME and PATH (krew's bin folder, then the
/// assets folder with kubectl and kubectl-krew, then the system's) in a temporary folder.
struct Krew {
    dir: TempDir,
    assets: PathBuf,
}

impl Krew {
    fn new() -> Krew {
        Krew {
            dir: tempdir(),
            assets: assets(),
        }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("krew")
    }

    fn bin(&self) -> PathBuf {
        self.root().join("bin")
    }

    fn path(&self) -> OsString {
        std::env::join_paths([
            self.bin(),
            self.assets.clone(),
            "/usr/bin".into(),
            "/bin".into(),
        ])
        .unwrap()
    }

    fn command(&self, program: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .current_dir(root())
            .env_clear()
            .env("PATH", self.path())
            .env("HOME", self.dir.path())
            .env("KREW_ROOT", self.root())
            .env("KREW_NO_UPGRADE_CHECK", "1")
            .env("KUBECONFIG", self.dir.path().join("no-kubeconfig"));
        cmd
    }

    /// `kubectl ARGS`, kubectl of the test world, its plugins from PATH.
    fn kubectl(&self, args: &[&str]) -> Output {
        let cmd = self.command(self.assets.join("kubectl").to_str().unwrap(), args);
        run(cmd, self.dir.path())
    }

    /// `kubectl krew index add default REPO`, REPO a local git repository of an empty
    /// plugin index (krew clones it with git).
    fn add_empty_index(&self) {
        let repo = self.dir.path().join("index-repo");
        std::fs::create_dir_all(repo.join("plugins")).unwrap();
        std::fs::write(repo.join("plugins").join(".keep"), "").unwrap();
        let git = |args: &[&str]| {
            let mut cmd = self.command(
                "git",
                &["-c", "user.name=test", "-c", "user.email=test@localhost"],
            );
            cmd.args(args).current_dir(&repo);
            let out = run(cmd, self.dir.path());
            assert!(out.ok(), "git {args:?}: {out:?}");
        };
        git(&["init", "-q"]);
        git(&["add", "."]);
        git(&["commit", "-q", "-m", "an empty plugin index"]);
        let out = self.kubectl(&["krew", "index", "add", "default", repo.to_str().unwrap()]);
        assert!(out.ok(), "kubectl krew index add: {out:?}");
    }

    fn validate(&self, manifest: &Path) -> Output {
        let mut cmd = self.command(
            self.assets.join("validate-krew-manifest").to_str().unwrap(),
            &["-skip-install", "-manifest"],
        );
        cmd.arg(manifest);
        run(cmd, self.dir.path())
    }
}

/// Shows krew's own words in the test's output (`cargo test -- --nocapture`).
fn show(what: &str, out: &Output) {
    println!("$ {what}\n{}{}", out.stdout, out.stderr);
}

/// The manifest as it stands in the repository: krew validates it. Then the one
/// scripts/package.sh rendered from it into dist/ for the archive it built: krew installs
/// the plugin, kubectl runs it from krew's bin folder,
/// its completion helper installs there, and krew uninstalls it.
#[test]
fn krew_installs_the_manifest_of_the_repository() {
    let Some(archive) = host_archive() else {
        return;
    };
    let krew = Krew::new();

    // krew-index's validation of a manifest (the file must be named after the plugin).
    let copy = krew.dir.path().join(format!("{NAME}.yaml"));
    std::fs::copy(root().join("krew-manifest.yaml"), &copy).unwrap();
    let out = krew.validate(&copy);
    assert!(
        out.ok(),
        "validate-krew-manifest krew-manifest.yaml: {out:?}"
    );

    let archive_arg = format!("--archive={}", archive.display());
    let out = krew.kubectl(&[
        "krew",
        "install",
        "--manifest=dist/krew-manifest.yaml",
        &archive_arg,
    ]);
    show(
        &format!(
            "kubectl krew install --manifest=dist/krew-manifest.yaml --archive=dist/{}",
            archive.file_name().unwrap().to_string_lossy()
        ),
        &out,
    );
    assert!(out.ok(), "kubectl krew install: {out:?}");
    assert!(
        out.stderr.contains(&format!("Installed plugin: {NAME}")),
        "{out:?}"
    );

    // What krew installed: the files of the manifest, the binary linked into its bin.
    let store = krew.root().join("store").join(NAME).join(VERSION);
    let mut installed: Vec<String> = std::fs::read_dir(&store)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    installed.sort();
    assert_eq!(
        installed,
        ["LICENSE", "kubectl-numa"],
        "{}",
        store.display()
    );
    assert_eq!(
        std::fs::read_link(krew.bin().join("kubectl-numa")).unwrap(),
        store.join("kubectl-numa")
    );

    // kubectl finds the plugin in krew's bin folder, and it is this version.
    let out = krew.kubectl(&["plugin", "list", "--name-only"]);
    assert!(out.ok(), "{out:?}");
    let plugins: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("kubectl"))
        .collect();
    assert_eq!(plugins, ["kubectl-numa", "kubectl-krew"], "{out:?}");
    let out = krew.kubectl(&["numa", "version", "--client"]);
    show("kubectl numa version --client", &out);
    assert!(out.ok(), "{out:?}");
    assert!(
        out.stdout
            .starts_with(&format!("Client Version: {VERSION} (commit ")),
        "{out:?}"
    );

    // `krew list` and `krew uninstall` want a plugin index (a krew set up the usual way
    // has cloned krew-index); offline, an empty one of our own, added as krew adds any.
    krew.add_empty_index();
    let out = krew.kubectl(&["krew", "list"]);
    show("kubectl krew list", &out);
    assert!(out.ok(), "{out:?}");
    // Installed from a manifest file, not from an index: krew says `detached/`.
    assert_eq!(out.stdout, format!("detached/{NAME}\n"), "{out:?}");

    // Completion, as krew users install it (the caveats of the manifest say how).
    let bin = krew.bin();
    let bin = bin.to_str().unwrap();
    let out = krew.kubectl(&["numa", "completion", "kubectl-shim", "--install", bin]);
    show(
        "kubectl numa completion kubectl-shim --install \"$KREW_ROOT/bin\"",
        &out,
    );
    assert!(out.ok(), "{out:?}");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        (
            format!("installed {bin}/kubectl_complete-numa\n").as_str(),
            ""
        ),
    );
    let out = krew.kubectl(&["__complete", "numa", "rollo"]);
    assert!(out.ok(), "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines.len() == 2 && lines[0].starts_with("rollout\t") && lines[1] == ":4",
        "kubectl completes `kubectl numa rollo`: {out:?}"
    );
    assert!(
        out.stderr
            .contains(&format!("About to call: {bin}/kubectl_complete-numa rollo")),
        "with the helper in krew's bin folder: {out:?}"
    );

    let out = krew.kubectl(&["krew", "uninstall", NAME]);
    show("kubectl krew uninstall numa", &out);
    assert!(out.ok(), "{out:?}");
    assert_eq!(out.stderr, format!("Uninstalled plugin: {NAME}\n"));
    assert!(!krew.bin().join("kubectl-numa").exists());
    assert!(!krew.root().join("store").join(NAME).exists());
    // krew removes only what it installed: the helper stays. With no receipt left (no
    // other plugin, krew itself not installed by krew), krew takes a file in its bin
    // folder for a krew home older than v0.3 and refuses to run: the README says to
    // remove the helper with the plugin.
    let shim = krew.bin().join("kubectl_complete-numa");
    assert!(shim.exists());
    let out = krew.kubectl(&["krew", "list"]);
    assert!(
        !out.ok() && out.stderr.contains("krew home outdated"),
        "{out:?}"
    );
    std::fs::remove_file(&shim).unwrap();
    let out = krew.kubectl(&["krew", "list"]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (Some(0), "\n", ""),
        "{out:?}"
    );
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

/// `scripts/package.sh manifest DIR OUT`, as the release workflow runs it.
fn render(dir: &Path, out: &Path, scratch: &Path) -> Output {
    let mut cmd = Command::new(root().join("scripts/package.sh"));
    cmd.arg("manifest")
        .arg(dir)
        .arg(out)
        .env("CARGO_NET_OFFLINE", "true");
    run(cmd, scratch)
}

/// The manifest the release workflow publishes, rendered from archives as the workflow
/// has them (here this machine's archive under every platform's name): krew validates
/// it and installs every platform it lists (KREW_OS, KREW_ARCH), each from its archive.
#[test]
fn krew_installs_every_platform_of_the_release_manifest() {
    let Some(archive) = host_archive() else {
        return;
    };
    let plugin = manifest();
    let krew = Krew::new();
    let release = krew.dir.path().join("release");
    std::fs::create_dir(&release).unwrap();
    for p in &plugin.spec.platforms {
        let name = archive_name(&p.selector.match_labels.os, &p.selector.match_labels.arch);
        std::fs::copy(&archive, release.join(&name)).unwrap();
        let sha = sha256_of(&release.join(&name));
        std::fs::write(
            release.join(format!("{name}.sha256")),
            format!("{sha}  {name}\n"),
        )
        .unwrap();
    }
    let rendered = krew.dir.path().join(format!("{NAME}.yaml"));
    let out = render(&release, &rendered, krew.dir.path());
    assert!(out.ok(), "scripts/package.sh manifest: {out:?}");
    let text = std::fs::read_to_string(&rendered).unwrap();
    assert!(
        !text.contains(&"0".repeat(64)),
        "a placeholder is left:\n{text}"
    );
    let out = krew.validate(&rendered);
    assert!(out.ok(), "validate-krew-manifest: {out:?}");

    let sha = sha256_of(&archive);
    let rendered_plugin = read_manifest(&rendered);
    assert_eq!(
        rendered_plugin.spec.platforms.len(),
        plugin.spec.platforms.len()
    );
    for p in &rendered_plugin.spec.platforms {
        let (os, arch) = (&p.selector.match_labels.os, &p.selector.match_labels.arch);
        assert_eq!(p.sha256, sha, "{os}/{arch}");
        let home = Krew::new();
        let archive_arg = format!(
            "--archive={}",
            release.join(archive_name(os, arch)).display()
        );
        let manifest_arg = format!("--manifest={}", rendered.display());
        let mut cmd = home.command(
            home.assets.join("kubectl-krew").to_str().unwrap(),
            &["install", &manifest_arg, &archive_arg],
        );
        cmd.env("KREW_OS", os).env("KREW_ARCH", arch);
        let out = run(cmd, home.dir.path());
        assert!(out.ok(), "krew install for {os}/{arch}: {out:?}");
        assert!(home.bin().join("kubectl-numa").exists(), "{os}/{arch}");
        assert!(home
            .root()
            .join("store")
            .join(NAME)
            .join(VERSION)
            .join("LICENSE")
            .exists());
    }

    // The render refuses a platform without its archive, and an archive without its
    // platform.
    let (os, arch) = host();
    let extra = release.join(format!("{}.sha256", archive_name("linux", "386")));
    std::fs::write(&extra, format!("{sha}  x\n")).unwrap();
    let out = render(&release, &krew.dir.path().join("x.yaml"), krew.dir.path());
    assert!(
        !out.ok()
            && out
                .stderr
                .contains("linux/386, which krew-manifest.yaml does not list"),
        "{out:?}"
    );
    std::fs::remove_file(&extra).unwrap();
    std::fs::remove_file(release.join(format!("{}.sha256", archive_name(os, arch)))).unwrap();
    let out = render(&release, &krew.dir.path().join("x.yaml"), krew.dir.path());
    assert!(
        !out.ok()
            && out
                .stderr
                .contains(&format!("krew-manifest.yaml lists {os}/{arch}")),
        "{out:?}"
    );
    assert!(!krew.dir.path().join("x.yaml").exists());

    // Why the placeholders are quoted: unquoted, krew reads the zeros as `0` and refuses
    // the whole manifest.
    let unquoted = krew
        .dir
        .path()
        .join("unquoted")
        .join(format!("{NAME}.yaml"));
    std::fs::create_dir(unquoted.parent().unwrap()).unwrap();
    let text = std::fs::read_to_string(root().join("krew-manifest.yaml")).unwrap();
    std::fs::write(&unquoted, text.replace('"', "")).unwrap();
    let out = krew.validate(&unquoted);
    assert!(
        !out.ok() && out.stderr.contains("`sha256` value 0 is not valid"),
        "{out:?}"
    );
}

/// What krew cannot judge: the plugin's name and version are this crate's, each
/// platform's archive is the one scripts/package.sh names and the release publishes,
/// and the platforms are exactly those .github/workflows/release.yml builds and runs.
#[test]
fn manifest_is_this_release_and_its_workflows_platforms() {
    let p = manifest();
    assert_eq!(p.metadata.name, NAME);
    assert_eq!(
        p.spec.version, VERSION,
        "krew-manifest.yaml's version is not Cargo.toml's: set it with the version (README \"Releasing\")"
    );
    assert_eq!(p.spec.homepage, env!("CARGO_PKG_HOMEPAGE"));
    let want_files = [
        FileOperation {
            from: "kubectl-numa".into(),
            to: ".".into(),
        },
        FileOperation {
            from: "LICENSE".into(),
            to: ".".into(),
        },
    ];
    let mut listed = BTreeSet::new();
    for pl in &p.spec.platforms {
        let (os, arch) = (&pl.selector.match_labels.os, &pl.selector.match_labels.arch);
        let url = format!(
            "{}/releases/download/{VERSION}/{}",
            env!("CARGO_PKG_HOMEPAGE"),
            archive_name(os, arch)
        );
        assert_eq!(pl.uri, url, "{os}/{arch}");
        assert_eq!(pl.bin, "kubectl-numa", "{os}/{arch}");
        assert_eq!(pl.files, want_files, "{os}/{arch}");
        listed.insert((os.clone(), arch.clone()));
    }

    let text = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    let workflow: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let include = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("release.yml: jobs.build.strategy.matrix.include");
    let built: BTreeSet<(String, String)> = include
        .iter()
        .map(|e| {
            (
                e["os"].as_str().unwrap().to_string(),
                e["arch"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        listed, built,
        "krew-manifest.yaml lists the platforms release.yml builds and runs"
    );
    assert!(
        !listed.iter().any(|(os, _)| os == "windows"),
        "the code does not build on Windows yet"
    );
}

/// The archive scripts/package.sh built: exactly the files the manifest installs, at its
/// top level, the LICENSE of the repository, and its `.sha256` in sha256sum's format.
#[test]
fn packaged_archive_layout() {
    let Some(archive) = host_archive() else {
        return;
    };
    let name = archive.file_name().unwrap().to_string_lossy().into_owned();
    let tar = |args: &[&str], member: Option<&str>| {
        let out = Command::new("tar")
            .args(args)
            .arg(&archive)
            .args(member)
            .output()
            .expect("tar");
        assert!(out.status.success(), "tar {args:?} {name}: {out:?}");
        out.stdout
    };
    let listing = String::from_utf8(tar(&["-tzf"], None)).unwrap();
    let mut entries: Vec<&str> = listing.lines().collect();
    entries.sort();
    assert_eq!(entries, ["LICENSE", "kubectl-numa"], "dist/{name}");
    assert_eq!(
        tar(&["-xzOf"], Some("LICENSE")),
        std::fs::read(root().join("LICENSE")).unwrap()
    );
    let recorded =
        std::fs::read_to_string(root().join("dist").join(format!("{name}.sha256"))).unwrap();
    assert_eq!(recorded, format!("{}  {name}\n", sha256_of(&archive)));
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
