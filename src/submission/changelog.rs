//! A changelog as a list of version entries: an entry starts at a
//! Markdown heading of level 1–4 (or, in a plain-text file, a line at column 0) that reads as
//! a Keep a Changelog heading (`## [1.2.3] - 2024-05-01`), a bare version (`## v1.2.3`), or a
//! labelled one (`### Version 1.2.3`). Sub-headings such as `### Added` belong to the entry.
//!
//! Versions compare as numeric tuples padded with zeros. Which entry is newest and whether the
//! order is consistent is decided here; the 9xx rules report.

use std::cmp::Ordering;

use super::markdown;
use crate::source::Span;

/// Components a version token may have (`1.2` to `1.2.3.4`).
const MAX_VERSION_PARTS: usize = 4;

/// The entries of one changelog, in file order.
#[derive(Clone, Debug, Default)]
pub struct Changelog {
    pub entries: Vec<Entry>,
}

/// One version entry.
#[derive(Clone, Debug)]
pub struct Entry {
    pub version: Version,
    /// The heading line.
    pub heading: Span,
    /// From the end of the heading line to the next entry (or the end of the file).
    pub body: Span,
}

/// A version as written and as a zero-padded tuple.
#[derive(Clone, Debug)]
pub struct Version {
    /// The token as written, `v1.2` included.
    pub text: String,
    pub parts: [u64; MAX_VERSION_PARTS],
}

/// The direction versions take in file order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Descending (Keep a Changelog): the first entry is the newest.
    NewestFirst,
    /// Ascending: the last entry is the newest.
    OldestFirst,
    /// Neither: the first entry is taken as the newest.
    Mixed,
}

impl Version {
    /// Parses `v?\d+(\.\d+){1,3}`; `None` for anything else (or a component too large).
    pub fn parse(token: &str) -> Option<Version> {
        let digits = token.strip_prefix(['v', 'V']).unwrap_or(token);
        let groups: Vec<&str> = digits.split('.').collect();
        if !(2..=MAX_VERSION_PARTS).contains(&groups.len()) {
            return None;
        }
        let mut parts = [0; MAX_VERSION_PARTS];
        for (part, group) in parts.iter_mut().zip(&groups) {
            if group.is_empty() || !group.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *part = group.parse().ok()?;
        }
        Some(Version {
            text: token.to_owned(),
            parts,
        })
    }

    /// Compares padded tuples: `1.2` = `1.2.0` = `1.2.0.0`.
    pub fn compare(&self, other: &Version) -> Ordering {
        self.parts.cmp(&other.parts)
    }
}

impl Changelog {
    /// Finds the entries of a changelog; `markdown` selects headings, else column-0 lines.
    pub fn parse(text: &str, markdown: bool) -> Changelog {
        let starts = if markdown {
            markdown_heading_lines(text)
        } else {
            plain_lines(text)
        };
        let mut entries: Vec<Entry> = Vec::new();
        for (index, &(span, level)) in starts.iter().enumerate() {
            let line = text.get(span.range()).unwrap_or_default();
            let Some(version) = entry_version(line) else {
                continue;
            };
            // The body runs to the next entry or, in Markdown, the next heading of the same or
            // a higher level (an `[Unreleased]` section ends it too).
            let ends_body = |&&(other, other_level): &&(Span, u8)| {
                (markdown && other_level <= level)
                    || entry_version(text.get(other.range()).unwrap_or_default()).is_some()
            };
            let end = starts[index + 1..]
                .iter()
                .find(ends_body)
                .map_or(Span::from_range(0..text.len()).end, |(other, _)| {
                    other.start
                });
            entries.push(Entry {
                version,
                heading: span,
                body: Span::new(span.end.min(end), end),
            });
        }
        Changelog { entries }
    }

    /// The direction of the versions (non-strict: duplicates are reported separately).
    pub fn order(&self) -> Order {
        let pairs = || {
            self.entries
                .windows(2)
                .map(|w| w[0].version.compare(&w[1].version))
        };
        if pairs().all(|o| o != Ordering::Less) {
            Order::NewestFirst
        } else if pairs().all(|o| o != Ordering::Greater) {
            Order::OldestFirst
        } else {
            Order::Mixed
        }
    }

    /// The index of the newest entry: first when descending or mixed, last when ascending.
    pub fn newest(&self) -> Option<usize> {
        if self.entries.is_empty() {
            return None;
        }
        Some(match self.order() {
            Order::OldestFirst => self.entries.len() - 1,
            Order::NewestFirst | Order::Mixed => 0,
        })
    }

    /// The entry released before the newest, in the file's direction.
    pub fn previous(&self) -> Option<usize> {
        let newest = self.newest()?;
        match self.order() {
            Order::OldestFirst => newest.checked_sub(1),
            Order::NewestFirst | Order::Mixed => {
                Some(newest + 1).filter(|&i| i < self.entries.len())
            }
        }
    }
}

/// The version an entry heading names, when the line is in an accepted form.
pub fn entry_version(line: &str) -> Option<Version> {
    let text = line
        .trim()
        .trim_start_matches('#')
        .trim_end_matches('#')
        .trim();
    let text = strip_label(text);
    let (token, rest) = if let Some(inner) = text.strip_prefix('[') {
        let close = inner.find(']')?;
        let (token, rest) = inner.split_at_checked(close)?;
        let rest = rest.get(1..).unwrap_or_default();
        let rest = match rest.strip_prefix('(') {
            Some(link) => link.split_once(')').map_or("", |(_, after)| after),
            None => rest,
        };
        (token.trim(), rest)
    } else {
        let end = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'v' || c == 'V'))
            .unwrap_or(text.len());
        text.split_at_checked(end)?
    };
    let version = Version::parse(token.trim_end_matches('.'))?;
    let rest = rest.trim_start();
    let accepted = rest.is_empty()
        || rest.starts_with(['-', '–', '—', '(', ':', ',', '|'])
        || rest.starts_with(|c: char| c.is_ascii_digit());
    accepted.then_some(version)
}

/// `Version 1.2`, `Version: 1.2`, `Release 1.2` → `1.2`.
fn strip_label(text: &str) -> &str {
    for label in ["version", "release"] {
        let Some(head) = text.get(..label.len()) else {
            continue;
        };
        let rest = text.get(label.len()..).unwrap_or_default();
        if head.eq_ignore_ascii_case(label) && rest.starts_with([' ', ':', '\t']) {
            return rest.trim_start_matches([' ', ':', '\t']);
        }
    }
    text
}

/// Heading lines of levels 1–4 with their levels (code blocks excluded by the parser).
fn markdown_heading_lines(text: &str) -> Vec<(Span, u8)> {
    markdown::parse(text)
        .headings
        .into_iter()
        .filter(|h| h.top_level)
        .map(|h| (h.span, if h.level <= 4 { h.level } else { u8::MAX }))
        .filter(|(_, level)| *level != u8::MAX)
        .collect()
}

/// Lines that start at column 0, all at one level.
fn plain_lines(text: &str) -> Vec<(Span, u8)> {
    let mut at = 0;
    let mut lines = Vec::new();
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.starts_with(|c: char| !c.is_whitespace()) {
            lines.push((Span::from_range(at..at + content.len()), 1));
        }
        at += line.len();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every accepted heading form is an entry; `[Unreleased]` and prose are not.
    #[test]
    fn heading_forms() {
        let accepted = [
            "## [1.2.3] - 2024-05-01",
            "## [1.2.3](https://example.com/compare) - 2024-05-01",
            "## 1.2.3",
            "## v1.2.3",
            "## 1.2.3 - 2024-05-01",
            "## 1.2.3 (2024-05-01)",
            "### Version 1.2.3",
            "## Version: 1.2.3",
            "## Release 1.2.3",
            "Version 1.2.3 — 2024-05-01",
            "## 1.2.3.4 – May 2024",
        ];
        for line in accepted {
            assert!(entry_version(line).is_some(), "{line}");
        }
        for line in [
            "## [Unreleased]",
            "## Added",
            "## 1",
            "## 1.2.3.4.5",
            "## 2.0 is out",
            "## Versioning",
        ] {
            assert!(entry_version(line).is_none(), "{line}");
        }
    }

    /// Versions are padded tuples; a leading `v` is ignored.
    #[test]
    fn comparison() {
        let v = |t| Version::parse(t).expect("version");
        assert_eq!(v("1.2").compare(&v("v1.2.0.0")), Ordering::Equal);
        assert_eq!(v("1.10.0").compare(&v("1.9.9")), Ordering::Greater);
        assert!(Version::parse("1.99999999999999999999999").is_none());
    }

    /// Entries, bodies and the newest entry in both directions.
    #[test]
    fn entries_and_order() {
        let text =
            "# Changelog\n\n## [Unreleased]\n\n## [1.1.0]\n### Added\n- x\n\n## [1.0.0]\n- first\n";
        let changelog = Changelog::parse(text, true);
        let versions: Vec<&str> = changelog
            .entries
            .iter()
            .map(|e| e.version.text.as_str())
            .collect();
        assert_eq!(versions, ["1.1.0", "1.0.0"]);
        assert_eq!(
            &text[changelog.entries[0].body.range()],
            "\n### Added\n- x\n\n"
        );
        assert_eq!(
            (changelog.order(), changelog.newest(), changelog.previous()),
            (Order::NewestFirst, Some(0), Some(1))
        );
        let ascending = Changelog::parse("1.0 - first\n  text\n1.1 - second\n  more\n", false);
        assert_eq!(
            (ascending.order(), ascending.newest(), ascending.previous()),
            (Order::OldestFirst, Some(1), Some(0))
        );
        let mixed = Changelog::parse("## 1.1\n## 1.3\n## 1.2\n", true);
        assert_eq!((mixed.order(), mixed.newest()), (Order::Mixed, Some(0)));
    }
}
