//! PQ107: a data source function not named `Kind.FunctionName`.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A data source function is not named `K.FunctionName`, K being its own Kind.
    ///
    /// The member name must be the Kind (exact case), a dot, and a non-empty function name:
    /// `Contoso.Contents` for Kind `Contoso`; not `ContosoContents`, `contoso.Contents` or
    /// `ContosoDB.Contents`.
    ///
    /// ## Why it matters
    /// Certification requires data source functions to follow `DataSourceKind.FunctionName`,
    /// which is how users recognise them in formulas.
    ///
    /// ## Example
    /// `[DataSource.Kind = "Contoso"] shared ContosoDB.Contents = …;`
    ///
    /// Use instead: `[DataSource.Kind = "Contoso"] shared Contoso.Contents = …;`
    pub(crate) static FUNCTION_NAME_NOT_KIND_PREFIXED = Rule {
        code: "PQ107",
        name: "function-name-not-kind-prefixed",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    for data_source in cx.connector().data_sources() {
        let name = data_source.name();
        let kind = &data_source.kind;
        let function_name = name
            .strip_prefix(kind.as_str())
            .and_then(|rest| rest.strip_prefix('.'));
        if function_name.is_some_and(|f| !f.is_empty()) {
            continue;
        }
        let differs_in_case = name
            .get(..kind.len())
            .is_some_and(|prefix| prefix != kind && prefix.eq_ignore_ascii_case(kind))
            && name.as_bytes().get(kind.len()) == Some(&b'.');
        let message = if differs_in_case {
            format!(
                "data source function `{name}` does not start with its Kind `{kind}` in the same letter case"
            )
        } else if function_name == Some("") {
            format!("data source function `{name}` has no function name after `{kind}.`")
        } else {
            format!(
                "data source function `{name}` is not named `{kind}.<FunctionName>` after its Kind"
            )
        };
        cx.report(
            Finding::new(message)
                .primary(data_source.file, data_source.member.name.span)
                .secondary(
                    data_source.file,
                    super::kind_value_span(data_source),
                    "Kind set here",
                )
                .help(format!("rename it `{}`", suggestion(name, kind))),
        );
    }
}

/// The name the function should probably have: the Kind, a dot, and what follows the
/// author's own prefix.
fn suggestion(name: &str, kind: &str) -> String {
    let function_name = match name.split_once('.') {
        Some((_, rest)) if !rest.is_empty() => rest.to_owned(),
        Some(_) => "Contents".to_owned(),
        None => match name.get(..kind.len()) {
            Some(prefix) if prefix.eq_ignore_ascii_case(kind) && name.len() > kind.len() => {
                name.get(kind.len()..).unwrap_or("Contents").to_owned()
            }
            _ => "Contents".to_owned(),
        },
    };
    format!("{kind}.{function_name}")
}

#[cfg(test)]
mod tests {
    use super::{FUNCTION_NAME_NOT_KIND_PREFIXED, suggestion};
    use crate::testing::{Fixture, RuleCase};

    /// Suggestions keep the author's function name.
    #[test]
    fn suggestions() {
        assert_eq!(suggestion("WrenDB.Feed", "Wren"), "Wren.Feed");
        assert_eq!(suggestion("WrenContents", "Wren"), "Wren.Contents");
        assert_eq!(suggestion("Other", "Wren"), "Wren.Contents");
        assert_eq!(suggestion("wren.Tables", "Wren"), "Wren.Tables");
    }

    /// Finch's data source function named `name`.
    fn named(name: &str) -> Fixture {
        Fixture::finch().replace("shared Finch.Contents", &format!("shared {name}"))
    }

    /// `Finch.Contents` and `Finch.Data.Contents` pass; other prefixes, case and a missing dot
    /// fail.
    #[test]
    fn function_name_not_kind_prefixed() {
        let cases = RuleCase::new(&FUNCTION_NAME_NOT_KIND_PREFIXED)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                named("Finch.Data.Contents"),
            ])
            .fail([
                named("FinchDB.Contents"),
                named("FinchContents"),
                named("finch.Contents"),
                named("#\"Finch.\""),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
