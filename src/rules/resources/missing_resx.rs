//! PQ401: `Extension.LoadString` without a `resources.resx`.
use super::neutral_file;
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::package::PackageKind;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// `Extension.LoadString` is called but the package has no root `resources.resx`.
    ///
    /// Calls in the section document and in modules count. A bare `.pq` file has no entries,
    /// so there it is reported once at info.
    ///
    /// ## Why it matters
    /// Every string lookup fails, and with it whatever shows the string: the Get Data entry,
    /// the credential dialog, the function documentation.
    ///
    /// ## Example
    /// A package of `Contoso.pq` and icons whose Publish record uses
    /// `Extension.LoadString("ButtonTitle")`.
    ///
    /// Use instead: add `resources.resx` with a `ButtonTitle` string (and list it in the
    /// project's `MezContent`).
    pub(crate) static MISSING_RESX = Rule {
        code: "PQ401",
        name: "missing-resx",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let model = cx.model();
    if neutral_file(model).is_some() {
        return;
    }
    let Some(first) = connector.strings().first() else {
        return;
    };
    let calls = connector.strings().len();
    let finding = Finding::new(if model.package.kind == PackageKind::File {
        "could not be checked statically: a bare file has no `resources.resx` for `Extension.LoadString`"
            .to_owned()
    } else {
        "`Extension.LoadString` is called but the package has no `resources.resx`".to_owned()
    })
    .primary(first.file, first.span);
    if model.package.kind == PackageKind::File {
        cx.report_review(finding);
        return;
    }
    let finding =
        finding.help("add `resources.resx` with the strings, next to the section document");
    cx.report(if calls > 1 {
        finding.note(format!("{calls} string lookups fail"))
    } else {
        finding
    });
}

#[cfg(test)]
mod tests {
    use super::MISSING_RESX;
    use crate::testing::{Fixture, RuleCase, fixture::FINCH};

    const LOOKUPS: &str =
        "A = Extension.LoadString(\"ButtonTitle\");\nB = Extension.LoadString(\"ButtonHelp\");";
    const RESX: &[u8] = br#"<root><resheader name="resmimetype"><value>text/microsoft-resx</value></resheader></root>"#;

    /// A package with a resx, or without string lookups, passes; lookups without a neutral
    /// resx fail, in a package and in a bare file.
    #[test]
    fn missing_resx() {
        let bare = format!("{FINCH}{LOOKUPS}\n");
        let cases = RuleCase::new(&MISSING_RESX)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch()
                    .members(LOOKUPS)
                    .entry("resources.resx", RESX),
            ])
            .fail([
                Fixture::finch()
                    .members(LOOKUPS)
                    .entry("resources.de.resx", RESX),
                Fixture::bytes("Finch.pq", bare.as_bytes()),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
