//! What each kind answers about itself, in one place: how a Vertex names its pipeline
//! and itself, which vertices a Pipeline lists, whether a controller has seen an
//! object's latest spec, and which pods are a workload's own: the selectors Numaflow's
//! controllers use (NUMAFLOW.md, "Names and labels"), as a label selector for the API
//! server and as the same test on a pod already read.

use kube::api::DynamicObject;
use serde_json::Value;

use super::pod_view::PodView;
use super::{
    COMPONENT_LABEL, MONO_VERTEX_COMPONENT, MONO_VERTEX_LABEL, PIPELINE_LABEL, VERTEX_LABEL,
};

/// The string at `pointer` in the object, else its label `key`.
fn field_or_label<'a>(obj: &'a DynamicObject, pointer: &str, key: &str) -> Option<&'a str> {
    obj.data
        .pointer(pointer)
        .and_then(Value::as_str)
        .or_else(|| obj.metadata.labels.as_ref()?.get(key).map(String::as_str))
}

/// `spec.name` of a Vertex (else its vertex-name label): its short name within the
/// pipeline.
pub fn vertex_short_name(vertex: &DynamicObject) -> Option<&str> {
    field_or_label(vertex, "/spec/name", VERTEX_LABEL)
}

/// The pipeline a Vertex belongs to: `spec.pipelineName`, else its pipeline-name label.
pub fn vertex_pipeline(vertex: &DynamicObject) -> Option<&str> {
    field_or_label(vertex, "/spec/pipelineName", PIPELINE_LABEL)
}

/// Short vertex names listed in a Pipeline's `spec.vertices`, in order.
pub fn pipeline_vertex_names(pipeline: &DynamicObject) -> Vec<String> {
    pipeline
        .data
        .pointer("/spec/vertices")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.get("name").and_then(Value::as_str).map(str::to_string))
        .collect()
}

/// Whether the controller has seen the object's latest spec
/// (`status.observedGeneration >= metadata.generation`).
pub fn observed(obj: &DynamicObject) -> bool {
    let observed = obj
        .data
        .pointer("/status/observedGeneration")
        .and_then(Value::as_i64);
    matches!((obj.metadata.generation, observed), (Some(g), Some(o)) if o >= g)
}

/// Whose pods: each variant is the selector of the controller that manages them. A
/// Pipeline's daemon, side-input manager and Job pods carry its name but no vertex
/// name; a MonoVertex's daemon pods carry its name with another component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodOwner<'a> {
    /// Every vertex of pipeline `.0`.
    Pipeline(&'a str),
    /// One vertex, by its pipeline and short name.
    Vertex {
        /// The pipeline.
        pipeline: &'a str,
        /// The vertex's short name.
        short: &'a str,
    },
    /// Any pipeline vertex (the vertex is not known yet).
    AnyVertex,
    /// MonoVertex `.0`.
    MonoVertex(&'a str),
    /// Every pod carrying pipeline `.0`'s name: its vertices' and its helpers' (the
    /// daemon, the side-input managers, the buffer Jobs).
    PipelineAndHelpers(&'a str),
    /// Every pod carrying MonoVertex `.0`'s name: its own and its daemon's.
    MonoVertexAndDaemon(&'a str),
}

/// The components of the helper Deployments whose pods a target's rollout also
/// waits for: a Pipeline's daemon and side-input managers, a MonoVertex's daemon.
pub const HELPER_COMPONENTS: [&str; 3] = ["daemon", "side-inputs-manager", "mono-vertex-daemon"];

/// Whether `pod` is one of a helper Deployment's ([`HELPER_COMPONENTS`]).
pub fn is_helper_pod(pod: &PodView) -> bool {
    pod.label(COMPONENT_LABEL)
        .is_some_and(|c| HELPER_COMPONENTS.contains(&c))
}

impl PodOwner<'_> {
    /// `(label, value)` pairs; no value means "the label is set".
    fn terms(&self) -> Vec<(&'static str, Option<&str>)> {
        match *self {
            PodOwner::Pipeline(pl) => vec![(PIPELINE_LABEL, Some(pl)), (VERTEX_LABEL, None)],
            PodOwner::Vertex { pipeline, short } => {
                vec![
                    (PIPELINE_LABEL, Some(pipeline)),
                    (VERTEX_LABEL, Some(short)),
                ]
            }
            PodOwner::AnyVertex => vec![(PIPELINE_LABEL, None), (VERTEX_LABEL, None)],
            PodOwner::MonoVertex(m) => vec![
                (COMPONENT_LABEL, Some(MONO_VERTEX_COMPONENT)),
                (MONO_VERTEX_LABEL, Some(m)),
            ],
            PodOwner::PipelineAndHelpers(pl) => vec![(PIPELINE_LABEL, Some(pl))],
            PodOwner::MonoVertexAndDaemon(m) => vec![(MONO_VERTEX_LABEL, Some(m))],
        }
    }

    /// The label selector for the API server.
    pub fn selector(&self) -> String {
        self.terms()
            .iter()
            .map(|(k, v)| match v {
                Some(v) => format!("{k}={v}"),
                None => k.to_string(),
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Whether `pod` matches the selector.
    pub fn owns(&self, pod: &PodView) -> bool {
        self.terms().iter().all(|(k, want)| {
            let got = pod.label(k);
            match want {
                Some(w) => got == Some(*w),
                None => got.is_some(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollout::fixtures::*;

    #[test]
    fn selectors_and_pods_agree() {
        let cat = pod("cat", 0, "h", true);
        let mvtx = mvtx_pod(0, "h", true);
        let daemon = mvtx_daemon_pod(true);
        let vertex = PodOwner::Vertex {
            pipeline: "p",
            short: "cat",
        };
        let other = PodOwner::Vertex {
            pipeline: "p",
            short: "dog",
        };
        let cases = [
            (
                PodOwner::Pipeline("p"),
                "numaflow.numaproj.io/pipeline-name=p,numaflow.numaproj.io/vertex-name",
                [true, false, false],
            ),
            (
                vertex,
                "numaflow.numaproj.io/pipeline-name=p,numaflow.numaproj.io/vertex-name=cat",
                [true, false, false],
            ),
            (
                other,
                "numaflow.numaproj.io/pipeline-name=p,numaflow.numaproj.io/vertex-name=dog",
                [false, false, false],
            ),
            (
                PodOwner::AnyVertex,
                "numaflow.numaproj.io/pipeline-name,numaflow.numaproj.io/vertex-name",
                [true, false, false],
            ),
            (
                PodOwner::MonoVertex("m"),
                "app.kubernetes.io/component=mono-vertex,numaflow.numaproj.io/mono-vertex-name=m",
                [false, true, false],
            ),
            (
                PodOwner::PipelineAndHelpers("p"),
                "numaflow.numaproj.io/pipeline-name=p",
                [true, false, false],
            ),
            (
                PodOwner::MonoVertexAndDaemon("m"),
                "numaflow.numaproj.io/mono-vertex-name=m",
                [false, true, true],
            ),
        ];
        assert!(is_helper_pod(&daemon) && !is_helper_pod(&mvtx) && !is_helper_pod(&cat));
        for (owner, selector, owns) in cases {
            assert_eq!(owner.selector(), selector, "{owner:?}");
            let got = [&cat, &mvtx, &daemon].map(|p| owner.owns(p));
            assert_eq!(
                got, owns,
                "{owner:?}: vertex pod, mvtx pod, mvtx daemon pod"
            );
        }
    }

    #[test]
    fn names_and_observation() {
        let v = vertex(
            "cat",
            2,
            serde_json::json!({}),
            status(2, "h", "h", 1, 1, 1),
        );
        assert_eq!(vertex_short_name(&v), Some("cat"));
        assert_eq!(vertex_pipeline(&v), Some("p"));
        assert!(observed(&v));
        let behind = vertex(
            "cat",
            3,
            serde_json::json!({}),
            status(2, "h", "h", 1, 1, 1),
        );
        assert!(!observed(&behind));
        let pl = pipeline(&["in", "cat", "out"], 1, 1);
        assert_eq!(pipeline_vertex_names(&pl), ["in", "cat", "out"]);
    }
}
