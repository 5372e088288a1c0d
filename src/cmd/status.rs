//! `kubectl numa rollout status`: wait until rollouts complete, fail fast when broken.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};
use clap::{ArgAction, Args};
use k8s_openapi::jiff::Timestamp;

use crate::api::fetch::{self, Evaluation, Scope, World};
use crate::api::undo;
use crate::api::watch::{self, Update, Watch};
use crate::api::write::DryRun;
use crate::api::{self, history, owners, Kube};
use crate::cli::{parse_duration, KubeArgs};
use crate::cmd::write::{warn, ForceFlag};
use crate::exit::{self, Exit, UsageError};
use crate::rollout::bake::{BakeResult, Bakes};
use crate::rollout::duration::humanize;
use crate::rollout::report::Report;
use crate::rollout::undo::Undone;
use crate::rollout::State;
use crate::target;
use crate::view::{json, lines::Lines, live, style, Output};

const HELP: &str = "\
Examples:
  # Wait for every vertex of a pipeline (the usual deploy-script step)
  kubectl apply -f pipeline.yaml && kubectl numa rollout status pipeline/my-pipeline

  # One vertex, a monovertex, and a bound on the wait
  kubectl numa rollout status vertex/my-pipeline-cat mvtx/my-mvtx --timeout 5m

  # Every pipeline labelled team=data, once, as JSON
  kubectl numa rollout status pipeline -l team=data --watch=false -o json

  # Deploy: wait, then watch the new pods 5 more minutes; roll back on any failure
  kubectl numa rollout status pipeline/my-pipeline --bake 5m --rollback-on-failure --timeout 20m

Exit codes:
  0  every rollout is complete
  1  error (API unreachable, not found, forbidden; with --rollback-on-failure, managed
     by Numaplane without --force)
  2  usage error
  3  degraded: new pods are failing (CrashLoopBackOff, ImagePullBackOff,
     InvalidImageName, CreateContainerConfigError, ErrImagePull for 10s or more,
     phase Failed) or no progress within --progress-deadline; or the bake failed
  4  --timeout passed (it bounds the whole wait, the bake included)
  5  paused (maxUnavailable and maxSurge are zero with an update pending)
  6  still progressing (only with --watch=false)
  7  rolled back (--rollback-on-failure): the rollout failed (3), the previous
     revision was restored and its rollout completed; with the rollback failing
     too, the exit code is 3 and both failures are printed
  130/143  interrupted by SIGINT/SIGTERM
With several targets the most severe outcome decides (1, 3, 4, 7, 6, 5, 0).

--rollback-on-failure: when a target turns degraded (a failing new pod, or no
progress within --progress-deadline), `rollout undo` runs on it: the newest
recorded revision whose pods differ from the current spec is restored (the
revision before the current one; `rollout status` records the current spec as it
starts, so the spec that last completed under status is that revision). The
rollback is then waited for like any rollout (--timeout and --progress-deadline
apply to it anew).

  # Deploy, and roll back automatically if the new version fails
  kubectl apply -f pipeline.yaml
  kubectl numa rollout status pipeline/my-pipeline --rollback-on-failure --timeout 10m

--bake DURATION: once the rollout is complete, the new revision's pods are watched
for DURATION more (readiness is a weak signal for a stream processor: a new UDF can
pass its probe and be OOM-killed once messages arrive). The bake fails (exit 3,
naming the pod, the container, the reason and the last termination) when a new pod
fails as above, restarts a container (its restart count grows past the count when
the bake started), or stays not ready longer than --bake-not-ready-tolerance (30s).
It passes only after DURATION with none of that and the rollout still complete. A
spec changed during the bake supersedes it: status waits for the new rollout and
bakes that. With --rollback-on-failure a failed bake is rolled back like a failed
rollout (exit 7); the rollback itself is waited for, not baked. Plain output prints
a line when the bake starts and when it ends; the live view counts down; -o json
reports it under \"bake\" (duration, baked, result, healthyPods, failingPod).";

/// The long description of the command (set on its variant in [`crate::cli`], which
/// would otherwise replace it with the variant's one-line doc comment).
pub const LONG_ABOUT: &str =
    "Wait until the rollout of each target is complete: every replica runs the \
newest spec and is ready, no pod of an older revision is left, and the controllers have \
observed the latest generation of the Pipeline and of each Vertex. Ends early, with a \
distinct exit code, when the rollout is failing, paused or stalled.";

/// Flags of `rollout status`.
#[derive(Debug, Args)]
#[command(after_help = HELP)]
pub struct StatusArgs {
    /// What to wait for: KIND/NAME... (vertex/p-cat, mvtx/m, pipeline/p), KIND NAME..., or KIND -l SELECTOR.
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,
    /// Select targets of the given kind by label.
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,
    /// Wait for the rollout to finish; --watch=false prints the current state once.
    #[arg(short = 'w', long, default_value_t = true, action = ArgAction::Set, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub watch: bool,
    /// How long to wait, and what to do on failure.
    #[command(flatten)]
    pub wait: WaitFlags,
    /// Output format: json prints one document per target when done.
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<Output>,
}

/// The flags of a wait for a rollout, shared by `status` and `promote`.
#[derive(Debug, Clone, Args)]
pub struct WaitFlags {
    /// Stop waiting after this long with exit code 4 (0 waits forever).
    #[arg(long, default_value = "0s", value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Duration,
    /// Report degraded (exit 3) when no replica moves for this long.
    #[arg(long, default_value = "10m", value_parser = parse_duration, value_name = "DURATION")]
    pub progress_deadline: Duration,
    /// When a rollout turns degraded, undo it to the previous revision, wait for that, and exit 7.
    #[arg(long)]
    pub rollback_on_failure: bool,
    /// `--force` (for the rollback, and promote's resume).
    #[command(flatten)]
    pub force: ForceFlag,
    /// `--bake`.
    #[command(flatten)]
    pub bake: BakeFlags,
}

/// The flags of a bake, shared by `status`, `promote` and `step --wait`.
#[derive(Debug, Clone, Args)]
pub struct BakeFlags {
    /// Once the rollout is complete, keep watching its new pods this long: one failing, restarting or not ready past the tolerance fails the bake (exit 3).
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub bake: Option<Duration>,
    /// How long a new pod may stay not ready during the bake before it fails it.
    #[arg(long, default_value = "30s", value_parser = parse_duration, value_name = "DURATION", requires = "bake")]
    pub bake_not_ready_tolerance: Duration,
}

impl BakeFlags {
    /// The bakes of `targets` targets, when `--bake` was given.
    pub fn bakes(&self, targets: usize) -> Option<Bakes> {
        self.bake
            .map(|d| Bakes::new(d, self.bake_not_ready_tolerance, targets))
    }
}

/// Runs `rollout status`.
pub async fn run(kube_args: &KubeArgs, args: &StatusArgs) -> Result<Exit> {
    let selection = target::parse(&args.targets, args.selector.as_deref())?;
    if matches!(args.output, Some(Output::Name | Output::Wide)) {
        return Err(UsageError("rollout status supports -o json only".into()).into());
    }
    if args.wait.rollback_on_failure && !args.watch {
        return Err(UsageError("--rollback-on-failure needs --watch".into()).into());
    }
    if args.wait.bake.bake.is_some() && !args.watch {
        return Err(UsageError("--bake needs --watch".into()).into());
    }
    let kube = api::connect(kube_args).await?;
    let scopes = fetch::resolve(&kube, &selection).await?;
    if args.wait.rollback_on_failure {
        // Refused now, not once the rollout failed: a script learns at once that this
        // rollback could not happen (Numaplane would revert it).
        owners::refuse_managed(
            &kube,
            &selection,
            "status --rollback-on-failure",
            args.wait.force.spec(),
        )
        .await?;
    }
    let (reports, unread) = if args.watch {
        wait(&kube, &scopes, args, args.wait.bake.bakes(scopes.len())).await?
    } else {
        let (reports, notices) = fetch::read_once(&kube, &scopes).await?;
        for notice in notices {
            eprintln!("{notice}");
        }
        print_once(&reports, args.output)?;
        (reports, 0)
    };
    let unread = if unread > 0 { Exit::TimedOut } else { Exit::Ok };
    if args.wait.rollback_on_failure
        && reports.len() == scopes.len()
        && reports.iter().any(|r| r.state == State::Degraded)
    {
        return roll_back(&kube, &scopes, &reports, args).await;
    }
    Ok(reports
        .iter()
        .map(|r| exit::of_state(r.state, args.watch))
        .fold(unread, Exit::worst))
}

/// `--rollback-on-failure`: undoes each degraded target to its previous revision,
/// waits for the rollbacks, and returns 7 when all completed, else 3 (both stories
/// printed). Targets that did not fail keep their own outcome.
async fn roll_back(
    kube: &Kube,
    scopes: &[Scope],
    reports: &[Report],
    args: &StatusArgs,
) -> Result<Exit> {
    let say = |line: String| {
        if args.output == Some(Output::Json) {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    };
    let mut exit = Exit::Ok;
    let mut rolled: Vec<(Scope, String, u64)> = Vec::new();
    let cause = history::command_line();
    let spec = args.wait.force.spec();
    for (s, r) in scopes.iter().zip(reports) {
        if r.state != State::Degraded {
            exit = exit.worst(exit::of_state(r.state, true));
            continue;
        }
        let group = owners::resolve(kube, &target::Selection::Named(vec![s.target.clone()]))
            .await
            .and_then(|mut g| g.pop().ok_or_else(|| anyhow!("nothing to roll back")));
        match group {
            Ok(g) => match undo::undo(kube, &g, None, &cause, DryRun::None, spec).await {
                Ok(w) => {
                    warn(&w, &g.owner, spec);
                    let Undone { from, now } = w.outcome;
                    say(format!(
                        "{}: rollout failed ({}); rolling back to revision {from} (recorded as revision {now})",
                        s.target, r.message
                    ));
                    rolled.push((s.clone(), r.message.clone(), from));
                }
                Err(e) => {
                    eprintln!(
                        "kubectl-numa: {}: rollout failed ({}), and the rollback failed: {e:#}",
                        s.target, r.message
                    );
                    exit = exit.worst(Exit::Degraded);
                }
            },
            Err(e) => {
                eprintln!(
                    "kubectl-numa: {}: rollout failed ({}), and the rollback failed: {e:#}",
                    s.target, r.message
                );
                exit = exit.worst(Exit::Degraded);
            }
        }
    }
    if rolled.is_empty() {
        return Ok(exit);
    }
    let again: Vec<Scope> = rolled.iter().map(|(s, _, _)| s.clone()).collect();
    // The rollback is waited for, not baked: it restores what ran before.
    let (after, _) = wait(kube, &again, args, None).await?;
    for (s, story, from) in &rolled {
        match after.iter().find(|r| r.name == s.target.name) {
            Some(r) if r.state == State::Complete => {
                say(format!(
                    "{}: rolled back to revision {from}: {}",
                    s.target, r.message
                ));
                exit = exit.worst(Exit::RolledBack);
            }
            other => {
                let why = other.map_or("it could not be read".to_string(), |r| r.message.clone());
                eprintln!(
                    "kubectl-numa: {}: rollout failed ({story}), and the rollback to revision {from} did not complete: {why}",
                    s.target
                );
                exit = exit.worst(Exit::Degraded);
            }
        }
    }
    Ok(exit)
}

fn print_once(reports: &[Report], output: Option<Output>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for r in reports {
        match output {
            Some(Output::Json) => writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json::report(r, false))?
            )?,
            _ => {
                for w in r.workloads.iter().filter(|_| r.workloads.len() > 1) {
                    writeln!(out, "{}", w.message)?;
                }
                writeln!(out, "{}", r.message)?;
            }
        }
    }
    Ok(())
}

/// Tracks when a target last moved, for the progress deadline.
struct Progress {
    signature: Option<Vec<(u32, u32, u32, State)>>,
    since: Instant,
}

impl Progress {
    /// Marks the report degraded when nothing moved for `deadline`.
    fn check(&mut self, r: &mut Report, deadline: Duration) {
        let sig: Vec<_> = r
            .workloads
            .iter()
            .map(|w| (w.updated, w.updated_ready, w.old, w.state))
            .collect();
        if self.signature.as_ref() != Some(&sig) {
            self.signature = Some(sig);
            self.since = Instant::now();
        }
        if r.state == State::Progressing && self.since.elapsed() >= deadline {
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

/// How long a final verdict the watches keep showing waits for another re-read when
/// the last one disagreed and nothing new arrived.
const RECHECK_AFTER: Duration = Duration::from_secs(2);

/// Every target read once more (see [`fetch::fetch`]) and evaluated now.
async fn confirm(
    kube: &Kube,
    scopes: &[Scope],
    progress: &mut [Progress],
    deadline: Duration,
    bakes: &mut Option<Bakes>,
) -> Result<Vec<Report>> {
    let fresh: Vec<Scope> = scopes
        .iter()
        .map(|s| Scope {
            prefetched: None,
            ..s.clone()
        })
        .collect();
    let worlds = futures::future::try_join_all(fresh.iter().map(|s| fetch::fetch(kube, s))).await?;
    let now = Timestamp::now();
    let mut reports = Vec::new();
    for (i, ((s, world), p)) in scopes.iter().zip(&worlds).zip(progress).enumerate() {
        match world.evaluate(s, now) {
            Evaluation::Report(mut r) => {
                p.check(&mut r, deadline);
                bake(bakes, i, &mut r);
                reports.push(r);
            }
            _ => return Err(fetch::not_found(kube, &s.target, &s.namespace).await),
        }
    }
    if let Some(b) = bakes {
        b.start(&mut reports, &[State::Complete], Instant::now());
    }
    Ok(reports)
}

/// Applies target `i`'s bake to its report, printing the notice of a superseded one.
fn bake(bakes: &mut Option<Bakes>, i: usize, r: &mut Report) {
    if let Some(notice) = bakes.as_mut().and_then(|b| b.apply(i, r, Instant::now())) {
        eprintln!("{notice}");
    }
}

fn scopes_label(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.target.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

enum Render {
    Live(live::Live, bool),
    Lines(Lines),
    Quiet,
}

/// Watches until every target is final (and baked, with `bakes`) or the timeout
/// passes; returns the last reports and how many targets could not be read before the
/// timeout.
async fn wait(
    kube: &Kube,
    scopes: &[Scope],
    args: &StatusArgs,
    mut bakes: Option<Bakes>,
) -> Result<(Vec<Report>, usize)> {
    let mut worlds = vec![World::default(); scopes.len()];
    let mut reports: Vec<Option<Report>> = vec![None; scopes.len()];
    let mut progress: Vec<Progress> = scopes
        .iter()
        .map(|_| Progress {
            signature: None,
            since: Instant::now(),
        })
        .collect();
    let mut render = match args.output {
        Some(Output::Json) => Render::Quiet,
        _ if std::io::stdout().is_terminal() => {
            Render::Live(live::Live::default(), style::color_enabled())
        }
        _ => Render::Lines(Lines::default()),
    };
    let mut watch = Watch::start(kube, scopes);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let deadline =
        (!args.wait.timeout.is_zero()).then(|| tokio::time::Instant::now() + args.wait.timeout);
    let timeout = async move {
        match deadline {
            Some(d) => tokio::time::sleep_until(d).await,
            None => futures::future::pending().await,
        }
    };
    tokio::pin!(timeout);
    let mut seen = vec![false; scopes.len()];
    let mut recording = Vec::new();
    let first_sync = watch::first_sync_deadline(kube);
    tokio::pin!(first_sync);
    let mut retries = watch::Retries::default();
    // The last re-read that did not confirm what the watches showed, and whether they
    // delivered anything since: re-reading is worth it only then, or after a while.
    let mut unconfirmed: Option<(Instant, Vec<Report>)> = None;
    let mut news = false;
    // Whether the watches delivered anything since the targets were last evaluated.
    let mut unevaluated = true;
    loop {
        tokio::select! {
            update = watch.next(&mut worlds) => match update {
                None => return Err(anyhow!("the watch ended unexpectedly")),
                Some(Update::Retrying(e)) => {
                    if let Some(notice) = retries.note(kube, e) {
                        eprintln!("{notice}");
                    }
                    continue;
                }
                Some(Update::Refused(e)) => return Err(anyhow!("watch {}: {e}", scopes_label(scopes))),
                Some(Update::Changed(_)) => {
                    news = true;
                    unevaluated = true;
                }
            },
            _ = tick.tick() => {}
            _ = &mut timeout => break,
            _ = &mut first_sync, if !seen.iter().all(|s| *s) => {
                return Err(retries.unreachable(kube));
            }
        }
        // A tick with nothing new: evaluating every pod again (30 ms at 20,000 pods)
        // would give the same reports, so only the progress deadline is checked. Not
        // with a live view (its clock moves) or a bake (it counts down), nor while a
        // verdict waits to be confirmed.
        let idle = !std::mem::take(&mut unevaluated)
            && !matches!(render, Render::Live(..))
            && bakes.is_none()
            && reports.iter().all(|r| {
                r.as_ref()
                    .is_some_and(|r| !r.state.is_final() && !r.may_change_with_time())
            });
        if idle {
            let before: Vec<State> = reports.iter().flatten().map(|r| r.state).collect();
            for (i, r) in reports.iter_mut().enumerate() {
                if let Some(r) = r {
                    progress[i].check(r, args.wait.progress_deadline);
                }
            }
            if reports.iter().flatten().map(|r| r.state).eq(before) {
                continue;
            }
        }
        let now = Timestamp::now();
        for (i, s) in scopes.iter().enumerate().filter(|_| !idle) {
            match worlds[i].evaluate(s, now) {
                Evaluation::Syncing => {}
                Evaluation::Missing if seen[i] => {
                    return Err(anyhow!(
                        "{} {:?} was deleted while waiting for its rollout",
                        s.target.kind,
                        s.target.name
                    ))
                }
                Evaluation::Missing => {
                    return Err(fetch::not_found(kube, &s.target, &s.namespace).await)
                }
                Evaluation::Report(mut r) => {
                    if !seen[i] {
                        if let Some((obj, owner)) = worlds[i].spec_owner(s) {
                            let (kube, obj) = (kube.clone(), obj.clone());
                            recording.push(tokio::spawn(async move {
                                if let Some(notice) =
                                    history::record_if_new(&kube, &obj, owner).await
                                {
                                    eprintln!("{notice}");
                                }
                            }));
                        }
                    }
                    seen[i] = true;
                    progress[i].check(&mut r, args.wait.progress_deadline);
                    bake(&mut bakes, i, &mut r);
                    reports[i] = Some(r);
                }
            }
        }
        let mut ready: Vec<Report> = reports.iter().flatten().cloned().collect();
        let mut done = ready.len() == scopes.len() && ready.iter().all(|r| r.state.is_final());
        if done {
            // Watches of different kinds deliver events in no common order: a Pipeline
            // may be seen to have observed a change before the Vertex it copied it into.
            // A final verdict is read again, owners first, before the command ends on it.
            let worth_it = news
                || unconfirmed
                    .as_ref()
                    .is_none_or(|(at, _)| at.elapsed() >= RECHECK_AFTER);
            done = false;
            if !worth_it {
                ready = unconfirmed.as_ref().map_or(ready, |(_, r)| r.clone());
            } else {
                news = false;
                match confirm(
                    kube,
                    scopes,
                    &mut progress,
                    args.wait.progress_deadline,
                    &mut bakes,
                )
                .await
                {
                    Ok(fresh) => {
                        done = fresh.iter().all(|r| r.state.is_final());
                        unconfirmed = (!done).then(|| (Instant::now(), fresh.clone()));
                        reports = fresh.iter().cloned().map(Some).collect();
                        ready = fresh;
                    }
                    Err(e) => {
                        eprintln!(
                            "kubectl-numa: could not read the targets again to confirm ({e:#}); still watching..."
                        );
                        unconfirmed = Some((Instant::now(), ready.clone()));
                    }
                }
            }
        }
        let mut out = std::io::stdout().lock();
        match &mut render {
            Render::Live(l, color) => l.draw(&mut out, live::frame(&ready, *color))?,
            Render::Lines(l) => l.update(&mut out, &ready)?,
            Render::Quiet => {}
        }
        if done {
            break;
        }
    }
    for task in recording {
        let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
    }
    let done: Vec<Report> = reports.into_iter().flatten().collect();
    let unread = scopes.len() - done.len();
    if unread > 0 {
        eprintln!("kubectl-numa: timed out before {unread} target(s) could be read");
    }
    let mut out = std::io::stdout().lock();
    for r in &done {
        match args.output {
            Some(Output::Json) => writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json::report(r, false))?
            )?,
            _ if r.state == State::Progressing => {
                match r.bake.as_ref().filter(|b| b.result == BakeResult::Baking) {
                    Some(b) => eprintln!(
                        "kubectl-numa: timed out during the bake of {} {:?} (baked {} of {})",
                        r.kind,
                        r.name,
                        humanize(b.baked),
                        humanize(b.duration)
                    ),
                    None => eprintln!(
                        "kubectl-numa: timed out waiting for {} {:?}: {}",
                        r.kind, r.name, r.message
                    ),
                }
            }
            _ => {}
        }
    }
    Ok((done, unread))
}
