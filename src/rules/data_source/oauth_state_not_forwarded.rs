//! PQ204: `StartLogin` ignores its `state` parameter.
use super::{auth_kinds, computed_message};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::kind::{Callable, HandlerValue, handler_value};
use crate::model::eval::resolve::Definition;
use crate::model::eval::walk::walk;
use crate::rules::{Context, Priority};
use crate::syntax::ast::ExprKind;

declare_rule! {
    /// ## What it checks
    /// The `state` parameter of an OAuth `StartLogin` handler is never used in its body.
    ///
    /// `state` is the second of three parameters (`(resourceUrl, state, display)`) or the
    /// third of four (`(clientApplication, dataSourcePath, state, display)`). Handlers are
    /// followed through names, record fields and modules loaded by literal name; one that
    /// cannot be resolved to a function expression is reported at info.
    ///
    /// ## Why it matters
    /// The service matches the sign-in answer to the request through `state`; if it does not
    /// reach the authorize URL, sign-in works in Desktop but fails in the Power BI service.
    ///
    /// ## Example
    /// `StartLogin = (resourceUrl, state, display) => [ LoginUri = AuthorizeUrl & "?" &
    /// Uri.BuildQueryString([client_id = ClientId]), … ]`
    ///
    /// Use instead: include `state = state` in the authorize query.
    pub(crate) static OAUTH_STATE_NOT_FORWARDED = Rule {
        code: "PQ204",
        name: "oauth-state-not-forwarded",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for (kind, auth) in auth_kinds(connector, "OAuth") {
        let Some((field, env)) = auth.handler("StartLogin") else {
            continue;
        };
        let callable = match handler_value(connector, &field.value, &env) {
            HandlerValue::Callable(Callable::Function(function, env)) => (function, env),
            HandlerValue::Callable(Callable::Each(..)) | HandlerValue::NotAFunction(_) => continue,
            HandlerValue::Computed(computed) => {
                cx.report_review(
                    Finding::new(computed_message(
                        &format!("`StartLogin` of `{}`", kind.name),
                        &computed,
                    ))
                    .primary(kind.file(), field.value.span),
                );
                continue;
            }
        };
        let (function, function_env) = callable;
        let state_index = match function.params.len() {
            3 => 1,
            4 => 2,
            _ => continue,
        };
        let Some(state) = function.params.get(state_index) else {
            continue;
        };
        let file = function_env.file();
        let body_env = function_env.with_params(file, function);
        let mut used = false;
        walk(&function.body, &body_env, file, &mut |expr, env| {
            let ident = match &expr.kind {
                ExprKind::Ident(ident) => Some(ident),
                ExprKind::Inclusive(ident) => Some(&**ident),
                _ => None,
            };
            if let Some(ident) = ident
                && ident.name == state.name.name
                && let Definition::Param {
                    function: owner,
                    index,
                    ..
                } = env.lookup_at(&ident.name, expr.span)
                && std::ptr::eq(owner, function)
                && index == state_index
            {
                used = true;
            }
        });
        if used {
            continue;
        }
        let mut finding = Finding::new(format!(
            "`StartLogin` of `{}` never uses its `{}` parameter",
            kind.name, state.name.name
        ))
        .primary_label(file, state.span, "the OAuth state")
        .help(format!(
            "pass `{}` to the authorize URL query (`state = {}`)",
            state.name.name, state.name.name
        ));
        let inline = file == kind.file()
            && field.value.span.start <= state.span.start
            && state.span.end <= field.value.span.end;
        if !inline {
            finding = finding.secondary(kind.file(), field.name.span, "handler named here");
        }
        cx.report(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::OAUTH_STATE_NOT_FORWARDED;
    use crate::testing::{Fixture, RuleCase};

    /// Finch signing in with OAuth whose `StartLogin` handler is `start_login`.
    fn start_login(start_login: &str) -> Fixture {
        Fixture::finch()
            .replace(
                "[Anonymous = []]",
                "[OAuth = [StartLogin = StartLogin, FinishLogin = (a, b, c) => c]]",
            )
            .members(&format!("StartLogin = {start_login};"))
    }

    /// `state` used (directly, in a query record, in a helper call) passes; ignored (also in
    /// a module-loaded handler) or shadowed fails; an unresolvable handler is info.
    #[test]
    fn oauth_state_not_forwarded() {
        let from_module = Fixture::finch()
            .replace(
                "[Anonymous = []]",
                "[OAuth = [StartLogin = OAuth.StartLogin, FinishLogin = (a, b, c) => c]]",
            )
            .members("Load = (name) => Expression.Evaluate(Text.FromBinary(Extension.Contents(name)), #shared);\nOAuth = Load(\"OAuth.pqm\");\nOAuth.StartLogin = OAuth[StartLogin];")
            .entry(
                "OAuth.pqm",
                b"[StartLogin = (resourceUrl, state, display) => [LoginUri = \"https://a.example/\"], Unused = 1]",
            );
        let cases = RuleCase::new(&OAUTH_STATE_NOT_FORWARDED)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                start_login(
                    "(resourceUrl, state, display) => [LoginUri = \"https://a.example/?\" & Uri.BuildQueryString([state = state])]",
                ),
                start_login("(app, path, state, display) => Build(state)"),
                start_login("let f = (a, s, d) => [x = s] in f"),
                start_login("(a, b) => 1"),
            ])
            .fail([
                start_login(
                    "(resourceUrl, state, display) => [LoginUri = \"https://a.example/\", CallbackUri = \"x\"]",
                ),
                start_login("(app, path, state, display) => let state = 1 in [x = state]"),
                start_login("Record.Field(Handlers, \"Start\")"),
                from_module,
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
