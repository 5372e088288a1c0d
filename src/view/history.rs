//! The output of `rollout history`: one row per recorded revision, as a table or as
//! the `-o json` document.

use comfy_table::{presets, Table};
use serde::Serialize;
use serde_json::{json, Value};

use crate::rollout::manager::Manager;

/// One recorded revision, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevisionRow {
    /// Its number.
    pub revision: u64,
    /// When it was recorded (RFC 3339).
    pub recorded_at: String,
    /// Why, as recorded.
    pub change_cause: String,
    /// The content hash of the listed part (the vertex's, for a vertex target).
    pub hash: String,
    /// Whether the current spec has this content.
    pub current: bool,
}

/// The table: the target's label, then the revisions, `*` marking the current one;
/// a line saying so when there is none.
pub fn table(label: &str, rows: &[RevisionRow]) -> String {
    if rows.is_empty() {
        return format!("{label}: no revisions recorded\n");
    }
    let mut t = Table::new();
    t.load_preset(presets::NOTHING);
    t.set_header(["REVISION", "RECORDED", "HASH", "CURRENT", "CHANGE-CAUSE"]);
    for r in rows {
        t.add_row([
            r.revision.to_string(),
            r.recorded_at.clone(),
            r.hash.clone(),
            if r.current { "*".into() } else { String::new() },
            r.change_cause.clone(),
        ]);
    }
    for c in t.column_iter_mut() {
        c.set_padding((0, 3));
    }
    let mut out = format!("{label}\n");
    for l in t.lines() {
        out.push_str(l.trim_end());
        out.push('\n');
    }
    out
}

/// The `-o json` document (documented in the README).
pub fn json(
    label: &str,
    owner: &str,
    namespace: &str,
    managed_by: Option<&Manager>,
    rows: &[RevisionRow],
) -> Value {
    json!({
        "target": label,
        "owner": owner,
        "namespace": namespace,
        "managedBy": managed_by,
        "revisions": rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(revision: u64, current: bool) -> RevisionRow {
        RevisionRow {
            revision,
            recorded_at: format!("2026-12-0{revision}T10:00:00Z"),
            change_cause: format!("kubectl numa rollout set image pipeline/p udf=cat:v{revision}"),
            hash: format!("h{revision}"),
            current,
        }
    }

    #[test]
    fn table_renders_whole() {
        assert_eq!(
            table("pipeline/p", &[]),
            "pipeline/p: no revisions recorded\n"
        );
        assert_eq!(
            table("pipeline/p", &[row(1, false), row(2, true)]),
            "\
pipeline/p
REVISION   RECORDED               HASH   CURRENT   CHANGE-CAUSE
1          2026-12-01T10:00:00Z   h1               kubectl numa rollout set image pipeline/p udf=cat:v1
2          2026-12-02T10:00:00Z   h2     *         kubectl numa rollout set image pipeline/p udf=cat:v2
"
        );
    }

    #[test]
    fn json_document() {
        assert_eq!(
            json("vertex/p-cat", "pipeline/p", "ns", None, &[row(1, true)]),
            serde_json::json!({
                "target": "vertex/p-cat", "owner": "pipeline/p", "namespace": "ns", "managedBy": null,
                "revisions": [{"revision": 1, "recordedAt": "2026-12-01T10:00:00Z",
                               "changeCause": "kubectl numa rollout set image pipeline/p udf=cat:v1",
                               "hash": "h1", "current": true}],
            })
        );
    }
}
