//! PQ701: a user-entered URL reaches a request without an HTTPS check.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::flow::{Flow, Origin, OriginKind, requests};
use crate::rules::{Context, Priority, Scope};
use crate::source::{FileId, Span};

declare_rule! {
    /// ## What it checks
    /// A request URL comes from a data source function parameter without an HTTPS check.
    ///
    /// The URL (first argument) of each `Web.Contents`, `Web.Headers` and `OData.Feed` call is
    /// followed back through `let` variables, `&`, `Uri.Combine`, `Text.Combine`, record fields,
    /// calls of the connector's own functions (into their bodies, and from a helper's
    /// parameters to the arguments of its calls) and module loads. The rule fires when the
    /// part that decides the scheme is a parameter of a data source function and no HTTPS guard
    /// is on that path: a call of a function that raises an error when
    /// `Uri.Parts(x)[Scheme] <> "https"` (the `ValidateUrlScheme` helper), or an `if` that tests
    /// `Text.StartsWith(x, "https://")` and raises otherwise. A URL that starts with a literal
    /// scheme (`"https://" & host`) has its scheme fixed and passes.
    ///
    /// Request calls reached by the same parameters are reported once, at the first of them,
    /// with the others as secondary labels.
    ///
    /// Where the path cannot be followed (a parameter of a function only passed as a value, the
    /// row of an `each`, a library function fed the parameter) the rule reports at `info` that
    /// it could not be checked statically.
    ///
    /// ## Why it matters
    /// Certified connectors must enforce HTTPS on user-entered URLs, so that credentials and
    /// data never travel in the clear.
    ///
    /// ## Example
    /// `Contoso.Contents = (url as text) => Web.Contents(url)` sends the request to whatever
    /// scheme the user typed.
    ///
    /// Use instead: check the scheme first, and request the checked value:
    /// `Web.Contents(ValidateUrlScheme(url))`, with
    /// `ValidateUrlScheme = (url) => if Uri.Parts(url)[Scheme] <> "https" then error "HTTPS is required" else url`.
    pub(crate) static UNVALIDATED_URL_SCHEME = Rule {
        code: "PQ701",
        name: "unvalidated-url-scheme",
        default_severity: Severity::Error,
        priority: Priority::P1,
        scope: Scope::Content,
        check,
    };
}

/// Other requests named as secondary labels when one parameter reaches several.
const MAX_EXTRA_LABELS: usize = 3;

/// Request calls whose URLs come from the same parameters without a check.
struct Unchecked<'o> {
    params: Vec<&'o Origin>,
    call_name: String,
    urls: Vec<(FileId, Span)>,
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    if connector.data_sources.is_empty() {
        return;
    }
    let flow = Flow::new(connector);
    let traces: Vec<_> = requests::request_calls(connector)
        .filter_map(|call| {
            let url = call.args.first()?;
            let trace = flow.url_sources(url, &call.env, (call.file, call.expr.span));
            Some((call, url, trace))
        })
        .collect();
    // One error per set of parameters: a connector that never checks its URL parameter would
    // otherwise get one per request.
    let mut unchecked: Vec<(String, Unchecked<'_>)> = Vec::new();
    for (call, url, trace) in &traces {
        let params: Vec<&Origin> = trace
            .origins
            .iter()
            .filter(|o| matches!(o.kind, OriginKind::DataSourceParam { .. }))
            .collect();
        if !params.is_empty() {
            let key = describe_params(connector, &params);
            match unchecked.iter_mut().find(|(k, _)| *k == key) {
                Some((_, group)) => group.urls.push((call.file, url.span)),
                None => unchecked.push((
                    key,
                    Unchecked {
                        params,
                        call_name: call.name.to_owned(),
                        urls: vec![(call.file, url.span)],
                    },
                )),
            }
            continue;
        }
        let derived = trace.origins.iter().find_map(|o| match &o.kind {
            OriginKind::Derived { function, param } => Some((function, param, o)),
            _ => None,
        });
        if let Some((function, param, origin)) = derived {
            let message = format!(
                "could not be checked statically: the URL is computed by `{function}` from {}",
                describe_params(connector, &[param])
            );
            cx.report_info(
                Finding::new(message)
                    .primary(call.file, url.span)
                    .secondary(origin.file, origin.span, "computed here"),
            );
        } else if let Some((reason, file, span)) = trace.unknown() {
            let mut finding = Finding::new(format!("could not be checked statically: {reason}"))
                .primary(call.file, url.span);
            if (file, span) != (call.file, url.span) {
                finding = finding.secondary(file, span, "followed to here");
            }
            cx.report_info(finding);
        }
    }
    for (params_text, group) in unchecked {
        let Some(&(file, span)) = group.urls.first() else {
            continue;
        };
        let mut finding = Finding::new(format!(
            "the URL of this `{}` call comes from {params_text} without an HTTPS check",
            group.call_name
        ))
        .primary_label(file, span, "user-entered URL");
        for param in &group.params {
            if let OriginKind::DataSourceParam { declared, .. } = &param.kind {
                finding = finding.secondary(declared.0, declared.1, "parameter declared here");
            }
        }
        for &(file, span) in group.urls.iter().skip(1).take(MAX_EXTRA_LABELS) {
            finding = finding.secondary(file, span, "also requested here");
        }
        let others = group.urls.len().saturating_sub(1);
        if others > MAX_EXTRA_LABELS {
            finding = finding.note(format!(
                "{others} other requests use this parameter the same way"
            ));
        }
        cx.report(finding.help(
            "check the scheme before the request, e.g. `Web.Contents(ValidateUrlScheme(url))` with a `ValidateUrlScheme` that raises an error when `Uri.Parts(url)[Scheme] <> \"https\"`",
        ));
    }
}

/// "parameter `url` of data source function `Contoso.Contents`", for one or more parameters.
fn describe_params(
    connector: &crate::model::connector::Connector<'_>,
    params: &[&Origin],
) -> String {
    let mut names: Vec<String> = Vec::new();
    for param in params {
        let OriginKind::DataSourceParam {
            data_source, name, ..
        } = &param.kind
        else {
            continue;
        };
        let function = connector
            .data_sources
            .get(*data_source)
            .map_or("", |d| d.name());
        let text = format!("parameter `{name}` of data source function `{function}`");
        if !names.contains(&text) {
            names.push(text);
        }
    }
    names.join(" and ")
}

#[cfg(test)]
mod tests {
    use super::UNVALIDATED_URL_SCHEME;
    use crate::testing::{archive, listing, run_rule};

    fn package(body: &str) -> crate::package::Package {
        let document = format!(
            "section Contoso;\n[DataSource.Kind = \"Contoso\"]\nshared Contoso.Contents = Value.ReplaceType(Impl, type function (url as text) as any);\n{body}\nContoso = [Authentication = [Anonymous = []]];"
        );
        archive("Contoso.mez", &[("Contoso.pq", document.as_bytes())])
    }

    /// The `ValidateUrlScheme` helper, a raising `Text.StartsWith` test and a fixed scheme
    /// pass.
    #[test]
    fn checked_urls_pass() {
        let pass = package(
            r#"Impl = (url as text) =>
    let
        a = Web.Contents(ValidateUrlScheme(url)),
        b = if Text.StartsWith(url, "https://") then OData.Feed(url) else error "HTTPS only",
        c = Web.Contents("https://api.contoso.example/" & url)
    in
        {a, b, c};
ValidateUrlScheme = (url as text) as text =>
    if Uri.Parts(url)[Scheme] <> "https" then error "HTTPS only" else url;"#,
        );
        assert_eq!(listing(&run_rule(&UNVALIDATED_URL_SCHEME, pass)), "");
    }

    /// A user URL reaching a request directly, through a helper, or with a check whose result
    /// is unused fails; paths that cannot be followed are info.
    #[test]
    fn unchecked_urls_fail() {
        let fail = package(
            r#"Impl = (url as text) =>
    let
        unused = ValidateUrlScheme(url),
        a = Web.Contents(url),
        b = GetPage(url & "/items"),
        c = Web.Contents(Text.Replace(url, " ", "%20")),
        d = List.Transform({1}, (page) => Web.Contents(page))
    in
        {a, b, c, d};
GetPage = (address) => Web.Contents(address, [Headers = [Accept = "application/json"]]);
ValidateUrlScheme = (url as text) as text =>
    if Uri.Parts(url)[Scheme] <> "https" then error "HTTPS only" else url;"#,
        );
        insta::assert_snapshot!(listing(&run_rule(&UNVALIDATED_URL_SCHEME, fail)));
    }
}
