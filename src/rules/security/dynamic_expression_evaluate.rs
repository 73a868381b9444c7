//! PQ707: `Expression.Evaluate` runs code that does not come from the package.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::Connector;
use crate::model::eval::resolve::{Env, Resolved, call_of};
use crate::model::eval::walk::walk;
use crate::model::flow::requests::REQUEST_FUNCTIONS;
use crate::model::flow::{Flow, OriginKind};
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::ast::Expr;

declare_rule! {
    /// ## What it checks
    /// `Expression.Evaluate` evaluates text that is neither a literal nor a module of the package.
    ///
    /// The first argument of each `Expression.Evaluate` call must be literal text (through
    /// names, `&` of literals and `Extension.LoadString`) or a module load:
    /// `Text.FromBinary(Extension.Contents(x))` with `x` literal, possibly through variables and
    /// `try`, or through the parameter of a loader such as `Extension.LoadFunction` called with
    /// literal names. Anything else is reported: a data source function parameter, a request
    /// result, a concatenation with computed parts. A helper parameter is checked at each call;
    /// a module name that is computed, or a parameter of a function that is only passed as a
    /// value, is reported at `info`.
    ///
    /// ## Why it matters
    /// Code built from user input or downloaded from the web would run with the connector's
    /// rights and credentials; certification rejects it.
    ///
    /// ## Example
    /// `Expression.Evaluate(Text.FromBinary(Web.Contents(scriptUrl)), #shared)`.
    ///
    /// Use instead: ship the code as a module and load it with a literal name,
    /// `Expression.Evaluate(Text.FromBinary(Extension.Contents("Helpers.pqm")), #shared)`.
    pub(crate) static DYNAMIC_EXPRESSION_EVALUATE = Rule {
        code: "PQ707",
        name: "dynamic-expression-evaluate",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

/// Call sites of a helper parameter checked before the rule gives up.
const MAX_CALL_SITES: usize = 64;

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let flow = cx.flow();
    for call in connector.library_calls("Expression.Evaluate") {
        let Some(code) = call.args.first() else {
            continue;
        };
        let evaluate = (call.file, call.expr.span);
        match connector.resolver.resolve(code, &call.env) {
            Resolved::Param { function, index } => {
                let calls = connector.calls_of(function);
                let from_data_source = || {
                    flow.value_sources(code, &call.env, call.file)
                        .origins
                        .iter()
                        .any(|o| matches!(o.kind, OriginKind::DataSourceParam { .. }))
                };
                if calls.is_empty() && from_data_source() {
                    check_code(cx, flow, code, &call.env, call.file, evaluate);
                    continue;
                }
                if calls.is_empty() {
                    cx.report_review(
                        Finding::new("could not be checked statically: the code is a parameter of a function that is only passed as a value")
                            .primary_label(call.file, code.span, "evaluated code"),
                    );
                    continue;
                }
                for site in calls.into_iter().take(MAX_CALL_SITES) {
                    if let Some(arg) = site.args.get(index) {
                        check_code(cx, flow, arg, &site.env, site.file, evaluate);
                    }
                }
            }
            _ => check_code(cx, flow, code, &call.env, call.file, evaluate),
        }
    }
}

/// Reports `code` unless it is literal text or a module load.
fn check_code<'a>(
    cx: &mut Context<'_>,
    flow: &Flow<'_, 'a>,
    code: &'a Expr,
    env: &Env<'a>,
    file: FileId,
    evaluate: (FileId, Span),
) {
    let connector: &Connector<'a> = flow.connector;
    let literal = connector.resolver.text(code, env);
    if literal.is_ok() {
        return;
    }
    if let Some(targets) = connector.module_targets(code, env) {
        for (target, target_file, span) in targets {
            // A loader that is never called loads nothing.
            if let Err(computed) = target
                && !computed.reason.contains("never called")
            {
                cx.report_review(
                    Finding::new(format!(
                        "could not be checked statically: the module name is computed ({})",
                        computed.reason
                    ))
                    .primary_label(target_file, span, "module name")
                    .secondary(evaluate.0, evaluate.1, "evaluated here"),
                );
            }
        }
        return;
    }
    let trace = flow.value_sources(code, env, file);
    let from_parameter = trace.origins.iter().find_map(|o| match &o.kind {
        OriginKind::DataSourceParam {
            data_source, name, ..
        } => Some(format!(
            "it comes from parameter `{name}` of data source function `{}`",
            connector
                .data_sources()
                .get(*data_source)
                .map_or("", |d| d.name())
        )),
        _ => None,
    });
    let reason = from_parameter
        .or_else(|| downloaded_by(code, env, file))
        .unwrap_or_else(|| match literal {
            Err(computed) => computed.reason,
            Ok(_) => String::new(),
        });
    let mut finding = Finding::new(format!(
        "`Expression.Evaluate` runs code that is neither literal text nor a module of the package: {reason}"
    ))
    .primary_label(file, code.span, "evaluated code");
    if (file, code.span) != evaluate && !(file == evaluate.0 && contains(evaluate.1, code.span)) {
        finding = finding.secondary(evaluate.0, evaluate.1, "evaluated here");
    }
    cx.report(finding.help(
        "ship the code as a module and load it with a literal name: `Expression.Evaluate(Text.FromBinary(Extension.Contents(\"Module.pqm\")), #shared)`",
    ));
}

/// "it is downloaded by `Web.Contents`" when a request call is written inside `code`.
fn downloaded_by<'a>(code: &'a Expr, env: &Env<'a>, file: FileId) -> Option<String> {
    let mut found = None;
    walk(code, env, file, &mut |expr, env| {
        if found.is_none()
            && let Some((name, _)) = call_of(expr)
            && REQUEST_FUNCTIONS.contains(&name)
            && env.lookup(name).is_external()
        {
            found = Some(format!("it is downloaded by `{name}`"));
        }
    });
    found
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

#[cfg(test)]
mod tests {
    use super::DYNAMIC_EXPRESSION_EVALUATE;
    use crate::testing::{Fixture, RuleCase};

    /// Literal code and module loads (directly, through `try`, through a loader called with
    /// literal names) pass; code from a data source parameter, from a web request, from a
    /// concatenation, and a loader called with a computed name fail (the last at info).
    #[test]
    fn dynamic_expression_evaluate() {
        let cases = RuleCase::new(&DYNAMIC_EXPRESSION_EVALUATE)
            .pass([
                Fixture::kestrel(),
                Fixture::finch()
                    .members(
                        r#"Two = Expression.Evaluate("1 + 1");
Direct = try Expression.Evaluate(Text.FromBinary(Extension.Contents("A.pqm")), #shared) otherwise null;
Extension.LoadFunction = (name as text) =>
    let binary = Extension.Contents(name), asText = Text.FromBinary(binary)
    in try Expression.Evaluate(asText, #shared) catch (e) => error e;
B = Extension.LoadFunction("B.pqm");"#,
                    )
                    .entry("A.pqm", b"1")
                    .entry("B.pqm", b"2"),
            ])
            .fail([Fixture::finch()
                .set(
                    "Finch.Contents",
                    "(formula as text) => Expression.Evaluate(formula, #shared)",
                )
                .members(
                    r#"Remote = Expression.Evaluate(Text.FromBinary(Web.Contents("https://contoso.example/code.m")));
Built = (column) => Expression.Evaluate("each [" & column & "]");
Run = (code) => Expression.Evaluate(code, #shared);
Ran = Run(Text.Upper("x"));
Extension.LoadFunction = (name as text) =>
    Expression.Evaluate(Text.FromBinary(Extension.Contents(name)), #shared);
C = Extension.LoadFunction(Text.Lower("C.pqm"));"#,
                )]);
        insta::assert_snapshot!(cases.run());
    }
}
