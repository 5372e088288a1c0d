//! Objects of one kind as last seen, kept current from a list or a watch.

use std::collections::BTreeMap;

use kube::api::DynamicObject;
use kube::runtime::watcher::Event;

use crate::rollout::pod_view::PodView;

/// What a store holds: objects known by name, which may drop parts the plugin never
/// reads when they are stored, so that thousands of them stay cheap to hold.
pub trait Stored {
    /// The object's name (its key in a store).
    fn name(&self) -> &str;
    /// Clears what is not needed (nothing, by default).
    fn slim(&mut self) {}
}

/// The parts of a Vertex spec that a store drops: the pipeline's edges with their
/// buffer limits, and its default limits and watermark settings.
const VERTEX_COPIES: [&str; 4] = ["fromEdges", "toEdges", "limits", "watermark"];

/// A Numaflow object keeps of its managed fields only the managers' names, which
/// tell who re-applies it ([`crate::rollout::manager`]); the field sets are dropped.
/// A Vertex also drops what its controller copied in from the pipeline and the plugin
/// never reads ([`VERTEX_COPIES`]): about two thirds of a stored Vertex. Stored objects
/// are read, never written back; writes GET their object afresh.
impl Stored for DynamicObject {
    fn name(&self) -> &str {
        self.metadata.name.as_deref().unwrap_or_default()
    }
    fn slim(&mut self) {
        if let Some(entries) = self.metadata.managed_fields.as_mut() {
            for e in entries.iter_mut() {
                e.fields_v1 = None;
            }
        }
        if self.types.as_ref().is_some_and(|t| t.kind == "Vertex") {
            if let Some(spec) = self.data.get_mut("spec").and_then(|s| s.as_object_mut()) {
                for key in VERTEX_COPIES {
                    spec.remove(key);
                }
            }
        }
    }
}

/// A pod is stored as its compact view, which holds nothing else.
impl Stored for PodView {
    fn name(&self) -> &str {
        &self.name
    }
}

/// Objects by name, with the state of their watch's initial listing.
#[derive(Debug, Clone)]
pub struct Store<K> {
    objects: BTreeMap<String, K>,
    relisting: Option<BTreeMap<String, K>>,
    synced: bool,
}

impl<K> Default for Store<K> {
    fn default() -> Self {
        Store {
            objects: BTreeMap::new(),
            relisting: None,
            synced: false,
        }
    }
}

impl<K: Stored> Store<K> {
    /// A store filled from a completed list (slimmed).
    pub fn listed(items: impl IntoIterator<Item = K>) -> Self {
        let objects = items
            .into_iter()
            .map(|mut o| {
                o.slim();
                (o.name().to_string(), o)
            })
            .collect();
        Store {
            objects,
            relisting: None,
            synced: true,
        }
    }

    /// Applies a watcher event. A relist (after a dropped watch) replaces the contents
    /// only once it is complete, so a reconnect never shows a half-empty world.
    /// Returns true when the visible contents may have changed.
    pub fn apply(&mut self, event: Event<K>) -> bool {
        match event {
            Event::Init => {
                self.relisting = Some(BTreeMap::new());
                false
            }
            Event::InitApply(o) => {
                self.relisting
                    .get_or_insert_with(BTreeMap::new)
                    .insert(o.name().to_string(), o);
                false
            }
            Event::InitDone => {
                self.objects = self.relisting.take().unwrap_or_default();
                self.synced = true;
                true
            }
            Event::Apply(o) => {
                self.objects.insert(o.name().to_string(), o);
                true
            }
            Event::Delete(o) => self.objects.remove(o.name()).is_some(),
        }
    }

    /// Whether a complete listing has been seen.
    pub fn synced(&self) -> bool {
        self.synced
    }

    /// The objects, by name.
    pub fn iter(&self) -> impl Iterator<Item = &K> {
        self.objects.values()
    }

    /// The object named `name`.
    pub fn get(&self, name: &str) -> Option<&K> {
        self.objects.get(name)
    }

    /// The only object (for stores that watch one name).
    pub fn single(&self) -> Option<&K> {
        self.objects.values().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str) -> PodView {
        PodView {
            name: name.into(),
            ..PodView::default()
        }
    }

    #[test]
    fn slimming_drops_field_sets_and_vertex_edges_only() {
        let object = |kind: &str| -> DynamicObject {
            serde_json::from_value(serde_json::json!({
                "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": kind,
                "metadata": {"name": "p-cat", "managedFields": [
                    {"manager": "kubectl", "operation": "Apply", "fieldsType": "FieldsV1",
                     "fieldsV1": {"f:spec": {}}}]},
                "spec": {"replicas": 2, "fromEdges": [{"from": "in"}], "toEdges": [{"to": "out"}],
                         "limits": {"readBatchSize": 500}, "watermark": {"disabled": false}},
            }))
            .unwrap()
        };
        for (kind, keys) in [
            ("Vertex", vec!["replicas"]),
            (
                "Pipeline",
                vec!["fromEdges", "limits", "replicas", "toEdges", "watermark"],
            ),
            (
                "MonoVertex",
                vec!["fromEdges", "limits", "replicas", "toEdges", "watermark"],
            ),
        ] {
            let mut o = object(kind);
            o.slim();
            let spec: Vec<&String> = o.data["spec"].as_object().unwrap().keys().collect();
            assert_eq!(spec, keys, "{kind}");
            let entry = &o.metadata.managed_fields.as_ref().unwrap()[0];
            assert_eq!(
                (entry.manager.as_deref(), entry.fields_v1.is_none()),
                (Some("kubectl"), true),
                "{kind}"
            );
        }
    }

    #[test]
    fn relist_replaces_contents_only_when_done() {
        let mut s = Store::default();
        assert!(!s.synced());
        for e in [
            Event::Init,
            Event::InitApply(pod("a")),
            Event::InitApply(pod("b")),
        ] {
            s.apply(e);
        }
        assert_eq!(s.iter().count(), 0, "nothing visible before InitDone");
        assert!(s.apply(Event::InitDone));
        assert!(s.synced());
        assert!(s.apply(Event::Delete(pod("a"))));
        assert!(!s.apply(Event::Delete(pod("zz"))));
        s.apply(Event::Init);
        s.apply(Event::InitApply(pod("c")));
        assert_eq!(
            s.get("b").map(|p| p.name.as_str()),
            Some("b"),
            "old view kept during relist"
        );
        s.apply(Event::InitDone);
        assert_eq!(s.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["c"]);
    }
}
