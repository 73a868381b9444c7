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
    use crate::testing::{archive, listing, run_rule};

    /// Product names pass; forbidden words and spaces fail.
    #[test]
    fn non_product_package_name() {
        for name in ["Kestrel.mez", "Rapid.pqx", "Apiary.mez"] {
            assert_eq!(
                listing(&run_rule(&NON_PRODUCT_PACKAGE_NAME, archive(name, &[]))),
                "",
                "{name}"
            );
        }
        let output: String = [
            "Kestrel Connector.mez",
            "KestrelAPI.mez",
            "PowerBIKestrel.pqx",
            "Kestrel Web.mez",
        ]
        .into_iter()
        .map(|name| listing(&run_rule(&NON_PRODUCT_PACKAGE_NAME, archive(name, &[]))))
        .collect();
        insta::assert_snapshot!(output);
    }
}
