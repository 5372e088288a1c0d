//! Revision history, recorded by the plugin because Numaflow keeps none.
//!
//! A revision is the pod-affecting part of the spec that owns a rollout ([`pod_part`]):
//! a MonoVertex's spec without `replicas`, `scale`, `updateStrategy` and `lifecycle`;
//! a Pipeline's spec without `lifecycle` and without each vertex's `replicas`, `scale`
//! and `updateStrategy`. It is identified by a content hash that ignores key order.
//!
//! The history lives in one annotation on the Pipeline or MonoVertex:
//! `kubectl-numa.io/revision-history: v1:<base64(deflate(JSON))>`, the JSON being
//! `{"next": N, "revisions": [{"revision", "hash", "recordedAt", "changeCause",
//! "spec"}]}` oldest first. Content equal to a recorded revision moves that revision
//! to a new number (as a Deployment does), so every content is stored once. The number
//! kept is the object's `kubectl-numa.io/history-limit` annotation (default 10), and
//! the encoded annotation is kept under [`BYTE_BUDGET`] (less when the object's other
//! annotations leave less room, see [`budget`]) by dropping the oldest: the user's
//! change never fails because of history size.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Read, Write};

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Annotation holding the history.
pub const HISTORY_ANNOTATION: &str = "kubectl-numa.io/revision-history";
/// Annotation setting how many revisions are kept.
pub const LIMIT_ANNOTATION: &str = "kubectl-numa.io/history-limit";
/// Revisions kept when the object does not say.
pub const DEFAULT_LIMIT: usize = 10;
/// Largest encoded history, in bytes: well under the API's 256 KiB for all
/// annotations together, leaving room for everyone else's.
pub const BYTE_BUDGET: usize = 96 * 1024;
/// What the API server accepts for all annotations of an object together (key and
/// value bytes), as `metadata.annotations: Too long` enforces.
pub const ANNOTATIONS_LIMIT: usize = 256 * 1024;
const FORMAT: &str = "v1:";

/// The byte budget of the history on an object with these annotations: [`BYTE_BUDGET`],
/// or less when the other annotations leave less room under [`ANNOTATIONS_LIMIT`]
/// (the history then keeps fewer revisions rather than failing the user's write).
pub fn budget(annotations: Option<&BTreeMap<String, String>>) -> usize {
    let others: usize = annotations
        .into_iter()
        .flatten()
        .filter(|(k, _)| *k != HISTORY_ANNOTATION)
        .map(|(k, v)| k.len() + v.len())
        .sum();
    ANNOTATIONS_LIMIT
        .saturating_sub(others + HISTORY_ANNOTATION.len())
        .min(BYTE_BUDGET)
}

/// Fields of a vertex definition that do not affect its pods.
const VERTEX_EXCLUDED: [&str; 3] = ["replicas", "scale", "updateStrategy"];
/// Fields of a MonoVertex spec that do not affect its pods.
const MONO_EXCLUDED: [&str; 4] = ["replicas", "scale", "updateStrategy", "lifecycle"];

/// Which kind of object owns the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecKind {
    /// A Pipeline (its vertices are in `spec.vertices`).
    Pipeline,
    /// A MonoVertex.
    MonoVertex,
}

/// One recorded revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    /// Number, only growing.
    pub revision: u64,
    /// Content hash of `spec`.
    pub hash: String,
    /// When it was recorded (RFC 3339).
    pub recorded_at: String,
    /// `--change-cause`, or the command line that recorded it.
    pub change_cause: String,
    /// The pod-affecting part of the spec.
    pub spec: Value,
}

/// The recorded revisions of one object, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// The number the next new revision gets.
    pub next: u64,
    /// Revisions, oldest first.
    pub revisions: Vec<Revision>,
}

/// A history annotation that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corrupt(pub String);

impl fmt::Display for Corrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "annotation {HISTORY_ANNOTATION} cannot be read ({}); remove it to start a new history",
            self.0
        )
    }
}

impl std::error::Error for Corrupt {}

/// The pod-affecting part of an owner's spec.
pub fn pod_part(owner: SpecKind, spec: &Value) -> Value {
    let mut part = spec.clone();
    if let Some(m) = part.as_object_mut() {
        match owner {
            SpecKind::MonoVertex => MONO_EXCLUDED.iter().for_each(|k| drop(m.remove(*k))),
            SpecKind::Pipeline => {
                m.remove("lifecycle");
                for v in m
                    .get_mut("vertices")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    if let Some(v) = v.as_object_mut() {
                        VERTEX_EXCLUDED.iter().for_each(|k| drop(v.remove(*k)));
                    }
                }
            }
        }
    }
    part
}

/// The entry of vertex `name` in a pipeline spec (or pod part).
pub fn vertex_entry<'a>(pipeline_spec: &'a Value, name: &str) -> Option<&'a Value> {
    pipeline_spec
        .get("vertices")?
        .as_array()?
        .iter()
        .find(|v| v.get("name").and_then(Value::as_str) == Some(name))
}

/// Writes `v` with object keys sorted, whatever order the map keeps them in.
fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let sorted: BTreeMap<&String, &Value> = m.iter().collect();
            out.push('{');
            for (i, (k, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(v, out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Content hash of a value: the first 16 hex digits of the SHA-256 of its canonical
/// JSON (object key order does not matter; array order does).
pub fn content_hash(v: &Value) -> String {
    let mut s = String::new();
    canonical(v, &mut s);
    let digest = Sha256::digest(s.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The history limit an object asks for (its annotation), else [`DEFAULT_LIMIT`].
pub fn limit(annotations: Option<&BTreeMap<String, String>>) -> usize {
    annotations
        .and_then(|a| a.get(LIMIT_ANNOTATION))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_LIMIT)
}

impl History {
    /// Reads the history from an object's annotations; none recorded is an empty history.
    pub fn decode(annotations: Option<&BTreeMap<String, String>>) -> Result<History, Corrupt> {
        let Some(raw) = annotations.and_then(|a| a.get(HISTORY_ANNOTATION)) else {
            return Ok(History::default());
        };
        let body = raw
            .strip_prefix(FORMAT)
            .ok_or_else(|| Corrupt("unknown format, expected v1".into()))?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(body.trim())
            .map_err(|e| Corrupt(format!("not base64: {e}")))?;
        let mut json = Vec::new();
        flate2::read::DeflateDecoder::new(&bytes[..])
            .take(16 * 1024 * 1024)
            .read_to_end(&mut json)
            .map_err(|e| Corrupt(format!("not deflate data: {e}")))?;
        let h: History =
            serde_json::from_slice(&json).map_err(|e| Corrupt(format!("not a history: {e}")))?;
        let ordered = h
            .revisions
            .windows(2)
            .all(|w| w[0].revision < w[1].revision);
        if !ordered || h.revisions.last().is_some_and(|r| r.revision >= h.next) {
            return Err(Corrupt("revision numbers out of order".into()));
        }
        Ok(h)
    }

    /// The annotation value.
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).expect("a history serializes");
        let mut enc =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&json).expect("writing to memory");
        let bytes = enc.finish().expect("writing to memory");
        format!(
            "{FORMAT}{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    }

    /// The newest revision.
    pub fn latest(&self) -> Option<&Revision> {
        self.revisions.last()
    }

    /// Revision number `n`.
    pub fn get(&self, n: u64) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.revision == n)
    }

    /// The revision whose content hash is `hash`.
    pub fn by_hash(&self, hash: &str) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.hash == hash)
    }

    /// The revision numbers, oldest first, for messages.
    pub fn numbers(&self) -> String {
        if self.revisions.is_empty() {
            return "none".into();
        }
        self.revisions
            .iter()
            .map(|r| r.revision.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Records `part` as the newest revision unless it already is. Content equal to an
    /// older revision moves that revision to the new number. Returns whether anything
    /// changed.
    pub fn record(&mut self, part: &Value, cause: &str, now: &str) -> bool {
        let hash = content_hash(part);
        if self.latest().is_some_and(|r| r.hash == hash) {
            return false;
        }
        self.revisions.retain(|r| r.hash != hash);
        let number = self
            .next
            .max(self.revisions.last().map_or(0, |r| r.revision) + 1)
            .max(1);
        self.revisions.push(Revision {
            revision: number,
            hash,
            recorded_at: now.to_string(),
            change_cause: cause.to_string(),
            spec: part.clone(),
        });
        self.next = number + 1;
        true
    }

    /// Drops the oldest revisions beyond `limit`, then until the encoding fits `budget`
    /// bytes (an empty history when not even the newest fits).
    pub fn prune(&mut self, limit: usize, budget: usize) {
        let excess = self.revisions.len().saturating_sub(limit.max(1));
        self.revisions.drain(..excess);
        if self.encode().len() <= budget {
            return;
        }
        // The fewest oldest revisions to drop, by bisection: each try is one encoding.
        let fits = |h: &History, drop: usize| {
            let kept = History {
                next: h.next,
                revisions: h.revisions[drop..].to_vec(),
            };
            kept.encode().len() <= budget
        };
        let (mut lo, mut hi) = (1, self.revisions.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if fits(self, mid) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        self.revisions.drain(..lo);
    }
}

/// The owner's spec after restoring `revision` (a pod part): the excluded fields keep
/// their current values, so capacity, pace and pause state are untouched.
///
/// For a pipeline with `vertex` set, only that vertex's entry is restored; it must
/// exist in both the current spec and the revision.
pub fn restore(
    owner: SpecKind,
    current: &Value,
    revision: &Value,
    vertex: Option<&str>,
) -> Result<Value, String> {
    match (owner, vertex) {
        (SpecKind::MonoVertex, _) => Ok(keep_fields(revision, current, &MONO_EXCLUDED)),
        (SpecKind::Pipeline, None) => {
            let mut spec = revision.clone();
            let Some(m) = spec.as_object_mut() else {
                return Err("the revision is not an object".into());
            };
            match current.get("lifecycle") {
                Some(l) => drop(m.insert("lifecycle".into(), l.clone())),
                None => drop(m.remove("lifecycle")),
            }
            if let Some(vs) = m.get_mut("vertices").and_then(Value::as_array_mut) {
                for v in vs.iter_mut() {
                    let name = v
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                    let now = vertex_entry(current, &name)
                        .cloned()
                        .unwrap_or(Value::Object(Map::new()));
                    *v = keep_fields(v, &now, &VERTEX_EXCLUDED);
                }
            }
            Ok(spec)
        }
        (SpecKind::Pipeline, Some(name)) => {
            let old = vertex_entry(revision, name)
                .ok_or_else(|| format!("vertex {name:?} is not in that revision"))?;
            let mut spec = current.clone();
            let entry = spec
                .get_mut("vertices")
                .and_then(Value::as_array_mut)
                .and_then(|vs| {
                    vs.iter_mut()
                        .find(|v| v.get("name").and_then(Value::as_str) == Some(name))
                })
                .ok_or_else(|| format!("vertex {name:?} is not in the pipeline"))?;
            *entry = keep_fields(old, entry, &VERTEX_EXCLUDED);
            Ok(spec)
        }
    }
}

/// `base` with the `fields` of `from` (present ones set, absent ones removed).
fn keep_fields(base: &Value, from: &Value, fields: &[&str]) -> Value {
    let mut out = base.clone();
    if let Some(m) = out.as_object_mut() {
        for f in fields {
            match from.get(*f) {
                Some(v) => drop(m.insert((*f).to_string(), v.clone())),
                None => drop(m.remove(*f)),
            }
        }
    }
    out
}

/// Which [`SpecKind`] a kind that owns specs is (`None` for a Vertex).
pub fn owner_of(kind: crate::target::Kind) -> Option<SpecKind> {
    match kind {
        crate::target::Kind::Pipeline => Some(SpecKind::Pipeline),
        crate::target::Kind::MonoVertex => Some(SpecKind::MonoVertex),
        crate::target::Kind::Vertex => None,
    }
}

/// Whether the object's current pod-affecting spec is its newest recorded revision
/// (an unreadable history counts as recorded: it is never overwritten silently).
pub fn is_recorded(owner: SpecKind, obj: &kube::api::DynamicObject) -> bool {
    let spec = obj.data.get("spec").cloned().unwrap_or(Value::Null);
    match History::decode(obj.metadata.annotations.as_ref()) {
        Ok(h) => h
            .latest()
            .is_some_and(|r| r.hash == content_hash(&pod_part(owner, &spec))),
        Err(_) => true,
    }
}

/// The change cause of a recording: `explicit`, else the object's
/// `kubernetes.io/change-cause` annotation, else `fallback` (the command line).
pub fn change_cause(
    explicit: Option<&str>,
    obj: &kube::api::DynamicObject,
    fallback: &str,
) -> String {
    explicit
        .map(str::to_string)
        .or_else(|| {
            obj.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("kubernetes.io/change-cause"))
                .cloned()
        })
        .unwrap_or_else(|| fallback.to_string())
}

/// Records the object's current spec into its history annotation (pruned to its limit
/// and the byte budget). Returns whether the history changed.
pub fn record_into(
    owner: SpecKind,
    obj: &mut kube::api::DynamicObject,
    cause: &str,
    now: &str,
) -> Result<bool, Corrupt> {
    let mut h = History::decode(obj.metadata.annotations.as_ref())?;
    let spec = obj.data.get("spec").cloned().unwrap_or(Value::Null);
    if !h.record(&pod_part(owner, &spec), cause, now) {
        return Ok(false);
    }
    let limit = limit(obj.metadata.annotations.as_ref());
    store(&mut h, limit, obj);
    Ok(true)
}

/// Prunes `h` to `limit` and to the room `obj`'s other annotations leave, and writes it
/// into `obj`. When not even an empty history fits, the annotation is removed instead:
/// the write it rides on must not fail because of it.
pub fn store(h: &mut History, limit: usize, obj: &mut kube::api::DynamicObject) {
    let budget = budget(obj.metadata.annotations.as_ref());
    h.prune(limit, budget);
    let encoded = h.encode();
    let annotations = obj.metadata.annotations.get_or_insert_with(BTreeMap::new);
    if encoded.len() <= budget {
        annotations.insert(HISTORY_ANNOTATION.to_string(), encoded);
    } else {
        annotations.remove(HISTORY_ANNOTATION);
    }
}

/// Records, in `after`'s annotations, both the spec of `before` (if new) and the spec
/// of `after` with `cause`: the history part of a write that changes pods, sent in the
/// same patch as the change.
pub fn record_change(
    owner: SpecKind,
    before: &kube::api::DynamicObject,
    after: &mut kube::api::DynamicObject,
    cause: &str,
    now: &str,
) -> Result<(), Corrupt> {
    let mut h = History::decode(before.metadata.annotations.as_ref())?;
    let old = before.data.get("spec").cloned().unwrap_or(Value::Null);
    let new = after.data.get("spec").cloned().unwrap_or(Value::Null);
    let before_cause = change_cause(None, before, "(not recorded before the change)");
    h.record(&pod_part(owner, &old), &before_cause, now);
    h.record(&pod_part(owner, &new), cause, now);
    store(&mut h, limit(before.metadata.annotations.as_ref()), after);
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn spec(image: &str) -> Value {
        json!({
            "lifecycle": {"desiredPhase": "Running"},
            "edges": [{"from": "in", "to": "cat"}],
            "vertices": [
                {"name": "in", "replicas": 2, "source": {"udsource": {"container": {"image": "in:v1"}}}},
                {"name": "cat", "replicas": 4, "scale": {"max": 5},
                 "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}},
                 "udf": {"container": {"image": image}}},
            ],
        })
    }

    #[test]
    fn pod_part_drops_only_what_does_not_change_pods() {
        let part = pod_part(SpecKind::Pipeline, &spec("cat:v1"));
        assert_eq!(
            part,
            json!({"edges": [{"from": "in", "to": "cat"}], "vertices": [
                {"name": "in", "source": {"udsource": {"container": {"image": "in:v1"}}}},
                {"name": "cat", "udf": {"container": {"image": "cat:v1"}}},
            ]})
        );
        let mono = json!({"replicas": 3, "scale": {}, "updateStrategy": {}, "lifecycle": {}, "sink": {"udsink": {}}});
        assert_eq!(
            pod_part(SpecKind::MonoVertex, &mono),
            json!({"sink": {"udsink": {}}})
        );
        assert_eq!(pod_part(SpecKind::MonoVertex, &json!("odd")), json!("odd"));
    }

    #[test]
    fn hashing_ignores_key_order_but_not_content() {
        let a: Value = serde_json::from_str(r#"{"a": 1, "b": {"x": [1, 2], "y": "z"}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"b": {"y": "z", "x": [1, 2]}, "a": 1}"#).unwrap();
        let c: Value = serde_json::from_str(r#"{"a": 1, "b": {"x": [2, 1], "y": "z"}}"#).unwrap();
        assert_eq!(content_hash(&a), content_hash(&b));
        assert_ne!(content_hash(&a), content_hash(&c));
        assert_eq!(content_hash(&a).len(), 16);
        // Stable across builds: a known value.
        assert_eq!(content_hash(&json!({})), "44136fa355b3678a");
        // Scaling or pausing does not make a new revision.
        let mut scaled = spec("cat:v1");
        scaled["vertices"][1]["replicas"] = json!(9);
        scaled["vertices"][1]["updateStrategy"] = json!({});
        assert_eq!(
            content_hash(&pod_part(SpecKind::Pipeline, &scaled)),
            content_hash(&pod_part(SpecKind::Pipeline, &spec("cat:v1")))
        );
    }

    #[test]
    fn record_numbers_dedupes_and_round_trips() {
        let mut h = History::default();
        let parts: Vec<Value> = ["v1", "v2", "v3"]
            .iter()
            .map(|i| pod_part(SpecKind::Pipeline, &spec(i)))
            .collect();
        assert!(h.record(&parts[0], "apply v1", "t1"));
        assert!(
            !h.record(&parts[0], "again", "t2"),
            "the newest content is not recorded twice"
        );
        assert!(h.record(&parts[1], "apply v2", "t3"));
        assert!(h.record(&parts[2], "apply v3", "t4"));
        assert!(
            h.record(&parts[0], "undo", "t5"),
            "older content moves to a new number"
        );
        let view: Vec<(u64, &str)> = h
            .revisions
            .iter()
            .map(|r| (r.revision, r.change_cause.as_str()))
            .collect();
        assert_eq!(view, [(2, "apply v2"), (3, "apply v3"), (4, "undo")]);
        assert_eq!(h.next, 5);
        let mut ann = BTreeMap::new();
        ann.insert(HISTORY_ANNOTATION.to_string(), h.encode());
        assert_eq!(History::decode(Some(&ann)).unwrap(), h);
        assert_eq!(History::decode(None).unwrap(), History::default());
    }

    #[test]
    fn the_budget_leaves_room_for_the_other_annotations() {
        let ann = |pairs: &[(&str, usize)]| {
            pairs
                .iter()
                .map(|(k, n)| (k.to_string(), "x".repeat(*n)))
                .collect::<BTreeMap<_, _>>()
        };
        let key = HISTORY_ANNOTATION.len();
        for (name, annotations, want) in [
            ("no annotations", None, BYTE_BUDGET),
            ("small others", Some(ann(&[("a", 100)])), BYTE_BUDGET),
            (
                "the history itself does not count",
                Some(ann(&[(HISTORY_ANNOTATION, 200_000)])),
                BYTE_BUDGET,
            ),
            (
                "200 KiB of others",
                Some(ann(&[("big", 200 * 1024)])),
                ANNOTATIONS_LIMIT - 3 - 200 * 1024 - key,
            ),
            (
                "others fill the limit",
                Some(ann(&[("big", ANNOTATIONS_LIMIT)])),
                0,
            ),
        ] {
            assert_eq!(budget(annotations.as_ref()), want, "{name}");
        }
    }

    #[test]
    fn a_history_that_cannot_fit_is_left_out() {
        let obj = |room: usize| -> kube::api::DynamicObject {
            let filler = ANNOTATIONS_LIMIT - room - "f".len() - HISTORY_ANNOTATION.len();
            serde_json::from_value(json!({
                "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "MonoVertex",
                "metadata": {"name": "m", "annotations": {"f": "x".repeat(filler)}},
                "spec": {"sink": {"udsink": {"container": {"image": "sink:v1"}}}},
            }))
            .unwrap()
        };
        for (room, kept) in [(10, false), (2_000, true)] {
            let mut o = obj(room);
            assert!(record_into(SpecKind::MonoVertex, &mut o, "c", "t").unwrap());
            let ann = o.metadata.annotations.as_ref().unwrap();
            assert_eq!(ann.contains_key(HISTORY_ANNOTATION), kept, "room {room}");
            let total: usize = ann.iter().map(|(k, v)| k.len() + v.len()).sum();
            assert!(total <= ANNOTATIONS_LIMIT, "room {room}: {total}");
        }
    }

    #[test]
    fn prune_keeps_the_newest_within_limit_and_budget() {
        let mut h = History::default();
        for i in 0..30 {
            h.record(&json!({"image": format!("cat:v{i}")}), "x", "t");
        }
        h.prune(10, BYTE_BUDGET);
        assert_eq!(h.revisions.len(), 10);
        assert_eq!(h.revisions.first().unwrap().revision, 21);
        assert_eq!(h.latest().unwrap().revision, 30);
        // A budget that holds only a few revisions keeps the newest ones.
        let noisy = |i: u64| json!({"blob": (0..200).map(|j| format!("{:x}", (i * 7919 + j) * 104_729 % 65_521)).collect::<Vec<_>>()});
        let mut big = History::default();
        for i in 0..10 {
            big.record(&noisy(i), "x", "t");
        }
        big.prune(10, 4_000);
        assert!(big.encode().len() <= 4_000);
        assert!(
            !big.revisions.is_empty() && big.revisions.len() < 10,
            "{}",
            big.revisions.len()
        );
        assert_eq!(big.latest().unwrap().revision, 10);
        big.prune(10, 10);
        assert!(
            big.revisions.is_empty(),
            "nothing fits: empty, never an error"
        );
        assert_eq!(big.next, 11, "numbers keep growing after pruning");
    }

    #[test]
    fn many_revisions_of_a_large_pipeline_stay_under_budget() {
        // 64 hex digits that deflate cannot squeeze much (xorshift from the seed).
        fn noise(seed: u32) -> String {
            let mut x = u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            (0..4)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    format!("{x:016x}")
                })
                .collect()
        }
        // 40 revisions of 100 vertices, under the limit of 50 but, deflated, more than
        // the byte budget, which therefore decides: fewer than 40 are kept.
        let mut obj: kube::api::DynamicObject = serde_json::from_value(json!({
            "apiVersion": "numaflow.numaproj.io/v1alpha1", "kind": "Pipeline",
            "metadata": {"name": "big", "annotations": {LIMIT_ANNOTATION: "50"}}, "spec": {},
        }))
        .unwrap();
        for i in 0..40u32 {
            let vertices: Vec<Value> = (0..100u32)
                .map(|v| json!({"name": format!("v{v}"), "replicas": 20,
                    "udf": {"container": {"image": format!("registry.example.com/team/v{v}:{}", (i * 31 + v * 7) % 997),
                    "env": [{"name": "BUILD", "value": noise(i * 1000 + v)}]}}}))
                .collect();
            obj.data["spec"] = json!({"vertices": vertices});
            assert!(
                record_into(SpecKind::Pipeline, &mut obj, &format!("deploy {i}"), "t").unwrap()
            );
            let encoded = &obj.metadata.annotations.as_ref().unwrap()[HISTORY_ANNOTATION];
            assert!(
                encoded.len() <= BYTE_BUDGET,
                "revision {i}: {} bytes",
                encoded.len()
            );
        }
        let h = History::decode(obj.metadata.annotations.as_ref()).unwrap();
        assert_eq!(h.latest().unwrap().revision, 40, "the newest is kept");
        assert_eq!(h.latest().unwrap().change_cause, "deploy 39");
        assert!(
            !h.revisions.is_empty() && h.revisions.len() < 40,
            "{}",
            h.revisions.len()
        );
        assert!(
            h.revisions
                .windows(2)
                .all(|w| w[1].revision == w[0].revision + 1),
            "the newest contiguous run"
        );
    }

    #[test]
    fn corrupt_and_foreign_annotations_are_errors_naming_the_annotation() {
        let good = {
            let mut h = History::default();
            h.record(&json!({"a": 1}), "x", "t");
            h.encode()
        };
        let deflated = |json: &str| {
            let mut enc =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(json.as_bytes()).unwrap();
            let bytes = enc.finish().unwrap();
            format!(
                "v1:{}",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            )
        };
        let out_of_order = History {
            next: 2,
            revisions: vec![
                Revision {
                    revision: 1,
                    hash: "a".into(),
                    recorded_at: "t".into(),
                    change_cause: "x".into(),
                    spec: json!({}),
                },
                Revision {
                    revision: 1,
                    hash: "b".into(),
                    recorded_at: "t".into(),
                    change_cause: "y".into(),
                    spec: json!({}),
                },
            ],
        }
        .encode();
        let beyond_next = deflated(
            r#"{"next": 3, "revisions": [{"revision": 3, "hash": "a", "recordedAt": "t", "changeCause": "x", "spec": {}}]}"#,
        );
        for (raw, why) in [
            ("v2:abc", "unknown format, expected v1"),
            ("{\"revisions\": []}", "unknown format, expected v1"),
            ("v1:!!!", "not base64: Invalid symbol 33, offset 0."),
            ("v1:aGVsbG8=", "not deflate data: corrupt deflate stream"),
            (
                &good[..good.len() - 8],
                "not deflate data: incomplete deflate stream",
            ),
            (
                &deflated(r#"{"revisions": []}"#),
                "not a history: missing field `next` at line 1 column 17",
            ),
            (&out_of_order, "revision numbers out of order"),
            (&beyond_next, "revision numbers out of order"),
        ] {
            let mut ann = BTreeMap::new();
            ann.insert(HISTORY_ANNOTATION.to_string(), raw.to_string());
            let err = History::decode(Some(&ann)).unwrap_err();
            assert_eq!(err.0, why, "{raw}");
            assert_eq!(
                err.to_string(),
                format!("annotation kubectl-numa.io/revision-history cannot be read ({why}); remove it to start a new history"),
                "{raw}"
            );
        }
    }

    #[test]
    fn restore_keeps_capacity_pace_and_pause() {
        let current = {
            let mut s = spec("cat:v2");
            s["vertices"][0]["source"]["udsource"]["container"]["image"] = json!("in:v2");
            s["vertices"][1]["replicas"] = json!(7);
            s
        };
        let old = pod_part(SpecKind::Pipeline, &spec("cat:v1"));
        let all = restore(SpecKind::Pipeline, &current, &old, None).unwrap();
        assert_eq!(all["vertices"][1]["udf"]["container"]["image"], "cat:v1");
        assert_eq!(
            all["vertices"][0]["source"]["udsource"]["container"]["image"],
            "in:v1"
        );
        assert_eq!(all["vertices"][1]["replicas"], 7);
        assert_eq!(
            all["vertices"][1]["updateStrategy"],
            current["vertices"][1]["updateStrategy"]
        );
        assert_eq!(all["lifecycle"], current["lifecycle"]);
        let one = restore(SpecKind::Pipeline, &current, &old, Some("cat")).unwrap();
        assert_eq!(one["vertices"][1]["udf"]["container"]["image"], "cat:v1");
        assert_eq!(
            one["vertices"][0], current["vertices"][0],
            "other vertices untouched"
        );
        assert_eq!(one["vertices"][1]["scale"], json!({"max": 5}));
        assert!(restore(SpecKind::Pipeline, &current, &old, Some("dog")).is_err());
        let mono = restore(
            SpecKind::MonoVertex,
            &json!({"replicas": 3, "sink": "new"}),
            &json!({"sink": "old"}),
            None,
        )
        .unwrap();
        assert_eq!(mono, json!({"replicas": 3, "sink": "old"}));
    }
}
