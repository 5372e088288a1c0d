//! Rendering, with no I/O besides writing to the terminal. Every view of a rollout's
//! state reads one display model ([`model`]): `-o json` ([`json`]), plain progress
//! lines ([`lines`]), the live view ([`live`]), the tree of `get` ([`tree`]) and the
//! table of `list` ([`table`]). The revisions of `history` ([`history`]) and the
//! outcomes of the write commands ([`outcome`]) and of `restart` ([`restart`]) are
//! rendered from what those commands did.

pub mod history;
pub mod json;
pub mod lines;
pub mod live;
pub mod model;
pub mod outcome;
pub mod restart;
pub mod style;
pub mod table;
pub mod tree;

use clap::ValueEnum;

/// `-o` of the commands that print JSON or nothing else (`status`, `get`, `history`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum JsonOutput {
    /// JSON: one document per target.
    Json,
}

impl JsonOutput {
    /// The same as the `-o` of the other read commands.
    pub fn output(self) -> Output {
        match self {
            JsonOutput::Json => Output::Json,
        }
    }
}

/// `-o` values of the read commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// JSON: one document per target.
    Json,
    /// `kind/name` lines.
    Name,
    /// The table with more columns (`list` only).
    Wide,
}
