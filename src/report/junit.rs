//! `junit.xml`, written from the recorded results so that each outcome gets its JUnit element:
//! a broken contract is a `<failure>`; a setup failure or an infrastructure error an `<error
//! type="setup|infrastructure">`; not applicable and not run `<skipped message>`.
//! (cucumber's own JUnit writer knows only failures.)

use super::ScenarioResult;
use crate::verdict::{Outcome, Tally};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The JUnit XML document: one `<testsuite>` per feature, run-wide `properties` on each
/// (target, provider, Stripe-Version, …), valid against the Jenkins/Surefire schema
/// (`junit-10.xsd`) and, when no scenario was skipped, against Ant's (which has no `<skipped>`):
/// tests/junit_schemas.rs validates both.
///
/// ```
/// use checkout_conformance::report::{junit, Outcome, ScenarioResult};
/// let result = ScenarioResult {
///     feature: "Metadata".into(), path: None, scenario: "Unset a key".into(), line: 7,
///     tags: vec![], retries: 0, outcome: Outcome::Infrastructure("cannot reach http://127.0.0.1:9".into()),
///     duration: std::time::Duration::from_millis(1500), steps: vec![],
///     started_at: None, requests: vec![], reproduction: None,
/// };
/// let xml = junit(&[("Stripe-Version", "2026-07-29.dahlia".into())], &[result]);
/// assert!(xml.contains(r#"tests="1" failures="0" errors="1" time="1.500""#));
/// assert!(xml.contains("<error type=\"infrastructure\" message=\"cannot reach http://127.0.0.1:9\""));
/// ```
pub fn junit(properties: &[(&str, String)], results: &[ScenarioResult]) -> String {
    let mut features: BTreeMap<&str, Vec<&ScenarioResult>> = BTreeMap::new();
    for r in results {
        features.entry(&r.feature).or_default().push(r);
    }

    let hostname = gethostname::gethostname().to_string_lossy().into_owned();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    for (id, (feature, cases)) in features.iter().enumerate() {
        let tally = Tally::of(cases.iter().map(|r| &r.outcome));
        let time: f64 = cases.iter().map(|r| r.duration.as_secs_f64()).sum();
        // When its first scenario started, as JUnit's schemas want it: no zone (UTC), seconds.
        let started = cases
            .iter()
            .filter_map(|r| r.started_at)
            .min()
            .unwrap_or_else(std::time::SystemTime::now);
        let started = humantime::format_rfc3339_seconds(started).to_string();
        let timestamp = started.trim_end_matches('Z');
        // The feature file's directory (`stripe`, `gr4vy`) as the package.
        let package = cases
            .iter()
            .find_map(|r| r.path.as_ref()?.parent()?.file_name())
            .map(|d| d.to_string_lossy().into_owned())
            .unwrap_or_else(|| "features".into());
        // Ant's schema has no `skipped` attribute: written only when some are.
        let skipped = tally.not_applicable + tally.not_run;
        let skipped = if skipped > 0 {
            format!(" skipped=\"{skipped}\"")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" package=\"{}\" id=\"{id}\" timestamp=\"{timestamp}\" hostname=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\"{skipped} time=\"{time:.3}\">",
            escape(feature),
            escape(&package),
            escape(&hostname),
            cases.len(),
            tally.failed,
            tally.setup_failed + tally.infrastructure,
        );
        out.push_str("    <properties>\n");
        for (name, value) in properties {
            let _ = writeln!(
                out,
                "      <property name=\"{}\" value=\"{}\"/>",
                escape(name),
                escape(value)
            );
        }
        out.push_str("    </properties>\n");
        let mut system_out = String::new();
        for case in cases {
            let location = case
                .path
                .as_ref()
                .map(|p| format!("{}:{}", p.display(), case.line))
                .unwrap_or_default();
            let _ = writeln!(
                system_out,
                "{} / {}: {location}",
                case.feature, case.scenario
            );
            if case.outcome == Outcome::Passed && case.retries > 0 {
                let _ = writeln!(
                    system_out,
                    "  flaky: passed after {} retried request(s)",
                    case.retries
                );
            }
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
                escape(&case.scenario),
                escape(feature),
                case.duration.as_secs_f64()
            );
            match outcome_element(case) {
                None => out.push_str("/>\n"),
                Some(inner) => {
                    let _ = write!(out, ">\n      {inner}\n    </testcase>\n");
                }
            }
        }
        // Both schemas want these after the cases; the scenarios' files and lines, and the
        // flaky ones, go here (neither schema has a place for them on a case).
        let _ = writeln!(
            out,
            "    <system-out>{}</system-out>\n    <system-err></system-err>",
            escape(&system_out)
        );
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// What a `<testcase>` holds: nothing for a pass (a flaky one is noted in the suite's
/// `<system-out>`), `<failure type="deviation">`, `<error type="setup|infrastructure">` or
/// `<skipped message="not applicable|not run: …">`.
fn outcome_element(case: &ScenarioResult) -> Option<String> {
    let first_line = |text: &str| {
        text.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default()
            .to_owned()
    };
    let (element, attributes, text) = match &case.outcome {
        Outcome::Passed => return None,
        Outcome::Failed(t) => ("failure", " type=\"deviation\"", t),
        Outcome::SetupFailed(t) => ("error", " type=\"setup\"", t),
        Outcome::Infrastructure(t) => ("error", " type=\"infrastructure\"", t),
        Outcome::NotApplicable(t) | Outcome::NotRun(t) => {
            return Some(format!(
                "<skipped message=\"{}: {}\"/>",
                case.outcome.label(),
                escape(&first_line(t))
            ))
        }
    };
    Some(format!(
        "<{element}{attributes} message=\"{}\">{}</{element}>",
        escape(&first_line(text)),
        escape(text)
    ))
}

/// Text as XML character data or attribute value; characters XML 1.0 cannot hold are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn result(outcome: Outcome, retries: usize) -> ScenarioResult {
        ScenarioResult {
            feature: "F <&>".into(),
            path: None,
            scenario: "S \"q\"".into(),
            line: 3,
            tags: vec![],
            retries,
            outcome,
            duration: std::time::Duration::from_millis(42),
            steps: vec![],
            started_at: None,
            requests: vec![],
            reproduction: None,
        }
    }

    #[test]
    fn suites_carry_when_and_where_they_ran() {
        let mut case = result(Outcome::Passed, 0);
        case.started_at =
            Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_796_000_000));
        let xml = junit(&[], &[case]);
        assert!(
            xml.contains(" timestamp=\"2026-11-30T00:53:20\" hostname=\""),
            "{xml}"
        );
        assert!(!xml.contains("hostname=\"\""), "{xml}");
        assert!(xml.contains(" time=\"0.042\">"), "{xml}");
    }

    #[rstest]
    #[case::passed(
        Outcome::Passed,
        0,
        "<testcase name=\"S &quot;q&quot;\" classname=\"F &lt;&amp;&gt;\" time=\"0.042\"/>"
    )]
    #[case::flaky(Outcome::Passed, 2, "flaky: passed after 2 retried request(s)")]
    #[case::failure(Outcome::Failed("diff\n-a\n+b".into()), 0, "<failure type=\"deviation\" message=\"diff\">diff\n-a\n+b</failure>")]
    #[case::infrastructure(Outcome::Infrastructure("cannot reach".into()), 0, "<error type=\"infrastructure\" message=\"cannot reach\">")]
    #[case::setup(Outcome::SetupFailed("no price".into()), 0, "<error type=\"setup\" message=\"no price\">")]
    #[case::not_applicable(Outcome::NotApplicable("needs a key".into()), 0, "<skipped message=\"not applicable: needs a key\"/>")]
    #[case::not_run(Outcome::NotRun("Ctrl-C".into()), 0, "<skipped message=\"not run: Ctrl-C\"/>")]
    #[case::control_chars(Outcome::Failed("a\u{1}b".into()), 0, "<failure type=\"deviation\" message=\"ab\">ab</failure>")]
    fn writes(#[case] outcome: Outcome, #[case] retries: usize, #[case] expected: &str) {
        let xml = junit(&[], &[result(outcome, retries)]);
        assert!(xml.contains(expected), "{xml}");
    }
}
