//! `rollout get`: the tree of each target (or its JSON, pods included), once or
//! redrawn whenever the watches deliver something.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use anyhow::{anyhow, Result};
use k8s_openapi::jiff::Timestamp;

use crate::api::fetch::{self, Evaluation, World};
use crate::api::watch::{self, Update, Watch};
use crate::api::Kube;
use crate::exit::Exit;
use crate::rollout::report::Report;
use crate::target::Selection;
use crate::view::model::Target;
use crate::view::{json, live::Live, style, tree};

/// Shows `selection` as trees (as JSON with `json_out`), once or, with `follow`, until
/// interrupted.
pub async fn run(kube: &Kube, selection: &Selection, follow: bool, json_out: bool) -> Result<Exit> {
    let scopes = fetch::resolve(kube, selection).await?;
    let color = style::color_enabled();
    let print = |reports: &[Report]| -> Result<String> {
        let targets = Target::all(reports, true);
        Ok(match json_out {
            true => {
                let docs: Vec<_> = targets.iter().map(json::report).collect();
                let mut s = String::new();
                for d in docs {
                    s += &serde_json::to_string_pretty(&d)?;
                    s.push('\n');
                }
                s
            }
            false => tree::render(&targets, Timestamp::now(), color),
        })
    };
    if !follow {
        let (reports, notices) = fetch::read_once(kube, &scopes).await?;
        for notice in notices {
            eprintln!("{notice}");
        }
        print!("{}", print(&reports)?);
        return Ok(Exit::Ok);
    }
    let mut worlds = vec![World::default(); scopes.len()];
    let mut watch = Watch::start(kube, &scopes);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut live = Live::default();
    let tty = std::io::stdout().is_terminal();
    let mut last = String::new();
    let first_sync = watch::first_sync_deadline(kube);
    tokio::pin!(first_sync);
    let (mut synced, mut retries) = (false, watch::Retries::default());
    loop {
        tokio::select! {
            u = watch.next(&mut worlds) => match u {
                None => return Err(anyhow!("the watch ended unexpectedly")),
                Some(Update::Retrying(e)) => {
                    if let Some(notice) = retries.note(kube, e) {
                        eprintln!("{notice}");
                    }
                    continue
                }
                Some(Update::Refused(e)) => return Err(anyhow!("watch: {e}")),
                Some(Update::Changed(_)) => {}
            },
            _ = tick.tick() => {}
            _ = &mut first_sync, if !synced => return Err(retries.unreachable(kube)),
        }
        let now = Timestamp::now();
        let mut reports = Vec::new();
        for (s, w) in scopes.iter().zip(&worlds) {
            match w.evaluate(s, now) {
                Evaluation::Report(r) => reports.push(r),
                Evaluation::Syncing => {}
                Evaluation::Missing => {
                    return Err(fetch::not_found(kube, &s.target, &s.namespace).await)
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
