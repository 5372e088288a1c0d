//! Durations as the plugin shows them: exact in messages (`1m20s`, [`humanize`]) and
//! rounded as kubectl's AGE column (`3m`, [`age`]).

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

/// kubectl's AGE: `45s` below 2 minutes, then whole minutes, hours below 2 days, days
/// (a negative age, from clock skew, is `0s`).
pub fn age(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..=119 => format!("{s}s"),
        120..=7199 => format!("{}m", s / 60),
        7200..=172_799 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86400),
    }
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
