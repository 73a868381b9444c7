//! PQ408: two `data` elements with one name in a resource file.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A resx file has two `data` elements with the same `name`.
    ///
    /// ## Why it matters
    /// Which value wins is undefined, so the string users see may not be the one reviewed.
    ///
    /// ## Example
    /// Two `<data name="ButtonTitle">` elements with different values.
    ///
    /// Use instead: keep one `data` element per name.
    pub(crate) static DUPLICATE_RESX_KEY = Rule {
        code: "PQ408",
        name: "duplicate-resx-key",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    for resources in &model.resources {
        let file_name = &model.sources.get(resources.file).name;
        let data = &resources.resx.data;
        for (index, element) in data.iter().enumerate() {
            let Some(name) = &element.name else {
                continue;
            };
            let Some(first) = data
                .iter()
                .take(index)
                .find(|d| d.name.as_ref() == Some(name))
            else {
                continue;
            };
            cx.report(
                Finding::new(format!("`{file_name}` defines `{name}` more than once"))
                    .primary(resources.file, element.span)
                    .secondary(resources.file, first.span, "first defined here")
                    .help("remove one of the two `data` elements"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DUPLICATE_RESX_KEY;
    use crate::testing::{Fixture, RuleCase};

    /// Distinct names pass (case matters); a repeated name fails once per repetition.
    #[test]
    fn duplicate_resx_key() {
        let cases = RuleCase::new(&DUPLICATE_RESX_KEY)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().entry("resources.resx", b"<root><data name=\"Title\"><value>a</value></data><data name=\"title\"><value>b</value></data></root>"),
            ])
            .fail([Fixture::finch().entry("resources.resx", b"<root>\n<data name=\"Title\"><value>a</value></data>\n<data name=\"Title\"><value>b</value></data>\n<data name=\"Title\"><value>c</value></data>\n</root>")]);
        insta::assert_snapshot!(cases.run());
    }
}
