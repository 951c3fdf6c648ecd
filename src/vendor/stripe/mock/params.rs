//! Reading decoded form parameters the way Stripe does: every object declares the keys it takes
//! (anything else is `parameter_unknown`, at any depth), and every value is read with its type
//! (a wrong type is a 400 naming the parameter in bracket notation).

use super::error::MockError;
use crate::mock::Faults;
use super::StripeFault;
use crate::vendor::stripe::form::{child, FormMap, FormValue};

pub type Result<T> = std::result::Result<T, MockError>;

/// An object parameter whose keys have been checked against the ones it takes.
#[derive(Clone)]
pub struct Obj<'a> {
    path: String,
    map: &'a FormMap,
    faults: Faults,
}

/// A parameter that can be cleared by posting the empty string (`metadata=`, `shipping_options=`).
pub enum Clearable<'a> {
    Clear,
    Set(&'a FormValue),
}

static EMPTY: std::sync::LazyLock<FormMap> = std::sync::LazyLock::new(FormMap::new);

impl<'a> Obj<'a> {
    /// The request body: a map of top-level parameters.
    pub fn root(body: &'a FormValue, allowed: &[&str], faults: Faults) -> Result<Obj<'a>> {
        let map = body.as_map().unwrap_or(&EMPTY);
        Obj {
            path: String::new(),
            map,
            faults,
        }
        .checked(allowed)
    }

    fn checked(self, allowed: &[&str]) -> Result<Obj<'a>> {
        let fault = if self.path.is_empty() {
            StripeFault::UnknownParameterAccepted
        } else {
            StripeFault::NestedUnknownParameterAccepted
        };
        if !self.faults.has(fault) {
            if let Some(key) = self.map.keys().find(|k| !allowed.contains(&k.as_str())) {
                return Err(MockError::unknown(&self.path(key)));
            }
        }
        Ok(self)
    }

    pub fn faults(&self) -> Faults {
        self.faults
    }

    /// The bracket-notation name of `key` in this object.
    pub fn path(&self, key: &str) -> String {
        child(&self.path, key)
    }

    /// The raw value of `key`.
    pub fn get(&self, key: &str) -> Option<&'a FormValue> {
        self.map.get(key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// An optional string. An object given for a string is a 400.
    pub fn string(&self, key: &str) -> Result<Option<&'a str>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(FormValue::Str(s)) => Ok(Some(s)),
            Some(FormValue::Map(_)) => Err(MockError::invalid(
                &self.path(key),
                format!("Invalid string: {} must be a string.", self.path(key)),
            )),
        }
    }

    /// An optional string of at most `max` characters; the empty string reads as absent
    /// for optional fields where Stripe treats `key=` as "unset".
    pub fn string_max(
        &self,
        key: &str,
        max: usize,
        unchecked: Option<StripeFault>,
    ) -> Result<Option<&'a str>> {
        let value = self.string(key)?;
        if let Some(s) = value {
            if s.chars().count() > max && !unchecked.is_some_and(|f| self.faults.has(f)) {
                return Err(MockError::invalid(
                    &self.path(key),
                    format!("Invalid string: must be at most {max} characters."),
                ));
            }
        }
        Ok(value)
    }

    /// A required, non-empty string.
    pub fn required_string(&self, key: &str) -> Result<&'a str> {
        match self.string(key)? {
            None => Err(MockError::missing(&self.path(key))),
            Some("") => Err(MockError::invalid_empty(&self.path(key))),
            Some(s) => Ok(s),
        }
    }

    /// An optional integer. Unless the `wrong-type-accepted` fault is on, anything but an
    /// optionally signed run of digits is `parameter_invalid_integer`.
    pub fn integer(&self, key: &str) -> Result<Option<i64>> {
        let Some(text) = self.string(key)? else {
            return Ok(None);
        };
        match text.parse::<i64>() {
            Ok(n) => Ok(Some(n)),
            Err(_) if self.faults.has(StripeFault::WrongTypeAccepted) => Ok(Some(0)),
            Err(_) => Err(MockError::invalid_integer(
                &self.path(key),
                "must be an integer",
            )),
        }
    }

    /// An optional integer in `min..=max`.
    pub fn integer_in(
        &self,
        key: &str,
        min: i64,
        max: i64,
        unchecked: Option<StripeFault>,
    ) -> Result<Option<i64>> {
        let value = self.integer(key)?;
        if let Some(n) = value {
            if !(min..=max).contains(&n) && !unchecked.is_some_and(|f| self.faults.has(f)) {
                return Err(MockError::invalid_integer(
                    &self.path(key),
                    &format!("must be between {min} and {max}"),
                ));
            }
        }
        Ok(value)
    }

    /// An optional boolean: `true` or `false`.
    pub fn boolean(&self, key: &str) -> Result<Option<bool>> {
        match self.string(key)? {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(_) => Err(MockError::invalid(
                &self.path(key),
                "Invalid boolean: must be true or false.",
            )),
        }
    }

    /// An optional value from a documented enum.
    pub fn one_of(
        &self,
        key: &str,
        allowed: &[&str],
        unchecked: Option<StripeFault>,
    ) -> Result<Option<&'a str>> {
        let value = self.string(key)?;
        if let Some(s) = value {
            if !allowed.contains(&s) && !unchecked.is_some_and(|f| self.faults.has(f)) {
                return Err(MockError::invalid(
                    &self.path(key),
                    format!("Invalid {key}: must be one of {}.", allowed.join(", ")),
                ));
            }
        }
        Ok(value)
    }

    /// An optional object taking the `allowed` keys. A string given for it is a 400: the empty
    /// string (`collected_information[shipping_details]=`, an object posted empty) is Stripe's
    /// way to unset a parameter, which an object without an empty form in the spec (`anyOf`
    /// with `""`, such as `metadata`) cannot be: `parameter_invalid_empty`.
    pub fn object(&self, key: &str, allowed: &[&str]) -> Result<Option<Obj<'a>>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(FormValue::Str(s)) if s.is_empty() => {
                Err(MockError::invalid_empty(&self.path(key)))
            }
            Some(FormValue::Str(_)) => Err(MockError::invalid(
                &self.path(key),
                format!("Invalid object: {} must be an object.", self.path(key)),
            )),
            Some(FormValue::Map(map)) => Obj {
                path: self.path(key),
                map,
                faults: self.faults,
            }
            .checked(allowed)
            .map(Some),
        }
    }

    /// An optional value that the empty string clears.
    pub fn clearable(&self, key: &str) -> Option<Clearable<'a>> {
        self.map.get(key).map(|v| match v {
            FormValue::Str(s) if s.is_empty() => Clearable::Clear,
            other => Clearable::Set(other),
        })
    }

    /// An optional array: its elements with their bracket-notation names.
    pub fn list(&self, key: &str) -> Result<Option<Vec<(String, &'a FormValue)>>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(value) => list_of(&self.path(key), value).map(Some),
        }
    }

    /// Opens an array element (or any value) as an object taking the `allowed` keys. The empty
    /// value (`shipping_options[0]=`, how an empty object is spelled in a form) is an object with
    /// no keys, so that the element's own required-parameter rules answer for it.
    pub fn open(&self, path: String, value: &'a FormValue, allowed: &[&str]) -> Result<Obj<'a>> {
        match value {
            FormValue::Map(map) => Obj {
                path,
                map,
                faults: self.faults,
            }
            .checked(allowed),
            FormValue::Str(s) if s.is_empty() => Ok(Obj {
                path,
                map: &EMPTY,
                faults: self.faults,
            }),
            FormValue::Str(_) => Err(MockError::invalid(
                &path,
                format!("Invalid object: {path} must be an object."),
            )),
        }
    }
}

/// The elements of an array parameter with their names (`line_items[0]`, ...).
pub fn list_of<'a>(path: &str, value: &'a FormValue) -> Result<Vec<(String, &'a FormValue)>> {
    let items = value.as_list(path)?;
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, v)| (format!("{path}[{i}]"), v))
        .collect())
}

/// The entries of a map of strings; a nested object is a 400 naming it.
pub fn string_pairs<'a>(path: &str, value: &'a FormValue) -> Result<Vec<(&'a str, &'a str)>> {
    let map = value.as_map().ok_or_else(|| {
        MockError::invalid(path, format!("Invalid object: {path} must be an object."))
    })?;
    map.iter()
        .map(|(k, v)| match v {
            FormValue::Str(s) => Ok((k.as_str(), s.as_str())),
            FormValue::Map(_) => Err(MockError::invalid(
                &child(path, k),
                "Invalid string: metadata values must be strings.",
            )),
        })
        .collect()
}
