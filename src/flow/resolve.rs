//! Targets as written, resolved to the owner groups whose specs a command writes.

use anyhow::{anyhow, Result};

use crate::api::owners;
use crate::api::{self, ConnectOptions, Kube};
use crate::exit::UsageError;
use crate::rollout::owner::Group;
use crate::target::{self, Selection};

/// Connects and resolves `selection` to owner groups (one per object holding a spec).
pub async fn groups(conn: ConnectOptions, selection: &Selection) -> Result<(Kube, Vec<Group>)> {
    let kube = api::connect(conn).await?;
    let groups = owners::resolve(&kube, selection).await?;
    Ok((kube, groups))
}

/// Resolves a single-target command line (`rollout VERB TARGET`) to its owner group.
pub async fn one_group(
    conn: ConnectOptions,
    words: &[String],
    verb: &str,
) -> Result<(Kube, Group)> {
    let selection = target::parse(words, None)?;
    if matches!(&selection, Selection::Named(t) if t.len() != 1) {
        return Err(UsageError(format!("rollout {verb} takes exactly one target")).into());
    }
    let (kube, mut groups) = groups(conn, &selection).await?;
    let group = groups.pop().ok_or_else(|| anyhow!("nothing to act on"))?;
    Ok((kube, group))
}
