//! `rollout set strategy` without values: the strategy of each workload, read only.

use std::io::Write;

use anyhow::Result;

use crate::api::owners;
use crate::api::Kube;
use crate::exit::Exit;
use crate::rollout::edit::{self, workload_label};
use crate::rollout::owner::Group;
use crate::rollout::pause;
use crate::view::outcome::{self as show, WriteOutput};

/// One line (or document) per workload of `groups`: its strategy as stored.
pub async fn show(kube: &Kube, groups: &[Group], output: Option<WriteOutput>) -> Result<Exit> {
    let mut out = std::io::stdout().lock();
    for g in groups {
        let obj = owners::get(kube, &g.owner).await?;
        let all = edit::select_keys(g.owner.kind, &obj, &g.wanted())?;
        for m in &g.members {
            let keys: Vec<String> = all.iter().filter(|k| m.covers(k)).cloned().collect();
            match output {
                Some(WriteOutput::Json) => {
                    let doc = show::strategy_target_json(&g.owner, &obj, m, &keys);
                    writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
                }
                Some(WriteOutput::Name) => writeln!(out, "{}", m.target)?,
                _ => {
                    for k in &keys {
                        let view = pause::view(g.owner.kind, &obj, k)?;
                        let label = workload_label(g.owner.kind, &g.owner.name, k);
                        writeln!(out, "{}", show::strategy_line(&label, &view))?;
                    }
                }
            }
        }
    }
    Ok(Exit::Ok)
}
