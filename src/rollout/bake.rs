//! The bake (`--bake DURATION`): a finished rollout's new pods, watched for a while
//! longer, since readiness is a weak signal for a stream processor (a new UDF often
//! passes its probe, then crashes or is OOM-killed once real messages arrive).
//!
//! A bake starts when the rollout is complete and watches the pods of the new revision
//! (the update hash of each workload when it started). It fails at the first of:
//! - a new pod failing by the rules of `rollout status` (CrashLoopBackOff,
//!   ImagePullBackOff, a terminated `Error`, ...; see [`super::pods`]), or the target
//!   turning degraded otherwise (its object reports `Failed`);
//! - a container of a new pod restarting: its restart count above the count when the
//!   bake started (0 for a pod created during the bake);
//! - a new pod not ready for the tolerance (`--bake-not-ready-tolerance`, 30s by
//!   default), counted from when the bake first saw it not ready. A shorter blip is no
//!   failure, and the bake does not pass while a new pod is not ready. 30s is three
//!   periods of the default readiness probe (10s) and shorter than the first
//!   CrashLoopBackOff cycles, so a probe that fails a few times in a row fails the bake
//!   while one dropped probe does not.
//!
//! It passes once DURATION has passed and the rollout is still complete. When any
//! workload's update hash changes (a new spec), the bake is superseded: the caller waits
//! for the new rollout, as it would for any spec changed while it waits, and bakes that
//! one from its start.
//!
//! Pure: callers pass the reports they read and the time.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::duration::humanize;
use super::pods::{ContainerInfo, PodInfo};
use super::report::Report;
use super::State;

/// Where a bake stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BakeResult {
    /// Watching.
    Baking,
    /// DURATION passed with nothing wrong.
    Passed,
    /// A new pod failed, restarted or stayed not ready.
    Failed,
}

/// Why a bake failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BakeFailure {
    /// The pod, when a pod failed (not when the target's object did).
    pub pod: Option<String>,
    /// The container.
    pub container: Option<String>,
    /// `CrashLoopBackOff`, `Restarted`, `NotReady`, `Degraded`, ...
    pub reason: String,
    /// What happened, with the last termination when there was one.
    pub message: String,
}

/// A report's bake, as `-o json` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BakeStatus {
    /// The DURATION asked for.
    pub duration: Duration,
    /// How long it has baked.
    pub baked: Duration,
    /// Where it stands.
    pub result: BakeResult,
    /// New pods ready and not restarted.
    pub healthy_pods: u32,
    /// The failing pod, when it failed.
    pub failure: Option<BakeFailure>,
}

/// What [`Bake::apply`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Still watching: the report reads Progressing.
    Baking,
    /// Passed: the report reads Complete.
    Passed,
    /// Failed: the report reads Degraded.
    Failed,
    /// The spec changed: the report is left as read, and the bake is over.
    Superseded,
}

/// The bake of one target.
#[derive(Debug, Clone)]
pub struct Bake {
    duration: Duration,
    tolerance: Duration,
    started: Instant,
    /// Each workload's update hash when the bake started.
    revisions: Vec<(String, Option<String>)>,
    /// Restart counts by pod and container when the bake started.
    restarts: HashMap<(String, String), i32>,
    /// When each new pod was first seen not ready (cleared when it is ready).
    not_ready_since: HashMap<String, Instant>,
    /// The verdict once there is one: a bake that passed or failed stays so.
    done: Option<(Duration, Option<BakeFailure>)>,
    /// The state the target settled in when the bake started: Complete after a
    /// rollout, Paused after `rollout step` (held with pods left to move).
    settled: State,
}

/// The pods of the new revision that count: not leftovers, not being deleted.
fn new_pods(r: &Report) -> impl Iterator<Item = &PodInfo> {
    r.workloads.iter().flat_map(|w| {
        w.pods.iter().filter(move |p| {
            !p.terminating
                && p.left_behind.is_none()
                && p.hash.is_some()
                && p.hash.as_deref() == w.update_hash.as_deref()
        })
    })
}

fn revisions(r: &Report) -> Vec<(String, Option<String>)> {
    r.workloads
        .iter()
        .map(|w| (w.name.clone(), w.update_hash.clone()))
        .collect()
}

impl Bake {
    /// Starts the bake of `r`: a complete rollout, or a step held again.
    pub fn start(r: &Report, duration: Duration, tolerance: Duration, now: Instant) -> Bake {
        let restarts = new_pods(r)
            .flat_map(|p| {
                p.containers
                    .iter()
                    .map(|c| ((p.name.clone(), c.name.to_string()), c.restarts))
            })
            .collect();
        Bake {
            duration,
            tolerance,
            started: now,
            revisions: revisions(r),
            restarts,
            not_ready_since: HashMap::new(),
            done: None,
            settled: r.state,
        }
    }

    /// Judges the bake on `r`, read at `now`, and rewrites the report's state, message
    /// and bake to say so (unless superseded).
    pub fn apply(&mut self, r: &mut Report, now: Instant) -> Verdict {
        if revisions(r) != self.revisions {
            return Verdict::Superseded;
        }
        let healthy = new_pods(r)
            .filter(|p| p.ready && self.restart(p).is_none())
            .count() as u32;
        if self.done.is_none() {
            let baked = now.saturating_duration_since(self.started);
            if let Some(failure) = self.failure(r, now) {
                self.done = Some((baked, Some(failure)));
            } else if baked >= self.duration && r.state == self.settled {
                self.done = Some((baked, None));
            }
        }
        let label = format!("{} {:?}", r.kind, r.name);
        let (verdict, status) = match &self.done {
            Some((baked, Some(failure))) => {
                r.state = State::Degraded;
                r.message = format!(
                    "{label} bake failed after {}: {}",
                    humanize(*baked),
                    sentence(failure)
                );
                (
                    Verdict::Failed,
                    self.status(*baked, BakeResult::Failed, healthy, Some(failure.clone())),
                )
            }
            Some((baked, None)) => {
                if r.state != self.settled {
                    // Passed, and read again since (confirming, or while other targets
                    // finish): the bake's verdict stands, the rollout's news is shown.
                    r.bake = Some(Box::new(self.status(
                        *baked,
                        BakeResult::Passed,
                        healthy,
                        None,
                    )));
                    return Verdict::Passed;
                }
                r.message = format!(
                    "{label} {} and baked for {}",
                    self.what(),
                    humanize(self.duration)
                );
                (
                    Verdict::Passed,
                    self.status(*baked, BakeResult::Passed, healthy, None),
                )
            }
            None => {
                let baked = now.saturating_duration_since(self.started);
                r.state = State::Progressing;
                r.message = format!(
                    "{label} {}; baking for {}",
                    self.what(),
                    humanize(self.duration)
                );
                (
                    Verdict::Baking,
                    self.status(baked, BakeResult::Baking, healthy, None),
                )
            }
        };
        r.bake = Some(Box::new(status));
        verdict
    }

    /// What the bake follows: `successfully rolled out`, or `stepped` (a held step).
    fn what(&self) -> &'static str {
        if self.settled == State::Complete {
            "successfully rolled out"
        } else {
            "stepped"
        }
    }

    fn status(
        &self,
        baked: Duration,
        result: BakeResult,
        healthy_pods: u32,
        failure: Option<BakeFailure>,
    ) -> BakeStatus {
        BakeStatus {
            duration: self.duration,
            baked,
            result,
            healthy_pods,
            failure,
        }
    }

    /// The first container of `p` that restarted during the bake, and how often.
    fn restart<'p>(&self, p: &'p PodInfo) -> Option<(&'p ContainerInfo, i32)> {
        p.containers.iter().find_map(|c| {
            let before = self.restarts.get(&(p.name.clone(), c.name.to_string()));
            let times = c.restarts - before.copied().unwrap_or(0);
            (times > 0).then_some((c, times))
        })
    }

    /// The first thing wrong with the new pods (in pod order), else with the target.
    fn failure(&mut self, r: &Report, now: Instant) -> Option<BakeFailure> {
        let mut found = None;
        let mut not_ready = Vec::new();
        for p in new_pods(r) {
            let failure = if let Some(f) = &p.failure {
                Some(BakeFailure {
                    pod: Some(p.name.clone()),
                    container: f.container.clone(),
                    reason: f.reason.clone(),
                    message: f.message.clone(),
                })
            } else if let Some((c, times)) = self.restart(p) {
                let mut message = format!(
                    "restarted {times} time{} during the bake",
                    if times == 1 { "" } else { "s" }
                );
                if let Some(t) = &c.last_termination {
                    message.push_str(&format!(" (last termination: {t})"));
                }
                Some(BakeFailure {
                    pod: Some(p.name.clone()),
                    container: Some(c.name.to_string()),
                    reason: "Restarted".into(),
                    message,
                })
            } else if !p.ready {
                not_ready.push(p.name.clone());
                let since = *self.not_ready_since.entry(p.name.clone()).or_insert(now);
                let c = p.containers.iter().find(|c| !c.ready);
                (now.saturating_duration_since(since) >= self.tolerance).then(|| BakeFailure {
                    pod: Some(p.name.clone()),
                    container: c.map(|c| c.name.to_string()),
                    reason: "NotReady".into(),
                    message: format!(
                        "not ready for {} (tolerance {}; pod status {}{})",
                        humanize(now.saturating_duration_since(since)),
                        humanize(self.tolerance),
                        p.reason,
                        c.and_then(|c| c.last_termination.as_ref())
                            .map(|t| format!(", last termination: {t}"))
                            .unwrap_or_default()
                    ),
                })
            } else {
                None
            };
            if found.is_none() {
                found = failure;
            }
        }
        self.not_ready_since
            .retain(|pod, _| not_ready.contains(pod));
        found.or_else(|| {
            (r.state == State::Degraded).then(|| BakeFailure {
                pod: None,
                container: None,
                reason: "Degraded".into(),
                message: r.message.clone(),
            })
        })
    }
}

/// The bakes of the targets of one wait, by target index.
#[derive(Debug)]
pub struct Bakes {
    duration: Duration,
    tolerance: Duration,
    each: Vec<Option<Bake>>,
}

impl Bakes {
    /// No bake yet for any of `targets` targets.
    pub fn new(duration: Duration, tolerance: Duration, targets: usize) -> Bakes {
        Bakes {
            duration,
            tolerance,
            each: vec![None; targets],
        }
    }

    /// Applies target `i`'s bake, if it has one, to its report `r` read at `now`;
    /// returns a notice when the bake was superseded (and so is over).
    pub fn apply(&mut self, i: usize, r: &mut Report, now: Instant) -> Option<String> {
        let bake = self.each[i].as_mut()?;
        if bake.apply(r, now) != Verdict::Superseded {
            return None;
        }
        self.each[i] = None;
        Some(format!(
            "kubectl-numa: {} {:?}: the spec changed during the bake; waiting for the new rollout, then baking it",
            r.kind, r.name
        ))
    }

    /// Starts the bake of each target without one whose report is in one of the
    /// `settled` states (read again to confirm it), and applies it; true when every
    /// target has a bake now.
    pub fn start(&mut self, reports: &mut [Report], settled: &[State], now: Instant) -> bool {
        for (bake, r) in self.each.iter_mut().zip(reports) {
            if bake.is_none() && settled.contains(&r.state) {
                let mut b = Bake::start(r, self.duration, self.tolerance, now);
                b.apply(r, now);
                *bake = Some(b);
            }
        }
        self.each.iter().all(Option::is_some)
    }
}

/// `pod p-cat-0-x: container udf: CrashLoopBackOff: back-off 40s ... (last termination: ...)`.
fn sentence(f: &BakeFailure) -> String {
    let mut parts = Vec::new();
    if let Some(p) = &f.pod {
        parts.push(format!("pod {p}"));
    }
    if let Some(c) = &f.container {
        parts.push(format!("container {c}"));
    }
    parts.push(f.reason.clone());
    if !f.message.is_empty() {
        parts.push(f.message.clone());
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::rollout::fixtures::{now, pod, status, vertex};
    use crate::rollout::pods::PodFailure;
    use crate::rollout::report;

    const D: Duration = Duration::from_secs(120);
    const TOL: Duration = Duration::from_secs(30);

    /// A complete vertex `p-cat` with two ready pods of revision `hash`, each with a
    /// sidecar `udf` and a container `numa`, never restarted.
    fn complete(hash: &str) -> Report {
        let v = vertex(
            "cat",
            1,
            json!({"replicas": 2}),
            status(1, hash, hash, 2, 2, 2),
        );
        let pods: Vec<_> = (0..2).map(|i| pod("cat", i, hash, true)).collect();
        let mut r = report::vertex(&v, None, &pods.iter().collect::<Vec<_>>(), now());
        assert_eq!(r.state, State::Complete, "{}", r.message);
        for p in &mut r.workloads[0].pods {
            p.containers = ["udf", "numa"]
                .map(|name| ContainerInfo {
                    name: name.into(),
                    restarts: 0,
                    ready: true,
                    last_termination: None,
                })
                .to_vec();
        }
        r
    }

    fn at(t0: Instant, secs: u64) -> Instant {
        t0 + Duration::from_secs(secs)
    }

    type Change = fn(&mut Report);

    fn oom(r: &mut Report) {
        let p = &mut r.workloads[0].pods[1];
        p.ready = false;
        p.reason = "CrashLoopBackOff".into();
        p.containers[0] = ContainerInfo {
            name: "udf".into(),
            restarts: 1,
            ready: false,
            last_termination: Some("OOMKilled, exit code 137".into()),
        };
        p.failure = Some(Box::new(PodFailure {
            container: Some("udf".into()),
            reason: "CrashLoopBackOff".into(),
            message: "back-off 10s (last termination: OOMKilled, exit code 137)".into(),
        }));
        r.state = State::Degraded;
    }

    fn restarted(r: &mut Report) {
        let c = &mut r.workloads[0].pods[0].containers[1];
        c.restarts = 2;
        c.last_termination = Some("Error, exit code 1".into());
    }

    fn not_ready(r: &mut Report) {
        let p = &mut r.workloads[0].pods[0];
        p.ready = false;
        p.containers[1].ready = false;
        r.state = State::Progressing;
    }

    fn new_spec(r: &mut Report) {
        r.workloads[0].update_hash = Some("h3".into());
        r.state = State::Progressing;
    }

    fn old_pod_restarts(r: &mut Report) {
        let mut old = r.workloads[0].pods[0].clone();
        old.name = "p-cat-0-h1".into();
        old.hash = Some("h1".into());
        old.terminating = true;
        old.containers[0].restarts = 5;
        r.workloads[0].pods.push(old);
    }

    fn quiet(_: &mut Report) {}

    #[test]
    fn verdicts() {
        // (what, change from this second on, second observed, verdict, message ends with)
        let cases: [(&str, Change, u64, Verdict, &str); 9] = [
            ("quiet, half way", quiet, 60, Verdict::Baking, "successfully rolled out; baking for 2m"),
            ("quiet, time up", quiet, 120, Verdict::Passed, "successfully rolled out and baked for 2m"),
            (
                "an OOM kill then a crash loop",
                oom,
                35,
                Verdict::Failed,
                "bake failed after 35s: pod p-cat-1-h2: container udf: CrashLoopBackOff: back-off 10s (last termination: OOMKilled, exit code 137)",
            ),
            (
                "a restart that recovered",
                restarted,
                50,
                Verdict::Failed,
                "bake failed after 50s: pod p-cat-0-h2: container numa: Restarted: restarted 2 times during the bake (last termination: Error, exit code 1)",
            ),
            ("not ready within the tolerance", not_ready, 20, Verdict::Baking, "baking for 2m"),
            ("not ready, time up: no pass yet", not_ready, 125, Verdict::Baking, "baking for 2m"),
            ("a new spec", new_spec, 30, Verdict::Superseded, "baking for 2m"),
            ("an old pod restarting is no failure", old_pod_restarts, 120, Verdict::Passed, "baked for 2m"),
            ("an old pod restarting, half way", old_pod_restarts, 10, Verdict::Baking, "baking for 2m"),
        ];
        for (what, change, secs, want, message) in cases {
            let t0 = Instant::now();
            let mut b = Bake::start(&complete("h2"), D, TOL, t0);
            // Quiet at the start, then changed from the second observation on.
            let mut r = complete("h2");
            assert_eq!(b.apply(&mut r, at(t0, 1)), Verdict::Baking, "{what}");
            let mut r = complete("h2");
            change(&mut r);
            let verdict = b.apply(&mut r, at(t0, secs));
            assert_eq!(verdict, want, "{what}: {}", r.message);
            if want != Verdict::Superseded {
                assert!(r.message.ends_with(message), "{what}: {}", r.message);
                assert_eq!(r.bake.as_ref().map(|s| s.duration), Some(D), "{what}");
            }
            let state = match want {
                Verdict::Baking | Verdict::Superseded => State::Progressing,
                Verdict::Passed => State::Complete,
                Verdict::Failed => State::Degraded,
            };
            assert_eq!(r.state, state, "{what}");
        }
    }

    #[test]
    fn not_ready_past_the_tolerance_fails_and_a_blip_resets_it() {
        let t0 = Instant::now();
        let mut b = Bake::start(&complete("h2"), D, TOL, t0);
        let mut r = complete("h2");
        not_ready(&mut r);
        assert_eq!(b.apply(&mut r, at(t0, 10)), Verdict::Baking);
        assert_eq!(
            b.apply(&mut complete("h2"), at(t0, 20)),
            Verdict::Baking,
            "ready again"
        );
        let mut r = complete("h2");
        not_ready(&mut r);
        assert_eq!(
            b.apply(&mut r.clone(), at(t0, 45)),
            Verdict::Baking,
            "counted anew from 45s"
        );
        assert_eq!(b.apply(&mut r, at(t0, 75)), Verdict::Failed);
        assert!(
            r.message.ends_with(
                "bake failed after 1m15s: pod p-cat-0-h2: container numa: NotReady: not ready for 30s (tolerance 30s; pod status Running)"
            ),
            "{}",
            r.message
        );
        let failure = r.bake.unwrap().failure.unwrap();
        assert_eq!(
            (failure.pod.as_deref(), failure.reason.as_str()),
            (Some("p-cat-0-h2"), "NotReady")
        );
    }

    #[test]
    fn verdicts_stand_and_report_the_bake() {
        let t0 = Instant::now();
        let mut b = Bake::start(&complete("h2"), D, TOL, t0);
        let mut r = complete("h2");
        oom(&mut r);
        assert_eq!(b.apply(&mut r, at(t0, 5)), Verdict::Failed);
        let mut healthy_again = complete("h2");
        assert_eq!(
            b.apply(&mut healthy_again, at(t0, 200)),
            Verdict::Failed,
            "a failure stands"
        );
        assert_eq!(healthy_again.state, State::Degraded);
        let s = healthy_again.bake.unwrap();
        assert_eq!(
            (s.result, s.baked),
            (BakeResult::Failed, Duration::from_secs(5))
        );

        let mut b = Bake::start(&complete("h2"), D, TOL, t0);
        let mut r = complete("h2");
        assert_eq!(b.apply(&mut r, at(t0, 130)), Verdict::Passed);
        let s = r.bake.unwrap();
        assert_eq!(
            (s.result, s.healthy_pods, s.failure),
            (BakeResult::Passed, 2, None)
        );
        let mut r = complete("h2");
        not_ready(&mut r);
        assert_eq!(
            b.apply(&mut r, at(t0, 140)),
            Verdict::Passed,
            "a pass stands"
        );
        assert_eq!(r.state, State::Progressing, "and the news is shown");
    }

    #[test]
    fn bakes_start_on_settled_targets_and_end_when_superseded() {
        let t0 = Instant::now();
        let mut bakes = Bakes::new(D, TOL, 2);
        let mut rolling = complete("h2");
        rolling.state = State::Progressing;
        let mut reports = [complete("h2"), rolling];
        assert!(
            !bakes.start(&mut reports, &[State::Complete], t0),
            "one still rolls"
        );
        assert_eq!(
            reports[0].state,
            State::Progressing,
            "baking: {}",
            reports[0].message
        );
        assert_eq!(reports[1].bake, None);
        let mut paused = complete("h2");
        paused.state = State::Paused;
        let mut later = [complete("h2"), paused];
        assert!(
            bakes.start(&mut later, &[State::Paused], at(t0, 1)),
            "both bake now"
        );
        assert!(
            later[1].message.ends_with("stepped; baking for 2m"),
            "{}",
            later[1].message
        );
        assert_eq!(bakes.apply(0, &mut complete("h2"), at(t0, 2)), None);
        let mut changed = complete("h3");
        changed.state = State::Progressing;
        let notice = bakes.apply(0, &mut changed, at(t0, 3)).unwrap();
        assert!(
            notice.contains("vertex \"p-cat\": the spec changed during the bake"),
            "{notice}"
        );
        assert_eq!(
            (changed.state, &changed.bake),
            (State::Progressing, &None),
            "left as read"
        );
        assert_eq!(
            bakes.apply(0, &mut changed, at(t0, 4)),
            None,
            "over: no bake to apply"
        );
        assert!(!bakes.start(
            &mut [changed.clone(), complete("h2")],
            &[State::Complete],
            at(t0, 5)
        ));
    }

    #[test]
    fn restarts_before_the_bake_are_its_baseline() {
        let t0 = Instant::now();
        let mut before = complete("h2");
        before.workloads[0].pods[0].containers[0].restarts = 3;
        let mut b = Bake::start(&before, D, TOL, t0);
        assert_eq!(b.apply(&mut before.clone(), at(t0, 130)), Verdict::Passed);

        let mut b = Bake::start(&complete("h2"), D, TOL, t0);
        let mut r = complete("h2");
        let mut newcomer = r.workloads[0].pods[1].clone();
        newcomer.name = "p-cat-2-h2".into();
        newcomer.containers[0].restarts = 1;
        r.workloads[0].pods.push(newcomer);
        assert_eq!(
            b.apply(&mut r, at(t0, 3)),
            Verdict::Failed,
            "a pod born during the bake starts at 0"
        );
        assert!(
            r.message
                .contains("pod p-cat-2-h2: container udf: Restarted"),
            "{}",
            r.message
        );
    }
}
