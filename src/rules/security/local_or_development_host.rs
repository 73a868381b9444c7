//! PQ711: a request or OAuth handler uses a local, loopback or development host.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::eval::resolve::Resolved;
use crate::model::eval::walk::walk;
use crate::model::flow::OriginKind;
use crate::model::flow::requests::request_calls;
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::ast::{ExprKind, Literal};

declare_rule! {
    /// ## What it checks
    /// A request or an OAuth handler uses a local, loopback or development host.
    ///
    /// A text literal URL whose host is loopback (`localhost`, `127.0.0.0/8`, `[::1]`), a
    /// development host (a first label ending `-dev`, `-test` or `-staging`, or a first label
    /// `dev`, `test` or `staging`, as in `api-dev.contoso.com`; a host ending `.local`,
    /// `.internal` or `.windows-int.net`), and that either reaches the URL of a request call
    /// (`Web.Contents`, `OData.Feed`, …) or is written in an OAuth handler (`StartLogin`,
    /// `FinishLogin`, `Refresh`, `Logout`), such as a `redirect_uri`.
    ///
    /// ## Why it matters
    /// The Power BI service and the gateway cannot reach a developer's machine or an internal
    /// test environment: the connector fails for every customer, or sends their credentials to
    /// a test system.
    ///
    /// ## Example
    /// `redirect_uri = "http://localhost:8080/callback"`.
    ///
    /// Use instead: `redirect_uri = "https://oauth.powerbi.com/views/oauthredirect.html"`, and
    /// production hosts in requests.
    pub(crate) static LOCAL_OR_DEVELOPMENT_HOST = Rule {
        code: "PQ711",
        name: "local-or-development-host",
        default_severity: Severity::Warning,
        priority: Priority::P1,
    };
}

/// The OAuth handler fields of an authentication kind.
const OAUTH_HANDLERS: &[&str] = &["StartLogin", "FinishLogin", "Refresh", "Logout"];

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let flow = cx.flow();
    let mut found: Vec<(FileId, Span, String, &'static str)> = Vec::new();
    let mut add = |file: FileId, span: Span, text: &str, place: &'static str| {
        if let Some(why) = local_host(text)
            && !found.iter().any(|(f, s, ..)| *f == file && *s == span)
        {
            found.push((
                file,
                span,
                format!("{why} `{}`", super::excerpt(text)),
                place,
            ));
        }
    };
    for call in request_calls(connector) {
        let Some(url) = call.args.first() else {
            continue;
        };
        let trace = flow.url_sources(url, &call.env, (call.file, call.expr.span));
        for origin in &trace.origins {
            if let OriginKind::Text(text) = &origin.kind {
                add(origin.file, origin.span, text, "requested here");
            }
        }
    }
    for kind in connector.kinds() {
        for auth in &kind.authentication {
            for handler in OAUTH_HANDLERS {
                let Some((field, env)) = auth.handler(handler) else {
                    continue;
                };
                let Resolved::Function(function, function_env) =
                    connector.resolver.resolve(&field.value, &env)
                else {
                    continue;
                };
                let file = function_env.file();
                walk(&function.body, &function_env, file, &mut |expr, env| {
                    if let ExprKind::Literal(Literal::Text(text)) = &expr.kind {
                        add(env.file(), expr.span, text, "in an OAuth handler");
                    }
                });
            }
        }
    }
    found.sort_by_key(|(file, span, ..)| (file.0, span.start));
    // One finding per URL, at its first place; the others are labels.
    let mut findings: Vec<(String, Finding)> = Vec::new();
    for (file, span, message, place) in found {
        if let Some((_, finding)) = findings.iter_mut().find(|(m, _)| *m == message) {
            finding.secondary.push(crate::diagnostic::Label {
                file,
                span,
                message: Some(format!("also {place}")),
            });
            continue;
        }
        let finding = Finding::new(message.clone())
            .primary_label(file, span, place)
            .help("use the production host (and `https://oauth.powerbi.com/views/oauthredirect.html` as the OAuth redirect)");
        findings.push((message, finding));
    }
    for (_, finding) in findings {
        cx.report(finding);
    }
}

/// Why a URL's host is not a production host: `a loopback host`, `a development host`.
fn local_host(url: &str) -> Option<&'static str> {
    if !(super::starts_with_scheme(url, "http://") || super::starts_with_scheme(url, "https://")) {
        return None;
    }
    if super::is_loopback_url(url) {
        return Some("loopback host in");
    }
    let host = super::url_host(url)?;
    let first = host.split('.').next().unwrap_or_default();
    let development_label = ["dev", "test", "staging"].contains(&first)
        || ["-dev", "-test", "-staging"]
            .iter()
            .any(|suffix| first.ends_with(suffix));
    let internal_domain = [".local", ".internal", ".windows-int.net"]
        .iter()
        .any(|suffix| host.ends_with(suffix));
    (development_label || internal_domain).then_some("development host in")
}

#[cfg(test)]
mod tests {
    use super::LOCAL_OR_DEVELOPMENT_HOST;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose data source function is `function`.
    fn function(function: &str) -> Fixture {
        Fixture::finch().set("Finch.Contents", function)
    }

    /// Finch with OAuth whose `StartLogin` builds this redirect.
    fn oauth(redirect: &str) -> Fixture {
        Fixture::finch()
            .set(
                "Finch",
                r#"[Authentication = [OAuth = [StartLogin = StartLogin, FinishLogin = (c, u, s) => []]], Label = "Finch"]"#,
            )
            .members(&format!(
                "StartLogin = (resourceUrl, state, display) => [LoginUri = \"https://login.contoso.example/authorize?redirect_uri=\" & Uri.EscapeDataString(\"{redirect}\"), CallbackUri = \"{redirect}\", WindowHeight = 600, WindowWidth = 800, Context = null];"
            ))
    }

    /// Production hosts pass, and so do local URLs that are never requested nor used by an
    /// OAuth handler; loopback and development hosts in requests and OAuth redirects fail.
    #[test]
    fn local_or_development_host() {
        let cases = RuleCase::new(&LOCAL_OR_DEVELOPMENT_HOST)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                function(r#"() => Web.Contents("https://api.contoso.example/v1")"#),
                Fixture::finch().members(r#"Docs = "http://localhost:8080 is where the SDK serves samples";"#),
                oauth("https://oauth.powerbi.com/views/oauthredirect.html"),
                function(r#"() => Web.Contents("https://developer.contoso.example/v1")"#),
            ])
            .fail([
                function(r#"() => Web.Contents("http://127.0.0.1:5000/api")"#),
                function(r#"() => let base = "https://api-dev.contoso.example" in Web.Contents(base & "/v1")"#),
                function(r#"() => OData.Feed("https://reports.contoso.windows-int.net/odata")"#),
                oauth("http://localhost:8080/callback"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
