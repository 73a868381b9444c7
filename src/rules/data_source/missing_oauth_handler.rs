//! PQ203: an `OAuth` kind without `StartLogin` or `FinishLogin`.
use super::auth_kinds;
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

/// The handlers every OAuth flow needs.
const REQUIRED_HANDLERS: &[&str] = &["StartLogin", "FinishLogin"];

declare_rule! {
    /// ## What it checks
    /// An `OAuth` authentication record lacks `StartLogin` or `FinishLogin`.
    ///
    /// ## Why it matters
    /// `StartLogin` builds the sign-in URL and `FinishLogin` exchanges the returned code for a
    /// token; the OAuth flow cannot run without both.
    ///
    /// ## Example
    /// `OAuth = [ StartLogin = StartLogin ]`
    ///
    /// Use instead: `OAuth = [ StartLogin = StartLogin, FinishLogin = FinishLogin ]`
    pub(crate) static MISSING_OAUTH_HANDLER = Rule {
        code: "PQ203",
        name: "missing-oauth-handler",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    for (kind, auth) in auth_kinds(cx.connector(), "OAuth") {
        if auth.fields.is_none() {
            continue;
        }
        let missing: Vec<&str> = REQUIRED_HANDLERS
            .iter()
            .copied()
            .filter(|handler| auth.handler(handler).is_none())
            .collect();
        if missing.is_empty() {
            continue;
        }
        let (message, names) = match missing.as_slice() {
            [one] => (format!("has no `{one}` handler"), format!("`{one}`")),
            _ => (
                "has neither `StartLogin` nor `FinishLogin`".to_owned(),
                "`StartLogin` and `FinishLogin`".to_owned(),
            ),
        };
        cx.report(
            Finding::new(format!("the `OAuth` kind of `{}` {message}", kind.name))
                .primary(kind.file(), auth.field.name.span)
                .help(format!("add {names} to the `OAuth` record")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::MISSING_OAUTH_HANDLER;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose only authentication kind is `OAuth = oauth`.
    fn oauth(oauth: &str) -> Fixture {
        Fixture::finch().replace("[Anonymous = []]", &format!("[OAuth = {oauth}]"))
    }

    /// Both handlers pass; one or none fail.
    #[test]
    fn missing_oauth_handler() {
        let cases = RuleCase::new(&MISSING_OAUTH_HANDLER)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                oauth("[StartLogin = (a, b, c) => b, FinishLogin = (a, b, c) => c]"),
            ])
            .fail([
                oauth("[StartLogin = (a, b, c) => b]"),
                oauth("[Label = \"x\"]"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
