//! Status conditions of Numaflow objects (`status.conditions[]`), read leniently: a
//! malformed entry is skipped, a missing text is `None`.
//!
//! The ones the plugin reads: a Pipeline's `Configured` and `Deployed` (False when
//! the controller rejected a spec or failed to apply it), and a Vertex's or
//! MonoVertex's `PodsHealthy`, Numaflow's own verdict on its pods (reason
//! `Pod<Reason>`, such as `PodCrashLoopBackOff`, and a message naming the container).

use serde::Serialize;
use serde_json::Value;

/// The condition type in which Numaflow reports the health of a workload's pods.
pub const PODS_HEALTHY: &str = "PodsHealthy";

/// One status condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// `type`.
    #[serde(rename = "type")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    pub status: String,
    /// `reason`, when not empty.
    pub reason: Option<String>,
    /// `message`, when not empty.
    pub message: Option<String>,
}

fn text(c: &Value, key: &str) -> Option<String> {
    c.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Every well-formed condition in `status` (entries without a string `type` and
/// `status` are skipped).
pub fn all(status: &Value) -> Vec<Condition> {
    status
        .get("conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| {
            Some(Condition {
                type_: text(c, "type")?,
                status: text(c, "status")?,
                reason: text(c, "reason"),
                message: text(c, "message"),
            })
        })
        .collect()
}

/// The condition of type `type_` in `status`.
pub fn find(status: &Value, type_: &str) -> Option<Condition> {
    all(status).into_iter().find(|c| c.type_ == type_)
}

/// The reason Numaflow's controllers give a spec they rejected: `ValidatePipeline` or
/// `ValidateMonoVertex` failed (`MarkNotConfigured`/`MarkDeployFailed("InvalidSpec")`).
/// No retry changes the verdict on the same spec.
pub const INVALID_SPEC: &str = "InvalidSpec";

/// A reconcile the controller reported as failed, read as Numaflow writes it: phase
/// `Failed` (`MarkPhaseFailed`, which `MarkDeployFailed` and `MarkNotConfigured` also
/// call), or a `Configured` or `Deployed` condition False.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconcileFailure {
    /// `status.reason`, else the reason of the condition set False (a Pipeline has no
    /// `status.reason`).
    pub reason: Option<String>,
    /// `reason: message`, as shown in messages.
    pub why: String,
}

impl ReconcileFailure {
    /// Whether no retry of the controller can fix it ([`INVALID_SPEC`]).
    pub fn is_final(&self) -> bool {
        self.reason.as_deref() == Some(INVALID_SPEC)
    }
}

/// The failed reconcile `status` reports, if any.
pub fn reconcile_failure(status: &Value) -> Option<ReconcileFailure> {
    let phase_failed = status.get("phase").and_then(Value::as_str) == Some("Failed");
    let conditions = all(status);
    let set_false = conditions
        .iter()
        .find(|c| c.is_false() && (c.type_ == "Configured" || c.type_ == "Deployed"));
    if !phase_failed && set_false.is_none() {
        return None;
    }
    let any_false = set_false.or_else(|| conditions.iter().find(|c| c.is_false()));
    let reason = text(status, "reason")
        .filter(|_| phase_failed)
        .or_else(|| any_false.and_then(|c| c.reason.clone()));
    let message = text(status, "message")
        .filter(|_| phase_failed)
        .or_else(|| any_false.and_then(|c| c.message.clone()));
    let why = [reason.clone(), message]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(": ");
    Some(ReconcileFailure { reason, why })
}

impl Condition {
    /// Whether the condition is `False`.
    pub fn is_false(&self) -> bool {
        self.status == "False"
    }

    /// `False (PodCrashLoopBackOff): message` as shown by `rollout get`.
    pub fn summary(&self) -> String {
        let mut s = self.status.clone();
        if let Some(r) = &self.reason {
            s.push_str(&format!(" ({r})"));
        }
        if let Some(m) = &self.message {
            s.push_str(&format!(": {m}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn conditions_are_read_leniently() {
        let status = json!({"conditions": [
            {"type": "Deployed", "status": "True", "reason": "Successful", "message": ""},
            {"type": 7, "status": "True"},
            {"status": "False"},
            "garbage",
            {"type": "PodsHealthy", "status": "False", "reason": "PodCrashLoopBackOff",
             "message": "Pod p-cat-0 is unhealthy: container udf: CrashLoopBackOff"},
        ]});
        let got: Vec<String> = all(&status)
            .iter()
            .map(|c| format!("{} {}", c.type_, c.summary()))
            .collect();
        assert_eq!(
            got,
            [
                "Deployed True (Successful)",
                "PodsHealthy False (PodCrashLoopBackOff): Pod p-cat-0 is unhealthy: container udf: CrashLoopBackOff",
            ]
        );
        assert!(find(&status, PODS_HEALTHY).unwrap().is_false());
        assert!(!find(&status, "Deployed").unwrap().is_false());
        for malformed in [
            json!(null),
            json!({}),
            json!({"conditions": {}}),
            json!({"conditions": "x"}),
        ] {
            assert_eq!(all(&malformed), [], "{malformed}");
            assert_eq!(find(&malformed, PODS_HEALTHY), None, "{malformed}");
        }
    }
}
