//! PQ808: the summary table has no Function reference documentation row.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::submission::summary::{SummaryRow, find_row};

use super::{article, report, summary};

declare_rule! {
    /// ## What it checks
    /// The summary table has no Function reference documentation row.
    ///
    /// The summary table has no Function reference documentation row (`Function Reference
    /// Documentation`, `Function reference docs`, in any case). A dash as its value is fine.
    ///
    /// ## Why it matters
    /// The row is part of the summary layout and tells users where the connector's functions
    /// are documented, though many published articles omit it.
    ///
    /// ## Example
    /// A summary table with only Release State, Products and Authentication Types Supported.
    ///
    /// Use instead: add `| Function Reference Documentation | — |` (or a link).
    pub(crate) static MISSING_FUNCTION_REFERENCE_ROW = Rule {
        code: "PQ808",
        name: "missing-function-reference-row",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some((article, _)) = article(cx) else {
        return;
    };
    let Some(table) = summary(article) else {
        return; // PQ805
    };
    if find_row(table, SummaryRow::FunctionReference).is_some() {
        return;
    }
    let header = table.rows.first().map_or(table.span, |r| r.span);
    let finding = Finding::new("the summary table has no `Function Reference Documentation` row")
        .primary(article.file, header)
        .help(
            "add `| Function Reference Documentation | — |`, or a link to the function reference",
        );
    report(cx, finding);
}

#[cfg(test)]
mod tests {
    use super::MISSING_FUNCTION_REFERENCE_ROW;
    use crate::testing::{Fixture, RuleCase};

    const ROW: &str = "| Function Reference Documentation | — |\n";

    /// The row in any spelling passes; its absence fails.
    #[test]
    fn missing_function_reference_row() {
        let cases = RuleCase::new(&MISSING_FUNCTION_REFERENCE_ROW)
            .pass([
                Fixture::kestrel(),
                Fixture::kestrel()
                    .replace_in_article(ROW, "| Function reference docs | &mdash; |\n"),
                Fixture::kestrel().replace_in_article(
                    ROW,
                    "| Function Reference Documentation | [Kestrel.Contents](https://k.example) |\n",
                ),
            ])
            .fail([Fixture::kestrel().replace_in_article(ROW, "")]);
        insta::assert_snapshot!(cases.run());
    }
}
