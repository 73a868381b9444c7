//! PQ015: package file names Desktop is reported to skip.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::package::file_stem;
use crate::rules::{Context, Needs, Priority};

declare_rule! {
    /// ## What it checks
    /// The package file name contains `_` or `.`, which Power BI Desktop may skip.
    ///
    /// The `.mez`/`.pqx` file stem contains `_` or `.` (`My_Source.mez`, `acme.DataSource.mez`).
    ///
    /// ## Why it matters
    /// Users report Power BI Desktop silently skipping such files in the Custom Connectors
    /// folder. The behaviour is undocumented, hence a warning.
    ///
    /// ## Example
    /// `Kestrel_Analytics.mez`.
    ///
    /// Use instead: `KestrelAnalytics.mez`.
    pub(crate) static UNLOADABLE_PACKAGE_FILE_NAME = Rule {
        code: "PQ015",
        name: "unloadable-package-file-name",
        default_severity: Severity::Warning,
        priority: Priority::P1,
        needs: Needs::Input,
    };
}

fn check(cx: &mut Context<'_>) {
    let package = &cx.model().package;
    if !super::is_archive(package.kind) {
        return;
    }
    let stem = file_stem(&package.path).to_owned();
    let Some(character) = stem.chars().find(|c| matches!(c, '_' | '.')) else {
        return;
    };
    let fixed: String = stem.chars().filter(|c| !matches!(c, '_' | '.')).collect();
    cx.report(
        Finding::new(format!(
            "package name `{stem}` contains `{character}`, which Power BI Desktop may skip"
        ))
        .help(format!("rename the package, e.g. `{fixed}`")),
    );
}

#[cfg(test)]
mod tests {
    use super::UNLOADABLE_PACKAGE_FILE_NAME;
    use crate::testing::{Fixture, RuleCase, fixture::FINCH};

    /// Plain stems pass, and bare files are not packages; underscores and dots fail.
    #[test]
    fn unloadable_package_file_name() {
        let cases = RuleCase::new(&UNLOADABLE_PACKAGE_FILE_NAME)
            .pass([
                Fixture::finch(),
                Fixture::finch().named("Finch-Analytics.pqx"),
                Fixture::bytes("Finch_Analytics.pq", FINCH.as_bytes()),
            ])
            .fail([
                Fixture::finch().named("Finch_Analytics.mez"),
                Fixture::finch().named("acme.DataSource.pqx"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
