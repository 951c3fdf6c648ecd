//! What a scenario's run means, as typed values decided where they happen.
//!
//! A step that cannot go on raises a [`StepFailure`] ([`StepFailure::raise`]): the step knows
//! whether the target broke the documented contract ([`FailureKind::Deviation`]), a fixture or
//! precondition could not be established ([`FailureKind::Setup`]), the target could not be used
//! ([`FailureKind::Infrastructure`]), the scenario cannot run with this configuration
//! ([`FailureKind::NotApplicable`]), or the feature file itself is wrong
//! ([`FailureKind::Authoring`]). The run's writer reads the typed payload back (never its text)
//! and turns it into the scenario's [`Outcome`]; a deviation raised while a `Given` step
//! establishes its precondition is a setup failure: the clause under test was not verified.
//!
//! ```
//! use checkout_conformance::verdict::{FailureKind, Outcome, StepFailure};
//! let payload: Box<dyn std::any::Any + Send> = Box::new(StepFailure::new(FailureKind::Deviation, "the metadata differs"));
//! let failure = StepFailure::from_payload(payload.as_ref());
//! assert_eq!(failure.kind, FailureKind::Deviation);
//! assert_eq!(Outcome::from_failure(failure, false).label(), "failed");
//! ```

use std::any::Any;
use std::fmt;

/// Why a step stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureKind {
    /// The target's answer breaks a documented behaviour.
    Deviation,
    /// A precondition could not be established: a fixture request refused, or the state read
    /// back is not what was set up. The clause under test is *not verified*.
    Setup,
    /// The target could not be reached, timed out, or kept answering 429/5xx after retries.
    Infrastructure,
    /// The scenario cannot run with this configuration (e.g. it needs a private key).
    NotApplicable,
    /// The feature file is wrong (found before the first request by the dry run).
    Authoring,
    /// A bug of checkout-conformance itself: a step panicked without a typed failure.
    Internal,
}

/// A typed step failure: the panic payload a step raises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepFailure {
    /// What kind of failure.
    pub kind: FailureKind,
    /// The message: what differs, the request under test, its Request-Id.
    pub message: String,
}

impl StepFailure {
    /// A failure of `kind`.
    pub fn new(kind: FailureKind, message: impl Into<String>) -> StepFailure {
        StepFailure {
            kind,
            message: message.into(),
        }
    }

    /// Stops the step with this failure (as a typed panic payload, which cucumber catches and
    /// the run's writer reads back).
    pub fn raise(self) -> ! {
        std::panic::resume_unwind(Box::new(self))
    }

    /// The failure a panic payload carries: the [`StepFailure`] a step raised, or an
    /// [`FailureKind::Internal`] failure holding the text of any other panic.
    pub fn from_payload(payload: &(dyn Any + Send)) -> StepFailure {
        if let Some(failure) = payload.downcast_ref::<StepFailure>() {
            return failure.clone();
        }
        let text = if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else if let Some(s) = payload.downcast_ref::<&str>() {
            (*s).to_owned()
        } else {
            "a step panicked with a non-text payload".to_owned()
        };
        StepFailure::new(
            FailureKind::Internal,
            format!("internal error of checkout-conformance (please report it): {text}"),
        )
    }
}

impl fmt::Display for StepFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Raises a deviation: the target breaks the documented contract.
pub fn deviation(message: impl Into<String>) -> ! {
    StepFailure::new(FailureKind::Deviation, message).raise()
}

/// Raises a setup failure: a precondition could not be established.
pub fn setup_failed(message: impl Into<String>) -> ! {
    StepFailure::new(FailureKind::Setup, message).raise()
}

/// Raises an authoring error: the feature file is wrong.
pub fn authoring(message: impl Into<String>) -> ! {
    StepFailure::new(FailureKind::Authoring, message).raise()
}

/// Raises "not applicable": the scenario cannot run with this configuration.
pub fn not_applicable(reason: impl Into<String>) -> ! {
    StepFailure::new(FailureKind::NotApplicable, reason).raise()
}

/// How a scenario ended. Every report (console, summary.md, junit.xml, cucumber.json) counts
/// these, and the exit code follows from them ([`Tally::exit_code`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every step passed.
    Passed,
    /// The target's answer to the request under test breaks a documented behaviour.
    Failed(String),
    /// A `Given` step could not establish its precondition: the clause is not verified.
    SetupFailed(String),
    /// The target could not be used (unreachable, timeouts, 429/5xx left after retries), or
    /// checkout-conformance itself failed.
    Infrastructure(String),
    /// Cannot run with this configuration; the reason.
    NotApplicable(String),
    /// Never finished: the run was interrupted first.
    NotRun(String),
}

impl Outcome {
    /// The outcome of a scenario stopped by `failure`; `in_given` when a `Given` step raised it
    /// (a deviation there is a setup failure).
    pub fn from_failure(failure: StepFailure, in_given: bool) -> Outcome {
        match failure.kind {
            FailureKind::Deviation if in_given => Outcome::SetupFailed(failure.message),
            FailureKind::Deviation => Outcome::Failed(failure.message),
            FailureKind::Setup => Outcome::SetupFailed(failure.message),
            FailureKind::Infrastructure | FailureKind::Internal => {
                Outcome::Infrastructure(failure.message)
            }
            FailureKind::NotApplicable => Outcome::NotApplicable(failure.message),
            // The dry run finds these before the first request; one found later still stops
            // the scenario without calling the target's behaviour broken.
            FailureKind::Authoring => Outcome::SetupFailed(failure.message),
        }
    }

    /// The outcome's name in every report: `passed`, `failed`, `setup failed`,
    /// `infrastructure`, `not applicable`, `not run`.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed(_) => "failed",
            Outcome::SetupFailed(_) => "setup failed",
            Outcome::Infrastructure(_) => "infrastructure",
            Outcome::NotApplicable(_) => "not applicable",
            Outcome::NotRun(_) => "not run",
        }
    }

    /// The message (none for a pass).
    pub fn message(&self) -> Option<&str> {
        match self {
            Outcome::Passed => None,
            Outcome::Failed(m)
            | Outcome::SetupFailed(m)
            | Outcome::Infrastructure(m)
            | Outcome::NotApplicable(m)
            | Outcome::NotRun(m) => Some(m),
        }
    }

    /// The message of an outcome a step failed with — failed, setup failed, infrastructure —
    /// to add to (a reproduction); `None` for the others.
    ///
    /// ```
    /// use checkout_conformance::verdict::Outcome;
    /// let mut outcome = Outcome::Failed("differs".into());
    /// if let Some(m) = outcome.failure_message_mut() { m.push_str("\nreproduce with: curl …"); }
    /// assert_eq!(outcome.message(), Some("differs\nreproduce with: curl …"));
    /// assert!(Outcome::NotRun("Ctrl-C".into()).failure_message_mut().is_none());
    /// ```
    pub fn failure_message_mut(&mut self) -> Option<&mut String> {
        match self {
            Outcome::Failed(m) | Outcome::SetupFailed(m) | Outcome::Infrastructure(m) => Some(m),
            Outcome::Passed | Outcome::NotApplicable(_) | Outcome::NotRun(_) => None,
        }
    }
}

/// How many scenarios ended each way: the one source of every count a run prints or writes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Passed.
    pub passed: usize,
    /// Failed: a documented behaviour differs.
    pub failed: usize,
    /// Setup failed: the clause was not verified.
    pub setup_failed: usize,
    /// Infrastructure errors.
    pub infrastructure: usize,
    /// Not applicable with this configuration.
    pub not_applicable: usize,
    /// Not run (interrupted).
    pub not_run: usize,
}

impl Tally {
    /// Counts `outcomes`.
    ///
    /// ```
    /// use checkout_conformance::verdict::{Outcome, Tally};
    /// let tally = Tally::of([&Outcome::Passed, &Outcome::SetupFailed("no price".into())]);
    /// assert_eq!((tally.passed, tally.setup_failed, tally.total()), (1, 1, 2));
    /// assert_eq!(tally.exit_code(), 2);
    /// ```
    pub fn of<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> Tally {
        let mut tally = Tally::default();
        for outcome in outcomes {
            *match outcome {
                Outcome::Passed => &mut tally.passed,
                Outcome::Failed(_) => &mut tally.failed,
                Outcome::SetupFailed(_) => &mut tally.setup_failed,
                Outcome::Infrastructure(_) => &mut tally.infrastructure,
                Outcome::NotApplicable(_) => &mut tally.not_applicable,
                Outcome::NotRun(_) => &mut tally.not_run,
            } += 1;
        }
        tally
    }

    /// Every scenario counted.
    pub fn total(&self) -> usize {
        self.passed
            + self.failed
            + self.setup_failed
            + self.infrastructure
            + self.not_applicable
            + self.not_run
    }

    /// 0: every scenario passed or was not applicable; 1: at least one failed; 2: nothing
    /// failed but something was setup-failed or an infrastructure error (or nothing ran).
    /// (An interrupted run exits 130 whatever it counted.)
    pub fn exit_code(&self) -> u8 {
        let unverified = self.setup_failed + self.infrastructure + self.not_run;
        let nothing_ran = self.passed + self.not_applicable == 0;
        if self.failed > 0 {
            1
        } else if unverified > 0 || nothing_ran {
            2
        } else {
            0
        }
    }

    /// The columns, in report order, with their labels: `("passed", n)`, …
    pub fn columns(&self) -> [(&'static str, usize); 6] {
        [
            ("passed", self.passed),
            ("failed", self.failed),
            ("setup failed", self.setup_failed),
            ("infrastructure", self.infrastructure),
            ("not applicable", self.not_applicable),
            ("not run", self.not_run),
        ]
    }
}

impl fmt::Display for Tally {
    /// `12 passed, 1 failed, 0 setup failed, 0 infrastructure, 2 not applicable, 0 not run`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let columns = self.columns();
        for (i, (label, n)) in columns.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{n} {label}")?;
        }
        Ok(())
    }
}

/// Whether a final 5xx is the target's steady answer to this request rather than a passing
/// trouble: the client tried at least twice and every attempt got an HTTP answer with a 5xx
/// (no connection error, no timeout, no 429 among them). A 5xx seen once (no retries allowed)
/// cannot be told from a transient one.
///
/// ```
/// # use checkout_conformance::client::{Attempt, Exchange};
/// # use checkout_conformance::verdict::consistent_server_error;
/// let attempt = |status| Attempt { status, error: None, request_id: None, waited: Default::default(), elapsed: Default::default() };
/// let mut e = Exchange { path: "/x".into(), status: 500,
///     attempts: vec![attempt(Some(500)), attempt(Some(503))], ..Default::default() };
/// assert!(consistent_server_error(&e));
/// e.attempts[0] = attempt(None);
/// assert!(!consistent_server_error(&e));
/// e.attempts.clear();
/// assert!(!consistent_server_error(&e));
/// ```
pub fn consistent_server_error(exchange: &crate::client::Exchange) -> bool {
    exchange.status >= 500
        && !exchange.attempts.is_empty()
        && exchange
            .attempts
            .iter()
            .all(|a| a.status.is_some_and(|s| s >= 500))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::deviation_in_when(FailureKind::Deviation, false, "failed")]
    #[case::deviation_in_given(FailureKind::Deviation, true, "setup failed")]
    #[case::setup(FailureKind::Setup, false, "setup failed")]
    #[case::infrastructure(FailureKind::Infrastructure, true, "infrastructure")]
    #[case::internal(FailureKind::Internal, false, "infrastructure")]
    #[case::not_applicable(FailureKind::NotApplicable, true, "not applicable")]
    #[case::authoring(FailureKind::Authoring, false, "setup failed")]
    fn outcome_of_a_failure(
        #[case] kind: FailureKind,
        #[case] in_given: bool,
        #[case] label: &str,
    ) {
        let outcome = Outcome::from_failure(StepFailure::new(kind, "m"), in_given);
        assert_eq!(outcome.label(), label);
        assert_eq!(outcome.message(), Some("m"));
    }

    #[test]
    fn any_other_panic_is_an_internal_error_with_its_text() {
        let payload: Box<dyn Any + Send> = Box::new("index out of bounds".to_owned());
        let failure = StepFailure::from_payload(payload.as_ref());
        assert_eq!(failure.kind, FailureKind::Internal);
        assert!(failure.message.contains("index out of bounds"));
    }

    #[rstest]
    #[case::all_passed(&[Outcome::Passed], 0)]
    #[case::passed_and_not_applicable(&[Outcome::Passed, Outcome::NotApplicable("key".into())], 0)]
    #[case::one_failed(&[Outcome::Passed, Outcome::Failed("x".into()), Outcome::Infrastructure("y".into())], 1)]
    #[case::setup_only(&[Outcome::Passed, Outcome::SetupFailed("x".into())], 2)]
    #[case::infrastructure_only(&[Outcome::Infrastructure("y".into())], 2)]
    #[case::not_run(&[Outcome::Passed, Outcome::NotRun("Ctrl-C".into())], 2)]
    #[case::nothing(&[], 2)]
    fn exit_codes(#[case] outcomes: &[Outcome], #[case] code: u8) {
        assert_eq!(Tally::of(outcomes).exit_code(), code);
    }

    #[test]
    fn one_line_with_every_column() {
        let tally = Tally::of(&[Outcome::Passed, Outcome::Failed("x".into())]);
        assert_eq!(
            tally.to_string(),
            "1 passed, 1 failed, 0 setup failed, 0 infrastructure, 0 not applicable, 0 not run"
        );
    }
}
