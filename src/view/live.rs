//! The live view of `rollout status` on a terminal: one line per workload with a
//! progress bar, redrawn in place (only when its text changed, so it never flickers).

use std::io::{self, Write};

use crossterm::{cursor, queue, terminal};

use super::model::Target;
use super::style;
use crate::rollout::bake::BakeResult;

/// Number of cells of a progress bar.
const BAR: usize = 20;

/// The lines of one frame.
pub fn frame(reports: &[Target], color: bool) -> Vec<String> {
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
                b.baked,
                b.duration,
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::frame;
    use crate::rollout::bake::{BakeResult, BakeStatus};
    use crate::rollout::fixtures::*;
    use crate::rollout::report;

    #[test]
    fn a_bake_counts_down_under_its_target() {
        let pl = pipeline(&["cat"], 1, 1);
        let v = vertex(
            "cat",
            1,
            json!({"replicas": 4}),
            status(1, "h", "h", 4, 4, 4),
        );
        let pods: Vec<_> = (0..4).map(|i| pod("cat", i, "h", true)).collect();
        let mut r = report::pipeline(&pl, &[&v], &pods.iter().collect::<Vec<_>>(), now());
        let bake = |result, healthy_pods| BakeStatus {
            duration: Duration::from_secs(120),
            baked: Duration::from_secs(80),
            result,
            healthy_pods,
            failure: None,
        };
        for (result, healthy, want) in [
            (
                BakeResult::Baking,
                4,
                Some("  baking 1m20s of 2m: 4 pods healthy"),
            ),
            (
                BakeResult::Baking,
                1,
                Some("  baking 1m20s of 2m: 1 pod healthy"),
            ),
            (BakeResult::Passed, 4, None),
            (BakeResult::Failed, 3, None),
        ] {
            r.bake = Some(Box::new(bake(result, healthy)));
            let lines = frame(&[super::super::model::Target::of(&r, false)], false);
            let baking: Vec<&String> = lines.iter().filter(|l| l.contains("baking")).collect();
            assert_eq!(
                baking.first().map(|l| l.as_str()),
                want,
                "{result:?}: {lines:?}"
            );
            assert!(baking.len() <= 1, "{lines:?}");
            if let Some(want) = want {
                assert_eq!(lines[1], want, "right under the target's line");
            }
        }
    }
}
