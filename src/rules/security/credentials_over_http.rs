//! PQ702: a credential-bearing connector requests a plain-HTTP URL.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A connector that takes credentials sends a request to an `http://` URL.
    ///
    /// In a package whose Kind record has an authentication kind other than `Anonymous` or
    /// `Implicit`: a `Web.Contents`, `Web.Headers` or `OData.Feed` call whose URL is a literal
    /// (through names, helper parameters called with literals, `Uri.Combine`) or a `&` chain
    /// whose first part is literal, starting with `http://` to a host other than a loopback
    /// host (`localhost`, `127.0.0.0/8`, `[::1]`); or whose scheme is chosen at runtime between
    /// `"http://"` and `"https://"`. The finding points at the literal.
    ///
    /// ## Why it matters
    /// Credentials must travel over HTTPS only: the engine attaches them to requests made to
    /// the data source.
    ///
    /// ## Example
    /// `BaseUrl = "http://api.contoso.example/v1";` in a connector with `Key` authentication.
    ///
    /// Use instead: `BaseUrl = "https://api.contoso.example/v1";`
    pub(crate) static CREDENTIALS_OVER_HTTP = Rule {
        code: "PQ702",
        name: "credentials-over-http",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    for url in super::insecure_request_urls(cx.flow()) {
        let message = if url.chosen_at_runtime {
            "the scheme of this request URL is chosen at runtime between `http://` and `https://`; the connector sends credentials".to_owned()
        } else if url.text.len() <= "http://".len() {
            "a request URL starts with `http://` in a connector that sends credentials".to_owned()
        } else {
            format!(
                "the request URL `{}` uses plain HTTP in a connector that sends credentials",
                super::excerpt(&url.text)
            )
        };
        let mut finding = Finding::new(message).primary_label(url.file, url.span, "plain HTTP");
        if url.call != (url.file, url.span) {
            finding = finding.secondary(url.call.0, url.call.1, "request URL");
        }
        cx.report(finding.help("use `https://`; credentials must travel over HTTPS only"));
    }
}

#[cfg(test)]
mod tests {
    use super::CREDENTIALS_OVER_HTTP;
    use crate::testing::{Fixture, RuleCase};

    /// Finch with this authentication kind, whose data source function calls `Impl`, defined
    /// in `body`.
    fn connector(auth: &str, body: &str) -> Fixture {
        Fixture::finch()
            .set("Finch.Contents", "() => Impl()")
            .set(
                "Finch",
                &format!(r#"[Authentication = [{auth} = []], Label = "Finch"]"#),
            )
            .members(body)
    }

    /// HTTPS, loopback hosts, and any URL in an anonymous connector pass; plain-HTTP literals
    /// (directly, through a member and a helper, as the first part of a `&` chain) and a
    /// scheme chosen at runtime fail.
    #[test]
    fn credentials_over_http() {
        let cases = RuleCase::new(&CREDENTIALS_OVER_HTTP)
            .pass([
                Fixture::kestrel(),
                connector(
                    "Key",
                    r#"Impl = () =>
    let
        a = Web.Contents("https://api.contoso.example/v1"),
        b = Web.Contents("http://localhost:5000/" & "items"),
        c = Web.Contents("http://127.0.0.1/"),
        d = OData.Feed(Uri.Combine("https://api.contoso.example/", "odata"))
    in
        {a, b, c, d};"#,
                ),
                connector(
                    "Anonymous",
                    r#"Impl = () => Web.Contents("http://api.contoso.example/v1");"#,
                ),
            ])
            .fail([connector(
                "UsernamePassword",
                r#"BaseUrl = "http://api.contoso.example/v1";
Impl = () =>
    let
        a = Web.Contents(BaseUrl),
        b = Fetch("http://files.contoso.example/export"),
        c = Web.Contents("http://" & Host & "/items"),
        d = Web.Contents((if Secure then "https://" else "http://") & Host)
    in
        {a, b, c, d};
Fetch = (address) => Web.Headers(address);
Host = Text.From(1);
Secure = true;"#,
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
