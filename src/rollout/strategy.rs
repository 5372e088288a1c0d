//! The update strategy of a vertex or monovertex: `maxUnavailable` / `maxSurge` values
//! and the step the controller takes with them.

use std::fmt;

use serde_json::Value;

/// Upstream's default `maxUnavailable`.
pub const DEFAULT_MAX_UNAVAILABLE: IntOrPercent = IntOrPercent::Percent(25);

/// A strategy value: a non-negative integer or a percentage from 0% to 100%.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntOrPercent {
    /// An absolute number of pods.
    Int(u32),
    /// A percentage of the desired replicas, rounded up when scaled.
    Percent(u32),
}

/// Why a strategy value was rejected; the message quotes the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadValue(pub String);

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid value {:?}: want a non-negative integer (\"2\") or a percentage from 0% to 100% (\"25%\")",
            self.0
        )
    }
}

impl std::error::Error for BadValue {}

impl IntOrPercent {
    /// Parses a command-line value: `"2"` or `"25%"`.
    pub fn parse(s: &str) -> Result<Self, BadValue> {
        let bad = || BadValue(s.to_string());
        let digits = |d: &str| -> Result<u32, BadValue> {
            if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            d.parse().map_err(|_| bad())
        };
        match s.strip_suffix('%') {
            Some(p) => match digits(p)? {
                p if p <= 100 => Ok(IntOrPercent::Percent(p)),
                _ => Err(bad()),
            },
            None => Ok(IntOrPercent::Int(digits(s)?)),
        }
    }

    /// Reads a value as stored in a spec: a JSON number, or a `"N%"` string. Returns
    /// `None` for anything else (upstream rejects a plain number sent as a string).
    pub fn from_json(v: &Value) -> Option<Self> {
        match v {
            Value::Number(n) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .map(IntOrPercent::Int),
            Value::String(s) if s.ends_with('%') => IntOrPercent::parse(s).ok(),
            _ => None,
        }
    }

    /// The JSON the API expects: a number for integers, a string for percentages.
    pub fn to_json(self) -> Value {
        match self {
            IntOrPercent::Int(n) => Value::from(n),
            IntOrPercent::Percent(p) => Value::from(format!("{p}%")),
        }
    }

    /// The number of pods this value means for `desired` replicas (percentages round up,
    /// as the controller does).
    pub fn scaled(self, desired: u32) -> u32 {
        match self {
            IntOrPercent::Int(n) => n,
            IntOrPercent::Percent(p) => (u64::from(desired) * u64::from(p)).div_ceil(100) as u32,
        }
    }

    /// True for `0` and `0%`.
    pub fn is_zero(self) -> bool {
        matches!(self, IntOrPercent::Int(0) | IntOrPercent::Percent(0))
    }
}

impl fmt::Display for IntOrPercent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrPercent::Int(n) => write!(f, "{n}"),
            IntOrPercent::Percent(p) => write!(f, "{p}%"),
        }
    }
}

/// The one `updateStrategy.type` Numaflow knows (and the default).
pub const ROLLING_UPDATE: &str = "RollingUpdate";

/// `updateStrategy.type` as found in a spec. Upstream's `GetUpdateStrategyType` turns
/// every string into `RollingUpdate` ("we only support RollingUpdateStrategyType for
/// now"), so any string rolls the same way; a value that is not a string does not
/// decode into the controller's typed spec at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StrategyType {
    /// A string (`RollingUpdate` when absent), kept as written.
    Named(String),
    /// Not a string.
    Invalid(Value),
}

/// A field of the strategy as found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// Not set: the controller's default applies.
    Absent,
    /// Set to a valid value.
    Set(IntOrPercent),
    /// Set to something the controller cannot use; kept verbatim for display.
    Invalid(Value),
}

/// The `updateStrategy` of a vertex definition or monovertex spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strategy {
    /// `type`.
    pub kind: StrategyType,
    /// `rollingUpdate.maxUnavailable`.
    pub max_unavailable: Field,
    /// `rollingUpdate.maxSurge` (seed design; upstream controllers ignore it today).
    pub max_surge: Field,
}

impl Strategy {
    /// Reads the strategy of a spec (`spec.updateStrategy`), tolerating any shape.
    pub fn from_spec(spec: &Value) -> Self {
        let us = spec.get("updateStrategy");
        let field = |name: &str| match us
            .and_then(|u| u.get("rollingUpdate"))
            .and_then(|r| r.get(name))
        {
            None | Some(Value::Null) => Field::Absent,
            Some(v) => {
                IntOrPercent::from_json(v).map_or_else(|| Field::Invalid(v.clone()), Field::Set)
            }
        };
        Strategy {
            kind: match us.and_then(|u| u.get("type")) {
                None | Some(Value::Null) => StrategyType::Named(ROLLING_UPDATE.to_string()),
                Some(Value::String(t)) => StrategyType::Named(t.clone()),
                Some(other) => StrategyType::Invalid(other.clone()),
            },
            max_unavailable: field("maxUnavailable"),
            max_surge: field("maxSurge"),
        }
    }

    /// The effective `maxUnavailable` (default 25%), `None` when it is invalid.
    pub fn effective_max_unavailable(&self) -> Option<IntOrPercent> {
        match &self.max_unavailable {
            Field::Absent => Some(DEFAULT_MAX_UNAVAILABLE),
            Field::Set(v) => Some(*v),
            Field::Invalid(_) => None,
        }
    }

    /// Pods the controller may move to the new revision per step for `desired`
    /// replicas: `maxUnavailable` scaled against them, rounded up. `maxSurge` plays no
    /// part: Numaflow's controller never reads it (through v1.8), so `maxUnavailable: 0`
    /// holds a rollout whatever `maxSurge` says. `None` when the type is not a string or
    /// the value is invalid (the step cannot be known).
    pub fn step(&self, desired: u32) -> Option<u32> {
        if let StrategyType::Invalid(_) = self.kind {
            return None;
        }
        Some(self.effective_max_unavailable()?.scaled(desired))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parse_accepts_integers_and_percentages() {
        for (input, want) in [
            ("0", IntOrPercent::Int(0)),
            ("2", IntOrPercent::Int(2)),
            ("007", IntOrPercent::Int(7)),
            ("0%", IntOrPercent::Percent(0)),
            ("25%", IntOrPercent::Percent(25)),
            ("100%", IntOrPercent::Percent(100)),
        ] {
            let got = IntOrPercent::parse(input).unwrap();
            assert_eq!(got, want, "{input}");
            assert_eq!(
                IntOrPercent::parse(&got.to_string()).unwrap(),
                got,
                "round trip of {input}"
            );
        }
    }

    #[test]
    fn parse_rejects_bad_values_quoting_them() {
        for input in [
            "150%",
            "101%",
            "-1",
            "abc",
            "2.5",
            "",
            "%",
            " 2",
            "2 ",
            "+2",
            "1e3",
            "99999999999",
            "25%%",
        ] {
            let err = IntOrPercent::parse(input).unwrap_err();
            assert!(err.to_string().contains(&format!("{input:?}")), "{err}");
        }
    }

    #[test]
    fn json_form_is_number_for_ints_and_string_for_percentages() {
        assert_eq!(IntOrPercent::Int(2).to_json(), json!(2));
        assert_eq!(IntOrPercent::Percent(50).to_json(), json!("50%"));
        assert_eq!(
            IntOrPercent::from_json(&json!(3)),
            Some(IntOrPercent::Int(3))
        );
        assert_eq!(
            IntOrPercent::from_json(&json!("30%")),
            Some(IntOrPercent::Percent(30))
        );
        assert_eq!(
            IntOrPercent::from_json(&json!("2")),
            None,
            "upstream rejects an int sent as a string"
        );
        assert_eq!(IntOrPercent::from_json(&json!(-1)), None);
        assert_eq!(IntOrPercent::from_json(&json!(true)), None);
    }

    #[test]
    fn scaling_rounds_percentages_up() {
        for (v, desired, want) in [
            (IntOrPercent::Percent(25), 4, 1),
            (IntOrPercent::Percent(25), 5, 2),
            (IntOrPercent::Percent(50), 10, 5),
            (IntOrPercent::Percent(1), 1, 1),
            (IntOrPercent::Percent(0), 10, 0),
            (IntOrPercent::Percent(100), 3, 3),
            (IntOrPercent::Percent(25), 0, 0),
            (IntOrPercent::Int(2), 10, 2),
        ] {
            assert_eq!(v.scaled(desired), want, "{v} of {desired}");
        }
    }

    #[test]
    fn step_from_specs() {
        for (spec, desired, want) in [
            (json!({}), 4, Some(1)),
            (
                json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}}),
                4,
                Some(0),
            ),
            (
                json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": "0%", "maxSurge": 0}}}),
                4,
                Some(0),
            ),
            (
                // Numaflow's controller ignores maxSurge: a zero step stays zero.
                json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}}),
                4,
                Some(0),
            ),
            (
                json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": 1, "maxSurge": "bad"}}}),
                4,
                Some(1),
            ),
            (
                json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": "50%"}}}),
                5,
                Some(3),
            ),
            (
                json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": "2"}}}),
                4,
                None,
            ),
            (json!({"updateStrategy": {"type": "Recreate"}}), 4, Some(1)),
            (json!({"updateStrategy": {"type": 5}}), 4, None),
            (json!({"updateStrategy": {"type": null}}), 4, Some(1)),
            (json!({"updateStrategy": "weird"}), 4, Some(1)),
        ] {
            assert_eq!(Strategy::from_spec(&spec).step(desired), want, "{spec}");
        }
    }
}
