//! PQ903: versions out of order, listed twice, or a breaking change in a patch release.
use std::cmp::Ordering;

use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::products::diff::{VersionChange, diff};
use crate::model::products::info::{ExtensionInfo, extension_info};
use crate::rules::article::contains_phrase;
use crate::rules::{Context, Priority};
use crate::submission::ChangelogDoc;
use crate::submission::changelog::Order;

use super::changelog;

declare_rule! {
    /// ## What it checks
    /// Changelog versions are out of order, repeated, or bumped too little.
    ///
    /// Entry versions are not strictly monotonic in one direction (all newest first, or all
    /// oldest first); a version is listed twice; or the newest entry changes only the patch
    /// number while its text says "breaking" or "removed".
    ///
    /// Given the previous package (`mezcheck check --previous OLD`), the release itself is
    /// compared with it (as `mezcheck diff` does): the section's `[Version]` must be above the
    /// previous one, and a breaking change (a function, parameter position, authentication kind,
    /// `TestConnection`, Publish record or navigation table removed, a parameter made required
    /// or retyped) needs a major version bump. These checks need no changelog.
    ///
    /// ## Why it matters
    /// Each release gets a new version, and the numbers carry meaning: major for breaking
    /// changes, minor for features, patch for fixes. Users decide whether to update from them.
    ///
    /// ## Example
    /// `## 1.2.1` above `## 1.2.0`, saying "Removed the Legacy table".
    ///
    /// Use instead: `## 2.0.0`, since removing a table breaks reports that use it.
    pub(crate) static VERSION_NOT_INCREMENTED = Rule {
        code: "PQ903",
        name: "version-not-incremented",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    if let Some(previous) = cx.previous() {
        for finding in against_previous(cx, previous) {
            cx.report(finding);
        }
    }
    let Some((doc, text)) = changelog(cx) else {
        return;
    };
    let mut findings = duplicates(doc);
    findings.extend(out_of_order(doc));
    findings.extend(breaking_patch(doc, text));
    for finding in findings {
        cx.report(finding);
    }
}

fn duplicates(doc: &ChangelogDoc) -> Vec<Finding> {
    let entries = &doc.changelog.entries;
    let mut sorted: Vec<usize> = (0..entries.len()).collect();
    sorted.sort_by(|&a, &b| {
        entries[a]
            .version
            .compare(&entries[b].version)
            .then(a.cmp(&b))
    });
    sorted
        .windows(2)
        .filter(|w| entries[w[0]].version.compare(&entries[w[1]].version) == Ordering::Equal)
        .map(|w| {
            let (first, again) = (&entries[w[0]], &entries[w[1]]);
            Finding::new(format!("version `{}` is listed twice", again.version.text))
                .primary(doc.file, again.heading)
                .secondary(doc.file, first.heading, "first listed here")
                .help("give each release its own version, or merge the two entries")
        })
        .collect()
}

/// The first entry against the majority direction, when versions go both ways.
fn out_of_order(doc: &ChangelogDoc) -> Option<Finding> {
    if doc.changelog.order() != Order::Mixed {
        return None;
    }
    let entries = &doc.changelog.entries;
    let pairs: Vec<Ordering> = entries
        .windows(2)
        .map(|w| w[0].version.compare(&w[1].version))
        .collect();
    let descending = pairs.iter().filter(|o| **o == Ordering::Greater).count()
        >= pairs.iter().filter(|o| **o == Ordering::Less).count();
    let against = if descending {
        Ordering::Less
    } else {
        Ordering::Greater
    };
    let breaks: Vec<usize> = pairs
        .iter()
        .enumerate()
        .filter(|(_, o)| **o == against)
        .map(|(i, _)| i + 1)
        .collect();
    let first = *breaks.first()?;
    let (entry, before) = (&entries[first], &entries[first - 1]);
    let (direction, relation) = if descending {
        ("newest first", "newer")
    } else {
        ("oldest first", "older")
    };
    let mut finding = Finding::new(format!(
        "version `{}` is out of order: entries are {direction}, but it is {relation} than `{}` above it",
        entry.version.text, before.version.text
    ))
    .primary(doc.file, entry.heading)
    .help(format!("list every release {direction}"));
    if breaks.len() > 1 {
        finding = finding.note(format!(
            "{} more entries are out of order",
            breaks.len() - 1
        ));
    }
    Some(finding)
}

/// What the release does wrong next to the previous package: a version that did not go up,
/// breaking changes without a major bump. On the section's `[Version]` attribute.
fn against_previous(cx: &Context<'_>, previous: &ExtensionInfo) -> Vec<Finding> {
    let connector = cx.connector();
    let current = extension_info(connector);
    // Only a previous release of the same connector (section name) is compared: a run of
    // several packages with one `--previous` compares the one it belongs to.
    if previous.library_id.is_some() && previous.library_id != current.library_id {
        return Vec::new();
    }
    let compared = diff(previous, &current);
    let place = connector.section.as_ref().map(|section| {
        let version = (section.document.attributes.iter())
            .flat_map(|record| &record.fields)
            .find(|field| &*field.name.name == "Version");
        let span = version.map_or(section.document.name.span, |field| field.value.span);
        (section.file, span)
    });
    let old = previous.version.as_deref().unwrap_or("no version");
    let new = current.version.as_deref().unwrap_or("no version");
    let mut findings = Vec::new();
    let moved = match compared.version_change {
        VersionChange::Same => Some("is the same as"),
        VersionChange::Lower => Some("is below"),
        _ => None,
    };
    if let Some(relation) = moved {
        findings.push(
            Finding::new(format!(
                "the version `{new}` {relation} the previous package's `{old}`"
            ))
            .help("give each release a higher `[Version]`"),
        );
    }
    let breaking: Vec<String> = (compared.changes.iter())
        .filter(|c| c.breaking)
        .map(|c| match &c.detail {
            Some(detail) => format!("{} {} ({detail})", c.subject, c.change),
            None => format!("{} {}", c.subject, c.change),
        })
        .collect();
    if !breaking.is_empty()
        && matches!(
            compared.version_change,
            VersionChange::Minor | VersionChange::Patch
        )
    {
        let mut finding = Finding::new(format!(
            "{} since `{old}` without a major version bump: {}",
            if breaking.len() == 1 {
                "a breaking change".to_owned()
            } else {
                format!("{} breaking changes", breaking.len())
            },
            breaking
                .iter()
                .take(MAX_CHANGES_NAMED)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        ))
        .help("bump the major version, or keep what users of the previous version rely on");
        if breaking.len() > MAX_CHANGES_NAMED {
            finding = finding.note(format!(
                "{} more; `mezcheck diff` lists them all",
                breaking.len() - MAX_CHANGES_NAMED
            ));
        }
        findings.push(finding);
    }
    findings
        .into_iter()
        .map(|finding| match place {
            Some((file, span)) => finding.primary_label(file, span, "this release"),
            None => finding,
        })
        .collect()
}

/// Breaking changes named in one finding; `mezcheck diff` lists the rest.
const MAX_CHANGES_NAMED: usize = 3;

/// The newest entry bumps only the patch number but describes a breaking change or removal.
fn breaking_patch(doc: &ChangelogDoc, text: &str) -> Option<Finding> {
    let changelog = &doc.changelog;
    let newest = changelog.entries.get(changelog.newest()?)?;
    let previous = changelog.entries.get(changelog.previous()?)?;
    let (new, old) = (&newest.version.parts, &previous.version.parts);
    let patch_only =
        new[..2] == old[..2] && newest.version.compare(&previous.version) == Ordering::Greater;
    let body = text.get(newest.body.range()).unwrap_or_default();
    let word = ["breaking", "removed"]
        .into_iter()
        .find(|w| contains_phrase(body, w))?;
    patch_only.then(|| {
        Finding::new(format!(
            "`{}` changes only the patch number after `{}`, but its entry says \"{word}\"",
            newest.version.text, previous.version.text
        ))
        .primary(doc.file, newest.heading)
        .help("bump the major version for a breaking change or removal")
    })
}

#[cfg(test)]
mod tests {
    use super::VERSION_NOT_INCREMENTED;
    use crate::testing::{Fixture, RuleCase};

    fn changelog(text: &str) -> Fixture {
        Fixture::kestrel().changelog("CHANGELOG.md", text)
    }

    /// Strictly monotonic versions in either direction pass, and a major bump may break
    /// things; mixed order, a duplicate and a breaking patch release fail.
    #[test]
    fn version_not_incremented() {
        let cases = RuleCase::new(&VERSION_NOT_INCREMENTED)
            .pass([
                Fixture::kestrel(),
                changelog(super::super::tests::KEEP_A_CHANGELOG),
                changelog("## 1.0.0\n## 1.0.1\n- Fixed paging.\n"),
                changelog("## 2.0.0\n- Removed the Legacy table (breaking).\n## 1.9.3\n"),
            ])
            .fail([
                changelog("## 1.4.0\n## 1.3.0\n## 1.5.0\n## 1.1.0\n## 1.2.0\n"),
                changelog("## 1.1\n## 1.0.0\n## v1.0\n"),
                changelog(
                    "## [1.2.1] - 2026-11-02\n### Removed\n- The Legacy table.\n## [1.2.0]\n",
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
