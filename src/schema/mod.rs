//! JSON Schemas (draft 2020-12) for the response bodies the suite checks, per provider,
//! compiled once.
//!
//! The schemas under `schemas/stripe/` are derived from Stripe's OpenAPI spec by
//! `schemas/stripe/derive.py` (see `schemas/stripe/DERIVATION.md`), those under `schemas/gr4vy/`
//! from Gr4vy's OpenAPI 3.1 spec by `schemas/gr4vy/derive.py` (see `schemas/gr4vy/DERIVATION.md`).
//! Both sets are embedded into the binary, so [`SchemaRegistry::stripe`] and
//! [`SchemaRegistry::gr4vy`] need no file at run time. [`SchemaRegistry::from_dir`] and
//! [`SchemaRegistry::from_provider_dir`] load a user's own copy of the same files instead.
//!
//! A registry holds one provider's schemas; [`SchemaRegistry::for_object`] picks among them by
//! that provider's conventions (Stripe's `object`, Gr4vy's `type`).
//!
//! Every `format` a schema declares is asserted, not just annotated: a Gr4vy session `id` that is
//! not a UUID, or an `expires_at` that is not a date-time, is a violation. Formats nobody knows
//! stay annotations; Stripe's `currency` and `decimal` get checks of their own (each provider's
//! `DERIVATION.md` lists the formats and what is checked).
//!
//! # Example
//!
//! ```rust
//! use checkout_conformance::schema::{SchemaId, SchemaRegistry};
//! use serde_json::json;
//!
//! let registry = SchemaRegistry::stripe();
//! let body = json!({"error": {"type": "invalid_request_error", "code": "parameter_unknown"}});
//! let id = registry.for_object(&body).expect("an error envelope");
//! assert!(registry.validate(id, &body).is_ok());
//!
//! let registry = SchemaRegistry::gr4vy();
//! let body = json!({"type": "error", "code": "not_found", "status": 404,
//!                   "message": "The resource could not be found", "details": []});
//! assert_eq!(registry.for_object(&body), Some(SchemaId::Gr4vyError));
//! assert!(registry.validate(SchemaId::Gr4vyError, &body).is_ok());
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::vendor::Provider;

/// One of the schemas a [`SchemaRegistry`] holds. Each belongs to one [`Provider`]
/// ([`SchemaId::provider`]); a registry holds exactly its provider's ([`SchemaId::of`]).
///
/// # Example
///
/// ```rust
/// use checkout_conformance::vendor::Provider;
/// use checkout_conformance::schema::SchemaId;
///
/// assert_eq!(SchemaId::CheckoutSession.name(), "checkout.session");
/// assert_eq!(SchemaId::ItemList.file_name(), "item.list.json");
/// assert_eq!(SchemaId::Gr4vyCheckoutSession.name(), "gr4vy.checkout-session");
/// assert_eq!(SchemaId::Gr4vyError.provider(), Provider::Gr4vy);
/// assert_eq!(SchemaId::of(Provider::Stripe).len(), 6);
/// assert_eq!(SchemaId::of(Provider::Gr4vy).len(), 4);
/// assert_eq!(SchemaId::all().len(), 10);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaId {
    /// A `checkout.session` object: what Stripe's "Update a Checkout Session" returns.
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
    /// Gr4vy's `CheckoutSession` (`"type": "checkout-session"`): what
    /// `PUT /checkout/sessions/{session_id}` returns with `200`.
    Gr4vyCheckoutSession,
    /// Gr4vy's `CheckoutSessionUpdate`: the *request* body of `PUT /checkout/sessions/{session_id}`.
    /// Never picked by [`SchemaRegistry::for_object`]; tests use it to check request bodies.
    Gr4vyCheckoutSessionUpdate,
    /// Gr4vy's error body `{"type": "error", "code", "status", "message", "details"}`, checked
    /// against the spec's `ErrorNNN` schema for its `status` (every non-422 error the PUT lists).
    Gr4vyError,
    /// Gr4vy's `422` body, FastAPI's `HTTPValidationError`: `{"detail": [{"loc", "msg", "type"}]}`.
    Gr4vyValidationError,
}

/// Every schema: Stripe's, then Gr4vy's.
const ALL: [SchemaId; 10] = [
    SchemaId::CheckoutSession,
    SchemaId::ItemList,
    SchemaId::Item,
    SchemaId::Error,
    SchemaId::Price,
    SchemaId::ShippingRate,
    SchemaId::Gr4vyCheckoutSession,
    SchemaId::Gr4vyCheckoutSessionUpdate,
    SchemaId::Gr4vyError,
    SchemaId::Gr4vyValidationError,
];

/// The first six of [`ALL`] (`tests/schemas.rs` checks that each belongs to its provider).
const STRIPE_SCHEMAS: &[SchemaId] = ALL.split_at(6).0;

const GR4VY_SCHEMAS: &[SchemaId] = ALL.split_at(6).1;

impl SchemaId {
    /// Every schema of every provider, in declaration order (Stripe's first).
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::SchemaId;
    ///
    /// assert_eq!(SchemaId::all()[0], SchemaId::CheckoutSession);
    /// assert_eq!(SchemaId::all().last(), Some(&SchemaId::Gr4vyValidationError));
    /// ```
    pub fn all() -> &'static [SchemaId] {
        &ALL
    }

    /// The schemas of one provider, in declaration order: what its [`SchemaRegistry`] holds.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::vendor::Provider;
    /// use checkout_conformance::schema::SchemaId;
    ///
    /// assert_eq!(SchemaId::of(Provider::Stripe)[0], SchemaId::CheckoutSession);
    /// assert_eq!(SchemaId::of(Provider::Gr4vy)[0], SchemaId::Gr4vyCheckoutSession);
    /// ```
    pub fn of(provider: Provider) -> &'static [SchemaId] {
        match provider {
            Provider::Stripe => STRIPE_SCHEMAS,
            Provider::Gr4vy => GR4VY_SCHEMAS,
        }
    }

    /// The provider whose API the schema describes.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::vendor::Provider;
    /// use checkout_conformance::schema::SchemaId;
    ///
    /// assert_eq!(SchemaId::Price.provider(), Provider::Stripe);
    /// assert_eq!(SchemaId::Gr4vyValidationError.provider(), Provider::Gr4vy);
    /// ```
    pub fn provider(self) -> Provider {
        match self {
            SchemaId::CheckoutSession
            | SchemaId::ItemList
            | SchemaId::Item
            | SchemaId::Error
            | SchemaId::Price
            | SchemaId::ShippingRate => Provider::Stripe,
            SchemaId::Gr4vyCheckoutSession
            | SchemaId::Gr4vyCheckoutSessionUpdate
            | SchemaId::Gr4vyError
            | SchemaId::Gr4vyValidationError => Provider::Gr4vy,
        }
    }

    /// The schema's name. Stripe's: the `object` value it describes, `item.list` or `error`.
    /// Gr4vy's: `gr4vy.` and the file's stem (`gr4vy.checkout-session`, `gr4vy.error`, ...).
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::SchemaId;
    ///
    /// assert_eq!(SchemaId::ShippingRate.name(), "shipping_rate");
    /// assert_eq!(SchemaId::Gr4vyValidationError.name(), "gr4vy.validation-error");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            SchemaId::CheckoutSession => "checkout.session",
            SchemaId::ItemList => "item.list",
            SchemaId::Item => "item",
            SchemaId::Error => "error",
            SchemaId::Price => "price",
            SchemaId::ShippingRate => "shipping_rate",
            SchemaId::Gr4vyCheckoutSession => "gr4vy.checkout-session",
            SchemaId::Gr4vyCheckoutSessionUpdate => "gr4vy.checkout-session-update",
            SchemaId::Gr4vyError => "gr4vy.error",
            SchemaId::Gr4vyValidationError => "gr4vy.validation-error",
        }
    }

    /// The file holding the schema in its provider's schema directory.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::SchemaId;
    ///
    /// assert_eq!(SchemaId::Error.file_name(), "error.json");
    /// assert_eq!(SchemaId::Gr4vyError.file_name(), "error.json");
    /// assert_eq!(SchemaId::Gr4vyCheckoutSession.file_name(), "checkout-session.json");
    /// ```
    pub fn file_name(self) -> &'static str {
        match self {
            SchemaId::CheckoutSession => "checkout.session.json",
            SchemaId::ItemList => "item.list.json",
            SchemaId::Item => "item.json",
            SchemaId::Error => "error.json",
            SchemaId::Price => "price.json",
            SchemaId::ShippingRate => "shipping_rate.json",
            SchemaId::Gr4vyCheckoutSession => "checkout-session.json",
            SchemaId::Gr4vyCheckoutSessionUpdate => "checkout-session-update.json",
            SchemaId::Gr4vyError => "error.json",
            SchemaId::Gr4vyValidationError => "validation-error.json",
        }
    }

    /// Where the schema sits in [`SchemaId::of`] its provider: its validator's index.
    fn slot(self) -> usize {
        match self {
            SchemaId::CheckoutSession | SchemaId::Gr4vyCheckoutSession => 0,
            SchemaId::ItemList | SchemaId::Gr4vyCheckoutSessionUpdate => 1,
            SchemaId::Item | SchemaId::Gr4vyError => 2,
            SchemaId::Error | SchemaId::Gr4vyValidationError => 3,
            SchemaId::Price => 4,
            SchemaId::ShippingRate => 5,
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
            SchemaId::Gr4vyCheckoutSession => {
                include_str!("../../schemas/gr4vy/checkout-session.json")
            }
            SchemaId::Gr4vyCheckoutSessionUpdate => {
                include_str!("../../schemas/gr4vy/checkout-session-update.json")
            }
            SchemaId::Gr4vyError => include_str!("../../schemas/gr4vy/error.json"),
            SchemaId::Gr4vyValidationError => {
                include_str!("../../schemas/gr4vy/validation-error.json")
            }
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

/// The compiled schemas of one [`Provider`], one validator per [`SchemaId::of`] it.
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
    provider: Provider,
    /// Indexed by [`SchemaId::slot`], in [`SchemaId::of`] order.
    validators: Vec<Validator>,
}

impl fmt::Debug for SchemaRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SchemaRegistry")
            .field("provider", &self.provider)
            .field("schemas", &self.ids())
            .finish()
    }
}

impl SchemaRegistry {
    /// Stripe's schemas embedded in the binary (`schemas/stripe/`), compiled on first use.
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
        STRIPE.get_or_init(|| Self::compile_embedded(Provider::Stripe))
    }

    /// Gr4vy's schemas embedded in the binary (`schemas/gr4vy/`), compiled on first use.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::{SchemaId, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// let session = json!({
    ///     "type": "checkout-session",
    ///     "id": "8d3fe99b-1422-42e6-bbb3-932d95ae5f79",
    ///     "expires_at": "2022-01-01T00:00:00+00:00",
    ///     "metadata": {"order_id": "6735"}
    /// });
    /// let registry = SchemaRegistry::gr4vy();
    /// assert_eq!(registry.validate(SchemaId::Gr4vyCheckoutSession, &session), Ok(()));
    /// ```
    pub fn gr4vy() -> &'static SchemaRegistry {
        static GR4VY: OnceLock<SchemaRegistry> = OnceLock::new();
        GR4VY.get_or_init(|| Self::compile_embedded(Provider::Gr4vy))
    }

    /// The embedded schemas of `provider`: [`SchemaRegistry::stripe`] or [`SchemaRegistry::gr4vy`].
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::vendor::Provider;
    /// use checkout_conformance::schema::SchemaRegistry;
    ///
    /// let registry = SchemaRegistry::embedded(Provider::Gr4vy);
    /// assert!(std::ptr::eq(registry, SchemaRegistry::gr4vy()));
    /// assert_eq!(registry.provider(), Provider::Gr4vy);
    /// ```
    pub fn embedded(provider: Provider) -> &'static SchemaRegistry {
        match provider {
            Provider::Stripe => Self::stripe(),
            Provider::Gr4vy => Self::gr4vy(),
        }
    }

    fn compile_embedded(provider: Provider) -> SchemaRegistry {
        Self::load(provider, |id| {
            let origin = Path::new("<embedded>/schemas")
                .join(provider.tag())
                .join(id.file_name());
            Ok((origin, id.embedded().to_owned()))
        })
        // The embedded schemas are ours; tests/schemas.rs proves they compile.
        .unwrap_or_else(|e| panic!("the embedded {provider} schemas compile: {e}"))
    }

    /// Loads Stripe's schemas from `dir`: every [`SchemaId::file_name`] of
    /// [`SchemaId::of`]`(Provider::Stripe)` (all six files must be there). Same as
    /// [`SchemaRegistry::from_provider_dir`]`(Provider::Stripe, dir)`.
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
        Self::from_provider_dir(Provider::Stripe, dir)
    }

    /// Loads `provider`'s schemas from `dir`: every [`SchemaId::file_name`] of
    /// [`SchemaId::of`]`(provider)` must be there (for Gr4vy: `checkout-session.json`,
    /// `checkout-session-update.json`, `error.json`, `validation-error.json`).
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::vendor::Provider;
    /// use checkout_conformance::schema::{SchemaId, SchemaRegistry};
    /// use serde_json::json;
    /// use std::path::Path;
    ///
    /// let registry = SchemaRegistry::from_provider_dir(Provider::Gr4vy, Path::new("schemas/gr4vy"))?;
    /// let error = json!({"type": "error", "code": "unauthorized", "status": 401,
    ///                    "message": "No valid API authentication found", "details": []});
    /// assert!(registry.validate(SchemaId::Gr4vyError, &error).is_ok());
    /// # Ok::<(), checkout_conformance::schema::SchemaError>(())
    /// ```
    pub fn from_provider_dir(
        provider: Provider,
        dir: &Path,
    ) -> Result<SchemaRegistry, SchemaError> {
        Self::load(provider, |id| {
            let path = dir.join(id.file_name());
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok((path, text)),
                Err(source) => Err(SchemaError::Read { path, source }),
            }
        })
    }

    fn load(
        provider: Provider,
        mut source: impl FnMut(SchemaId) -> Result<(PathBuf, String), SchemaError>,
    ) -> Result<SchemaRegistry, SchemaError> {
        let options = validation_options(provider);
        let validators = SchemaId::of(provider)
            .iter()
            .map(|&id| {
                debug_assert_eq!(SchemaId::of(provider)[id.slot()], id);
                let (path, text) = source(id)?;
                compile(&options, path, &text)
            })
            .collect::<Result<_, _>>()?;
        Ok(SchemaRegistry {
            provider,
            validators,
        })
    }

    /// The provider whose schemas this registry holds.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::vendor::Provider;
    /// use checkout_conformance::schema::SchemaRegistry;
    ///
    /// assert_eq!(SchemaRegistry::stripe().provider(), Provider::Stripe);
    /// ```
    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// The schemas this registry holds: [`SchemaId::of`] its provider.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::{SchemaId, SchemaRegistry};
    ///
    /// assert!(SchemaRegistry::gr4vy().ids().contains(&SchemaId::Gr4vyError));
    /// assert!(!SchemaRegistry::gr4vy().ids().contains(&SchemaId::Error));
    /// ```
    pub fn ids(&self) -> &'static [SchemaId] {
        SchemaId::of(self.provider)
    }

    /// Checks `instance` against schema `id`; on failure returns every violation found.
    ///
    /// # Panics
    ///
    /// If `id` is another provider's schema (`SchemaRegistry::stripe().validate(SchemaId::Gr4vyError, ..)`):
    /// that is a bug in the caller, not a finding about the instance.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::{SchemaId, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// let list = json!({"object": "list", "data": [], "has_more": false, "url": "/v1/x"});
    /// assert_eq!(SchemaRegistry::stripe().validate(SchemaId::ItemList, &list), Ok(()));
    ///
    /// let violations = SchemaRegistry::gr4vy()
    ///     .validate(SchemaId::Gr4vyCheckoutSessionUpdate, &json!({"cart_items": [{"name": "x"}]}))
    ///     .unwrap_err();
    /// assert_eq!(violations[0].pointer, "/cart_items/0");
    /// assert_eq!(violations[0].schema_path, "/$defs/CartItem/required");
    /// ```
    pub fn validate(&self, id: SchemaId, instance: &Value) -> Result<(), Vec<Violation>> {
        assert_eq!(
            id.provider(),
            self.provider,
            "schema {id} is not in the {} registry",
            self.provider
        );
        let validator = &self.validators[id.slot()];
        // The common case, a valid body, without collecting errors.
        if validator.is_valid(instance) {
            return Ok(());
        }
        let mut violations = Vec::new();
        for error in validator.iter_errors(instance) {
            push_violations(&error, &mut violations);
        }
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }

    /// Picks the schema for a response body by the registry's provider's conventions.
    ///
    /// - Stripe: by its `object` (`checkout.session`, `list` (taken as a list of line items),
    ///   `item`, `price`, `shipping_rate`), else [`SchemaId::Error`] when it has a top-level
    ///   `error` key.
    /// - Gr4vy: by its `type`: `checkout-session` is [`SchemaId::Gr4vyCheckoutSession`], `error`
    ///   is [`SchemaId::Gr4vyError`]; else [`SchemaId::Gr4vyValidationError`] when it has a
    ///   top-level `detail` key (FastAPI's `{"detail": [...]}`; a `detail` that is not an array
    ///   then fails that schema, which says what is wrong). The request schema
    ///   [`SchemaId::Gr4vyCheckoutSessionUpdate`] is never picked.
    ///
    /// `None` otherwise.
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
    ///
    /// let registry = SchemaRegistry::gr4vy();
    /// let session = json!({"type": "checkout-session"});
    /// assert_eq!(registry.for_object(&session), Some(SchemaId::Gr4vyCheckoutSession));
    /// let unprocessable = json!({"detail": [{"loc": ["body", "metadata"], "msg": "x", "type": "y"}]});
    /// assert_eq!(registry.for_object(&unprocessable), Some(SchemaId::Gr4vyValidationError));
    /// assert_eq!(registry.for_object(&json!({"object": "checkout.session"})), None);
    /// ```
    pub fn for_object(&self, body: &Value) -> Option<SchemaId> {
        match self.provider {
            Provider::Stripe => match body.get("object").and_then(Value::as_str) {
                Some("checkout.session") => Some(SchemaId::CheckoutSession),
                Some("list") => Some(SchemaId::ItemList),
                Some("item") => Some(SchemaId::Item),
                Some("price") => Some(SchemaId::Price),
                Some("shipping_rate") => Some(SchemaId::ShippingRate),
                _ if body.get("error").is_some() => Some(SchemaId::Error),
                _ => None,
            },
            Provider::Gr4vy => match body.get("type").and_then(Value::as_str) {
                Some("checkout-session") => Some(SchemaId::Gr4vyCheckoutSession),
                Some("error") => Some(SchemaId::Gr4vyError),
                _ if body.get("detail").is_some() => Some(SchemaId::Gr4vyValidationError),
                _ => None,
            },
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

/// How `provider`'s schemas are compiled: every `format` the crate or this module knows is
/// *asserted* (draft 2020-12 makes `format` an annotation by default, which let a Gr4vy session
/// id that is not a UUID pass); a `format` nobody knows stays an annotation rather than failing
/// every value. Which formats occur, and what each one checks, is in the `DERIVATION.md` of each
/// provider's schemas.
///
/// - Gr4vy (`uuid`, `date-time`, `date`, `json-pointer`): the crate's own checks.
/// - Stripe: `currency` is [`is_stripe_currency`] and `decimal` is [`is_decimal_string`], the
///   meanings Stripe's descriptions give them; `unix-time` is left unknown: it is only ever on
///   `type: integer` fields, and a `format` check applies to strings only.
fn validation_options(provider: Provider) -> jsonschema::ValidationOptions<'static> {
    let options = jsonschema::options()
        .should_validate_formats(true)
        .should_ignore_unknown_formats(true);
    match provider {
        Provider::Stripe => options
            .with_format("currency", is_stripe_currency)
            .with_format("decimal", is_decimal_string),
        Provider::Gr4vy => options,
    }
}

/// Stripe's `format: currency`: "Three-letter ISO currency code, in lowercase" (the spec's
/// description of every such field). Whether Stripe supports the currency is not checked.
fn is_stripe_currency(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_lowercase())
}

/// Stripe's `format: decimal` (`price.unit_amount_decimal`, the amount in cents written as a
/// string, such as `"2000"` or `"1234.5"`): an optional `-`, digits, and an optional `.`
/// followed by digits. No exponent, no `+`, no leading or trailing `.`.
fn is_decimal_string(s: &str) -> bool {
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    match unsigned.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(unsigned),
    }
}

fn compile(
    options: &jsonschema::ValidationOptions<'static>,
    path: PathBuf,
    text: &str,
) -> Result<Validator, SchemaError> {
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
    options
        .build(&schema)
        .map_err(|error| SchemaError::Compile {
            pointer: error.instance_path().to_string(),
            message: error.to_string(),
            path,
        })
}
