//! The `-o json` documents of `rollout restart`.

use serde_json::{json, Value};

use crate::rollout::assess::Assessment;
use crate::rollout::dry_run::DryRun;
use crate::rollout::restart::{self, End, Tally};
use crate::target::Target;

/// One target after its restart: restarted, or interrupted with how far each
/// workload got.
pub fn result_json(target: &Target, namespace: &str, tallies: &[&Tally]) -> Value {
    let done = tallies.iter().all(|t| t.end == End::Done);
    json!({
        "kind": target.kind.api_kind(),
        "name": target.name,
        "namespace": namespace,
        "result": if done { "restarted" } else { "interrupted" },
        "workloads": tallies.iter().map(|t| json!({
            "kind": t.kind.api_kind(), "name": t.name, "pods": t.total, "replaced": t.replaced,
            "result": t.end.word(), "notRestarted": t.left,
        })).collect::<Vec<_>>(),
    })
}

/// One target under `--dry-run`: the pods each workload would restart, and the batch.
pub fn plan_json(
    target: &Target,
    namespace: &str,
    dry_run: DryRun,
    workloads: &[&Assessment],
) -> Value {
    json!({
        "kind": target.kind.api_kind(), "name": target.name,
        "namespace": namespace, "result": "restarted", "dryRun": dry_run.json(),
        "workloads": workloads.iter().map(|a| json!({
            "kind": a.kind.api_kind(), "name": a.name,
            "pods": restart::originals(a).iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
            "batch": restart::batch_size(&a.strategy, a.desired),
        })).collect::<Vec<_>>(),
    })
}
