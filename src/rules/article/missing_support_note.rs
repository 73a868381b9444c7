//! PQ804: the title is not followed by a support note naming the company.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::source::Span;
use crate::submission::Article;
use crate::submission::markdown::{BlockKind, BlockQuote};

use super::{anchor, article, block_after_title, line_at, report};

/// The short form, seen in published partner articles.
const SHORT_FORM: &str = "this connector is owned and provided by ";
/// The template form; the rest of its sentence may follow the company.
const TEMPLATE_FORM: &str = "the following connector article is provided by ";
const TEMPLATE_REST: &str = ", the owner of this connector";
const HELP: &str = "put `> [!NOTE]` and `> This connector is owned and provided by <your company>.` right after the title";

declare_rule! {
    /// ## What it checks
    /// The title is not followed by a `[!NOTE]` support note naming the company.
    ///
    /// The first block after the H1 (HTML comments skipped) is not a blockquote starting
    /// `> [!NOTE]` whose text is one of the accepted forms naming a company:
    /// `This connector is owned and provided by COMPANY.` or the template's `The following
    /// connector article is provided by COMPANY, the owner of this connector and a member of the
    /// Microsoft Power Query Connector Certification Program.` Emphasis, escapes, links and line
    /// breaks do not matter; case does not either. A placeholder such as `<company name>` is
    /// not a company.
    ///
    /// ## Why it matters
    /// Users must see at once that the connector is supported by its owner, not by Microsoft.
    ///
    /// ## Example
    /// ```text
    /// # Contoso
    ///
    /// Contoso is a data platform.
    /// ```
    /// Use instead:
    /// ```text
    /// # Contoso
    ///
    /// > [!NOTE]
    /// > This connector is owned and provided by Contoso, Ltd.
    /// ```
    pub(crate) static MISSING_SUPPORT_NOTE = Rule {
        code: "PQ804",
        name: "missing-support-note",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some((article, text)) = article(cx) else {
        return;
    };
    if article.outline.h1s().next().is_none() {
        return; // PQ803
    }
    let finding = match block_after_title(article) {
        Some((_, block)) => match block.kind {
            BlockKind::BlockQuote(index) => match article.outline.blockquotes.get(index) {
                Some(quote) => judge_note(article, quote),
                None => None,
            },
            _ => Some(
                Finding::new("the title is not followed by a support note")
                    .primary(article.file, line_at(text, block.span.start)),
            ),
        },
        None => Some(
            Finding::new("the title is not followed by a support note")
                .primary(article.file, anchor(article)),
        ),
    };
    if let Some(finding) = finding {
        report(cx, finding.help(HELP));
    }
}

/// `None` when the note is in an accepted form naming a company.
fn judge_note(article: &Article, quote: &BlockQuote) -> Option<Finding> {
    let mut lines = quote.lines.iter().filter(|(line, _)| !line.is_empty());
    let (marker, marker_span) = lines.next()?;
    if !marker.eq_ignore_ascii_case("[!NOTE]") {
        let finding = Finding::new("the blockquote after the title does not start with `[!NOTE]`");
        return Some(finding.primary(article.file, *marker_span));
    }
    let rest: Vec<&(String, Span)> = lines.collect();
    let text_span = rest.first().map_or(*marker_span, |(_, span)| *span);
    let text = normalise(
        &rest
            .iter()
            .map(|(line, _)| line.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let Some(company) = company(&text) else {
        return Some(
            Finding::new("the support note is not in an accepted form")
                .primary(article.file, text_span)
                .note("accepted: `This connector is owned and provided by COMPANY.` or the template's `The following connector article is provided by COMPANY, the owner of this connector ...`"),
        );
    };
    let bare: String = company
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '[' | ']' | '(' | ')' | '{' | '}'))
        .collect();
    let bare = bare.trim();
    if bare.is_empty() {
        return Some(
            Finding::new("the support note names no company").primary(article.file, text_span),
        );
    }
    if bare.eq_ignore_ascii_case("company name") || bare.eq_ignore_ascii_case("your company") {
        let finding = Finding::new(format!(
            "the support note still names the placeholder `{company}`"
        ));
        return Some(finding.primary(article.file, text_span));
    }
    None
}

/// The company an accepted form names (possibly empty), or `None` when no form matches.
fn company(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    if let Some(after) = strip_prefix_ci(text, &lower, SHORT_FORM) {
        let end = after.find(". ").unwrap_or(after.len());
        let company = after.get(..end).unwrap_or(after);
        return Some(company.trim().trim_end_matches('.').trim().to_owned());
    }
    let after = strip_prefix_ci(text, &lower, TEMPLATE_FORM)?;
    let lower_after = after.to_lowercase();
    let end = lower_after
        .find(TEMPLATE_REST)
        .or_else(|| after.find([',', '.']))
        .unwrap_or(after.len());
    Some(after.get(..end).unwrap_or(after).trim().to_owned())
}

/// `text` after `prefix` when its lowercase form starts with it. The lowercase form has the
/// same length here because the prefix is ASCII and is only matched at the start.
fn strip_prefix_ci<'t>(text: &'t str, lower: &str, prefix: &str) -> Option<&'t str> {
    lower
        .starts_with(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// Emphasis, escapes and link targets removed, whitespace collapsed.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '_' | '\\' => {}
            ']' if chars.peek() == Some(&'(') => {
                // A link target: drop `(…)`.
                for skipped in chars.by_ref() {
                    if skipped == ')' {
                        break;
                    }
                }
            }
            '[' | ']' => {}
            _ => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::{MISSING_SUPPORT_NOTE, company, normalise};
    use crate::testing::{Fixture, RuleCase};

    fn article(text: &str) -> Fixture {
        Fixture::kestrel().article("kestrel.md", text)
    }

    /// Companies keep their punctuation.
    #[test]
    fn company_names() {
        assert_eq!(
            company(&normalise(
                "This connector is owned and provided by Contoso, Inc. Support: x"
            ))
            .as_deref(),
            Some("Contoso, Inc")
        );
    }

    /// Both forms pass in their usual spellings; no note, a plain blockquote, another
    /// sentence, an empty company and a placeholder fail.
    #[test]
    fn missing_support_note() {
        let cases = RuleCase::new(&MISSING_SUPPORT_NOTE)
            .pass([
                Fixture::kestrel(),
                article("# K\n\n>[!Note]\n>This connector is owned and provided by ClickHouse, Inc.\n"),
                article(
                    "# K\n<!-- x -->\n> [!NOTE]\n> This connector is owned and provided\n> by **[Kestrel](https://k.example)**.\n",
                ),
                article(
                    "# K\n\n> [!NOTE]\n> The following connector article is provided by Kestrel, the owner of this connector and a member of the Microsoft Power Query Connector Certification Program. For questions, contact Kestrel.\n",
                ),
            ])
            .fail([
                article("# Kestrel\n\nKestrel is an analytics service.\n"),
                article("# Kestrel\n\n> This connector is owned and provided by Kestrel.\n"),
                article("# Kestrel\n\n> [!NOTE]\n> Kestrel supports this connector.\n"),
                article("# Kestrel\n\n> [!NOTE]\n> This connector is owned and provided by .\n"),
                article(
                    "# Kestrel\n\n> [!NOTE]\n> The following connector article is provided by \\<company name\\>, the owner of this connector.\n",
                ),
                article("# Kestrel\n"),
                article("# Kestrel\n\n## Summary\n"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
