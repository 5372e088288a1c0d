//! Recording revisions on the objects that own specs (see [`crate::rollout::revision`]).

use anyhow::Result;
use k8s_openapi::jiff::Timestamp;
use kube::api::DynamicObject;

use super::write::{self, Spec};
use super::Kube;
use crate::rollout::dry_run::DryRun;
use crate::rollout::edit::Plan;
use crate::rollout::owner::Owner;
use crate::rollout::revision::{self, owner_of};

/// The command line as the user typed it, for change causes: `kubectl numa ...`,
/// without the connection flags (`--kubeconfig`, `--context`, `-n`, ...), which say
/// where, not what.
pub fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("kubectl numa {}", without_connection_flags(&args).join(" "))
}

fn without_connection_flags(args: &[String]) -> Vec<String> {
    const WITH_VALUE: [&str; 5] = [
        "--kubeconfig",
        "--context",
        "-n",
        "--namespace",
        "--request-timeout",
    ];
    let mut out = Vec::new();
    let mut skip = false;
    for a in args {
        if std::mem::take(&mut skip) {
            continue;
        }
        if WITH_VALUE.contains(&a.as_str()) {
            skip = true;
        } else if !WITH_VALUE.iter().any(|f| a.starts_with(&format!("{f}="))) {
            out.push(a.clone());
        }
    }
    out
}

/// Records `owner`'s current spec as its newest revision (one GET, and one PATCH when
/// it was not recorded yet). Returns whether a revision was written.
pub async fn record(
    kube: &Kube,
    owner: &Owner,
    cause: Option<&str>,
    dry_run: DryRun,
) -> Result<bool> {
    let Some(kind) = owner_of(owner.kind) else {
        return Ok(false);
    };
    let what = format!("record a revision of {owner}");
    let fallback = command_line();
    let written = write::write(
        kube,
        owner,
        &what,
        dry_run,
        Spec::Bookkeeping,
        |obj: &DynamicObject| {
            let mut after = obj.clone();
            let cause = revision::change_cause(cause, obj, &fallback);
            let changed =
                revision::record_into(kind, &mut after, &cause, &Timestamp::now().to_string())?;
            Ok(Plan {
                after,
                outcome: changed,
            })
        },
    )
    .await?;
    Ok(written.outcome)
}

/// Records `obj` (the owner as a read command saw it) when its spec is not recorded
/// yet. A user who may not write (a viewer) must get a notice, never an error: the
/// failure is returned as that notice's text.
pub async fn record_if_new(kube: &Kube, obj: &DynamicObject, owner: Owner) -> Option<String> {
    let kind = owner_of(owner.kind)?;
    if revision::is_recorded(kind, obj) {
        return None;
    }
    record(kube, &owner, None, DryRun::None)
        .await
        .err()
        .map(|e| format!("kubectl-numa: notice: revision not recorded: {e:#}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn connection_flags_are_left_out() {
        let args: Vec<String> = "--kubeconfig /x --context=a rollout -n ns undo pipeline/p --namespace=b --to-revision 2"
            .split(' ')
            .map(String::from)
            .collect();
        assert_eq!(
            super::without_connection_flags(&args).join(" "),
            "rollout undo pipeline/p --to-revision 2"
        );
    }
}
