//! What several commands run, built from the layers below (`rollout` decides, `api`
//! reads and writes, `view` renders): resolving targets to the owners of their specs
//! ([`resolve`]), planning and writing each owner once ([`write`]), waiting for
//! rollouts ([`wait`]) and rolling a failed one back ([`rollback`]). The commands in
//! [`crate::cmd`] share behaviour through these functions, never through each other.

pub mod resolve;
pub mod restart;
pub mod rollback;
pub mod step;
pub mod strategy;
pub mod wait;
pub mod write;
