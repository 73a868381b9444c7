//! PQ905: a changelog without any recognisable version entry.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::article::line_at;
use crate::rules::{Context, Priority};
use crate::submission::Unusable;

use super::changelog;

declare_rule! {
    /// ## What it checks
    /// No version entry is recognised in the changelog.
    ///
    /// A changelog exists but no version entry is recognised: no Markdown heading of level 1–4
    /// (in a plain-text file, no line at column 0) reads as `[1.2.3] - 2024-05-01` (Keep a
    /// Changelog), `1.2.3`, `v1.2.3`, `1.2.3 (2024-05-01)`, `Version 1.2.3` or `Release 1.2.3`;
    /// or the file is empty, binary or larger than 4 MiB.
    ///
    /// ## Why it matters
    /// Reviewers and the blog need to see which version each change belongs to, and PQ902
    /// cannot compare the newest entry with the connector's version without entries.
    ///
    /// ## Example
    /// ```text
    /// # What's new
    /// - Added the Events table
    /// ```
    /// Use instead:
    /// ```text
    /// ## [1.2.0] - 2026-10-15
    /// - Added the Events table
    /// ```
    pub(crate) static UNPARSEABLE_CHANGELOG = Rule {
        code: "PQ905",
        name: "unparseable-changelog",
        default_severity: Severity::Warning,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    let search = &model.changelog_search;
    if let (
        Some(problem @ (Unusable::TooLarge { .. } | Unusable::Binary | Unusable::Empty)),
        Some(path),
    ) = (&search.unusable, &search.chosen)
    {
        let finding = Finding::new(format!("changelog `{path}` cannot be checked: {problem}"))
            .help("keep the changelog as a short UTF-8 Markdown or text file");
        cx.report(finding);
        return;
    }
    let Some((doc, text)) = changelog(cx) else {
        return;
    };
    if !doc.changelog.entries.is_empty() {
        return;
    }
    let finding = Finding::new("no version entry recognised in the changelog")
        .primary(doc.file, line_at(text, 0))
        .note("accepted entry headings: `## [1.2.3] - 2024-05-01`, `## 1.2.3`, `## v1.2.3 (2024-05-01)`, `## Version 1.2.3`")
        .help("start each release with a heading naming its version, newest first");
    cx.report(finding);
}

#[cfg(test)]
mod tests {
    use super::UNPARSEABLE_CHANGELOG;
    use crate::testing::{Fixture, RuleCase};

    fn changelog(text: &str) -> Fixture {
        Fixture::kestrel().changelog("CHANGELOG.md", text)
    }

    /// Recognised entries pass; prose (with a heading only in code), an empty file and binary
    /// fail.
    #[test]
    fn unparseable_changelog() {
        let cases = RuleCase::new(&UNPARSEABLE_CHANGELOG)
            .pass([
                Fixture::kestrel(),
                changelog(super::super::tests::KEEP_A_CHANGELOG),
            ])
            .fail([
                changelog("# What's new\n\n- Added the Events table\n\n```\n## 1.0.0\n```\n"),
                changelog(""),
                changelog("\0\u{1}"),
            ]);
        insta::assert_snapshot!(cases.run());
    }

    /// Plain-text entries pass; an indented version line is not an entry and fails. Discovery
    /// only finds `CHANGELOG.md` and `CHANGES.md`, so the file is given with `--changelog`.
    #[test]
    fn plain_text_changelog() {
        let text = |text: &str| {
            Fixture::kestrel()
                .changelog("changes.txt", text)
                .given_changelog()
        };
        let cases = RuleCase::new(&UNPARSEABLE_CHANGELOG)
            .pass([text("Version 1.0 - first\n  * text\n")])
            .fail([text("    1.0.0 indented\n")]);
        insta::assert_snapshot!(cases.run());
    }
}
