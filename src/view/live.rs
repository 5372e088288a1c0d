//! The live view of `rollout status` on a terminal: one line per workload with a
//! progress bar, redrawn in place (only when its text changed, so it never flickers).

use std::io::{self, Write};

use crossterm::{cursor, queue, terminal};

use super::style;
use crate::rollout::bake::BakeResult;
use crate::rollout::duration::humanize;
use crate::rollout::report::Report;

/// Number of cells of a progress bar.
const BAR: usize = 20;

/// The lines of one frame.
pub fn frame(reports: &[Report], color: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for r in reports {
        lines.push(format!(
            "{} {} {:?}: {}",
            style::state(r.state, color),
            r.kind,
            r.name,
            r.message
        ));
        if let Some(b) = r.bake.as_ref().filter(|b| b.result == BakeResult::Baking) {
            lines.push(format!(
                "  baking {} of {}: {} pod{} healthy",
                humanize(b.baked),
                humanize(b.duration),
                b.healthy_pods,
                if b.healthy_pods == 1 { "" } else { "s" }
            ));
        }
        if r.workloads.len() > 1 || r.kind == crate::target::Kind::Pipeline {
            let width = r.workloads.iter().map(|w| w.name.len()).max().unwrap_or(0);
            for w in &r.workloads {
                lines.push(format!(
                    "  {:width$}  {} {}/{} ready, {}/{} updated  {}",
                    w.name,
                    style::bar(w.updated_ready, w.desired, BAR),
                    w.updated_ready,
                    w.desired,
                    w.updated,
                    w.desired,
                    style::workload_state(w, color),
                ));
            }
        }
    }
    lines
}

/// Redraws a frame in place.
#[derive(Default)]
pub struct Live {
    drawn: Vec<String>,
}

impl Live {
    /// Draws `lines` over the previous frame when they differ.
    pub fn draw(&mut self, out: &mut impl Write, lines: Vec<String>) -> io::Result<()> {
        if lines == self.drawn {
            return Ok(());
        }
        if !self.drawn.is_empty() {
            queue!(
                out,
                cursor::MoveToColumn(0),
                cursor::MoveUp(self.drawn.len() as u16)
            )?;
        }
        queue!(out, terminal::Clear(terminal::ClearType::FromCursorDown))?;
        for l in &lines {
            writeln!(out, "{l}")?;
        }
        out.flush()?;
        self.drawn = lines;
        Ok(())
    }
}
