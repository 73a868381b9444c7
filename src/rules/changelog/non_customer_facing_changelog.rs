//! PQ904: the newest changelog entry is empty or written for the team, not for customers.
use std::ops::Range;

use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::article::{find_words, is_word_boundary};
use crate::rules::{Context, Priority};
use crate::source::Span;

use super::{changelog, newest};

/// Host parts that name issue trackers and internal development services.
const TRACKER_HOSTS: &[&str] = &[
    "jira",
    "atlassian.net",
    "gitlab",
    "dev.azure.com",
    "visualstudio.com",
    "youtrack",
    "linear.app",
    "trello.com",
];
/// Host suffixes of private networks.
const PRIVATE_SUFFIXES: &[&str] = &[".local", ".internal", ".corp", ".lan"];
/// Upper-case prefixes of standard names that look like ticket ids (`UTF-8`, `SHA-256`).
const STANDARD_PREFIXES: &[&str] = &["UTF", "ISO", "SHA", "TLS", "SSL", "RFC", "CVE"];
const MARKERS: &[&str] = &["TODO", "FIXME", "WIP", "TBD"];

declare_rule! {
    /// ## What it checks
    /// The newest changelog entry is empty or holds internal text.
    ///
    /// The newest changelog entry is empty (nothing but sub-headings), or contains text meant
    /// for the team: links to issue trackers or private hosts (`jira`, `atlassian.net`,
    /// `gitlab`, `dev.azure.com`, `visualstudio.com`, `youtrack`, `linear.app`, `trello.com`; a
    /// host without a dot, ending `.local`, `.internal`, `.corp` or `.lan`; an IP address),
    /// ticket ids such as `ABC-123` (not `UTF-8`, `ISO-8601`, `SHA-256`, `TLS-`, `SSL-`, `RFC-`,
    /// `CVE-`), commit hashes, `Merge pull request`/`Merge branch` lines, or the markers `TODO`,
    /// `FIXME`, `WIP`, `TBD`. Public `#123` references are fine.
    ///
    /// ## Why it matters
    /// The changelog is public: Microsoft posts it in the certification portal and copies it
    /// verbatim into the Power BI blog.
    ///
    /// ## Example
    /// `- Fix paging (KES-412, 3f2a9c1)` or a link to `https://kestrel.atlassian.net/browse/KES-412`.
    ///
    /// Use instead: `- Tables larger than a few thousand rows now load completely.`
    pub(crate) static NON_CUSTOMER_FACING_CHANGELOG = Rule {
        code: "PQ904",
        name: "non-customer-facing-changelog",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some((doc, text)) = changelog(cx) else {
        return;
    };
    let Some(entry) = newest(doc) else {
        return;
    };
    let body = text.get(entry.body.range()).unwrap_or_default();
    if is_empty_body(body) {
        let finding = Finding::new(format!(
            "the newest changelog entry, `{}`, is empty",
            entry.version.text
        ))
        .primary(doc.file, entry.heading)
        .help("describe what changed for users in this version");
        cx.report(finding);
        return;
    }
    let base = entry.body.start as usize;
    for (range, message) in internal_text(body) {
        let span = Span::from_range(base + range.start..base + range.end);
        cx.report(Finding::new(message).primary(doc.file, span).help("describe the change in words customers understand; keep internal references out of the changelog"));
    }
}

/// Nothing but headings, blank lines, rules and HTML comments.
fn is_empty_body(body: &str) -> bool {
    body.lines().map(str::trim).all(|line| {
        line.is_empty()
            || line.starts_with('#')
            || line.starts_with("<!--")
            || line.chars().all(|c| matches!(c, '-' | '*' | '_' | '='))
    })
}

/// Every internal reference in the body, with its message, in text order.
fn internal_text(body: &str) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    let urls = urls(body);
    for (range, host) in &urls {
        if let Some(why) = internal_host(host) {
            found.push((
                range.clone(),
                format!("the newest changelog entry links to {why} `{host}`"),
            ));
        }
    }
    let in_url = |at: usize| urls.iter().any(|(range, _)| range.contains(&at));
    for (range, kind) in tokens(body) {
        if !in_url(range.start) {
            let token = body.get(range.clone()).unwrap_or_default();
            found.push((
                range,
                format!("the newest changelog entry contains the {kind} `{token}`"),
            ));
        }
    }
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let item = line
            .trim_start()
            .trim_start_matches(['-', '*', '+'])
            .trim_start();
        if item.starts_with("Merge pull request") || item.starts_with("Merge branch") {
            let start = at + (line.len() - line.trim_start().len());
            found.push((
                start..at + line.trim_end().len(),
                "the newest changelog entry contains a merge-commit line".to_owned(),
            ));
        }
        at += line.len();
    }
    for (range, word) in find_words(body, MARKERS) {
        found.push((
            range,
            format!("the newest changelog entry contains the marker `{word}`"),
        ));
    }
    found.sort_by_key(|(range, _)| range.start);
    found
}

/// `http(s)://host...` links with their hosts.
fn urls(body: &str) -> Vec<(Range<usize>, String)> {
    let mut urls = Vec::new();
    for (at, _) in body.match_indices("://") {
        // The scheme is the run of ASCII letters before `://`; counting bytes back over ASCII
        // letters always lands on a character boundary, whatever precedes them.
        let before = body.as_bytes().get(..at).unwrap_or_default();
        let scheme_len = before
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let scheme_start = at - scheme_len;
        let scheme = body.get(scheme_start..at).unwrap_or_default();
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            continue;
        }
        let rest = body.get(at + 3..).unwrap_or_default();
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | ']' | '"' | '\'' | '`'))
            .unwrap_or(rest.len());
        let authority = rest
            .get(..end)
            .unwrap_or_default()
            .split(['/', '?', '#'])
            .next()
            .unwrap_or_default();
        let host = authority.rsplit('@').next().unwrap_or_default();
        let host = if host.starts_with('[') {
            host.split(']')
                .next()
                .map(|h| format!("{h}]"))
                .unwrap_or_default()
        } else {
            host.split(':').next().unwrap_or_default().to_owned()
        };
        urls.push((scheme_start..at + 3 + end, host.to_ascii_lowercase()));
    }
    urls
}

/// Why a host is internal, when it is.
fn internal_host(host: &str) -> Option<&'static str> {
    if TRACKER_HOSTS.iter().any(|t| host.contains(t)) {
        return Some("the internal tracker");
    }
    let is_ipv4 = host.split('.').count() == 4
        && host
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if is_ipv4 || host.starts_with('[') {
        return Some("the IP address");
    }
    if !host.contains('.') || PRIVATE_SUFFIXES.iter().any(|s| host.ends_with(s)) {
        return Some("the private host");
    }
    None
}

/// Ticket ids and commit hashes: runs of letters, digits and `-`, judged whole.
fn tokens(body: &str) -> Vec<(Range<usize>, &'static str)> {
    let mut found = Vec::new();
    let mut start = None;
    for (at, c) in body
        .char_indices()
        .chain(std::iter::once((body.len(), ' ')))
    {
        match (c.is_ascii_alphanumeric() || c == '-', start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                start = None;
                let word = body.get(from..at).unwrap_or_default();
                if !is_word_boundary(body, from, at) {
                    continue;
                }
                if let Some(len) = ticket_id(word) {
                    found.push((from..from + len, "ticket id"));
                } else if is_commit_hash(word) {
                    found.push((from..at, "commit hash"));
                }
            }
            _ => {}
        }
    }
    found
}

/// `[A-Z][A-Z0-9]{1,9}-\d+` at the start of a word, not a standard name; its length.
fn ticket_id(word: &str) -> Option<usize> {
    let (prefix, rest) = word.split_once('-')?;
    let prefix_ok = (2..=10).contains(&prefix.len())
        && prefix.starts_with(|c: char| c.is_ascii_uppercase())
        && prefix
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && !STANDARD_PREFIXES.contains(&prefix);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let ends_cleanly = rest
        .get(digits..)
        .is_some_and(|after| after.is_empty() || after.starts_with('-'));
    (prefix_ok && digits > 0 && ends_cleanly && !word.starts_with('-'))
        .then_some(prefix.len() + 1 + digits)
}

/// `[0-9a-f]{7,40}` with a digit and a letter, not part of a hyphenated id such as a GUID.
fn is_commit_hash(word: &str) -> bool {
    (7..=40).contains(&word.len())
        && word
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && word.bytes().any(|b| b.is_ascii_digit())
        && word.bytes().any(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::NON_CUSTOMER_FACING_CHANGELOG;
    use crate::testing::{Fixture, RuleCase};

    fn changelog(text: &str) -> Fixture {
        Fixture::kestrel().changelog("CHANGELOG.md", text)
    }

    /// Customer-facing text with public links, standards and issue numbers passes; an empty
    /// newest entry, and every internal reference, fail where they are.
    #[test]
    fn non_customer_facing_changelog() {
        let cases = RuleCase::new(&NON_CUSTOMER_FACING_CHANGELOG)
            .pass([
                Fixture::kestrel(),
                changelog(
                    "## 1.2.0\n- Uses TLS-1 names, UTF-8, ISO-8601 dates and SHA-256 (see #123).\n- Docs: https://learn.microsoft.com/power-query/ and id 3f2504e0-4f89-11d3-9a0c-0305e82c3301.\n- Added 1234567 rows, deadbeef fixed.\n## 1.1.0\n- TODO in an older entry is not checked.\n",
                ),
            ])
            .fail([
                changelog("## [1.2.0]\n### Added\n\n## [1.1.0]\n- x\n"),
                changelog(
                    "## 1.2.0\n- Fix paging (KES-412, 3f2a9c1).\n- See https://kestrel.atlassian.net/browse/KES-412 and http://buildbox/logs, http://10.0.0.7/x, https://wiki.corp/x.\n- Merge pull request #12 from kestrel/paging\n- WIP: TODO describe\n",
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }

    /// A letter of several bytes, or a replaced invalid byte, right before `://` is not a
    /// scheme and passes; a private host after such letters fails, and cutting the text around
    /// it never splits a character.
    #[test]
    fn multibyte_character_before_scheme_separator() {
        let cases = RuleCase::new(&NON_CUSTOMER_FACING_CHANGELOG)
            .pass([
                changelog("## 1.0.0\n- é://\n"),
                changelog("## 1.0.0\n- \u{FFFD}://x\n"),
            ])
            .fail([changelog("## 1.0.0\n- 日本https://ex.corp/x\n")]);
        insta::assert_snapshot!(cases.run());
    }
}
