//! `-o json`: the display model ([`super::model`]) serialised, as the README documents
//! it. Keys come out sorted (serde_json's map), as they always have.

use serde_json::{json, Value};

use super::model::{Target, Workload};

/// One workload (with its pods when the model has them).
pub fn workload(w: &Workload) -> Value {
    serde_json::to_value(w).expect("the display model serialises")
}

/// The `rollout list -o json` document: every workload under `items`.
pub fn list(rows: &[Workload]) -> Value {
    json!({ "items": rows.iter().map(workload).collect::<Vec<_>>() })
}

/// One target: its state and every workload in it.
pub fn report(t: &Target) -> Value {
    serde_json::to_value(t).expect("the display model serialises")
}
