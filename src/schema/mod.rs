//! JSON Schemas (draft 2020-12) for the Stripe objects the suite checks, compiled once.
//!
//! The schemas under `schemas/stripe/` are derived from Stripe's OpenAPI spec by
//! `schemas/stripe/derive.py` (see `schemas/stripe/DERIVATION.md`) and embedded into the binary,
//! so [`SchemaRegistry::stripe`] needs no file at run time. [`SchemaRegistry::from_dir`] loads a
//! user's own copy of the same files instead.
//!
//! # Example
//!
//! ```rust
//! use checkout_conformance::schema::SchemaRegistry;
//! use serde_json::json;
//!
//! let registry = SchemaRegistry::stripe();
//! let body = json!({"error": {"type": "invalid_request_error", "code": "parameter_unknown"}});
//! let id = registry.for_object(&body).expect("an error envelope");
//! assert!(registry.validate(id, &body).is_ok());
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

/// One of the schemas a [`SchemaRegistry`] holds.
///
/// # Example
///
/// ```rust
/// use checkout_conformance::schema::SchemaId;
///
/// assert_eq!(SchemaId::CheckoutSession.name(), "checkout.session");
/// assert_eq!(SchemaId::ItemList.file_name(), "item.list.json");
/// assert_eq!(SchemaId::all().len(), 6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaId {
    /// A `checkout.session` object: what "Update a Checkout Session" returns.
    CheckoutSession,
    /// A `list` of line `item`s (`GET /v1/checkout/sessions/{id}/line_items`, expanded `line_items`).
    ItemList,
    /// A line `item` of a Checkout Session.
    Item,
    /// Stripe's error envelope `{"error": {"type", "code", "param", "message", ...}}`.
    Error,
    /// A `price` object.
    Price,
    /// A `shipping_rate` object.
    ShippingRate,
}

impl SchemaId {
    /// Every schema, in declaration order.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::SchemaId;
    ///
    /// assert_eq!(SchemaId::all()[0], SchemaId::CheckoutSession);
    /// ```
    pub fn all() -> &'static [SchemaId] {
        // Must stay in declaration order: `SchemaRegistry` indexes its validators by `id as usize`.
        &[
            SchemaId::CheckoutSession,
            SchemaId::ItemList,
            SchemaId::Item,
            SchemaId::Error,
            SchemaId::Price,
            SchemaId::ShippingRate,
        ]
    }

    /// The schema's name: the Stripe `object` value it describes, `item.list` or `error`.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::SchemaId;
    ///
    /// assert_eq!(SchemaId::ShippingRate.name(), "shipping_rate");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            SchemaId::CheckoutSession => "checkout.session",
            SchemaId::ItemList => "item.list",
            SchemaId::Item => "item",
            SchemaId::Error => "error",
            SchemaId::Price => "price",
            SchemaId::ShippingRate => "shipping_rate",
        }
    }

    /// The file holding the schema in a schema directory: `{name}.json`.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::SchemaId;
    ///
    /// assert_eq!(SchemaId::Error.file_name(), "error.json");
    /// ```
    pub fn file_name(self) -> &'static str {
        match self {
            SchemaId::CheckoutSession => "checkout.session.json",
            SchemaId::ItemList => "item.list.json",
            SchemaId::Item => "item.json",
            SchemaId::Error => "error.json",
            SchemaId::Price => "price.json",
            SchemaId::ShippingRate => "shipping_rate.json",
        }
    }

    fn embedded(self) -> &'static str {
        match self {
            SchemaId::CheckoutSession => {
                include_str!("../../schemas/stripe/checkout.session.json")
            }
            SchemaId::ItemList => include_str!("../../schemas/stripe/item.list.json"),
            SchemaId::Item => include_str!("../../schemas/stripe/item.json"),
            SchemaId::Error => include_str!("../../schemas/stripe/error.json"),
            SchemaId::Price => include_str!("../../schemas/stripe/price.json"),
            SchemaId::ShippingRate => include_str!("../../schemas/stripe/shipping_rate.json"),
        }
    }
}

impl fmt::Display for SchemaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a schema directory could not be loaded; every variant names the offending file.
///
/// # Example
///
/// ```rust
/// use checkout_conformance::schema::{SchemaError, SchemaRegistry};
/// use std::path::Path;
///
/// let err = SchemaRegistry::from_dir(Path::new("no/such/dir")).unwrap_err();
/// assert!(matches!(err, SchemaError::Read { .. }));
/// assert!(err.to_string().contains("checkout.session.json"));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The file could not be read (missing, unreadable, not UTF-8).
    #[error("cannot read schema {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid JSON.
    #[error("{}:{line}:{column}: invalid JSON: {source}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// The parser's error.
        source: serde_json::Error,
    },
    /// The file is JSON but not a usable JSON Schema (bad keyword value, unresolvable `$ref`, ...).
    #[error("{}: invalid JSON Schema at {}: {message}", path.display(), display_pointer(pointer))]
    Compile {
        /// The file.
        path: PathBuf,
        /// JSON pointer into the schema document where the problem is.
        pointer: String,
        /// The compiler's message.
        message: String,
    },
}

/// One way an instance fails a schema.
///
/// # Example
///
/// ```rust
/// use checkout_conformance::schema::{SchemaId, SchemaRegistry};
/// use serde_json::json;
///
/// let violations = SchemaRegistry::stripe()
///     .validate(SchemaId::Error, &json!({"error": {"type": "bogus"}}))
///     .unwrap_err();
/// assert_eq!(violations[0].pointer, "/error/type");
/// assert_eq!(violations[0].schema_path, "/$defs/api_errors/properties/type/enum");
/// assert!(violations[0].to_string().starts_with("at /error/type: "));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer to the failing value in the instance (`""` is the whole instance).
    pub pointer: String,
    /// JSON pointer to the failing rule in the schema document,
    /// e.g. `/properties/metadata/additionalProperties/maxLength`.
    pub schema_path: String,
    /// What is wrong, e.g. `"id" is a required property`.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "at {}: {} (schema rule {})",
            display_pointer(&self.pointer),
            self.message,
            self.schema_path
        )
    }
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(root)"
    } else {
        pointer
    }
}

/// The compiled schemas, one validator per [`SchemaId`].
///
/// # Example
///
/// ```rust
/// use checkout_conformance::schema::{SchemaId, SchemaRegistry};
/// use serde_json::json;
///
/// let registry = SchemaRegistry::stripe();
/// let violations = registry
///     .validate(SchemaId::CheckoutSession, &json!({"object": "checkout.session"}))
///     .unwrap_err();
/// assert!(violations.iter().any(|v| v.message == r#""id" is a required property"#));
/// ```
pub struct SchemaRegistry {
    /// Indexed by `SchemaId as usize`, in [`SchemaId::all`] order.
    validators: Vec<Validator>,
}

impl fmt::Debug for SchemaRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SchemaRegistry")
            .field("schemas", &SchemaId::all())
            .finish()
    }
}

impl SchemaRegistry {
    /// The schemas embedded in the binary (`schemas/stripe/`), compiled on first use.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::{SchemaId, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// let price = json!({"object": "price", "id": "price_1"});
    /// assert!(SchemaRegistry::stripe().validate(SchemaId::Price, &price).is_err());
    /// ```
    pub fn stripe() -> &'static SchemaRegistry {
        static STRIPE: OnceLock<SchemaRegistry> = OnceLock::new();
        STRIPE.get_or_init(|| {
            Self::load(|id| {
                let origin = Path::new("<embedded>/schemas/stripe").join(id.file_name());
                Ok((origin, id.embedded().to_owned()))
            })
            // The embedded schemas are ours; tests/schemas.rs proves they compile.
            .expect("the embedded Stripe schemas compile")
        })
    }

    /// Loads every [`SchemaId::file_name`] from `dir` (all six files must be there).
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::{SchemaId, SchemaRegistry};
    /// use serde_json::json;
    /// use std::path::Path;
    ///
    /// let registry = SchemaRegistry::from_dir(Path::new("schemas/stripe"))?;
    /// let envelope = json!({"error": {"type": "api_error"}});
    /// assert!(registry.validate(SchemaId::Error, &envelope).is_ok());
    /// # Ok::<(), checkout_conformance::schema::SchemaError>(())
    /// ```
    pub fn from_dir(dir: &Path) -> Result<SchemaRegistry, SchemaError> {
        Self::load(|id| {
            let path = dir.join(id.file_name());
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok((path, text)),
                Err(source) => Err(SchemaError::Read { path, source }),
            }
        })
    }

    fn load(
        mut source: impl FnMut(SchemaId) -> Result<(PathBuf, String), SchemaError>,
    ) -> Result<SchemaRegistry, SchemaError> {
        let validators = SchemaId::all()
            .iter()
            .map(|&id| {
                let (path, text) = source(id)?;
                compile(path, &text)
            })
            .collect::<Result<_, _>>()?;
        Ok(SchemaRegistry { validators })
    }

    /// Checks `instance` against schema `id`; on failure returns every violation found.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::{SchemaId, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// let list = json!({"object": "list", "data": [], "has_more": false, "url": "/v1/x"});
    /// assert_eq!(SchemaRegistry::stripe().validate(SchemaId::ItemList, &list), Ok(()));
    /// ```
    pub fn validate(&self, id: SchemaId, instance: &Value) -> Result<(), Vec<Violation>> {
        let mut violations = Vec::new();
        for error in self.validators[id as usize].iter_errors(instance) {
            push_violations(&error, &mut violations);
        }
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }

    /// Picks the schema for a response body: by its `object` (`checkout.session`, `list` (taken
    /// as a list of line items), `item`, `price`, `shipping_rate`), else [`SchemaId::Error`] when
    /// it has a top-level `error` key; `None` otherwise.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::{SchemaId, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// let registry = SchemaRegistry::stripe();
    /// assert_eq!(registry.for_object(&json!({"object": "list"})), Some(SchemaId::ItemList));
    /// assert_eq!(registry.for_object(&json!({"object": "customer"})), None);
    /// ```
    pub fn for_object(&self, body: &Value) -> Option<SchemaId> {
        match body.get("object").and_then(Value::as_str) {
            Some("checkout.session") => Some(SchemaId::CheckoutSession),
            Some("list") => Some(SchemaId::ItemList),
            Some("item") => Some(SchemaId::Item),
            Some("price") => Some(SchemaId::Price),
            Some("shipping_rate") => Some(SchemaId::ShippingRate),
            _ if body.get("error").is_some() => Some(SchemaId::Error),
            _ => None,
        }
    }
}

/// Records `error`, looking through `anyOf`/`oneOf`: when every alternative but one fails on
/// `type` alone (`null` for a nullable object, a string id for an expandable one), the one that
/// applies is what is wrong, so its own violations are reported instead, with precise pointers.
fn push_violations(error: &ValidationError<'_>, out: &mut Vec<Violation>) {
    if let ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } =
        error.kind()
    {
        let mut applicable = context.iter().filter(|alternative| {
            !matches!(alternative.as_slice(), [only]
                if matches!(only.kind(), ValidationErrorKind::Type { .. })
                    && only.instance_path() == error.instance_path())
        });
        if let (Some(alternative), None) = (applicable.next(), applicable.next()) {
            for cause in alternative {
                push_violations(cause, out);
            }
            return;
        }
    }
    out.push(Violation {
        pointer: error.instance_path().to_string(),
        schema_path: error.schema_path().to_string(),
        message: error.to_string(),
    });
}

fn compile(path: PathBuf, text: &str) -> Result<Validator, SchemaError> {
    let schema: Value = match serde_json::from_str(text) {
        Ok(schema) => schema,
        Err(source) => {
            return Err(SchemaError::Parse {
                line: source.line(),
                column: source.column(),
                path,
                source,
            })
        }
    };
    jsonschema::validator_for(&schema).map_err(|error| SchemaError::Compile {
        pointer: error.instance_path().to_string(),
        message: error.to_string(),
        path,
    })
}
