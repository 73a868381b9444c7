//! PQ703: a plain-HTTP URL in the connector's code.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Literal, Postfix};

declare_rule! {
    /// ## What it checks
    /// A text literal is an `http://` URL.
    ///
    /// Any text literal of the section document or a module that starts with `http://` (any
    /// case): `LearnMoreUrl`, `Documentation.SampleValues`, base URLs, links in descriptions.
    /// Loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`) and the XML namespace hosts
    /// `www.w3.org`, `schemas.xmlsoap.org`, `schemas.microsoft.com` and
    /// `schemas.openxmlformats.org` are exempt, and so are the request URLs PQ702 already
    /// reports and a bare `"http://"` used as a pattern: compared with `=`/`<>`, given to a
    /// text test such as `Text.StartsWith`, or put before a host only to parse it with
    /// `Uri.Parts`.
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

/// Library functions that test or cut text: a bare `"http://"` given to them is a pattern.
const TEXT_TESTS: &[&str] = &[
    "Text.StartsWith",
    "Text.EndsWith",
    "Text.Contains",
    "Text.Replace",
    "Text.PositionOf",
    "Text.AfterDelimiter",
    "Text.BeforeDelimiter",
    "Text.BetweenDelimiters",
    "Text.Split",
    "Text.TrimStart",
];

fn check(cx: &mut Context<'_>) {
    let reported = super::insecure_request_urls(cx.flow());
    let patterns = scheme_patterns(cx);
    let mut found = Vec::new();
    cx.for_each_expr(|expr, _, file| {
        let ExprKind::Literal(Literal::Text(text)) = &expr.kind else {
            return;
        };
        if !super::starts_with_scheme(text, "http://")
            || super::is_loopback_url(text)
            || super::is_xml_namespace_url(text)
        {
            return;
        }
        let by_pq702 = reported.iter().any(|url| {
            url.file == file && url.span.start <= expr.span.start && expr.span.end <= url.span.end
        });
        if !by_pq702 && !patterns.contains(&(file, expr.span)) {
            found.push((file, expr.span, text.to_string()));
        }
    });
    for (file, span, text) in found {
        cx.report(
            Finding::new(format!("plain-HTTP URL `{}`", super::excerpt(&text)))
                .primary_label(file, span, "plain HTTP")
                .help("use `https://`"),
        );
    }
}

/// Bare `"http://"` literals that are patterns rather than addresses: compared with `=`/`<>`,
/// given to a text test (`Text.StartsWith(url, "http://")`), or prefixed to a host only to
/// parse it (`Uri.Parts("http://" & server)`).
fn scheme_patterns(cx: &Context<'_>) -> Vec<(FileId, Span)> {
    let mut patterns = Vec::new();
    cx.for_each_expr(|expr, env, file| {
        let mut candidates: Vec<&Expr> = Vec::new();
        match &expr.kind {
            ExprKind::Binary { first, rest }
                if rest
                    .iter()
                    .all(|r| matches!(r.op, BinaryOp::Equal | BinaryOp::NotEqual)) =>
            {
                candidates.push(first);
                candidates.extend(rest.iter().map(|r| &r.right));
            }
            _ => match first_call(expr) {
                Some((name, args))
                    if TEXT_TESTS.contains(&name) && env.lookup(name).is_external() =>
                {
                    candidates.extend(args)
                }
                Some(("Uri.Parts", [arg, ..])) if env.lookup("Uri.Parts").is_external() => {
                    match &strip_parens(arg).kind {
                        ExprKind::Binary { first, rest }
                            if rest.iter().all(|r| r.op == BinaryOp::Concatenate) =>
                        {
                            candidates.push(first);
                        }
                        _ => candidates.push(arg),
                    }
                }
                _ => {}
            },
        }
        for candidate in candidates {
            let candidate = strip_parens(candidate);
            if candidate
                .as_text()
                .is_some_and(|t| t.eq_ignore_ascii_case("http://"))
            {
                patterns.push((file, candidate.span));
            }
        }
    });
    patterns
}

/// `name(args)` at the start of a postfix chain (`Uri.Parts(x)[Host]`).
fn first_call(expr: &Expr) -> Option<(&str, &[Expr])> {
    if let Some(call) = crate::model::eval::resolve::call_of(expr) {
        return Some(call);
    }
    let ExprKind::Postfix { target, ops } = &expr.kind else {
        return None;
    };
    match (&target.kind, ops.first()) {
        (ExprKind::Ident(ident), Some(Postfix::Invoke { args, .. })) => Some((&ident.name, args)),
        _ => None,
    }
}

fn strip_parens(expr: &Expr) -> &Expr {
    match &expr.kind {
        ExprKind::Parens(inner) => strip_parens(inner),
        _ => expr,
    }
}

#[cfg(test)]
mod tests {
    use super::INSECURE_HTTP_URL;
    use crate::testing::{Fixture, RuleCase};

    /// HTTPS, loopback and XML namespace URLs pass; plain-HTTP links and sample values fail,
    /// in modules too, while a request URL of a credential-bearing connector is left to PQ702.
    #[test]
    fn insecure_http_url() {
        let cases = RuleCase::new(&INSECURE_HTTP_URL)
            .pass([
                Fixture::kestrel(),
                Fixture::finch().members(
                    r#"LearnMoreUrl = "https://contoso.example/";
Local = "http://localhost:8080/";
Namespace = "http://www.w3.org/2005/Atom";
IsUrl = (input) => Text.StartsWith(input, "http://") or input = "http://";
Host = (server) => Uri.Parts("http://" & server)[Host];
Soap = "http://schemas.xmlsoap.org/soap/envelope/";"#,
                ),
            ])
            .fail([Fixture::finch()
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
                .entry("Links.pqm", br#"[Help = "http://help.contoso.example/"]"#)]);
        insta::assert_snapshot!(cases.run());
    }
}
