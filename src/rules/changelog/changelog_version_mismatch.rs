//! PQ902: the newest changelog entry is not the section's version.
use std::cmp::Ordering;

use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::submission::changelog::Version;

use super::{changelog, newest};

declare_rule! {
    /// ## What it checks
    /// The newest changelog version differs from the section's `[Version]`.
    ///
    /// The newest changelog entry's version differs from the section's `[Version = "x.y.z"]`.
    /// Versions compare as numbers padded with zeros (`1.2` = `1.2.0`; a leading `v` is
    /// ignored). The newest entry is the first when versions descend in file order, the last
    /// when they ascend. Skipped when the section version is missing or invalid (PQ102, PQ103).
    ///
    /// ## Why it matters
    /// The changelog describes the version being submitted; a stale changelog, or a version
    /// that was not bumped, confuses reviewers and users.
    ///
    /// ## Example
    /// `[Version = "1.3.0"] section Contoso;` with `## [1.2.0] - 2026-10-15` as the newest entry.
    ///
    /// Use instead: add a `## [1.3.0]` entry describing the changes.
    pub(crate) static CHANGELOG_VERSION_MISMATCH = Rule {
        code: "PQ902",
        name: "changelog-version-mismatch",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some((doc, _)) = changelog(cx) else {
        return;
    };
    let Some(section) = cx.facts().version.as_deref().and_then(Version::parse) else {
        return;
    };
    let Some(entry) = newest(doc) else {
        return; // PQ905
    };
    let relation = match entry.version.compare(&section) {
        Ordering::Equal => return,
        Ordering::Less => "older than",
        Ordering::Greater => "newer than",
    };
    let finding = Finding::new(format!(
        "the newest changelog entry is for `{}`, {relation} the section version `{}`",
        entry.version.text, section.text
    ))
    .primary(doc.file, entry.heading)
    .help(format!(
        "add an entry for `{}`, or correct the section's `[Version]`",
        section.text
    ));
    cx.report(finding);
}

#[cfg(test)]
mod tests {
    use super::CHANGELOG_VERSION_MISMATCH;
    use crate::testing::{Fixture, RuleCase};

    /// Kestrel (version 1.2.0) with this changelog.
    fn changelog(text: &str) -> Fixture {
        Fixture::kestrel().changelog("CHANGELOG.md", text)
    }

    /// [`changelog`], with Kestrel's section version set to `version`.
    fn versioned(text: &str, version: &str) -> Fixture {
        changelog(text).replace(
            r#"[Version = "1.2.0"]"#,
            &format!(r#"[Version = "{version}"]"#),
        )
    }

    /// Equal padded versions pass in both orders, and an unknown section version skips the
    /// check; a stale and a too-new newest entry fail at its heading.
    #[test]
    fn changelog_version_mismatch() {
        let cases = RuleCase::new(&CHANGELOG_VERSION_MISMATCH)
            .pass([
                Fixture::kestrel(),
                changelog(super::super::tests::KEEP_A_CHANGELOG),
                changelog("## 1.0\n- a\n## v1.2\n- b\n"),
                changelog("## 1.0\n").replace(r#"[Version = "1.2.0"]"#, ""),
            ])
            .fail([
                versioned(super::super::tests::KEEP_A_CHANGELOG, "1.3.0"),
                versioned("### Version 1.0.0\n- a\n### Version 1.1.0\n- b\n", "1.0.1"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
