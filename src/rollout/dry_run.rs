//! `--dry-run`: whether a planned write is stored, sent with the server's dry run, or
//! only printed.

use clap::ValueEnum;
use serde_json::{json, Value};

/// `--dry-run`: like kubectl's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum DryRun {
    /// Write for real.
    #[default]
    None,
    /// Compute and print the change; send nothing.
    Client,
    /// Send the change with the server's dry run: validated and authorized, not stored.
    Server,
}

impl DryRun {
    /// Whether nothing is stored.
    pub fn is_dry(self) -> bool {
        self != DryRun::None
    }

    /// The suffix of result lines: ` (dry run)`, ` (server dry run)`, or nothing.
    pub fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }

    /// The `-o json` value: `null`, `"client"` or `"server"`.
    pub fn json(self) -> Value {
        match self {
            DryRun::None => Value::Null,
            DryRun::Client => json!("client"),
            DryRun::Server => json!("server"),
        }
    }
}
