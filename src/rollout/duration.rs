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

/// kubectl's AGE (apimachinery's `HumanDuration`): seconds below 2 minutes, minutes
/// and seconds below 10 minutes, minutes below 3 hours, hours and minutes below 8
/// hours, hours below 2 days, days and hours below 8 days, days below 2 years, then
/// years and days, and years from 8 years on; a second of clock skew is `0s`, more is
/// `<invalid>`.
pub fn age(secs: i64) -> String {
    if secs < -1 {
        return "<invalid>".into();
    }
    let s = secs.max(0);
    let (m, h) = (s / 60, s / 3600);
    let (d, y) = (h / 24, h / 24 / 365);
    match () {
        _ if s < 120 => format!("{s}s"),
        _ if m < 10 => two(m, "m", s % 60, "s"),
        _ if m < 180 => format!("{m}m"),
        _ if h < 8 => two(h, "h", m % 60, "m"),
        _ if h < 48 => format!("{h}h"),
        _ if h < 24 * 8 => two(d, "d", h % 24, "h"),
        _ if h < 24 * 365 * 2 => format!("{d}d"),
        _ if h < 24 * 365 * 8 => two(y, "y", d % 365, "d"),
        _ => format!("{y}y"),
    }
}

/// `3d`, or `3d22h` when the smaller unit is not zero.
fn two(big: i64, big_unit: &str, small: i64, small_unit: &str) -> String {
    if small == 0 {
        format!("{big}{big_unit}")
    } else {
        format!("{big}{big_unit}{small}{small_unit}")
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

    #[test]
    fn ages_read_as_kubectl_prints_them() {
        const M: i64 = 60;
        const H: i64 = 3600;
        const D: i64 = 24 * H;
        for (secs, want) in [
            (-5, "<invalid>"),
            (-1, "0s"),
            (0, "0s"),
            (119, "119s"),
            (120, "2m"),
            (9 * M + 59, "9m59s"),
            (10 * M + 30, "10m"),
            (152 * M, "152m"),
            (3 * H, "3h"),
            (7 * H + 59 * M, "7h59m"),
            (8 * H + 30 * M, "8h"),
            (47 * H, "47h"),
            (2 * D, "2d"),
            (3 * D + 22 * H, "3d22h"),
            (8 * D + 5 * H, "8d"),
            (729 * D, "729d"),
            (730 * D, "2y"),
            (3 * 365 * D + 20 * D, "3y20d"),
            (9 * 365 * D, "9y"),
        ] {
            assert_eq!(age(secs), want, "{secs}s");
        }
    }
}
