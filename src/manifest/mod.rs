//! Targets from manifests, as `kubectl rollout` takes them: `-f` files, directories
//! and stdin, `-k` kustomizations. [`read`] reads them (the only I/O here),
//! [`documents`] splits and parses the texts, [`objects`] picks the Numaflow
//! workloads out of them, and [`applied`] compares a manifest's spec with the live one.

pub mod applied;
pub mod documents;
pub mod objects;
pub mod read;

pub use objects::{Manifests, Object};
