//! PQ106: no Publish record, or a `Publish` attribute naming nothing usable.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::attribute;
use crate::model::eval::resolve::Resolved;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// No data source function has a `Publish` attribute, or one names no record member.
    ///
    /// At least one data source function must carry `Publish = "P"`, and each such `P` must
    /// be a section member whose value (through names) is a record expression. A `Publish`
    /// value that is not literal text, a missing member (a member differing only in letter
    /// case is named), or a member that is not a record is an error; a computed member is
    /// reported at `info`.
    ///
    /// ## Why it matters
    /// The Publish record puts the connector in Get Data; without it users cannot find the
    /// connector, and a `Publish` name that does not resolve makes the connector fail to load.
    ///
    /// ## Example
    /// `[DataSource.Kind = "Contoso"] shared Contoso.Contents = …;` with no `Publish`.
    ///
    /// Use instead: `[DataSource.Kind = "Contoso", Publish = "Contoso.Publish"]`, with
    /// `Contoso.Publish = [ButtonText = {…}, Category = "Other", …];`
    pub(crate) static MISSING_PUBLISH_RECORD = Rule {
        code: "PQ106",
        name: "missing-publish-record",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let Some(section) = &connector.section else {
        return;
    };
    let clean = super::clean_section(cx).is_some();
    let mut any_publish = false;
    let mut checked = std::collections::HashSet::new();
    for data_source in connector.data_sources() {
        let Some(publish) = attribute(data_source.member, "Publish") else {
            continue;
        };
        any_publish = true;
        let Some(name) = publish.value.as_text() else {
            cx.report(
                Finding::new(format!(
                    "the `Publish` attribute of `{}` is not literal text",
                    data_source.name()
                ))
                .primary(data_source.file, publish.value.span)
                .help(
                    "name the Publish record with a text literal: `Publish = \"Contoso.Publish\"`",
                ),
            );
            continue;
        };
        if !checked.insert(name) {
            continue;
        }
        let Some(member) = connector.member(name) else {
            if !clean {
                continue;
            }
            let mut finding = Finding::new(format!(
                "`Publish` names `{name}`, but no section member has that name"
            ))
            .primary(data_source.file, publish.value.span)
            .help(format!(
                "define the Publish record: `{name} = [ButtonText = {{…}}, Category = …];`"
            ));
            if let Some(variant) = connector.case_variant(name) {
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
                    "could not be checked statically: Publish record `{name}` is computed ({})",
                    computed.reason
                ))
                .primary(section.file, member.name.span),
            ),
            other => cx.report(
                Finding::new(format!(
                    "Publish record `{name}` is {}, not a record",
                    other.describe()
                ))
                .primary(section.file, member.name.span)
                .secondary(data_source.file, publish.value.span, "named here")
                .help("make the member a record: `[ButtonText = {…}, Category = …]`"),
            ),
        }
    }
    if !any_publish
        && clean
        && let Some(first) = connector.data_sources().first()
    {
        cx.report(
            Finding::new(format!(
                "no data source function has a `Publish` attribute, so `{}` does not appear in Get Data",
                first.name()
            ))
            .primary(first.file, first.kind_span)
            .help(format!(
                "add `Publish = \"{}.Publish\"` to the attributes and define that record",
                first.kind
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::MISSING_PUBLISH_RECORD;
    use crate::testing::{Fixture, RuleCase};

    /// A Publish record passes; none at all, a dangling or case-different name, a non-record,
    /// a computed record (info) and a non-text attribute fail.
    #[test]
    fn missing_publish_record() {
        let cases = RuleCase::new(&MISSING_PUBLISH_RECORD)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().set("Finch.Publish", "[Beta = true]"),
            ])
            .fail([
                Fixture::finch()
                    .replace(", Publish = \"Finch.Publish\"", "")
                    .remove("Finch.Publish"),
                Fixture::finch().remove("Finch.Publish"),
                Fixture::finch()
                    .remove("Finch.Publish")
                    .members("finch.publish = [];"),
                Fixture::finch().set("Finch.Publish", "{}"),
                Fixture::finch().set("Finch.Publish", "Record.Combine({})"),
                Fixture::finch()
                    .replace("Publish = \"Finch.Publish\"", "Publish = 1")
                    .remove("Finch.Publish"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
