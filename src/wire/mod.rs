//! Wire formats: how requests and responses are spelled on the network.
//!
//! - [`form`]: Stripe's form encoding with bracket notation — the one codec for client and mock.
//! - [`stripe`]: Stripe's error envelope and pinned API version.
//! - [`gr4vy`]: Gr4vy's error envelope, its 422 `HTTPValidationError`, and the spec version
//!   followed.

pub mod datetime;
pub mod form;
pub mod gr4vy;
pub mod stripe;
