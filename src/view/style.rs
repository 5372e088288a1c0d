//! Symbols and colour for rollout states; colour only on a terminal without NO_COLOR.

use std::io::IsTerminal;

use crossterm::style::Stylize;

use super::model::Workload;
use crate::rollout::State;

/// Whether to colour output written to stdout.
pub fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// A one-character symbol for a state.
pub fn symbol(state: State) -> &'static str {
    match state {
        State::Complete => "✔",
        State::Progressing => "◌",
        State::Paused => "॥",
        State::Degraded => "✖",
    }
}

/// `symbol State`, coloured when `color` is set.
pub fn state(state: State, color: bool) -> String {
    let text = format!("{} {state}", symbol(state));
    if !color {
        return text;
    }
    match state {
        State::Complete => text.green().to_string(),
        State::Progressing => text.cyan().to_string(),
        State::Paused => text.yellow().to_string(),
        State::Degraded => text.red().bold().to_string(),
    }
}

/// The state of one workload: a lifecycle pause reads `Paused (lifecycle)`, apart
/// from a rollout pause.
pub fn workload_state(w: &Workload, color: bool) -> String {
    let text = state(w.state, color);
    match (&w.lifecycle, w.state) {
        (Some(_), State::Paused) => format!("{text} (lifecycle)"),
        _ => text,
    }
}

/// A progress bar of `width` cells for `done` of `total`.
pub fn bar(done: u32, total: u32, width: usize) -> String {
    let filled = if total == 0 {
        width
    } else {
        (done.min(total) as usize * width) / total as usize
    };
    format!("[{}{}]", "#".repeat(filled), "-".repeat(width - filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars() {
        for (done, total, want) in [
            (0, 4, "[----]"),
            (2, 4, "[##--]"),
            (4, 4, "[####]"),
            (5, 4, "[####]"),
            (0, 0, "[####]"),
            (1, 3, "[#---]"),
        ] {
            assert_eq!(bar(done, total, 4), want, "{done}/{total}");
        }
    }
}
