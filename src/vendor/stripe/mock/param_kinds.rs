//! Reading parameters from a table ([`super::param_table`], generated from stripe-python's
//! typed params) rather than rule by rule: every key checked against the table at every depth
//! (`parameter_unknown`), every value read with its type (`parameter_invalid_integer`, …),
//! enums checked, required parameters required, an object posted empty refused unless the table
//! marks it clearable. The result is the parameters as typed JSON, to store and to render on the
//! object ([`overlay`]).

use super::error::MockError;
use super::params::{list_of, string_pairs, Obj, Result};
use super::StripeFault;
use crate::vendor::stripe::form::FormValue;
use serde_json::{Map, Value};

/// The type of a parameter.
#[derive(Debug)]
pub enum Kind {
    Str,
    Bool,
    Int,
    /// A decimal number, kept as the string given (Stripe's `*_decimal` fields are strings).
    Decimal,
    Enum(&'static [&'static str]),
    Object(&'static [Param]),
    List(&'static Kind),
    /// A map of strings (`metadata`).
    Map,
    /// Any of these (an object or an integer, an integer or `inf`, …).
    AnyOf(&'static [Kind]),
}

/// One parameter of a call or of an object parameter.
#[derive(Debug)]
pub struct Param {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// `key=` unsets it (the spec's `anyOf [..., ""]`).
    pub clearable: bool,
}

/// The names of `params`.
pub fn names(params: &[Param]) -> Vec<&'static str> {
    params.iter().map(|p| p.name).collect()
}

/// Reads the parameters of `obj` that `params` declares, except those in `skip` (read by
/// rules of their own): typed JSON, in the table's order. `obj`'s keys must already have been
/// checked against the table ([`Obj::root`] with [`names`]).
pub fn read(obj: &Obj<'_>, params: &[Param], skip: &[&str]) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    for param in params.iter().filter(|p| !skip.contains(&p.name)) {
        match obj.get(param.name) {
            None if param.required => return Err(MockError::missing(&obj.path(param.name))),
            None => {}
            Some(value) => {
                let value = read_value(obj, obj.path(param.name), value, param)?;
                out.insert(param.name.to_owned(), value);
            }
        }
    }
    Ok(out)
}

fn read_value(obj: &Obj<'_>, path: String, value: &FormValue, param: &Param) -> Result<Value> {
    if value.as_str() == Some("") {
        if param.clearable {
            return Ok(Value::Null);
        }
        if matches!(param.kind, Kind::Object(_) | Kind::List(_) | Kind::Map) {
            return Err(MockError::invalid_empty(&path));
        }
    }
    kind_value(obj, path, value, &param.kind)
}

fn kind_value(obj: &Obj<'_>, path: String, value: &FormValue, kind: &Kind) -> Result<Value> {
    let text = || {
        value.as_str().ok_or_else(|| {
            MockError::invalid(&path, format!("Invalid string: {path} must be a string."))
        })
    };
    Ok(match kind {
        Kind::Str => Value::from(text()?),
        Kind::Bool => match text()? {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => {
                return Err(MockError::invalid(
                    &path,
                    "Invalid boolean: must be true or false.",
                ))
            }
        },
        Kind::Int => match text()?.parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) if obj.faults().has(StripeFault::WrongTypeAccepted) => Value::from(0),
            Err(_) => return Err(MockError::invalid_integer(&path, "must be an integer")),
        },
        Kind::Decimal => {
            let s = text()?;
            if s.parse::<f64>().map_or(true, |f| !f.is_finite()) {
                return Err(MockError::invalid(
                    &path,
                    "Invalid decimal: must be a number.",
                ));
            }
            Value::from(s)
        }
        Kind::Enum(values) => {
            let s = text()?;
            if !values.contains(&s) {
                return Err(MockError::invalid(
                    &path,
                    format!(
                        "Invalid {}: must be one of {}.",
                        path.rsplit('[')
                            .next()
                            .unwrap_or(&path)
                            .trim_end_matches(']'),
                        values.join(", ")
                    ),
                ));
            }
            Value::from(s)
        }
        Kind::Object(params) => {
            let nested = obj.open(path, value, &names(params))?;
            Value::Object(read(&nested, params, &[])?)
        }
        Kind::List(item) => Value::Array(
            list_of(&path, value)?
                .into_iter()
                .map(|(path, v)| kind_value(obj, path, v, item))
                .collect::<Result<_>>()?,
        ),
        Kind::Map => Value::Object(
            string_pairs(&path, value)?
                .into_iter()
                .map(|(k, v)| (k.to_owned(), Value::from(v)))
                .collect(),
        ),
        Kind::AnyOf(kinds) => {
            let composite = |k: &Kind| matches!(k, Kind::Object(_) | Kind::List(_) | Kind::Map);
            let fits = |k: &&Kind| composite(k) == value.as_map().is_some();
            let mut first = None;
            for kind in kinds.iter().filter(fits) {
                match kind_value(obj, path.clone(), value, kind) {
                    Ok(v) => return Ok(v),
                    Err(e) => first = first.or(Some(e)),
                }
            }
            return Err(first.unwrap_or_else(|| {
                MockError::invalid(&path, format!("Invalid value for {path}."))
            }));
        }
    })
}

/// Renders stored parameters on an object: each parameter the object has a field for
/// replaces it (an object parameter is merged into an object field, keeping the fields the
/// parameter does not set); parameters the object has no field for are not shown.
///
/// ```
/// use checkout_conformance::vendor::stripe::mock::overlay;
/// let mut session = serde_json::json!({"locale": null, "automatic_tax": {"enabled": false, "status": null}});
/// let params = serde_json::json!({"locale": "fr", "automatic_tax": {"enabled": true}, "payment_intent_data": {}});
/// overlay(&mut session, params.as_object().unwrap());
/// assert_eq!(session, serde_json::json!({"locale": "fr", "automatic_tax": {"enabled": true, "status": null}}));
/// ```
pub fn overlay(object: &mut Value, params: &Map<String, Value>) {
    let Some(fields) = object.as_object_mut() else {
        return;
    };
    for (key, value) in params {
        let Some(field) = fields.get_mut(key) else {
            continue;
        };
        match (field, value) {
            (Value::Object(field), Value::Object(value)) => {
                for (k, v) in value {
                    field.insert(k.clone(), v.clone());
                }
            }
            (field, value) => *field = value.clone(),
        }
    }
}
