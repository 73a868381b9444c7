//! PQ704: a credential goes into the URL or query string of a GET request.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::flow::{Origin, OriginKind, Trace, requests};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A credential value goes into the URL or `Query` of a GET request.
    ///
    /// A credential value is what `Extension.CurrentCredential()` returns (its `Key`,
    /// `Password`, `access_token`, …; not its `AuthenticationKind`, `Properties` or
    /// `EncryptConnection`), followed through variables, record fields, helper calls and
    /// library calls such as `Text.From` or `Uri.BuildQueryString`. The rule fires when one reaches the URL (first argument) of a
    /// `Web.Contents`, `Web.Headers` or `OData.Feed` call, or the `Query` field of its options
    /// (the second argument; the third for `OData.Feed`, whose second is a headers record),
    /// and the options have no `Content` field (the request is a GET). `CredentialQueryString`
    /// (or `CredentialQuery`) is the place for such values and is not checked. When the options
    /// are computed and the method cannot be told, the rule reports at `info`.
    ///
    /// ## Why it matters
    /// URLs end up in logs, proxies and traces. Certification requires credentials sent with a
    /// GET to use `CredentialQueryString`, which the engine keeps out of the URL it records.
    ///
    /// ## Example
    /// `Web.Contents(url, [Query = [api_key = Extension.CurrentCredential()[Key]]])`.
    ///
    /// Use instead:
    /// `Web.Contents(url, [CredentialQueryString = [api_key = Extension.CurrentCredential()[Key]]])`,
    /// or send the key in a header.
    pub(crate) static CREDENTIAL_IN_QUERY_STRING = Rule {
        code: "PQ704",
        name: "credential-in-query-string",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

const HELP: &str = "send it with the `CredentialQueryString` option or in a header, or make the request a POST with `Content`";

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let flow = cx.flow();
    for call in requests::request_calls(connector) {
        let Some(url) = call.args.first() else {
            continue;
        };
        let (records, unknown) = match requests::options_argument(call) {
            Some(options) => flow.records(options, &call.env, call.file),
            None => (Vec::new(), false),
        };
        let has_content = |r: &crate::model::flow::RecordView<'_>| r.field("Content").is_some();
        let all_post = !records.is_empty() && records.iter().all(has_content);
        let url_trace = flow.value_sources(url, &call.env, call.file);
        // A POST for sure, a GET for sure, or options too computed to tell.
        let surely_post = all_post && !unknown;
        let maybe_get = all_post || (unknown && records.is_empty());
        if let Some(credential) = credential(&url_trace)
            && !surely_post
        {
            let message = if maybe_get {
                "could not be checked statically: a credential value goes into the URL, and the options are computed, so this may be a GET request".to_owned()
            } else {
                format!(
                    "a credential value goes into the URL of a GET request (`{}`)",
                    call.name
                )
            };
            let finding = Finding::new(message)
                .primary_label(call.file, url.span, "URL with a credential")
                .secondary(credential.file, credential.span, "credential read here")
                .help(HELP);
            if maybe_get {
                cx.report_review(finding);
            } else {
                cx.report(finding);
            }
        }
        for record in records.iter().filter(|r| !has_content(r)) {
            let Some(query) = record.field("Query") else {
                continue;
            };
            let trace = flow.field_sources(record, query);
            let Some(credential) = credential(&trace) else {
                continue;
            };
            let file = record.file_of(query).unwrap_or(call.file);
            cx.report(
                Finding::new(format!(
                    "a credential value goes into the `Query` of a GET request (`{}`)",
                    call.name
                ))
                .primary_label(file, query.span, "query string with a credential")
                .secondary(credential.file, credential.span, "credential read here")
                .help(HELP),
            );
        }
    }
}

fn credential(trace: &Trace) -> Option<&Origin> {
    trace
        .origins
        .iter()
        .find(|o| o.kind == OriginKind::Credential)
}

#[cfg(test)]
mod tests {
    use super::CREDENTIAL_IN_QUERY_STRING;
    use crate::testing::{Fixture, RuleCase};

    /// Finch with `Key` authentication, whose data source function is `Impl`, defined in `body`.
    fn with_key(body: &str) -> Fixture {
        Fixture::finch()
            .set("Finch.Contents", "Impl")
            .set("Finch", r#"[Authentication = [Key = []], Label = "Finch"]"#)
            .members(body)
    }

    /// Keys in headers, in `CredentialQueryString`, in a POST body, and the authentication kind
    /// or credential properties in the URL or query pass; a key appended to a URL, put in
    /// `Query` through a helper, or an OAuth token in a merged options record fails.
    #[test]
    fn credential_in_query_string() {
        let cases = RuleCase::new(&CREDENTIAL_IN_QUERY_STRING)
            .pass([
                Fixture::kestrel(),
                with_key(
                    r#"Impl = () =>
    let
        credential = Extension.CurrentCredential(),
        url = "https://api.contoso.example/v1",
        a = Web.Contents(url, [Headers = [#"X-Api-Key" = credential[Key]], ManualCredentials = true]),
        b = Web.Contents(url, [CredentialQueryString = [api_key = credential[Key]]]),
        c = Web.Contents(url, [Query = [key = credential[Key]], Content = Text.ToBinary("{}")]),
        d = Web.Contents(url, [Query = [kind = credential[AuthenticationKind]]]),
        e = Web.Contents("https://auth.contoso.example/orgs/" & credential[Properties][Organization])
    in
        {a, b, c, d, e};"#,
                ),
            ])
            .fail([with_key(
                r#"Impl = () =>
    let
        key = Extension.CurrentCredential()[Key],
        url = "https://api.contoso.example/v1",
        a = Web.Contents(url & "?api_key=" & key),
        b = Web.Contents(url, [Query = KeyQuery(key)]),
        token = Extension.CurrentCredential()[access_token],
        c = OData.Feed(url, null, DefaultOptions & [Query = [access_token = token]])
    in
        {a, b, c};
KeyQuery = (k) => [api_key = Text.From(k)];
DefaultOptions = [Timeout = #duration(0, 0, 1, 0)];"#,
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
