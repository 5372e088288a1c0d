//! A stable content hash of JSON values.

use serde_json::Value;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a 64 of the canonical JSON text of `value` (object keys sorted at every
/// level, no whitespace), as 16 lowercase hex digits. Equal values hash equal,
/// whatever the key order they were built or parsed with.
pub fn hash_json(value: &Value) -> String {
    let mut text = String::new();
    write_canonical(value, &mut text);
    let mut h = FNV_OFFSET;
    for byte in text.bytes() {
        h ^= u64::from(byte);
        h = h.wrapping_mul(FNV_PRIME);
    }
    format!("{h:016x}")
}

/// Canonical JSON: keys sorted explicitly, so the result does not depend on
/// whether serde_json's `preserve_order` feature is on somewhere in the build.
fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_does_not_matter() {
        let a: Value = serde_json::from_str(r#"{"b":1,"a":{"y":[1,2],"x":"s"}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":{"x":"s","y":[1,2]},"b":1}"#).unwrap();
        assert_eq!(hash_json(&a), hash_json(&b));
        assert_eq!(hash_json(&a).len(), 16);
    }

    #[test]
    fn content_matters() {
        assert_ne!(hash_json(&json!({"a": 1})), hash_json(&json!({"a": 2})));
        assert_ne!(hash_json(&json!([1, 2])), hash_json(&json!([2, 1])));
        assert_ne!(hash_json(&json!({"a": "1"})), hash_json(&json!({"a": 1})));
    }

    #[test]
    fn known_value_is_stable() {
        // FNV-1a 64 of the empty object text "{}".
        let mut h = FNV_OFFSET;
        for b in b"{}" {
            h ^= u64::from(*b);
            h = h.wrapping_mul(FNV_PRIME);
        }
        assert_eq!(hash_json(&json!({})), format!("{h:016x}"));
    }
}
