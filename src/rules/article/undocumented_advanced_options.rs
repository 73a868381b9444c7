//! PQ812: optional parameters without an advanced-options section that names them.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::source::Span;

use super::{anchor, article, code_list, report};

declare_rule! {
    /// ## What it checks
    /// Optional parameters are not all documented as advanced options.
    ///
    /// A data source function has optional parameters, and the article has no H2 or H3
    /// containing `advanced options` (usually `## Connect using advanced options`), or that
    /// section does not mention every optional parameter by its `Documentation.FieldCaption`
    /// or its name (case-insensitive). Skipped while the parameters are unknown, and when the
    /// section is a DocFX include.
    ///
    /// ## Why it matters
    /// Each advanced option appears in the connection dialog; users need to know what it does
    /// and when to set it.
    ///
    /// ## Example
    /// `Contoso.Contents = (url as text, optional options as record)` with `Command timeout in
    /// minutes` as a caption, and an article without an advanced options section.
    ///
    /// Use instead: a `## Connect using advanced options` section with a table row for
    /// `Command timeout in minutes`.
    pub(crate) static UNDOCUMENTED_ADVANCED_OPTIONS = Rule {
        code: "PQ812",
        name: "undocumented-advanced-options",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some((article, text)) = article(cx) else {
        return;
    };
    let Some(parameters) = cx
        .facts()
        .optional_parameters
        .as_ref()
        .filter(|p| !p.is_empty())
    else {
        return;
    };
    let names: Vec<&str> = parameters.iter().map(|p| p.display_name()).collect();
    let outline = &article.outline;
    let Some(index) = outline.find_heading(&[2, 3], |h| h.contains("advanced options")) else {
        let finding = Finding::new(format!("the article has no advanced options section, but the connector has the optional parameters {}", code_list(&names)))
            .primary(article.file, anchor(article))
            .help("add `## Connect using advanced options` describing each option");
        report(cx, finding);
        return;
    };
    let heading = &outline.headings[index];
    let section = Span::new(heading.span.end, outline.section_end(index));
    if outline.has_include_in(section) {
        return;
    }
    let body = outline
        .prose(text)
        .get(section.range())
        .unwrap_or_default()
        .to_lowercase();
    let missing: Vec<&str> = parameters
        .iter()
        .filter(|p| {
            let caption = p
                .caption
                .as_deref()
                .is_some_and(|c| body.contains(&c.to_lowercase()));
            !caption && !body.contains(&p.name.to_lowercase())
        })
        .map(|p| p.display_name())
        .collect();
    if missing.is_empty() {
        return;
    }
    let finding = Finding::new(format!(
        "section `{}` does not mention {}",
        heading.text,
        code_list(&missing)
    ))
    .primary(article.file, heading.span)
    .help("describe every advanced option under its caption in the connection dialog");
    report(cx, finding);
}

#[cfg(test)]
mod tests {
    use super::UNDOCUMENTED_ADVANCED_OPTIONS;
    use crate::testing::{Fixture, RuleCase};

    /// Kestrel whose data source function has the optional parameters `timeout` (captioned
    /// "Command timeout in minutes") and `region` (no caption), with this article.
    fn with_options(text: &str) -> Fixture {
        Fixture::kestrel()
            .article("kestrel.md", text)
            .replace(
                ") as table meta [",
                r#", optional timeout as (type number meta [Documentation.FieldCaption = "Command timeout in minutes"]), optional region as text) as table meta ["#,
            )
            .replace(
                "KestrelImpl = (url as text)",
                "KestrelImpl = (url as text, optional timeout as number, optional region as text)",
            )
    }

    /// A section naming every option by caption or name passes, and so does a connector
    /// without options; no section, and a section naming an option only in code, fail.
    #[test]
    fn undocumented_advanced_options() {
        let cases = RuleCase::new(&UNDOCUMENTED_ADVANCED_OPTIONS)
            .pass([
                Fixture::kestrel(),
                with_options(
                    "# K\n## Connect using advanced options\n| Option | Description |\n|-|-|\n| Command timeout in minutes | How long |\n| Region | Where |\n",
                ),
                Fixture::kestrel().article("k.md", "# K\n"),
            ])
            .fail([
                with_options("# K\n## Summary\n"),
                with_options(
                    "# K\n### Advanced options\nSet the `region` option. The command timeout in minutes limits queries.\n",
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
