//! The plugin's pause record: an annotation on the object that owns the durable spec
//! (the Pipeline for its vertices, the MonoVertex itself) holding, per workload, the
//! strategy values that `rollout pause` replaced with zero.
//!
//! Format: `kubectl-numa.io/paused-strategy: {"<vertex name>": {"maxUnavailable": V,
//! "maxSurge": V}}` where `V` is the previous JSON value or `null` for "was absent";
//! a MonoVertex uses the key `""`.

use std::collections::BTreeMap;

/// Annotation holding the pause record.
pub const PAUSE_ANNOTATION: &str = "kubectl-numa.io/paused-strategy";

/// Whether the record in `annotations` holds an entry for `key` (a vertex's short
/// name, or `""` for a MonoVertex). An unreadable record counts as no record here.
pub fn is_recorded(annotations: Option<&BTreeMap<String, String>>, key: &str) -> bool {
    annotations
        .and_then(|a| a.get(PAUSE_ANNOTATION))
        .and_then(|raw| {
            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(raw).ok()
        })
        .is_some_and(|m| m.contains_key(key))
}
