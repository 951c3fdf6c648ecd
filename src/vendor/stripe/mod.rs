//! Stripe: `POST /v1/checkout/sessions/{session}`, form-encoded with bracket notation, a secret
//! key as the credential.
//!
//! - [`form`]: the form codec (bracket notation), one for the client and the mock.
//! - [`wire`]: Stripe's error envelope and the pinned API version.
//! - [`mock`]: the Stripe half of the bundled mock.

pub mod form;
pub mod mock;
pub mod wire;
