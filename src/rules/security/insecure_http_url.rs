//! PQ703: a plain-HTTP URL the connector requests or shows to users.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::Kinds;
use crate::model::flow::OriginKind;
use crate::model::flow::requests::request_calls;
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Expr, ExprKind, Literal};

declare_rule! {
    /// ## What it checks
    /// An `http://` URL is requested or shown to users.
    ///
    /// A text literal starting with `http://` (any case) that is used as a location: it
    /// reaches the URL of a request call (`Web.Contents`, `OData.Feed`, …), or it is shown to
    /// users as a link or sample: the value of `LearnMoreUrl`, or of a `Documentation.*`
    /// field such as `Documentation.SampleValues` (also inside a list). Loopback hosts
    /// (`localhost`, `127.0.0.0/8`, `[::1]`) are exempt, and so are the request URLs PQ702
    /// already reports. URIs that only identify something are not locations and are never
    /// reported: XML and JSON namespaces, code-system identifiers such as FHIR's
    /// `http://loinc.org`, and any value that is compared or looked up but never fetched.
    ///
    /// ## Why it matters
    /// Plain HTTP exposes the data and the users who follow the link; certification expects
    /// HTTPS everywhere.
    ///
    /// ## Example
    /// `LearnMoreUrl = "http://contoso.example/power-query"`.
    ///
    /// Use instead: `LearnMoreUrl = "https://contoso.example/power-query"`.
    pub(crate) static INSECURE_HTTP_URL = Rule {
        code: "PQ703",
        name: "insecure-http-url",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let flow = cx.flow();
    let reported = super::insecure_request_urls(flow);
    let by_pq702 = |file: FileId, span: Span| {
        reported
            .iter()
            .any(|url| url.file == file && url.span.start <= span.start && span.end <= url.span.end)
    };
    let mut found: Vec<(FileId, Span, String, &str)> = Vec::new();
    let mut add = |file: FileId, span: Span, text: &str, how: &'static str| {
        if super::starts_with_scheme(text, "http://")
            && !super::is_loopback_url(text)
            && !by_pq702(file, span)
            && !found.iter().any(|(f, s, ..)| *f == file && *s == span)
        {
            found.push((file, span, text.to_owned(), how));
        }
    };
    for call in request_calls(cx.connector()) {
        let Some(url) = call.args.first() else {
            continue;
        };
        let trace = flow.url_sources(url, &call.env, (call.file, call.expr.span));
        for origin in &trace.origins {
            if let OriginKind::Text(text) = &origin.kind {
                add(origin.file, origin.span, text, "requested");
            }
        }
    }
    cx.for_each_expr_of(Kinds::RECORD, |expr, _, file| {
        let ExprKind::Record(fields) = &expr.kind else {
            return;
        };
        for field in fields.iter().filter(|f| shown_to_users(&f.name.name)) {
            for (span, text) in texts_of(&field.value) {
                add(file, span, text, "shown to users");
            }
        }
    });
    found.sort_by_key(|(file, span, ..)| (*file, span.start));
    for (file, span, text, how) in found {
        let label = if how == "requested" {
            "requested over plain HTTP"
        } else {
            "a plain-HTTP link shown to users"
        };
        cx.report(
            Finding::new(format!("plain-HTTP URL `{}`", super::excerpt(&text)))
                .primary_label(file, span, label)
                .help("use `https://`"),
        );
    }
}

/// Record fields whose text users see as a link or a sample: `LearnMoreUrl` and the
/// `Documentation.*` metadata fields.
fn shown_to_users(name: &str) -> bool {
    name == "LearnMoreUrl" || name.starts_with("Documentation.")
}

/// The text literals of `expr`: itself, or the items of a list of them.
fn texts_of(expr: &Expr) -> Vec<(Span, &str)> {
    match &expr.kind {
        ExprKind::Literal(Literal::Text(text)) => vec![(expr.span, &**text)],
        ExprKind::Parens(inner) => texts_of(inner),
        ExprKind::List(items) => items.iter().flat_map(texts_of).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::INSECURE_HTTP_URL;
    use crate::testing::{Fixture, RuleCase};

    /// HTTPS and loopback URLs pass, and so do URIs that are never fetched nor shown: XML
    /// namespaces, FHIR code systems compared against data, constants, bare `"http://"`
    /// patterns. Plain-HTTP links and sample values fail, in modules too, and so does a
    /// plain-HTTP request of an anonymous connector; a request URL of a credential-bearing
    /// connector is left to PQ702.
    #[test]
    fn insecure_http_url() {
        let cases = RuleCase::new(&INSECURE_HTTP_URL)
            .pass([
                Fixture::kestrel(),
                Fixture::finch().members(
                    r#"Links = [LearnMoreUrl = "https://contoso.example/", Local = "http://localhost:8080/"];
Namespace = "http://www.w3.org/2005/Atom";
IsUrl = (input) => Text.StartsWith(input, "http://") or input = "http://";
Host = (server) => Uri.Parts("http://" & server)[Host];
Loinc = (rows as table) => Table.SelectRows(rows, each [system] = "http://loinc.org");
Soap = "http://schemas.xmlsoap.org/soap/envelope/";"#,
                ),
                Fixture::finch().set(
                    "Finch.Contents",
                    r#"() => Web.Contents("http://localhost:5000/data")"#,
                ),
            ])
            .fail([
                Fixture::finch()
                    .set(
                        "Finch.Contents",
                        r#"Value.ReplaceType(() => Web.Contents("http://api.contoso.example/"), FinchType)"#,
                    )
                    .set("Finch", r#"[Authentication = [Key = []], Label = "Finch"]"#)
                    .set(
                        "Finch.Publish",
                        r#"[Beta = true, Category = "Other", ButtonText = {"Finch", "Finch data"}, LearnMoreUrl = "http://contoso.example/power-query"]"#,
                    )
                    .members(
                        r#"FinchType = type function (url as (type text meta [Documentation.SampleValues = {"HTTP://contoso.example/data"}])) as any;"#,
                    )
                    .entry(
                        "Links.pqm",
                        br#"[Documentation.LongDescription = "http://help.contoso.example/"]"#,
                    ),
                Fixture::finch().set(
                    "Finch.Contents",
                    r#"() => let base = "http://api.contoso.example" in Json.Document(Web.Contents(base & "/v1/items"))"#,
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
