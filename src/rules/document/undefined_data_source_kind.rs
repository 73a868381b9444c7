//! PQ105: a data source Kind without its Kind record.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::eval::resolve::Resolved;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A `DataSource.Kind` names no section member whose value is a record.
    ///
    /// For each Kind K, a section member named exactly K must exist, and its value, through
    /// names, `let` results and parentheses, must be a record expression (the Kind record
    /// with `Authentication`, `Label`, `TestConnection`). A member whose value is computed
    /// (a function call, a field of another record) is reported at `info`; a member differing
    /// only in letter case is named in the message.
    ///
    /// ## Why it matters
    /// The Kind record defines the data source; without it the connector does not load.
    ///
    /// ## Example
    /// `[DataSource.Kind = "Contoso"] shared Contoso.Contents = …;` with no `Contoso` member.
    ///
    /// Use instead: also define `Contoso = [Authentication = [Anonymous = []], …];`
    pub(crate) static UNDEFINED_DATA_SOURCE_KIND = Rule {
        code: "PQ105",
        name: "undefined-data-source-kind",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let Some(section) = &connector.section else {
        return;
    };
    for kind in connector.kinds() {
        let Some(data_source) = connector.data_sources_of_kind(&kind.name).next() else {
            continue;
        };
        let Some(member) = kind.member else {
            if super::clean_section(cx).is_none() {
                continue;
            }
            let mut finding = Finding::new(format!(
                "data source kind `{}` has no Kind record: no section member is named `{}`",
                kind.name, kind.name
            ))
            .primary_label(
                data_source.file,
                super::kind_value_span(data_source),
                "no member has this name",
            )
            .help(format!(
                "define the Kind record: `{} = [Authentication = [...], Label = ...];`",
                kind.name
            ));
            if let Some(variant) = connector.case_variant(&kind.name) {
                finding.message = format!(
                    "{} (`{}` differs only in letter case)",
                    finding.message, variant.name.name
                );
                finding = finding.secondary(section.file, variant.name.span, "differs in case");
            }
            cx.report(finding);
            continue;
        };
        match connector.resolver.resolve(&member.value, &section.env) {
            Resolved::Record(..) => {}
            Resolved::Computed(computed) => cx.report_review(
                Finding::new(format!(
                    "could not be checked statically: Kind record `{}` is computed ({})",
                    kind.name, computed.reason
                ))
                .primary(section.file, member.name.span),
            ),
            other => cx.report(
                Finding::new(format!(
                    "Kind record `{}` is {}, not a record",
                    kind.name,
                    other.describe()
                ))
                .primary(section.file, member.name.span)
                .secondary(
                    data_source.file,
                    super::kind_value_span(data_source),
                    "Kind named here",
                )
                .help("make the member a record: `[Authentication = [...], Label = ...]`"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UNDEFINED_DATA_SOURCE_KIND;
    use crate::testing::{Fixture, RuleCase};

    /// Finch without its Kind record `Finch`, and with `members`.
    fn without_kind(members: &str) -> Fixture {
        Fixture::finch().remove("Finch").members(members)
    }

    /// A Kind record, also through a name, passes; a missing, case-different, non-record or
    /// computed one fails (the computed one at info).
    #[test]
    fn undefined_data_source_kind() {
        let cases = RuleCase::new(&UNDEFINED_DATA_SOURCE_KIND)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                without_kind("Finch = Base;\nBase = [Label = \"x\"];"),
            ])
            .fail([
                Fixture::finch().remove("Finch"),
                without_kind("finch = [];"),
                Fixture::finch().set("Finch", "\"Finch\""),
                Fixture::finch().set("Finch", "Record.Combine({[], []})"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
