//! The string formats and patterns of Gr4vy's spec, checked by hand (no regex engine): the
//! JSON Schema meaning of `format: date-time` (RFC 3339 `date-time`), `format: date` (RFC 3339
//! `full-date`), `format: uuid`, and the four `pattern`s the request schemas use.

/// A `pattern` of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// `^[A-Z]{2}$`: an ISO 3166-1 alpha-2 country code.
    Country,
    /// `^[A-Z]{3}$`: an ISO 4217 currency code.
    Currency,
    /// `^\+[1-9]\d{1,14}$`: an E.164 phone number.
    Phone,
    /// `^[A-Z]{2}-[A-Z0-9]{1,3}$`: an ISO 3166-2 subdivision code.
    StateCode,
}

impl Pattern {
    /// The pattern as the spec writes it.
    pub fn source(self) -> &'static str {
        match self {
            Pattern::Country => "^[A-Z]{2}$",
            Pattern::Currency => "^[A-Z]{3}$",
            Pattern::Phone => r"^\+[1-9]\d{1,14}$",
            Pattern::StateCode => "^[A-Z]{2}-[A-Z0-9]{1,3}$",
        }
    }

    /// Whether `s` matches the whole pattern (`\d` is ASCII, as in ECMA-262).
    pub fn matches(self, s: &str) -> bool {
        let b = s.as_bytes();
        let upper = |c: &u8| c.is_ascii_uppercase();
        match self {
            Pattern::Country => b.len() == 2 && b.iter().all(upper),
            Pattern::Currency => b.len() == 3 && b.iter().all(upper),
            Pattern::Phone => {
                (3..=16).contains(&b.len())
                    && b[0] == b'+'
                    && (b'1'..=b'9').contains(&b[1])
                    && b[2..].iter().all(u8::is_ascii_digit)
            }
            Pattern::StateCode => {
                (4..=6).contains(&b.len())
                    && b[..2].iter().all(upper)
                    && b[2] == b'-'
                    && b[3..]
                        .iter()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            }
        }
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

fn is_leap(year: u32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// RFC 3339 `full-date`: `YYYY-MM-DD`, a day that exists.
///
/// ```
/// # use checkout_conformance::vendor::gr4vy::mock::formats::is_date;
/// assert!(is_date("2013-07-16"));
/// assert!(is_date("2024-02-29"));
/// assert!(!is_date("2023-02-29"));
/// assert!(!is_date("2013-7-16"));
/// assert!(!is_date("2013-07-16T00:00:00Z"));
/// ```
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    match (digits(&b[..4]), digits(&b[5..7]), digits(&b[8..])) {
        (Some(y), Some(m), Some(d)) => (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m),
        _ => false,
    }
}

/// RFC 3339 `date-time`: `full-date "T" partial-time time-offset`, with `T` and `Z` in either
/// case, optional fractional seconds, and an offset `Z` or `±HH:MM`. Second `60` (a leap second)
/// only as the last second of a UTC day (`23:59:60Z`, or the same instant at another offset), as
/// JSON Schema's `format: date-time` has it (the response schemas assert that format).
///
/// ```
/// # use checkout_conformance::vendor::gr4vy::mock::formats::is_datetime;
/// assert!(is_datetime("2013-07-16T19:23:00.000+00:00"));
/// assert!(is_datetime("2013-07-16t19:23:00z"));
/// assert!(is_datetime("1998-12-31T23:59:60Z"));
/// assert!(!is_datetime("2013-07-16T19:23:60Z"));         // a leap second at midday
/// assert!(!is_datetime("2013-07-16T19:23:00"));          // no offset
/// assert!(!is_datetime("2013-07-16 19:23:00+00:00"));    // a space is not `T`
/// assert!(!is_datetime("2013-07-16T24:00:00Z"));
/// assert!(!is_datetime("2013-07-16"));
/// ```
pub fn is_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 || !s.get(..10).is_some_and(is_date) {
        return false;
    }
    if !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) =
        (digits(&b[11..13]), digits(&b[14..16]), digits(&b[17..19]))
    else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = &b[19..];
    if rest.first() == Some(&b'.') {
        let frac = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if frac == 0 {
            return false;
        }
        rest = &rest[1 + frac..];
    }
    // The offset east of UTC, in minutes.
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            match (digits(&[*h1, *h2]), digits(&[*m1, *m2])) {
                (Some(h), Some(m)) if h <= 23 && m <= 59 => {
                    let minutes = i64::from(h * 60 + m);
                    if *sign == b'+' {
                        minutes
                    } else {
                        -minutes
                    }
                }
                _ => return false,
            }
        }
        _ => return false,
    };
    let utc_minute_of_day = (i64::from(hour * 60 + minute) - offset).rem_euclid(24 * 60);
    second < 60 || utc_minute_of_day == 23 * 60 + 59
}

/// `format: uuid`: `8-4-4-4-12` hexadecimal digits, either case.
///
/// ```
/// # use checkout_conformance::vendor::gr4vy::mock::formats::is_uuid;
/// assert!(is_uuid("8d3fe99b-1422-42e6-bbb3-932d95ae5f79"));
/// assert!(is_uuid("8D3FE99B-1422-42E6-BBB3-932D95AE5F79"));
/// assert!(!is_uuid("8d3fe99b142242e6bbb3932d95ae5f79"));
/// assert!(!is_uuid("not-a-uuid"));
/// ```
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A random (version 4, RFC 4122 variant) UUID, lowercase `8-4-4-4-12`.
pub fn new_uuid() -> String {
    let mut bytes = [0u8; 16];
    bytes.iter_mut().for_each(|b| *b = fastrand::u8(..));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push_str(&format!("{b:02x}"));
    }
    out
}

pub use crate::wire::datetime::{format as rfc3339, now};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(Pattern::Country.matches("US"));
        assert!(!Pattern::Country.matches("us"));
        assert!(!Pattern::Country.matches("USA"));
        assert!(Pattern::Currency.matches("EUR"));
        assert!(!Pattern::Currency.matches("EU"));
        assert!(Pattern::Phone.matches("+1234567890"));
        assert!(Pattern::Phone.matches("+12"));
        assert!(Pattern::Phone.matches("+123456789012345"));
        assert!(!Pattern::Phone.matches("+1234567890123456"));
        assert!(!Pattern::Phone.matches("+0123"));
        assert!(!Pattern::Phone.matches("+1"));
        assert!(!Pattern::Phone.matches("1234567"));
        assert!(!Pattern::Phone.matches("+١٢٣")); // Arabic-Indic digits are not \d here
        assert!(Pattern::StateCode.matches("US-CA"));
        assert!(Pattern::StateCode.matches("GB-LND"));
        assert!(!Pattern::StateCode.matches("US-CALI"));
        assert!(!Pattern::StateCode.matches("us-ca"));
    }

    #[test]
    fn datetimes_never_panic_on_multibyte_input() {
        for s in [
            "2013-07-16é19:23:00Z",
            "2013-07-1é",
            "é013-07-16T19:23:00+00:00",
            "2013-07-16T19:23:00+00:0é",
        ] {
            assert!(!is_datetime(s), "{s}");
        }
        assert!(!is_datetime("2013-07-16T19:23:60Z"));
        assert!(is_datetime("1998-12-31T23:59:60Z"));
        assert!(is_datetime("1998-12-31T15:59:60-08:00"));
        assert!(is_datetime("1999-01-01T05:29:60+05:30"));
        assert!(!is_datetime("1998-12-31T23:59:60+01:00"));
        assert!(!is_datetime("1998-12-31T23:59:61Z"));
        assert!(is_datetime("2013-07-16T19:23:00.123456789-08:00"));
        assert!(!is_datetime("2013-07-16T19:23:00.+00:00"));
        assert!(!is_datetime("2013-07-16T19:23:00+24:00"));
    }

    #[test]
    fn uuids_are_v4() {
        for _ in 0..100 {
            let id = new_uuid();
            assert!(is_uuid(&id), "{id}");
            assert_eq!(&id[14..15], "4");
            assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
            assert_eq!(id, id.to_lowercase());
        }
    }

    #[test]
    fn rfc3339_round_trips_through_the_checker() {
        for secs in [0, 86_399, 1_700_000_000, 4_102_444_800] {
            assert!(is_datetime(&rfc3339(secs)), "{}", rfc3339(secs));
        }
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00+00:00");
    }
}
