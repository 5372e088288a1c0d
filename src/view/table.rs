//! The table of `rollout list`.

use comfy_table::{presets, Table};

use super::model::Workload;
use super::style;

/// Renders workloads as a kubectl-style table (no borders); `namespace` adds the
/// NAMESPACE column, `wide` the manager, hashes and message. The UPGRADE column
/// (Numaplane's upgrade state of the owner: promoted, trial, recyclable) is there when
/// any row has one.
pub fn render(rows: &[Workload], namespace: bool, wide: bool, color: bool) -> String {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING);
    let mut header = vec![];
    if namespace {
        header.push("NAMESPACE");
    }
    header.extend([
        "NAME",
        "KIND",
        "PIPELINE",
        "DESIRED",
        "UPDATED",
        "READY",
        "MAX UNAVAILABLE",
        "MAX SURGE",
        "STATE",
    ]);
    let upgrade = rows.iter().any(|a| a.upgrade_state.is_some());
    if upgrade {
        header.push("UPGRADE");
    }
    if wide {
        header.extend(["MANAGED BY", "CURRENT HASH", "UPDATE HASH", "MESSAGE"]);
    }
    t.set_header(header);
    for a in rows {
        let mut row = vec![];
        if namespace {
            row.push(a.namespace.clone());
        }
        row.extend([
            a.name.clone(),
            a.kind.api_kind().to_string(),
            a.pipeline.clone().unwrap_or_else(|| "-".into()),
            a.desired.to_string(),
            a.updated.to_string(),
            a.ready.to_string(),
            a.strategy
                .text
                .max_unavailable
                .clone()
                .unwrap_or_else(|| "25% (default)".into()),
            a.strategy
                .text
                .max_surge
                .clone()
                .unwrap_or_else(|| "-".into()),
            style::workload_state(a, color),
        ]);
        if upgrade {
            row.push(a.upgrade_state.clone().unwrap_or_else(|| "-".into()));
        }
        if wide {
            row.extend([
                a.managed_by
                    .as_ref()
                    .map_or_else(|| "-".into(), |m| m.cell()),
                a.current_hash.clone().unwrap_or_else(|| "-".into()),
                a.update_hash.clone().unwrap_or_else(|| "-".into()),
                a.message.clone(),
            ]);
        }
        t.add_row(row);
    }
    for c in t.column_iter_mut() {
        c.set_padding((0, 3));
    }
    t.lines().map(|l| l.trim_end().to_string() + "\n").collect()
}

#[cfg(test)]
mod tests {
    fn models(rows: &[crate::rollout::assess::Assessment]) -> Vec<super::Workload> {
        rows.iter().map(|a| super::Workload::of(a, false)).collect()
    }

    use serde_json::json;

    use super::render;
    use crate::rollout::fixtures::*;
    use crate::rollout::report;

    #[test]
    fn list_table_renders_whole() {
        let done = vertex(
            "in",
            1,
            json!({"replicas": 2}),
            status(1, "h1", "h1", 2, 2, 2),
        );
        let spec = json!({"replicas": 4, "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": "50%"}}});
        let rolling = vertex("cat", 2, spec, status(2, "h1", "h2", 4, 2, 2));
        let pods = [
            (0..2).map(|i| pod("in", i, "h1", true)).collect::<Vec<_>>(),
            vec![
                pod("cat", 0, "h2", true),
                pod("cat", 1, "h2", true),
                pod("cat", 2, "h1", true),
                pod("cat", 3, "h1", true),
            ],
        ]
        .concat();
        let mut rows: Vec<_> = [&done, &rolling]
            .iter()
            .flat_map(|v| {
                report::vertex(v, None, &pods.iter().collect::<Vec<_>>(), now()).workloads
            })
            .collect();
        let mut st = status(3, "h1", "h1", 0, 0, 0);
        st["phase"] = json!("Paused");
        let stopped = monovertex(
            3,
            json!({"replicas": 2, "lifecycle": {"desiredPhase": "Paused"}}),
            st,
        );
        rows.extend(report::monovertex(&stopped, &[], now()).workloads);
        assert_eq!(render(&models(&rows), true, false, false), EXPECTED);
        let wide = render(&models(&rows), false, true, false);
        assert!(wide.starts_with("NAME    KIND         PIPELINE   DESIRED   UPDATED   READY   MAX UNAVAILABLE   MAX SURGE   STATE                  MANAGED BY   CURRENT HASH   UPDATE HASH   MESSAGE\n"), "{wide}");
    }

    #[test]
    fn numaplane_children_show_their_upgrade_state_and_manager() {
        let mut rows = Vec::new();
        for (name, state) in [
            ("m-0", Some("promoted")),
            ("m-1", Some("trial")),
            ("x", None),
        ] {
            let mut m = monovertex(1, json!({"replicas": 1}), status(1, "h1", "h1", 1, 1, 1));
            m.metadata.name = Some(name.into());
            if let Some(state) = state {
                m.metadata.labels = Some(
                    [(
                        "numaplane.numaproj.io/upgrade-state".to_string(),
                        state.to_string(),
                    )]
                    .into(),
                );
                m.metadata.owner_references = Some(vec![serde_json::from_value(json!({
                    "apiVersion": "numaplane.numaproj.io/v1alpha1", "kind": "MonoVertexRollout",
                    "name": "m", "uid": "u"
                }))
                .unwrap()]);
            }
            let mut pod = mvtx_pod(0, "h1", true);
            let label = pod
                .labels
                .iter_mut()
                .find(|(k, _)| *k == crate::rollout::MONO_VERTEX_LABEL);
            label.unwrap().1 = name.into();
            let pods = [pod];
            rows.extend(report::monovertex(&m, &pods.iter().collect::<Vec<_>>(), now()).workloads);
        }
        assert_eq!(
            render(&models(&rows), false, true, false),
            "\
NAME   KIND         PIPELINE   DESIRED   UPDATED   READY   MAX UNAVAILABLE   MAX SURGE   STATE        UPGRADE    MANAGED BY               CURRENT HASH   UPDATE HASH   MESSAGE\n\
m-0    MonoVertex   -          1         1         1       25% (default)     -           ✔ Complete   promoted   MonoVertexRollout ns/m   h1             h1            monovertex \"m-0\" successfully rolled out\n\
m-1    MonoVertex   -          1         1         1       25% (default)     -           ✔ Complete   trial      MonoVertexRollout ns/m   h1             h1            monovertex \"m-1\" successfully rolled out\n\
x      MonoVertex   -          1         1         1       25% (default)     -           ✔ Complete   -          -                        h1             h1            monovertex \"x\" successfully rolled out\n\
"
        );
    }

    const EXPECTED: &str = "\
NAMESPACE   NAME    KIND         PIPELINE   DESIRED   UPDATED   READY   MAX UNAVAILABLE   MAX SURGE   STATE\n\
ns          p-in    Vertex       p          2         2         2       25% (default)     -           ✔ Complete\n\
ns          p-cat   Vertex       p          4         2         4       0                 50%         ॥ Paused\n\
ns          m       MonoVertex   -          0         0         0       25% (default)     -           ॥ Paused (lifecycle)\n\
";
}
