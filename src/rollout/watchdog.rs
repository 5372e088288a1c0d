//! The quiet-watch line of `rollout status -v 1` and up: a wait that has heard nothing
//! from its watches for [`QUIET_AFTER`] says so on stderr, once per quiet stretch of
//! that length, with what it still waits for. A Numaflow controller that stopped
//! reconciling (v1.8.1's vertex controller can, see README "The test world") leaves a
//! rollout exactly so: nothing moves, and without this line nothing says why the wait
//! goes on. `--progress-deadline` is what ends such a wait; this only makes it visible.

use std::time::{Duration, Instant};

/// How long a wait hears nothing before it says so.
pub const QUIET_AFTER: Duration = Duration::from_secs(30);

/// When the watches last delivered something, and when the wait last said it was quiet.
#[derive(Debug, Clone)]
pub struct Watchdog {
    heard: Instant,
    said: Option<Instant>,
}

impl Watchdog {
    /// A watchdog whose quiet starts at `now`.
    pub fn new(now: Instant) -> Watchdog {
        Watchdog {
            heard: now,
            said: None,
        }
    }

    /// The watches delivered something at `now`.
    pub fn heard(&mut self, now: Instant) {
        self.heard = now;
        self.said = None;
    }

    /// How long it has been quiet, when a line is due at `now`: [`QUIET_AFTER`] after
    /// the last news, then every [`QUIET_AFTER`] while it stays quiet.
    pub fn due(&mut self, now: Instant) -> Option<Duration> {
        let since = self.said.unwrap_or(self.heard);
        if now.duration_since(since) < QUIET_AFTER {
            return None;
        }
        self.said = Some(now);
        Some(now.duration_since(self.heard))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_once_per_quiet_stretch() {
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        let mut dog = Watchdog::new(t0);
        let mut said = Vec::new();
        for s in [1, 29, 30, 31, 59, 60, 61] {
            said.push((s, dog.due(at(s)).map(|d| d.as_secs())));
        }
        dog.heard(at(62));
        for s in [63, 91, 92] {
            said.push((s, dog.due(at(s)).map(|d| d.as_secs())));
        }
        assert_eq!(
            said,
            [
                (1, None),
                (29, None),
                (30, Some(30)),
                (31, None),
                (59, None),
                (60, Some(60)),
                (61, None),
                (63, None),
                (91, None),
                (92, Some(30)),
            ]
        );
    }
}
