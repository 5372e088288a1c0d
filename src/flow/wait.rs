//! The wait for rollouts that `rollout status` and `rollout promote` run: watch the
//! targets, evaluate them, re-read a final verdict, draw, and end with an exit code.
//! Every decision is [`crate::rollout::wait::Wait`]'s; this loop feeds it.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};
use k8s_openapi::jiff::Timestamp;

use super::rollback;
use crate::api::fetch::{self, Evaluation, Scope, World};
use crate::api::watch::{self, Update, Watch};
use crate::api::{history, log, owners, Kube};
use crate::exit::{self, Exit};
use crate::flags::WaitFlags;
use crate::rollout::bake::{BakeResult, Bakes};
use crate::rollout::duration::humanize;
use crate::rollout::report::Report;
use crate::rollout::wait::{Tick, Verdict, Wait};
use crate::rollout::watchdog::Watchdog;
use crate::rollout::State;
use crate::target::Selection;
use crate::view::model::Target;
use crate::view::{json, lines::Lines, live, style, Output};

/// What `rollout status` (and promote, after its resume) does once connected: waits
/// for `selection` (or, without `watch`, reads it once), rolls back with
/// `--rollback-on-failure`, and returns the exit code of the whole.
pub async fn status(
    kube: &Kube,
    selection: &Selection,
    watch: bool,
    flags: &WaitFlags,
    output: Option<Output>,
) -> Result<Exit> {
    let scopes = fetch::resolve(kube, selection).await?;
    if flags.rollback_on_failure {
        // Refused now, not once the rollout failed: a script learns at once that this
        // rollback could not happen (Numaplane would revert it).
        owners::refuse_managed(
            kube,
            selection,
            "status --rollback-on-failure",
            flags.force.spec(),
        )
        .await?;
    }
    let (reports, unread) = if watch {
        wait(kube, &scopes, flags, output, flags.bake.bakes(scopes.len())).await?
    } else {
        let (reports, notices) = fetch::read_once(kube, &scopes).await?;
        for notice in notices {
            eprintln!("{notice}");
        }
        print_once(&reports, output)?;
        (reports, 0)
    };
    if flags.rollback_on_failure
        && reports.len() == scopes.len()
        && reports.iter().any(|r| r.state == State::Degraded)
    {
        return rollback::roll_back(kube, &scopes, &reports, flags, output).await;
    }
    Ok(exit::of_wait(
        reports.iter().map(|r| r.state),
        unread,
        watch,
    ))
}

fn print_json(out: &mut impl Write, r: &Report) -> Result<()> {
    let doc = json::report(&Target::of(r, false));
    writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    Ok(())
}

fn print_once(reports: &[Report], output: Option<Output>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for r in reports {
        match output {
            Some(Output::Json) => print_json(&mut out, r)?,
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

/// Every target read once more (see [`fetch::fetch`]), owners first, and evaluated now.
async fn reread(kube: &Kube, scopes: &[Scope]) -> Result<Vec<Report>> {
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
    for (s, world) in scopes.iter().zip(&worlds) {
        match world.evaluate(s, now) {
            Evaluation::Report(r) => reports.push(r),
            _ => return Err(fetch::not_found(kube, &s.target, &s.namespace).await),
        }
    }
    Ok(reports)
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

impl Render {
    fn of(output: Option<Output>) -> Render {
        match output {
            Some(Output::Json) => Render::Quiet,
            _ if std::io::stdout().is_terminal() => {
                Render::Live(live::Live::default(), style::color_enabled())
            }
            _ => Render::Lines(Lines::default()),
        }
    }

    fn draw(&mut self, reports: &[Report]) -> Result<()> {
        let mut out = std::io::stdout().lock();
        match self {
            Render::Live(l, color) => {
                l.draw(&mut out, live::frame(&Target::all(reports, false), *color))?
            }
            Render::Lines(l) => l.update(&mut out, &Target::all(reports, false))?,
            Render::Quiet => {}
        }
        Ok(())
    }
}

/// Watches until every target is final (and baked, with `bakes`) or the timeout
/// passes; returns the last reports and how many targets could not be read before the
/// timeout.
pub async fn wait(
    kube: &Kube,
    scopes: &[Scope],
    flags: &WaitFlags,
    output: Option<Output>,
    bakes: Option<Bakes>,
) -> Result<(Vec<Report>, usize)> {
    let mut worlds = vec![World::default(); scopes.len()];
    let mut render = Render::of(output);
    let clocked = matches!(render, Render::Live(..));
    let mut state = Wait::new(
        scopes.len(),
        flags.progress_deadline,
        bakes,
        clocked,
        Instant::now(),
    );
    let mut watch = Watch::start(kube, scopes);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let deadline = (!flags.timeout.is_zero()).then(|| tokio::time::Instant::now() + flags.timeout);
    let timeout = async move {
        match deadline {
            Some(d) => tokio::time::sleep_until(d).await,
            None => futures::future::pending().await,
        }
    };
    tokio::pin!(timeout);
    let mut recording = Vec::new();
    let first_sync = watch::first_sync_deadline(kube);
    tokio::pin!(first_sync);
    let mut retries = watch::Retries::default();
    let mut dog = Watchdog::new(Instant::now());
    let mut waiting_for: Vec<String> = Vec::new();
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
                    dog.heard(Instant::now());
                    state.changed()
                }
            },
            _ = tick.tick() => {}
            _ = &mut timeout => break,
            _ = &mut first_sync, if !(0..scopes.len()).all(|i| state.seen(i)) => {
                return Err(retries.unreachable(kube));
            }
        }
        if kube.verbosity >= log::CONNECTION {
            if let Some(quiet) = dog.due(Instant::now()) {
                log::line(&format!(
                    "no watch event for {}; still waiting for: {}",
                    humanize(quiet),
                    if waiting_for.is_empty() {
                        "the first read".to_string()
                    } else {
                        waiting_for.join("; ")
                    }
                ));
            }
        }
        match state.tick(Instant::now()) {
            Tick::Unchanged => continue,
            Tick::Expired => {}
            Tick::Evaluate => {
                let now = Timestamp::now();
                for (i, s) in scopes.iter().enumerate() {
                    match worlds[i].evaluate(s, now) {
                        Evaluation::Syncing => {}
                        Evaluation::Missing if state.seen(i) => {
                            return Err(anyhow!(
                                "{} {:?} was deleted while waiting for its rollout",
                                s.target.kind,
                                s.target.name
                            ))
                        }
                        Evaluation::Missing => {
                            return Err(fetch::not_found(kube, &s.target, &s.namespace).await)
                        }
                        Evaluation::Report(r) => {
                            if !state.seen(i) {
                                recording.extend(record(kube, &worlds[i], s));
                            }
                            state.evaluated(i, r, Instant::now());
                            superseded(&mut state, &mut render, scopes);
                        }
                    }
                }
            }
        }
        let (reports, done) = match state.verdict(Instant::now()) {
            Verdict::Show(reports) => (reports, false),
            Verdict::Confirm => match reread(kube, scopes).await {
                Ok(fresh) => state.confirmed(fresh, Instant::now()),
                Err(e) => {
                    eprintln!(
                        "kubectl-numa: could not read the targets again to confirm ({e:#}); still watching..."
                    );
                    (state.unconfirmed(Instant::now()), false)
                }
            },
        };
        superseded(&mut state, &mut render, scopes);
        waiting_for = reports
            .iter()
            .filter(|r| r.state == State::Progressing)
            .map(|r| r.message.clone())
            .collect();
        render.draw(&reports)?;
        if done {
            break;
        }
    }
    for task in recording {
        let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
    }
    let done = state.finish();
    let unread = scopes.len() - done.len();
    if unread > 0 {
        eprintln!("kubectl-numa: timed out before {unread} target(s) could be read");
    }
    print_last(&done, output)?;
    Ok((done, unread))
}

/// Prints the notices of bakes a new spec superseded; plain output then prints the
/// next bake's first line again, even when it is the last one printed.
fn superseded(state: &mut Wait, render: &mut Render, scopes: &[Scope]) {
    for (i, notice) in state.superseded() {
        eprintln!("{notice}");
        if let Render::Lines(l) = render {
            let s = &scopes[i];
            l.forget(&s.namespace, s.target.kind, &s.target.name);
        }
    }
}

/// Records the spec a target is first seen with as a revision (in the background).
fn record(kube: &Kube, world: &World, s: &Scope) -> Option<tokio::task::JoinHandle<()>> {
    let (obj, owner) = world.spec_owner(s)?;
    let (kube, obj) = (kube.clone(), obj.clone());
    Some(tokio::spawn(async move {
        if let Some(notice) = history::record_if_new(&kube, &obj, owner).await {
            eprintln!("{notice}");
        }
    }))
}

/// The end of a wait: every report as JSON, or, in plain output, why each target
/// still progressing timed out.
fn print_last(done: &[Report], output: Option<Output>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for r in done {
        match output {
            Some(Output::Json) => print_json(&mut out, r)?,
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
    Ok(())
}
