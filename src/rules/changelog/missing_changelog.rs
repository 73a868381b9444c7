//! PQ901: no changelog for an update.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::article::code_list;
use crate::rules::{Context, Priority};
use crate::submission::{Choice, Unusable};

declare_rule! {
    /// ## What it checks
    /// No changelog was found or given for an update.
    ///
    /// No changelog was found next to the input (`CHANGELOG.md` or `CHANGES.md`, in any case,
    /// at the root or under `docs/`) or given with `--changelog`, or the given file cannot be
    /// read, and `--initial-release` is not set. A first submission needs no changelog.
    ///
    /// ## Why it matters
    /// Every update of a certified connector is submitted with a short, customer-facing
    /// changelog, which Microsoft copies into the Power BI blog.
    ///
    /// ## Example
    /// Submitting version `1.3.0` of a certified connector with only the package and article.
    ///
    /// Use instead: add `CHANGELOG.md` with a `## [1.3.0] - 2026-11-02` entry listing what
    /// changed for users (or pass `--initial-release` for a first submission).
    pub(crate) static MISSING_CHANGELOG = Rule {
        code: "PQ901",
        name: "missing-changelog",
        default_severity: Severity::Warning,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    let search = &model.changelog_search;
    if model.options.initial_release || model.changelog.is_some() {
        return;
    }
    let finding = match (&search.unusable, &search.chosen) {
        (Some(Unusable::Unreadable { reason }), Some(path)) => {
            let given = if search.choice == Choice::Given {
                " given with `--changelog`"
            } else {
                ""
            };
            Finding::new(format!(
                "changelog `{path}`{given} cannot be read ({reason})"
            ))
            .help("give the path of the changelog with `--changelog PATH`")
        }
        (Some(_), _) => return, // PQ905: it exists but cannot be parsed
        (None, _) => {
            let looked = if search.searched.is_empty() {
                "the input has no folder to look in".to_owned()
            } else {
                format!(
                    "looked for `CHANGELOG.md` and `CHANGES.md` in {}",
                    code_list(&search.searched)
                )
            };
            Finding::new("no changelog found")
                .note(looked)
                .help("add `CHANGELOG.md` with an entry for this version, give it with `--changelog PATH`, or pass `--initial-release` for a first submission")
        }
    };
    cx.report(finding);
}

#[cfg(test)]
mod tests {
    use super::MISSING_CHANGELOG;
    use crate::testing::{Fixture, Given, RuleCase};

    /// A changelog (even one that is not text, left to PQ905), or an initial release, passes;
    /// none found fails.
    #[test]
    fn missing_changelog() {
        let cases = RuleCase::new(&MISSING_CHANGELOG)
            .pass([
                Fixture::kestrel(),
                Fixture::kestrel().changelog("CHANGELOG.md", "## 1.0.0\n- First.\n"),
                Fixture::kestrel().no_changelog().initial_release(),
                Fixture::kestrel().changelog("CHANGELOG.md", "\0\0"),
            ])
            .fail([Fixture::kestrel().no_changelog()]);
        insta::assert_snapshot!(cases.run());
    }

    /// A changelog given with `--changelog` passes; one that cannot be read fails.
    #[test]
    fn given_changelog_cannot_be_read() {
        let cases = RuleCase::new(&MISSING_CHANGELOG)
            .pass([Fixture::kestrel().given_changelog()])
            .fail([Fixture::kestrel()
                .no_changelog()
                .given_missing(Given::Changelog, "notes/CHANGES.txt")]);
        insta::assert_snapshot!(cases.run());
    }
}
