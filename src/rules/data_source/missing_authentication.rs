//! PQ201: a Kind record without authentication kinds.
use super::{computed_message, kind_records};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::eval::resolve::Resolved;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A data source Kind record has no `Authentication` field, or an empty one.
    ///
    /// The `Authentication` field must be a record with at least one authentication kind
    /// (`Anonymous`, `UsernamePassword`, `Key`, …). A computed `Authentication` value is
    /// reported at info.
    ///
    /// ## Why it matters
    /// At least one authentication kind is required; without it the engine cannot ask for or
    /// store credentials and the data source does not work.
    ///
    /// ## Example
    /// `Contoso = [ TestConnection = (path) => { "Contoso.Contents" } ];`
    ///
    /// Use instead:
    /// `Contoso = [ TestConnection = (path) => { "Contoso.Contents" }, Authentication = [ Anonymous = [] ] ];`
    pub(crate) static MISSING_AUTHENTICATION = Rule {
        code: "PQ201",
        name: "missing-authentication",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for kind in kind_records(connector) {
        let Some(name_span) = kind.name_span() else {
            continue;
        };
        let file = kind.file();
        let Some((field, env)) = kind.field("Authentication") else {
            cx.report(
                Finding::new(format!(
                    "data source kind `{}` has no `Authentication` field",
                    kind.name
                ))
                .primary_label(file, name_span, "no `Authentication` field")
                .help("add `Authentication = [ … ]` with the kinds of credentials users may give"),
            );
            continue;
        };
        match connector.resolver.resolve(&field.value, &env) {
            Resolved::Record([], _) => cx.report(
                Finding::new(format!(
                    "`Authentication` of data source kind `{}` is an empty record",
                    kind.name
                ))
                .primary(file, field.span)
                .help("add at least one authentication kind, such as `Anonymous = []`"),
            ),
            Resolved::Record(..) => {}
            Resolved::Computed(computed) => cx.report_review(
                Finding::new(computed_message(
                    &format!("`Authentication` of `{}`", kind.name),
                    &computed,
                ))
                .primary(file, field.value.span),
            ),
            Resolved::Param { .. } => {}
            other => cx.report(
                Finding::new(format!(
                    "`Authentication` of data source kind `{}` is {}, not a record",
                    kind.name,
                    other.describe()
                ))
                .primary(file, field.value.span)
                .help("make `Authentication` a record of authentication kinds, such as `[ Anonymous = [] ]`"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MISSING_AUTHENTICATION;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose `Authentication` is `authentication`.
    fn authentication(authentication: &str) -> Fixture {
        Fixture::finch().replace("[Anonymous = []]", authentication)
    }

    /// A record with a kind, also through a name, passes, as does a Kind that is not a record
    /// (PQ105's); missing, empty and non-record values fail; computed ones are info.
    #[test]
    fn missing_authentication() {
        let cases = RuleCase::new(&MISSING_AUTHENTICATION)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                authentication("Auth").members("Auth = [Key = []];"),
                Fixture::finch().set("Finch", "1"),
            ])
            .fail([
                Fixture::finch().set("Finch", "[TestConnection = (p) => {\"Finch.Contents\"}]"),
                authentication("[]"),
                authentication("{\"Anonymous\"}"),
                authentication("Record.Combine({})"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
