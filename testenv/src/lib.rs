//! A world for kubectl-numa to run in: a real Kubernetes control plane on loopback with
//! kwok for kubelets and Numaflow's own controller ([`controlplane`]), Numaflow's CRDs
//! ([`crds`]), fake nodes ([`nodes`]) and the InterStepBufferService pipelines need
//! ([`isbsvc`]), and a watchdog for a race in Numaflow's vertex controller ([`nudge`]).
//!
//! Used by the plugin's integration tests (as a dev-dependency), by the `numa-testenv`
//! command behind `scripts/testenv.sh` and `scripts/demo.sh`; never shipped in the plugin.

pub mod controlplane;
pub mod crds;
pub mod isbsvc;
pub mod names;
pub mod nodes;
pub mod nudge;
pub mod rbac;
pub mod shared;

pub use controlplane::{ControlPlane, User};
pub use shared::{shared, TestEnv};
