//! PQ813: template placeholders or draft markers left in the article.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::source::Span;

use super::{article, find_words, report};

/// Upper-case words that mark unfinished text.
const DRAFT_MARKERS: &[&str] = &["TODO", "TBD", "FIXME", "XXX"];
/// Template placeholders, matched inside any bracket (lowercase).
const BRACKETED: &[&str] = &["company name", "connector name"];

declare_rule! {
    /// ## What it checks
    /// Template placeholders or draft markers are left in the article.
    ///
    /// Text outside code and HTML comments that is still a template placeholder or a draft
    /// marker: `<company name>` or `<connector name>` in any bracket, escape or emphasis form,
    /// `lorem ipsum` (any case), and the upper-case words `TODO`, `TBD`, `FIXME` and `XXX`.
    ///
    /// ## Why it matters
    /// The article is published on Microsoft Learn as written.
    ///
    /// ## Example
    /// `This connector is owned and provided by <company name>.` or `TODO: add screenshots`.
    ///
    /// Use instead: the final text, such as `This connector is owned and provided by Contoso.`
    pub(crate) static DOCS_PLACEHOLDER_TEXT = Rule {
        code: "PQ813",
        name: "docs-placeholder-text",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some((article, text)) = article(cx) else {
        return;
    };
    let prose = article.outline.prose(text);
    let mut found: Vec<(std::ops::Range<usize>, String, &str)> = Vec::new();
    for (range, word) in find_words(&prose, DRAFT_MARKERS) {
        found.push((
            range,
            format!("draft marker `{word}` left in the article"),
            "finish the text and remove the marker",
        ));
    }
    let lower = prose.to_ascii_lowercase();
    for (start, _) in lower.match_indices("lorem ipsum") {
        found.push((
            start..start + 11,
            "filler text `lorem ipsum` left in the article".to_owned(),
            "replace it with the final text",
        ));
    }
    for placeholder in BRACKETED {
        for (start, _) in lower.match_indices(placeholder) {
            if let Some(range) = bracketed(&prose, start, start + placeholder.len()) {
                let shown = prose
                    .get(range.clone())
                    .unwrap_or(placeholder)
                    .replace('\\', "");
                found.push((
                    range,
                    format!("template placeholder `{shown}` left in the article"),
                    "replace it with the real name",
                ));
            }
        }
    }
    found.sort_by_key(|(range, _, _)| range.start);
    for (range, message, help) in found {
        report(
            cx,
            Finding::new(message)
                .primary(article.file, Span::from_range(range))
                .help(help),
        );
    }
}

/// The placeholder widened to its brackets, when an opening bracket precedes it and a closing
/// one follows (escapes and emphasis markers in between are skipped).
fn bracketed(text: &str, start: usize, end: usize) -> Option<std::ops::Range<usize>> {
    let skip = |c: char| matches!(c, '\\' | '*' | '_' | ' ');
    let before = text.get(..start)?;
    let open = before.trim_end_matches(skip);
    let opening = open
        .chars()
        .next_back()
        .filter(|c| matches!(c, '<' | '[' | '(' | '{'))?;
    let after = text.get(end..)?;
    let close = after.trim_start_matches(skip);
    let closing = close
        .chars()
        .next()
        .filter(|c| matches!(c, '>' | ']' | ')' | '}'))?;
    let open_at = open.len() - opening.len_utf8();
    let close_at = text.len() - close.len() + closing.len_utf8();
    Some(open_at..close_at)
}

#[cfg(test)]
mod tests {
    use super::DOCS_PLACEHOLDER_TEXT;
    use crate::testing::{Fixture, RuleCase};

    fn article(text: &str) -> Fixture {
        Fixture::kestrel().article("kestrel.md", text)
    }

    /// Markers in code and comments, lower-case words and plain "company name" pass; every
    /// placeholder and marker form fails where it is.
    #[test]
    fn docs_placeholder_text() {
        let cases = RuleCase::new(&DOCS_PLACEHOLDER_TEXT)
            .pass([
                Fixture::kestrel(),
                article(
                    "# K\n\n```\nTODO\n```\n\nUse `XXX` as a mask. <!-- TODO: later -->\nEnter your company name. Todos are tasks.\n",
                ),
            ])
            .fail([article(
                "# <Connector Name>\n\n> This connector is provided by \\<company name\\>, **[company name]**.\n\nTODO: screenshots. Lorem ipsum dolor.\n\n| a | TBD |\n",
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
