//! PQ501: a data source function has no documentation metadata.
use super::is_documented;
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A data source function has no documentation metadata at all.
    ///
    /// Its shape (through names, `let` results and `Value.ReplaceType(f, t)`) is not ascribed
    /// a `type function (…)` with `Value.ReplaceType`, or neither that function type nor any
    /// parameter type has `meta` with a `Documentation.*` field. A shape that cannot be
    /// followed statically is reported at info.
    ///
    /// ## Why it matters
    /// Certification requires function documentation: Get Data and the function invocation
    /// dialog show its name, description and parameter captions, and without it users see raw
    /// parameter names.
    ///
    /// ## Example
    /// `shared Contoso.Contents = (url as text) => …;`
    ///
    /// Use instead: `shared Contoso.Contents = Value.ReplaceType(ContosoImpl, ContosoType);` with
    /// `ContosoType = type function (url as (Uri.Type meta [Documentation.FieldCaption = "URL"]))
    /// as table meta [Documentation.Name = "Contoso", Documentation.LongDescription = "…"];`.
    pub(crate) static MISSING_FUNCTION_DOCUMENTATION = Rule {
        code: "PQ501",
        name: "missing-function-documentation",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

const HELP: &str = "ascribe a documented function type: `Value.ReplaceType(Impl, type function (…) meta [Documentation.Name = …, Documentation.LongDescription = …])`";

fn check(cx: &mut Context<'_>) {
    for data_source in cx.connector().data_sources() {
        let name = data_source.name();
        let at = (data_source.file, data_source.member.name.span);
        match &data_source.shape {
            Err(computed) => cx.report_review(
                Finding::new(format!(
                    "could not be checked statically: the function type of `{name}` ({})",
                    computed.reason
                ))
                .primary(at.0, at.1)
                .secondary(data_source.file, computed.span, "computed here"),
            ),
            Ok(shape) if !shape.ascribed => cx.report(
                Finding::new(format!(
                    "data source function `{name}` has no documentation metadata"
                ))
                .primary(at.0, at.1)
                .help(HELP),
            ),
            Ok(shape) if !is_documented(shape) => cx.report(
                Finding::new(format!(
                    "the function type of `{name}` has no `Documentation.*` metadata"
                ))
                .primary(at.0, at.1)
                .secondary(data_source.file, shape.span, "function type declared here")
                .help(HELP),
            ),
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MISSING_FUNCTION_DOCUMENTATION as RULE;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose data source function is `function`.
    fn function(function: &str) -> Fixture {
        Fixture::finch().set("Finch.Contents", function)
    }

    /// Documentation on the function type or on a parameter type is enough; a plain
    /// function and an undocumented type are reported; a computed type is info.
    #[test]
    fn missing_function_documentation() {
        let cases = RuleCase::new(&RULE)
            .pass([
                Fixture::kestrel(),
                function("Value.ReplaceType(Impl, FinchType)").members(
                    "Impl = () => 1; FinchType = type function () as number meta [Documentation.Name = \"Finch\"];",
                ),
                function(
                    "Value.ReplaceType((x) => x, type function (x as (text meta [Documentation.FieldCaption = \"X\"])) as any)",
                ),
            ])
            .fail([
                function("(optional message as text) => message"),
                function("Value.ReplaceType(Impl, type function (x as text) as any)")
                    .members("Impl = (x) => x;"),
                function("Value.ReplaceType(Impl, Type.ForFunction([], 0))")
                    .members("Impl = () => 1;"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
