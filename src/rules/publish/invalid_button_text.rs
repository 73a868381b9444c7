//! PQ301: the Get Data button text is missing or malformed.
use super::{not_static, publish_records};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::eval::follow::is_load_string;
use crate::model::eval::resolve::Resolved;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A Publish record's `ButtonText` is missing or not a list of one or two non-empty texts.
    ///
    /// `ButtonText` must be a list of one or two items, each a non-empty text: a literal or
    /// `Extension.LoadString("key")` (a missing key is the resource rules' finding). Computed
    /// values are reported at info.
    ///
    /// ## Why it matters
    /// The first item is the connector's name in Get Data, the second its tooltip. Without them
    /// the connector has no usable entry in the dialog.
    ///
    /// ## Example
    /// `Contoso.Publish = [ButtonText = "Contoso", Category = "Database"];`
    ///
    /// Use instead:
    /// `ButtonText = { Extension.LoadString("ButtonTitle"), Extension.LoadString("ButtonHelp") }`
    pub(crate) static INVALID_BUTTON_TEXT = Rule {
        code: "PQ301",
        name: "invalid-button-text",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

const HELP: &str =
    "set `ButtonText` to `{ title, help }`: the name shown in Get Data and its tooltip";

fn check(cx: &mut Context<'_>) {
    let resolver = &cx.connector().resolver;
    for publish in publish_records(cx) {
        let Some(field) = publish.field("ButtonText") else {
            cx.report(
                publish
                    .about_record(format!(
                        "Publish record `{}` has no `ButtonText`",
                        publish.record.name
                    ))
                    .help(HELP),
            );
            continue;
        };
        let file = publish.file;
        let (items, items_env) = match resolver.resolve(&field.value, &publish.env) {
            Resolved::List(items, env) => (items, env),
            Resolved::Computed(computed) => {
                cx.report_review(
                    Finding::new(not_static("`ButtonText`", &computed.reason))
                        .primary(file, field.value.span),
                );
                continue;
            }
            other => {
                cx.report(
                    Finding::new(format!("`ButtonText` is {}, not a list", other.describe()))
                        .primary(file, field.value.span)
                        .help(HELP),
                );
                continue;
            }
        };
        if items.is_empty() || items.len() > 2 {
            cx.report(
                Finding::new(format!(
                    "`ButtonText` has {} items; it takes one or two",
                    items.len()
                ))
                .primary(file, field.value.span)
                .help(HELP),
            );
            continue;
        }
        for (index, item) in items.iter().enumerate() {
            let ordinal = index + 1;
            match resolver.resolve(item, &items_env) {
                Resolved::Text(text) if text.trim().is_empty() => cx.report(
                    Finding::new(format!("`ButtonText` item {ordinal} is empty"))
                        .primary(file, item.span)
                        .help(HELP),
                ),
                Resolved::Text(_) => {}
                Resolved::Computed(_) | Resolved::Param { .. }
                    if is_load_string(item, &items_env) => {}
                Resolved::Computed(computed) => cx.report_review(
                    Finding::new(not_static(
                        &format!("`ButtonText` item {ordinal}"),
                        &computed.reason,
                    ))
                    .primary(file, item.span),
                ),
                Resolved::Param { .. } => cx.report_review(
                    Finding::new(not_static(
                        &format!("`ButtonText` item {ordinal}"),
                        "a function parameter",
                    ))
                    .primary(file, item.span),
                ),
                other => cx.report(
                    Finding::new(format!(
                        "`ButtonText` item {ordinal} is {}, not text",
                        other.describe()
                    ))
                    .primary(file, item.span)
                    .help(HELP),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::INVALID_BUTTON_TEXT;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose Publish record is `publish`.
    fn publish(publish: &str) -> Fixture {
        Fixture::finch().set("Finch.Publish", publish)
    }

    /// Literal and resource texts pass, also when the resource is missing (PQ4xx's finding);
    /// a Publish name without a record is PQ106's. Missing, non-list, too long, empty and
    /// non-text items fail; calls are info.
    #[test]
    fn invalid_button_text() {
        let cases = RuleCase::new(&INVALID_BUTTON_TEXT)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                publish(r#"[ButtonText = {Extension.LoadString("Title")}]"#),
                publish("Missing.Record"),
            ])
            .fail([
                publish(r#"[Category = "Other"]"#),
                publish(r#"[ButtonText = "Finch"]"#),
                publish(r#"[ButtonText = {"a", "b", "c"}]"#),
                publish(r#"[ButtonText = {"", 1}]"#),
                publish(r#"[ButtonText = {Text.Upper("finch")}]"#),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
