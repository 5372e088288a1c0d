//! Who re-applies an object's spec: Numaplane, Argo CD or Flux, read from the marks
//! each leaves on the objects it manages (see `README.md`, "GitOps and Numaplane").
//!
//! - Numaplane: an ownerReference to its `numaplane.numaproj.io` PipelineRollout or
//!   MonoVertexRollout, which it re-applies the child's spec from within seconds. Its
//!   progressive strategy labels the children `numaplane.numaproj.io/upgrade-state`.
//! - Flux: the `kustomize.toolkit.fluxcd.io/{name,namespace}` or
//!   `helm.toolkit.fluxcd.io/{name,namespace}` labels of its Kustomization or HelmRelease.
//! - Argo CD: the `argocd.argoproj.io/tracking-id` annotation
//!   (`APP:GROUP/KIND:NAMESPACE/NAME`, `APP` being `NAMESPACE_NAME` for an application
//!   outside Argo CD's own namespace), else the `app.kubernetes.io/instance` label.
//! - `metadata.managedFields`: a field manager of Argo CD (`argocd-controller`,
//!   `argocd-application-controller`) or Flux (`kustomize-controller`,
//!   `helm-controller`) names the tool when no label does, and confirms Argo CD when
//!   the instance label is also Helm's release label (`app.kubernetes.io/managed-by:
//!   Helm` alone, with no Argo CD manager, is a plain Helm install: nobody re-applies it).
//!
//! Numaplane comes first: it owns the child even when a GitOps tool manages the
//! PipelineRollout above it. Then Flux's labels, which name their object exactly, then
//! Argo CD's marks, then field managers.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

/// The API group of Numaplane's objects.
pub const NUMAPLANE_GROUP: &str = "numaplane.numaproj.io";
/// The label Numaplane's progressive strategy puts on each child.
pub const UPGRADE_STATE_LABEL: &str = "numaplane.numaproj.io/upgrade-state";
/// Argo CD's annotation-based resource tracking.
pub const ARGOCD_TRACKING_ANNOTATION: &str = "argocd.argoproj.io/tracking-id";
/// Argo CD's label-based resource tracking (also Helm's release label).
pub const INSTANCE_LABEL: &str = "app.kubernetes.io/instance";
const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
const FLUX_KUSTOMIZE: &str = "kustomize.toolkit.fluxcd.io";
const FLUX_HELM: &str = "helm.toolkit.fluxcd.io";

/// The tool that re-applies a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Tool {
    /// numaproj's rollout controller: reverts a direct edit within seconds.
    Numaplane,
    /// Argo CD: reverts at the next sync, or at once with self-heal.
    #[serde(rename = "Argo CD")]
    ArgoCd,
    /// Flux: reverts at the next reconcile.
    Flux,
}

/// The manager of an object: the tool, the object of that tool the spec comes from,
/// and the mark it was recognised by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Manager {
    /// The tool.
    pub tool: Tool,
    /// `PipelineRollout`, `MonoVertexRollout`, `Application`, `Kustomization` or
    /// `HelmRelease`.
    pub kind: String,
    /// Its name, when the marks say.
    pub name: Option<String>,
    /// Its namespace, when the marks say.
    pub namespace: Option<String>,
    /// What it was recognised by: `ownerReference`, `label NAME`, `annotation NAME`
    /// or `managedFields manager NAME`.
    pub evidence: String,
}

impl Manager {
    /// Whether the plugin refuses to write its spec without `--force`: Numaplane
    /// reverts a direct edit within seconds, so the write would only look done.
    pub fn refuses_writes(&self) -> bool {
        self.tool == Tool::Numaplane
    }

    /// `PipelineRollout ns/name`, `Argo CD application my-app`, `Flux Kustomization
    /// flux-system/apps`, as messages name it.
    pub fn object(&self) -> String {
        let name = match (&self.namespace, &self.name) {
            (Some(ns), Some(n)) => format!(" {ns}/{n}"),
            (None, Some(n)) => format!(" {n}"),
            _ => String::new(),
        };
        match self.tool {
            Tool::Numaplane => format!("{}{name}", self.kind),
            Tool::ArgoCd if name.is_empty() => "an Argo CD application".to_string(),
            Tool::ArgoCd => format!("Argo CD application{name}"),
            Tool::Flux if name.is_empty() => format!("a Flux {}", self.kind),
            Tool::Flux => format!("Flux {}{name}", self.kind),
        }
    }

    /// The line of `rollout get`: `managed by PipelineRollout ns/p; its spec is
    /// re-applied from there`.
    pub fn line(&self) -> String {
        format!(
            "managed by {}; its spec is re-applied from there",
            self.object()
        )
    }

    /// The `MANAGED BY` cell of `rollout list -o wide`.
    pub fn cell(&self) -> String {
        self.object()
    }

    /// Where to make a change instead, for refusals and warnings.
    fn instead(&self) -> &'static str {
        match (self.tool, self.kind.as_str()) {
            (Tool::Numaplane, "MonoVertexRollout") => "change spec.monoVertex of the MonoVertexRollout instead",
            (Tool::Numaplane, "PipelineRollout") => "change spec.pipeline of the PipelineRollout instead",
            (Tool::Numaplane, _) => "change the spec in that object instead",
            (Tool::ArgoCd, _) => "the next sync (at once with self-heal) will revert this change unless git changes too",
            (Tool::Flux, _) => "the next reconcile will revert this change unless git changes too",
        }
    }

    /// The error of a write refused without `--force` (`what` is the command and its
    /// targets, `owner` the object that would have been written).
    pub fn refusal(&self, what: &str, owner: &str) -> String {
        format!(
            "{what}: refused: {owner} is managed by Numaplane ({}, by its {}), which re-applies \
its spec and would revert this change within seconds; nothing was written. {}, or pass --force \
to write anyway",
            self.object(),
            self.evidence,
            capitalized(self.instead())
        )
    }

    /// The warning of a write that goes ahead under this manager (on stderr); `forced`
    /// when `--force` overrode a refusal.
    pub fn warning(&self, owner: &str, forced: bool) -> String {
        if forced {
            format!(
                "warning: {owner} is managed by Numaplane ({}): written anyway (--force), but \
Numaplane will revert this change within seconds; {}",
                self.object(),
                self.instead()
            )
        } else {
            format!(
                "warning: {owner} is managed by {}: {}",
                self.object(),
                self.instead()
            )
        }
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A non-empty value of `key` in a label or annotation map.
fn value<'a>(
    map: Option<&'a std::collections::BTreeMap<String, String>>,
    key: &str,
) -> Option<&'a str> {
    map?.get(key).map(String::as_str).filter(|v| !v.is_empty())
}

fn label<'a>(meta: &'a ObjectMeta, key: &str) -> Option<&'a str> {
    value(meta.labels.as_ref(), key)
}

fn annotation<'a>(meta: &'a ObjectMeta, key: &str) -> Option<&'a str> {
    value(meta.annotations.as_ref(), key)
}

/// The field managers that have written the object.
fn field_managers(meta: &ObjectMeta) -> impl Iterator<Item = &str> {
    meta.managed_fields
        .iter()
        .flatten()
        .filter_map(|f| f.manager.as_deref())
}

fn is_argocd_manager(m: &str) -> bool {
    matches!(m, "argocd-controller" | "argocd-application-controller")
}

/// The manager of an object, from its metadata; `None` when nothing re-applies it.
pub fn detect(meta: &ObjectMeta) -> Option<Manager> {
    numaplane(meta)
        .or_else(|| flux_labels(meta))
        .or_else(|| argocd(meta))
        .or_else(|| flux_managers(meta))
}

fn numaplane(meta: &ObjectMeta) -> Option<Manager> {
    let r = meta.owner_references.iter().flatten().find(|r| {
        r.api_version
            .split_once('/')
            .is_some_and(|(g, _)| g == NUMAPLANE_GROUP)
    })?;
    Some(Manager {
        tool: Tool::Numaplane,
        kind: r.kind.clone(),
        name: Some(r.name.clone()),
        namespace: meta.namespace.clone(),
        evidence: "ownerReference".into(),
    })
}

fn flux_labels(meta: &ObjectMeta) -> Option<Manager> {
    [
        (FLUX_KUSTOMIZE, "Kustomization"),
        (FLUX_HELM, "HelmRelease"),
    ]
    .into_iter()
    .find_map(|(prefix, kind)| {
        let key = format!("{prefix}/name");
        let name = label(meta, &key)?;
        Some(Manager {
            tool: Tool::Flux,
            kind: kind.into(),
            name: Some(name.into()),
            namespace: label(meta, &format!("{prefix}/namespace")).map(str::to_string),
            evidence: format!("label {key}"),
        })
    })
}

/// `APP:GROUP/KIND:NAMESPACE/NAME`, `APP` possibly `NAMESPACE_NAME`: the application's
/// namespace (when given) and name.
fn tracked_application(id: &str) -> Option<(Option<String>, String)> {
    let app = id.split(':').next().filter(|a| !a.is_empty())?;
    Some(match app.split_once('_') {
        Some((ns, name)) if !ns.is_empty() && !name.is_empty() => (Some(ns.into()), name.into()),
        _ => (None, app.into()),
    })
}

fn argocd(meta: &ObjectMeta) -> Option<Manager> {
    let application = |namespace, name, evidence: String| Manager {
        tool: Tool::ArgoCd,
        kind: "Application".into(),
        name,
        namespace,
        evidence,
    };
    if let Some((ns, name)) =
        annotation(meta, ARGOCD_TRACKING_ANNOTATION).and_then(tracked_application)
    {
        return Some(application(
            ns,
            Some(name),
            format!("annotation {ARGOCD_TRACKING_ANNOTATION}"),
        ));
    }
    let argocd_manager = field_managers(meta).find(|m| is_argocd_manager(m));
    let helm_release =
        label(meta, MANAGED_BY_LABEL).is_some_and(|m| m.eq_ignore_ascii_case("helm"));
    match (label(meta, INSTANCE_LABEL), argocd_manager) {
        (Some(app), _) if !helm_release || argocd_manager.is_some() => Some(application(
            None,
            Some(app.into()),
            format!("label {INSTANCE_LABEL}"),
        )),
        (_, Some(m)) => Some(application(
            None,
            None,
            format!("managedFields manager {m}"),
        )),
        _ => None,
    }
}

fn flux_managers(meta: &ObjectMeta) -> Option<Manager> {
    field_managers(meta).find_map(|m| {
        let kind = match m {
            "kustomize-controller" => "Kustomization",
            "helm-controller" => "HelmRelease",
            _ => return None,
        };
        Some(Manager {
            tool: Tool::Flux,
            kind: kind.into(),
            name: None,
            namespace: None,
            evidence: format!("managedFields manager {m}"),
        })
    })
}

/// The upgrade state Numaplane's progressive strategy gave this child (`promoted`,
/// `trial`, `recyclable`, ...), as labelled.
pub fn upgrade_state(meta: &ObjectMeta) -> Option<String> {
    label(meta, UPGRADE_STATE_LABEL).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    fn meta(v: Value) -> ObjectMeta {
        let mut v = v;
        v["name"] = json!("p");
        v["namespace"] = json!("ns");
        serde_json::from_value(v).unwrap()
    }

    fn owner(api_version: &str, kind: &str, name: &str) -> Value {
        json!([{"apiVersion": api_version, "kind": kind, "name": name, "uid": "u1", "controller": true}])
    }

    fn managers(names: &[&str]) -> Value {
        names
            .iter()
            .map(|m| json!({"manager": m, "operation": "Apply", "apiVersion": "numaflow.numaproj.io/v1alpha1"}))
            .collect()
    }

    #[test]
    fn detection_table() {
        let pr = owner("numaplane.numaproj.io/v1alpha1", "PipelineRollout", "my-pl");
        let argo_labels = json!({"app.kubernetes.io/instance": "guestbook"});
        for (name, m, want) in [
            ("nothing", json!({}), None),
            (
                "a plain kubectl apply",
                json!({"managedFields": managers(&["kubectl-client-side-apply"])}),
                None,
            ),
            (
                "numaplane pipeline",
                json!({"ownerReferences": pr}),
                Some((
                    Tool::Numaplane,
                    "PipelineRollout",
                    Some("my-pl"),
                    Some("ns"),
                    "ownerReference",
                )),
            ),
            (
                "numaplane monovertex",
                json!({"ownerReferences": owner("numaplane.numaproj.io/v1alpha1", "MonoVertexRollout", "m")}),
                Some((
                    Tool::Numaplane,
                    "MonoVertexRollout",
                    Some("m"),
                    Some("ns"),
                    "ownerReference",
                )),
            ),
            (
                "another owner's group is not numaplane",
                json!({"ownerReferences": owner("numaplane.numaproj.io.example.com/v1", "PipelineRollout", "x")}),
                None,
            ),
            (
                "numaplane wins over the argo labels it copied",
                json!({"ownerReferences": pr, "labels": argo_labels}),
                Some((
                    Tool::Numaplane,
                    "PipelineRollout",
                    Some("my-pl"),
                    Some("ns"),
                    "ownerReference",
                )),
            ),
            (
                "argo tracking annotation",
                json!({"annotations": {"argocd.argoproj.io/tracking-id": "guestbook:numaflow.numaproj.io/Pipeline:ns/p"}}),
                Some((
                    Tool::ArgoCd,
                    "Application",
                    Some("guestbook"),
                    None,
                    "annotation argocd.argoproj.io/tracking-id",
                )),
            ),
            (
                "argo tracking annotation, app in another namespace",
                json!({"annotations": {"argocd.argoproj.io/tracking-id": "team-a_guestbook:numaflow.numaproj.io/Pipeline:ns/p"}}),
                Some((
                    Tool::ArgoCd,
                    "Application",
                    Some("guestbook"),
                    Some("team-a"),
                    "annotation argocd.argoproj.io/tracking-id",
                )),
            ),
            (
                "argo instance label",
                json!({"labels": argo_labels}),
                Some((
                    Tool::ArgoCd,
                    "Application",
                    Some("guestbook"),
                    None,
                    "label app.kubernetes.io/instance",
                )),
            ),
            (
                "helm's release label alone is plain helm",
                json!({"labels": {"app.kubernetes.io/instance": "rel", "app.kubernetes.io/managed-by": "Helm"}}),
                None,
            ),
            (
                "helm chart synced by argo",
                json!({"labels": {"app.kubernetes.io/instance": "guestbook", "app.kubernetes.io/managed-by": "Helm"},
                       "managedFields": managers(&["argocd-controller"])}),
                Some((
                    Tool::ArgoCd,
                    "Application",
                    Some("guestbook"),
                    None,
                    "label app.kubernetes.io/instance",
                )),
            ),
            (
                "argo field manager only",
                json!({"managedFields": managers(&["kubectl-edit", "argocd-application-controller"])}),
                Some((
                    Tool::ArgoCd,
                    "Application",
                    None,
                    None,
                    "managedFields manager argocd-application-controller",
                )),
            ),
            (
                "flux kustomization",
                json!({"labels": {"kustomize.toolkit.fluxcd.io/name": "apps", "kustomize.toolkit.fluxcd.io/namespace": "flux-system"}}),
                Some((
                    Tool::Flux,
                    "Kustomization",
                    Some("apps"),
                    Some("flux-system"),
                    "label kustomize.toolkit.fluxcd.io/name",
                )),
            ),
            (
                "flux helmrelease, over the helm labels of its chart",
                json!({"labels": {"helm.toolkit.fluxcd.io/name": "numa", "helm.toolkit.fluxcd.io/namespace": "apps",
                                  "app.kubernetes.io/instance": "numa", "app.kubernetes.io/managed-by": "Helm"}}),
                Some((
                    Tool::Flux,
                    "HelmRelease",
                    Some("numa"),
                    Some("apps"),
                    "label helm.toolkit.fluxcd.io/name",
                )),
            ),
            (
                "flux field manager only",
                json!({"managedFields": managers(&["kustomize-controller"])}),
                Some((
                    Tool::Flux,
                    "Kustomization",
                    None,
                    None,
                    "managedFields manager kustomize-controller",
                )),
            ),
            (
                "empty label values say nothing",
                json!({"labels": {"kustomize.toolkit.fluxcd.io/name": "", "app.kubernetes.io/instance": ""}}),
                None,
            ),
        ] {
            let got = detect(&meta(m));
            let got = got.as_ref().map(|m| {
                (
                    m.tool,
                    m.kind.as_str(),
                    m.name.as_deref(),
                    m.namespace.as_deref(),
                    m.evidence.as_str(),
                )
            });
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn words_table() {
        let m = |tool, kind: &str, name: Option<&str>, ns: Option<&str>| Manager {
            tool,
            kind: kind.into(),
            name: name.map(Into::into),
            namespace: ns.map(Into::into),
            evidence: "ownerReference".into(),
        };
        let pr = m(
            Tool::Numaplane,
            "PipelineRollout",
            Some("my-pl"),
            Some("ns"),
        );
        assert_eq!(
            pr.line(),
            "managed by PipelineRollout ns/my-pl; its spec is re-applied from there"
        );
        assert_eq!(
            pr.refusal("pause pipeline/my-pl-0", "pipeline/my-pl-0"),
            "pause pipeline/my-pl-0: refused: pipeline/my-pl-0 is managed by Numaplane (PipelineRollout ns/my-pl, \
by its ownerReference), which re-applies its spec and would revert this change within seconds; nothing was \
written. Change spec.pipeline of the PipelineRollout instead, or pass --force to write anyway"
        );
        assert_eq!(
            pr.warning("pipeline/my-pl-0", true),
            "warning: pipeline/my-pl-0 is managed by Numaplane (PipelineRollout ns/my-pl): written anyway (--force), \
but Numaplane will revert this change within seconds; change spec.pipeline of the PipelineRollout instead"
        );
        assert!(pr.refuses_writes());
        let mvr = m(Tool::Numaplane, "MonoVertexRollout", Some("m"), Some("ns"));
        assert!(mvr
            .refusal("undo mvtx/m", "monovertex/m")
            .contains("Change spec.monoVertex of the MonoVertexRollout instead"));
        for (manager, cell, warning) in [
            (
                m(Tool::ArgoCd, "Application", Some("guestbook"), None),
                "Argo CD application guestbook",
                "warning: pipeline/p is managed by Argo CD application guestbook: the next sync (at once with \
self-heal) will revert this change unless git changes too",
            ),
            (
                m(Tool::ArgoCd, "Application", None, None),
                "an Argo CD application",
                "warning: pipeline/p is managed by an Argo CD application: the next sync (at once with self-heal) \
will revert this change unless git changes too",
            ),
            (
                m(Tool::Flux, "Kustomization", Some("apps"), Some("flux-system")),
                "Flux Kustomization flux-system/apps",
                "warning: pipeline/p is managed by Flux Kustomization flux-system/apps: the next reconcile will \
revert this change unless git changes too",
            ),
            (
                m(Tool::Flux, "HelmRelease", None, None),
                "a Flux HelmRelease",
                "warning: pipeline/p is managed by a Flux HelmRelease: the next reconcile will revert this change \
unless git changes too",
            ),
        ] {
            assert_eq!(manager.cell(), cell);
            assert_eq!(manager.warning("pipeline/p", false), warning);
            assert!(!manager.refuses_writes());
        }
    }

    #[test]
    fn upgrade_states() {
        assert_eq!(
            upgrade_state(&meta(
                json!({"labels": {"numaplane.numaproj.io/upgrade-state": "trial"}})
            )),
            Some("trial".into())
        );
        assert_eq!(upgrade_state(&meta(json!({}))), None);
    }

    #[test]
    fn json_shape() {
        let m = detect(&meta(
            json!({"ownerReferences": owner("numaplane.numaproj.io/v1alpha1", "PipelineRollout", "my-pl")}),
        ));
        assert_eq!(
            serde_json::to_value(m).unwrap(),
            json!({"tool": "Numaplane", "kind": "PipelineRollout", "name": "my-pl", "namespace": "ns", "evidence": "ownerReference"})
        );
    }
}
