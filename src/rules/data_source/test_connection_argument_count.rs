//! PQ213: `TestConnection` passes a wrong number of arguments to the function it names.
use super::{computed_message, kind_records, test_connection_results};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::test_connection::HandlerResult;
use crate::model::eval::resolve::{Computed, Resolved};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// The list `TestConnection` returns holds too few or too many arguments for the function it names.
    ///
    /// With R required and N total parameters in the named data source function, the list
    /// holds between R and N items after the name; none when the function has no required
    /// parameters. A function whose parameters cannot be resolved, or a list joined with a
    /// computed one (`{ "Contoso.Contents" } & ParseResourcePath(path)`), is reported at info.
    ///
    /// ## Why it matters
    /// The gateway calls the function with exactly these arguments; a wrong count makes every
    /// credential test fail.
    ///
    /// ## Example
    /// `TestConnection = (dataSourcePath) => { "Contoso.Contents" }` for
    /// `Contoso.Contents = (server as text, optional options as record) => …`.
    ///
    /// Use instead: `TestConnection = (dataSourcePath) => { "Contoso.Contents", dataSourcePath }`
    pub(crate) static TEST_CONNECTION_ARGUMENT_COUNT = Rule {
        code: "PQ213",
        name: "test-connection-argument-count",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for kind in kind_records(connector) {
        for result in test_connection_results(connector, kind).unwrap_or_default() {
            let HandlerResult::List {
                items,
                env,
                span,
                file,
                complete,
            } = result
            else {
                continue;
            };
            let Some((first, arguments)) = items.split_first() else {
                continue;
            };
            let Resolved::Text(name) = connector.resolver.resolve(first, &env) else {
                continue;
            };
            let Some(data_source) = kind.data_sources(connector).find(|d| d.name() == name) else {
                continue;
            };
            let shape = match &data_source.shape {
                Ok(shape) => shape,
                Err(computed) => {
                    cx.report_review(
                        Finding::new(computed_message(
                            &format!("the parameter list of `{name}`"),
                            computed,
                        ))
                        .primary(file, span),
                    );
                    continue;
                }
            };
            if !complete {
                let computed = Computed {
                    span,
                    reason: "the list is joined with a computed one".into(),
                };
                cx.report_review(
                    Finding::new(computed_message(
                        &format!(
                            "the number of arguments `TestConnection` of `{}` passes",
                            kind.name
                        ),
                        &computed,
                    ))
                    .primary(file, span),
                );
                continue;
            }
            let required = shape.required().count();
            let total = shape.params.len();
            let given = arguments.len();
            let fits = if required == 0 {
                given == 0
            } else {
                (required..=total).contains(&given)
            };
            if fits {
                continue;
            }
            let expected = match (required, total) {
                (0, _) => "none, as it has no required parameters".to_owned(),
                (r, n) if r == n => format!("{r}"),
                (r, n) => format!("{r} to {n}"),
            };
            cx.report(
                Finding::new(format!(
                    "`TestConnection` of `{}` passes {given} argument{} to `{name}`, which expects {expected}",
                    kind.name,
                    if given == 1 { "" } else { "s" }
                ))
                .primary(file, span)
                .secondary(data_source.file, data_source.member.name.span, format!("`{name}` {}", shape.signature()))
                .help(format!("list {expected} argument values after the function name, usually the data source path")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TEST_CONNECTION_ARGUMENT_COUNT;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose data source function is `function`, with `TestConnection = test_connection`.
    fn test_connection(function: &str, test_connection: &str) -> Fixture {
        Fixture::finch().set("Finch.Contents", function).replace(
            "Finch = [",
            &format!("Finch = [TestConnection = {test_connection}, "),
        )
    }

    /// Counts between R and N pass (none for no required parameters); others fail; computed
    /// parameter lists and argument lists are info.
    #[test]
    fn test_connection_argument_count() {
        let cases = RuleCase::new(&TEST_CONNECTION_ARGUMENT_COUNT)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                test_connection("(url as text) => url", "(p) => {\"Finch.Contents\", p}"),
                test_connection(
                    "(a, b, optional c) => a",
                    "(p) => {\"Finch.Contents\", p, 1, 2}",
                ),
                test_connection(
                    "(optional message as text) => 1",
                    "(p) => {\"Finch.Contents\"}",
                ),
                test_connection("() => 1", "(p) => {\"Finch.Contents\"}"),
                test_connection("(a, b) => a", "(p) => {\"Finch.Contents\"} & {p} & {1}"),
            ])
            .fail([
                test_connection("(url as text) => url", "(p) => {\"Finch.Contents\"}"),
                test_connection(
                    "(a, b, optional c) => a",
                    "(p) => {\"Finch.Contents\", p, 1, 2, 3}",
                ),
                test_connection(
                    "(optional message as text) => 1",
                    "(p) => {\"Finch.Contents\", p}",
                ),
                test_connection("Other", "(p) => {\"Finch.Contents\", p}"),
                test_connection(
                    "(url as text) => url",
                    "(p) => {\"Finch.Contents\"} & Text.Split(p, \";\")",
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
