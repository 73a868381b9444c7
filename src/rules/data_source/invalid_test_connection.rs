//! PQ212: a `TestConnection` handler that does not name a data source function of its Kind.
use super::{computed_message, kind_records, nearest, test_connection_results};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::kind::{HandlerValue, handler_value};
use crate::model::connector::test_connection::HandlerResult;
use crate::model::connector::{Connector, KindRecord, find_member};
use crate::model::eval::resolve::{Computed, Env, Resolved};
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::ast::Expr;

declare_rule! {
    /// ## What it checks
    /// `TestConnection` does not return `{ "Kind.Function", args… }` naming a data source function of its Kind.
    ///
    /// `TestConnection` must be a one-parameter function (it receives the data source path)
    /// whose result, through `let … in` and every branch of an `if`, is a list expression whose
    /// first item is literal text naming a section member that exists, is `shared` and has
    /// this Kind's `DataSource.Kind` attribute. Lists joined with `&`
    /// (`{ "Contoso.Contents" } & ParseResourcePath(path)`) are checked by their first list.
    /// Computed results are reported at info.
    ///
    /// ## Why it matters
    /// The gateway and the service call the named function with the listed arguments to test
    /// saved credentials; a wrong name or shape makes every credential test fail.
    ///
    /// ## Example
    /// `TestConnection = (dataSourcePath) => "Contoso.Contents"`
    ///
    /// Use instead: `TestConnection = (dataSourcePath) => { "Contoso.Contents", dataSourcePath }`
    pub(crate) static INVALID_TEST_CONNECTION = Rule {
        code: "PQ212",
        name: "invalid-test-connection",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for kind in kind_records(connector) {
        let Some((field, env)) = kind.field("TestConnection") else {
            continue;
        };
        let file = kind.file();
        let what = format!("`TestConnection` of `{}`", kind.name);
        match handler_value(connector, &field.value, &env) {
            HandlerValue::NotAFunction(value) => {
                cx.report(
                    Finding::new(format!("{what} is {value}, not a function"))
                        .primary(file, field.value.span)
                        .help("make it a function of the data source path that returns `{ \"Kind.Function\", arguments… }`"),
                );
                continue;
            }
            HandlerValue::Computed(computed) => {
                cx.report_review(
                    Finding::new(computed_message(&what, &computed))
                        .primary(file, field.value.span),
                );
                continue;
            }
            HandlerValue::Callable(callable) if callable.arity() != 1 => {
                cx.report(
                    Finding::new(format!(
                        "{what} takes {} parameters; it must take one, the data source path",
                        callable.arity()
                    ))
                    .primary(callable.file(), callable.params_span(field.value.span))
                    .help("declare exactly one parameter, such as `(dataSourcePath) => …`"),
                );
                continue;
            }
            HandlerValue::Callable(_) => {}
        }
        for result in test_connection_results(connector, kind).unwrap_or_default() {
            check_result(cx, kind, &what, result);
        }
    }
}

fn check_result<'a>(
    cx: &mut Context<'a>,
    kind: &KindRecord<'a>,
    what: &str,
    result: HandlerResult<'a>,
) {
    let connector = cx.connector();
    match result {
        HandlerResult::NotAList { what: value, span, file } => cx.report(
            Finding::new(format!("{what} returns {value}, not a list"))
                .primary(file, span)
                .help(format!(
                    "return a list whose first item names a data source function: `{{ \"{}\", … }}`",
                    example_name(connector, kind)
                )),
        ),
        HandlerResult::Computed(computed, file) => cx.report_review(
            Finding::new(computed_message(&format!("the result of {what}"), &computed))
                .primary(file, computed.span),
        ),
        HandlerResult::List {
            items,
            env,
            span,
            file,
            complete,
        } => {
            let Some(first) = items.first() else {
                if !complete {
                    let computed = Computed {
                        span,
                        reason: "an empty list joined with a computed one".into(),
                    };
                    cx.report_review(
                        Finding::new(computed_message(&format!("the result of {what}"), &computed))
                            .primary(file, span),
                    );
                    return;
                }
                cx.report(
                    Finding::new(format!("{what} returns an empty list"))
                        .primary(file, span)
                        .help(format!(
                            "put the name of a data source function first: `{{ \"{}\", … }}`",
                            example_name(connector, kind)
                        )),
                );
                return;
            };
            check_first_item(cx, kind, what, first, &env, file);
        }
    }
}

fn check_first_item<'a>(
    cx: &mut Context<'a>,
    kind: &KindRecord<'a>,
    what: &str,
    first: &'a Expr,
    env: &Env<'a>,
    file: FileId,
) {
    let connector = cx.connector();
    let name = match connector.resolver.resolve(first, env) {
        Resolved::Text(name) => name,
        Resolved::Computed(computed) => {
            let computed = Computed {
                span: first.span,
                ..computed
            };
            cx.report_review(
                Finding::new(computed_message(
                    &format!("the function named by {what}"),
                    &computed,
                ))
                .primary(file, first.span),
            );
            return;
        }
        Resolved::Param { .. } => {
            let computed = Computed {
                span: first.span,
                reason: "a function parameter".into(),
            };
            cx.report_review(
                Finding::new(computed_message(
                    &format!("the function named by {what}"),
                    &computed,
                ))
                .primary(file, first.span),
            );
            return;
        }
        other => {
            cx.report(
                Finding::new(format!(
                    "the first item returned by {what} is {}, not the name of a function",
                    other.describe()
                ))
                .primary(file, first.span)
                .help(format!(
                    "put the function name first, as text: `\"{}\"`",
                    example_name(connector, kind)
                )),
            );
            return;
        }
    };
    if let Some(problem) = name_problem(connector, kind, &name) {
        let mut finding =
            Finding::new(format!("{what} names `{name}`, {problem}")).primary(file, first.span);
        finding = match suggestion(connector, kind, &name) {
            Some(suggestion) => finding.help(format!(
                "name `{suggestion}`, a data source function of `{}`",
                kind.name
            )),
            None => finding.help(format!(
                "name a shared data source function of `{}`",
                kind.name
            )),
        };
        if let Some((member_file, member_span)) = member_location(connector, &name) {
            finding = finding.secondary(member_file, member_span, "declared here");
        }
        cx.report(finding);
    }
}

/// Why `name` is not a data source function of `kind`, or `None` when it is.
fn name_problem(connector: &Connector<'_>, kind: &KindRecord<'_>, name: &str) -> Option<String> {
    if let Some(data_source) = connector.data_sources().iter().find(|d| d.name() == name) {
        return (data_source.kind != kind.name).then(|| {
            format!(
                "a data source function of `{}`, not of `{}`",
                data_source.kind, kind.name
            )
        });
    }
    let section = connector.section.as_ref()?;
    Some(match find_member(section.document, name) {
        None => "which is not a member of the section".to_owned(),
        Some(member) if member.shared.is_none() => "which is not `shared`".to_owned(),
        Some(_) => format!(
            "which has no `DataSource.Kind = \"{}\"` attribute",
            kind.name
        ),
    })
}

fn member_location(connector: &Connector<'_>, name: &str) -> Option<(FileId, Span)> {
    let section = connector.section.as_ref()?;
    find_member(section.document, name).map(|m| (section.file, m.name.span))
}

/// The data source function of `kind` whose name is closest to `name`.
fn suggestion<'a>(connector: &Connector<'a>, kind: &KindRecord<'a>, name: &str) -> Option<String> {
    let names: Vec<&str> = kind.data_sources(connector).map(|d| d.name()).collect();
    nearest(name, &names, 3)
        .or_else(|| names.first().copied().filter(|_| names.len() == 1))
        .map(str::to_owned)
}

fn example_name<'a>(connector: &Connector<'a>, kind: &KindRecord<'a>) -> String {
    kind.data_sources(connector).next().map_or_else(
        || format!("{}.Contents", kind.name),
        |d| d.name().to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::INVALID_TEST_CONNECTION;
    use crate::testing::{Fixture, RuleCase};

    /// A second data source kind `Other`, helpers named by the handlers, and a name held in a
    /// member.
    const MEMBERS: &str = "[DataSource.Kind = \"Other\"]\nshared Other.Contents = () => 1;\nFinch.Helper = () => 1;\nshared Finch.Shared = () => 1;\nName = \"Finch.Contents\";\nOther = [TestConnection = (p) => {\"Other.Contents\"}];";

    /// Finch taking a path, with these members and `TestConnection = test_connection`.
    fn test_connection(test_connection: &str) -> Fixture {
        Fixture::finch()
            .replace(
                "Finch = [",
                &format!("Finch = [TestConnection = {test_connection}, "),
            )
            .set("Finch.Contents", "(url) => url")
            .members(MEMBERS)
    }

    /// Literal names of this Kind's functions pass, through `let`, `if` and names; other
    /// values, wrong arity and names of other members fail; computed results are info.
    #[test]
    fn invalid_test_connection() {
        let cases = RuleCase::new(&INVALID_TEST_CONNECTION)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                test_connection("(dataSourcePath) => {\"Finch.Contents\", dataSourcePath}"),
                test_connection(
                    "(p) => let json = Json.Document(p), url = json[url] in if url = null then {Name, \"x\"} else {\"Finch.Contents\", url}",
                ),
                test_connection("each {\"Finch.Contents\", _}"),
                test_connection(
                    "(p) => if p = null then error \"no path\" else {\"Finch.Contents\", p}",
                ),
                test_connection("(p) => {\"Finch.Contents\"} & Text.Split(p, \";\")"),
            ])
            .fail([
                test_connection("\"Finch.Contents\""),
                test_connection("(a, b) => {\"Finch.Contents\"}"),
                test_connection("(p) => \"Finch.Contents\""),
                test_connection("(p) => {}"),
                test_connection("(p) => {1}"),
                test_connection(
                    "(p) => if p then {\"Finch.Contnets\"} else {\"Other.Contents\"}",
                ),
                test_connection("(p) => {\"Finch.Helper\"}"),
                test_connection("(p) => {\"Finch.Shared\"}"),
                test_connection("(p) => Helper(p)"),
                test_connection("(p) => {Text.Combine({\"Finch\", \"Contents\"}, \".\")}"),
                test_connection("GetHandler()"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
