//! PQ104: the section defines no data source function.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::attribute;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// No `shared` section member has a literal `DataSource.Kind` attribute.
    ///
    /// A data source function is a `shared` member whose attributes include
    /// `DataSource.Kind = "K"` with literal text. A member that has the attribute but is not
    /// `shared`, or whose `DataSource.Kind` is not text, does not count; the finding names it.
    /// A document with syntax errors is left to PQ100.
    ///
    /// ## Why it matters
    /// Without a data source function nothing registers as a data source and the connector
    /// never appears in Get Data.
    ///
    /// ## Example
    /// `[DataSource.Kind = "Contoso"] Contoso.Contents = (url as text) => …;` (not `shared`).
    ///
    /// Use instead:
    /// `[DataSource.Kind = "Contoso", Publish = "Contoso.Publish"] shared Contoso.Contents = …;`
    pub(crate) static MISSING_DATA_SOURCE_FUNCTION = Rule {
        code: "PQ104",
        name: "missing-data-source-function",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    if !cx.connector().data_sources().is_empty() {
        return;
    }
    let Some(section) = super::clean_section(cx) else {
        return;
    };
    let mut finding = Finding::new(format!(
        "section `{}` defines no data source function",
        section.document.name.name
    ))
    .primary(section.file, section.document.name.span)
    .help("give the connector's entry point the attributes `[DataSource.Kind = \"…\", Publish = \"…\"]` and make it `shared`");
    let mut near_misses = Vec::new();
    for member in &section.document.members {
        let Some(kind) = attribute(member, "DataSource.Kind") else {
            continue;
        };
        let name = &member.name.name;
        if member.shared.is_none() {
            near_misses.push(format!(
                "`{name}` has `DataSource.Kind` but is not `shared`"
            ));
            finding = finding.secondary(section.file, member.name.span, "not `shared`");
        } else if kind.value.as_text().is_none() {
            near_misses.push(format!(
                "the `DataSource.Kind` of `{name}` is not literal text"
            ));
            finding = finding.secondary(section.file, kind.value.span, "not literal text");
        }
    }
    if !near_misses.is_empty() {
        finding.message = format!("{}: {}", finding.message, near_misses.join("; "));
    }
    cx.report(finding);
}

#[cfg(test)]
mod tests {
    use super::MISSING_DATA_SOURCE_FUNCTION;
    use crate::testing::{Fixture, RuleCase};

    /// A shared member with a Kind passes; a section without one fails, naming the member
    /// that is not shared and the one whose Kind is not text.
    #[test]
    fn missing_data_source_function() {
        let cases = RuleCase::new(&MISSING_DATA_SOURCE_FUNCTION)
            .pass([Fixture::finch(), Fixture::kestrel()])
            .fail([
                Fixture::finch().replace(
                    "[DataSource.Kind = \"Finch\", Publish = \"Finch.Publish\"]\nshared Finch.Contents = () => 1;\n",
                    "",
                ),
                Fixture::finch()
                    .replace("shared Finch.Contents", "Finch.Contents")
                    .members("[DataSource.Kind = 1]\nshared Finch.Feed = () => 1;"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
