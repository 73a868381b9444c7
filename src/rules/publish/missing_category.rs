//! PQ302: the Publish record has no text `Category`.
use super::{not_static, publish_records};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::values::{Checked, Expected, check_type};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A Publish record has no `Category`, or one that is not text.
    ///
    /// Computed values are reported at info.
    ///
    /// ## Why it matters
    /// The category places the connector in Get Data: `Azure` and `Database` have their own
    /// groups, anything else lands in Other. Without one users have to search for it.
    ///
    /// ## Example
    /// `Contoso.Publish = [ButtonText = {"Contoso", "Contoso data"}];`
    ///
    /// Use instead: add `Category = "Database"` (or `"Online Services"`, `"Other"`, …).
    pub(crate) static MISSING_CATEGORY = Rule {
        code: "PQ302",
        name: "missing-category",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

const HELP: &str =
    "add `Category = \"Database\"` (or another Get Data category) to the Publish record";

fn check(cx: &mut Context<'_>) {
    let resolver = &cx.connector().resolver;
    for publish in publish_records(cx) {
        let Some(field) = publish.field("Category") else {
            cx.report(
                publish
                    .about_record(format!(
                        "Publish record `{}` has no `Category`",
                        publish.record.name
                    ))
                    .help(HELP),
            );
            continue;
        };
        match check_type(resolver, &field.value, &publish.env, Expected::Text) {
            Checked::Ok => {}
            Checked::Wrong(what) => cx.report(
                Finding::new(format!("`Category` is {what}, not text"))
                    .primary(publish.file, field.value.span)
                    .help(HELP),
            ),
            Checked::Unknown(reason) => cx.report_review(
                Finding::new(not_static("`Category`", &reason))
                    .primary(publish.file, field.value.span),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MISSING_CATEGORY;
    use crate::testing::{Fixture, RuleCase};

    #[test]
    fn missing_category() {
        let cases = RuleCase::new(&MISSING_CATEGORY)
            .pass([Fixture::finch(), Fixture::kestrel()])
            .fail([
                Fixture::finch().set("Finch.Publish", "[Beta = true]"),
                Fixture::finch().set("Finch.Publish", r#"[Category = {"Other"}]"#),
                Fixture::finch().set("Finch.Publish", "[Category = Categories{0}]"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
