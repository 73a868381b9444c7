//! PQ211: a Kind record without `TestConnection`.
use super::kind_records;
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A data source Kind record has no `TestConnection` field.
    ///
    /// ## Why it matters
    /// Certification requires it: the on-premises gateway and the Power BI service call
    /// `TestConnection` to check saved credentials, and refresh does not work without it.
    ///
    /// ## Example
    /// `Contoso = [ Authentication = [ Anonymous = [] ] ];`
    ///
    /// Use instead:
    /// `Contoso = [ TestConnection = (dataSourcePath) => { "Contoso.Contents" }, Authentication = [ Anonymous = [] ] ];`
    pub(crate) static MISSING_TEST_CONNECTION = Rule {
        code: "PQ211",
        name: "missing-test-connection",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for kind in kind_records(connector) {
        let Some(name_span) = kind.name_span() else {
            continue;
        };
        if kind.field("TestConnection").is_some() {
            continue;
        }
        let example = kind.data_sources(connector).next().map_or_else(
            || format!("{}.Contents", kind.name),
            |d| d.name().to_owned(),
        );
        cx.report(
            Finding::new(format!(
                "data source kind `{}` has no `TestConnection` handler",
                kind.name
            ))
            .primary_label(kind.file(), name_span, "no `TestConnection` field")
            .help(format!(
                "add `TestConnection = (dataSourcePath) => {{ \"{example}\", … }}` naming a data source function and its arguments"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::MISSING_TEST_CONNECTION;
    use crate::testing::{Fixture, RuleCase};

    /// A handler passes (however wrong: that is PQ212), as does a computed Kind; a Kind
    /// record without one (Finch's) fails.
    #[test]
    fn missing_test_connection() {
        let cases = RuleCase::new(&MISSING_TEST_CONNECTION)
            .pass([
                Fixture::kestrel(),
                Fixture::finch().replace(
                    "Finch = [",
                    "Finch = [TestConnection = (p) => {\"Finch.Contents\"}, ",
                ),
                Fixture::finch().set("Finch", "[TestConnection = 1]"),
                Fixture::finch().set("Finch", "Record.Combine({})"),
            ])
            .fail([Fixture::finch()]);
        insta::assert_snapshot!(cases.run());
    }
}
