//! PQ805: no summary table, or one without Release State, Products or Authentication types.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::submission::summary::{SummaryRow, find_row, row_value};

use super::{anchor, article, report, summary};

declare_rule! {
    /// ## What it checks
    /// The summary table is missing, or lacks a required row or value.
    ///
    /// The article has no summary table (the first table after the support note, normally
    /// under `## Summary`), or the table has no Release State, Products or Authentication
    /// types row, or one of them is empty (or only a dash). Labels may be spelled `Release
    /// state`, `Products supported`, `Supported products`, `Authentication Types Supported`,
    /// `Authentication types`, `Supported authentication types`, in any case and with emphasis
    /// or a trailing colon.
    ///
    /// ## Why it matters
    /// The summary table is a required part of the article: users read there whether the
    /// connector is in preview, where it works, and how they sign in.
    ///
    /// ## Example
    /// A `## Summary` section with only a paragraph.
    ///
    /// Use instead:
    /// ```text
    /// | Item | Description |
    /// | ---- | ----------- |
    /// | Release State | General Availability |
    /// | Products | Power BI (Semantic models)<br/>Power BI (Dataflows) |
    /// | Authentication Types Supported | API key |
    /// ```
    pub(crate) static INCOMPLETE_SUMMARY_TABLE = Rule {
        code: "PQ805",
        name: "incomplete-summary-table",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some((article, _)) = article(cx) else {
        return;
    };
    let Some(table) = summary(article) else {
        let at = article
            .outline
            .find_heading(&[2, 3], |h| h == "summary")
            .map_or(anchor(article), |i| article.outline.headings[i].span);
        let finding = Finding::new("the article has no summary table")
            .primary(article.file, at)
            .help("add a `## Summary` table with the rows Release State, Products and Authentication Types Supported");
        report(cx, finding);
        return;
    };
    let header = table.rows.first().map_or(table.span, |r| r.span);
    for wanted in SummaryRow::REQUIRED {
        let finding = match find_row(table, wanted) {
            None => Finding::new(format!("the summary table has no `{}` row", wanted.label()))
                .primary(article.file, header)
                .help(format!("add a `{}` row", wanted.label())),
            Some(row) if row_value(row).is_empty() => Finding::new(format!(
                "the summary table's `{}` row is empty",
                wanted.label()
            ))
            .primary(article.file, row.span)
            .help("fill in the value"),
            Some(_) => continue,
        };
        report(cx, finding);
    }
}

#[cfg(test)]
mod tests {
    use super::INCOMPLETE_SUMMARY_TABLE;
    use crate::testing::{Fixture, RuleCase};

    const NOTE: &str =
        "# Kestrel\n\n> [!NOTE]\n> This connector is owned and provided by Kestrel.\n\n";

    /// Kestrel with an article of a title, a support note and `body`.
    fn article(body: &str) -> Fixture {
        Fixture::kestrel().article("kestrel.md", &format!("{NOTE}{body}"))
    }

    /// Label variants pass; no table, missing rows and empty values fail.
    #[test]
    fn incomplete_summary_table() {
        let cases = RuleCase::new(&INCOMPLETE_SUMMARY_TABLE)
            .pass([
                Fixture::kestrel(),
                article(
                    "## Summary\n\n| Item | Description |\n|-|-|\n| **Release state:** | Preview |\n| Supported products | Power BI |\n| Supported authentication types | Anonymous |\n",
                ),
            ])
            .fail([
                article("## Summary\n\nKestrel works in Power BI.\n"),
                article(
                    "## Summary\n\n| Item | Description |\n|-|-|\n| Release State | Preview |\n| Products | — |\n",
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
