//! PQ811: no Power Query Desktop or Online connection section with numbered steps.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::source::Span;
use crate::submission::Article;

use super::{anchor, article, report};

/// Fewest numbered steps a connection section needs.
const MIN_STEPS: usize = 2;

/// The two connection sections: how the heading may end, and the template heading.
/// `from Power BI Desktop` and `using Power BI Desktop` are not in the template but are common
/// in published articles and unambiguous.
const SECTIONS: [(&[&str], &str); 2] = [
    (
        &[
            "from power query desktop",
            "in power query desktop",
            "in power bi desktop",
            "from power bi desktop",
            "using power bi desktop",
        ],
        "## Connect to <product> from Power Query Desktop",
    ),
    (
        &["from power query online", "in power query online"],
        "## Connect to <product> from Power Query Online",
    ),
];

declare_rule! {
    /// ## What it checks
    /// The article lacks Desktop and Online connection steps.
    ///
    /// The article lacks an H2 starting `Connect` and ending `from Power Query Desktop` (or
    /// `in Power BI Desktop`, `from Power BI Desktop`), or one ending `from Power Query Online`
    /// (`PowerQuery` in one word is fine); or such a section has
    /// fewer than two numbered steps (`1.` or `1)` items, in one list or several, H3
    /// subsections included) before the next H2. A section that is a DocFX include is not
    /// counted.
    ///
    /// ## Why it matters
    /// New certified connectors must work in dataflows, and the article must show how to
    /// connect in both Power Query Desktop and Power Query Online.
    ///
    /// ## Example
    /// An article with `## Connect to Contoso from Power Query Desktop` and no Online section.
    ///
    /// Use instead: add `## Connect to Contoso from Power Query Online` with numbered steps
    /// (choose the data source, enter the connection settings, sign in, pick the data).
    pub(crate) static MISSING_CONNECTION_INSTRUCTIONS = Rule {
        code: "PQ811",
        name: "missing-connection-instructions",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some((article, _)) = article(cx) else {
        return;
    };
    let outline = &article.outline;
    for (endings, template) in SECTIONS {
        let is_section = |h: &str| is_connection_heading(h, endings);
        let finding = match outline.find_heading(&[2], is_section) {
            None => missing_section(article, template),
            Some(index) => {
                let heading = &outline.headings[index];
                let section = Span::new(heading.span.end, outline.section_end(index));
                let steps = steps_in(article, section);
                if steps >= MIN_STEPS || outline.has_include_in(section) {
                    continue;
                }
                let count = if steps == 0 {
                    "no numbered steps".to_owned()
                } else {
                    "only one numbered step".to_owned()
                };
                Finding::new(format!("section `{}` has {count}", heading.text))
                    .primary(article.file, heading.span)
                    .help("describe the connection as a numbered list (`1.`) of at least two steps")
            }
        };
        report(cx, finding);
    }
}

/// The finding for a missing section, pointing at a `Connect ...` H2 that names neither host
/// when there is one (an older single connection section), else at the title.
fn missing_section(article: &Article, template: &str) -> Finding {
    let outline = &article.outline;
    let all_endings: Vec<&str> = SECTIONS
        .iter()
        .flat_map(|(endings, _)| endings.iter().copied())
        .collect();
    let generic = outline.headings.iter().find(|h| {
        let text = normalise(&h.text);
        h.level == 2
            && text.starts_with("connect")
            && !text.contains("advanced options")
            && !is_connection_heading(&text, &all_endings)
    });
    let finding = Finding::new(format!(
        "the article has no `{}` section",
        template.trim_start_matches('#').trim()
    ));
    match generic {
        Some(heading) => finding
            .primary_label(
                article.file,
                heading.span,
                "does not say Power Query Desktop or Online",
            )
            .help(format!(
                "name each connection section like `{template}`, with numbered steps"
            )),
        None => finding
            .primary(article.file, anchor(article))
            .help(format!("add `{template}` with numbered steps")),
    }
}

fn is_connection_heading(heading: &str, endings: &[&str]) -> bool {
    let text = normalise(heading);
    text.starts_with("connect") && endings.iter().any(|e| text.ends_with(e))
}

/// Lowercase with `PowerQuery` split into two words, as headings sometimes spell it.
fn normalise(heading: &str) -> String {
    heading.to_lowercase().replace("powerquery", "power query")
}

/// Ordered-list items whose list starts inside the section.
fn steps_in(article: &Article, section: Span) -> usize {
    article
        .outline
        .ordered_lists
        .iter()
        .filter(|list| list.span.start >= section.start && list.span.start < section.end)
        .map(|list| list.items)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::MISSING_CONNECTION_INSTRUCTIONS;
    use crate::testing::{Fixture, RuleCase};

    fn article(text: &str) -> Fixture {
        Fixture::kestrel().article("kestrel.md", text)
    }

    /// Both sections with two steps pass, in several lists and under H3s, and includes pass;
    /// missing sections, steps after the next H2 and a single step fail.
    #[test]
    fn missing_connection_instructions() {
        let cases = RuleCase::new(&MISSING_CONNECTION_INSTRUCTIONS)
            .pass([
                Fixture::kestrel(),
                article(
                    "# K\n## Connect to K data from Power Query Desktop\n1. Get Data\n\n![image](x.png)\n\n2. Sign in\n## Connect to K from Power Query Online\n### Sign in\n1) One\n1) Two\n",
                ),
                article(
                    "# K\n## Connect to K in Power BI Desktop\n[!INCLUDE [d](includes/d.md)]\n## Connect to K from Power Query Online\n1. a\n1. b\n",
                ),
            ])
            .fail([
                article("# K\n## Summary\n"),
                article(
                    "# K\n## Connect to K from Power Query Desktop\nSelect Get Data.\n## Connect to K from Power Query Online\n1. Only step\n## Next steps\n1. a\n2. b\n",
                ),
                article("# K\n### Connect to K from Power Query Desktop\n1. a\n2. b\n"),
                article(
                    "# K\n## Connect to K data\n1. a\n2. b\n## Connect to K from PowerQuery Online\n1. a\n2. b\n",
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
