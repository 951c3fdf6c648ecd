//! Wire formats shared by vendors: RFC 3339 timestamps. Each vendor's own format (Stripe's form
//! codec, the error envelopes) lives in its folder under [`crate::vendor`].

pub mod datetime;
