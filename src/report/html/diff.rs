//! A failure's diff side by side: the unified diff a failure message carries (`--- expected`,
//! `+++ actual`, hunks) as a two-column table, removed and added lines paired and highlighted,
//! and within a pair the words that changed.

use super::text;
use similar::{ChangeTag, TextDiff};
use std::fmt::Write as _;

/// The table of the first unified diff in `message`; `None` when it carries none.
pub(super) fn side_by_side(message: &str) -> Option<String> {
    let mut lines = message
        .lines()
        .skip_while(|l| !l.starts_with("--- expected"));
    lines.next()?;
    let plus = lines.next()?;
    if !plus.starts_with("+++ actual") {
        return None;
    }
    let body: Vec<&str> = lines
        .take_while(|l| {
            l.starts_with(' ') || l.starts_with('-') || l.starts_with('+') || l.starts_with("@@")
        })
        .collect();
    let mut out = String::from(
        "<table class=\"diff\"><tr><th>expected (documentation)</th><th>actual (target)</th></tr>\n",
    );
    let mut removed: Vec<&str> = Vec::new();
    let mut added: Vec<&str> = Vec::new();
    let flush = |out: &mut String, removed: &mut Vec<&str>, added: &mut Vec<&str>| {
        for (left, right) in pair(removed, added) {
            let (left, right) = match (left, right) {
                (Some(l), Some(r)) => words(l, r),
                (l, r) => (
                    l.map(|l| text(l).into_owned()).unwrap_or_default(),
                    r.map(|r| text(r).into_owned()).unwrap_or_default(),
                ),
            };
            let _ = writeln!(
                out,
                "<tr><td class=\"del\">{left}</td><td class=\"ins\">{right}</td></tr>"
            );
        }
        removed.clear();
        added.clear();
    };
    for line in body {
        if let Some(l) = line.strip_prefix('-') {
            removed.push(l);
        } else if let Some(l) = line.strip_prefix('+') {
            added.push(l);
        } else {
            flush(&mut out, &mut removed, &mut added);
            let (class, shown) = match line.strip_prefix(' ') {
                Some(l) => ("same", l),
                None => ("hunk", line),
            };
            let _ = writeln!(
                out,
                "<tr class=\"{class}\"><td>{0}</td><td>{0}</td></tr>",
                text(shown)
            );
        }
    }
    flush(&mut out, &mut removed, &mut added);
    out.push_str("</table>\n");
    Some(out)
}

/// The rows of one change: a removed line beside the added line of the same JSON key (the text
/// before its `:`), else alone; added lines no removed one took, alone, in order.
fn pair<'a>(removed: &[&'a str], added: &[&'a str]) -> Vec<(Option<&'a str>, Option<&'a str>)> {
    let key = |line: &str| {
        line.trim_start()
            .split(':')
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let mut taken = vec![false; added.len()];
    let mut rows: Vec<(Option<&str>, Option<&str>)> = Vec::new();
    for l in removed {
        let partner = (0..added.len()).find(|&i| !taken[i] && key(added[i]) == key(l));
        if let Some(i) = partner {
            taken[i] = true;
        }
        rows.push((Some(*l), partner.map(|i| added[i])));
    }
    rows.extend(
        added
            .iter()
            .zip(&taken)
            .filter(|(_, t)| !**t)
            .map(|(a, _)| (None, Some(*a))),
    );
    rows
}

/// A removed and an added line, escaped, the words that differ marked `<mark>`.
fn words(old: &str, new: &str) -> (String, String) {
    let diff = TextDiff::from_words(old, new);
    let (mut left, mut right) = (String::new(), String::new());
    for change in diff.iter_all_changes() {
        let value = text(change.value());
        match change.tag() {
            ChangeTag::Equal => {
                left.push_str(&value);
                right.push_str(&value);
            }
            ChangeTag::Delete => {
                let _ = write!(left, "<mark>{value}</mark>");
            }
            ChangeTag::Insert => {
                let _ = write!(right, "<mark>{value}</mark>");
            }
        }
    }
    (left, right)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_lines_and_marks_words() {
        let message = "differs\n--- expected (documentation)\n+++ actual (target)\n@@ -1,3 +1,4 @@\n {\n+  \"channel\": \"web\",\n-  \"order_id\": \"6735\"\n+  \"order_id\": \"<b>\"\n }\nrequest:\nPOST /x";
        let table = side_by_side(message).expect("a diff");
        assert!(
            table.contains("<td class=\"del\"></td><td class=\"ins\">  &quot;channel&quot;")
                || table.contains("<td class=\"ins\">  \"channel\""),
            "{table}"
        );
        assert!(
            table.contains("<mark>&quot;6735&quot;</mark>")
                || table.contains("<mark>\"6735\"</mark>"),
            "{table}"
        );
        assert!(table.contains("&lt;b&gt;"), "{table}");
        assert!(!table.contains("POST /x"), "{table}");
    }

    #[test]
    fn no_diff_no_table() {
        assert!(side_by_side("the target answered 503").is_none());
    }
}
