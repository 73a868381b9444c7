//! Hostile submission documents: empty, binary, over-large, deeply unclosed Markdown, huge
//! changelogs and arbitrary text. Nothing panics, time stays bounded, and bad input is a
//! finding.

use std::time::{Duration, Instant};

use proptest::prelude::*;

use crate::testing::Fixture;
use crate::testing::rule_case::listing;

/// Parsing and checking one hostile document must stay well under this, even in debug builds.
const TIME_LIMIT: Duration = Duration::from_secs(20);

/// Runs every 8xx and 9xx rule on Kestrel with this article and changelog.
fn check_all(article: &str, changelog: &str) -> String {
    let fixture = Fixture::kestrel()
        .article("kestrel.md", article)
        .changelog("CHANGELOG.md", changelog);
    listing(&fixture, &["PQ8", "PQ9"])
}

fn timed(article: &str, changelog: &str) -> String {
    let started = Instant::now();
    let listing = check_all(article, changelog);
    assert!(
        started.elapsed() < TIME_LIMIT,
        "took {:?}",
        started.elapsed()
    );
    listing
}

/// An empty article and changelog are one finding each, not a finding per missing part.
#[test]
fn empty_documents() {
    let listing = timed(" \n\n", "");
    assert_eq!(
        listing,
        "PQ800 error Kestrel.mez: user documentation `kestrel.md` cannot be checked: it is empty\n\
         PQ905 warning Kestrel.mez: changelog `CHANGELOG.md` cannot be checked: it is empty\n"
    );
    let listing = timed("<!-- only a comment -->\n", "# Changelog\n");
    assert!(
        listing.contains("PQ803 error kestrel.md:1:1: the article has no H1 title"),
        "{listing}"
    );
    assert!(
        listing.contains("PQ905 warning CHANGELOG.md:1:1: no version entry recognised"),
        "{listing}"
    );
}

/// Binary and over-large documents become PQ800 and PQ905 findings.
#[test]
fn binary_and_oversized_documents() {
    let listing = timed("\0PNG\u{1}\0", "\0\0");
    assert!(
        listing.contains("PQ800") && listing.contains("PQ905"),
        "{listing}"
    );
    let big = "a".repeat(super::MAX_DOCUMENT_BYTES as usize + 1);
    let listing = timed(&big, &big);
    assert!(listing.contains("over the 4194304-byte limit"), "{listing}");
}

/// Ten thousand unclosed constructs of each kind parse in bounded time.
#[test]
fn unclosed_constructs() {
    for unit in [
        "[", "*", ">", "`", "<!--", "```\n", "| a ", "1. ", "_", "![", "<", "- [", "\\",
    ] {
        let text = format!("# T\n\n{}", unit.repeat(10_000));
        timed(&text, &text);
    }
    let nested = format!("# T\n\n{}x", "> ".repeat(10_000));
    timed(&nested, &nested);
}

/// A changelog with hundreds of entries is checked once, in order, in bounded time.
#[test]
fn long_changelog() {
    let descending: String = (0..500)
        .rev()
        .map(|i| format!("## [1.{i}.0] - 2026-01-01\n- Change {i}.\n\n"))
        .collect();
    let listing = timed(crate::testing::KESTREL_ARTICLE, &descending);
    assert!(listing.lines().all(|l| l.starts_with("PQ902")), "{listing}");
    let scrambled: String = (0..500)
        .map(|i| format!("## {}.{}\n", (i * 7919) % 500, i % 3))
        .collect();
    timed(crate::testing::KESTREL_ARTICLE, &scrambled);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Arbitrary text never panics the parsers or the rules, and spans stay inside the text.
    #[test]
    fn arbitrary_text(text in "(?s)[#>*_`|\\[\\]()<!\\-:1.\n \\\\a-zA-Z0-9é日]{0,400}") {
        let outline = super::markdown::parse(&text);
        for heading in &outline.headings {
            prop_assert!(text.get(heading.span.range()).is_some());
        }
        for table in &outline.tables {
            for row in &table.rows {
                prop_assert!(text.get(row.span.range()).is_some());
            }
        }
        for entry in super::changelog::Changelog::parse(&text, true).entries.iter().chain(&super::changelog::Changelog::parse(&text, false).entries) {
            prop_assert!(text.get(entry.heading.range()).is_some() && text.get(entry.body.range()).is_some());
        }
        check_all(&text, &text);
    }
}
