//! The decisions of a wait for rollouts (`rollout status`, `promote`), apart from the
//! I/O that feeds them: when a target last moved (the progress deadline), when a tick
//! may skip evaluating every pod again, when a final verdict must be read again before
//! the wait ends on it, and when it is over. The loop in `flow::wait` feeds a [`Wait`]
//! with watch updates, ticks, evaluations and re-reads, and draws what it answers.
//!
//! Every method takes the time as an argument, so a test drives a whole wait with
//! instants of its choosing.

use std::time::{Duration, Instant};

use super::bake::Bakes;
use super::duration::humanize;
use super::report::Report;
use super::State;

/// How long a final verdict the watches keep showing waits for another re-read when
/// the last one disagreed and nothing new arrived.
pub const RECHECK_AFTER: Duration = Duration::from_secs(2);

/// When a target last moved, for the progress deadline.
#[derive(Debug, Clone)]
pub struct Progress {
    signature: Option<Vec<(u32, u32, u32, State)>>,
    since: Instant,
}

impl Progress {
    /// A target not seen yet, its clock started at `now`.
    pub fn new(now: Instant) -> Progress {
        Progress {
            signature: None,
            since: now,
        }
    }

    /// Marks the report degraded when none of its workloads moved (updated, ready or
    /// old pods, or state) for `deadline` before `now`.
    pub fn check(&mut self, r: &mut Report, deadline: Duration, now: Instant) {
        let sig: Vec<_> = r
            .workloads
            .iter()
            .map(|w| (w.updated, w.updated_ready, w.old, w.state))
            .collect();
        if self.signature.as_ref() != Some(&sig) {
            self.signature = Some(sig);
            self.since = now;
        }
        if r.state == State::Progressing && now.duration_since(self.since) >= deadline {
            r.state = State::Degraded;
            r.message = format!(
                "{} {:?} rollout failed: progress deadline exceeded (no progress for {})",
                r.kind,
                r.name,
                humanize(deadline)
            );
        }
    }
}

/// What a tick (or a watch update) asks of the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tick {
    /// Evaluate every target again ([`Wait::evaluated`]), then ask for the [`Wait::verdict`].
    Evaluate,
    /// Nothing arrived and nothing can have changed: no evaluation, nothing to draw.
    Unchanged,
    /// Nothing arrived, but the progress deadline turned a target degraded: ask for the
    /// verdict without evaluating.
    Expired,
}

/// What the loop does once the targets are evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Draw these reports and go on waiting.
    Show(Vec<Report>),
    /// Every target looks final: read them all again, owners first, evaluate the fresh
    /// reads and hand them to [`Wait::confirmed`] (or call [`Wait::unconfirmed`]).
    Confirm,
}

/// One wait over a fixed list of targets, by index.
#[derive(Debug)]
pub struct Wait {
    deadline: Duration,
    progress: Vec<Progress>,
    reports: Vec<Option<Report>>,
    bakes: Option<Bakes>,
    /// The view redraws a clock every tick (the live view): a tick always evaluates.
    clocked: bool,
    /// Whether the watches delivered anything since the last re-read.
    news: bool,
    /// Whether the watches delivered anything since the targets were last evaluated.
    unevaluated: bool,
    /// The last re-read that did not confirm what the watches showed, and when.
    unconfirmed: Option<(Instant, Vec<Report>)>,
    /// Targets whose bake a new spec superseded, with the notice to print.
    superseded: Vec<(usize, String)>,
}

impl Wait {
    /// A wait for `targets` targets started at `now`, degrading a target that does not
    /// move for `deadline`, with the bakes of `--bake`; `clocked` when the view shows a
    /// clock (so every tick evaluates and redraws).
    pub fn new(
        targets: usize,
        deadline: Duration,
        bakes: Option<Bakes>,
        clocked: bool,
        now: Instant,
    ) -> Wait {
        Wait {
            deadline,
            progress: vec![Progress::new(now); targets],
            reports: vec![None; targets],
            bakes,
            clocked,
            news: false,
            unevaluated: true,
            unconfirmed: None,
            superseded: Vec::new(),
        }
    }

    /// The watches delivered something.
    pub fn changed(&mut self) {
        self.news = true;
        self.unevaluated = true;
    }

    /// A tick or a watch update at `now`. Evaluating every pod again (30 ms at 20,000
    /// pods) when nothing arrived would give the same reports, so then only the
    /// progress deadline is checked. Not with a clock on screen or a bake (it counts
    /// down), nor while a verdict waits to be confirmed or a pod can fail by time alone
    /// ([`Report::may_change_with_time`]).
    pub fn tick(&mut self, now: Instant) -> Tick {
        let idle = !std::mem::take(&mut self.unevaluated)
            && !self.clocked
            && self.bakes.is_none()
            && self.reports.iter().all(|r| {
                r.as_ref()
                    .is_some_and(|r| !r.state.is_final() && !r.may_change_with_time())
            });
        if !idle {
            return Tick::Evaluate;
        }
        let mut expired = false;
        for (p, r) in self
            .progress
            .iter_mut()
            .zip(self.reports.iter_mut().flatten())
        {
            p.check(r, self.deadline, now);
            expired |= r.state.is_final();
        }
        if expired {
            Tick::Expired
        } else {
            Tick::Unchanged
        }
    }

    /// Whether target `i` was evaluated before (a target missing now was then deleted).
    pub fn seen(&self, i: usize) -> bool {
        self.reports[i].is_some()
    }

    /// Target `i` evaluated at `now` from what the watches hold.
    pub fn evaluated(&mut self, i: usize, mut r: Report, now: Instant) {
        self.judge(i, &mut r, now);
        self.reports[i] = Some(r);
    }

    fn judge(&mut self, i: usize, r: &mut Report, now: Instant) {
        self.progress[i].check(r, self.deadline, now);
        if let Some(notice) = self.bakes.as_mut().and_then(|b| b.apply(i, r, now)) {
            self.superseded.push((i, notice));
        }
    }

    /// What to do with the reports at `now`. Watches of different kinds deliver events
    /// in no common order (a Pipeline may be seen to have observed a change before the
    /// Vertex it copied it into), so a final verdict is read again before the wait ends
    /// on it: at once when something arrived since the last re-read, else once
    /// [`RECHECK_AFTER`] passed (the last re-read is shown meanwhile).
    pub fn verdict(&mut self, now: Instant) -> Verdict {
        let ready = self.present();
        let fin = ready.len() == self.reports.len() && ready.iter().all(|r| r.state.is_final());
        if !fin {
            return Verdict::Show(ready);
        }
        match &self.unconfirmed {
            Some((at, last)) if !self.news && now.duration_since(*at) < RECHECK_AFTER => {
                Verdict::Show(last.clone())
            }
            _ => {
                self.news = false;
                Verdict::Confirm
            }
        }
    }

    /// The re-read of every target (in target order), evaluated at `now`: the reports
    /// to draw, and whether the wait is done (each final and, with `--bake`, baked).
    pub fn confirmed(&mut self, mut fresh: Vec<Report>, now: Instant) -> (Vec<Report>, bool) {
        for (i, r) in fresh.iter_mut().enumerate() {
            self.judge(i, r, now);
        }
        if let Some(b) = &mut self.bakes {
            b.start(&mut fresh, &[State::Complete], now);
        }
        let done = fresh.iter().all(|r| r.state.is_final());
        self.unconfirmed = (!done).then(|| (now, fresh.clone()));
        self.reports = fresh.iter().cloned().map(Some).collect();
        (fresh, done)
    }

    /// The re-read failed at `now`: the watches' reports are shown, and read again
    /// after [`RECHECK_AFTER`] unless something arrives first.
    pub fn unconfirmed(&mut self, now: Instant) -> Vec<Report> {
        let ready = self.present();
        self.unconfirmed = Some((now, ready.clone()));
        ready
    }

    /// The targets whose bake a new spec superseded since the last call, each with
    /// its notice. Their next bake starts with the same line as the last one did: a
    /// view printing only what changed must print it again.
    pub fn superseded(&mut self) -> Vec<(usize, String)> {
        std::mem::take(&mut self.superseded)
    }

    /// The last report of every target evaluated at least once, in target order.
    pub fn finish(self) -> Vec<Report> {
        self.reports.into_iter().flatten().collect()
    }

    fn present(&self) -> Vec<Report> {
        self.reports.iter().flatten().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::rollout::fixtures::{now, pod, status, vertex};
    use crate::rollout::report;

    const DEADLINE: Duration = Duration::from_secs(600);

    /// Vertex `p-cat` with `updated` of 3 pods on the new revision (ready), the rest
    /// on the old one.
    fn cat(updated: u32) -> Report {
        let v = vertex(
            "cat",
            2,
            json!({"replicas": 3}),
            status(
                2,
                if updated == 3 { "new" } else { "old" },
                "new",
                3,
                updated.into(),
                updated.into(),
            ),
        );
        let pods: Vec<_> = (0..3)
            .map(|i| pod("cat", i, if i < updated { "new" } else { "old" }, true))
            .collect();
        report::vertex(&v, None, &pods.iter().collect::<Vec<_>>(), now())
    }

    fn at(t0: Instant, secs: u64) -> Instant {
        t0 + Duration::from_secs(secs)
    }

    #[test]
    fn fixtures_are_what_the_tests_say() {
        assert_eq!(cat(1).state, State::Progressing, "{}", cat(1).message);
        assert_eq!(cat(3).state, State::Complete, "{}", cat(3).message);
    }

    #[test]
    fn the_progress_deadline_counts_from_the_last_move() {
        // In time order: (seconds, updated pods, state after the check).
        let table: &[(u64, u32, State)] = &[
            (0, 1, State::Progressing),
            (599, 1, State::Progressing),
            (600, 2, State::Progressing),
            (1199, 2, State::Progressing),
            (1200, 2, State::Degraded),
        ];
        let t0 = Instant::now();
        let mut p = Progress::new(t0);
        for &(secs, updated, want) in table {
            let mut r = cat(updated);
            p.check(&mut r, DEADLINE, at(t0, secs));
            assert_eq!(r.state, want, "at {secs}s with {updated} updated");
        }
        let mut r = cat(2);
        p.check(&mut r, DEADLINE, at(t0, 1200));
        assert!(
            r.message
                .contains("progress deadline exceeded (no progress for 10m)"),
            "{}",
            r.message
        );
        // A final report is never turned degraded by the deadline.
        let mut done = cat(3);
        let mut q = Progress::new(t0);
        q.check(&mut done, DEADLINE, at(t0, 10_000));
        assert_eq!(done.state, State::Complete);
    }

    #[test]
    fn a_tick_with_nothing_new_evaluates_nothing() {
        let t0 = Instant::now();
        // (clocked view, bake, watch news before the tick, what the second tick asks)
        let table: &[(bool, bool, bool, Tick)] = &[
            (false, false, false, Tick::Unchanged),
            (false, false, true, Tick::Evaluate),
            (true, false, false, Tick::Evaluate),
            (false, true, false, Tick::Evaluate),
        ];
        for &(clocked, bake, news, want) in table {
            let bakes = bake.then(|| Bakes::new(DEADLINE, DEADLINE, 1));
            let mut w = Wait::new(1, DEADLINE, bakes, clocked, t0);
            assert_eq!(w.tick(t0), Tick::Evaluate, "the first tick evaluates");
            w.evaluated(0, cat(1), t0);
            if news {
                w.changed();
            }
            assert_eq!(
                w.tick(at(t0, 1)),
                want,
                "clocked {clocked}, bake {bake}, news {news}"
            );
        }
    }

    #[test]
    fn an_idle_wait_still_expires_its_deadline() {
        let t0 = Instant::now();
        let mut w = Wait::new(1, DEADLINE, None, false, t0);
        w.tick(t0);
        w.evaluated(0, cat(1), t0);
        assert_eq!(w.verdict(t0), Verdict::Show(vec![cat(1)]));
        assert_eq!(w.tick(at(t0, 599)), Tick::Unchanged);
        assert_eq!(w.tick(at(t0, 600)), Tick::Expired);
        assert_eq!(w.verdict(at(t0, 600)), Verdict::Confirm);
    }

    #[test]
    fn a_target_not_yet_read_keeps_every_tick_evaluating() {
        let t0 = Instant::now();
        let mut w = Wait::new(2, DEADLINE, None, false, t0);
        w.tick(t0);
        w.evaluated(0, cat(1), t0);
        assert!(w.seen(0) && !w.seen(1));
        assert_eq!(w.tick(at(t0, 1)), Tick::Evaluate);
        assert_eq!(w.verdict(at(t0, 1)), Verdict::Show(vec![cat(1)]));
    }

    #[test]
    fn a_final_verdict_is_read_again_before_the_wait_ends() {
        let t0 = Instant::now();
        let mut w = Wait::new(1, DEADLINE, None, false, t0);
        w.tick(t0);
        w.evaluated(0, cat(3), t0);
        assert_eq!(w.verdict(t0), Verdict::Confirm);
        // The re-read disagrees: shown, and not read again for RECHECK_AFTER...
        assert_eq!(w.confirmed(vec![cat(2)], t0), (vec![cat(2)], false));
        w.evaluated(0, cat(3), at(t0, 1));
        assert_eq!(w.verdict(at(t0, 1)), Verdict::Show(vec![cat(2)]));
        // ... unless something arrives,
        w.changed();
        assert_eq!(w.verdict(at(t0, 1)), Verdict::Confirm);
        assert_eq!(w.unconfirmed(at(t0, 1)), vec![cat(3)]);
        // ... or it passed.
        assert_eq!(w.verdict(at(t0, 2)), Verdict::Show(vec![cat(3)]));
        assert_eq!(w.verdict(at(t0, 3)), Verdict::Confirm);
        assert_eq!(w.confirmed(vec![cat(3)], at(t0, 3)), (vec![cat(3)], true));
        assert_eq!(w.finish(), vec![cat(3)]);
    }

    #[test]
    fn a_bake_holds_the_verdict_until_it_passes() {
        let t0 = Instant::now();
        let bake = Duration::from_secs(60);
        let bakes = Bakes::new(bake, Duration::from_secs(30), 1);
        let mut w = Wait::new(1, DEADLINE, Some(bakes), false, t0);
        w.evaluated(0, cat(3), t0);
        assert_eq!(w.verdict(t0), Verdict::Confirm);
        // The confirmed rollout starts its bake: not final until it passed.
        let (shown, done) = w.confirmed(vec![cat(3)], t0);
        assert!(!done, "a fresh bake ended the wait");
        assert_eq!(shown[0].state, State::Progressing);
        assert_eq!(w.tick(at(t0, 1)), Tick::Evaluate, "a bake counts down");
        w.evaluated(0, cat(3), at(t0, 30));
        assert!(matches!(w.verdict(at(t0, 30)), Verdict::Show(_)));
        w.evaluated(0, cat(3), at(t0, 60));
        assert_eq!(w.verdict(at(t0, 60)), Verdict::Confirm);
        let (last, done) = w.confirmed(vec![cat(3)], at(t0, 60));
        assert!(done, "a passed bake did not end the wait");
        assert_eq!(last[0].state, State::Complete, "{}", last[0].message);
        assert!(w.superseded().is_empty());
    }
}
