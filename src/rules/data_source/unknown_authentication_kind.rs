//! PQ202: an authentication kind the engine does not know, or one that is not a record.
use super::{computed_message, kind_records, nearest};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::kind::AUTHENTICATION_KINDS;
use crate::model::eval::resolve::Resolved;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// An `Authentication` field is not a known authentication kind, or its value is not a record.
    ///
    /// Known kinds, exact case: `Anonymous`, `Implicit` (an alias of `Anonymous`),
    /// `UsernamePassword`, `Windows`, `Key`, `OAuth`, `Aad`. A computed value is reported at
    /// info.
    ///
    /// ## Why it matters
    /// The engine knows only these kinds; any other field name or a non-record value makes the
    /// data source definition invalid.
    ///
    /// ## Example
    /// `Authentication = [ OAuth2 = [ StartLogin = StartLogin, FinishLogin = FinishLogin ] ]`
    ///
    /// Use instead:
    /// `Authentication = [ OAuth = [ StartLogin = StartLogin, FinishLogin = FinishLogin ] ]`
    pub(crate) static UNKNOWN_AUTHENTICATION_KIND = Rule {
        code: "PQ202",
        name: "unknown-authentication-kind",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for kind in kind_records(connector) {
        let file = kind.file();
        let Some((auth_field, auth_env)) = kind.field("Authentication") else {
            continue;
        };
        let Some((auth_kinds, env)) = connector.resolver.record(&auth_field.value, &auth_env)
        else {
            continue;
        };
        for auth in auth_kinds {
            let name = &*auth.name.name;
            if !AUTHENTICATION_KINDS.contains(&name) {
                let mut finding = Finding::new(format!(
                    "`{name}` is not an authentication kind (data source kind `{}`)",
                    kind.name
                ))
                .primary(file, auth.name.span);
                finding = match nearest(name, AUTHENTICATION_KINDS, 3) {
                    Some(suggestion) => finding.help(format!("use `{suggestion}`")),
                    None => finding.help(format!(
                        "use one of {}",
                        AUTHENTICATION_KINDS
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                };
                cx.report(finding);
                continue;
            }
            match connector.resolver.resolve(&auth.value, &env) {
                Resolved::Record(..) | Resolved::Param { .. } => {}
                Resolved::Computed(computed) => cx.report_review(
                    Finding::new(computed_message(
                        &format!("authentication kind `{name}` of `{}`", kind.name),
                        &computed,
                    ))
                    .primary(file, auth.value.span),
                ),
                other => cx.report(
                    Finding::new(format!(
                        "authentication kind `{name}` of `{}` is {}, not a record",
                        kind.name,
                        other.describe()
                    ))
                    .primary(file, auth.value.span)
                    .help(format!(
                        "write `{name} = []`, with the kind's fields inside the brackets"
                    )),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UNKNOWN_AUTHENTICATION_KIND;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose `Authentication` is `authentication`, with a `KeyRecord` member.
    fn authentication(authentication: &str) -> Fixture {
        Fixture::finch()
            .replace("[Anonymous = []]", authentication)
            .members("KeyRecord = [KeyLabel = \"Key\"];")
    }

    /// Known kinds with records pass; unknown names, wrong case and non-records fail; a
    /// computed kind is info.
    #[test]
    fn unknown_authentication_kind() {
        let cases = RuleCase::new(&UNKNOWN_AUTHENTICATION_KIND)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                authentication(
                    "[Anonymous = [], Implicit = [], UsernamePassword = [], Windows = [], Key = KeyRecord, OAuth = [], Aad = []]",
                ),
            ])
            .fail([authentication(
                "[OAuth2 = [], anonymous = [], Basic = [], Key = \"key\", Windows = Record.Combine({})]",
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
