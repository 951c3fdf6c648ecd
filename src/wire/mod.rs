//! Wire formats: how requests and responses are spelled on the network.
//!
//! - [`form`]: Stripe's form encoding with bracket notation — the one codec for client and mock.
//! - [`stripe`]: Stripe's error envelope and pinned API version.

pub mod form;
pub mod stripe;
