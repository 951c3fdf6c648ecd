//! Stripe's form encoding: `application/x-www-form-urlencoded` bodies whose keys use bracket
//! notation for nesting (`line_items[0][price_data][currency]=usd`, `expand[]=line_items`).
//!
//! This is the one codec of the project: the bundled mock decodes requests with it and the client
//! encodes them with it.
//!
//! The decoder is schema-agnostic. It builds a tree of [`FormValue`]s in which every bracketed
//! segment is a map key, kept in order of first appearance; `[]` appends the next index (`"0"`,
//! `"1"`, ...). Whether a node is an array or a map is the reader's business
//! ([`FormValue::as_list`]), because only the reader knows that `line_items[0]` indexes an array
//! while `metadata[0]` names a metadata key.
//!
//! ```
//! use checkout_conformance::vendor::stripe::form::{self, FormValue};
//!
//! let body = "metadata[order_id]=6735&line_items[0][id]=li_1&expand[]=line_items";
//! let params = form::decode(body.as_bytes())?;
//! assert_eq!(params.get("metadata").and_then(|m| m.get("order_id")).and_then(FormValue::as_str), Some("6735"));
//! assert_eq!(params.get("expand").unwrap().as_list("expand")?.len(), 1);
//! assert_eq!(form::encode(&params), "metadata[order_id]=6735&line_items[0][id]=li_1&expand[0]=line_items");
//! # Ok::<(), checkout_conformance::vendor::stripe::form::FormError>(())
//! ```

use indexmap::IndexMap;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;
use std::fmt::Write as _;

/// How many bracketed segments a key may have. Stripe's deepest documented parameter
/// (`shipping_options[0][shipping_rate_data][fixed_amount][currency_options][eur][amount]`) has 5.
pub const MAX_DEPTH: usize = 16;

/// How long a parameter name may be in an error message before it is cut.
const MAX_PARAM_IN_ERROR: usize = 200;

/// A map of decoded parameters, in order of first appearance.
pub type FormMap = IndexMap<String, FormValue>;

/// One decoded value: a string leaf, or a map of bracketed segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormValue {
    /// A leaf: `key=value`. An empty value (`metadata=`) is `Str("")`.
    Str(String),
    /// A node: `key[a]=..&key[b]=..`. Arrays are maps keyed `"0"`, `"1"`, ...
    Map(FormMap),
}

/// Why a body could not be decoded, or a node could not be read as an array.
///
/// Every variant names the offending parameter in bracket notation, so that the mock can answer
/// with Stripe's `param` field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// A `%` not followed by two hex digits.
    #[error("malformed percent-encoding in `{param}`")]
    BadEscape {
        /// The parameter (or the raw key, if the key itself is malformed).
        param: String,
    },
    /// The bytes are not UTF-8 once percent-decoded.
    #[error("invalid UTF-8 in `{param}`")]
    InvalidUtf8 {
        /// The parameter (or the raw key, if the key itself is malformed).
        param: String,
    },
    /// A key whose brackets do not parse (`a[b`, `a]b`, `[x]`, `a[b]c`).
    #[error("malformed parameter name `{param}`")]
    MalformedKey {
        /// The raw key.
        param: String,
    },
    /// More than [`MAX_DEPTH`] bracketed segments.
    #[error("`{param}` is nested more than {MAX_DEPTH} levels deep")]
    TooDeep {
        /// The key, cut to a readable length.
        param: String,
    },
    /// The same name is given as a value and as an object (`a=1&a[b]=2`).
    #[error("`{param}` is given both as a value and as an object")]
    Conflict {
        /// The parameter.
        param: String,
    },
    /// The same leaf is given twice (`a=1&a=2`).
    #[error("`{param}` is given more than once")]
    Duplicate {
        /// The parameter.
        param: String,
    },
    /// A node read as an array whose keys are not `0..n` (`line_items[99999999]`, `line_items[x]`).
    #[error("`{param}` is not an array indexed from 0 without gaps")]
    NotAnArray {
        /// The first offending element, or the node itself.
        param: String,
    },
}

impl FormError {
    /// The parameter this error is about, in bracket notation.
    ///
    /// ```
    /// use checkout_conformance::vendor::stripe::form;
    /// let err = form::decode(b"a=1&a[b]=2").unwrap_err();
    /// assert_eq!(err.param(), "a");
    /// ```
    pub fn param(&self) -> &str {
        match self {
            FormError::BadEscape { param }
            | FormError::InvalidUtf8 { param }
            | FormError::MalformedKey { param }
            | FormError::TooDeep { param }
            | FormError::Conflict { param }
            | FormError::Duplicate { param }
            | FormError::NotAnArray { param } => param,
        }
    }
}

impl FormValue {
    /// The string of a leaf, `None` for a map.
    ///
    /// ```
    /// use checkout_conformance::vendor::stripe::form::FormValue;
    /// assert_eq!(FormValue::Str("x".into()).as_str(), Some("x"));
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match self {
            FormValue::Str(s) => Some(s),
            FormValue::Map(_) => None,
        }
    }

    /// The map of a node, `None` for a leaf.
    ///
    /// ```
    /// use checkout_conformance::vendor::stripe::form;
    /// let params = form::decode(b"metadata[a]=1")?;
    /// assert_eq!(params.get("metadata").unwrap().as_map().unwrap().len(), 1);
    /// # Ok::<(), form::FormError>(())
    /// ```
    pub fn as_map(&self) -> Option<&FormMap> {
        match self {
            FormValue::Map(m) => Some(m),
            FormValue::Str(_) => None,
        }
    }

    /// The child `key` of a node.
    ///
    /// ```
    /// use checkout_conformance::vendor::stripe::form;
    /// let params = form::decode(b"a[b][c]=1")?;
    /// assert_eq!(params.get("a").and_then(|a| a.get("b")).and_then(|b| b.get("c")).and_then(|c| c.as_str()), Some("1"));
    /// # Ok::<(), form::FormError>(())
    /// ```
    pub fn get(&self, key: &str) -> Option<&FormValue> {
        self.as_map().and_then(|m| m.get(key))
    }

    /// Reads a node as an array: its keys must be exactly `0..n` (in any order); the elements are
    /// returned in index order. `param` is this node's name, used in the error.
    ///
    /// ```
    /// use checkout_conformance::vendor::stripe::form;
    /// let params = form::decode(b"line_items[1][id]=b&line_items[0][id]=a")?;
    /// let items = params.get("line_items").unwrap().as_list("line_items")?;
    /// assert_eq!(items[0].get("id").and_then(|v| v.as_str()), Some("a"));
    /// assert!(form::decode(b"line_items[7][id]=a")?.get("line_items").unwrap().as_list("line_items").is_err());
    /// # Ok::<(), form::FormError>(())
    /// ```
    pub fn as_list(&self, param: &str) -> Result<Vec<&FormValue>, FormError> {
        let map = self
            .as_map()
            .ok_or_else(|| FormError::NotAnArray { param: cut(param) })?;
        let mut slots: Vec<Option<&FormValue>> = vec![None; map.len()];
        for (key, value) in map {
            let index = parse_index(key)
                .filter(|i| *i < slots.len())
                .ok_or_else(|| FormError::NotAnArray {
                    param: cut(&child(param, key)),
                })?;
            slots[index] = Some(value);
        }
        // Keys are unique and each index is < len, so every slot is filled.
        Ok(slots.into_iter().flatten().collect())
    }

    /// Builds a form tree from JSON, the way Stripe's client libraries do: arrays become indexed
    /// maps, numbers and booleans their text, `null` is left out, and an empty array, object or
    /// string becomes the empty value `key=` (Stripe's way of saying "clear").
    ///
    /// Returns `None` for `null`.
    ///
    /// ```
    /// use checkout_conformance::vendor::stripe::form::{self, FormValue};
    /// let json = serde_json::json!({"metadata": {"k": ""}, "shipping_options": [], "quantity": 2});
    /// let tree = FormValue::from_json(&json).unwrap();
    /// assert_eq!(form::encode(&tree), "metadata[k]=&shipping_options=&quantity=2");
    /// ```
    pub fn from_json(value: &Value) -> Option<FormValue> {
        Some(match value {
            Value::Null => return None,
            Value::Bool(b) => FormValue::Str(b.to_string()),
            Value::Number(n) => FormValue::Str(n.to_string()),
            Value::String(s) => FormValue::Str(s.clone()),
            Value::Array(items) if items.is_empty() => FormValue::Str(String::new()),
            Value::Object(fields) if fields.is_empty() => FormValue::Str(String::new()),
            Value::Array(items) => FormValue::Map(
                items
                    .iter()
                    .filter_map(FormValue::from_json)
                    .enumerate()
                    .map(|(i, v)| (i.to_string(), v))
                    .collect(),
            ),
            Value::Object(fields) => FormValue::Map(
                fields
                    .iter()
                    .filter_map(|(k, v)| FormValue::from_json(v).map(|v| (k.clone(), v)))
                    .collect(),
            ),
        })
    }

    /// The tree as JSON: leaves are strings, maps are objects (arrays stay index-keyed objects,
    /// since the codec does not know which nodes are arrays). For logs and comparisons.
    ///
    /// ```
    /// use checkout_conformance::vendor::stripe::form;
    /// let tree = form::decode(b"a[b]=1")?;
    /// assert_eq!(tree.to_json(), serde_json::json!({"a": {"b": "1"}}));
    /// # Ok::<(), form::FormError>(())
    /// ```
    pub fn to_json(&self) -> Value {
        match self {
            FormValue::Str(s) => Value::String(s.clone()),
            FormValue::Map(m) => {
                Value::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }
}

/// Decodes a whole form body into a tree (always a [`FormValue::Map`] at the top).
///
/// Pairs are separated by `&`; a pair without `=` is a key with the empty value; `+` is a space;
/// brackets may be literal or percent-encoded. Empty pairs (`a=1&&b=2`) are skipped.
///
/// ```
/// use checkout_conformance::vendor::stripe::form;
/// let tree = form::decode(b"metadata=")?;
/// assert_eq!(tree.get("metadata").and_then(|v| v.as_str()), Some(""));
/// assert!(form::decode(b"a=%zz").is_err());
/// # Ok::<(), form::FormError>(())
/// ```
pub fn decode(body: &[u8]) -> Result<FormValue, FormError> {
    let mut root = FormMap::new();
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (raw_key, raw_value) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &pair[pair.len()..]),
        };
        let key = unescape(raw_key).map_err(|e| e.into_error(&String::from_utf8_lossy(raw_key)))?;
        let segments = split_key(&key)?;
        let value = unescape(raw_value).map_err(|e| e.into_error(&key))?;
        insert(&mut root, &segments, value)?;
    }
    Ok(FormValue::Map(root))
}

/// Encodes a tree as a form body with bracket notation. Brackets stay literal for readability;
/// everything else outside `[A-Za-z0-9*-._]` is percent-encoded, spaces as `+`.
///
/// The inverse of [`decode`]: `decode(encode(t)) == t` for every tree whose maps are non-empty
/// (an empty map has no spelling in a form body).
///
/// ```
/// use checkout_conformance::vendor::stripe::form;
/// let body = "shipping_options[0][shipping_rate_data][display_name]=Ground+shipping";
/// assert_eq!(form::encode(&form::decode(body.as_bytes())?), body);
/// # Ok::<(), form::FormError>(())
/// ```
pub fn encode(tree: &FormValue) -> String {
    let mut out = String::new();
    match tree {
        FormValue::Map(map) => {
            for (key, value) in map {
                encode_into(&mut out, &escape(key), value);
            }
        }
        FormValue::Str(s) => out.push_str(&escape(s)),
    }
    out
}

/// Encodes JSON parameters as a form body: [`FormValue::from_json`] then [`encode`].
///
/// ```
/// let body = checkout_conformance::vendor::stripe::form::encode_json(&serde_json::json!({
///     "line_items": [{"id": "li_1"}, {"price": "price_1", "quantity": 2}],
/// }));
/// assert_eq!(body, "line_items[0][id]=li_1&line_items[1][price]=price_1&line_items[1][quantity]=2");
/// ```
pub fn encode_json(params: &Value) -> String {
    FormValue::from_json(params)
        .map(|tree| encode(&tree))
        .unwrap_or_default()
}

/// Encodes `(name, value)` pairs whose names are already in bracket notation, the way the
/// documentation and `curl -d` write them: names and values are escaped, brackets kept.
///
/// ```
/// use checkout_conformance::vendor::stripe::form;
/// let body = form::encode_pairs([("metadata[order id]", "67 35"), ("expand[]", "line_items")]);
/// assert_eq!(body, "metadata[order+id]=67+35&expand[]=line_items");
/// ```
pub fn encode_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(name, value)| {
            let name = escape(name).replace("%5B", "[").replace("%5D", "]");
            format!("{name}={}", escape(value))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// `parent[key]`, or `key` at the top.
///
/// ```
/// assert_eq!(checkout_conformance::vendor::stripe::form::child("line_items[0]", "price"), "line_items[0][price]");
/// assert_eq!(checkout_conformance::vendor::stripe::form::child("", "metadata"), "metadata");
/// ```
pub fn child(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}[{key}]")
    }
}

fn encode_into(out: &mut String, prefix: &str, value: &FormValue) {
    match value {
        FormValue::Str(s) => {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(prefix);
            out.push('=');
            escape_into(out, s);
        }
        FormValue::Map(map) if map.is_empty() => {
            if !out.is_empty() {
                out.push('&');
            }
            let _ = write!(out, "{prefix}=");
        }
        FormValue::Map(map) => {
            for (key, value) in map {
                encode_into(out, &format!("{prefix}[{}]", escape(key)), value);
            }
        }
    }
}

/// Bytes kept literal: what `application/x-www-form-urlencoded` keeps (`*-._`, alphanumerics).
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// Appends `s` percent-encoded for a form: the encoder yields each escaped byte as a chunk of
/// its own, and space (`%20` in the set) is spelled `+` in forms.
fn escape_into(out: &mut String, s: &str) {
    for chunk in utf8_percent_encode(s, FORM) {
        out.push_str(if chunk == "%20" { "+" } else { chunk });
    }
}

enum Unescape {
    BadEscape,
    InvalidUtf8,
}

impl Unescape {
    fn into_error(self, param: &str) -> FormError {
        let param = cut(param);
        match self {
            Unescape::BadEscape => FormError::BadEscape { param },
            Unescape::InvalidUtf8 => FormError::InvalidUtf8 { param },
        }
    }
}

fn unescape(raw: &[u8]) -> Result<String, Unescape> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hex = raw.get(i + 1..i + 3).ok_or(Unescape::BadEscape)?;
                let hi = hex_digit(hex[0]).ok_or(Unescape::BadEscape)?;
                let lo = hex_digit(hex[1]).ok_or(Unescape::BadEscape)?;
                bytes.push(hi << 4 | lo);
                i += 2;
            }
            b => bytes.push(b),
        }
        i += 1;
    }
    String::from_utf8(bytes).map_err(|_| Unescape::InvalidUtf8)
}

fn hex_digit(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// One segment of a key: a name, or `[]` (append).
#[derive(Debug, PartialEq)]
enum Segment<'a> {
    Name(&'a str),
    Append,
}

fn split_key(key: &str) -> Result<Vec<Segment<'_>>, FormError> {
    let malformed = || FormError::MalformedKey { param: cut(key) };
    let (head, mut rest) = match key.find('[') {
        Some(i) => key.split_at(i),
        None => (key, ""),
    };
    if head.is_empty() || head.contains(']') {
        return Err(malformed());
    }
    let mut segments = vec![Segment::Name(head)];
    while !rest.is_empty() {
        if segments.len() > MAX_DEPTH {
            return Err(FormError::TooDeep { param: cut(key) });
        }
        let inner = rest.strip_prefix('[').ok_or_else(malformed)?;
        let close = inner.find(']').ok_or_else(malformed)?;
        let name = &inner[..close];
        if name.contains('[') {
            return Err(malformed());
        }
        segments.push(if name.is_empty() {
            Segment::Append
        } else {
            Segment::Name(name)
        });
        rest = &inner[close + 1..];
    }
    if segments.len() > MAX_DEPTH {
        return Err(FormError::TooDeep { param: cut(key) });
    }
    Ok(segments)
}

fn insert(root: &mut FormMap, segments: &[Segment<'_>], value: String) -> Result<(), FormError> {
    let mut map = root;
    let mut path = String::new();
    for (depth, segment) in segments.iter().enumerate() {
        let key = match segment {
            Segment::Name(name) => (*name).to_owned(),
            Segment::Append => map.len().to_string(),
        };
        path = child(&path, &key);
        let last = depth + 1 == segments.len();
        if last {
            return match map.get(&key) {
                None => {
                    map.insert(key, FormValue::Str(value));
                    Ok(())
                }
                Some(FormValue::Str(_)) => Err(FormError::Duplicate { param: cut(&path) }),
                Some(FormValue::Map(_)) => Err(FormError::Conflict { param: cut(&path) }),
            };
        }
        let node = map
            .entry(key)
            .or_insert_with(|| FormValue::Map(FormMap::new()));
        map = match node {
            FormValue::Map(m) => m,
            FormValue::Str(_) => return Err(FormError::Conflict { param: cut(&path) }),
        };
    }
    Ok(())
}

/// `"0"`, `"17"`: an array index. Leading zeros and signs are not indexes.
fn parse_index(key: &str) -> Option<usize> {
    let canonical =
        key == "0" || (!key.starts_with('0') && key.bytes().all(|b| b.is_ascii_digit()));
    if canonical && key.len() <= 9 {
        key.parse().ok()
    } else {
        None
    }
}

fn cut(param: &str) -> String {
    if param.len() <= MAX_PARAM_IN_ERROR {
        return param.to_owned();
    }
    let mut end = MAX_PARAM_IN_ERROR;
    while !param.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &param[..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;
    use serde_json::json;

    #[rstest]
    #[case::flat("a=1", json!({"a": "1"}))]
    #[case::nested("a[b][c]=1", json!({"a": {"b": {"c": "1"}}}))]
    #[case::empty_value("metadata=", json!({"metadata": ""}))]
    #[case::no_equals("metadata", json!({"metadata": ""}))]
    #[case::empty_nested_value("metadata[k]=", json!({"metadata": {"k": ""}}))]
    #[case::append("expand[]=a&expand[]=b", json!({"expand": {"0": "a", "1": "b"}}))]
    #[case::indexed("l[0][id]=x&l[1][id]=y", json!({"l": {"0": {"id": "x"}, "1": {"id": "y"}}}))]
    #[case::plus_is_space("n=a+b", json!({"n": "a b"}))]
    #[case::escaped_brackets("a%5Bb%5D=1", json!({"a": {"b": "1"}}))]
    #[case::escaped_value("v=%E2%82%AC%26%3D", json!({"v": "€&="}))]
    #[case::empty_pairs_skipped("a=1&&b=2&", json!({"a": "1", "b": "2"}))]
    #[case::equals_in_value("a=b=c", json!({"a": "b=c"}))]
    #[case::order_kept("z=1&a=2", json!({"z": "1", "a": "2"}))]
    fn decodes(#[case] body: &str, #[case] expected: Value) {
        assert_eq!(decode(body.as_bytes()).unwrap().to_json(), expected);
    }

    #[rstest]
    #[case::bad_escape(b"a=%zz".as_slice(), FormError::BadEscape { param: "a".into() })]
    #[case::truncated_escape(b"a=%4".as_slice(), FormError::BadEscape { param: "a".into() })]
    #[case::bad_escape_in_key(b"a%z=1".as_slice(), FormError::BadEscape { param: "a%z".into() })]
    #[case::invalid_utf8(b"a=%ff%fe".as_slice(), FormError::InvalidUtf8 { param: "a".into() })]
    #[case::raw_invalid_utf8(b"a=\xff".as_slice(), FormError::InvalidUtf8 { param: "a".into() })]
    #[case::unclosed(b"a[b=1".as_slice(), FormError::MalformedKey { param: "a[b".into() })]
    #[case::stray_close(b"a]b=1".as_slice(), FormError::MalformedKey { param: "a]b".into() })]
    #[case::no_name(b"[a]=1".as_slice(), FormError::MalformedKey { param: "[a]".into() })]
    #[case::text_after_bracket(b"a[b]c=1".as_slice(), FormError::MalformedKey { param: "a[b]c".into() })]
    #[case::nested_open(b"a[[b]]=1".as_slice(), FormError::MalformedKey { param: "a[[b]]".into() })]
    #[case::value_then_object(b"a=1&a[b]=2".as_slice(), FormError::Conflict { param: "a".into() })]
    #[case::object_then_value(b"a[b]=2&a=1".as_slice(), FormError::Conflict { param: "a".into() })]
    #[case::duplicate(b"a[b]=1&a[b]=2".as_slice(), FormError::Duplicate { param: "a[b]".into() })]
    fn rejects(#[case] body: &[u8], #[case] expected: FormError) {
        assert_eq!(decode(body).unwrap_err(), expected);
    }

    #[test]
    fn rejects_deep_nesting() {
        let key = format!("a{}", "[b]".repeat(1000));
        let err = decode(format!("{key}=1").as_bytes()).unwrap_err();
        assert!(matches!(err, FormError::TooDeep { .. }), "{err:?}");
        assert!(err.param().len() <= MAX_PARAM_IN_ERROR + 3);
        let at_limit = format!("a{}=1", "[b]".repeat(MAX_DEPTH - 1));
        assert!(decode(at_limit.as_bytes()).is_ok());
        let over = format!("a{}=1", "[b]".repeat(MAX_DEPTH));
        assert!(decode(over.as_bytes()).is_err());
    }

    #[rstest]
    #[case::in_order("l[0]=a&l[1]=b", Some(vec!["a", "b"]))]
    #[case::out_of_order("l[1]=b&l[0]=a", Some(vec!["a", "b"]))]
    #[case::appended("l[]=a&l[]=b", Some(vec!["a", "b"]))]
    #[case::gap("l[0]=a&l[2]=b", None)]
    #[case::huge_index("l[99999999]=a", None)]
    #[case::not_from_zero("l[1]=a", None)]
    #[case::leading_zero("l[00]=a", None)]
    #[case::named("l[x]=a", None)]
    #[case::scalar("l=a", None)]
    fn reads_lists(#[case] body: &str, #[case] expected: Option<Vec<&str>>) {
        let tree = decode(body.as_bytes()).unwrap();
        let list = tree.get("l").unwrap().as_list("l");
        match expected {
            Some(items) => assert_eq!(
                list.unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect::<Vec<_>>(),
                items
            ),
            None => assert!(matches!(list, Err(FormError::NotAnArray { .. }))),
        }
    }

    #[test]
    fn list_error_names_the_element() {
        let tree = decode(b"line_items[99999999][id]=x").unwrap();
        let err = tree
            .get("line_items")
            .unwrap()
            .as_list("line_items")
            .unwrap_err();
        assert_eq!(err.param(), "line_items[99999999]");
    }

    #[rstest]
    #[case::null(json!({"a": null, "b": 1}), "b=1")]
    #[case::bool(json!({"enabled": true}), "enabled=true")]
    #[case::empty_array(json!({"shipping_options": []}), "shipping_options=")]
    #[case::empty_object(json!({"metadata": {}}), "metadata=")]
    #[case::nested_array(json!({"a": [[1, 2]]}), "a[0][0]=1&a[0][1]=2")]
    #[case::escapes(json!({"k y": "a&b=c €"}), "k+y=a%26b%3Dc+%E2%82%AC")]
    fn encodes_json(#[case] params: Value, #[case] expected: &str) {
        assert_eq!(encode_json(&params), expected);
    }

    fn leaf() -> impl Strategy<Value = String> {
        // Any text, brackets and separators included: values are always escaped.
        any::<String>()
    }

    fn key() -> impl Strategy<Value = String> {
        // Keys may hold anything but brackets (Stripe's keys cannot spell them either).
        "[^\\[\\]]{1,12}"
    }

    fn tree() -> impl Strategy<Value = FormValue> {
        let leaf = leaf().prop_map(FormValue::Str);
        leaf.prop_recursive(6, 64, 6, |inner| {
            prop::collection::vec((key(), inner), 1..6)
                .prop_map(|pairs| FormValue::Map(pairs.into_iter().collect::<FormMap>()))
        })
    }

    fn root() -> impl Strategy<Value = FormValue> {
        prop::collection::vec((key(), tree()), 0..6)
            .prop_map(|pairs| FormValue::Map(pairs.into_iter().collect()))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn round_trips(tree in root()) {
            let body = encode(&tree);
            prop_assert_eq!(decode(body.as_bytes()).unwrap(), tree);
        }

        #[test]
        fn json_arrays_read_back_as_lists(items in prop::collection::vec(leaf(), 1..20)) {
            let body = encode_json(&json!({ "l": items }));
            let tree = decode(body.as_bytes()).unwrap();
            let list: Vec<&str> = tree.get("l").unwrap().as_list("l").unwrap()
                .into_iter().map(|v| v.as_str().unwrap()).collect();
            let expected: Vec<&str> = items.iter().map(String::as_str).collect();
            prop_assert_eq!(list, expected);
        }

        #[test]
        fn decoder_never_panics(body in prop::collection::vec(any::<u8>(), 0..256)) {
            let _ = decode(&body);
        }
    }

    /// 100k generated bodies, biased toward what breaks decoders: brackets, escapes, separators.
    #[test]
    fn decoder_survives_100k_hostile_bodies() {
        let alphabet: &[u8] = b"ab0129[]%=&+fFzZ\xff\xc3\x28 ";
        let mut rng = fastrand::Rng::with_seed(0x0571_71BE);
        let mut decoded = 0usize;
        for _ in 0..100_000 {
            let len = rng.usize(0..64);
            let body: Vec<u8> = (0..len)
                .map(|_| alphabet[rng.usize(0..alphabet.len())])
                .collect();
            if let Ok(tree) = decode(&body) {
                decoded += 1;
                // Whatever decodes re-encodes to something that decodes to the same tree.
                assert_eq!(decode(encode(&tree).as_bytes()).as_ref(), Ok(&tree));
            }
        }
        assert!(decoded > 1_000, "the generator should hit valid bodies too");
    }
}
