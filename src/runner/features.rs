//! The feature files: found, parsed once, checked against the clause list, filtered, and handed
//! to cucumber as they are (cucumber does not parse them a second time).

use super::clauses::Clause;
use super::RunError;
use crate::report::{Outcome, ScenarioResult};
use crate::steps::AuthoringError;
use crate::vendor::Provider;
use cucumber::feature::Ext as _;
use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::gherkin::{Feature, Rule, Scenario};
use cucumber::tag::Ext as _;
use std::path::{Path, PathBuf};

/// Which scenarios run: the chosen providers', matching the tag expression.
#[derive(Debug, Clone)]
pub(crate) struct Filter {
    providers: Vec<Provider>,
    tags: Option<TagOperation>,
}

impl Filter {
    /// The filter for `providers` and the tag expression `--tags` (none: every scenario).
    pub(crate) fn new(
        providers: &[Provider],
        expression: Option<&str>,
    ) -> Result<Filter, RunError> {
        let tags = match expression.map(str::trim).filter(|e| !e.is_empty()) {
            None => None,
            Some(e) => Some(e.parse::<TagOperation>().map_err(|err| RunError::Tags {
                expression: e.to_owned(),
                message: err.to_string(),
            })?),
        };
        Ok(Filter {
            providers: providers.to_vec(),
            tags,
        })
    }

    /// Whether the scenario runs.
    pub(crate) fn matches(
        &self,
        feature: &Feature,
        rule: Option<&Rule>,
        scenario: &Scenario,
    ) -> bool {
        let tags = scenario_tags(feature, rule, scenario);
        self.providers.iter().any(|p| tags.contains(&p.tag()))
            && self
                .tags
                .as_ref()
                .is_none_or(|op| op.eval(tags.iter().copied()))
    }
}

/// The features of a run, parsed and checked.
#[derive(Debug)]
pub(crate) struct Features {
    /// Every feature file, outlines expanded (one scenario per example row, as cucumber runs
    /// them), with its canonical path.
    pub(crate) parsed: Vec<Feature>,
    /// The scenarios the filter selects, each as a passed result to be.
    pub(crate) planned: Vec<ScenarioResult>,
}

/// Dry-runs every scenario `filter` selects (see [`crate::steps::dry_run`]): the authoring
/// mistakes found, located.
pub(crate) fn dry_run(
    steps: &cucumber::step::Collection<crate::steps::ConformanceWorld>,
    features: &[Feature],
    filter: &Filter,
) -> Vec<AuthoringError> {
    let selected: Vec<_> = features
        .iter()
        .flat_map(|feature| {
            scenarios(feature).filter_map(move |(rule, scenario)| {
                if !filter.matches(feature, rule, scenario) {
                    return None;
                }
                let provider = Provider::from_tags(scenario_tags(feature, rule, scenario))?;
                Some((feature, rule, scenario, provider))
            })
        })
        .collect();
    crate::steps::dry_run(steps, &selected)
}

/// Parses every feature file under `dir` and checks that each scenario names a provider and at
/// least one known clause of that provider.
pub(crate) fn load(dir: &Path, clauses: &[Clause], filter: &Filter) -> Result<Features, RunError> {
    let mut files = Vec::new();
    collect(dir, &mut files).map_err(|e| RunError::Feature {
        location: dir.display().to_string(),
        message: e.to_string(),
    })?;
    files.sort();
    let mut parsed = Vec::with_capacity(files.len());
    let mut planned = Vec::new();
    for (path, feature) in files.iter().zip(parse_all(&files)) {
        let feature = feature.map_err(|(position, message)| RunError::Feature {
            location: match position {
                Some(position) => format!("{}:{position}", path.display()),
                None => path.display().to_string(),
            },
            message,
        })?;
        for (rule, scenario) in scenarios(&feature) {
            let tags = scenario_tags(&feature, rule, scenario);
            check_tags(&tags, clauses, scenario).map_err(|message| RunError::Feature {
                location: format!("{}:{}", path.display(), scenario.position.line),
                message,
            })?;
            if filter.matches(&feature, rule, scenario) {
                planned.push(ScenarioResult::planned(
                    &feature,
                    scenario,
                    tags.iter().map(|t| (*t).to_owned()).collect(),
                    Outcome::NotRun("the run was interrupted before this scenario started".into()),
                ));
            }
        }
        parsed.push(feature);
    }
    Ok(Features { parsed, planned })
}

/// Parses `files`, in order, on as many threads as the machine has cores (Gherkin parsing is
/// most of a run's start-up).
fn parse_all(files: &[PathBuf]) -> Vec<Result<Feature, Located>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|chunk| scope.spawn(move || chunk.iter().map(|p| parse(p)).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|_| vec![Err((None, "the Gherkin parser panicked".to_owned()))])
            })
            .collect()
    })
}

/// One feature file, outlines expanded, named by its canonical path (as cucumber's own parser
/// names it, so reports show the same paths).
/// An error with its `LINE:COLUMN` in the file, when known.
type Located = (Option<String>, String);

fn parse(path: &Path) -> Result<Feature, Located> {
    let mut feature = Feature::parse_path(path, Default::default()).map_err(syntax_error)?;
    feature.path = Some(path.canonicalize().unwrap_or_else(|_| path.to_owned()));
    feature.expand_examples().map_err(|e| (None, e.to_string()))
}

/// A Gherkin error as `LINE:COLUMN: what` (the file is prefixed by the caller). gherkin's
/// `ParseError` keeps its position private and shows it only as `Error at LINE:COL: …`.
fn syntax_error(error: cucumber::gherkin::ParseFileError) -> Located {
    use cucumber::gherkin::ParseFileError;
    match error {
        ParseFileError::Reading { source, .. } => (None, format!("cannot read the file: {source}")),
        ParseFileError::Parsing { error, source, .. } => {
            let text = source.to_string();
            let (position, expected) = match text
                .strip_prefix("Error at ")
                .and_then(|rest| rest.split_once(": "))
            {
                Some((position, expected)) => (Some(position.to_owned()), expected),
                None => (None, text.as_str()),
            };
            let what = match error {
                Some(cucumber::gherkin::EnvError::InconsistentCellCount(_)) => {
                    "a data table is ragged (a row has a different number of cells than the first)"
                        .to_owned()
                }
                Some(other) => other.to_string(),
                None => format!("Gherkin syntax error; expected one of {expected}"),
            };
            (position, what)
        }
    }
}

/// Every scenario of `feature`, with its rule.
fn scenarios(feature: &Feature) -> impl Iterator<Item = (Option<&Rule>, &Scenario)> {
    feature.scenarios.iter().map(|s| (None, s)).chain(
        feature
            .rules
            .iter()
            .flat_map(|r| r.scenarios.iter().map(move |s| (Some(r), s))),
    )
}

/// A scenario names its provider and at least one clause of that provider from CLAUSES.md.
fn check_tags(tags: &[&str], clauses: &[Clause], scenario: &Scenario) -> Result<(), String> {
    let provider = Provider::from_tags(tags.iter().copied()).ok_or_else(|| {
        let known: Vec<String> = Provider::ALL.iter().map(|p| format!("@{p}")).collect();
        format!(
            "scenario `{}` has no provider tag ({})",
            scenario.name,
            known.join(" or ")
        )
    })?;
    let docs: Vec<&str> = tags.iter().filter_map(|t| t.strip_prefix("doc:")).collect();
    if docs.is_empty() {
        return Err(format!(
            "scenario `{}` names no documentation clause (@doc:<id> from CLAUSES.md)",
            scenario.name
        ));
    }
    for doc in docs {
        match clauses.iter().find(|c| c.id == doc) {
            Some(c) if c.provider == provider => {}
            Some(c) => {
                return Err(format!(
                    "@doc:{doc} is a {} clause, but the scenario is @{provider}",
                    c.provider
                ))
            }
            None => return Err(format!("@doc:{doc} is not in CLAUSES.md")),
        }
    }
    Ok(())
}

/// A scenario's steps as they run: the feature's Background, the rule's, then its own; each
/// with whether it is a Background step.
pub(crate) fn scenario_steps<'a>(
    feature: &'a Feature,
    rule: Option<&'a Rule>,
    scenario: &'a Scenario,
) -> impl Iterator<Item = (bool, &'a cucumber::gherkin::Step)> {
    feature
        .background
        .iter()
        .chain(rule.and_then(|r| r.background.as_ref()))
        .flat_map(|b| b.steps.iter().map(|s| (true, s)))
        .chain(scenario.steps.iter().map(|s| (false, s)))
}

/// A scenario's tags with those of its feature and rule, without `@`.
pub fn scenario_tags<'a>(
    feature: &'a Feature,
    rule: Option<&'a Rule>,
    scenario: &'a Scenario,
) -> Vec<&'a str> {
    feature
        .tags
        .iter()
        .chain(rule.iter().flat_map(|r| r.tags.iter()))
        .chain(scenario.tags.iter())
        .map(|t| t.trim_start_matches('@'))
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "feature") {
            out.push(path);
        }
    }
    Ok(())
}

/// Hands cucumber the features already parsed by [`load`].
pub(crate) struct Parsed;

impl cucumber::Parser<Vec<Feature>> for Parsed {
    type Cli = cucumber::cli::Empty;
    type Output = futures_util::stream::Iter<std::vec::IntoIter<cucumber::parser::Result<Feature>>>;

    fn parse(self, features: Vec<Feature>, _: Self::Cli) -> Self::Output {
        futures_util::stream::iter(features.into_iter().map(Ok).collect::<Vec<_>>())
    }
}
