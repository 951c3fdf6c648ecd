//! A small validator for the request schemas of [`super::schema`]: JSON types, `minLength` /
//! `maxLength` (in characters), `minimum` / `maximum` / `exclusiveMinimum`, `maxItems`, `enum`,
//! `pattern`, `format` (`date-time`, `date`, `uuid`), `required`, `additionalProperties: false`
//! and `anyOf [T, null]` (nullable).
//!
//! Every failure becomes one entry of `details` in Gr4vy's envelope: location `body`, a JSON
//! pointer to the offending value (`/cart_items/0/name`, or the unknown key itself), and a
//! `type` named after pydantic's error types (Gr4vy's API is FastAPI/pydantic), e.g.
//! `string_too_long`, `extra_forbidden`, `missing`. Every rule can be switched off by the fault
//! its field or schema names (see [`crate::mock::Gr4vyFault`]); a value accepted that way is kept as
//! sent.

use super::error::detail;
use super::formats::{is_date, is_datetime, is_uuid, Pattern};
use crate::mock::Faults;
use super::Gr4vyFault;
use crate::vendor::gr4vy::wire::{pointer_token, ErrorDetail, ErrorLocation};
use serde_json::{Map, Value};

/// At most this many details are reported for one request (a body of 1 MiB could otherwise
/// produce an answer many times its size).
pub const MAX_DETAILS: usize = 100;

/// The type of a property, with its constraints.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// A string of `min..=max` characters (`max` `None`: unbounded).
    Str { min: usize, max: Option<usize> },
    /// A string matching a pattern.
    Pattern(Pattern),
    /// A string from an enum.
    Enum(&'static [&'static str]),
    /// `format: date-time`.
    DateTime,
    /// `format: date`.
    Date,
    /// `format: uuid`.
    Uuid,
    /// An integer in `min..=max`.
    Int { min: i64, max: i64 },
    /// An integer `> 0` and `<= max` (`exclusiveMinimum: 0`).
    PositiveInt { max: i64 },
    /// A number in `min..=max`.
    Number { min: f64, max: f64 },
    /// A boolean.
    Bool,
    /// An object of a schema.
    Object(&'static Schema),
    /// An array of `items`, at most `max` of them.
    Array {
        items: &'static Ty,
        max: Option<usize>,
    },
    /// An object whose values are strings (`additionalProperties: {type: string}`).
    StringMap,
}

/// A property's `default`, filled in when the property is absent.
#[derive(Debug, Clone, Copy)]
pub enum Default {
    Int(i64),
    Str(&'static str),
}

/// One property of a schema.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    /// `anyOf: [T, {type: null}]`.
    pub nullable: bool,
    /// The fault that switches off this property's constraints (lengths, bounds, pattern, enum,
    /// format, `maxItems`, the type of map values). `None`: always checked.
    pub rule: Option<Gr4vyFault>,
    pub default: Option<Default>,
}

impl Field {
    /// A nullable property (`anyOf: [T, null]`), the common case.
    pub const fn opt(name: &'static str, ty: Ty, rule: Option<Gr4vyFault>) -> Field {
        Field {
            name,
            ty,
            nullable: true,
            rule,
            default: None,
        }
    }

    /// A property that cannot be `null`.
    pub const fn non_null(name: &'static str, ty: Ty, rule: Option<Gr4vyFault>) -> Field {
        Field {
            name,
            ty,
            nullable: false,
            rule,
            default: None,
        }
    }

    /// The same property with a `default`.
    pub const fn with_default(mut self, default: Default) -> Field {
        self.default = Some(default);
        self
    }
}

/// An object schema with `additionalProperties: false`.
#[derive(Debug)]
pub struct Schema {
    pub fields: &'static [Field],
    pub required: &'static [&'static str],
    /// Switches off `required`.
    pub required_rule: Option<Gr4vyFault>,
    /// Switches off `additionalProperties: false`.
    pub unknown_rule: Gr4vyFault,
    /// Switches off the JSON type checks of the properties.
    pub type_rule: Gr4vyFault,
}

impl Schema {
    fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// Validation of one request body.
pub struct Validator {
    faults: Faults,
    details: Vec<ErrorDetail>,
    failures: usize,
}

impl Validator {
    pub fn new(faults: Faults) -> Self {
        Validator {
            faults,
            details: Vec::new(),
            failures: 0,
        }
    }

    /// How many failures so far (also those beyond [`MAX_DETAILS`]).
    pub fn failures(&self) -> usize {
        self.failures
    }

    /// The details of the failures (at most [`MAX_DETAILS`]).
    pub fn into_details(self) -> Vec<ErrorDetail> {
        self.details
    }

    fn fail(&mut self, pointer: &str, kind: &str, message: impl Into<String>) {
        self.failures += 1;
        if self.details.len() < MAX_DETAILS {
            self.details
                .push(detail(ErrorLocation::Body, pointer, kind, message));
        }
    }

    fn off(&self, rule: Option<Gr4vyFault>) -> bool {
        rule.is_some_and(|f| self.faults.has(f))
    }

    /// Validates the properties of `map` against `schema`; `visit` receives each known property
    /// with its cleaned value and whether it validated without failure. Unknown keys are
    /// rejected (or dropped under the schema's fault), missing required ones reported.
    pub fn properties(
        &mut self,
        schema: &'static Schema,
        map: &Map<String, Value>,
        pointer: &str,
        mut visit: impl FnMut(&'static Field, Value, bool),
    ) {
        if !self.faults.has(schema.unknown_rule) {
            for key in map.keys().filter(|k| schema.field(k).is_none()) {
                self.fail(
                    &child(pointer, key),
                    "extra_forbidden",
                    "Extra inputs are not permitted",
                );
            }
        }
        if !self.off(schema.required_rule) {
            for name in schema.required.iter().filter(|n| !map.contains_key(**n)) {
                self.fail(&child(pointer, name), "missing", "Field required");
            }
        }
        for field in schema.fields {
            match map.get(field.name) {
                Some(value) => {
                    let before = self.failures;
                    let clean =
                        self.value(field, schema.type_rule, value, &child(pointer, field.name));
                    let ok = self.failures == before;
                    visit(field, clean, ok);
                }
                None => {
                    if let Some(default) = field.default {
                        let value = match default {
                            Default::Int(n) => Value::from(n),
                            Default::Str(s) => Value::from(s),
                        };
                        visit(field, value, true);
                    }
                }
            }
        }
    }

    /// An object of `schema`: its known properties in the schema's order, defaults filled in.
    pub fn object(
        &mut self,
        schema: &'static Schema,
        map: &Map<String, Value>,
        pointer: &str,
    ) -> Value {
        let mut out = Map::new();
        self.properties(schema, map, pointer, |field, value, _| {
            out.insert(field.name.to_owned(), value);
        });
        Value::Object(out)
    }

    fn wrong_type(
        &mut self,
        type_rule: Gr4vyFault,
        pointer: &str,
        kind: &str,
        message: &str,
        value: &Value,
    ) -> Value {
        if !self.faults.has(type_rule) {
            self.fail(pointer, kind, message);
        }
        value.clone()
    }

    /// One property's value: the cleaned value, or the value as sent when a fault lets it pass.
    fn value(&mut self, field: &Field, type_rule: Gr4vyFault, value: &Value, pointer: &str) -> Value {
        if value.is_null() {
            if field.nullable {
                return Value::Null;
            }
            let (kind, message) = type_error(&field.ty);
            return self.wrong_type(type_rule, pointer, kind, message, value);
        }
        self.typed(&field.ty, field.rule, type_rule, value, pointer)
    }

    fn typed(
        &mut self,
        ty: &Ty,
        rule: Option<Gr4vyFault>,
        type_rule: Gr4vyFault,
        value: &Value,
        pointer: &str,
    ) -> Value {
        let checked = !self.off(rule);
        let (kind, message) = type_error(ty);
        match *ty {
            Ty::Str { min, max } => {
                let Some(s) = value.as_str() else {
                    return self.wrong_type(type_rule, pointer, kind, message, value);
                };
                let len = s.chars().count();
                if checked && len < min {
                    let unit = if min == 1 { "character" } else { "characters" };
                    self.fail(
                        pointer,
                        "string_too_short",
                        format!("String should have at least {min} {unit}"),
                    );
                } else if checked && max.is_some_and(|max| len > max) {
                    let max = max.unwrap_or_default();
                    self.fail(
                        pointer,
                        "string_too_long",
                        format!("String should have at most {max} characters"),
                    );
                }
            }
            Ty::Pattern(pattern) => {
                let Some(s) = value.as_str() else {
                    return self.wrong_type(type_rule, pointer, kind, message, value);
                };
                if checked && !pattern.matches(s) {
                    self.fail(
                        pointer,
                        "string_pattern_mismatch",
                        format!("String should match pattern '{}'", pattern.source()),
                    );
                }
            }
            Ty::Enum(allowed) => {
                let Some(s) = value.as_str() else {
                    return self.wrong_type(type_rule, pointer, kind, message, value);
                };
                if checked && !allowed.contains(&s) {
                    self.fail(
                        pointer,
                        "enum",
                        format!("Input should be {}", one_of(allowed)),
                    );
                }
            }
            Ty::DateTime | Ty::Date | Ty::Uuid => {
                let Some(s) = value.as_str() else {
                    return self.wrong_type(type_rule, pointer, kind, message, value);
                };
                let (valid, kind, what) = match ty {
                    Ty::DateTime => (is_datetime(s), "datetime_parsing", "an RFC 3339 date-time"),
                    Ty::Date => (is_date(s), "date_parsing", "a date (YYYY-MM-DD)"),
                    _ => (is_uuid(s), "uuid_parsing", "a UUID"),
                };
                if checked && !valid {
                    self.fail(pointer, kind, format!("Input should be {what}"));
                }
                if matches!(ty, Ty::Uuid) && valid {
                    return Value::from(s.to_ascii_lowercase());
                }
            }
            Ty::Int { .. } | Ty::PositiveInt { .. } => {
                let Some(n) = integer(value) else {
                    return match value.as_f64() {
                        Some(_) => self.wrong_type(
                            type_rule,
                            pointer,
                            "int_from_float",
                            "Input should be a valid integer, got a number with a fractional part",
                            value,
                        ),
                        None => self.wrong_type(type_rule, pointer, kind, message, value),
                    };
                };
                let (min, max, exclusive) = match *ty {
                    Ty::Int { min, max } => (min, max, false),
                    Ty::PositiveInt { max } => (0, max, true),
                    _ => unreachable!("matched above"),
                };
                if checked {
                    if exclusive && n <= i128::from(min) {
                        self.fail(
                            pointer,
                            "greater_than",
                            format!("Input should be greater than {min}"),
                        );
                    } else if n < i128::from(min) {
                        self.fail(
                            pointer,
                            "greater_than_equal",
                            format!("Input should be greater than or equal to {min}"),
                        );
                    } else if n > i128::from(max) {
                        self.fail(
                            pointer,
                            "less_than_equal",
                            format!("Input should be less than or equal to {max}"),
                        );
                    }
                }
                // An integral float (`2.0`) is an integer in JSON Schema; store it as one.
                if let Ok(n) = i64::try_from(n) {
                    return Value::from(n);
                }
            }
            Ty::Number { min, max } => {
                let Some(n) = value.as_f64() else {
                    return self.wrong_type(type_rule, pointer, kind, message, value);
                };
                if checked && n < min {
                    self.fail(
                        pointer,
                        "greater_than_equal",
                        format!("Input should be greater than or equal to {min}"),
                    );
                } else if checked && n > max {
                    self.fail(
                        pointer,
                        "less_than_equal",
                        format!("Input should be less than or equal to {max}"),
                    );
                }
            }
            Ty::Bool => {
                if !value.is_boolean() {
                    return self.wrong_type(type_rule, pointer, kind, message, value);
                }
            }
            Ty::Object(schema) => {
                let Some(map) = value.as_object() else {
                    return self.wrong_type(type_rule, pointer, kind, message, value);
                };
                return self.object(schema, map, pointer);
            }
            Ty::Array { items, max } => {
                let Some(list) = value.as_array() else {
                    return self.wrong_type(type_rule, pointer, kind, message, value);
                };
                if checked && max.is_some_and(|max| list.len() > max) {
                    let max = max.unwrap_or_default();
                    let plural = if max == 1 { "item" } else { "items" };
                    self.fail(
                        pointer,
                        "too_long",
                        format!(
                            "List should have at most {max} {plural} after validation, not {}",
                            list.len()
                        ),
                    );
                }
                let out = list
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        self.typed(items, rule, type_rule, item, &format!("{pointer}/{i}"))
                    })
                    .collect();
                return Value::Array(out);
            }
            Ty::StringMap => {
                let Some(map) = value.as_object() else {
                    return self.wrong_type(type_rule, pointer, kind, message, value);
                };
                if checked {
                    for key in map.iter().filter(|(_, v)| !v.is_string()).map(|(k, _)| k) {
                        self.fail(
                            &child(pointer, key),
                            "string_type",
                            "Input should be a valid string",
                        );
                    }
                }
            }
        }
        value.clone()
    }
}

/// The pydantic error type and message for a value of the wrong JSON type.
fn type_error(ty: &Ty) -> (&'static str, &'static str) {
    match ty {
        Ty::Str { .. } | Ty::Pattern(_) | Ty::DateTime | Ty::Date | Ty::Uuid => {
            ("string_type", "Input should be a valid string")
        }
        Ty::Enum(_) => ("enum", "Input should be a string of the enum"),
        Ty::Int { .. } | Ty::PositiveInt { .. } => ("int_type", "Input should be a valid integer"),
        Ty::Number { .. } => ("float_type", "Input should be a valid number"),
        Ty::Bool => ("bool_type", "Input should be a valid boolean"),
        Ty::Object(_) => (
            "model_attributes_type",
            "Input should be a valid dictionary or object to extract fields from",
        ),
        Ty::Array { .. } => ("list_type", "Input should be a valid list"),
        Ty::StringMap => ("dict_type", "Input should be a valid dictionary"),
    }
}

/// The integer a JSON number stands for (`2.0` is 2; `2.5` is none); saturates far outside `i64`.
fn integer(value: &Value) -> Option<i128> {
    let n = value.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i128::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Some(i128::from(u));
    }
    let f = n.as_f64()?;
    (f.is_finite() && f.fract() == 0.0).then(|| f.clamp(-1e30, 1e30) as i128)
}

fn one_of(allowed: &[&str]) -> String {
    match allowed {
        [] => String::new(),
        [only] => format!("'{only}'"),
        [init @ .., last] => format!(
            "{} or '{last}'",
            init.iter()
                .map(|a| format!("'{a}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// `pointer` + `/` + `key`, escaped.
pub fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", pointer_token(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_follow_json_schema() {
        assert_eq!(integer(&serde_json::json!(2)), Some(2));
        assert_eq!(integer(&serde_json::json!(2.0)), Some(2));
        assert_eq!(integer(&serde_json::json!(2.5)), None);
        assert_eq!(
            integer(&serde_json::json!(u64::MAX)),
            Some(i128::from(u64::MAX))
        );
        // Saturated far above any maximum, never wrapped.
        assert!(integer(&serde_json::json!(1e300)).is_some_and(|n| n > i128::from(i64::MAX)));
        assert!(integer(&serde_json::json!(-1e300)).is_some_and(|n| n < i128::from(i64::MIN)));
        assert_eq!(integer(&serde_json::json!("2")), None);
    }

    #[test]
    fn enum_messages() {
        assert_eq!(one_of(&["adult", "infant"]), "'adult' or 'infant'");
        assert_eq!(one_of(&["a", "b", "c"]), "'a', 'b' or 'c'");
    }
}
