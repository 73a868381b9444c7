//! PQ502: the function documentation lacks its title or description.
use super::is_documented;
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A documented data source function's type lacks `Documentation.Name` or `Documentation.LongDescription`.
    ///
    /// Only functions with some documentation are checked (PQ501 reports the others); the
    /// fields are looked for in the `meta` record of the function type.
    ///
    /// ## Why it matters
    /// `Documentation.Name` is the title of the function invocation dialog and
    /// `Documentation.LongDescription` the description shown under it.
    ///
    /// ## Example
    /// `type function (url as Uri.Type) as table meta [Documentation.Name = "Contoso"]`
    ///
    /// Use instead: add `Documentation.LongDescription = Extension.LoadString("Description")`.
    pub(crate) static INCOMPLETE_FUNCTION_DOCUMENTATION = Rule {
        code: "PQ502",
        name: "incomplete-function-documentation",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

const REQUIRED: [&str; 2] = ["Documentation.Name", "Documentation.LongDescription"];

fn check(cx: &mut Context<'_>) {
    for data_source in cx.connector().data_sources() {
        let Ok(shape) = &data_source.shape else {
            continue;
        };
        if !is_documented(shape) {
            continue;
        }
        let missing: Vec<&str> = REQUIRED
            .into_iter()
            .filter(|name| shape.metadata_field(name).is_none())
            .collect();
        if missing.is_empty() {
            continue;
        }
        let listed = missing
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        cx.report(
            Finding::new(format!(
                "the function type of `{}` has no {listed}",
                data_source.name()
            ))
            .primary(data_source.file, data_source.member.name.span)
            .secondary(data_source.file, shape.span, "function type declared here")
            .help(format!(
                "add {} to the function type's `meta` record",
                missing
                    .iter()
                    .map(|name| format!("`{name} = Extension.LoadString(\"…\")`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::INCOMPLETE_FUNCTION_DOCUMENTATION as RULE;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose data source function is `Impl` (defined as `implementation`) with the
    /// function type `function_type`.
    fn typed(function_type: &str, implementation: &str) -> Fixture {
        Fixture::finch()
            .set(
                "Finch.Contents",
                &format!("Value.ReplaceType(Impl, {function_type})"),
            )
            .members(&format!("Impl = {implementation};"))
    }

    /// Name and description pass; undocumented functions (Finch's) are PQ501's. A missing
    /// description, or both fields missing beside parameter docs, are reported.
    #[test]
    fn incomplete_function_documentation() {
        let cases = RuleCase::new(&RULE)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                typed(
                    "type function () as any meta [Documentation.Name = \"F\", Documentation.LongDescription = \"F data\"]",
                    "() => 1",
                ),
            ])
            .fail([
                typed(
                    "type function () as any meta [Documentation.Name = \"F\"]",
                    "() => 1",
                ),
                typed(
                    "type function (x as (text meta [Documentation.FieldCaption = \"X\"])) as any",
                    "(x) => x",
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
