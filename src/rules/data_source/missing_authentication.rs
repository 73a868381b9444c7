//! PQ201: a Kind record without authentication kinds.
use super::{computed_message, kind_records};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::resolve::Resolved;
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
            Resolved::Computed(computed) => cx.report_info(
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
    use crate::testing::{archive, listing, run_rule};

    fn package(kind_record: &str) -> crate::package::Package {
        let source = format!(
            "section Wren;\n[DataSource.Kind = \"Wren\"]\nshared Wren.Contents = () => 1;\n{kind_record}\n"
        );
        archive("Wren.mez", &[("Wren.pq", source.as_bytes())])
    }

    /// A record with a kind passes; missing, empty, non-record and computed values fail.
    #[test]
    fn missing_authentication() {
        for pass in [
            "Wren = [Authentication = [Anonymous = []]];",
            "Wren = [Authentication = Auth]; Auth = [Key = []];",
            "Wren = 1;",
        ] {
            assert_eq!(
                listing(&run_rule(&MISSING_AUTHENTICATION, package(pass))),
                "",
                "{pass}"
            );
        }
        let mut out = String::new();
        for fail in [
            "Wren = [TestConnection = (p) => {\"Wren.Contents\"}];",
            "Wren = [Authentication = []];",
            "Wren = [Authentication = {\"Anonymous\"}];",
            "Wren = [Authentication = Record.Combine({})];",
        ] {
            out.push_str(&listing(&run_rule(&MISSING_AUTHENTICATION, package(fail))));
        }
        insta::assert_snapshot!(out);
    }
}
