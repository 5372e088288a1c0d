//! Whether a manifest looks applied: every field the manifest's spec sets holds the
//! same value in the live spec. Only what the manifest sets is compared, so the
//! server's defaults (`updateStrategy` under Numaflow's full CRDs, say) and fields
//! others added are no difference. Pure.

use serde_json::Value;

/// The first field whose live value differs from the manifest's.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// Its path, from `spec`: `spec.vertices[1].udf.container.image`.
    pub path: String,
    /// The manifest's value.
    pub manifest: Value,
    /// The live value, `None` when the live spec does not have the field.
    pub live: Option<Value>,
}

impl Difference {
    /// `spec.x is "a" in the manifest, "b" live` (or `... not set live`).
    pub fn describe(&self) -> String {
        let live = match &self.live {
            Some(v) => format!("{} live", short(v)),
            None => "not set live".to_string(),
        };
        format!(
            "{} is {} in the manifest, {live}",
            self.path,
            short(&self.manifest)
        )
    }
}

/// A value as JSON, cut after 80 characters.
fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s,
    }
}

/// The first field of the manifest's `spec` the live `spec` does not hold, in the
/// manifest's order; `None` when the manifest looks applied.
pub fn first_difference(manifest: &Value, live: Option<&Value>) -> Option<Difference> {
    differ("spec".to_string(), manifest, live)
}

fn differ(path: String, want: &Value, have: Option<&Value>) -> Option<Difference> {
    let have = have.filter(|v| !v.is_null());
    let found = |path: String| {
        Some(Difference {
            path,
            manifest: want.clone(),
            live: have.cloned(),
        })
    };
    match want {
        // A null sets nothing (apply removes the field; the server stores no null).
        Value::Null => None,
        Value::Object(fields) => {
            let live = match have {
                Some(Value::Object(m)) => Some(m),
                None if fields.is_empty() => return None,
                None => None,
                Some(_) => return found(path),
            };
            fields.iter().find_map(|(k, v)| {
                differ(format!("{path}{}", key(k)), v, live.and_then(|m| m.get(k)))
            })
        }
        Value::Array(items) => match have {
            None if items.is_empty() => None,
            Some(Value::Array(live)) if live.len() == items.len() => items
                .iter()
                .zip(live)
                .enumerate()
                .find_map(|(i, (w, h))| differ(format!("{path}[{i}]"), w, Some(h))),
            _ => found(path),
        },
        Value::Number(n) => match have.and_then(Value::as_f64) {
            Some(h) if n.as_f64() == Some(h) => None,
            _ => found(path),
        },
        scalar => match have {
            Some(h) if h == scalar => None,
            _ => found(path),
        },
    }
}

/// A path step for key `k`: `.k`, or `["k"]` when `k` is no plain word.
fn key(k: &str) -> String {
    let plain = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        format!(".{k}")
    } else {
        format!("[{k:?}]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_what_the_manifest_sets_is_compared() {
        let live = json!({
            "replicas": 3,
            "vertices": [
                {"name": "in", "source": {"udsource": {"container": {"image": "src:v1"}}},
                 "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%"}}},
                {"name": "cat", "udf": {"container": {"image": "cat:v2"}}, "scale": {"min": 4, "max": 4}}
            ],
            "lifecycle": {"desiredPhase": "Running"},
            "a.b/c": "x"
        });
        // (manifest spec, the first difference or None)
        let table: Vec<(Value, Option<&str>)> = vec![
            (json!(null), None),
            (json!({}), None),
            (json!({"replicas": 3}), None),
            (json!({"replicas": 3.0}), None),
            // Server defaults and fields the manifest leaves out are no difference.
            (
                json!({"vertices": [{"name": "in"}, {"name": "cat", "udf": {"container": {"image": "cat:v2"}}}]}),
                None,
            ),
            (json!({"lifecycle": null, "edges": [], "limits": {}}), None),
            (
                json!({"replicas": 2}),
                Some("spec.replicas is 2 in the manifest, 3 live"),
            ),
            (
                json!({"vertices": [{"name": "in"}, {"name": "cat", "udf": {"container": {"image": "cat:v3"}}}]}),
                Some("spec.vertices[1].udf.container.image is \"cat:v3\" in the manifest, \"cat:v2\" live"),
            ),
            (
                json!({"vertices": [{"name": "in"}]}),
                Some("spec.vertices is [{\"name\":\"in\"}] in the manifest"),
            ),
            (
                json!({"watermark": {"disabled": true}}),
                Some("spec.watermark.disabled is true in the manifest, not set live"),
            ),
            (
                json!({"edges": [{"from": "in", "to": "cat"}]}),
                Some("spec.edges is [{\"from\":\"in\",\"to\":\"cat\"}] in the manifest, not set live"),
            ),
            (
                json!({"replicas": {"n": 1}}),
                Some("spec.replicas is {\"n\":1} in the manifest, 3 live"),
            ),
            (
                json!({"lifecycle": {"desiredPhase": "Paused"}}),
                Some("spec.lifecycle.desiredPhase is \"Paused\" in the manifest, \"Running\" live"),
            ),
            (
                json!({"a.b/c": "y"}),
                Some("spec[\"a.b/c\"] is \"y\" in the manifest, \"x\" live"),
            ),
        ];
        for (manifest, want) in table {
            let got = first_difference(&manifest, Some(&live)).map(|d| d.describe());
            match (&got, want) {
                (None, None) => {}
                (Some(g), Some(w)) if g.starts_with(w) => {}
                _ => panic!("{manifest}: want {want:?}, got {got:?}"),
            }
        }
        // No live spec at all.
        assert_eq!(first_difference(&json!({}), None), None);
        assert_eq!(
            first_difference(&json!({"replicas": 1}), None)
                .unwrap()
                .describe(),
            "spec.replicas is 1 in the manifest, not set live"
        );
        let long = json!({"x": "a".repeat(100)});
        let d = first_difference(&long, Some(&json!({})))
            .unwrap()
            .describe();
        let want = format!(
            "spec.x is \"{}... in the manifest, not set live",
            "a".repeat(79)
        );
        assert_eq!(d, want);
    }
}
