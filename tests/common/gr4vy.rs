//! Support for tests of the Gr4vy half of the mock: structurally valid test tokens (ES512 JWTs
//! with a dummy signature: the mock checks structure unless given a public key), a JSON client,
//! and Gr4vy's error envelope.

use super::Mock;
use base64::Engine as _;
use checkout_conformance::vendor::gr4vy::jwt;
use checkout_conformance::vendor::gr4vy::wire::ErrorEnvelope;
use reqwest::Method;
use serde_json::{json, Value};

pub const WRITE: &str = "checkout-sessions.write";
pub const READ: &str = "checkout-sessions.read";

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A JWT of `header` and `claims` with a random signature of `signature_len` bytes.
pub fn jwt(header: &Value, claims: &Value, signature_len: usize) -> String {
    let signature: Vec<u8> = (0..signature_len).map(|_| fastrand::u8(..)).collect();
    format!(
        "{}.{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes()),
        b64(&signature)
    )
}

/// The claims Gr4vy's SDKs put in a token, with `scopes` and `exp` = now + `expires_in`.
pub fn claims(scopes: &[&str], expires_in: i64) -> Value {
    let now = now();
    json!({
        "iss": "checkout-conformance tests",
        "iat": now,
        "nbf": now,
        "exp": now + expires_in,
        "jti": format!("{:016x}", fastrand::u64(..)),
        "scopes": scopes,
    })
}

/// A structurally valid ES512 token with `scopes`, valid for an hour (unsigned: a random
/// 132-byte signature).
pub fn token(scopes: &[&str]) -> String {
    jwt(
        &json!({"alg": "ES512", "typ": "JWT", "kid": "test-key"}),
        &claims(scopes, 3600),
        132,
    )
}

/// A token with both checkout-session scopes.
pub fn full_token() -> String {
    token(&[READ, WRITE])
}

/// A token signed with `key` (through the client's `jwt` module), issued `age` seconds ago and
/// valid for `lifetime` seconds.
pub fn signed(key: &jwt::SigningKey, scopes: &[&str], age: u64, lifetime: u64) -> String {
    let issued = (now() as u64).saturating_sub(age);
    let claims = jwt::Claims::issued_at(issued, scopes, std::time::Duration::from_secs(lifetime));
    jwt::sign(key, key.thumbprint(), &claims)
        .expect("a token signs")
        .expose()
        .to_owned()
}

/// One answer of the Gr4vy half.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    /// The JSON body (`Null` for an empty one).
    pub body: Value,
    pub content_type: Option<String>,
}

impl Reply {
    /// Panics with the body unless the status is `expected`.
    #[track_caller]
    pub fn expect(self, expected: u16) -> Self {
        assert_eq!(
            self.status, expected,
            "unexpected status; body: {}",
            self.body
        );
        self
    }

    /// The body as Gr4vy's error envelope; panics if it is not one.
    #[track_caller]
    pub fn envelope(&self) -> ErrorEnvelope {
        serde_json::from_value(self.body.clone())
            .unwrap_or_else(|e| panic!("not Gr4vy's error envelope ({e}): {}", self.body))
    }

    /// `code` of an error body.
    pub fn code(&self) -> Option<&str> {
        self.body["code"].as_str()
    }

    /// The `pointer`s of `details`.
    pub fn pointers(&self) -> Vec<String> {
        self.body["details"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["pointer"].as_str().map(str::to_owned))
            .collect()
    }

    /// `(pointer, type)` of every detail.
    pub fn details(&self) -> Vec<(String, String)> {
        self.body["details"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| {
                (
                    d["pointer"].as_str().unwrap_or_default().to_owned(),
                    d["type"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    /// Panics unless this is a 400 `bad_request` in Gr4vy's envelope with a detail at
    /// `pointer` (of `kind`, if given).
    #[track_caller]
    pub fn rejects(&self, pointer: &str, kind: Option<&str>) {
        assert_eq!(
            self.status, 400,
            "expected 400 at {pointer}; body: {}",
            self.body
        );
        let envelope = self.envelope();
        assert_eq!(envelope.code, "bad_request", "{}", self.body);
        assert_eq!(envelope.status, 400, "{}", self.body);
        let found = self
            .details()
            .into_iter()
            .any(|(p, k)| p == pointer && kind.is_none_or(|kind| k == kind));
        assert!(found, "no detail {pointer} ({kind:?}) in {}", self.body);
    }

    /// Why the body does not conform to Gr4vy's spec (`SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Gr4vy)`, picked by its
    /// `type`): empty if it conforms. An empty body (204) conforms.
    pub fn conformance_problems(&self) -> Vec<String> {
        use checkout_conformance::schema::SchemaRegistry;
        if self.body.is_null() {
            return Vec::new();
        }
        let registry = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Gr4vy);
        match registry.for_object(&self.body) {
            None => vec!["the body matches no Gr4vy schema".to_owned()],
            Some(id) => match registry.validate(id, &self.body) {
                Ok(()) => Vec::new(),
                Err(violations) => violations.iter().map(|v| format!("{id}: {v}")).collect(),
            },
        }
    }

    /// Panics unless the body conforms to Gr4vy's spec (see [`Reply::conformance_problems`]).
    #[track_caller]
    pub fn assert_conforms(&self) -> &Self {
        super::assert_no_problems(self.status, &self.conformance_problems(), &self.body);
        self
    }

    /// Panics unless the answer is a 200 Checkout Session; returns it.
    #[track_caller]
    pub fn session(&self) -> &Value {
        assert_eq!(self.status, 200, "expected 200; body: {}", self.body);
        assert_eq!(self.body["type"], "checkout-session", "{}", self.body);
        &self.body
    }
}

/// A JSON client for the Gr4vy half of a running mock.
#[derive(Clone)]
pub struct Gr4vy {
    pub base: String,
    pub http: reqwest::Client,
    /// Sent as `Authorization: Bearer …` unless a request says otherwise.
    pub token: String,
}

impl Gr4vy {
    /// A client for `mock` with a token holding both checkout-session scopes.
    pub fn of(mock: &Mock) -> Gr4vy {
        Gr4vy {
            base: mock.server.url(),
            http: mock.http.clone(),
            token: full_token(),
        }
    }

    /// A client for the mock at `base` (`http://ADDR`).
    pub fn at(base: String) -> Gr4vy {
        Gr4vy {
            base,
            http: reqwest::Client::new(),
            token: full_token(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Sends `body` (JSON) with `authorization` (`None`: no header) and `headers`.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        authorization: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Reply {
        let mut request = self.http.request(method, self.url(path));
        if let Some(auth) = authorization {
            request = request.header("authorization", auth);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        reply(request).await
    }

    /// Sends `body` as JSON with the client's token.
    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let auth = format!("Bearer {}", self.token);
        let body = body.map(|b| b.to_string().into_bytes());
        self.request(method, path, Some(&auth), &[], body).await
    }

    /// `POST /checkout/sessions` with `body`: the new session (201 expected).
    pub async fn create(&self, body: Value) -> Value {
        let reply = self
            .send(Method::POST, "/checkout/sessions", Some(&body))
            .await
            .expect(201);
        reply.body
    }

    /// A new session; returns its id.
    pub async fn new_session(&self) -> String {
        self.create(json!({})).await["id"]
            .as_str()
            .expect("session id")
            .to_owned()
    }

    pub async fn put(&self, id: &str, body: Value) -> Reply {
        self.send(
            Method::PUT,
            &format!("/checkout/sessions/{id}"),
            Some(&body),
        )
        .await
    }

    pub async fn get(&self, id: &str) -> Reply {
        self.send(Method::GET, &format!("/checkout/sessions/{id}"), None)
            .await
    }

    pub async fn delete(&self, id: &str) -> Reply {
        self.send(Method::DELETE, &format!("/checkout/sessions/{id}"), None)
            .await
    }

    /// `PUT` with another token (or none).
    pub async fn put_as(&self, id: &str, authorization: Option<&str>, body: Value) -> Reply {
        let body = Some(body.to_string().into_bytes());
        self.request(
            Method::PUT,
            &format!("/checkout/sessions/{id}"),
            authorization,
            &[],
            body,
        )
        .await
    }
}

/// Sends a request and reads the answer (a JSON body, or none).
pub async fn reply(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response.text().await.expect("a body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("a JSON body, got: {text}"))
    };
    Reply {
        status,
        body,
        content_type,
    }
}

/// A valid cart item, with `extra` merged in (a `null` in `extra` removes the key).
pub fn cart_item(extra: Value) -> Value {
    let mut item = json!({"name": "GoPro HD", "quantity": 2, "unit_amount": 1299});
    merge(&mut item, extra);
    item
}

/// Merges `extra` into `target` (objects recursively; `null` removes a key).
pub fn merge(target: &mut Value, extra: Value) {
    match (target, extra) {
        (Value::Object(t), Value::Object(e)) => {
            for (k, v) in e {
                if v.is_null() {
                    t.remove(&k);
                } else if let Some(slot) = t.get_mut(&k) {
                    merge(slot, v);
                } else {
                    t.insert(k, v);
                }
            }
        }
        (t, e) => *t = e,
    }
}

/// The documentation page's airline addendum (every field set), one leg and one passenger.
pub fn doc_airline() -> Value {
    json!({
        "passenger_name_record": "JOHN L",
        "booking_code": "X36Q9C",
        "ticket_number": "123-1234-151555",
        "ticket_delivery_method": "other",
        "issued_at": "2013-07-16T19:23:00.000+00:00",
        "issued_address": "123 Broadway, New York",
        "travel_agency_code": "12345",
        "travel_agency_name": "Agency name",
        "travel_agency_invoice_number": "EG15555155",
        "travel_agency_plan_name": "B733",
        "restricted_ticket": false,
        "issuing_carrier_code": "A3",
        "issuing_carrier_name": "Aegean Airlines",
        "issuing_iata_designator": "A3",
        "issuing_icao_code": "AEE",
        "reservation_system": "Amadeus",
        "is_cardholder_traveling": false,
        "passengers": [doc_passenger()],
        "legs": [doc_leg()],
    })
}

pub fn doc_leg() -> Value {
    json!({
        "carrier_code": "LY",
        "carrier_name": "El Al Israel Airlines",
        "iata_designator": "LY",
        "icao_code": "ELY",
        "flight_number": "BA98",
        "departure_at": "2013-07-16T19:23:00.000+00:00",
        "departure_country": "UK",
        "departure_city": "London",
        "departure_airport": "LHR",
        "arrival_at": "2013-07-16T19:23:00.000+00:00",
        "arrival_country": "UK",
        "arrival_city": "London",
        "arrival_airport": "LHR",
        "fare_basis_code": "WH7LNR",
        "flight_class": "E",
        "stop_over": false,
        "route_type": "round_trip",
        "coupon_number": "15885566",
        "fare_amount": 100,
        "fee_amount": 100,
        "tax_amount": 100,
        "departure_tax_amount": 100,
        "seat_class": "F"
    })
}

pub fn doc_passenger() -> Value {
    json!({
        "title": "Mr.",
        "first_name": "John",
        "last_name": "Lunn",
        "email_address": "john@example.com",
        "phone_number": "+1234567890",
        "passport_number": "7700225",
        "ticket_number": "LH1236699999",
        "frequent_flyer_number": "15885566",
        "date_of_birth": "2013-07-16",
        "age_group": "adult"
    })
}

/// The documentation page's cart item.
pub fn doc_cart_item() -> Value {
    json!({
        "name": "GoPro HERO9 Camcorder",
        "quantity": 1,
        "unit_amount": 37999,
        "discount_amount": 0,
        "tax_amount": 0,
        "external_identifier": "item-789123",
        "sku": "sku-789123",
        "product_url": "https://example.com/items/gopro",
        "image_url": "https://example.com/images/items/gopro.png",
        "categories": ["<string>"],
        "product_type": "physical",
        "seller_country": "US"
    })
}

/// A buyer with every field set.
pub fn full_buyer() -> Value {
    let address = json!({
        "city": "San Jose", "country": "US", "postal_code": "94560", "state": "California",
        "state_code": "US-CA", "house_number_or_name": "10", "line1": "Stafford Appartments",
        "line2": "29th Street", "organization": "Gr4vy"
    });
    json!({
        "display_name": "John Doe",
        "external_identifier": "buyer-12345",
        "account_number": "acct-1",
        "billing_details": {
            "first_name": "John", "last_name": "Doe", "email_address": "john@example.com",
            "phone_number": "+14155552671", "address": address,
            "tax_id": {"value": "12345678931", "kind": "us.ein"}
        },
        "shipping_details": {
            "first_name": "John", "last_name": "Doe", "email_address": "john@example.com",
            "phone_number": "+442071838750", "address": address
        }
    })
}
