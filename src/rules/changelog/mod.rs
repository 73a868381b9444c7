//! 9xx: the submission's changelog. PQ901 says when none was found; the others need one whose
//! entries could be recognised (PQ905 says when none could).

mod changelog_version_mismatch;
mod missing_changelog;
mod non_customer_facing_changelog;
mod unparseable_changelog;
mod version_not_incremented;

pub(crate) use changelog_version_mismatch::CHANGELOG_VERSION_MISMATCH;
pub(crate) use missing_changelog::MISSING_CHANGELOG;
pub(crate) use non_customer_facing_changelog::NON_CUSTOMER_FACING_CHANGELOG;
pub(crate) use unparseable_changelog::UNPARSEABLE_CHANGELOG;
pub(crate) use version_not_incremented::VERSION_NOT_INCREMENTED;

use crate::rules::Context;
use crate::submission::ChangelogDoc;
use crate::submission::changelog::Entry;

/// The changelog and its text, when one was read.
fn changelog<'a>(cx: &Context<'a>) -> Option<(&'a ChangelogDoc, &'a str)> {
    let model = cx.model();
    let doc = model.changelog.as_ref()?;
    Some((doc, model.sources.get(doc.file).text.as_str()))
}

/// The newest entry, when there is one.
fn newest(doc: &ChangelogDoc) -> Option<&Entry> {
    doc.changelog
        .newest()
        .and_then(|i| doc.changelog.entries.get(i))
}

#[cfg(test)]
mod tests {
    /// A changelog for the test connector, newest first.
    pub(super) const KEEP_A_CHANGELOG: &str = "# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2026-10-15\n### Added\n- Events table.\n\n## [1.1.0] - 2026-06-02\n- Dataflows.\n";
}
