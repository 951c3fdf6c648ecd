//! Diffs of JSON: canonical form (sorted keys, volatile fields masked), then a unified diff
//! (similar) of expected against actual.
//!
//! ```
//! use checkout_conformance::diff;
//! use serde_json::json;
//!
//! let expected = json!({"metadata": {"order_id": "6735"}});
//! let actual = json!({"metadata": {}, "id": "cs_test_1"});
//! let text = diff::unified(&expected, &actual).expect("they differ");
//! assert!(text.contains("-    \"order_id\": \"6735\""));
//! assert!(diff::unified(&expected, &expected).is_none());
//! ```

use serde_json::{Map, Value};
use similar::TextDiff;

/// Keys whose values change from run to run and are never compared: ids, timestamps, URLs and
/// secrets the target generates.
pub const VOLATILE: &[&str] = &["id", "created", "expires_at", "url", "client_secret"];

/// What a masked value is replaced with.
pub const MASK: &str = "<volatile>";

/// The canonical form: object keys sorted at every depth, and values of [`VOLATILE`] keys
/// replaced by [`MASK`].
///
/// ```
/// use checkout_conformance::diff::canonical;
/// use serde_json::json;
/// let c = canonical(&json!({"b": 1, "a": {"id": "li_1", "z": 2, "y": 3}}));
/// assert_eq!(c.to_string(), r#"{"a":{"id":"<volatile>","y":3,"z":2},"b":1}"#);
/// ```
pub fn canonical(value: &Value) -> Value {
    canonical_with(value, VOLATILE)
}

/// [`canonical`] with a caller's own list of volatile keys (empty: sort only).
pub fn canonical_with(value: &Value, volatile: &[&str]) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let sorted: Map<String, Value> = keys
                .into_iter()
                .map(|k| {
                    let v = &map[k];
                    let v = if volatile.contains(&k.as_str()) && !v.is_null() {
                        Value::String(MASK.to_owned())
                    } else {
                        canonical_with(v, volatile)
                    };
                    (k.clone(), v)
                })
                .collect();
            Value::Object(sorted)
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| canonical_with(v, volatile)).collect())
        }
        other => other.clone(),
    }
}

/// A unified diff of the canonical forms, `None` when they are equal. Lines starting `-` are
/// what was expected, `+` what the target answered.
pub fn unified(expected: &Value, actual: &Value) -> Option<String> {
    unified_with(expected, actual, VOLATILE)
}

/// [`unified`] with a caller's own list of volatile keys.
pub fn unified_with(expected: &Value, actual: &Value, volatile: &[&str]) -> Option<String> {
    // Most comparisons are equal: decide that without building the canonical copies.
    if equivalent(expected, actual, volatile) {
        return None;
    }
    let expected = canonical_with(expected, volatile);
    let actual = canonical_with(actual, volatile);
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default() + "\n";
    let (old, new) = (pretty(&expected), pretty(&actual));
    let diff = TextDiff::from_lines(&old, &new);
    Some(
        diff.unified_diff()
            .context_radius(3)
            .header("expected (documentation)", "actual (target)")
            .to_string(),
    )
}

/// Whether the canonical forms of `a` and `b` are equal, computed in place: key order never
/// matters, and a [`VOLATILE`]-style key compares only whether its value is null.
///
/// ```
/// use checkout_conformance::diff::{equivalent, VOLATILE};
/// use serde_json::json;
/// assert!(equivalent(&json!({"id": "cs_1", "a": [1]}), &json!({"a": [1], "id": "cs_2"}), VOLATILE));
/// assert!(!equivalent(&json!({"id": null}), &json!({"id": "cs_2"}), VOLATILE));
/// ```
pub fn equivalent(a: &Value, b: &Value, volatile: &[&str]) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter().all(|(k, va)| {
                    b.get(k).is_some_and(|vb| {
                        if volatile.contains(&k.as_str()) {
                            va.is_null() == vb.is_null()
                        } else {
                            equivalent(va, vb, volatile)
                        }
                    })
                })
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(va, vb)| equivalent(va, vb, volatile))
        }
        (a, b) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use serde_json::json;

    #[rstest]
    #[case::key_order(json!({"a": 1, "b": 2}), json!({"b": 2, "a": 1}))]
    #[case::volatile_id(json!({"id": "cs_1", "x": 1}), json!({"id": "cs_2", "x": 1}))]
    #[case::nested_volatile(json!([{"created": 1}]), json!([{"created": 2}]))]
    fn equal_after_canonicalization(#[case] a: Value, #[case] b: Value) {
        assert_eq!(unified(&a, &b), None);
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let key = prop::sample::select(vec!["id", "a", "b", "created", "url"]);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (0i64..3).prop_map(|n| json!(n)),
            prop::sample::select(vec!["x", "y", MASK]).prop_map(|s| json!(s)),
        ];
        leaf.prop_recursive(4, 24, 4, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::vec((key.clone(), inner), 0..4).prop_map(|pairs| {
                    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
                }),
            ]
        })
    }

    proptest::proptest! {
        /// The in-place comparison agrees with comparing the canonical copies, always.
        #[test]
        fn equivalent_is_equality_of_canonical_forms(a in json_value(), b in json_value()) {
            proptest::prop_assert_eq!(
                equivalent(&a, &b, VOLATILE),
                canonical(&a) == canonical(&b)
            );
            proptest::prop_assert!(equivalent(&a, &a, VOLATILE));
        }

        /// Equal cases too: the same value with its keys reversed and volatile values changed.
        #[test]
        fn equivalent_ignores_order_and_volatile_values(a in json_value()) {
            let b = disguised(&a);
            proptest::prop_assert_eq!(
                equivalent(&a, &b, VOLATILE),
                canonical(&a) == canonical(&b)
            );
            proptest::prop_assert!(equivalent(&a, &b, VOLATILE));
        }
    }

    fn disguised(value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .rev()
                    .map(|(k, v)| {
                        let v = if VOLATILE.contains(&k.as_str()) && !v.is_null() {
                            json!("changed")
                        } else {
                            disguised(v)
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(disguised).collect()),
            other => other.clone(),
        }
    }

    #[rstest]
    #[case::value(json!({"a": 1}), json!({"a": 2}), "-  \"a\": 1")]
    #[case::missing_key(json!({"a": 1, "b": 2}), json!({"a": 1}), "-  \"b\": 2")]
    #[case::array_order(json!(["x", "y"]), json!(["y", "x"]), "+  \"x\"")]
    #[case::null_id_is_not_masked(json!({"id": null}), json!({"id": "cs_1"}), "+  \"id\": \"<volatile>\"")]
    fn shows_the_difference(#[case] expected: Value, #[case] actual: Value, #[case] line: &str) {
        let text = unified(&expected, &actual).expect("a diff");
        assert!(text.contains(line), "{text}");
        assert!(
            text.starts_with("--- expected (documentation)\n+++ actual (target)\n"),
            "{text}"
        );
    }
}
