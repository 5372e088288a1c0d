//! Where the world's binaries and Numaflow's CRDs are: the folder `scripts/testenv.sh
//! install` prints, or binaries a user brings.

use std::path::PathBuf;

use anyhow::{bail, Result};

/// The default world's versions (`testenv/versions.env`, read by the install script).
const VERSIONS: &str = include_str!("../../versions.env");

/// The versions of the world the tests run in: the copy `scripts/testenv.sh install`
/// keeps in the assets folder `NUMA_TESTENV_ASSETS` (a matrix row's, when
/// `NUMA_TESTENV_VERSIONS` chose other versions), else the default world's.
fn versions() -> &'static str {
    static FOUND: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    FOUND.get_or_init(|| {
        std::env::var_os("NUMA_TESTENV_ASSETS")
            .filter(|v| !v.is_empty())
            .and_then(|dir| std::fs::read_to_string(PathBuf::from(dir).join("versions.env")).ok())
            .unwrap_or_else(|| VERSIONS.to_string())
    })
}

/// Paths of everything a world runs.
#[derive(Debug, Clone)]
pub struct Binaries {
    /// kube-apiserver.
    pub apiserver: PathBuf,
    /// etcd.
    pub etcd: PathBuf,
    /// kube-controller-manager.
    pub controller_manager: PathBuf,
    /// kube-scheduler.
    pub scheduler: PathBuf,
    /// kwok, the fake kubelet.
    pub kwok: PathBuf,
    /// Numaflow's `numaflow` binary (run as `numaflow controller`).
    pub numaflow: PathBuf,
    /// kubectl of the same Kubernetes release.
    pub kubectl: PathBuf,
    /// Folder with `full/` and `minimal/` Numaflow CRDs (`<plural>.yaml`).
    pub crds: PathBuf,
    /// Numaflow's controller ConfigMap (`numaflow-controller-config`).
    pub controller_config: PathBuf,
}

impl Binaries {
    /// Finds the binaries. Each comes from its own variable (`KUBE_APISERVER`, `ETCD`,
    /// `KUBE_CONTROLLER_MANAGER`, `KUBE_SCHEDULER`, `KWOK`, `NUMAFLOW`, `KUBECTL`) when
    /// set, else from the folder `NUMA_TESTENV_ASSETS`, else `KUBEBUILDER_ASSETS`, else
    /// the cache that `scripts/testenv.sh install` fills. `full` asks for every binary;
    /// otherwise only kube-apiserver and etcd must exist.
    pub fn locate(full: bool) -> Result<Self> {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let dir = var("NUMA_TESTENV_ASSETS")
            .or_else(|| var("KUBEBUILDER_ASSETS"))
            .unwrap_or_else(cache_dir);
        let pick = |env: &str, name: &str| var(env).unwrap_or_else(|| dir.join(name));
        let found = Binaries {
            apiserver: pick("KUBE_APISERVER", "kube-apiserver"),
            etcd: pick("ETCD", "etcd"),
            controller_manager: pick("KUBE_CONTROLLER_MANAGER", "kube-controller-manager"),
            scheduler: pick("KUBE_SCHEDULER", "kube-scheduler"),
            kwok: pick("KWOK", "kwok"),
            numaflow: pick("NUMAFLOW", "numaflow"),
            kubectl: pick("KUBECTL", "kubectl"),
            crds: dir.join("crds"),
            controller_config: dir.join("controller-config.configmap.yaml"),
        };
        let mut needed = vec![&found.apiserver, &found.etcd];
        if full {
            needed.extend([
                &found.controller_manager,
                &found.scheduler,
                &found.kwok,
                &found.numaflow,
                &found.controller_config,
            ]);
        }
        for path in needed {
            if !path.is_file() {
                bail!(
                    "{} not found; run `scripts/testenv.sh install` (or set NUMA_TESTENV_ASSETS to the folder it prints)",
                    path.display()
                );
            }
        }
        Ok(found)
    }

    /// The CRD files of one flavour (`full` or `minimal`).
    pub fn crd_files(&self, flavour: &str) -> Result<Vec<PathBuf>> {
        let dir = self.crds.join(flavour);
        // ServingPipeline too: Numaflow's controller watches it, and its manager exits
        // two minutes in when a watched kind has no CRD (a cache that never syncs).
        let files: Vec<PathBuf> = [
            "pipelines",
            "vertices",
            "monovertices",
            "interstepbufferservices",
            "servingpipelines",
        ]
        .iter()
        .map(|p| dir.join(format!("{p}.yaml")))
        .collect();
        if let Some(missing) = files.iter().find(|f| !f.is_file()) {
            bail!(
                "{} not found; run `scripts/testenv.sh install`",
                missing.display()
            );
        }
        Ok(files)
    }
}

/// A version of the world the tests run in (see [`versions`]): `testenv/versions.env`'s
/// unless the assets folder says otherwise.
pub fn version(key: &str) -> &'static str {
    versions()
        .lines()
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.split('#').next().unwrap_or("").trim())
        .unwrap_or_else(|| panic!("{key} missing from the world's versions.env"))
}

/// The folder `scripts/testenv.sh install` links the default world's binaries into.
pub fn cache_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache")
        });
    let key = format!(
        "world-k8s-{}-etcd-{}-kwok-{}-numaflow-{}",
        version("KUBERNETES_VERSION"),
        version("ETCD_VERSION"),
        version("KWOK_VERSION"),
        version("NUMAFLOW_VERSION")
    );
    base.join("kubectl-numa").join("assets").join(key)
}

/// Which CRDs a world installs: `NUMA_TESTENV_CRDS` (`full`, the default, as Numaflow's
/// default install; or `minimal`, as namespaced installs and Numaplane).
pub fn crd_flavour() -> Result<String> {
    match std::env::var("NUMA_TESTENV_CRDS").as_deref() {
        Err(_) | Ok("") | Ok("full") => Ok("full".into()),
        Ok("minimal") => Ok("minimal".into()),
        Ok(other) => bail!("NUMA_TESTENV_CRDS={other}: use full or minimal"),
    }
}
