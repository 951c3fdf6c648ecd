//! The Gr4vy mock's sessions and how an update is applied. Every operation runs under one lock,
//! so concurrent updates to a session are serialized; an update arrives validated in full (see
//! [`super::Gr4vyMock`]), so it is applied whole or, if rejected, not at all.

use super::error::Gr4vyError;
use super::formats::{new_uuid, now, rfc3339};
use crate::mock::Faults;
use super::Gr4vyFault;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// How long a new session lives unless `expires_in` says otherwise: "By default this will be set
/// to 1 hour from the date of creation."
pub const DEFAULT_LIFETIME: i64 = 3600;
/// The lifetime under the `gr4vy-expiry-not-one-hour` fault.
const FAULTY_LIFETIME: i64 = 24 * 3600;

/// The properties of `CheckoutSession` rendered from what was set, in the order of the
/// documentation's example (`type`, `id`, `expires_at` come first; `payment_method` last).
const RENDERED: &[&str] = &[
    "cart_items",
    "metadata",
    "buyer",
    "airline",
    "amount",
    "currency",
    "payment_service_id",
];

/// One checkout session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Lowercase UUID v4.
    pub id: String,
    /// `x-gr4vy-merchant-account-id` at creation (`default` without the header): the session is
    /// only visible to requests for the same merchant account.
    pub merchant_account: String,
    /// Seconds since the epoch.
    pub expires_at: i64,
    /// The `CheckoutSessionUpdate` properties as last set (validated; `expires_in` excluded).
    pub fields: Map<String, Value>,
}

impl Session {
    /// The session as a `CheckoutSession` body.
    pub fn to_json(&self, faults: Faults) -> Value {
        let mut out = Map::new();
        if !faults.has(Gr4vyFault::SessionTypeMissing) {
            out.insert("type".into(), "checkout-session".into());
        }
        out.insert("id".into(), self.id.clone().into());
        out.insert("expires_at".into(), rfc3339(self.expires_at).into());
        for key in RENDERED {
            let value = self.fields.get(*key).cloned().unwrap_or(Value::Null);
            out.insert((*key).into(), value);
        }
        // Only set when a buyer pays; the mock has no payment flow.
        out.insert("payment_method".into(), Value::Null);
        Value::Object(out)
    }

    /// Applies a validated update: each property given replaces the stored one (`cart_items`
    /// the whole array, `metadata` the whole map; `null` clears); properties not given are kept;
    /// `expires_in` moves `expires_at` to that many seconds from now.
    pub fn apply(&mut self, update: Map<String, Value>, faults: Faults) {
        for (key, value) in update {
            match key.as_str() {
                "expires_in" => {
                    if let Some(secs) = value.as_f64() {
                        self.expires_at = now() + secs as i64;
                    }
                }
                "cart_items" => match value {
                    Value::Null if faults.has(Gr4vyFault::CartItemsNullIgnored) => {}
                    Value::Array(items) if faults.has(Gr4vyFault::CartItemsAppended) => {
                        match self.fields.get_mut("cart_items") {
                            Some(Value::Array(stored)) => stored.extend(items),
                            _ => {
                                self.fields.insert(key, Value::Array(items));
                            }
                        }
                    }
                    value => {
                        self.fields.insert(key, value);
                    }
                },
                "metadata" => match value {
                    _ if faults.has(Gr4vyFault::MetadataIgnored) => {}
                    Value::Object(new) if faults.has(Gr4vyFault::MetadataMerged) => {
                        match self.fields.get_mut("metadata") {
                            Some(Value::Object(stored)) => stored.extend(new),
                            _ => {
                                self.fields.insert(key, Value::Object(new));
                            }
                        }
                    }
                    value => {
                        self.fields.insert(key, value);
                    }
                },
                _ => {
                    self.fields.insert(key, value);
                }
            }
        }
    }
}

/// The sessions of one mock server.
#[derive(Default)]
pub struct Store {
    sessions: Mutex<HashMap<String, Session>>,
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Session>> {
        // An update is applied whole under the lock, so a poisoned lock still guards
        // consistent data.
        self.sessions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `POST /checkout/sessions` with a validated body.
    pub fn create(
        &self,
        body: Map<String, Value>,
        merchant_account: &str,
        faults: Faults,
    ) -> Value {
        let lifetime = if faults.has(Gr4vyFault::ExpiryNotOneHour) {
            FAULTY_LIFETIME
        } else {
            DEFAULT_LIFETIME
        };
        let mut session = Session {
            id: new_uuid(),
            merchant_account: merchant_account.to_owned(),
            expires_at: now() + lifetime,
            fields: Map::new(),
        };
        session.apply(body, Faults::NONE);
        let json = session.to_json(faults);
        self.lock().insert(session.id.clone(), session);
        json
    }

    /// `GET /checkout/sessions/{id}`.
    pub fn get(
        &self,
        id: &str,
        merchant_account: &str,
        faults: Faults,
    ) -> Result<Value, Gr4vyError> {
        let sessions = self.lock();
        find(&sessions, id, merchant_account).map(|s| s.to_json(faults))
    }

    /// `PUT /checkout/sessions/{id}` with a validated body.
    pub fn update(
        &self,
        id: &str,
        merchant_account: &str,
        body: Map<String, Value>,
        faults: Faults,
    ) -> Result<Value, Gr4vyError> {
        let mut sessions = self.lock();
        let session = sessions
            .get_mut(&id.to_ascii_lowercase())
            .filter(|s| s.merchant_account == merchant_account)
            .ok_or_else(Gr4vyError::session_not_found)?;
        session.apply(body, faults);
        Ok(session.to_json(faults))
    }

    /// `DELETE /checkout/sessions/{id}`.
    pub fn delete(
        &self,
        id: &str,
        merchant_account: &str,
        faults: Faults,
    ) -> Result<(), Gr4vyError> {
        let mut sessions = self.lock();
        find(&sessions, id, merchant_account)?;
        if !faults.has(Gr4vyFault::DeletedSessionServed) {
            sessions.remove(&id.to_ascii_lowercase());
        }
        Ok(())
    }
}

/// The session `id` (a UUID in either case) of `merchant_account`.
fn find<'a>(
    sessions: &'a HashMap<String, Session>,
    id: &str,
    merchant_account: &str,
) -> Result<&'a Session, Gr4vyError> {
    sessions
        .get(&id.to_ascii_lowercase())
        .filter(|s| s.merchant_account == merchant_account)
        .ok_or_else(Gr4vyError::session_not_found)
}
