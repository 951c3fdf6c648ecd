//! JSON Schemas (draft 2020-12) for the response bodies the suite checks, per provider,
//! compiled once.
//!
//! Each vendor's schemas live under `schemas/<tag>/`, derived from its published OpenAPI
//! material by the `derive.py` beside them (see each `DERIVATION.md`). The vendor folder holds
//! the table of its schemas ([`SchemaDef`]: id, name, file, text embedded at build time), how an
//! answer picks its schema, and the formats of its own; this module compiles and validates.
//! [`SchemaRegistry::embedded`] needs no file at run time; [`SchemaRegistry::from_provider_dir`]
//! loads a user's own copy of the same files instead.
//!
//! A registry holds one provider's schemas; [`SchemaRegistry::for_object`] picks among them by
//! that provider's conventions.
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
//! let registry = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe);
//! let body = json!({"error": {"type": "invalid_request_error", "code": "parameter_unknown"}});
//! let id = registry.for_object(&body).expect("an error envelope");
//! assert!(registry.validate(id, &body).is_ok());
//!
//! let registry = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Gr4vy);
//! let body = json!({"type": "error", "code": "not_found", "status": 404,
//!                   "message": "The resource could not be found", "details": []});
//! assert_eq!(registry.for_object(&body), Some(SchemaId::Gr4vyError));
//! assert!(registry.validate(SchemaId::Gr4vyError, &body).is_ok());
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

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

/// One schema of a vendor's table ([`Vendor::schema_table`](crate::vendor::Vendor::schema_table)):
/// its id, its name, the file holding it in the vendor's schema directory, and that file's text
/// embedded at build time.
#[derive(Debug, Clone, Copy)]
pub struct SchemaDef {
    /// The schema.
    pub id: SchemaId,
    /// Its name: Stripe's the `object` value it describes, `item.list` or `error`; Gr4vy's
    /// `gr4vy.` and the file's stem.
    pub name: &'static str,
    /// The file holding it in its provider's schema directory.
    pub file_name: &'static str,
    /// The file's text, embedded.
    pub text: &'static str,
}

impl SchemaId {
    /// Every schema of every provider, in provider order, each in its table's order.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::SchemaId;
    ///
    /// assert_eq!(SchemaId::all()[0], SchemaId::CheckoutSession);
    /// assert_eq!(SchemaId::all().last(), Some(&SchemaId::Gr4vyValidationError));
    /// ```
    pub fn all() -> Vec<SchemaId> {
        Provider::ALL
            .iter()
            .flat_map(|&p| SchemaId::of(p))
            .collect()
    }

    /// The schemas of one provider, in its table's order: what its [`SchemaRegistry`] holds.
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
    pub fn of(provider: Provider) -> Vec<SchemaId> {
        provider
            .vendor()
            .schema_table()
            .iter()
            .map(|d| d.id)
            .collect()
    }

    /// The schema's entry in its vendor's table, and the vendor.
    fn def(self) -> (Provider, usize, &'static SchemaDef) {
        Provider::ALL
            .iter()
            .find_map(|&provider| {
                let table = provider.vendor().schema_table();
                let slot = table.iter().position(|d| d.id == self)?;
                Some((provider, slot, &table[slot]))
            })
            // Each id is in exactly one vendor's table: tests/schemas.rs checks every id.
            .unwrap_or_else(|| panic!("schema {self:?} is in no vendor's schema table"))
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
        self.def().0
    }

    /// The schema's name ([`SchemaDef::name`]).
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
        self.def().2.name
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
        self.def().2.file_name
    }

    /// Where the schema sits in its provider's table: its validator's index.
    fn slot(self) -> usize {
        self.def().1
    }

    fn embedded(self) -> &'static str {
        self.def().2.text
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
/// let err = SchemaRegistry::from_provider_dir(checkout_conformance::vendor::Provider::Stripe, Path::new("no/such/dir")).unwrap_err();
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
/// let violations = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe)
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
/// let registry = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe);
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
    /// The embedded schemas of `provider` (its `schemas/<tag>/` files, built into the binary),
    /// compiled on first use ([`Vendor::schemas`](crate::vendor::Vendor::schemas)).
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::vendor::Provider;
    /// use checkout_conformance::schema::{SchemaId, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// let registry = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Gr4vy);
    /// assert_eq!(registry.provider(), Provider::Gr4vy);
    /// let price = json!({"object": "price", "id": "price_1"});
    /// assert!(SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe).validate(SchemaId::Price, &price).is_err());
    /// ```
    pub fn embedded(provider: Provider) -> &'static SchemaRegistry {
        provider.vendor().schemas()
    }

    /// Compiles `provider`'s embedded schemas (each vendor keeps the result, compiled once).
    pub fn compile_embedded(provider: Provider) -> SchemaRegistry {
        Self::load(provider, |id| {
            let origin = Path::new("<embedded>/schemas")
                .join(provider.tag())
                .join(id.file_name());
            Ok((origin, id.embedded().to_owned()))
        })
        // The embedded schemas are ours; tests/schemas.rs proves they compile.
        .unwrap_or_else(|e| panic!("the embedded {provider} schemas compile: {e}"))
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
    /// let registry = SchemaRegistry::from_provider_dir(checkout_conformance::vendor::Provider::Gr4vy, Path::new("schemas/gr4vy"))?;
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
            .into_iter()
            .map(|id| {
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
    /// assert_eq!(SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe).provider(), Provider::Stripe);
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
    /// assert!(SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Gr4vy).ids().contains(&SchemaId::Gr4vyError));
    /// assert!(!SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Gr4vy).ids().contains(&SchemaId::Error));
    /// ```
    pub fn ids(&self) -> Vec<SchemaId> {
        SchemaId::of(self.provider)
    }

    /// Checks `instance` against schema `id`; on failure returns every violation found.
    ///
    /// # Panics
    ///
    /// If `id` is another provider's schema (`SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe).validate(SchemaId::Gr4vyError, ..)`):
    /// that is a bug in the caller, not a finding about the instance.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::{SchemaId, SchemaRegistry};
    /// use serde_json::json;
    ///
    /// let list = json!({"object": "list", "data": [], "has_more": false, "url": "/v1/x"});
    /// assert_eq!(SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe).validate(SchemaId::ItemList, &list), Ok(()));
    ///
    /// let violations = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Gr4vy)
    ///     .validate(SchemaId::Gr4vyCheckoutSessionUpdate, &json!({"cart_items": [{"name": "x"}]}))
    ///     .unwrap_err();
    /// assert_eq!(violations[0].pointer, "/cart_items/0");
    /// assert_eq!(violations[0].schema_path, "/$defs/CartItem/required");
    /// ```
    pub fn validate(&self, id: SchemaId, instance: &Value) -> Result<(), Vec<Violation>> {
        // One look-up of the id in its vendor's table per validation (this is on every answer).
        let (provider, slot, _) = id.def();
        assert_eq!(
            provider, self.provider,
            "schema {id} is not in the {} registry",
            self.provider
        );
        let validator = &self.validators[slot];
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
    /// let registry = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe);
    /// assert_eq!(registry.for_object(&json!({"object": "list"})), Some(SchemaId::ItemList));
    /// assert_eq!(registry.for_object(&json!({"object": "customer"})), None);
    ///
    /// let registry = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Gr4vy);
    /// let session = json!({"type": "checkout-session"});
    /// assert_eq!(registry.for_object(&session), Some(SchemaId::Gr4vyCheckoutSession));
    /// let unprocessable = json!({"detail": [{"loc": ["body", "metadata"], "msg": "x", "type": "y"}]});
    /// assert_eq!(registry.for_object(&unprocessable), Some(SchemaId::Gr4vyValidationError));
    /// assert_eq!(registry.for_object(&json!({"object": "checkout.session"})), None);
    /// ```
    pub fn for_object(&self, body: &Value) -> Option<SchemaId> {
        self.provider.vendor().schema_for(body)
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

/// How `provider`'s schemas are compiled: every `format` the crate knows is *asserted* (draft
/// 2020-12 makes `format` an annotation by default, which let a Gr4vy session id that is not a
/// UUID pass); a `format` nobody knows stays an annotation rather than failing every value; the
/// vendor adds the formats of its own ([`Vendor::schema_formats`](crate::vendor::Vendor::schema_formats)).
/// Which formats occur, and what each one checks, is in the `DERIVATION.md` of each provider's
/// schemas.
fn validation_options(provider: Provider) -> jsonschema::ValidationOptions<'static> {
    let options = jsonschema::options()
        .should_validate_formats(true)
        .should_ignore_unknown_formats(true);
    provider.vendor().schema_formats(options)
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
