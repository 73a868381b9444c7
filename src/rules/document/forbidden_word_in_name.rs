//! PQ108: "Connector", "API" or "Power BI" in a product name.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::field;
use crate::names::forbidden_word;
use crate::rules::{Context, Priority};

/// What to tell authors, once.
const HELP: &str = "name the product only: certification rejects \"Connector\", \"API\", \"Power BI\" and \"PBI\" in names";

declare_rule! {
    /// ## What it checks
    /// A Kind, a data source function or the Get Data name contains "Connector", "API" or "Power BI".
    ///
    /// The name words of each Kind, each data source function name, and each Publish record's
    /// first `ButtonText` item (resolved, `Extension.LoadString` included) must not include a
    /// forbidden word: `connector`, `connectors`, `api`, `powerbi`, `pbi`, or `power` followed
    /// by `bi`. Words split at `.`, `_`, `-`, spaces, digits and case changes (`ACMEConnector`
    /// is `ACME` `Connector`; `Rapid` is one word). A `ButtonText` name that cannot be resolved
    /// is reported at `info`.
    ///
    /// ## Why it matters
    /// Certification requires product names without "Power BI", "Connector" or "API".
    ///
    /// ## Example
    /// `[DataSource.Kind = "ContosoAPI"] shared ContosoAPI.Contents = …;` with the button
    /// text "Contoso Connector".
    ///
    /// Use instead: Kind `Contoso`, function `Contoso.Contents`, button text "Contoso".
    pub(crate) static FORBIDDEN_WORD_IN_NAME = Rule {
        code: "PQ108",
        name: "forbidden-word-in-name",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for kind in connector.kinds() {
        let (Some(word), Some(data_source)) = (
            forbidden_word(&kind.name),
            connector.data_sources_of_kind(&kind.name).next(),
        ) else {
            continue;
        };
        cx.report(
            Finding::new(format!(
                "data source kind `{}` contains the forbidden word `{word}`",
                kind.name
            ))
            .primary_label(
                data_source.file,
                super::kind_value_span(data_source),
                format!("contains `{word}`"),
            )
            .help(HELP),
        );
    }
    for data_source in connector.data_sources() {
        if let Some(word) = forbidden_word(data_source.name()) {
            cx.report(
                Finding::new(format!(
                    "data source function `{}` contains the forbidden word `{word}`",
                    data_source.name()
                ))
                .primary_label(
                    data_source.file,
                    data_source.member.name.span,
                    format!("contains `{word}`"),
                )
                .help(HELP),
            );
        }
    }
    for publish in connector.publishes() {
        let Some((fields, env)) = &publish.fields else {
            continue;
        };
        let Some(button_text) = field(fields, "ButtonText") else {
            continue;
        };
        let Some((items, env)) = connector.resolver.list(&button_text.value, env) else {
            continue;
        };
        let Some(first) = items.first() else {
            continue;
        };
        let file = env.file();
        match connector.resolver.text(first, &env) {
            Ok(text) => {
                if let Some(word) = forbidden_word(&text) {
                    cx.report(
                        Finding::new(format!(
                            "Get Data name \"{text}\" of `{}` contains the forbidden word `{word}`",
                            publish.name
                        ))
                        .primary_label(file, first.span, format!("contains `{word}`"))
                        .help(HELP),
                    );
                }
            }
            Err(computed) => cx.report_review(
                Finding::new(format!(
                    "could not be checked statically: the Get Data name of `{}` ({})",
                    publish.name, computed.reason
                ))
                .primary(file, first.span),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FORBIDDEN_WORD_IN_NAME;
    use crate::testing::{Fixture, RuleCase};

    const RESX: &[u8] = br#"<root><resheader name="resmimetype"><value>text/microsoft-resx</value></resheader><data name="Title" xml:space="preserve"><value>ACME Power BI Connector</value></data></root>"#;

    /// Finch with the Kind and its function renamed `kind`.
    fn kind(kind: &str) -> Fixture {
        Fixture::finch()
            .replace("Kind = \"Finch\"", &format!("Kind = \"{kind}\""))
            .replace("shared Finch.Contents", &format!("shared {kind}.Contents"))
    }

    /// Finch whose button title is `title`, with a resource string containing "Power BI".
    fn button(title: &str) -> Fixture {
        Fixture::finch()
            .replace("{\"Finch\", ", &format!("{{{title}, "))
            .entry("resources.resx", RESX)
    }

    /// Product names pass (also `Rapid`, which contains the letters "api"); a Kind and
    /// function with `Connector`, a resource string with "Power BI" and a computed name fail.
    #[test]
    fn forbidden_word_in_name() {
        let cases = RuleCase::new(&FORBIDDEN_WORD_IN_NAME)
            .pass([Fixture::finch(), Fixture::kestrel(), kind("Rapid")])
            .fail([
                kind("FinchConnector"),
                button("Extension.LoadString(\"Title\")"),
                button("Text.Upper(\"finch\")"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
