//! Plain progress lines in the style of `kubectl rollout status`, printed only when
//! something changed: the output when stdout is not a terminal.

use std::collections::HashMap;
use std::io::{self, Write};

use super::model::Target;
use crate::target::Kind;

/// Remembers what was printed for each workload and target.
#[derive(Default)]
pub struct Lines {
    last: HashMap<String, String>,
}

impl Lines {
    /// Prints every message that differs from the last one printed for its object.
    pub fn update(&mut self, out: &mut impl Write, reports: &[Target]) -> io::Result<()> {
        for r in reports {
            // A vertex or monovertex target is its only workload: its line is the target's.
            let itself = r.workloads.len() == 1
                && r.workloads[0].kind == r.kind
                && r.workloads[0].name == r.name;
            if !itself {
                for w in &r.workloads {
                    self.print(
                        out,
                        format!("{}/{}/{}", w.namespace, w.kind, w.name),
                        &w.message,
                    )?;
                }
            }
            self.print(
                out,
                format!("{}/{}/{}", r.namespace, r.kind, r.name),
                &r.message,
            )?;
        }
        out.flush()
    }

    /// Forgets what was printed for target `kind`/`name`: its next message is printed
    /// even when it is the last one again (a bake started anew).
    pub fn forget(&mut self, namespace: &str, kind: Kind, name: &str) {
        self.last.remove(&format!("{namespace}/{kind}/{name}"));
    }

    fn print(&mut self, out: &mut impl Write, key: String, message: &str) -> io::Result<()> {
        if self.last.get(&key).map(String::as_str) != Some(message) {
            writeln!(out, "{message}")?;
            self.last.insert(key, message.to_string());
        }
        Ok(())
    }
}
