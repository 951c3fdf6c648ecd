//! `index.html`: the run as one self-contained page — no network, no CDN, the CSS and the
//! small script inline, opened from disk.
//!
//! A header (targets, providers, Stripe-Version, when, how long, the exit code and what it
//! means, the six outcome counts); the clause matrix (every documentation clause × outcome,
//! each linking to its scenarios); then every scenario with its status, duration and steps
//! (data tables and doc strings shown), the message of one that did not pass with its diff side
//! by side and a copyable `curl` reproduction, and its requests (method, path, body, status,
//! Request-Id, headers, answer) collapsed in `<details>`. Filters by outcome, provider and tag.
//!
//! Everything a target sent, and every name from the features, is HTML-escaped ([`text`],
//! [`attr`]); on top of that the page's Content-Security-Policy allows no fetch at all and runs
//! only the page's own script (by its hash), so markup a target slipped into an answer can
//! neither load anything nor execute.

mod diff;

use super::cucumber_json::find_scenario;
use super::ScenarioResult;
use crate::client::Exchange;
use crate::runner::clauses::Clause;
use crate::vendor::Provider;
use crate::verdict::{Outcome, Tally};
use base64::Engine as _;
use cucumber::gherkin;
use sha2::Digest as _;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;

/// What the page says of the run besides its results.
#[derive(Debug, Clone, Copy)]
pub struct RunInfo<'a> {
    /// `(name, value)` lines of the header (targets, Stripe-Version, tags, duration, …), as
    /// summary.md has them.
    pub header: &'a [(&'a str, String)],
    /// The run's exit code.
    pub exit_code: u8,
}

/// Text escaped for an HTML text node.
///
/// ```
/// use checkout_conformance::report::html::text;
/// assert_eq!(text("<script>alert(1)</script> & co"), "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co");
/// ```
pub fn text(s: &str) -> Cow<'_, str> {
    html_escape::encode_text(s)
}

/// Text escaped for a double-quoted HTML attribute value.
///
/// ```
/// use checkout_conformance::report::html::attr;
/// assert_eq!(attr(r#"x" onerror="alert(1)"#), "x&quot; onerror=&quot;alert(1)");
/// ```
pub fn attr(s: &str) -> Cow<'_, str> {
    html_escape::encode_double_quoted_attribute(s)
}

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// The CSP: nothing may be fetched (`default-src 'none'`), inline style allowed, and only the
/// page's own script runs (its SHA-256).
fn content_security_policy() -> String {
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(SCRIPT));
    format!("default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'; img-src data:; form-action 'none'; base-uri 'none'")
}

/// The page's CSS class of an outcome: `passed`, `failed`, `setup-failed`, …
fn class(outcome: &Outcome) -> String {
    outcome.label().replace(' ', "-")
}

/// The report page of `results` (which ran from `features`), for `clauses`.
pub fn html(
    info: RunInfo<'_>,
    features: &[gherkin::Feature],
    results: &[ScenarioResult],
    clauses: &[Clause],
) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>checkout-conformance report</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        attr(&content_security_policy())
    );
    let ids: HashMap<(Option<&PathBuf>, usize), String> = results
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.path.as_ref(), r.line), format!("s{i}")))
        .collect();
    header(&mut out, info, results);
    clause_matrix(&mut out, results, clauses, &ids);
    filters(&mut out, results);
    scenarios(&mut out, features, results, &ids);
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

fn header(out: &mut String, info: RunInfo<'_>, results: &[ScenarioResult]) {
    let tally = Tally::of(results.iter().map(|r| &r.outcome));
    let providers: BTreeSet<&str> = results
        .iter()
        .filter_map(ScenarioResult::provider)
        .map(Provider::display_name)
        .collect();
    let providers: Vec<&str> = providers.into_iter().collect();
    let _ = writeln!(
        out,
        "<header>\n<h1>checkout-conformance</h1>\n<p id=\"exit\" class=\"exit exit-{code}\">exit {code}: {}</p>\n<dl>\n<dt>providers</dt><dd>{}</dd>",
        text(super::exit_meaning(info.exit_code)),
        text(&providers.join(", ")),
        code = info.exit_code,
    );
    for (name, value) in info.header {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", text(name), text(value));
    }
    let _ = write!(out, "</dl>\n<table id=\"counts\"><tr><th>scenarios</th>");
    for (label, _) in tally.columns() {
        let _ = write!(out, "<th>{}</th>", text(label));
    }
    let _ = write!(out, "</tr><tr><td>{}</td>", tally.total());
    for (label, n) in tally.columns() {
        let _ = write!(
            out,
            "<td class=\"{}\" data-count=\"{}\">{n}</td>",
            attr(&label.replace(' ', "-")),
            attr(label)
        );
    }
    out.push_str("</tr></table>\n</header>\n");
}

fn clause_matrix(
    out: &mut String,
    results: &[ScenarioResult],
    clauses: &[Clause],
    ids: &HashMap<(Option<&PathBuf>, usize), String>,
) {
    let mut by_clause: BTreeMap<&str, Vec<&ScenarioResult>> = BTreeMap::new();
    for r in results {
        for tag in &r.tags {
            if let Some(clause) = tag.strip_prefix("doc:") {
                by_clause.entry(clause).or_default().push(r);
            }
        }
    }
    out.push_str("<details id=\"clauses\" open>\n<summary><h2>Documentation clauses</h2></summary>\n<table>\n<tr><th>clause</th><th>provider</th><th>verdict</th>");
    for (label, _) in Tally::default().columns() {
        let _ = write!(out, "<th>{}</th>", text(label));
    }
    out.push_str("<th>scenarios</th><th>documentation</th></tr>\n");
    for clause in clauses {
        let scenarios = by_clause
            .get(clause.id.as_str())
            .cloned()
            .unwrap_or_default();
        let tally = Tally::of(scenarios.iter().map(|r| &r.outcome));
        let verdict = super::clause_verdict(&tally);
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"verdict {}\">{}</td>",
            text(&clause.id),
            text(clause.provider.tag()),
            attr(&verdict.replace([' ', '(', ')'], "-")),
            text(verdict)
        );
        for (_, n) in tally.columns() {
            let _ = write!(
                out,
                "<td>{}</td>",
                if n == 0 { String::new() } else { n.to_string() }
            );
        }
        out.push_str("<td>");
        for r in &scenarios {
            if let Some(id) = ids.get(&(r.path.as_ref(), r.line)) {
                let _ = write!(
                    out,
                    "<a class=\"dot {}\" href=\"#{id}\" title=\"{}: {}\"><span>{}</span></a>",
                    class(&r.outcome),
                    attr(r.outcome.label()),
                    attr(&r.scenario),
                    text(r.outcome.label())
                );
            }
        }
        let _ = writeln!(out, "</td><td>{}</td></tr>", text(&clause.text));
    }
    out.push_str("</table>\n</details>\n");
}

fn filters(out: &mut String, results: &[ScenarioResult]) {
    let providers: BTreeSet<String> = results
        .iter()
        .filter_map(ScenarioResult::provider)
        .map(|p| p.tag().to_owned())
        .collect();
    let tags: BTreeSet<&str> = results
        .iter()
        .flat_map(|r| r.tags.iter().map(String::as_str))
        .collect();
    let options = |out: &mut String, values: &mut dyn Iterator<Item = &str>| {
        for v in values {
            let _ = write!(out, "<option value=\"{}\">{}</option>", attr(v), text(v));
        }
    };
    out.push_str("<section id=\"filters\">\n<label>outcome <select id=\"filter-outcome\"><option value=\"\">all</option>");
    options(out, &mut Tally::default().columns().iter().map(|(l, _)| *l));
    out.push_str("</select></label>\n<label>provider <select id=\"filter-provider\"><option value=\"\">all</option>");
    options(out, &mut providers.iter().map(String::as_str));
    out.push_str(
        "</select></label>\n<label>tag <select id=\"filter-tag\"><option value=\"\">all</option>",
    );
    options(out, &mut tags.iter().copied());
    out.push_str("</select></label>\n<span id=\"shown\"></span>\n</section>\n");
}

fn scenarios(
    out: &mut String,
    features: &[gherkin::Feature],
    results: &[ScenarioResult],
    ids: &HashMap<(Option<&PathBuf>, usize), String>,
) {
    let by_path: HashMap<Option<&PathBuf>, &gherkin::Feature> =
        features.iter().map(|f| (f.path.as_ref(), f)).collect();
    out.push_str("<section id=\"scenarios\">\n<h2>Scenarios</h2>\n");
    let mut current: Option<(&str, Option<&PathBuf>)> = None;
    for result in results {
        let key = (result.feature.as_str(), result.path.as_ref());
        if current != Some(key) {
            if current.is_some() {
                out.push_str("</section>\n");
            }
            let _ = writeln!(
                out,
                "<section class=\"feature\"><h3>{}</h3>",
                text(&result.feature)
            );
            current = Some(key);
        }
        let id = ids
            .get(&(result.path.as_ref(), result.line))
            .cloned()
            .unwrap_or_default();
        let tags: Vec<String> = result.tags.iter().map(|t| format!("@{t}")).collect();
        let _ = writeln!(
            out,
            "<article class=\"scenario {cls}\" id=\"{id}\" data-outcome=\"{}\" data-provider=\"{}\" data-tags=\" {} \">\n<h4><span class=\"badge {cls}\">{}</span> {} <span class=\"time\">{:.3} s</span></h4>\n<p class=\"where\">{}:{} <span class=\"tags\">{}</span></p>",
            attr(result.outcome.label()),
            attr(result.provider().map(Provider::tag).unwrap_or_default()),
            attr(&result.tags.join(" ")),
            text(result.outcome.label()),
            text(&result.scenario),
            result.duration.as_secs_f64(),
            text(&result.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default()),
            result.line,
            text(&tags.join(" ")),
            cls = class(&result.outcome),
        );
        let feature = by_path.get(&result.path.as_ref()).copied();
        if let Some((feature, (rule, scenario))) =
            feature.and_then(|f| Some((f, find_scenario(f, result.line)?)))
        {
            steps(out, feature, rule, scenario, result);
        }
        if let Some(message) = result.outcome.message() {
            failure(out, message, result.reproduction.as_deref());
        }
        requests(out, &result.requests);
        out.push_str("</article>\n");
    }
    if current.is_some() {
        out.push_str("</section>\n");
    }
    out.push_str("</section>\n");
}

fn steps(
    out: &mut String,
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
    result: &ScenarioResult,
) {
    let ran: HashMap<(bool, usize), &super::StepResult> = result
        .steps
        .iter()
        .map(|s| ((s.background, s.line), s))
        .collect();
    out.push_str("<ol class=\"steps\">\n");
    for (background, step) in crate::runner::scenario_steps(feature, rule, scenario) {
        let ran = ran.get(&(background, step.position.line));
        let (status, time) = match ran {
            Some(s) => (
                match s.status {
                    super::StepStatus::Passed => "passed",
                    super::StepStatus::Failed => "failed",
                    super::StepStatus::Skipped => "skipped",
                },
                format!("{:.1} ms", s.duration.as_secs_f64() * 1000.0),
            ),
            None => ("skipped", String::new()),
        };
        let _ = write!(
            out,
            "<li class=\"step {status}{}\"><span class=\"kw\">{}</span>{} <span class=\"time\">{time}</span>",
            if background { " background" } else { "" },
            text(&step.keyword),
            text(&step.value),
        );
        if let Some(table) = &step.table {
            out.push_str("<table class=\"data\">");
            for row in &table.rows {
                out.push_str("<tr>");
                for cell in row {
                    let _ = write!(out, "<td>{}</td>", text(cell));
                }
                out.push_str("</tr>");
            }
            out.push_str("</table>");
        }
        if let Some(doc) = &step.docstring {
            let _ = write!(out, "<pre class=\"doc\">{}</pre>", text(doc));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}

fn failure(out: &mut String, message: &str, reproduction: Option<&str>) {
    let _ = writeln!(
        out,
        "<div class=\"failure\">\n<pre class=\"message\">{}</pre>",
        text(message)
    );
    if let Some(table) = diff::side_by_side(message) {
        out.push_str(&table);
    }
    if let Some(command) = reproduction {
        let _ = writeln!(
            out,
            "<div class=\"curl\"><button type=\"button\" class=\"copy\">copy</button><pre><code>{}</code></pre></div>",
            text(command)
        );
    }
    out.push_str("</div>\n");
}

fn requests(out: &mut String, requests: &[Exchange]) {
    if requests.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<details class=\"requests\"><summary>{} request(s)</summary>",
        requests.len()
    );
    for e in requests {
        let _ = writeln!(
            out,
            "<details class=\"request\"><summary><code>{} {}</code> → <span class=\"status s{}\">{}</span> <span class=\"rid\">Request-Id {}</span> <span class=\"time\">{} · {:.1} ms</span></summary>",
            text(&e.method),
            text(&e.path),
            e.status / 100,
            e.status,
            text(e.request_id.as_deref().unwrap_or("none")),
            text(&super::timestamp(e.sent_at)),
            e.elapsed.as_secs_f64() * 1000.0,
        );
        headers(out, "request headers", &e.request_headers);
        if !e.request_body.is_empty() {
            let _ = write!(
                out,
                "<p>body</p><pre class=\"body\">{}</pre>",
                text(&e.request_body)
            );
        }
        headers(out, "response headers", &e.response_headers);
        let answer = if e.body_is_json {
            serde_json::to_string_pretty(&e.body).unwrap_or_else(|_| e.body_text.clone())
        } else {
            e.body_text.clone()
        };
        let _ = writeln!(
            out,
            "<p>answer</p><pre class=\"answer\">{}</pre></details>",
            text(&answer)
        );
    }
    out.push_str("</details>\n");
}

fn headers(out: &mut String, title: &str, headers: &[(String, String)]) {
    if headers.is_empty() {
        return;
    }
    let _ = write!(out, "<p>{}</p><table class=\"headers\">", text(title));
    for (name, value) in headers {
        let _ = write!(
            out,
            "<tr><th>{}</th><td>{}</td></tr>",
            text(name),
            text(value)
        );
    }
    out.push_str("</table>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn result(outcome: Outcome) -> ScenarioResult {
        ScenarioResult {
            feature: "F <b>".into(),
            path: None,
            scenario: "S <img src=x onerror=alert(1)>".into(),
            line: 3,
            tags: vec!["stripe".into(), "doc:x\"y".into()],
            retries: 0,
            outcome,
            duration: Duration::from_millis(1234),
            steps: vec![],
            started_at: None,
            requests: vec![Exchange {
                method: "POST".into(),
                path: "/v1/checkout/sessions/cs_1".into(),
                request_body: "metadata[a]=<b>".into(),
                status: 400,
                request_id: Some("req_<i>".into()),
                body_text: "<script>alert(1)</script>".into(),
                body: serde_json::Value::String("<script>alert(1)</script>".into()),
                ..Default::default()
            }],
            reproduction: Some("curl -X POST 'http://127.0.0.1:1/<x>'".into()),
        }
    }

    #[test]
    fn what_the_target_sent_is_text() {
        let page = html(
            RunInfo { header: &[("targets", "stripe <u>".into())], exit_code: 1 },
            &[],
            &[result(Outcome::Failed("message <script>alert(1)</script>\n--- expected (documentation)\n+++ actual (target)\n@@ -1 +1 @@\n-\"<a>\"\n+\"<b>\"\nrequest:".into()))],
            &[],
        );
        // The only <script> is the page's own, at the end.
        assert_eq!(page.matches("<script").count(), 1, "{page}");
        assert!(!page.contains("<img"));
        assert!(!page.contains("<b>"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("class=\"diff\""), "a side-by-side diff");
        assert!(page.contains("exit 1: "));
        assert!(page.contains("1.234 s"));
    }

    #[test]
    fn nothing_is_fetched() {
        let page = html(
            RunInfo {
                header: &[],
                exit_code: 0,
            },
            &[],
            &[result(Outcome::Passed)],
            &[],
        );
        for word in [
            "src=\"",
            "href=\"http",
            "@import",
            "url(",
            "<link",
            "<iframe",
            "<img",
        ] {
            assert!(!page.contains(word), "{word}");
        }
        assert!(page.contains("default-src 'none'"));
    }
}
