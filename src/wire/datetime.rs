//! RFC 3339 date-times, as Gr4vy writes `expires_at` (`2022-01-01T00:00:00+00:00`): parsed to
//! and formatted from Unix seconds, without a calendar crate.
//!
//! ```
//! use checkout_conformance::wire::datetime::{format, parse};
//! assert_eq!(format(1_640_995_200), "2022-01-01T00:00:00+00:00");
//! assert_eq!(parse("2022-01-01T01:00:00.250+01:00"), Some(1_640_995_200));
//! assert_eq!(parse("yesterday"), None);
//! ```

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// `secs` since the epoch as RFC 3339 with the `+00:00` offset.
pub fn format(secs: i64) -> String {
    let (days, time) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00",
        time / 3600,
        time % 3600 / 60,
        time % 60
    )
}

/// An RFC 3339 date-time (`T` or space, fractional seconds, `Z` or `±hh:mm`) as Unix seconds
/// (fractions dropped); `None` if it is not one.
pub fn parse(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(fraction.len());
        if end == 0 {
            return None;
        }
        rest = &fraction[end..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (h, m) = rest[1..].split_once(':')?;
            if h.len() != 2 || m.len() != 2 {
                return None;
            }
            sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60)
        }
    };
    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second < 61;
    valid.then(|| {
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
    })
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil and civil_from_days.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[rstest]
    #[case::utc("2022-01-01T00:00:00Z", Some(1_640_995_200))]
    #[case::offset("2013-07-16T19:23:00.000+00:00", Some(1_374_002_580))]
    #[case::negative_offset("2021-12-31T19:00:00-05:00", Some(1_640_995_200))]
    #[case::leap_day("2000-02-29T00:00:00+00:00", Some(951_782_400))]
    #[case::not_a_leap_day("2001-02-29T00:00:00+00:00", None)]
    #[case::no_offset("2022-01-01T00:00:00", None)]
    #[case::date_only("2022-01-01", None)]
    #[case::month_13("2022-13-01T00:00:00Z", None)]
    #[case::empty_fraction("2022-01-01T00:00:00.Z", None)]
    #[case::words("yesterday at noon, roughly", None)]
    fn parses(#[case] text: &str, #[case] expected: Option<i64>) {
        assert_eq!(parse(text), expected);
    }

    proptest! {
        #[test]
        fn format_then_parse_is_identity(secs in -62_135_596_800i64..253_402_300_799) {
            prop_assert_eq!(parse(&format(secs)), Some(secs));
        }
    }
}
