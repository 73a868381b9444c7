//! PQ310: a Publish record field the Get Data dialog does not read.
use super::publish_records;
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A Publish record has a field other than the documented ones; the nearest one is suggested.
    ///
    /// The documented fields are `ButtonText`, `Category`, `Beta`, `LearnMoreUrl`,
    /// `SupportsDirectQuery`, `SourceImage`, `SourceTypeImage` and `NativeQueryProperties`.
    /// Names are case-sensitive.
    ///
    /// ## Why it matters
    /// Other fields are ignored, so an unknown field is usually a typo that silently loses the
    /// setting it meant to make.
    ///
    /// ## Example
    /// `Contoso.Publish = [LearnMoreURL = "https://contoso.example/"]`
    ///
    /// Use instead: `LearnMoreUrl = "https://contoso.example/"`.
    pub(crate) static UNKNOWN_PUBLISH_FIELD = Rule {
        code: "PQ310",
        name: "unknown-publish-field",
        default_severity: Severity::Info,
        priority: Priority::P2,
    };
}

/// The fields Get Data reads from a Publish record.
const PUBLISH_FIELDS: &[&str] = &[
    "ButtonText",
    "Category",
    "Beta",
    "LearnMoreUrl",
    "SupportsDirectQuery",
    "SourceImage",
    "SourceTypeImage",
    "NativeQueryProperties",
];

fn check(cx: &mut Context<'_>) {
    for publish in publish_records(cx) {
        for field in publish.fields {
            let name = field.name.name.as_str();
            if PUBLISH_FIELDS.contains(&name) {
                continue;
            }
            let finding = Finding::new(format!(
                "Publish record field `{name}` is not read by Get Data"
            ))
            .primary(publish.file, field.name.span);
            let finding = match nearest(name) {
                Some(known) => finding.help(format!("did you mean `{known}`?")).fix(
                    format!("Replace with `{known}`"),
                    publish.file,
                    field.name.span,
                    known,
                ),
                None => finding.help(format!(
                    "remove it; Get Data reads only {}",
                    PUBLISH_FIELDS
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            cx.report(finding);
        }
    }
}

/// The documented field closest to `name`, compared case-insensitively.
fn nearest(name: &str) -> Option<&'static str> {
    crate::suggest::nearest(
        name,
        PUBLISH_FIELDS.iter().copied(),
        true,
        crate::suggest::quarter_of_name,
    )
}

#[cfg(test)]
mod tests {
    use super::UNKNOWN_PUBLISH_FIELD;
    use crate::testing::{Fixture, RuleCase};

    /// Documented fields pass; a wrong case, a typo and an unrelated field are reported.
    #[test]
    fn unknown_publish_field() {
        let cases = RuleCase::new(&UNKNOWN_PUBLISH_FIELD)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().set(
                    "Finch.Publish",
                    r#"[Beta = true, Category = "Other", ButtonText = {"F"}, LearnMoreUrl = "https://f.example/", SupportsDirectQuery = false, SourceImage = I, SourceTypeImage = I, NativeQueryProperties = []]"#,
                ),
            ])
            .fail([Fixture::finch().set(
                "Finch.Publish",
                r#"[LearnMoreURL = "https://f.example/", Categroy = "Other", Owner = "me"]"#,
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
