//! PQ004: the package file name is not a plain product name.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::names::forbidden_word;
use crate::package::file_stem;
use crate::rules::{Context, Needs, Priority};

declare_rule! {
    /// ## What it checks
    /// The package file name contains "Connector", "API", "Power BI" or a space.
    ///
    /// The `.mez`/`.pqx` file stem contains a forbidden word (`connector`, `connectors`, `api`,
    /// `powerbi`, `pbi`, or `power` followed by `bi`, as name words) or a space.
    ///
    /// ## Why it matters
    /// The submission is named after the product, `ProductName.mez`, without "Power BI",
    /// "Connector" or "API".
    ///
    /// ## Example
    /// `Contoso Connector.mez` or `ContosoAPI.mez`.
    ///
    /// Use instead: `Contoso.mez`.
    pub(crate) static NON_PRODUCT_PACKAGE_NAME = Rule {
        code: "PQ004",
        name: "non-product-package-name",
        default_severity: Severity::Warning,
        priority: Priority::P2,
        needs: Needs::Input,
    };
}

fn check(cx: &mut Context<'_>) {
    let package = &cx.model().package;
    if !super::is_archive(package.kind) {
        return;
    }
    let stem = file_stem(&package.path).to_owned();
    let problem = match forbidden_word(&stem) {
        Some(word) => format!("contains `{word}`"),
        None if stem.contains(' ') => "contains a space".to_owned(),
        None => return,
    };
    cx.report(
        Finding::new(format!("package name `{stem}` {problem}"))
            .help("name the package after the product only, e.g. `Contoso.mez`"),
    );
}

#[cfg(test)]
mod tests {
    use super::NON_PRODUCT_PACKAGE_NAME;
    use crate::testing::{Fixture, RuleCase};

    /// Product names pass (also `Rapid` and `Apiary`, which contain the letters "api");
    /// forbidden words and spaces fail.
    #[test]
    fn non_product_package_name() {
        let named = |name: &str| Fixture::finch().named(name);
        let cases = RuleCase::new(&NON_PRODUCT_PACKAGE_NAME)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                named("Rapid.pqx"),
                named("Apiary.mez"),
            ])
            .fail([
                named("Finch Connector.mez"),
                named("FinchAPI.mez"),
                named("PowerBIFinch.pqx"),
                named("Finch Web.mez"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
