//! `rollout step`: let N more pods of a paused rollout through, then hold again (the
//! zero step put back), and with `--wait` wait for them to be Ready and bake them.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use futures::StreamExt;
use k8s_openapi::jiff::Timestamp;
use kube::api::DynamicObject;
use kube::ResourceExt;
use tokio::signal::unix::{signal, SignalKind};

use super::patch::warn;
use crate::api::fetch::{self, Evaluation, World};
use crate::api::owners;
use crate::api::watch::{self, Update, Watch};
use crate::api::write::{self, Spec};
use crate::api::{describe, Kube};
use crate::exit::Exit;
use crate::flags::BakeFlags;
use crate::rollout::assess::desired;
use crate::rollout::bake::BakeResult;
use crate::rollout::dry_run::DryRun;
use crate::rollout::edit::{self, workload_label};
use crate::rollout::owner::{Group, Owner};
use crate::rollout::report::Report;
use crate::rollout::step::{self, Step};
use crate::rollout::State;
use crate::target::{Kind, Selection};

/// What to step, and how (the flags of `rollout step`).
#[derive(Debug, Clone)]
pub struct Options {
    /// The target as written (`--wait` watches it).
    pub selection: Selection,
    /// `--pods N`.
    pub pods: Option<u32>,
    /// `--percent P`.
    pub percent: Option<u32>,
    /// `--wait`.
    pub wait: bool,
    /// `--timeout`: the whole command, the bake included.
    pub timeout: Duration,
    /// The spec write asked (`--force`).
    pub spec: Spec,
    /// `--bake` and its not-ready tolerance.
    pub bake: BakeFlags,
}

/// What one workload's step is about.
struct Job {
    key: String,
    label: String,
    workload: String,
    hash: String,
    step: Step,
}

fn num(v: &DynamicObject, field: &str) -> u32 {
    v.data["status"][field].as_u64().unwrap_or(0) as u32
}

fn text(v: &DynamicObject, field: &str) -> String {
    v.data["status"][field]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The object whose status tells the step's progress.
fn workload_of(owner_kind: Kind, owner_name: &str, key: &str) -> (Kind, String) {
    match owner_kind {
        Kind::Pipeline => (Kind::Vertex, format!("{owner_name}-{key}")),
        k => (k, owner_name.to_string()),
    }
}

async fn get(kube: &Kube, kind: Kind, ns: &str, name: &str) -> Result<DynamicObject> {
    let what = format!("read {kind}/{name}");
    kube.timed(&what, kube.numaflow(kind, ns).get(name))
        .await?
        .map_err(|e| describe(e, &what, &kube.server))
}

/// Puts the zero step back for `keys` (a no-op when already done).
async fn hold(kube: &Kube, group: &Group, keys: &[String], spec: Spec) -> Result<()> {
    let kind = group.owner.kind;
    write::write(
        kube,
        &group.owner,
        &format!("hold {}", group.owner),
        DryRun::None,
        spec,
        |obj| step::finish(kind, obj, keys),
    )
    .await?;
    Ok(())
}

/// How long `step` waits for the controllers to see the latest spec (say, right after
/// `set image`) before it gives up.
const OBSERVE_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Reads the workload once the controllers have seen the latest spec: its owner's (the
/// Pipeline copies definitions into Vertex objects) and its own.
async fn observed_workload(
    kube: &Kube,
    owner: &Owner,
    kind: Kind,
    name: &str,
    label: &str,
) -> Result<DynamicObject> {
    let start = std::time::Instant::now();
    loop {
        let owner_obj = owners::get(kube, owner).await?;
        let w = get(kube, kind, &owner.namespace, name).await?;
        let owner_seen =
            owner.kind != Kind::Pipeline || crate::rollout::kinds::observed(&owner_obj);
        if owner_seen && crate::rollout::kinds::observed(&w) {
            return Ok(w);
        }
        if start.elapsed() > OBSERVE_WAIT {
            bail!("{label}: the controller has not seen the latest spec after {OBSERVE_WAIT:?}; try again later");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Steps `group`'s workloads (see the module docs).
pub async fn run(kube: &Kube, group: &Group, args: &Options) -> Result<Exit> {
    let owner = &group.owner;
    let obj = owners::get(kube, owner).await?;
    write::guard(
        &obj,
        owner,
        &format!("step {}", group.members[0].target),
        args.spec,
    )?;
    let keys = edit::select_keys(owner.kind, &obj, &group.wanted())?;
    let mut jobs = Vec::new();
    for key in &keys {
        let label = workload_label(owner.kind, &obj.name_any(), key);
        let (wkind, wname) = workload_of(owner.kind, &owner.name, key);
        let w = observed_workload(kube, owner, wkind, &wname, &label).await?;
        let (update, current) = (text(&w, "updateHash"), text(&w, "currentHash"));
        if update.is_empty() || update == current {
            bail!("{label}: no update pending (every pod runs the current spec); set a new image first");
        }
        // Observed (see observed_workload): the controller's count once it wrote one.
        let desired = desired(&w.data["spec"], &w.data["status"], true);
        let updated = num(&w, "updatedReplicas");
        let n = step::count(args.pods, args.percent, desired, updated);
        if n == 0 {
            println!("{label}: nothing to step ({updated} of {desired} pods already updated)");
            continue;
        }
        jobs.push(Job {
            key: key.clone(),
            label,
            workload: wname,
            hash: update,
            step: Step {
                goal: updated + n,
                max_unavailable: n,
            },
        });
    }
    if jobs.is_empty() {
        return Ok(Exit::Ok);
    }
    let steps: Vec<(String, Step)> = jobs.iter().map(|j| (j.key.clone(), j.step)).collect();
    let kind = owner.kind;
    crate::defer_interrupt();
    let mut sigint = signal(SignalKind::interrupt())?;
    let spec = args.spec;
    let started = write::write(
        kube,
        owner,
        &format!("step {owner}"),
        DryRun::None,
        spec,
        |o| step::start(kind, o, &steps),
    )
    .await?;
    warn(&started, owner, spec);
    let deadline = tokio::time::Instant::now() + args.timeout;
    let (wkind, _) = workload_of(owner.kind, &owner.name, "");
    let names: Vec<String> = jobs.iter().map(|j| j.workload.clone()).collect();
    let mut seen = watch::objects(kube, wkind, &owner.namespace, &names);
    let mut pending: BTreeSet<usize> = (0..jobs.len()).collect();
    while !pending.is_empty() {
        let keys = || -> Vec<String> { pending.iter().map(|&i| jobs[i].key.clone()).collect() };
        tokio::select! {
            item = seen.next() => match item {
                Some(Ok((i, w))) if pending.contains(&i) => {
                    let j = &jobs[i];
                    let changed = text(&w, "updateHash") != j.hash;
                    if num(&w, "updatedReplicas") < j.step.goal && !changed {
                        continue;
                    }
                    hold(kube, group, std::slice::from_ref(&j.key), spec).await?;
                    pending.remove(&i);
                    if changed {
                        eprintln!("kubectl-numa: {}: the spec changed during the step; held again", j.label);
                    } else {
                        println!(
                            "{} stepped: {} of {} pods on the new revision; held again",
                            j.label,
                            num(&w, "updatedReplicas"),
                            num(&w, "desiredReplicas")
                        );
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    hold(kube, group, &keys(), spec).await?;
                    bail!("watch {}: {e}; {} held again", wkind.plural(), group.owner);
                }
                None => {
                    hold(kube, group, &keys(), spec).await?;
                    bail!("the watch of {} ended unexpectedly; {} held again", wkind.plural(), group.owner);
                }
            },
            _ = sigint.recv() => {
                hold(kube, group, &keys(), spec).await?;
                eprintln!("kubectl-numa: interrupted; {} held again", group.owner);
                return Ok(Exit::Interrupted);
            }
            _ = tokio::time::sleep_until(deadline) => {
                hold(kube, group, &keys(), spec).await?;
                eprintln!("kubectl-numa: timed out before the step was taken; {} held again", group.owner);
                return Ok(Exit::TimedOut);
            }
        }
    }
    if !args.wait {
        return Ok(Exit::Ok);
    }
    wait_ready(kube, args, &jobs, deadline, &mut sigint).await
}

/// `--wait`: until every stepped workload has `goal` updated Ready pods; degraded as
/// `rollout status` sees it. With `--bake`, the new pods are then baked: the bake
/// ends as the step does when the spec changes (a notice, exit 0).
async fn wait_ready(
    kube: &Kube,
    args: &Options,
    jobs: &[Job],
    deadline: tokio::time::Instant,
    sigint: &mut tokio::signal::unix::Signal,
) -> Result<Exit> {
    let scopes = fetch::resolve(kube, &args.selection).await?;
    let mut worlds = vec![World::default(); scopes.len()];
    let mut watch = Watch::start(kube, &scopes);
    let mut retries = watch::Retries::default();
    let mut bakes = args.bake.bakes(scopes.len());
    let (mut baking, mut was_ready) = (false, false);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            update = watch.next(&mut worlds) => match update {
                None => bail!("the watch ended unexpectedly (the target holds)"),
                Some(Update::Refused(e)) => bail!("watch: {e} (the target holds)"),
                Some(Update::Retrying(e)) => {
                    if let Some(notice) = retries.note(kube, e) {
                        eprintln!("{notice}");
                    }
                    continue;
                }
                Some(Update::Changed(_)) => {}
            },
            _ = tick.tick(), if baking => {}
            _ = sigint.recv() => return Ok(Exit::Interrupted),
            _ = tokio::time::sleep_until(deadline) => {
                if baking {
                    eprintln!("kubectl-numa: timed out during the bake of the stepped pods (the target holds)");
                } else {
                    eprintln!("kubectl-numa: timed out waiting for the stepped pods to be Ready (the target holds)");
                }
                return Ok(Exit::TimedOut);
            }
        }
        let now = Timestamp::now();
        let mut reports: Vec<Report> = scopes
            .iter()
            .zip(&worlds)
            .filter_map(|(s, world)| match world.evaluate(s, now) {
                Evaluation::Report(r) => Some(r),
                _ => None,
            })
            .collect();
        if let (true, Some(b)) = (baking, bakes.as_mut()) {
            for (i, r) in reports.iter_mut().enumerate() {
                if let Some(notice) = b.apply(i, r, Instant::now()) {
                    eprintln!("{notice}");
                    return Ok(Exit::Ok);
                }
            }
        }
        if let Some(r) = reports.iter().find(|r| r.state == State::Degraded) {
            eprintln!("kubectl-numa: {}", r.message);
            return Ok(Exit::Degraded);
        }
        if baking {
            if reports.iter().all(|r| {
                r.bake
                    .as_ref()
                    .is_some_and(|b| b.result == BakeResult::Passed)
            }) {
                for r in &reports {
                    println!("{}", r.message);
                }
                return Ok(Exit::Ok);
            }
            continue;
        }
        // Counted on the pods, as `rollout status` counts them: the controller's
        // `updatedReadyReplicas` can stay behind once a batch was found Ready.
        let ready = reports.len() == scopes.len()
            && jobs.iter().all(|j| {
                reports
                    .iter()
                    .flat_map(|r| &r.workloads)
                    .any(|a| a.name == j.workload && a.updated_ready >= j.step.goal)
            });
        if ready && !was_ready {
            for j in jobs {
                println!("{}: {} new pods Ready", j.label, j.step.goal);
            }
            was_ready = true;
        }
        if ready {
            let Some(b) = bakes.as_mut() else {
                return Ok(Exit::Ok);
            };
            // Held again (Paused), or complete when the step moved the last pods; not
            // while the controller has yet to observe the hold.
            if b.start(
                &mut reports,
                &[State::Paused, State::Complete],
                Instant::now(),
            ) {
                for r in &reports {
                    println!("{}", r.message);
                }
                baking = true;
            }
        }
    }
}
