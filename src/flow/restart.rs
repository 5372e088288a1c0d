//! `rollout restart`: replace every pod of each workload, a batch at a time, waiting for
//! each batch's replacements to be Ready; SIGINT finishes the batch in flight.

use std::io::Write;
use std::time::Duration;

use anyhow::{anyhow, Result};
use futures::FutureExt;
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, DeleteParams};
use tokio::signal::unix::{signal, Signal, SignalKind};

use crate::api::fetch::{self, Evaluation, Scope, World};
use crate::api::watch::{Update, Watch};
use crate::api::{self, is_not_found, Kube};
use crate::exit::Exit;
use crate::rollout::assess::Assessment;
use crate::rollout::dry_run::DryRun;
use crate::rollout::kinds::{vertex_pipeline, vertex_short_name};
use crate::rollout::restart::{self, Batch, End, PodRef, Tally};
use crate::target::{Kind, Selection, Target};
use crate::view::outcome::WriteOutput;
use crate::view::restart as show;

/// How to restart (the flags of `rollout restart`).
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Restart even while a rollout is in progress, failing or paused.
    pub force: bool,
    /// How long a batch's replacements may take to be Ready (exit 4 after).
    pub timeout: Duration,
    /// `--dry-run`.
    pub dry_run: DryRun,
    /// `-o`.
    pub output: Option<WriteOutput>,
}

/// Restarts every pod of `selection`'s workloads, a batch at a time.
pub async fn run(kube: &Kube, selection: &Selection, args: &Options) -> Result<Exit> {
    let scopes = fetch::resolve(kube, selection).await?;
    let jobs = plan(kube, &scopes).await?;
    let refusals: Vec<String> = jobs
        .iter()
        .filter_map(|j| restart::refusal(&j.start, &scopes[j.target].target.to_string()))
        .collect();
    if !refusals.is_empty() && !args.force {
        return Err(anyhow!("restart refused: {}", refusals.join("; ")));
    }
    let quiet = args.output.is_some();
    let say = |line: String| {
        if quiet {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    };
    if args.dry_run.is_dry() {
        return dry_run(kube, &scopes, &jobs, args).await;
    }
    // Before the first delete: may we delete these pods at all? (A server dry run of
    // one delete per workload; a viewer fails here with nothing restarted.)
    for job in &jobs {
        if let Some(p) = restart::originals(&job.start).first() {
            delete_pod(kube, job, &p.name, true).await?;
        }
    }

    crate::defer_interrupt();
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut interrupted = false;
    let mut tallies: Vec<Tally> = Vec::new();
    for job in &jobs {
        if interrupted {
            tallies.push(Tally {
                label: job.label.clone(),
                kind: job.start.kind,
                name: job.start.name.clone(),
                target: job.target,
                total: 0,
                replaced: 0,
                left: vec![],
                end: End::NotStarted,
            });
            continue;
        }
        match restart_one(kube, job, args, &mut sigint, &mut interrupted, &say).await? {
            Ok(t) => tallies.push(t),
            Err(exit) => return Ok(exit),
        }
    }
    let mut out = std::io::stdout().lock();
    for (i, s) in scopes.iter().enumerate() {
        let mine: Vec<&Tally> = tallies.iter().filter(|t| t.target == i).collect();
        let done = mine.iter().all(|t| t.end == End::Done);
        match args.output {
            Some(WriteOutput::Json) => {
                let doc = show::result_json(&s.target, &s.namespace, &mine);
                writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
            }
            Some(WriteOutput::Name) if done => writeln!(out, "{}", s.target)?,
            Some(WriteOutput::Name) => {}
            _ if done => writeln!(out, "{} restarted", s.target)?,
            _ => {}
        }
    }
    if tallies.iter().all(|t| t.end == End::Done) {
        // Also when Ctrl-C came during the last batch: everything was restarted.
        return Ok(Exit::Ok);
    }
    for t in &tallies {
        match t.end {
            End::Done => {}
            End::Interrupted => eprintln!(
                "kubectl-numa: restart interrupted: {}: {} of {} pods replaced; not restarted: {}",
                t.label,
                t.replaced,
                t.total,
                t.left.join(", ")
            ),
            End::NotStarted => eprintln!(
                "kubectl-numa: restart interrupted: {}: not started",
                t.label
            ),
        }
    }
    Ok(Exit::Interrupted)
}

/// One vertex or monovertex to restart.
struct Job {
    /// The target it belongs to (index into the targets).
    target: usize,
    /// `vertex/p-cat` or `monovertex/m`.
    label: String,
    /// What to watch.
    scope: Scope,
    /// Its state when the restart was planned.
    start: Assessment,
}

fn workload_scope(kind: Kind, name: &str, ns: &str, vertex_of: Option<(String, String)>) -> Scope {
    Scope {
        target: Target {
            kind,
            name: name.to_string(),
        },
        namespace: ns.to_string(),
        vertex_of,
        prefetched: None,
    }
}

/// Reads every target once and lists the workloads to restart, in order.
async fn plan(kube: &Kube, scopes: &[Scope]) -> Result<Vec<Job>> {
    let mut jobs = Vec::new();
    for (i, s) in scopes.iter().enumerate() {
        let world = fetch::fetch(kube, s).await?;
        let Evaluation::Report(report) = world.evaluate(s, Timestamp::now()) else {
            return Err(fetch::not_found(kube, &s.target, &s.namespace).await);
        };
        for a in report.workloads {
            let scope = match s.target.kind {
                Kind::MonoVertex => workload_scope(Kind::MonoVertex, &a.name, &s.namespace, None),
                Kind::Vertex => s.clone(),
                Kind::Pipeline => {
                    let v = world
                        .vertices
                        .get(&a.name)
                        .ok_or_else(|| anyhow!("vertex {:?} vanished", a.name))?;
                    let of = (
                        vertex_pipeline(v).unwrap_or_default().to_string(),
                        vertex_short_name(v).unwrap_or_default().to_string(),
                    );
                    workload_scope(Kind::Vertex, &a.name, &s.namespace, Some(of))
                }
            };
            let label = format!("{}/{}", a.kind, a.name);
            jobs.push(Job {
                target: i,
                label,
                scope,
                start: a,
            });
        }
    }
    Ok(jobs)
}

async fn dry_run(kube: &Kube, scopes: &[Scope], jobs: &[Job], args: &Options) -> Result<Exit> {
    let mut out = std::io::stdout().lock();
    for job in jobs {
        let pods = restart::originals(&job.start);
        let batch = restart::batch_size(&job.start.strategy, job.start.desired) as usize;
        if args.dry_run == DryRun::Server {
            for p in &pods {
                delete_pod(kube, job, &p.name, true).await?;
            }
        }
        if args.output.is_some() {
            continue;
        }
        let batches: Vec<String> = pods
            .chunks(batch)
            .map(|c| {
                c.iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        writeln!(
            out,
            "{}: would restart {} pods, {batch} at a time{}",
            job.label,
            pods.len(),
            args.dry_run.suffix()
        )?;
        for (i, b) in batches.iter().enumerate() {
            writeln!(out, "  batch {}: {b}", i + 1)?;
        }
    }
    for s in scopes {
        match args.output {
            Some(WriteOutput::Json) => writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&show::plan_json(
                    &s.target,
                    &s.namespace,
                    args.dry_run,
                    &jobs
                        .iter()
                        .filter(|j| scopes[j.target].target == s.target)
                        .map(|j| &j.start)
                        .collect::<Vec<_>>(),
                ))?
            )?,
            Some(WriteOutput::Name) => writeln!(out, "{}", s.target)?,
            _ => writeln!(out, "{} restarted{}", s.target, args.dry_run.suffix())?,
        }
    }
    Ok(Exit::Ok)
}

/// Deletes one pod gracefully (`dry_run`: with the server's dry run); a pod already
/// gone is fine.
async fn delete_pod(kube: &Kube, job: &Job, pod: &str, dry_run: bool) -> Result<()> {
    let api: Api<Pod> = Api::namespaced(kube.client.clone(), &job.scope.namespace);
    let dp = DeleteParams {
        dry_run,
        ..DeleteParams::default()
    };
    let what = format!("restart {}: delete pod {pod}", job.label);
    match kube.timed(&what, api.delete(pod, &dp)).await? {
        Ok(_) => Ok(()),
        Err(e) if is_not_found(&e) => Ok(()),
        Err(e) => Err(api::describe(e, &what, &kube.server)),
    }
}

/// The workload's state from its watched world, once everything is listed.
fn current(job: &Job, world: &World) -> Result<Option<Assessment>> {
    match world.evaluate(&job.scope, Timestamp::now()) {
        Evaluation::Syncing => Ok(None),
        Evaluation::Missing => Err(anyhow!("{} was deleted during the restart", job.label)),
        Evaluation::Report(mut r) => Ok(r.workloads.pop()),
    }
}

/// Restarts one workload. `Ok(Err(exit))` ends the command with that exit code
/// (a failing replacement or a timeout, already reported).
async fn restart_one(
    kube: &Kube,
    job: &Job,
    args: &Options,
    sigint: &mut Signal,
    interrupted: &mut bool,
    say: &dyn Fn(String),
) -> Result<Result<Tally, Exit>> {
    let mut worlds = vec![World::default()];
    let mut watch = Watch::start(kube, std::slice::from_ref(&job.scope));
    let mut a = loop {
        match watch.next(&mut worlds).await {
            None => return Err(anyhow!("the watch ended unexpectedly")),
            Some(Update::Refused(e)) => return Err(anyhow!("restart {}: watch: {e}", job.label)),
            Some(Update::Retrying(_)) => continue,
            Some(Update::Changed(_)) => {}
        }
        if let Some(a) = current(job, &worlds[0])? {
            break a;
        }
    };
    let originals = restart::originals(&a);
    let batch = restart::batch_size(&a.strategy, a.desired) as usize;
    let start_hash = a.update_hash.clone();
    let total = originals.len();
    let mut replaced = 0;
    say(format!(
        "{}: restarting {total} pods, {batch} at a time",
        job.label
    ));
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    for chunk in originals.chunks(batch.max(1)) {
        if matches!(sigint.recv().now_or_never(), Some(Some(()))) {
            *interrupted = true;
        }
        if *interrupted {
            break;
        }
        for p in chunk {
            delete_pod(kube, job, &p.name, false).await?;
        }
        say(format!(
            "{}: deleted {} ({} of {total})",
            job.label,
            chunk
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            replaced + chunk.len()
        ));
        let deadline = tokio::time::Instant::now() + args.timeout;
        loop {
            match restart::batch_state(chunk, &originals, &a, start_hash.as_deref()) {
                Batch::Done => break,
                Batch::Waiting { .. } => {}
                Batch::Failed(pod, f) => {
                    let container = f
                        .container
                        .map(|c| format!(" container {c}"))
                        .unwrap_or_default();
                    eprintln!(
                        "kubectl-numa: restart {} stopped after {replaced} of {total} pods: replacement pod {pod}{container}: {}: {}",
                        job.label, f.reason, f.message
                    );
                    return Ok(Err(Exit::Degraded));
                }
                Batch::RolloutStarted => {
                    return Err(anyhow!(
                    "restart {} stopped after {replaced} of {total} pods: a new rollout started \
(the spec changed); wait for it with `kubectl numa rollout status {}`",
                    job.label,
                    job.label
                ))
                }
            }
            tokio::select! {
                u = watch.next(&mut worlds) => match u {
                    None => return Err(anyhow!("the watch ended unexpectedly")),
                    Some(Update::Refused(e)) => return Err(anyhow!("restart {}: watch: {e}", job.label)),
                    Some(Update::Retrying(_)) | Some(Update::Changed(_)) => {}
                },
                _ = sigint.recv(), if !*interrupted => {
                    *interrupted = true;
                    eprintln!("kubectl-numa: interrupted: finishing the batch in flight (Ctrl-C again to stop at once)...");
                }
                _ = tick.tick() => {}
                _ = tokio::time::sleep_until(deadline) => {
                    eprintln!(
                        "kubectl-numa: restart {} timed out after {replaced} of {total} pods: the replacements of {} were not Ready within {:?} (--timeout)",
                        job.label,
                        chunk.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "),
                        args.timeout
                    );
                    return Ok(Err(Exit::TimedOut));
                }
            }
            if let Some(now) = current(job, &worlds[0])? {
                a = now;
            }
        }
        replaced += chunk.len();
        say(format!(
            "{}: {replaced} of {total} pods replaced and Ready",
            job.label
        ));
    }
    let left: Vec<String> = originals[replaced..]
        .iter()
        .map(|p: &PodRef| p.name.clone())
        .collect();
    Ok(Ok(Tally {
        label: job.label.clone(),
        kind: job.start.kind,
        name: job.start.name.clone(),
        target: job.target,
        total,
        replaced,
        end: if left.is_empty() {
            End::Done
        } else {
            End::Interrupted
        },
        left,
    }))
}
