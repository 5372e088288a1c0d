//! What several commands run, built from the layers below (`rollout` decides, `api`
//! reads and writes, `view` renders): resolving targets to the owners of their specs
//! ([`resolve`]), planning and patching each owner once ([`patch`]), waiting for
//! rollouts ([`wait`]), rolling a failed one back ([`rollback`]), and the runs of
//! `get` ([`get`]), `list` ([`list`]), `history` ([`history`]), `undo` ([`undo`]),
//! `restart` ([`restart`]), `step` ([`step`]), `status -f`'s applied check
//! ([`applied`]) and `set strategy` with no values
//! ([`strategy`]). They take plain values or the flag groups of [`crate::flags`],
//! never a command's arguments. The commands in [`crate::cmd`] share behaviour
//! through these functions, never through each other.

pub mod applied;
pub mod get;
pub mod history;
pub mod list;
pub mod patch;
pub mod resolve;
pub mod restart;
pub mod rollback;
pub mod step;
pub mod strategy;
pub mod undo;
pub mod wait;
