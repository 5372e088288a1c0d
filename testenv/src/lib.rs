//! A world for kubectl-numa to run in: a real kube-apiserver and etcd on loopback
//! ([`controlplane`]), the Numaflow CRDs ([`crds`]) and a simulated Numaflow controller
//! and kubelet ([`sim`]) that move pods the way the upstream controllers do.
//!
//! Used by the plugin's integration tests (as a dev-dependency), by the `numa-testenv`
//! command behind `scripts/testenv.sh` and `scripts/demo.sh`; never shipped in the plugin.

pub mod controlplane;
pub mod crds;
pub mod names;
pub mod rbac;
pub mod shared;
pub mod sim;

pub use controlplane::{ControlPlane, User};

/// Installs what every test world needs on a fresh API server: the Numaflow CRDs
/// (waiting until they are established) and the test users' RBAC.
pub async fn bootstrap(client: &kube::Client) -> anyhow::Result<()> {
    crds::install(client).await?;
    rbac::install(client).await
}
pub use shared::{shared, TestEnv};
