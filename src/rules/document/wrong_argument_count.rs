//! PQ120: a call passes more or fewer arguments than the function takes.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::library::{self, Arity, LibraryKind};
use crate::model::eval::follow::{Visit, seek, transparent};
use crate::model::eval::resolve::Definition;
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Expr, ExprKind, Function};

declare_rule! {
    /// ## What it checks
    /// A call passes more or fewer arguments than the function takes.
    ///
    /// Calls of connector functions, whose parameters are read from the function expression
    /// the name stands for (through names, parentheses, `meta` and `let`; an `each` function
    /// takes one argument), and calls of library functions, whose parameters come from the
    /// table of M's standard library and the Power Query SDK. A function whose value is
    /// computed (`Value.ReplaceType`, a branch, a call result) is not checked.
    ///
    /// ## Why it matters
    /// Such a call raises an error when it runs. Inside a `try … otherwise` it fails silently:
    /// a helper declared with four required parameters and called with three returns the
    /// fallback every time, and the feature behind it never works.
    ///
    /// ## Example
    /// `Duration.From(value, "en-US")`: `Duration.From` takes one argument.
    ///
    /// Use instead: pass the arguments the function declares, or make the extra parameters
    /// `optional`.
    pub(crate) static WRONG_ARGUMENT_COUNT = Rule {
        code: "PQ120",
        name: "wrong-argument-count",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

/// What a call's callee is known to take.
enum Callee {
    Connector {
        arity: Arity,
        declared: Option<(FileId, Span)>,
    },
    Library(Arity),
    Unknown,
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let mut found = Vec::new();
    for call in connector.calls() {
        let count = call.args.len();
        let (arity, declared, what) = match callee(&call.callee, call.name) {
            Callee::Connector { arity, declared } => (arity, declared, "the connector's"),
            Callee::Library(arity) => (arity, None, "the library's"),
            Callee::Unknown => continue,
        };
        if arity.accepts(count) {
            continue;
        }
        let takes = match (arity.required, arity.optional) {
            (required, 0) => plural(required),
            (required, optional) => format!("{required} to {} arguments", required + optional),
        };
        let span = call
            .expr
            .as_call()
            .map_or(call.expr.span, |(callee, _)| callee.span);
        let mut finding = Finding::new(format!(
            "{what} `{}` takes {takes}; this call passes {count}",
            call.name
        ))
        .primary_label(call.file, span, format!("called with {}", plural(count)));
        if let Some((file, span)) = declared {
            finding = finding.secondary(file, span, "parameters declared here");
        }
        let too_many = count > arity.required + arity.optional;
        found.push(finding.help(match (declared.is_some(), too_many) {
            (true, true) => {
                "remove the extra arguments, or add `optional` parameters to the function"
            }
            (true, false) => {
                "pass every required argument, or make the missing parameters `optional`"
            }
            (false, true) => "remove the extra arguments",
            (false, false) => "pass every required argument",
        }));
    }
    for finding in found {
        cx.report(finding);
    }
}

fn plural(count: usize) -> String {
    match count {
        1 => "1 argument".to_owned(),
        count => format!("{count} arguments"),
    }
}

/// What the called name stands for, when its parameters are known.
fn callee(definition: &Definition<'_>, name: &str) -> Callee {
    match definition {
        Definition::External => match library::lookup(name).map(|n| n.kind) {
            Some(LibraryKind::Function(Some(arity))) => Callee::Library(arity),
            _ => Callee::Unknown,
        },
        Definition::Value { expr, env, .. } => {
            let found = seek(expr, env, transparent, |expr, env| match &expr.kind {
                ExprKind::Function(function) => {
                    Visit::Found((Some(&**function), env.file(), expr.span))
                }
                ExprKind::Each(_) => Visit::Found((None, env.file(), expr.span)),
                _ => Visit::Step,
            });
            match found {
                Some((Some(function), file, _)) => Callee::Connector {
                    arity: arity_of(function),
                    declared: Some((file, params_span(function, expr))),
                },
                Some((None, file, span)) => Callee::Connector {
                    arity: Arity {
                        required: 1,
                        optional: 0,
                    },
                    declared: Some((file, span)),
                },
                None => Callee::Unknown,
            }
        }
        Definition::Param { .. } => Callee::Unknown,
    }
}

fn arity_of(function: &Function) -> Arity {
    let required = function.params.iter().filter(|p| !p.optional).count();
    Arity {
        required,
        optional: function.params.len() - required,
    }
}

/// The parameter list, or the function's value when it has no parameters.
fn params_span(function: &Function, value: &Expr) -> Span {
    match (function.params.first(), function.params.last()) {
        (Some(first), Some(last)) => Span {
            start: first.span.start,
            end: last.span.end,
        },
        _ => value.span,
    }
}

#[cfg(test)]
mod tests {
    use super::WRONG_ARGUMENT_COUNT;
    use crate::testing::{Fixture, RuleCase};

    /// Calls within the parameters pass, optional ones omitted or given, `each` with one
    /// argument, computed functions and names the table does not know; too few and too many
    /// arguments fail, for connector and library functions.
    #[test]
    fn wrong_argument_count() {
        let cases = RuleCase::new(&WRONG_ARGUMENT_COUNT)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().members(
                    r#"Get = (url as text, optional headers as record) => Web.Contents(url, [Headers = headers]);
A = Get("https://a.example");
B = Get("https://a.example", []);
Row = each _ + 1;
C = Row(1);
Typed = Value.ReplaceType((a, b) => a, type function (a as any) as any);
D = Typed(1);
E = Duration.From(1);
F = Snowflake.Databases("host", "warehouse", [], 1, 2);"#,
                ),
            ])
            .fail([Fixture::finch().members(
                r#"Page = (url as text, token as text, size as number, page as number) => Web.Contents(url);
A = try Page("https://a.example", "t", 50) otherwise null;
B = Duration.From(1, "en-US");
Row = each _ + 1;
C = Row();"#,
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
