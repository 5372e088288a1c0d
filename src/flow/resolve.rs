//! Targets as written, resolved to the owner groups whose specs a command writes.

use std::future::Future;

use anyhow::{anyhow, Result};

use crate::api::owners;
use crate::api::{self, ConnectOptions, Kube};
use crate::exit::{self, Exit, UsageError};
use crate::rollout::owner::Group;
use crate::target::Selection;

/// Connects and resolves `selection` to owner groups (one per object holding a spec).
pub async fn groups(conn: ConnectOptions, selection: &Selection) -> Result<(Kube, Vec<Group>)> {
    let kube = api::connect(conn).await?;
    let groups = owners::resolve(&kube, selection).await?;
    Ok((kube, groups))
}

/// Resolves the selection of a single-target command (`rollout VERB TARGET`, or `-f`
/// manifests holding one target) to its owner group.
pub async fn one_group(
    conn: ConnectOptions,
    selection: &Selection,
    verb: &str,
) -> Result<(Kube, Group)> {
    let count = match selection {
        Selection::Named(t) => t.len(),
        Selection::Placed(p) if p.len() != 1 => {
            let names: Vec<String> = p.iter().map(|p| p.target.to_string()).collect();
            return Err(UsageError(format!(
                "rollout {verb} takes exactly one target; the manifests hold {}: {}",
                p.len(),
                names.join(", ")
            ))
            .into());
        }
        _ => 1,
    };
    if count != 1 {
        return Err(UsageError(format!("rollout {verb} takes exactly one target")).into());
    }
    let (kube, mut groups) = groups(conn, selection).await?;
    let group = groups.pop().ok_or_else(|| anyhow!("nothing to act on"))?;
    Ok((kube, group))
}

/// Resolves the selection of a command that acts on one target at a time (`history`,
/// `undo`): the one target named on the command line, or every target of the
/// manifests, each in a group of its own, in the manifests' order.
pub async fn one_by_one(
    conn: ConnectOptions,
    selection: &Selection,
    verb: &str,
) -> Result<(Kube, Vec<Group>)> {
    let Selection::Placed(placed) = selection else {
        let (kube, group) = one_group(conn, selection, verb).await?;
        return Ok((kube, vec![group]));
    };
    let kube = api::connect(conn).await?;
    let mut out = Vec::new();
    for p in placed {
        out.extend(owners::resolve(&kube, &Selection::Placed(vec![p.clone()])).await?);
    }
    Ok((kube, out))
}

/// Runs `run` on each group in turn. An error of one is printed as the process
/// prints its own and counted by its exit code; the others still run. Returns the
/// worst outcome (see [`Exit::worst`]).
pub async fn each<'a, F, Fut>(groups: &'a [Group], mut run: F) -> Exit
where
    F: FnMut(&'a Group) -> Fut,
    Fut: Future<Output = Result<Exit>>,
{
    let mut worst = Exit::Ok;
    for g in groups {
        let exit = match run(g).await {
            Ok(exit) => exit,
            Err(e) => {
                eprintln!("kubectl-numa: error: {e:#}");
                exit::exit_for(&e)
            }
        };
        worst = worst.worst(exit);
    }
    worst
}
