//! The clause list: every documentation clause the suite checks, in one file
//! (`features/CLAUSES.md`) that both the features (`@doc:<id>` tags) and the reports read.
//!
//! The file is Markdown; the clauses are the rows of its table `| id | provider | documentation |`.
//!
//! ```
//! use checkout_conformance::runner::clauses::parse;
//! let text = "| clause | provider | documentation |\n|---|---|---|\n| metadata.unset-key | stripe | Individual keys can be unset by posting an empty value to them. |\n";
//! let clauses = parse(text, "CLAUSES.md".as_ref())?;
//! assert_eq!(clauses[0].id, "metadata.unset-key");
//! # Ok::<(), checkout_conformance::runner::clauses::ClauseError>(())
//! ```

use crate::vendor::Provider;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One documented behaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// The id features tag scenarios with, as `@doc:<id>`.
    pub id: String,
    /// The vendor whose documentation the clause is from.
    pub provider: Provider,
    /// The documentation's sentence.
    pub text: String,
}

/// A clause list that cannot be read, with its location.
#[derive(Debug, thiserror::Error)]
pub enum ClauseError {
    /// The file cannot be read.
    #[error("{path}: cannot read the clause list: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A table row that is not a clause.
    #[error("{path}:{line}: {message}")]
    Row {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// Reads the clause list at `path`.
pub fn load(path: &Path) -> Result<Vec<Clause>, ClauseError> {
    let text = std::fs::read_to_string(path).map_err(|source| ClauseError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&text, path)
}

/// Parses the clause table out of Markdown text (`path` is for error messages).
pub fn parse(text: &str, path: &Path) -> Result<Vec<Clause>, ClauseError> {
    let mut clauses = Vec::new();
    let mut seen = HashSet::new();
    let mut header_seen = false;
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        let row = line.trim();
        if !row.starts_with('|') {
            continue;
        }
        let error = |message: String| ClauseError::Row {
            path: path.to_owned(),
            line: line_no,
            message,
        };
        let cells: Vec<&str> = row
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().trim_matches('`'))
            .collect();
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'))
        {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        let [id, provider, text] = <[&str; 3]>::try_from(cells).map_err(|cells| {
            error(format!(
                "expected 3 cells (clause | provider | documentation), found {}",
                cells.len()
            ))
        })?;
        if id.is_empty() || id.contains(char::is_whitespace) {
            return Err(error(format!(
                "`{id}` is not a clause id (no spaces, not empty)"
            )));
        }
        let Some(provider) = Provider::from_tag(provider) else {
            let known: Vec<&str> = Provider::ALL.iter().map(|p| p.tag()).collect();
            return Err(error(format!(
                "provider `{provider}` is not one of {}",
                known.join(", ")
            )));
        };
        if !seen.insert(id.to_owned()) {
            return Err(error(format!("clause `{id}` is listed twice")));
        }
        clauses.push(Clause {
            id: id.to_owned(),
            provider,
            text: text.to_owned(),
        });
    }
    Ok(clauses)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const HEAD: &str = "| clause | provider | documentation |\n|---|---|---|\n";

    #[rstest]
    #[case::two_cells("| a | stripe |\n", 3)]
    #[case::bad_provider("| a | paypal | x |\n", 3)]
    #[case::space_in_id("| a b | stripe | x |\n", 3)]
    #[case::duplicate("| a | stripe | x |\n| a | stripe | y |\n", 4)]
    fn rejects_with_line(#[case] rows: &str, #[case] line: usize) {
        let err = parse(&format!("{HEAD}{rows}"), Path::new("CLAUSES.md")).unwrap_err();
        assert!(
            err.to_string().starts_with(&format!("CLAUSES.md:{line}:")),
            "{err}"
        );
    }

    #[test]
    fn reads_rows_and_skips_prose() {
        let text = format!("# Clauses\n\nSome prose.\n\n{HEAD}| `a.b` | gr4vy | The text. |\n");
        let clauses = parse(&text, Path::new("x")).unwrap();
        assert_eq!(
            clauses,
            vec![Clause {
                id: "a.b".into(),
                provider: Provider::Gr4vy,
                text: "The text.".into()
            }]
        );
    }
}
