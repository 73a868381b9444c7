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
    use crate::testing::{archive, listing, run_rule};

    /// Plain stems pass; underscores and dots fail; bare files are not packages.
    #[test]
    fn unloadable_package_file_name() {
        for name in ["Kestrel.mez", "Kestrel-Analytics.pqx"] {
            assert_eq!(
                listing(&run_rule(&UNLOADABLE_PACKAGE_FILE_NAME, archive(name, &[]))),
                ""
            );
        }
        let output: String = ["Kestrel_Analytics.mez", "acme.DataSource.pqx"]
            .into_iter()
            .map(|name| listing(&run_rule(&UNLOADABLE_PACKAGE_FILE_NAME, archive(name, &[]))))
            .collect();
        insta::assert_snapshot!(output);
    }
}
