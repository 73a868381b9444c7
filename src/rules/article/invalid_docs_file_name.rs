//! PQ801: the article's file name is not lowercase words joined by hyphens.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::source::Span;
use crate::submission::kebab_case;

use super::{article, report};

declare_rule! {
    /// ## What it checks
    /// The article file name is not lowercase words joined by hyphens.
    ///
    /// The article's file name does not match `^[a-z0-9]+(-[a-z0-9]+)*\.md$`: lowercase letters
    /// and digits, words joined by single hyphens. An acronym is one word.
    ///
    /// ## Why it matters
    /// Microsoft Learn article names follow this pattern, and the name becomes the URL of the
    /// published page.
    ///
    /// ## Example
    /// `Hive_LLAP.md` or `hive-l-l-a-p.md`.
    ///
    /// Use instead: `hive-llap.md`.
    pub(crate) static INVALID_DOCS_FILE_NAME = Rule {
        code: "PQ801",
        name: "invalid-docs-file-name",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some((article, _)) = article(cx) else {
        return;
    };
    let name = article.file_name.as_str();
    if is_valid_name(name) {
        return;
    }
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let suggestion = kebab_case(stem);
    let mut finding = Finding::new(format!(
        "documentation file name `{name}` is not lowercase words joined by hyphens"
    ))
    .primary(article.file, Span::empty(0));
    finding = if suggestion.is_empty() {
        finding.help(
            "name the file after the connector in lowercase words joined by hyphens, ending `.md`",
        )
    } else {
        finding.help(format!("rename it to `{suggestion}.md`"))
    };
    report(cx, finding);
}

/// `^[a-z0-9]+(-[a-z0-9]+)*\.md$`
fn is_valid_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".md") else {
        return false;
    };
    !stem.is_empty()
        && stem.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::INVALID_DOCS_FILE_NAME;
    use crate::testing::{Fixture, RuleCase};

    /// Kestrel whose article is the file `name`.
    fn named(name: &str) -> Fixture {
        Fixture::kestrel().article(name, "# Kestrel\n")
    }

    /// Lowercase hyphenated names pass; case, underscores, double hyphens and `.MD` fail.
    #[test]
    fn invalid_docs_file_name() {
        let cases = RuleCase::new(&INVALID_DOCS_FILE_NAME)
            .pass([
                Fixture::kestrel(),
                named("kestrel.md"),
                named("hive-llap.md"),
                named("db2-v11.md"),
            ])
            .fail([
                named("Kestrel_Analytics.md"),
                named("kestrel--analytics.md"),
                named("KESTREL.MD"),
                named("-.md"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
