//! When an answer is retried, and how long the client waits before it tries again.
//!
//! - [`RetryHints::should_retry`]: 429 and 5xx are retried, other statuses are not; a vendor's
//!   retry header (Stripe's `Stripe-Should-Retry`) overrides the status either way; answers the
//!   vendor marks final (Stripe's `idempotency_error`) are never retried.
//! - [`backoff`]: exponential backoff with full jitter — a uniform draw in
//!   `[0, min(cap, base · 2^retry)]` — so that concurrent clients that failed together do not
//!   retry together.

use serde_json::Value;
use std::time::Duration;

/// How a vendor tells the client whether an answer may be retried. The vendor folders provide
/// them ([`crate::vendor::Vendor::retry_hints`]); the default has no hint: the status decides.
///
/// ```
/// use checkout_conformance::client::RetryHints;
/// use serde_json::json;
/// let hints = RetryHints {
///     header: Some("x-should-retry"),
///     final_answer: Some(|body| body["error"]["type"] == "idempotency_error"),
/// };
/// let none = serde_json::Value::Null;
/// assert!(hints.should_retry(503, None, &none));
/// assert!(hints.should_retry(429, None, &none));
/// assert!(!hints.should_retry(429, Some("false"), &none));
/// assert!(hints.should_retry(409, Some("true"), &none));
/// assert!(!hints.should_retry(409, None, &none));
/// let idempotency = json!({"error": {"type": "idempotency_error"}});
/// assert!(!hints.should_retry(400, Some("true"), &idempotency));
/// assert!(!RetryHints::default().should_retry(400, None, &none));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct RetryHints {
    /// A response header whose `true` / `false` overrides the status (case-insensitive name).
    pub header: Option<&'static str>,
    /// Answers never retried whatever the status or the header says: the same request would
    /// get the same answer.
    pub final_answer: Option<fn(&Value) -> bool>,
}

impl RetryHints {
    /// Whether an answer with `status`, the value of the hint header (if any) and `body` should
    /// be retried. In order:
    ///
    /// 1. an answer the vendor marks final is never retried;
    /// 2. the header saying `false` is never retried, `true` always is (e.g. a 409 lock
    ///    timeout);
    /// 3. without the header: 429 and 5xx are retried; 409 and every other status are not.
    pub fn should_retry(&self, status: u16, header: Option<&str>, body: &Value) -> bool {
        if self.final_answer.is_some_and(|is_final| is_final(body)) {
            return false;
        }
        match header.map(str::trim) {
            Some(v) if v.eq_ignore_ascii_case("false") => return false,
            Some(v) if v.eq_ignore_ascii_case("true") => return true,
            _ => {}
        }
        status == 429 || (500..=599).contains(&status)
    }
}

/// The longest wait before retry number `retry` (0 for the first retry):
/// `min(cap, base · 2^retry)`, saturating.
///
/// ```
/// use checkout_conformance::client::backoff_ceiling;
/// use std::time::Duration;
/// let (base, cap) = (Duration::from_millis(250), Duration::from_secs(8));
/// assert_eq!(backoff_ceiling(0, base, cap), Duration::from_millis(250));
/// assert_eq!(backoff_ceiling(2, base, cap), Duration::from_secs(1));
/// assert_eq!(backoff_ceiling(10, base, cap), cap);
/// assert_eq!(backoff_ceiling(u32::MAX, base, cap), cap);
/// ```
pub fn backoff_ceiling(retry: u32, base: Duration, cap: Duration) -> Duration {
    let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
    base.saturating_mul(factor).min(cap)
}

/// The wait before retry number `retry` with full jitter: `unit` (a uniform draw in `[0, 1]`,
/// clamped; NaN counts as 0) times [`backoff_ceiling`].
///
/// ```
/// use checkout_conformance::client::backoff;
/// use std::time::Duration;
/// let (base, cap) = (Duration::from_millis(100), Duration::from_secs(1));
/// assert_eq!(backoff(1, base, cap, 0.5), Duration::from_millis(100));
/// assert_eq!(backoff(1, base, cap, 1.0), Duration::from_millis(200));
/// assert_eq!(backoff(9, base, cap, 0.25), Duration::from_millis(250));
/// assert_eq!(backoff(0, base, cap, 0.0), Duration::ZERO);
/// ```
pub fn backoff(retry: u32, base: Duration, cap: Duration, unit: f64) -> Duration {
    let unit = if unit.is_nan() {
        0.0
    } else {
        unit.clamp(0.0, 1.0)
    };
    backoff_ceiling(retry, base, cap).mul_f64(unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use serde_json::json;

    #[rstest]
    #[case::too_many_requests(429, None, json!({}), true)]
    #[case::too_many_requests_told_not_to(429, Some("false"), json!({}), false)]
    #[case::internal_error(500, None, json!({}), true)]
    #[case::bad_gateway(502, None, json!(null), true)]
    #[case::unavailable(503, None, json!({}), true)]
    #[case::unavailable_told_not_to(503, Some("false"), json!({}), false)]
    #[case::header_case_and_spaces(503, Some(" FALSE "), json!({}), false)]
    #[case::conflict(409, None, json!({}), false)]
    #[case::conflict_told_to(409, Some("true"), json!({}), true)]
    #[case::bad_request(400, None, json!({"error": {"type": "invalid_request_error"}}), false)]
    #[case::not_found(404, None, json!({}), false)]
    #[case::idempotency_error(400, None, json!({"error": {"type": "idempotency_error"}}), false)]
    #[case::idempotency_error_told_to(409, Some("true"), json!({"error": {"type": "idempotency_error"}}), false)]
    #[case::idempotency_error_on_5xx(500, None, json!({"error": {"type": "idempotency_error"}}), false)]
    #[case::success(200, None, json!({}), false)]
    #[case::unknown_header_value(409, Some("maybe"), json!({}), false)]
    fn classification(
        #[case] status: u16,
        #[case] header: Option<&str>,
        #[case] body: Value,
        #[case] expected: bool,
    ) {
        let hints = crate::vendor::Provider::Stripe.vendor().retry_hints();
        assert_eq!(hints.should_retry(status, header, &body), expected);
    }

    #[test]
    fn full_jitter_grows_on_average_and_stays_under_its_ceiling() {
        let (base, cap) = (Duration::from_millis(250), Duration::from_secs(8));
        let mut rng = fastrand::Rng::with_seed(7);
        let mut previous_mean = Duration::ZERO;
        for retry in 0..5 {
            let ceiling = backoff_ceiling(retry, base, cap);
            let draws: Vec<Duration> = (0..2000)
                .map(|_| backoff(retry, base, cap, rng.f64()))
                .collect();
            assert!(draws.iter().all(|d| *d <= ceiling));
            let mean = draws.iter().sum::<Duration>() / 2000;
            // Full jitter: the mean is half the ceiling, and doubles with every retry.
            assert!(mean > ceiling.mul_f64(0.45) && mean < ceiling.mul_f64(0.55));
            assert!(mean > previous_mean.mul_f64(1.8), "retry {retry}: {mean:?}");
            let distinct: std::collections::BTreeSet<_> = draws.iter().collect();
            assert!(distinct.len() > 1900, "jittered: {}", distinct.len());
            previous_mean = mean;
        }
    }

    #[test]
    fn unit_out_of_range_is_clamped() {
        let (base, cap) = (Duration::from_millis(10), Duration::from_millis(100));
        assert_eq!(backoff(0, base, cap, 2.0), base);
        assert_eq!(backoff(0, base, cap, -1.0), Duration::ZERO);
        assert_eq!(backoff(0, base, cap, f64::NAN), Duration::ZERO);
        assert_eq!(backoff(40, base, cap, 1.0), cap);
    }
}
