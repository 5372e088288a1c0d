//! Durations as messages show them: `45s`, `2m`, `1m20s`, `1h5m`.

use std::time::Duration;

/// Whole seconds, minutes and hours, the way the flags take them (`--bake 2m`).
pub fn humanize(d: Duration) -> String {
    let s = d.as_secs();
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    [(h, "h"), (m, "m"), (s, "s")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .reduce(|a, b| a + &b)
        .unwrap_or_else(|| "0s".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humanized() {
        for (secs, want) in [
            (0, "0s"),
            (45, "45s"),
            (60, "1m"),
            (80, "1m20s"),
            (600, "10m"),
            (3600, "1h"),
            (3900, "1h5m"),
            (3601, "1h1s"),
        ] {
            assert_eq!(humanize(Duration::from_secs(secs)), want, "{secs}");
        }
        assert_eq!(humanize(Duration::from_millis(1999)), "1s", "whole seconds");
    }
}
