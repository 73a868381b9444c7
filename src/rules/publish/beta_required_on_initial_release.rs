//! PQ303: a first submission must be published as beta.
use super::{not_static, publish_records};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::resolve::Resolved;
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
                cx.report_info(finding(not_static("`Beta`", &computed.reason)))
            }
            Resolved::Param { .. } => {
                cx.report_info(finding(not_static("`Beta`", "a function parameter")))
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
    use crate::rules::publish::finch;
    use crate::testing::{listing, run_rule, run_rule_with};

    fn initial() -> crate::submission::SubmissionOptions {
        crate::submission::SubmissionOptions {
            initial_release: true,
            ..Default::default()
        }
    }

    /// Without `--initial-release` nothing is checked; with it, `Beta = true` passes.
    #[test]
    fn passes() {
        assert_eq!(listing(&run_rule(&RULE, finch("[Beta = false]"))), "");
        assert_eq!(
            listing(&run_rule_with(&RULE, finch("[Beta = true]"), initial())),
            ""
        );
    }

    /// On an initial release a missing, false or non-logical `Beta` fails; a computed one is
    /// info.
    #[test]
    fn beta_required_on_initial_release() {
        let mut out = String::new();
        for publish in [
            r#"[Category = "Other"]"#,
            "[Beta = false]",
            r#"[Beta = "true"]"#,
            "[Beta = IsPreview()]",
        ] {
            out.push_str(&listing(&run_rule_with(&RULE, finch(publish), initial())));
        }
        insta::assert_snapshot!(out);
    }
}
