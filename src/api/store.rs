//! Objects of one kind as last seen, kept current from a list or a watch.

use std::collections::BTreeMap;

use kube::runtime::watcher::Event;
use kube::ResourceExt;

/// Drops the parts of an object the plugin never reads (managed fields; a pod's spec),
/// so that thousands of pods stay cheap to hold.
pub trait Slim {
    /// Clears what is not needed.
    fn slim(&mut self);
}

impl Slim for kube::api::DynamicObject {
    fn slim(&mut self) {
        self.metadata.managed_fields = None;
    }
}

impl Slim for k8s_openapi::api::core::v1::Pod {
    fn slim(&mut self) {
        self.metadata.managed_fields = None;
        self.spec = None;
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

impl<K: kube::Resource + Slim> Store<K> {
    /// A store filled from a completed list (slimmed).
    pub fn listed(items: impl IntoIterator<Item = K>) -> Self {
        let objects = items
            .into_iter()
            .map(|mut o| {
                o.slim();
                (o.name_any(), o)
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
                    .insert(o.name_any(), o);
                false
            }
            Event::InitDone => {
                self.objects = self.relisting.take().unwrap_or_default();
                self.synced = true;
                true
            }
            Event::Apply(o) => {
                self.objects.insert(o.name_any(), o);
                true
            }
            Event::Delete(o) => self.objects.remove(&o.name_any()).is_some(),
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

    /// Owned copies of the objects, sorted by name.
    pub fn to_vec(&self) -> Vec<K>
    where
        K: Clone,
    {
        self.objects.values().cloned().collect()
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
    use k8s_openapi::api::core::v1::Pod;

    fn pod(name: &str) -> Pod {
        serde_json::from_value(serde_json::json!({"metadata": {"name": name}})).unwrap()
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
            s.get("b").map(|p| p.name_any()),
            Some("b".into()),
            "old view kept during relist"
        );
        s.apply(Event::InitDone);
        assert_eq!(
            s.to_vec().iter().map(|p| p.name_any()).collect::<Vec<_>>(),
            ["c"]
        );
    }
}
