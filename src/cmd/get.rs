//! `kubectl numa rollout get`: a target's rollout as a tree, pod by pod.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use anyhow::{anyhow, Result};
use clap::Args;
use k8s_openapi::jiff::Timestamp;

use crate::api;
use crate::api::fetch::{self, Evaluation, World};
use crate::api::watch::{self, Update, Watch};
use crate::cli::KubeArgs;
use crate::exit::{Exit, UsageError};
use crate::rollout::report::Report;
use crate::target;
use crate::view::model::Target;
use crate::view::{json, live::Live, style, tree, Output};

const HELP: &str = "\
Examples:
  # A pipeline: every vertex, its strategy and counts, pods grouped by revision
  kubectl numa rollout get pipeline/my-pipeline

  # Follow one vertex as it rolls (Ctrl-C to stop)
  kubectl numa rollout get vertex/my-pipeline-cat --watch

  # Everything, pods included, for scripts
  kubectl numa rollout get mvtx/my-mvtx -o json

Exit codes: 0 shown, 1 error (not found, forbidden, unreachable), 2 usage.";

/// The long description of the command (set on its variant in [`crate::cli`], which
/// would otherwise replace it with the variant's one-line doc comment).
pub const LONG_ABOUT: &str =
    "Show the rollout of each target as a tree: the target, each vertex with its \
strategy and replica counts, and its pods grouped by the revision (spec hash) that created \
them, with readiness, reason, restarts and age. --watch redraws it when anything changes.";

/// Flags of `rollout get`.
#[derive(Debug, Args)]
#[command(after_help = HELP)]
pub struct GetArgs {
    /// What to show: KIND/NAME... or KIND NAME...
    #[arg(value_name = "TARGET", required = true)]
    pub targets: Vec<String>,
    /// Keep the view open and redraw it when anything changes.
    #[arg(short = 'w', long)]
    pub watch: bool,
    /// Output format: json (with pods).
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<Output>,
}

/// Runs `rollout get`.
pub async fn run(kube_args: &KubeArgs, args: &GetArgs) -> Result<Exit> {
    let selection = target::parse(&args.targets, None)?;
    if matches!(args.output, Some(Output::Name | Output::Wide)) {
        return Err(UsageError("rollout get supports -o json only".into()).into());
    }
    let kube = api::connect(kube_args).await?;
    let scopes = fetch::resolve(&kube, &selection).await?;
    let color = style::color_enabled();
    let print = |reports: &[Report]| -> Result<String> {
        let targets = Target::all(reports, true);
        Ok(match args.output {
            Some(Output::Json) => {
                let docs: Vec<_> = targets.iter().map(json::report).collect();
                let mut s = String::new();
                for d in docs {
                    s += &serde_json::to_string_pretty(&d)?;
                    s.push('\n');
                }
                s
            }
            _ => tree::render(&targets, Timestamp::now(), color),
        })
    };
    if !args.watch {
        let (reports, notices) = fetch::read_once(&kube, &scopes).await?;
        for notice in notices {
            eprintln!("{notice}");
        }
        print!("{}", print(&reports)?);
        return Ok(Exit::Ok);
    }
    let mut worlds = vec![World::default(); scopes.len()];
    let mut watch = Watch::start(&kube, &scopes);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut live = Live::default();
    let tty = std::io::stdout().is_terminal();
    let mut last = String::new();
    let first_sync = watch::first_sync_deadline(&kube);
    tokio::pin!(first_sync);
    let (mut synced, mut retries) = (false, watch::Retries::default());
    loop {
        tokio::select! {
            u = watch.next(&mut worlds) => match u {
                None => return Err(anyhow!("the watch ended unexpectedly")),
                Some(Update::Retrying(e)) => {
                    if let Some(notice) = retries.note(&kube, e) {
                        eprintln!("{notice}");
                    }
                    continue
                }
                Some(Update::Refused(e)) => return Err(anyhow!("watch: {e}")),
                Some(Update::Changed(_)) => {}
            },
            _ = tick.tick() => {}
            _ = &mut first_sync, if !synced => return Err(retries.unreachable(&kube)),
        }
        let now = Timestamp::now();
        let mut reports = Vec::new();
        for (s, w) in scopes.iter().zip(&worlds) {
            match w.evaluate(s, now) {
                Evaluation::Report(r) => reports.push(r),
                Evaluation::Syncing => {}
                Evaluation::Missing => {
                    return Err(fetch::not_found(&kube, &s.target, &s.namespace).await)
                }
            }
        }
        if reports.len() < scopes.len() {
            continue;
        }
        synced = true;
        let text = print(&reports)?;
        let mut out = std::io::stdout().lock();
        if tty {
            live.draw(&mut out, text.lines().map(str::to_string).collect())?;
        } else if text != last {
            writeln!(out, "{text}")?;
            out.flush()?;
        }
        last = text;
    }
}
