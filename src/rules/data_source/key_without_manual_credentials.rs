//! PQ208: a key sent in headers or the query without `ManualCredentials = true`.
use super::{computed_message, kind_records};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::credentials::{CredentialRead, credential_reads};
use crate::model::connector::field;
use crate::model::eval::resolve::Resolved;
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};

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
    };
}

/// Requests named by secondary labels in one finding; the rest are counted in a note.
const MAX_LABELLED_REQUESTS: usize = 8;

/// A request that sends a key without `ManualCredentials = true`.
struct Site {
    call: &'static str,
    carrier: String,
    file: FileId,
    span: Span,
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    if !kind_records(connector).any(|kind| kind.auth_kind("Key").is_some()) {
        return;
    }
    // Grouped by the credential read, so one shared header record is one finding.
    let mut groups: Vec<(CredentialRead, Vec<Site>)> = Vec::new();
    for (call_name, call) in REQUEST_CALLS
        .iter()
        .flat_map(|name| connector.library_calls(name).map(move |call| (*name, call)))
    {
        let Some(options) = call.args.get(1) else {
            continue;
        };
        let Some((fields, env)) = connector.resolver.record(options, &call.env) else {
            continue;
        };
        let file = env.file();
        let field_env = env.with_record(file, fields);
        let carrying = ["Headers", "Query"].into_iter().find_map(|name| {
            let carrier = field(fields, name)?;
            let reads = credential_reads(connector, &carrier.value, &field_env);
            let read = reads.into_iter().find(|r| {
                r.field
                    .as_deref()
                    .is_some_and(|f| SECRET_FIELDS.contains(&f))
            })?;
            Some((carrier, read))
        });
        let Some((carrier, read)) = carrying else {
            continue;
        };
        let manual = field(fields, "ManualCredentials")
            .map(|f| (f, connector.resolver.resolve(&f.value, &field_env)));
        match manual {
            Some((_, Resolved::Logical(true))) => continue,
            Some((manual_field, Resolved::Computed(computed))) => {
                cx.report_review(
                    Finding::new(computed_message("`ManualCredentials`", &computed))
                        .primary(file, manual_field.value.span),
                );
                continue;
            }
            _ => {}
        }
        let site = Site {
            call: call_name,
            carrier: carrier.name.name.to_string(),
            file,
            span: carrier.span,
        };
        match groups
            .iter_mut()
            .find(|(r, _)| r.file == read.file && r.span == read.span)
        {
            Some((_, sites)) => sites.push(site),
            None => groups.push((read, vec![site])),
        }
    }
    for (read, sites) in groups {
        report(cx, &read, &sites);
    }
}

fn report(cx: &mut Context<'_>, read: &CredentialRead, sites: &[Site]) {
    let Some((first, rest)) = sites.split_first() else {
        return;
    };
    let credential = read.field.clone().unwrap_or_default();
    let message = if rest.is_empty() {
        format!(
            "`{}` sends the credential's `{credential}` in `{}` without `ManualCredentials = true`",
            first.call, first.carrier
        )
    } else {
        format!(
            "{} requests send the credential's `{credential}` in `Headers` or `Query` without `ManualCredentials = true`",
            sites.len()
        )
    };
    let help = if rest.is_empty() {
        "add `ManualCredentials = true` to this options record"
    } else {
        "add `ManualCredentials = true` to the options record of each request"
    };
    let mut finding = Finding::new(message)
        .primary_label(first.file, first.span, format!("`{credential}` sent here"))
        .help(help);
    for site in rest.iter().take(MAX_LABELLED_REQUESTS) {
        finding = finding.secondary(site.file, site.span, "also sent here");
    }
    if rest.len() > MAX_LABELLED_REQUESTS {
        finding = finding.note(format!(
            "{} more requests send it",
            rest.len() - MAX_LABELLED_REQUESTS
        ));
    }
    let inside_first = read.file == first.file
        && first.span.start <= read.span.start
        && read.span.end <= first.span.end;
    if !inside_first {
        finding = finding.secondary(read.file, read.span, "credential read here");
    }
    cx.report(finding);
}

#[cfg(test)]
mod tests {
    use super::KEY_WITHOUT_MANUAL_CREDENTIALS;
    use crate::testing::{Fixture, RuleCase};

    /// Finch authenticating with `authentication`, whose data source function is
    /// `(url) => body`, with `Key` read from the credential.
    fn request(authentication: &str, body: &str) -> Fixture {
        Fixture::finch()
            .replace("[Anonymous = []]", authentication)
            .set("Finch.Contents", &format!("(url) => {body}"))
            .members("Key = Extension.CurrentCredential()[Key];")
    }

    /// `ManualCredentials = true`, non-secret fields, and Kinds without `Key` pass; keys and
    /// passwords in headers or query without it fail; a computed `ManualCredentials` is info.
    #[test]
    fn key_without_manual_credentials() {
        let both = "[Key = [], UsernamePassword = []]";
        let cases = RuleCase::new(&KEY_WITHOUT_MANUAL_CREDENTIALS)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                request(
                    "[Key = []]",
                    "Web.Contents(url, [Headers = [#\"X-Api-Key\" = Key], ManualCredentials = true])",
                ),
                request(
                    "[Key = []]",
                    "Web.Contents(url, [Headers = [Kind = Extension.CurrentCredential()[AuthenticationKind]]])",
                ),
                request(
                    "[UsernamePassword = []]",
                    "Web.Contents(url, [Headers = [#\"X-Api-Key\" = Key]])",
                ),
                request(
                    "[Key = []]",
                    "Web.Contents(url, [Content = Text.ToBinary(Key)])",
                ),
            ])
            .fail([
                request(both, "Web.Contents(url, [Headers = [#\"X-Api-Key\" = Key]])"),
                request(
                    both,
                    "let options = [Query = [api_key = Extension.CurrentCredential()[Key]], ManualCredentials = false] in Web.Contents(url, options)",
                ),
                request(
                    both,
                    "Web.Headers(url, [Headers = [Authorization = \"Bearer \" & Extension.CurrentCredential()[Password]]])",
                ),
                request(
                    both,
                    "Web.Contents(url, [Headers = [#\"X-Api-Key\" = Key], ManualCredentials = Flag()])",
                ),
                request(
                    both,
                    "let h = [#\"X-Api-Key\" = Key] in {Web.Contents(url, [Headers = h]), Web.Contents(url & \"/a\", [Headers = h])}",
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
