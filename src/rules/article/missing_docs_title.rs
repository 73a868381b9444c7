//! PQ803: the article does not have exactly one H1 title.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::source::Span;

use super::{article, report};

declare_rule! {
    /// ## What it checks
    /// The article does not have exactly one H1 title.
    ///
    /// The article does not have exactly one H1 heading (`# Contoso`, or a line underlined
    /// with `===`). The front matter `title` is metadata, not an H1.
    ///
    /// ## Why it matters
    /// The article layout starts with the title, which names the connector as Get Data shows
    /// it; a second H1 splits the page.
    ///
    /// ## Example
    /// An article whose first heading is `## Summary`, or with `# Contoso` and `# Setup`.
    ///
    /// Use instead: one `# Contoso` at the top, and `##` for every section.
    pub(crate) static MISSING_DOCS_TITLE = Rule {
        code: "PQ803",
        name: "missing-docs-title",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some((article, _)) = article(cx) else {
        return;
    };
    let h1s: Vec<_> = article.outline.h1s().collect();
    match h1s.as_slice() {
        [_] => {}
        [] => {
            let mut finding = Finding::new("the article has no H1 title")
                .primary(article.file, Span::empty(0))
                .help("add `# <connector name>` after the front matter");
            if article
                .outline
                .front_matter
                .as_ref()
                .is_some_and(|f| f.keys.iter().any(|k| k.key == "title"))
            {
                finding =
                    finding.note("the front matter `title` is page metadata, not the article's H1");
            }
            report(cx, finding);
        }
        [first, rest @ ..] => {
            for extra in rest {
                let finding = Finding::new(format!(
                    "the article has {} H1 headings; `{}` is not the first",
                    h1s.len(),
                    extra.text
                ))
                .primary(article.file, extra.span)
                .secondary(article.file, first.span, "the title")
                .help("keep one `#` title and make the other headings `##` sections");
                report(cx, finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MISSING_DOCS_TITLE;
    use crate::testing::{Fixture, RuleCase};

    fn article(text: &str) -> Fixture {
        Fixture::kestrel().article("kestrel.md", text)
    }

    /// One ATX or setext H1 passes (H1s in code do not count); none or two fail.
    #[test]
    fn missing_docs_title() {
        let cases = RuleCase::new(&MISSING_DOCS_TITLE)
            .pass([
                Fixture::kestrel(),
                article("# Kestrel\n\n```\n# not a title\n```\n"),
                article("Kestrel\n=======\n## Summary\n"),
            ])
            .fail([
                article("---\ntitle: Kestrel\n---\n## Summary\n"),
                article("# Kestrel\n\ntext\n\n# Setup\n"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
