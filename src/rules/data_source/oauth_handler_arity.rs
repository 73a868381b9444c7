//! PQ209: an OAuth handler with a parameter count the engine does not call.
use super::auth_kinds;
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::kind::{HandlerValue, handler_value};
use crate::rules::{Context, Priority};

/// Each handler and the parameter counts the engine calls it with.
const ARITIES: &[(&str, [usize; 2])] = &[
    ("StartLogin", [3, 4]),
    ("FinishLogin", [3, 5]),
    ("Refresh", [2, 3]),
    ("Logout", [1, 3]),
];

declare_rule! {
    /// ## What it checks
    /// An OAuth handler takes a number of parameters the engine never passes.
    ///
    /// `StartLogin` takes 3 or 4 parameters, `FinishLogin` 3 or 5, `Refresh` 2 or 3, `Logout`
    /// 1 or 3. Handlers that are not function expressions (through names) are not checked.
    ///
    /// ## Why it matters
    /// The engine picks the signature by argument count; any other count fails the sign-in.
    ///
    /// ## Example
    /// `Refresh = (refreshToken) => …`
    ///
    /// Use instead: `Refresh = (resourceUrl, refreshToken) => …`
    pub(crate) static OAUTH_HANDLER_ARITY = Rule {
        code: "PQ209",
        name: "oauth-handler-arity",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for (kind, auth) in auth_kinds(connector, "OAuth") {
        for (name, [low, high]) in ARITIES {
            let Some((field, env)) = auth.handler(name) else {
                continue;
            };
            let HandlerValue::Callable(callable) = handler_value(connector, &field.value, &env)
            else {
                continue;
            };
            let arity = callable.arity();
            if arity == *low || arity == *high {
                continue;
            }
            let mut finding = Finding::new(format!(
                "`{name}` of `{}` takes {arity} parameter{}; the engine passes {low} or {high}",
                kind.name,
                if arity == 1 { "" } else { "s" }
            ))
            .primary(kind.file(), field.name.span)
            .help(format!("give `{name}` {low} or {high} parameters"));
            let params = callable.params_span(field.value.span);
            finding = finding.secondary(callable.file(), params, "parameters declared here");
            cx.report(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OAUTH_HANDLER_ARITY;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose only authentication kind is `OAuth = oauth`, with a one-parameter `Refresh`.
    fn oauth(oauth: &str) -> Fixture {
        Fixture::finch()
            .replace("[Anonymous = []]", &format!("[OAuth = {oauth}]"))
            .members("Refresh = (token) => token;")
    }

    /// Documented counts pass, as do unresolvable handlers; other counts fail.
    #[test]
    fn oauth_handler_arity() {
        let cases = RuleCase::new(&OAUTH_HANDLER_ARITY)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                oauth(
                    "[StartLogin = (a, b, c, d) => b, FinishLogin = (a, b, c, d, e) => c, Refresh = (a, b, c) => a, Logout = each _]",
                ),
                oauth("[StartLogin = Other, FinishLogin = Record.Field(x, \"y\")]"),
            ])
            .fail([oauth(
                "[StartLogin = (a, b) => b, FinishLogin = (a, b, c, d) => c, Refresh = Refresh, Logout = () => null]",
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
