//! PQ305: the Publish record has no icons.
use super::publish_records;
use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A Publish record has no `SourceImage` or no `SourceTypeImage`.
    ///
    /// Each missing field is one finding. What the icon records hold is PQ306's business.
    ///
    /// ## Why it matters
    /// Get Data and the navigator show these icons; a connector without them gets a generic
    /// image and looks unfinished.
    ///
    /// ## Example
    /// `Contoso.Publish = [ButtonText = {"Contoso", "Contoso data"}, Category = "Database"];`
    ///
    /// Use instead: add `SourceImage = Contoso.Icons, SourceTypeImage = Contoso.Icons` with
    /// `Contoso.Icons = [Icon16 = {…}, Icon32 = {…}]`.
    pub(crate) static MISSING_SOURCE_IMAGES = Rule {
        code: "PQ305",
        name: "missing-source-images",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    for publish in publish_records(cx) {
        for image in ["SourceImage", "SourceTypeImage"] {
            if publish.field(image).is_none() {
                cx.report(
                    publish
                        .about_record(format!(
                            "Publish record `{}` has no `{image}`",
                            publish.record.name
                        ))
                        .help(format!(
                            "add `{image} = <icon record>` with `Icon16` and `Icon32` lists of PNG icons"
                        )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MISSING_SOURCE_IMAGES;
    use crate::testing::{Fixture, RuleCase};

    /// Both fields pass (whatever they hold); each missing one is reported (Finch has
    /// neither).
    #[test]
    fn missing_source_images() {
        let cases = RuleCase::new(&MISSING_SOURCE_IMAGES)
            .pass([
                Fixture::kestrel(),
                Fixture::finch().set(
                    "Finch.Publish",
                    "[SourceImage = Icons, SourceTypeImage = Icons]",
                ),
            ])
            .fail([
                Fixture::finch().set("Finch.Publish", "[SourceImage = Icons]"),
                Fixture::finch(),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
