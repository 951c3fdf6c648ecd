//! checkout-conformance: a contract/conformance harness for the "Update a Checkout Session"
//! APIs of Stripe and Gr4vy, with a bundled reference mock.
//!
//! - [`wire`]: wire formats (Stripe's form codec, error envelope).
//! - [`mock`]: the bundled reference mock and its fault injection.
//! - [`schema`]: the JSON Schemas every response body is validated against.
//! - [`cli`]: the `checkout-conformance` command line.

#![recursion_limit = "256"]

pub mod cli;
pub mod mock;
pub mod schema;
pub mod wire;
