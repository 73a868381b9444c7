//! PQ208: a key sent in headers or the query without `ManualCredentials = true`.
use super::{computed_message, kind_records};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::field;
use crate::model::credentials::credential_reads;
use crate::model::resolve::Resolved;
use crate::rules::{Context, Priority, Scope};

/// The request calls whose options record takes `Headers`, `Query` and `ManualCredentials`.
const REQUEST_CALLS: &[&str] = &["Web.Contents", "Web.Headers", "OData.Feed"];
/// The credential fields that hold a key or password.
const SECRET_FIELDS: &[&str] = &["Key", "Password"];

declare_rule! {
    /// ## What it checks
    /// A key is sent in `Headers` or `Query` of a request without `ManualCredentials = true`.
    ///
    /// Applies when a Kind supports `Key` authentication: a `Web.Contents`, `Web.Headers` or
    /// `OData.Feed` call whose options record puts a credential value
    /// (`Extension.CurrentCredential()[Key]` or `[Password]`, directly or through names) into
    /// its `Headers` or `Query` field, and does not set `ManualCredentials = true` in the same
    /// record.
    ///
    /// ## Why it matters
    /// Without `ManualCredentials = true` the engine also sends the key itself, as the password
    /// of a Basic authorization header.
    ///
    /// ## Example
    /// `Web.Contents(url, [ Headers = [ #"X-Api-Key" = Extension.CurrentCredential()[Key] ] ])`
    ///
    /// Use instead: `Web.Contents(url, [ Headers = [ #"X-Api-Key" =
    /// Extension.CurrentCredential()[Key] ], ManualCredentials = true ])`
    pub(crate) static KEY_WITHOUT_MANUAL_CREDENTIALS = Rule {
        code: "PQ208",
        name: "key-without-manual-credentials",
        default_severity: Severity::Warning,
        priority: Priority::P2,
        scope: Scope::Content,
        check,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    if !kind_records(connector).any(|kind| kind.auth_kind("Key").is_some()) {
        return;
    }
    for call in REQUEST_CALLS
        .iter()
        .flat_map(|name| connector.library_calls(name))
    {
        let Some(options) = call.args.get(1) else {
            continue;
        };
        let Some((fields, env)) = connector.resolver.record(options, &call.env) else {
            continue;
        };
        let file = env.file().unwrap_or(call.file);
        let field_env = env.with_record(file, fields);
        let carrying = ["Headers", "Query"].into_iter().find_map(|name| {
            let carrier = field(fields, name)?;
            let reads = credential_reads(connector, &carrier.value, &field_env);
            let read = reads
                .into_iter()
                .find(|r| r.field.as_deref().is_some_and(|f| SECRET_FIELDS.contains(&f)))?;
            Some((carrier, read))
        });
        let Some((carrier, read)) = carrying else {
            continue;
        };
        let manual = field(fields, "ManualCredentials")
            .map(|f| (f, connector.resolver.resolve(&f.value, &field_env)));
        match manual {
            Some((_, Resolved::Logical(true))) => {}
            Some((manual_field, Resolved::Computed(computed))) => cx.report_info(
                Finding::new(computed_message("`ManualCredentials`", &computed))
                    .primary(file, manual_field.value.span),
            ),
            _ => {
                let credential = read.field.unwrap_or_default();
                let mut finding = Finding::new(format!(
                    "`{}` sends the credential's `{credential}` in `{}` without `ManualCredentials = true`",
                    call.name, carrier.name.name
                ))
                .primary_label(file, carrier.span, format!("`{credential}` sent here"))
                .help("add `ManualCredentials = true` to this options record");
                if read.file != file || read.span.start < carrier.span.start || read.span.end > carrier.span.end {
                    finding = finding.secondary(read.file, read.span, "credential read here");
                }
                cx.report(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::KEY_WITHOUT_MANUAL_CREDENTIALS;
    use crate::testing::{archive, listing, run_rule};

    fn package(auth: &str, body: &str) -> crate::package::Package {
        let source = format!(
            "section Wren;\n[DataSource.Kind = \"Wren\"]\nshared Wren.Contents = (url) => {body};\nWren = [Authentication = {auth}];\nKey = Extension.CurrentCredential()[Key];\n"
        );
        archive("Wren.mez", &[("Wren.pq", source.as_bytes())])
    }

    /// `ManualCredentials = true`, non-secret fields, and Kinds without `Key` pass; keys and
    /// passwords in headers or query without it fail.
    #[test]
    fn key_without_manual_credentials() {
        for (auth, body) in [
            ("[Key = []]", "Web.Contents(url, [Headers = [#\"X-Api-Key\" = Key], ManualCredentials = true])"),
            ("[Key = []]", "Web.Contents(url, [Headers = [Kind = Extension.CurrentCredential()[AuthenticationKind]]])"),
            ("[UsernamePassword = []]", "Web.Contents(url, [Headers = [#\"X-Api-Key\" = Key]])"),
            ("[Key = []]", "Web.Contents(url, [Content = Text.ToBinary(Key)])"),
        ] {
            assert_eq!(
                listing(&run_rule(&KEY_WITHOUT_MANUAL_CREDENTIALS, package(auth, body))),
                "",
                "{body}"
            );
        }
        let mut out = String::new();
        for body in [
            "Web.Contents(url, [Headers = [#\"X-Api-Key\" = Key]])",
            "let options = [Query = [api_key = Extension.CurrentCredential()[Key]], ManualCredentials = false] in Web.Contents(url, options)",
            "Web.Headers(url, [Headers = [Authorization = \"Bearer \" & Extension.CurrentCredential()[Password]]])",
            "Web.Contents(url, [Headers = [#\"X-Api-Key\" = Key], ManualCredentials = Flag()])",
        ] {
            out += &listing(&run_rule(&KEY_WITHOUT_MANUAL_CREDENTIALS, package("[Key = [], UsernamePassword = []]", body)));
        }
        insta::assert_snapshot!(out);
    }
}
