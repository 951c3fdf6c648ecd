//! JSON Schemas (draft 2020-12) for the response bodies the suite checks, per provider,
//! compiled once.
//!
//! Each vendor's schemas live under `schemas/<tag>/`, derived from its published OpenAPI
//! material by the `derive.py` beside them (see each `DERIVATION.md`). The vendor folder holds
//! its enum of schemas and their table (declared together by [`vendor_schemas!`]: name, file,
//! text embedded at build time), how an answer picks its schema, and the formats of its own;
//! this module names no vendor: it compiles and validates, and a [`SchemaId`] (the provider and
//! the slot in its table) names any vendor's schema.
//! [`SchemaRegistry::embedded`] needs no file at run time; [`SchemaRegistry::from_provider_dir`]
//! loads a user's own copy of the same files instead.
//!
//! A registry holds one provider's schemas; [`SchemaRegistry::for_object`] picks among them by
//! that provider's conventions.
//!
//! Every `format` a schema declares is asserted, not just annotated: a session `id` declared a
//! `uuid` that is not one, or an `expires_at` that is not a date-time, is a violation. Formats
//! nobody knows stay annotations; a vendor checks formats of its own
//! ([`Vendor::schema_formats`](crate::vendor::Vendor::schema_formats); each provider's
//! `DERIVATION.md` lists the formats and what is checked).
//!
//! # Example
//!
//! ```rust
//! use checkout_conformance::schema::{SchemaId, SchemaRegistry};
//! use checkout_conformance::vendor::gr4vy::schema::Gr4vySchema;
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
//! assert_eq!(registry.for_object(&body), Some(SchemaId::from(Gr4vySchema::Error)));
//! assert!(registry.validate(Gr4vySchema::Error, &body).is_ok());
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::vendor::Provider;

/// One of the schemas a [`SchemaRegistry`] holds: which [`Provider`] it belongs to
/// ([`SchemaId::provider`]) and its place in that vendor's table
/// ([`Vendor::schema_table`](crate::vendor::Vendor::schema_table)). A registry holds exactly its
/// provider's ([`SchemaId::of`]).
///
/// Each vendor names its schemas with an enum of its own, declared with its table in its folder
/// by [`vendor_schemas!`] (e.g. `vendor::stripe::schema::StripeSchema`); a value of that enum
/// converts into a `SchemaId` (`From`), compares with one (`==`), and a `SchemaId` converts back
/// (`TryFrom`, failing for another vendor's). A `SchemaId` is only ever made from such a value,
/// so it always names a schema of its vendor's table.
///
/// # Example
///
/// ```rust
/// use checkout_conformance::vendor::Provider;
/// use checkout_conformance::vendor::gr4vy::schema::Gr4vySchema;
/// use checkout_conformance::vendor::stripe::schema::StripeSchema;
/// use checkout_conformance::schema::SchemaId;
///
/// let id = SchemaId::from(StripeSchema::CheckoutSession);
/// assert_eq!(id.name(), "checkout.session");
/// assert_eq!(id, StripeSchema::CheckoutSession);
/// assert_eq!(StripeSchema::try_from(id), Ok(StripeSchema::CheckoutSession));
/// assert!(Gr4vySchema::try_from(id).is_err());
/// assert_eq!(SchemaId::from(StripeSchema::ItemList).file_name(), "item.list.json");
/// assert_eq!(SchemaId::from(Gr4vySchema::CheckoutSession).name(), "gr4vy.checkout-session");
/// assert_eq!(SchemaId::from(Gr4vySchema::Error).provider(), Provider::Gr4vy);
/// assert_eq!(SchemaId::of(Provider::Stripe).len(), 6);
/// assert_eq!(SchemaId::of(Provider::Gr4vy).len(), 4);
/// assert_eq!(SchemaId::all().len(), 10);
/// assert_eq!(format!("{id:?}"), r#"SchemaId(Stripe, "checkout.session")"#);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SchemaId {
    provider: Provider,
    /// Its place in the provider's table, and its validator's index in the provider's registry.
    slot: usize,
}

/// One schema of a vendor's table ([`Vendor::schema_table`](crate::vendor::Vendor::schema_table)),
/// built by [`vendor_schemas!`]: its name, the file holding it in the vendor's schema directory,
/// and that file's text embedded at build time. Its place in the table is its [`SchemaId`].
#[derive(Debug, Clone, Copy)]
pub struct SchemaDef {
    /// Its name, unique among every vendor's schemas: what messages call it (each vendor's
    /// table says how it names its own).
    pub name: &'static str,
    /// The file holding it in its provider's schema directory.
    pub file_name: &'static str,
    /// The file's text, embedded.
    pub text: &'static str,
}

/// Declares a vendor's schemas in its folder: the vendor's enum of schemas and its table
/// ([`SchemaDef`]s, `TABLE`), from one list, so that the two cannot disagree: a variant's place
/// in the list is its slot in the table. It also makes the enum convert into a [`SchemaId`]
/// (`From`), back (`TryFrom<SchemaId>`, `Err` with the id when it is another vendor's), and
/// compare with one (`PartialEq`, both ways).
///
/// Each entry is a variant (with its doc comment), the schema's name and its file in the
/// vendor's schema directory (a path relative to the calling file, ending in `/`); the file's
/// text is embedded. `src/vendor/stripe/schema.rs` and `src/vendor/gr4vy/schema.rs` use it:
///
/// ```text
/// crate::schema::vendor_schemas! {
///     /// The vendor's schemas (documented, with an example).
///     pub enum AcmeSchema for Provider::Acme, files in "../../../schemas/acme/" {
///         /// What the update returns.
///         Session => "acme.session", "session.json";
///     }
/// }
/// ```
macro_rules! vendor_schemas {
    (
        $(#[$meta:meta])*
        pub enum $schema:ident for $provider:path, files in $dir:literal {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident => $name:literal, $file:literal;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $schema {
            $(
                $(#[$variant_meta])*
                $variant,
            )+
        }

        /// The vendor's schemas, in the order of its enum of schemas: a variant's slot is its
        /// place here.
        pub(crate) const TABLE: &[$crate::schema::SchemaDef] = &[
            $(
                $crate::schema::SchemaDef {
                    name: $name,
                    file_name: $file,
                    text: include_str!(concat!($dir, $file)),
                },
            )+
        ];

        impl From<$schema> for $crate::schema::SchemaId {
            fn from(schema: $schema) -> Self {
                // A fieldless enum's discriminants count from 0 in declaration order: the
                // variant's place in `TABLE`.
                $crate::schema::SchemaId::new($provider, schema as usize)
            }
        }

        impl TryFrom<$crate::schema::SchemaId> for $schema {
            type Error = $crate::schema::SchemaId;

            fn try_from(id: $crate::schema::SchemaId) -> Result<$schema, $crate::schema::SchemaId> {
                const ALL: &[$schema] = &[$($schema::$variant),+];
                if id.provider() == $provider {
                    ALL.get(id.slot()).copied().ok_or(id)
                } else {
                    Err(id)
                }
            }
        }

        impl PartialEq<$schema> for $crate::schema::SchemaId {
            fn eq(&self, other: &$schema) -> bool {
                *self == $crate::schema::SchemaId::from(*other)
            }
        }

        impl PartialEq<$crate::schema::SchemaId> for $schema {
            fn eq(&self, other: &$crate::schema::SchemaId) -> bool {
                $crate::schema::SchemaId::from(*self) == *other
            }
        }
    };
}
pub(crate) use vendor_schemas;

impl SchemaId {
    /// The schema in `slot` of `provider`'s table; only [`vendor_schemas!`] makes one, from a
    /// variant of the vendor's enum, so the slot is always in the table.
    pub(crate) const fn new(provider: Provider, slot: usize) -> SchemaId {
        SchemaId { provider, slot }
    }

    /// Every schema of every provider, in provider order, each in its table's order.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::SchemaId;
    /// use checkout_conformance::vendor::Provider;
    ///
    /// assert_eq!(SchemaId::all()[0], SchemaId::of(Provider::ALL[0])[0]);
    /// assert_eq!(SchemaId::all().last().map(|id| id.provider()), Provider::ALL.last().copied());
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
    /// use checkout_conformance::vendor::gr4vy::schema::Gr4vySchema;
    /// use checkout_conformance::vendor::stripe::schema::StripeSchema;
    /// use checkout_conformance::schema::SchemaId;
    ///
    /// assert_eq!(SchemaId::of(Provider::Stripe)[0], StripeSchema::CheckoutSession);
    /// assert_eq!(SchemaId::of(Provider::Gr4vy)[0], Gr4vySchema::CheckoutSession);
    /// ```
    pub fn of(provider: Provider) -> Vec<SchemaId> {
        (0..provider.vendor().schema_table().len())
            .map(|slot| SchemaId::new(provider, slot))
            .collect()
    }

    /// The schema's entry in its vendor's table.
    fn def(self) -> &'static SchemaDef {
        &self.provider.vendor().schema_table()[self.slot]
    }

    /// The provider whose API the schema describes.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::vendor::Provider;
    /// use checkout_conformance::vendor::gr4vy::schema::Gr4vySchema;
    /// use checkout_conformance::vendor::stripe::schema::StripeSchema;
    /// use checkout_conformance::schema::SchemaId;
    ///
    /// assert_eq!(SchemaId::from(StripeSchema::Price).provider(), Provider::Stripe);
    /// assert_eq!(SchemaId::from(Gr4vySchema::ValidationError).provider(), Provider::Gr4vy);
    /// ```
    pub fn provider(self) -> Provider {
        self.provider
    }

    /// Where the schema sits in its provider's table: its validator's index in the provider's
    /// [`SchemaRegistry`], its place in [`SchemaId::of`] the provider.
    pub(crate) fn slot(self) -> usize {
        self.slot
    }

    /// The schema's name ([`SchemaDef::name`]).
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::vendor::gr4vy::schema::Gr4vySchema;
    /// use checkout_conformance::vendor::stripe::schema::StripeSchema;
    /// use checkout_conformance::schema::SchemaId;
    ///
    /// assert_eq!(SchemaId::from(StripeSchema::ShippingRate).name(), "shipping_rate");
    /// assert_eq!(SchemaId::from(Gr4vySchema::ValidationError).name(), "gr4vy.validation-error");
    /// ```
    pub fn name(self) -> &'static str {
        self.def().name
    }

    /// The file holding the schema in its provider's schema directory.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::vendor::gr4vy::schema::Gr4vySchema;
    /// use checkout_conformance::vendor::stripe::schema::StripeSchema;
    /// use checkout_conformance::schema::SchemaId;
    ///
    /// assert_eq!(SchemaId::from(StripeSchema::Error).file_name(), "error.json");
    /// assert_eq!(SchemaId::from(Gr4vySchema::Error).file_name(), "error.json");
    /// assert_eq!(SchemaId::from(Gr4vySchema::CheckoutSession).file_name(), "checkout-session.json");
    /// ```
    pub fn file_name(self) -> &'static str {
        self.def().file_name
    }

    fn embedded(self) -> &'static str {
        self.def().text
    }
}

impl fmt::Debug for SchemaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SchemaId")
            .field(&self.provider)
            .field(&self.name())
            .finish()
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
/// use checkout_conformance::schema::SchemaRegistry;
/// use checkout_conformance::vendor::stripe::schema::StripeSchema;
/// use serde_json::json;
///
/// let violations = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe)
///     .validate(StripeSchema::Error, &json!({"error": {"type": "bogus"}}))
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
/// use checkout_conformance::schema::SchemaRegistry;
/// use checkout_conformance::vendor::stripe::schema::StripeSchema;
/// use serde_json::json;
///
/// let registry = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe);
/// let violations = registry
///     .validate(StripeSchema::CheckoutSession, &json!({"object": "checkout.session"}))
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
    /// use checkout_conformance::vendor::stripe::schema::StripeSchema;
    /// use checkout_conformance::schema::SchemaRegistry;
    /// use serde_json::json;
    ///
    /// let registry = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Gr4vy);
    /// assert_eq!(registry.provider(), Provider::Gr4vy);
    /// let price = json!({"object": "price", "id": "price_1"});
    /// assert!(SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe).validate(StripeSchema::Price, &price).is_err());
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
    /// [`SchemaId::of`]`(provider)` must be there.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::vendor::Provider;
    /// use checkout_conformance::vendor::gr4vy::schema::Gr4vySchema;
    /// use checkout_conformance::schema::SchemaRegistry;
    /// use serde_json::json;
    /// use std::path::Path;
    ///
    /// let registry = SchemaRegistry::from_provider_dir(checkout_conformance::vendor::Provider::Gr4vy, Path::new("schemas/gr4vy"))?;
    /// let error = json!({"type": "error", "code": "unauthorized", "status": 401,
    ///                    "message": "No valid API authentication found", "details": []});
    /// assert!(registry.validate(Gr4vySchema::Error, &error).is_ok());
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
    /// use checkout_conformance::vendor::gr4vy::schema::Gr4vySchema;
    /// use checkout_conformance::vendor::stripe::schema::StripeSchema;
    ///
    /// let ids = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Gr4vy).ids();
    /// assert!(ids.contains(&SchemaId::from(Gr4vySchema::Error)));
    /// assert!(!ids.contains(&SchemaId::from(StripeSchema::Error)));
    /// ```
    pub fn ids(&self) -> Vec<SchemaId> {
        SchemaId::of(self.provider)
    }

    /// Checks `instance` against schema `id`; on failure returns every violation found.
    ///
    /// # Panics
    ///
    /// If `id` is another provider's schema (`SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe).validate(Gr4vySchema::Error, ..)`):
    /// that is a bug in the caller, not a finding about the instance.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::SchemaRegistry;
    /// use checkout_conformance::vendor::gr4vy::schema::Gr4vySchema;
    /// use checkout_conformance::vendor::stripe::schema::StripeSchema;
    /// use serde_json::json;
    ///
    /// let list = json!({"object": "list", "data": [], "has_more": false, "url": "/v1/x"});
    /// assert_eq!(SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe).validate(StripeSchema::ItemList, &list), Ok(()));
    ///
    /// let violations = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Gr4vy)
    ///     .validate(Gr4vySchema::CheckoutSessionUpdate, &json!({"cart_items": [{"name": "x"}]}))
    ///     .unwrap_err();
    /// assert_eq!(violations[0].pointer, "/cart_items/0");
    /// assert_eq!(violations[0].schema_path, "/$defs/CartItem/required");
    /// ```
    pub fn validate(
        &self,
        id: impl Into<SchemaId>,
        instance: &Value,
    ) -> Result<(), Vec<Violation>> {
        let id = id.into();
        // No table look-up (this is on every answer): the id holds its slot.
        assert_eq!(
            id.provider, self.provider,
            "schema {id} is not in the {} registry",
            self.provider
        );
        let validator = &self.validators[id.slot];
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

    /// Picks the schema for a response body by the registry's provider's conventions
    /// ([`Vendor::schema_for`](crate::vendor::Vendor::schema_for); each vendor's enum of schemas
    /// says which answer picks which); `None` when no schema applies.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::{SchemaId, SchemaRegistry};
    /// use checkout_conformance::vendor::gr4vy::schema::Gr4vySchema;
    /// use checkout_conformance::vendor::stripe::schema::StripeSchema;
    /// use serde_json::json;
    ///
    /// let registry = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe);
    /// assert_eq!(registry.for_object(&json!({"object": "list"})), Some(StripeSchema::ItemList.into()));
    /// assert_eq!(registry.for_object(&json!({"object": "customer"})), None);
    ///
    /// let registry = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Gr4vy);
    /// let session = json!({"type": "checkout-session"});
    /// assert_eq!(registry.for_object(&session), Some(SchemaId::from(Gr4vySchema::CheckoutSession)));
    /// let unprocessable = json!({"detail": [{"loc": ["body", "metadata"], "msg": "x", "type": "y"}]});
    /// assert_eq!(registry.for_object(&unprocessable), Some(Gr4vySchema::ValidationError.into()));
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
/// 2020-12 makes `format` an annotation by default, which let a session id that is not a
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
