//! What `pause`, `resume`, `set strategy` and `set image` share: their flags
//! (`-l`, `--dry-run`, `--force`, `-o`) and the run that resolves targets to owners, plans and
//! writes each owner once, and prints one line (or document) per target.
//!
//! Nothing is half-written: with several owners, every patch is first sent with the
//! server's dry run (which checks the plan, the permissions and the API's
//! validation), and only then for real. A field the plan sets that the server's
//! answer does not have (a structural schema prunes unknown fields) is an error
//! before anything is stored.

use std::io::Write;

use anyhow::{bail, Result};
use clap::Args;
use kube::api::DynamicObject;

use crate::api::owners::{self, Group, Owner};
use crate::api::write::{self, DryRun, Spec, Written};
use crate::api::{self, Kube};
use crate::cli::KubeArgs;
use crate::exit::Exit;
use crate::rollout::diff;
use crate::rollout::edit::{self, Outcome, Plan};
use crate::target::{self, Kind};
use crate::view::write::{self as show, WriteOutput};

/// Flags every write command takes besides its targets.
#[derive(Debug, Args)]
pub struct WriteFlags {
    /// Select targets of the given kind by label (`vertex -l team=data`).
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,
    /// `--dry-run`.
    #[command(flatten)]
    pub dry_run: DryRunFlag,
    /// `--force`.
    #[command(flatten)]
    pub force: ForceFlag,
    /// Output format: json (one document per target) or name (KIND/NAME lines).
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<WriteOutput>,
}

/// `--dry-run[=client|server]`, the same in every command that writes.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct DryRunFlag {
    /// client: print the change and send nothing; server: send it with the server's
    /// dry run (validated and authorized, not stored). `--dry-run` alone means client.
    #[arg(
        id = "dry_run",
        long = "dry-run",
        value_enum,
        value_name = "MODE",
        default_value = "none",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "client"
    )]
    pub mode: DryRun,
}

/// Exit codes 1 and 2 of `pause` and `resume`, for the end of their help texts.
macro_rules! write_errors {
    () => {
        "  1  error: not found, forbidden, managed by Numaplane (without --force), an invalid
     spec or pause record, or the object kept changing under the write (409 Conflict on
     5 attempts); nothing is half-written
  2  usage error (bad target or flag), found before any request"
    };
}
pub(crate) use write_errors;

/// `--force`, the same in every command that writes a spec.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct ForceFlag {
    /// Write even when Numaplane manages the object (a PipelineRollout or
    /// MonoVertexRollout owns it): Numaplane re-applies its spec and reverts the change
    /// within seconds, so without --force such a write is refused.
    #[arg(long)]
    pub force: bool,
}

impl ForceFlag {
    /// What a spec write asked with this flag is, for [`write::write`].
    pub fn spec(self) -> Spec {
        Spec::User { forced: self.force }
    }
}

/// Prints on stderr the warning a write earned (someone re-applies the spec it
/// changed), never on stdout, so `-o json` and `-o name` stay clean.
pub fn warn<T>(w: &Written<T>, owner: &Owner, spec: Spec) {
    if let Some(line) = w.warning(owner, spec) {
        eprintln!("kubectl-numa: {line}");
    }
}

/// A pure plan over one owner: its kind, the object read, the workloads asked for.
pub type Planner<'a> = dyn Fn(Kind, &DynamicObject, &[String]) -> Result<Plan<Vec<Outcome>>> + 'a;

fn plan_group(g: &Group, obj: &DynamicObject, planner: &Planner<'_>) -> Result<Plan<Vec<Outcome>>> {
    let keys = edit::select_keys(g.owner.kind, obj, &g.wanted())?;
    planner(g.owner.kind, obj, &keys)
}

/// Resolves the targets to owner groups (usage errors before any request).
pub async fn groups(
    kube_args: &KubeArgs,
    targets: &[String],
    flags: &WriteFlags,
) -> Result<(Kube, Vec<Group>)> {
    let selection = target::parse(targets, flags.selector.as_deref())?;
    let kube = api::connect(kube_args).await?;
    let groups = owners::resolve(&kube, &selection).await?;
    Ok((kube, groups))
}

/// Runs a write command: plan and patch each owner once, print each target. With
/// several owners, or with `verify`, every patch is first sent with the server's dry
/// run, so that nothing is half-written and a field the server would not store
/// (`maxSurge` under Numaflow's full CRDs) is refused with nothing written.
pub async fn run(
    kube_args: &KubeArgs,
    verb: &str,
    targets: &[String],
    flags: &WriteFlags,
    planner: &Planner<'_>,
    verify: bool,
) -> Result<Exit> {
    let (kube, groups) = groups(kube_args, targets, flags).await?;
    let spec = flags.force.spec();
    let mode = flags.dry_run.mode;
    // First every patch with the server's dry run, when a real write must not be
    // half-done; then each for real (or as asked).
    let rehearse = (groups.len() > 1 || verify) && mode == DryRun::None;
    let passes = if rehearse {
        vec![DryRun::Server, mode]
    } else {
        vec![mode]
    };
    for pass in passes {
        let last = pass == mode;
        for g in &groups {
            let what = g.describe(verb);
            let w = write::write(&kube, &g.owner, &what, pass, spec, |obj| {
                plan_group(g, obj, planner)
            })
            .await?;
            if pass == DryRun::Server {
                refuse_dropped(&what, &w)?;
            }
            if last {
                warn(&w, &g.owner, spec);
                print(g, &w, flags)?;
            }
        }
    }
    Ok(Exit::Ok)
}

/// An error when the server's answer to a (dry-run) patch lacks fields the plan set.
fn refuse_dropped<T>(what: &str, w: &Written<T>) -> Result<()> {
    let dropped = diff::dropped(&w.planned, &w.after);
    if !w.sent || dropped.is_empty() {
        return Ok(());
    }
    let paths: Vec<&str> = dropped.iter().map(|c| c.path.as_str()).collect();
    let why = if paths.iter().any(|p| p.ends_with(".maxSurge")) {
        "Numaflow has no maxSurge (its CRDs drop it and its controller ignores it)"
    } else {
        "the object's schema has no such field"
    };
    bail!(
        "{what}: the server does not store {}: {why}; nothing was written",
        paths.join(", ")
    )
}

fn print(g: &Group, w: &Written<Vec<Outcome>>, flags: &WriteFlags) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let changes = w.changes();
    for m in &g.members {
        let outcomes = show::outcomes_of(m, &w.outcome);
        match flags.output {
            Some(WriteOutput::Json) => {
                let doc = show::target_json(
                    &g.owner,
                    &w.after,
                    m,
                    &outcomes,
                    flags.dry_run.mode,
                    &changes,
                );
                writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
            }
            Some(WriteOutput::Name) => writeln!(out, "{}", m.target)?,
            _ => writeln!(
                out,
                "{}",
                show::result_line(m, &outcomes, flags.dry_run.mode)
            )?,
        }
    }
    if flags.dry_run.mode.is_dry() && flags.output.is_none() {
        for line in show::change_lines(&changes) {
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    Ok(())
}
