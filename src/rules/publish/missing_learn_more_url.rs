//! PQ304: the Publish record links to no product page.
use super::publish_records;
use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A Publish record has no `LearnMoreUrl`.
    ///
    /// Only presence is checked; an `http://` address is PQ703's finding.
    ///
    /// ## Why it matters
    /// Get Data shows a "Learn more" link to the product or connector documentation; without
    /// it users have nowhere to go from the dialog.
    ///
    /// ## Example
    /// `Contoso.Publish = [ButtonText = {"Contoso", "Contoso data"}, Category = "Database"];`
    ///
    /// Use instead: add `LearnMoreUrl = "https://contoso.example/power-query"`.
    pub(crate) static MISSING_LEARN_MORE_URL = Rule {
        code: "PQ304",
        name: "missing-learn-more-url",
        default_severity: Severity::Info,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    for publish in publish_records(cx) {
        if publish.field("LearnMoreUrl").is_none() {
            cx.report(
                publish
                    .about_record(format!(
                        "Publish record `{}` has no `LearnMoreUrl`",
                        publish.record.name
                    ))
                    .help("add `LearnMoreUrl = \"https://…\"` linking to the product or its documentation"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MISSING_LEARN_MORE_URL;
    use crate::testing::{Fixture, RuleCase};

    /// A record with `LearnMoreUrl` passes; one without (Finch's) is reported.
    #[test]
    fn missing_learn_more_url() {
        let cases = RuleCase::new(&MISSING_LEARN_MORE_URL)
            .pass([
                Fixture::kestrel(),
                Fixture::finch().set(
                    "Finch.Publish",
                    r#"[LearnMoreUrl = "https://finch.example/"]"#,
                ),
            ])
            .fail([Fixture::finch()]);
        insta::assert_snapshot!(cases.run());
    }
}
