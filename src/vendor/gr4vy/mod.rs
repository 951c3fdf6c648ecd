//! Gr4vy: `PUT /checkout/sessions/{session_id}`, JSON, a bearer JWT signed with ES512.
//!
//! - [`wire`]: Gr4vy's error envelope, its 422 `HTTPValidationError`, the spec version followed.
//! - [`jwt`]: the bearer tokens (minting, verifying).
//! - [`mock`]: the Gr4vy half of the bundled mock.
//! - `steps`: the step definitions only Gr4vy's features use.

pub mod jwt;
pub mod mock;
mod steps;
pub mod wire;
