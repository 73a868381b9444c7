//! PQ800: no user documentation article.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::submission::Choice;

use super::code_list;

declare_rule! {
    /// ## What it checks
    /// No user documentation article was found or given.
    ///
    /// No user documentation article was found next to the input (a `*.md` file at the root of
    /// the project folder or the archive's folder, or under `docs/`) and none was given with
    /// `--docs`; or the file found or given cannot be read as text. When several Markdown files
    /// are there and none has an H1 title and a summary table with a Release State row, the
    /// candidates are listed. The other 8xx rules are skipped.
    ///
    /// ## Why it matters
    /// Every certification submission includes the connector's documentation article, which
    /// Microsoft publishes on Microsoft Learn.
    ///
    /// ## Example
    /// A project folder holding `Contoso.pq`, `Contoso.proj` and icons, and no `.md` file.
    ///
    /// Use instead: add `contoso.md` (front matter, `# Contoso`, support note, summary table,
    /// connection sections) next to the section document, or pass `--docs path/to/contoso.md`.
    pub(crate) static MISSING_USER_DOCS = Rule {
        code: "PQ800",
        name: "missing-user-docs",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    if model.article.is_some() {
        return;
    }
    let search = &model.article_search;
    let finding = match (&search.unusable, &search.chosen) {
        (Some(problem), Some(path)) => {
            let given = if search.choice == Choice::Given {
                " given with `--docs`"
            } else {
                ""
            };
            Finding::new(format!(
                "user documentation `{path}`{given} cannot be checked: {problem}"
            ))
            .help("give the article as UTF-8 Markdown, with `--docs PATH` if it is elsewhere")
        }
        _ if !search.candidates.is_empty() => {
            let paths: Vec<&str> = search.candidates.iter().map(|c| c.path.as_str()).collect();
            Finding::new(format!(
                "no user documentation article among {} Markdown files",
                paths.len()
            ))
            .note(format!(
                "candidates: {}; none has an H1 title and a summary table with a Release State row",
                code_list(&paths)
            ))
            .help("give the article with `--docs PATH`")
        }
        _ => {
            let looked = if search.searched.is_empty() {
                "the input has no folder to look in".to_owned()
            } else {
                format!("looked for `*.md` in {}", code_list(&search.searched))
            };
            Finding::new("no user documentation article found")
                .note(looked)
                .help("add the article (`<connector-name>.md`) next to the package, or give it with `--docs PATH`")
        }
    };
    cx.report(finding);
}

#[cfg(test)]
mod tests {
    use super::MISSING_USER_DOCS;
    use crate::testing::{Fixture, Given, RuleCase};

    /// Kestrel as the project folder `Kestrel`.
    fn folder() -> Fixture {
        Fixture::kestrel().as_folder().named("Kestrel")
    }

    /// A readable article passes, next to a package or in a project folder; none found, only
    /// Markdown files that are not the article, and a binary file fail.
    #[test]
    fn missing_user_docs() {
        let cases = RuleCase::new(&MISSING_USER_DOCS)
            .pass([Fixture::kestrel(), folder()])
            .fail([
                Fixture::kestrel().no_article(),
                folder().no_article(),
                folder()
                    .no_article()
                    .entry("notes.md", b"Meeting notes.\n")
                    .entry("plan.md", b"# Plan\n\nShip it.\n"),
                Fixture::kestrel().article("binary.md", "\0\0\0"),
            ]);
        insta::assert_snapshot!(cases.run());
    }

    /// An article given with `--docs` passes; one that cannot be read fails.
    #[test]
    fn given_article_cannot_be_read() {
        let cases = RuleCase::new(&MISSING_USER_DOCS)
            .pass([Fixture::kestrel().given_article()])
            .fail([Fixture::kestrel()
                .no_article()
                .given_missing(Given::Article, "docs/missing.md")]);
        insta::assert_snapshot!(cases.run());
    }
}
