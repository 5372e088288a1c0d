//! Label and annotation keys the Numaflow controllers put on objects and pods.

/// API group of every Numaflow kind.
pub const GROUP: &str = "numaflow.numaproj.io";
/// The one served version.
pub const VERSION: &str = "v1alpha1";
/// Pod annotation: hash of the pod spec that created the pod. Also the Vertex
/// annotation holding the hash of the pipeline's vertex definition it was copied from.
pub const HASH_ANNOTATION: &str = "numaflow.numaproj.io/hash";
/// Pod annotation: the replica index of the pod.
pub const REPLICA_ANNOTATION: &str = "numaflow.numaproj.io/replica";
/// Label on Vertex objects and their pods: the pipeline name.
pub const PIPELINE_LABEL: &str = "numaflow.numaproj.io/pipeline-name";
/// Label on Vertex objects and their pods: the short vertex name.
pub const VERTEX_LABEL: &str = "numaflow.numaproj.io/vertex-name";
/// Label on MonoVertex pods: the MonoVertex name.
pub const MONO_VERTEX_LABEL: &str = "numaflow.numaproj.io/mono-vertex-name";
/// Standard component label (`vertex` or `mono-vertex`).
pub const COMPONENT_LABEL: &str = "app.kubernetes.io/component";
/// Standard managed-by label.
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
/// Standard part-of label (`numaflow`).
pub const PART_OF_LABEL: &str = "app.kubernetes.io/part-of";
/// Annotation naming the Numaflow controller instance an object belongs to; every
/// controller ignores objects whose value differs from its own (empty here).
pub const INSTANCE_ANNOTATION: &str = "numaflow.numaproj.io/instance";
/// An instance no controller of the world runs: tests and the benchmark put it in
/// [`INSTANCE_ANNOTATION`] of objects whose status they write by hand.
pub const UNMANAGED_INSTANCE: &str = "testenv-unmanaged";
/// A scheduler that does not exist: hand-made pods name it in `spec.schedulerName` so
/// they are never scheduled, and so kwok never plays their kubelet.
pub const UNMANAGED_SCHEDULER: &str = "testenv-unmanaged";
