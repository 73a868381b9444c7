//! PQ110: data source functions of one Kind with different path parameters.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::params::path_parameters;
use crate::model::connector::{DataSourceFunction, ParamInfo};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// Data source functions of one Kind do not share the same path parameters.
    ///
    /// For each Kind with several data source functions, their path parameters (required, and
    /// not marked `DataSource.Path = false` in their type metadata) must agree in count, name,
    /// declared type as written (an untyped parameter is `any`) and order. Each function is
    /// compared with the first function of its Kind. A function whose parameters cannot be
    /// determined statically is reported at `info`. A Kind whose record says
    /// `Type = "Singleton"` is exempt: its credentials are keyed by the Kind alone.
    ///
    /// ## Why it matters
    /// Credentials are stored per Kind and path parameter values; functions of one Kind with
    /// different paths ask for and store credentials inconsistently.
    ///
    /// ## Example
    /// `Contoso.Contents = (url as text) => …` and `Contoso.Tables = (server as text,
    /// database as text) => …`, both of Kind `Contoso`.
    ///
    /// Use instead: give both the same required parameters, make the extra ones `optional`,
    /// or mark them `DataSource.Path = false` in the function type.
    pub(crate) static INCONSISTENT_REQUIRED_PARAMETERS = Rule {
        code: "PQ110",
        name: "inconsistent-required-parameters",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for kind in connector.kinds() {
        let functions: Vec<&DataSourceFunction<'_>> =
            connector.data_sources_of_kind(&kind.name).collect();
        // A singleton's credentials are keyed by the Kind alone: parameters may differ.
        if functions.len() < 2 || kind.is_singleton(&connector.resolver) {
            continue;
        }
        let mut reference: Option<(&DataSourceFunction<'_>, Vec<&ParamInfo<'_>>)> = None;
        for function in functions {
            let path = match function.shape.as_ref() {
                Ok(shape) => path_parameters(shape, &connector.resolver),
                Err(computed) => Err(computed.clone()),
            };
            let path = match path {
                Ok(path) => path,
                Err(computed) => {
                    cx.report_review(
                        Finding::new(format!(
                            "could not be checked statically: the parameters of `{}` ({})",
                            function.name(),
                            computed.reason
                        ))
                        .primary(function.file, function.member.name.span),
                    );
                    continue;
                }
            };
            let Some((first, first_path)) = &reference else {
                reference = Some((function, path));
                continue;
            };
            let Some(index) = first_difference(first_path, &path) else {
                continue;
            };
            let span = path
                .get(index)
                .map_or(function.member.name.span, |param| param.span);
            cx.report(
                Finding::new(format!(
                    "path parameters of `{}` {} differ from those of `{}` {}, both of Kind `{}`",
                    function.name(),
                    describe(&path),
                    first.name(),
                    describe(first_path),
                    kind.name
                ))
                .primary(function.file, span)
                .secondary(first.file, first.member.name.span, "compared with this function")
                .help("give every data source function of a Kind the same required parameters (name, type and order); make others `optional` or mark them `DataSource.Path = false`")
                .note("credentials are stored per Kind and path parameter values"),
            );
        }
    }
}

/// The first position where two parameter lists differ in name or type.
fn first_difference(left: &[&ParamInfo<'_>], right: &[&ParamInfo<'_>]) -> Option<usize> {
    let common = left.len().min(right.len());
    (0..common)
        .find(|&i| {
            left.get(i).map(|p| (&p.name, &p.type_name))
                != right.get(i).map(|p| (&p.name, &p.type_name))
        })
        .or_else(|| (left.len() != right.len()).then_some(common))
}

fn describe(params: &[&ParamInfo<'_>]) -> String {
    let list: Vec<String> = params
        .iter()
        .map(|p| format!("{} as {}", p.name, p.type_name))
        .collect();
    format!("`({})`", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::INCONSISTENT_REQUIRED_PARAMETERS;
    use crate::testing::{Fixture, RuleCase};

    /// Finch with `Finch.Contents = first` and a second data source function
    /// `Finch.Tables = second`.
    fn two(first: &str, second: &str) -> Fixture {
        Fixture::finch().set("Finch.Contents", first).members(&format!(
            "[DataSource.Kind = \"Finch\"]\nshared Finch.Tables = {second};\nT = type function (url as text, top as (type number meta [DataSource.Path = false])) as table;"
        ))
    }

    /// Equal paths pass, also when optional and `DataSource.Path = false` parameters differ,
    /// and any paths of a singleton Kind; other names, types, counts and orders fail; a computed shape is info.
    #[test]
    fn inconsistent_required_parameters() {
        let cases = RuleCase::new(&INCONSISTENT_REQUIRED_PARAMETERS)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                two(
                    "(url as text) => 1",
                    "(url as text, optional top as number) => 2",
                ),
                two("(url as text) => 1", "Value.ReplaceType((u, t) => 2, T)"),
                // A singleton's credentials do not depend on the parameters.
                two("(url as text) => 1", "(address as text) => 2").set(
                    "Finch",
                    r#"[Type = "Singleton", Authentication = [Anonymous = []], Label = "Finch"]"#,
                ),
            ])
            .fail([
                two("(url as text) => 1", "(address as text) => 2"),
                two("(url as text) => 1", "(url) => 2"),
                two("(url as text) => 1", "(url as text, db as text) => 2"),
                two("(a, b) => 1", "(b, a) => 2"),
                two(
                    "(url as text) => 1",
                    "Function.From(type function () as any, (l) => l)",
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
