//! PQ207: a field an authentication kind does not document.
use super::{kind_records, nearest};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

/// The documented fields of each authentication kind.
const ALLOWED_FIELDS: &[(&str, &[&str])] = &[
    ("Anonymous", &[]),
    ("Implicit", &[]),
    (
        "UsernamePassword",
        &["UsernameLabel", "PasswordLabel", "Label"],
    ),
    (
        "Windows",
        &[
            "UsernameLabel",
            "PasswordLabel",
            "Label",
            "SupportsAlternateCredentials",
        ],
    ),
    ("Key", &["KeyLabel", "Label"]),
    (
        "OAuth",
        &["StartLogin", "FinishLogin", "Refresh", "Logout", "Label"],
    ),
    ("Aad", &["AuthorizationUri", "Resource", "Scope", "Label"]),
];

/// Edits allowed between a field and the documented name it is taken to be a typo of.
const MAX_SUGGESTION_DISTANCE: usize = 3;

declare_rule! {
    /// ## What it checks
    /// An authentication kind record has a field not documented for that kind.
    ///
    /// Allowed: `Anonymous`/`Implicit` none; `UsernamePassword` `UsernameLabel`,
    /// `PasswordLabel`, `Label`; `Windows` the same plus `SupportsAlternateCredentials`; `Key`
    /// `KeyLabel`, `Label`; `OAuth` `StartLogin`, `FinishLogin`, `Refresh`, `Logout`, `Label`;
    /// `Aad` `AuthorizationUri`, `Resource`, `Scope`, `Label`. The nearest allowed name is
    /// suggested.
    ///
    /// ## Why it matters
    /// The engine ignores other fields, so such a field is usually a typo of a documented one
    /// whose setting is silently lost.
    ///
    /// ## Example
    /// `Key = [ KeyLable = Extension.LoadString("KeyLabel") ]`
    ///
    /// Use instead: `Key = [ KeyLabel = Extension.LoadString("KeyLabel") ]`
    pub(crate) static UNKNOWN_AUTHENTICATION_FIELD = Rule {
        code: "PQ207",
        name: "unknown-authentication-field",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for kind in kind_records(connector) {
        for auth in &kind.authentication {
            let Some((_, allowed)) = ALLOWED_FIELDS.iter().find(|(k, _)| *k == auth.kind()) else {
                continue;
            };
            let Some((fields, _)) = &auth.fields else {
                continue;
            };
            for field in fields.iter() {
                let name = &*field.name.name;
                if allowed.contains(&name) {
                    continue;
                }
                let mut finding = Finding::new(format!(
                    "`{name}` is not a field of the `{}` authentication kind",
                    auth.kind()
                ))
                .primary(kind.file(), field.name.span);
                finding = match nearest(name, allowed, MAX_SUGGESTION_DISTANCE) {
                    Some(suggestion) => finding.help(format!("did you mean `{suggestion}`?")),
                    None if allowed.is_empty() => {
                        finding.help(format!("remove it: `{}` takes no fields", auth.kind()))
                    }
                    None => finding.help(format!(
                        "remove it; `{}` takes {}",
                        auth.kind(),
                        allowed
                            .iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                };
                cx.report(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UNKNOWN_AUTHENTICATION_FIELD;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose `Authentication` is `authentication`.
    fn authentication(authentication: &str) -> Fixture {
        Fixture::finch().replace("[Anonymous = []]", authentication)
    }

    /// Documented fields pass (unknown kinds are PQ202's); typos, other kinds' fields and
    /// fields of `Anonymous` fail.
    #[test]
    fn unknown_authentication_field() {
        let cases = RuleCase::new(&UNKNOWN_AUTHENTICATION_FIELD)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                authentication(
                    "[Anonymous = [], UsernamePassword = [UsernameLabel = \"u\", PasswordLabel = \"p\", Label = \"l\"], Windows = [SupportsAlternateCredentials = true], Key = [KeyLabel = \"k\"], OAuth = [StartLogin = 1, FinishLogin = 2, Refresh = 3, Logout = 4, Label = \"o\"], Aad = [AuthorizationUri = \"a\", Resource = \"r\", Scope = \"s\"], Bogus = [X = 1]]",
                ),
            ])
            .fail([authentication(
                "[Anonymous = [Label = \"x\"], Key = [KeyLable = \"k\", Description = \"d\"], OAuth = [StartLogin = 1, FinishLogin = 2, RefreshToken = 3]]",
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
