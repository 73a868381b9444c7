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
    use crate::submission::{Choice, Unusable};
    use crate::testing::{
        Documents, listing, model_with_documents, run_on_documents, run_rule_on_model,
    };

    /// A changelog, or an initial release, passes; none found or an unreadable path fails.
    #[test]
    fn missing_changelog() {
        let changelog = Documents {
            changelog: Some(("CHANGELOG.md", "## 1.0.0\n- First.\n")),
            ..Documents::default()
        };
        assert_eq!(run_on_documents(&MISSING_CHANGELOG, &changelog), "");
        assert_eq!(
            run_on_documents(
                &MISSING_CHANGELOG,
                &Documents {
                    initial_release: true,
                    ..Documents::default()
                }
            ),
            ""
        );
        let binary = Documents {
            changelog: Some(("CHANGELOG.md", "\0\0")),
            ..Documents::default()
        };
        assert_eq!(run_on_documents(&MISSING_CHANGELOG, &binary), "");
        let mut none = model_with_documents(&Documents::default());
        none.changelog_search.searched = vec!["pkg/".into()];
        let mut out = listing(&run_rule_on_model(&MISSING_CHANGELOG, none));
        let mut given = model_with_documents(&Documents::default());
        given.changelog_search.choice = Choice::Given;
        given.changelog_search.chosen = Some("notes/CHANGES.txt".into());
        given.changelog_search.unusable = Some(Unusable::Unreadable {
            reason: "No such file or directory".into(),
        });
        out += &listing(&run_rule_on_model(&MISSING_CHANGELOG, given));
        insta::assert_snapshot!(out);
    }
}
