//! The plugin's version and the commit it was built from.

/// The crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The git commit (12 hex digits), or `unknown` outside a checkout.
pub const COMMIT: &str = env!("NUMA_GIT_COMMIT");
/// `--version` text: `0.1.0 (commit abc123)`.
pub const LONG: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("NUMA_GIT_COMMIT"),
    ")"
);
