//! PQ303: a first submission must be published as beta.
use super::{not_static, publish_records};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::eval::resolve::Resolved;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// With `--initial-release`, a Publish record's `Beta` is missing or not the literal `true`.
    ///
    /// The rule runs only when the check is told that this is the connector's first submission
    /// (`--initial-release`, or `initial-release = true` in `mezcheck.toml`). Computed values
    /// are reported at info.
    ///
    /// ## Why it matters
    /// Certification requires a new connector to ship as beta first: Get Data marks it as a
    /// preview until a later release clears the flag.
    ///
    /// ## Example
    /// `Contoso.Publish = [Beta = false, Category = "Database", …];` on a first submission.
    ///
    /// Use instead: `Beta = true` until the connector has been released.
    pub(crate) static BETA_REQUIRED_ON_INITIAL_RELEASE = Rule {
        code: "PQ303",
        name: "beta-required-on-initial-release",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

const HELP: &str = "set `Beta = true` in the Publish record for the first release";

fn check(cx: &mut Context<'_>) {
    if !cx.model().options.initial_release {
        return;
    }
    let resolver = &cx.connector().resolver;
    for publish in publish_records(cx) {
        let Some(field) = publish.field("Beta") else {
            cx.report(
                publish
                    .about_record(format!(
                        "Publish record `{}` has no `Beta = true` on an initial release",
                        publish.record.name
                    ))
                    .help(HELP),
            );
            continue;
        };
        let finding =
            |message: String| Finding::new(message).primary(publish.file, field.value.span);
        match resolver.resolve(&field.value, &publish.env) {
            Resolved::Logical(true) => {}
            Resolved::Computed(computed) => {
                cx.report_review(finding(not_static("`Beta`", &computed.reason)))
            }
            Resolved::Param { .. } => {
                cx.report_review(finding(not_static("`Beta`", "a function parameter")))
            }
            Resolved::Logical(false) => {
                cx.report(finding("`Beta` is `false` on an initial release".into()).help(HELP))
            }
            other => cx.report(
                finding(format!(
                    "`Beta` is {}, not `true`, on an initial release",
                    other.describe()
                ))
                .help(HELP),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BETA_REQUIRED_ON_INITIAL_RELEASE as RULE;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose Publish record is `publish`, checked as an initial release.
    fn initial(publish: &str) -> Fixture {
        Fixture::finch()
            .set("Finch.Publish", publish)
            .initial_release()
    }

    /// Without `--initial-release` nothing is checked; with it, `Beta = true` passes, and a
    /// missing, false or non-logical `Beta` fails; a computed one is info.
    #[test]
    fn beta_required_on_initial_release() {
        let cases = RuleCase::new(&RULE)
            .pass([
                Fixture::kestrel(),
                Fixture::finch().set("Finch.Publish", "[Beta = false]"),
                Fixture::finch()
                    .set("Finch.Publish", "[Beta = true]")
                    .initial_release(),
                Fixture::kestrel()
                    .replace("Beta = false", "Beta = true")
                    .initial_release(),
            ])
            .fail([
                initial(r#"[Category = "Other"]"#),
                initial("[Beta = false]"),
                initial(r#"[Beta = "true"]"#),
                initial("[Beta = IsPreview()]"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
