//! One way to test a rule, after oxc's rule tester: cases that must pass and cases that must
//! fail, each run through [`crate::check_package`] exactly as `mezcheck check` runs it with
//! only that rule selected (`--select CODE`), and the failing cases' findings rendered in the
//! `full` format without colour for a snapshot, so messages, labels, notes and help are all
//! tested.
//!
//! ```ignore
//! insta::assert_snapshot!(
//!     RuleCase::new(&MISSING_CATEGORY)
//!         .pass([Fixture::finch()])
//!         .fail([Fixture::finch().set("Finch.Publish", "[Beta = true]")])
//!         .run()
//! );
//! ```

use super::fixture::Fixture;
use crate::config::{FileConfig, Overrides};
use crate::diagnostic::Report;
use crate::output::{Format, RenderOptions};
use crate::rules::Rule;

/// The cases of one rule.
pub struct RuleCase {
    rule: &'static Rule,
    pass: Vec<Fixture>,
    fail: Vec<Fixture>,
}

impl RuleCase {
    pub fn new(rule: &'static Rule) -> RuleCase {
        RuleCase {
            rule,
            pass: Vec::new(),
            fail: Vec::new(),
        }
    }

    /// Fixtures on which the rule reports nothing, at any severity.
    pub fn pass(mut self, fixtures: impl IntoIterator<Item = Fixture>) -> RuleCase {
        self.pass.extend(fixtures);
        self
    }

    /// Fixtures on which the rule reports at least one finding (a value that could not be
    /// checked statically, at `review`, counts).
    pub fn fail(mut self, fixtures: impl IntoIterator<Item = Fixture>) -> RuleCase {
        self.fail.extend(fixtures);
        self
    }

    /// Runs every case; panics on a pass case with findings or a fail case without; returns
    /// the failing cases, each with its description and its rendered findings.
    pub fn run(self) -> String {
        let mut out = String::new();
        for (index, fixture) in self.pass.iter().enumerate() {
            let (count, rendered) = check(self.rule, fixture);
            assert!(
                count == 0,
                "{} pass case {} ({}) has findings:\n{rendered}",
                self.rule.code,
                index + 1,
                fixture.description()
            );
        }
        for (index, fixture) in self.fail.iter().enumerate() {
            let (count, rendered) = check(self.rule, fixture);
            assert!(
                count > 0,
                "{} fail case {} ({}) has no finding",
                self.rule.code,
                index + 1,
                fixture.description()
            );
            if index > 0 {
                out.push('\n');
            }
            out.push_str(&format!(
                "── fail {}: {}\n{}",
                index + 1,
                fixture.description(),
                rendered
            ));
        }
        out
    }
}

/// Checks one fixture with only `rule` selected; returns the number of findings and the
/// rendered `full` output, with the temporary folder's path removed.
pub fn check(rule: &'static Rule, fixture: &Fixture) -> (usize, String) {
    let (report, dir) = check_selected(fixture, &[rule.code]);
    let count = report.counts.total() + report.counts.reviews;
    let report = Report::new(vec![report]);
    let options = RenderOptions {
        color: false,
        quiet: true,
        statistics: false,
    };
    let mut rendered = Vec::new();
    crate::output::render(&report, Format::Full, &options, &mut rendered).expect("render");
    let rendered = String::from_utf8_lossy(&rendered).into_owned();
    (count, rendered.replace(&dir, ""))
}

/// The compact listing (`testing::listing`) of a fixture checked with these selectors, with
/// the temporary folder's path removed.
pub fn listing(fixture: &Fixture, select: &[&str]) -> String {
    let (report, dir) = check_selected(fixture, select);
    super::listing(&report).replace(&dir, "")
}

/// Writes the fixture to a temporary folder and checks it as `mezcheck check --select …`
/// would; returns the report and the folder's path as shown in messages.
fn check_selected(
    fixture: &Fixture,
    select: &[&str],
) -> (crate::diagnostic::PackageReport, String) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = fixture.write_to(dir.path());
    let (docs, changelog) = fixture.given_paths(dir.path());
    let overrides = Overrides {
        select: Some(select.iter().map(|code| (*code).to_owned()).collect()),
        initial_release: fixture.initial_release,
        docs,
        changelog,
        ..Overrides::default()
    };
    let config =
        crate::rules::selection::resolve(&FileConfig::default(), &overrides).expect("selectors");
    let package = crate::package::load(&path, &fixture.name).expect("the fixture loads");
    let report = crate::check_package(package, &config).report;
    let shown = format!("{}{}", dir.path().display(), std::path::MAIN_SEPARATOR);
    (report, shown)
}
