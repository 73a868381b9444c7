//! PQ810: the Capabilities supported section is missing, lacks Import, or disagrees with
//! `SupportsDirectQuery`.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::source::Span;

use super::{anchor, article, contains_phrase, line_at, report};

declare_rule! {
    /// ## What it checks
    /// The Capabilities section is missing, omits Import, or disagrees about DirectQuery.
    ///
    /// The article has no `## Capabilities supported` (or `Supported capabilities`) section;
    /// or the section does not mention `Import`; or it mentions `DirectQuery` (or `Direct
    /// Query`) while `SupportsDirectQuery` is not true, or does not while it is. The DirectQuery
    /// comparison is skipped while `SupportsDirectQuery` is unknown, and the content checks
    /// when the section is a DocFX include.
    ///
    /// ## Why it matters
    /// The section tells users which connectivity modes and advanced options they get; a
    /// DirectQuery claim the connector cannot honour sends them down a dead end.
    ///
    /// ## Example
    /// `## Capabilities supported` listing `Import` and `DirectQuery` for a connector without
    /// `SupportsDirectQuery = true`.
    ///
    /// Use instead: list only `Import` (and the advanced options), or set
    /// `SupportsDirectQuery = true` on a connector that supports it.
    pub(crate) static INCOMPLETE_CAPABILITIES_SECTION = Rule {
        code: "PQ810",
        name: "incomplete-capabilities-section",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some((article, text)) = article(cx) else {
        return;
    };
    let outline = &article.outline;
    let Some(index) = outline.find_heading(&[2, 3], |h| {
        matches!(h, "capabilities supported" | "supported capabilities")
    }) else {
        let finding = Finding::new("the article has no Capabilities supported section")
            .primary(article.file, anchor(article))
            .help("add `## Capabilities supported` listing `Import` (and `DirectQuery` when supported)");
        report(cx, finding);
        return;
    };
    let heading = outline.headings[index].span;
    let section = Span::new(heading.end, outline.section_end(index));
    if outline.has_include_in(section) {
        return;
    }
    let prose = outline.prose(text);
    let body = prose.get(section.range()).unwrap_or_default();
    let mut findings = Vec::new();
    if !contains_phrase(body, "import") {
        findings.push(
            Finding::new("the Capabilities supported section does not mention `Import`")
                .primary(article.file, heading)
                .help("add `Import` to the list"),
        );
    }
    let direct_query = ["directquery", "direct query"]
        .iter()
        .filter_map(|phrase| body.to_ascii_lowercase().find(phrase))
        .min()
        .map(|at| line_at(text, section.start + at as u32));
    match (cx.facts().supports_direct_query, direct_query) {
        (Some(true), None) => findings.push(
            Finding::new("the Capabilities supported section does not mention DirectQuery, but `SupportsDirectQuery` is true")
                .primary(article.file, heading)
                .help("add `DirectQuery` to the list"),
        ),
        (Some(false), Some(line)) => findings.push(
            Finding::new("the Capabilities supported section mentions DirectQuery, but `SupportsDirectQuery` is not true")
                .primary(article.file, line)
                .help("remove DirectQuery from the list, or set `SupportsDirectQuery = true` if the connector supports it"),
        ),
        _ => {}
    }
    for finding in findings {
        report(cx, finding);
    }
}

#[cfg(test)]
mod tests {
    use super::INCOMPLETE_CAPABILITIES_SECTION;
    use crate::testing::{Fixture, RuleCase};

    /// Kestrel (no `SupportsDirectQuery`, so not supported) with this article.
    fn article(text: &str) -> Fixture {
        Fixture::kestrel().article("kestrel.md", text)
    }

    /// [`article`], with `SupportsDirectQuery = value` in Kestrel's Publish record.
    fn direct_query(text: &str, value: &str) -> Fixture {
        article(text).replace(
            "Beta = false,",
            &format!("Beta = false, SupportsDirectQuery = {value},"),
        )
    }

    /// A value that is not literal: DirectQuery support is unknown.
    const COMPUTED: &str = r#"Logical.FromText("true")"#;

    /// Import (and DirectQuery when supported, or when support is unknown) passes; includes
    /// are not judged. A missing section, a missing Import and DirectQuery disagreements fail.
    #[test]
    fn incomplete_capabilities_section() {
        let cases = RuleCase::new(&INCOMPLETE_CAPABILITIES_SECTION)
            .pass([
                Fixture::kestrel(),
                article("# K\n## Capabilities supported\n* Import\n## Next\nDirectQuery\n"),
                direct_query(
                    "# K\n## Supported Capabilities\n* Import\n* Direct Query (Power BI only)\n",
                    "true",
                ),
                direct_query(
                    "# K\n## Capabilities Supported\n[!INCLUDE [x](includes/x.md)]\n",
                    "true",
                ),
                direct_query(
                    "# K\n## Capabilities supported\n* Import\n* DirectQuery\n",
                    COMPUTED,
                ),
            ])
            .fail([
                direct_query("# K\n## Summary\n", COMPUTED),
                article("# K\n## Capabilities supported\n* DirectQuery\n"),
                direct_query("# K\n## Capabilities supported\n* Import\n", "true"),
                direct_query(
                    "# K\n## Capabilities supported\n* Import\n```\nDirectQuery in code is ignored\n```\n",
                    "true",
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
