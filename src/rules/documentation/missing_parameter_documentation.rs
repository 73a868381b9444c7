//! PQ503: a parameter of a documented function has no caption or description.
use super::is_documented;
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority, Scope};

declare_rule! {
    /// ## What it checks
    /// A parameter of a documented data source function lacks `Documentation.FieldCaption` or `FieldDescription`.
    ///
    /// Only functions with some documentation are checked (PQ501 reports the others); the
    /// fields are looked for in the `meta` record of each parameter's type.
    ///
    /// ## Why it matters
    /// The invocation dialog shows the caption as the input's label and the description beside
    /// it; without them users see the raw parameter name.
    ///
    /// ## Example
    /// `type function (url as Uri.Type) as table meta [Documentation.Name = "Contoso", …]`
    ///
    /// Use instead: `url as (Uri.Type meta [Documentation.FieldCaption = "Service URL",
    /// Documentation.FieldDescription = "The address of your Contoso service"])`.
    pub(crate) static MISSING_PARAMETER_DOCUMENTATION = Rule {
        code: "PQ503",
        name: "missing-parameter-documentation",
        default_severity: Severity::Warning,
        priority: Priority::P2,
        scope: Scope::Content,
        check,
    };
}

const REQUIRED: [&str; 2] = [
    "Documentation.FieldCaption",
    "Documentation.FieldDescription",
];

fn check(cx: &mut Context<'_>) {
    for data_source in &cx.connector().data_sources {
        let Ok(shape) = &data_source.shape else {
            continue;
        };
        if !is_documented(shape) {
            continue;
        }
        for param in &shape.params {
            let missing: Vec<&str> = REQUIRED
                .into_iter()
                .filter(|name| param.metadata_field(name).is_none())
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
                    "parameter `{}` of `{}` has no {listed}",
                    param.name,
                    data_source.name()
                ))
                .primary(data_source.file, param.span)
                .help(format!(
                    "give the parameter type a `meta` record with {}",
                    missing
                        .iter()
                        .map(|name| format!("`{name}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MISSING_PARAMETER_DOCUMENTATION as RULE;
    use crate::rules::documentation::finch;
    use crate::testing::{listing, run_rule};

    /// Captioned and described parameters pass; undocumented functions are PQ501's.
    #[test]
    fn passes() {
        let documented = finch(
            "Value.ReplaceType(Impl, type function (x as (text meta [Documentation.FieldCaption = \"X\", Documentation.FieldDescription = \"The x\"])) as any meta [Documentation.Name = \"F\"])",
            "Impl = (x) => x;",
        );
        assert_eq!(listing(&run_rule(&RULE, documented)), "");
        assert_eq!(listing(&run_rule(&RULE, finch("(x) => x", ""))), "");
    }

    /// Parameters without caption, description or metadata are reported.
    #[test]
    fn missing_parameter_documentation() {
        let fail = finch(
            "Value.ReplaceType(Impl, FinchType)",
            "Impl = (x, y) => x;\nFinchType = type function (x as (text meta [Documentation.FieldCaption = \"X\"]), optional y as number) as any meta [Documentation.Name = \"F\"];",
        );
        insta::assert_snapshot!(listing(&run_rule(&RULE, fail)));
    }
}
