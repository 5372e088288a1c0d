//! Which objects of the manifests are targets: every Pipeline, MonoVertex and Vertex
//! of `numaflow.numaproj.io/v1alpha1`, in the namespace its metadata names (else the
//! command's); every other kind is skipped and counted. Pure.

use std::collections::BTreeMap;

use serde_json::Value;

use super::documents::Document;
use crate::target::{valid_name, Kind, Placed, Target};
use crate::usage::UsageError;

/// Numaflow's API group.
const GROUP: &str = "numaflow.numaproj.io";
/// The one version of it Numaflow serves.
const VERSION: &str = "v1alpha1";
/// Numaflow's kinds that are no rollout target (skipped like any other kind).
const OTHER_KINDS: [&str; 2] = ["InterStepBufferService", "ServingPipeline"];

/// A target found in a manifest, with the spec the manifest gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// Where it was read: the file (or `-`, or the kustomization) and document number.
    pub origin: String,
    /// The target and its namespace, when the manifest names one.
    pub placed: Placed,
    /// Its `spec` in the manifest (`null` when it has none).
    pub spec: Value,
}

/// The targets of a set of manifests, and what was skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manifests {
    /// The targets, in the order read, each once.
    pub objects: Vec<Object>,
    /// The other objects, counted by kind.
    pub skipped: BTreeMap<String, usize>,
}

impl Manifests {
    /// Adds the objects of one source's documents.
    pub fn add(&mut self, source: &str, docs: Vec<Document>) -> Result<(), UsageError> {
        for doc in docs {
            let origin = format!("{source}: document {}", doc.number);
            let Some(object) = classify(&origin, doc.object, &mut self.skipped)? else {
                continue;
            };
            if !self.objects.iter().any(|o| o.placed == object.placed) {
                self.objects.push(object);
            }
        }
        Ok(())
    }

    /// The error of manifests holding no target (`sources`: where they were read).
    pub fn require_targets(&self, sources: &str) -> Result<(), UsageError> {
        if self.objects.is_empty() {
            let found = match self.skipped_counts() {
                Some(c) => format!(" (found {c})"),
                None => " (found no object)".to_string(),
            };
            return Err(UsageError(format!(
                "no Pipeline, MonoVertex or Vertex in {sources}{found}"
            )));
        }
        Ok(())
    }

    /// The targets, in the order read.
    pub fn placed(&self) -> Vec<Placed> {
        self.objects.iter().map(|o| o.placed.clone()).collect()
    }

    /// The one stderr line about the skipped objects, when there are any:
    /// `skipped 3 objects that are not rollout targets: 1 ConfigMap, 2 Deployment`.
    pub fn skipped_line(&self) -> Option<String> {
        let total: usize = self.skipped.values().sum();
        let counts = self.skipped_counts()?;
        let what = if total == 1 {
            "object that is not a rollout target"
        } else {
            "objects that are not rollout targets"
        };
        Some(format!("kubectl-numa: skipped {total} {what}: {counts}"))
    }

    fn skipped_counts(&self) -> Option<String> {
        if self.skipped.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .skipped
            .iter()
            .map(|(kind, n)| format!("{n} {kind}"))
            .collect();
        Some(parts.join(", "))
    }
}

/// The target an object is, `None` (counted in `skipped`) when it is no target, or
/// the error of a Numaflow object that cannot be one.
fn classify(
    origin: &str,
    obj: Value,
    skipped: &mut BTreeMap<String, usize>,
) -> Result<Option<Object>, UsageError> {
    let text = |k: &str| obj.get(k).and_then(Value::as_str).unwrap_or_default();
    let (api_version, kind) = (text("apiVersion"), text("kind"));
    if kind.is_empty() || api_version.is_empty() {
        return Err(UsageError(format!(
            "{origin}: the object has no {} (every manifest object needs apiVersion and kind)",
            if kind.is_empty() {
                "kind"
            } else {
                "apiVersion"
            }
        )));
    }
    let (group, version) = match api_version.split_once('/') {
        Some(gv) => gv,
        None if api_version == GROUP => (GROUP, ""),
        None => ("", api_version),
    };
    if group != GROUP {
        *skipped.entry(kind.to_string()).or_default() += 1;
        return Ok(None);
    }
    let target_kind = Kind::ALL.into_iter().find(|k| k.api_kind() == kind);
    if target_kind.is_none() && !OTHER_KINDS.contains(&kind) {
        return Err(UsageError(format!(
            "{origin}: unknown Numaflow kind {kind:?} in {api_version}; Numaflow's kinds are Pipeline, MonoVertex, Vertex, {}",
            OTHER_KINDS.join(", ")
        )));
    }
    if version != VERSION {
        return Err(UsageError(format!(
            "{origin}: unknown apiVersion {api_version:?} for {kind}; Numaflow serves {GROUP}/{VERSION}"
        )));
    }
    let Some(kind) = target_kind else {
        *skipped.entry(kind.to_string()).or_default() += 1;
        return Ok(None);
    };
    let meta = obj.get("metadata");
    let field = |k: &str| {
        meta.and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let Some(name) = field("name") else {
        let why = match field("generateName") {
            Some(g) => format!(
                " (generateName {g:?} names it only when it is created, so which object it became is not known)"
            ),
            None => String::new(),
        };
        return Err(UsageError(format!(
            "{origin}: {} has no metadata.name{why}; give it a name",
            kind.api_kind()
        )));
    };
    let name = valid_name(name).map_err(|e| UsageError(format!("{origin}: {e}")))?;
    Ok(Some(Object {
        origin: origin.to_string(),
        placed: Placed {
            target: Target { kind, name },
            namespace: field("namespace").map(String::from),
        },
        spec: obj.get("spec").cloned().unwrap_or(Value::Null),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::documents::parse;

    fn manifests(text: &str) -> Result<Manifests, String> {
        let mut m = Manifests::default();
        let docs = parse("d/a.yaml", text, false).map_err(|e| e.0)?;
        m.add("d/a.yaml", docs).map_err(|e| e.0)?;
        Ok(m)
    }

    const NF: &str = "apiVersion: numaflow.numaproj.io/v1alpha1";

    #[test]
    fn numaflow_workloads_become_targets_in_their_namespace() {
        let text = format!(
            "{NF}\nkind: Pipeline\nmetadata: {{name: p, namespace: prod}}\nspec: {{vertices: []}}\n---\n\
{NF}\nkind: MonoVertex\nmetadata: {{name: m}}\n---\n\
{NF}\nkind: Vertex\nmetadata: {{name: p-cat, namespace: \"\"}}\n---\n\
apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\n---\n\
apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d}}\n---\n\
apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c2}}\n---\n\
{NF}\nkind: InterStepBufferService\nmetadata: {{name: default}}\n---\n\
{NF}\nkind: Pipeline\nmetadata: {{name: p, namespace: prod}}\n"
        );
        let m = manifests(&text).unwrap();
        let got: Vec<(String, Option<&str>, &str)> = m
            .objects
            .iter()
            .map(|o| {
                (
                    o.placed.target.to_string(),
                    o.placed.namespace.as_deref(),
                    o.origin.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pipeline/p".to_string(),
                    Some("prod"),
                    "d/a.yaml: document 1"
                ),
                ("monovertex/m".to_string(), None, "d/a.yaml: document 2"),
                ("vertex/p-cat".to_string(), None, "d/a.yaml: document 3"),
            ]
        );
        assert_eq!(m.objects[0].spec, serde_json::json!({"vertices": []}));
        assert_eq!(m.objects[1].spec, Value::Null);
        assert_eq!(
            m.skipped_line().unwrap(),
            "kubectl-numa: skipped 4 objects that are not rollout targets: 2 ConfigMap, 1 Deployment, 1 InterStepBufferService"
        );
        assert_eq!(m.require_targets("d/"), Ok(()));
        assert_eq!(m.placed().len(), 3);
        let one = manifests("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n").unwrap();
        assert_eq!(
            one.skipped_line().unwrap(),
            "kubectl-numa: skipped 1 object that is not a rollout target: 1 Secret"
        );
    }

    #[test]
    fn objects_that_cannot_be_targets_are_usage_errors() {
        let table: &[(String, &str)] = &[
            (
                format!("{NF}\nkind: Pipeline\nmetadata: {{generateName: p-}}\n"),
                "d/a.yaml: document 1: Pipeline has no metadata.name (generateName \"p-\" names it only when it is created, so which object it became is not known); give it a name",
            ),
            (
                format!("{NF}\nkind: MonoVertex\nmetadata: {{}}\n"),
                "d/a.yaml: document 1: MonoVertex has no metadata.name; give it a name",
            ),
            (
                format!("{NF}\nkind: Pipelin\nmetadata: {{name: p}}\n"),
                "d/a.yaml: document 1: unknown Numaflow kind \"Pipelin\" in numaflow.numaproj.io/v1alpha1; Numaflow's kinds are Pipeline, MonoVertex, Vertex, InterStepBufferService, ServingPipeline",
            ),
            (
                "apiVersion: numaflow.numaproj.io/v1\nkind: Pipeline\nmetadata: {name: p}\n".into(),
                "d/a.yaml: document 1: unknown apiVersion \"numaflow.numaproj.io/v1\" for Pipeline; Numaflow serves numaflow.numaproj.io/v1alpha1",
            ),
            (
                "apiVersion: numaflow.numaproj.io\nkind: Pipeline\nmetadata: {name: p}\n".into(),
                "d/a.yaml: document 1: unknown apiVersion \"numaflow.numaproj.io\" for Pipeline; Numaflow serves numaflow.numaproj.io/v1alpha1",
            ),
            (
                format!("{NF}\nkind: Pipeline\nmetadata: {{name: P_1}}\n"),
                "d/a.yaml: document 1: invalid object name \"P_1\"",
            ),
            (
                "kind: Pipeline\nmetadata: {name: p}\n".into(),
                "d/a.yaml: document 1: the object has no apiVersion",
            ),
            (
                format!("{NF}\nmetadata: {{name: p}}\n"),
                "d/a.yaml: document 1: the object has no kind",
            ),
        ];
        for (text, want) in table {
            let err = manifests(text).unwrap_err();
            assert!(err.starts_with(want), "{text}: {err}");
        }
        let none = manifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n").unwrap();
        assert_eq!(
            none.require_targets("d/").unwrap_err().0,
            "no Pipeline, MonoVertex or Vertex in d/ (found 1 ConfigMap)"
        );
        assert_eq!(
            Manifests::default().require_targets("d/").unwrap_err().0,
            "no Pipeline, MonoVertex or Vertex in d/ (found no object)"
        );
    }
}
