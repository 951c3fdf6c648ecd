//! The vendors whose "Update a Checkout Session" the suite checks, and what each one owns: the
//! update's method and path, the wire format, the feature tag, the error envelope's fields.
//!
//! ```
//! use checkout_conformance::provider::Provider;
//! use checkout_conformance::client::Body;
//! use serde_json::json;
//!
//! let params = json!({"metadata": {"order_id": "6735"}});
//! assert_eq!(Provider::Stripe.update_method(), "POST");
//! assert_eq!(Provider::Stripe.update_body(&params), Body::Form("metadata[order_id]=6735".into()));
//! assert_eq!(Provider::Gr4vy.update_method(), "PUT");
//! assert_eq!(Provider::Gr4vy.session_path("8d3fe99b-1422-42e6-bbb3-932d95ae5f79"), "/checkout/sessions/8d3fe99b-1422-42e6-bbb3-932d95ae5f79");
//! ```

use crate::client::Body;
use crate::schema::SchemaRegistry;
use crate::wire::form;
use serde_json::Value;

/// A vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum Provider {
    /// Stripe: `POST /v1/checkout/sessions/{session}`, form-encoded, bracket notation.
    Stripe,
    /// Gr4vy: `PUT /checkout/sessions/{session_id}`, JSON, Bearer JWT.
    Gr4vy,
}

impl Provider {
    /// Every provider, in report order.
    pub const ALL: &'static [Provider] = &[Provider::Stripe, Provider::Gr4vy];

    /// The feature tag (without `@`) and the name in reports: `stripe`, `gr4vy`.
    pub fn tag(self) -> &'static str {
        match self {
            Provider::Stripe => "stripe",
            Provider::Gr4vy => "gr4vy",
        }
    }

    /// The vendor's name as people write it: `Stripe`, `Gr4vy`.
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Stripe => "Stripe",
            Provider::Gr4vy => "Gr4vy",
        }
    }

    /// Whether a JSON answer is in the vendor's shape at all — an object it defines or its
    /// error envelope, however wrong in detail (the scenarios judge the detail): Stripe's
    /// answers carry `object` or `error`; Gr4vy's `type`, `id`, `code` or a validation `detail`.
    ///
    /// ```
    /// use checkout_conformance::provider::Provider;
    /// use serde_json::json;
    /// assert!(Provider::Stripe.speaks(&json!({"error": {"type": "invalid_request_error"}})));
    /// assert!(!Provider::Stripe.speaks(&json!({"message": "Not Found"})));
    /// assert!(Provider::Gr4vy.speaks(&json!({"type": "error", "code": "not_found"})));
    /// ```
    pub fn speaks(self, body: &serde_json::Value) -> bool {
        let has = |key: &str| body.get(key).is_some();
        match self {
            Provider::Stripe => has("object") || body.get("error").is_some_and(|e| e.is_object()),
            Provider::Gr4vy => has("type") || has("id") || has("detail") || has("code"),
        }
    }

    /// The provider a scenario belongs to, from its tags (without `@`).
    ///
    /// ```
    /// use checkout_conformance::provider::Provider;
    /// assert_eq!(Provider::from_tags(["gr4vy", "doc:cart_items.replace"]), Some(Provider::Gr4vy));
    /// assert_eq!(Provider::from_tags(["metadata"]), None);
    /// ```
    pub fn from_tags<'a>(tags: impl IntoIterator<Item = &'a str>) -> Option<Provider> {
        let tags: Vec<&str> = tags.into_iter().collect();
        Provider::ALL
            .iter()
            .copied()
            .find(|p| tags.contains(&p.tag()))
    }

    /// The environment variable that holds the run's credential for this vendor: what a
    /// reproduction (`curl`) names instead of the value.
    ///
    /// ```
    /// use checkout_conformance::provider::Provider;
    /// assert_eq!(Provider::Stripe.credential_env(), "STRIPE_API_KEY");
    /// assert_eq!(Provider::Gr4vy.credential_env(), "GR4VY_TOKEN");
    /// ```
    pub fn credential_env(self) -> &'static str {
        match self {
            Provider::Stripe => "STRIPE_API_KEY",
            Provider::Gr4vy => "GR4VY_TOKEN",
        }
    }

    /// The HTTP method of the update under test.
    pub fn update_method(self) -> &'static str {
        match self {
            Provider::Stripe => "POST",
            Provider::Gr4vy => "PUT",
        }
    }

    /// The collection of checkout sessions: where they are created.
    pub fn sessions_path(self) -> &'static str {
        match self {
            Provider::Stripe => "/v1/checkout/sessions",
            Provider::Gr4vy => "/checkout/sessions",
        }
    }

    /// One checkout session: where it is retrieved and updated.
    pub fn session_path(self, id: &str) -> String {
        format!("{}/{id}", self.sessions_path())
    }

    /// The provider's response schemas, compiled once.
    pub fn schemas(self) -> &'static SchemaRegistry {
        match self {
            Provider::Stripe => SchemaRegistry::stripe(),
            Provider::Gr4vy => SchemaRegistry::gr4vy(),
        }
    }

    /// Parameters (as JSON) in the provider's wire format: Stripe's form encoding, Gr4vy's JSON.
    pub fn update_body(self, params: &Value) -> Body {
        match self {
            Provider::Stripe => Body::Form(form::encode_json(params)),
            Provider::Gr4vy => Body::Json(params.clone()),
        }
    }
}

impl std::fmt::Display for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}
