//! PQ802: the article has no front matter, or one without the keys Microsoft Learn uses.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::source::Span;

use super::{article, code_list, report};

/// Keys every published connector article carries.
const REQUIRED_KEYS: [&str; 7] = [
    "title",
    "description",
    "author",
    "ms.author",
    "ms.date",
    "ms.topic",
    "ms.subservice",
];

declare_rule! {
    /// ## What it checks
    /// The article lacks YAML front matter or one of its required keys.
    ///
    /// The article has no YAML front matter (a block between `---` lines at the top), or its
    /// front matter lacks one of `title`, `description`, `author`, `ms.author`, `ms.date`,
    /// `ms.topic` and `ms.subservice`, or `ms.subservice` is not `connectors`, or the block is
    /// not valid YAML (an unquoted `: ` inside a value, a bad indent), which Microsoft Learn's
    /// build rejects. Other keys are allowed; only the `ms.subservice` value is checked.
    ///
    /// ## Why it matters
    /// Microsoft Learn builds the page title, search description and ownership from these
    /// keys; every published connector article has them.
    ///
    /// ## Example
    /// An article that starts with `# Contoso`.
    ///
    /// Use instead:
    /// ```text
    /// ---
    /// title: Power Query Contoso connector
    /// description: Provides basic information and prerequisites for the Contoso connector.
    /// author: contoso-docs
    /// ms.author: contosodocs
    /// ms.date: 9/12/2024
    /// ms.topic: concept-article
    /// ms.subservice: connectors
    /// ---
    /// ```
    pub(crate) static MISSING_DOCS_FRONT_MATTER = Rule {
        code: "PQ802",
        name: "missing-docs-front-matter",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some((article, _)) = article(cx) else {
        return;
    };
    let Some(front) = &article.outline.front_matter else {
        let finding = Finding::new("the article has no YAML front matter")
            .primary(article.file, Span::empty(0))
            .help(format!(
                "start the file with a `---` block holding {}, then `---`",
                code_list(&REQUIRED_KEYS)
            ));
        report(cx, finding);
        return;
    };
    if let Some((message, line)) = &front.error {
        // The keys past the error are unknown: say what is wrong, not what seems missing.
        let finding = Finding::new(format!("the front matter is {message}"))
            .primary_label(article.file, *line, "reading stops here")
            .help("quote values that hold `: ` or `#`, and indent nested values");
        report(cx, finding);
        return;
    }
    let value = |key: &str| front.keys.iter().find(|k| k.key.eq_ignore_ascii_case(key));
    let missing: Vec<&str> = REQUIRED_KEYS
        .iter()
        .copied()
        .filter(|key| value(key).is_none_or(|k| k.value.is_empty()))
        .collect();
    if !missing.is_empty() {
        let noun = if missing.len() == 1 { "key" } else { "keys" };
        let finding = Finding::new(format!(
            "front matter lacks the {noun} {}",
            code_list(&missing)
        ))
        .primary(article.file, front.open)
        .help(format!("add {} to the front matter", code_list(&missing)));
        report(cx, finding);
    }
    if let Some(subservice) = value("ms.subservice")
        .filter(|k| !k.value.is_empty() && !k.value.eq_ignore_ascii_case("connectors"))
    {
        let finding = Finding::new(format!(
            "front matter `ms.subservice` is `{}`, not `connectors`",
            subservice.value
        ))
        .primary(article.file, subservice.span)
        .help("set `ms.subservice: connectors`");
        report(cx, finding);
    }
}

#[cfg(test)]
mod tests {
    use super::MISSING_DOCS_FRONT_MATTER;
    use crate::testing::{Fixture, RuleCase};

    fn article(text: &str) -> Fixture {
        Fixture::kestrel().article("kestrel.md", text)
    }

    /// Complete front matter passes; none, missing keys, a wrong subservice and an unclosed
    /// block fail.
    #[test]
    fn missing_docs_front_matter() {
        let cases = RuleCase::new(&MISSING_DOCS_FRONT_MATTER)
            .pass([
                Fixture::kestrel(),
                article(
                    "---\ntitle: T\ndescription: D\nauthor: a\nms.author: b\nms.date: 08/10/2018\nms.topic: concept-article\nms.subservice: connectors\nms.custom: x\n---\n# T\n",
                ),
                // YAML as YAML: a folded description, a comment, a quoted subservice, a list.
                article(
                    "---\ntitle: T\ndescription: >\n  Provides basic information\n  about Kestrel.\nauthor: a # the team\nms.author: b\nms.date: 08/10/2018\nms.topic: concept-article\nms.subservice: 'connectors'\nms.collection:\n  - one\n---\n# T\n",
                ),
            ])
            .fail([
                article("# Kestrel\n"),
                article("---\ntitle: T\nauthor: \"a\"\nms.subservice: data\n---\n# T\n"),
                article("---\ntitle: T\n"),
                article(
                    "---\ntitle: Kestrel: the connector\ndescription: D\nauthor: a\nms.author: b\nms.date: 08/10/2018\nms.topic: concept-article\nms.subservice: connectors\n---\n# T\n",
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
