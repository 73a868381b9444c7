//! PQ701: a user-entered URL reaches a request without an HTTPS check.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::Connector;
use crate::model::flow::{Origin, OriginKind, Trace, requests};
use crate::rules::{Context, Priority};
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
    /// `Text.StartsWith(x, "https://")` and raises otherwise. An `if` that uses the parameter
    /// only in the branch taken when such a test passes
    /// (`if IsHttps(url) then url else "https://default.example"`) guards it too, and a URL that
    /// starts with a literal scheme (`"https://" & host`) has its scheme fixed and passes.
    ///
    /// Request calls with the same problem (the same parameters, or the same place where the
    /// flow stops) are reported once, at the first of them, with the others as secondary
    /// labels.
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
    };
}

/// Other requests named as secondary labels when one cause reaches several.
const MAX_EXTRA_LABELS: usize = 3;

/// A secondary label: where, and what.
type Cause = (FileId, Span, &'static str);

/// Request calls whose URLs have the same problem, reported once at the first of them: a
/// connector that never checks its URL parameter would otherwise get one finding per request.
struct Group {
    message: String,
    error: bool,
    /// Secondary labels of the cause (the parameter declaration, where the flow stopped).
    causes: Vec<Cause>,
    urls: Vec<(FileId, Span)>,
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    if connector.data_sources().is_empty() {
        return;
    }
    let flow = cx.flow();
    let mut groups: Vec<Group> = Vec::new();
    for call in requests::request_calls(connector) {
        let Some(url) = call.args.first() else {
            continue;
        };
        let trace = flow.url_sources(url, &call.env, (call.file, call.expr.span));
        let Some((message, error, causes)) = problem(connector, &trace) else {
            continue;
        };
        let message = message.replace("{call}", call.name);
        let at = (call.file, url.span);
        match groups
            .iter_mut()
            .find(|g| g.error == error && g.causes == causes && g.message == message)
        {
            Some(group) => group.urls.push(at),
            None => groups.push(Group {
                message,
                error,
                causes,
                urls: vec![at],
            }),
        }
    }
    for group in groups {
        let Some(&(file, span)) = group.urls.first() else {
            continue;
        };
        let mut finding = Finding::new(group.message);
        finding = if group.error {
            finding.primary_label(file, span, "user-entered URL")
        } else {
            finding.primary_label(file, span, "request URL")
        };
        for (cause_file, cause_span, label) in group.causes {
            if (cause_file, cause_span) != (file, span) {
                finding = finding.secondary(cause_file, cause_span, label);
            }
        }
        for &(file, span) in group.urls.iter().skip(1).take(MAX_EXTRA_LABELS) {
            finding = finding.secondary(file, span, "also requested here");
        }
        let others = group.urls.len().saturating_sub(1);
        if others > MAX_EXTRA_LABELS {
            finding = finding.note(format!("{others} other requests have the same problem"));
        }
        if group.error {
            cx.report(finding.help(
                "check the scheme before the request, e.g. `Web.Contents(ValidateUrlScheme(url))` with a `ValidateUrlScheme` that raises an error when `Uri.Parts(url)[Scheme] <> \"https\"`",
            ));
        } else {
            cx.report_review(finding);
        }
    }
}

/// What is wrong with a URL: the message (`{call}` stands for the request function), whether
/// it is an error, and the labels of its cause.
fn problem(connector: &Connector<'_>, trace: &Trace) -> Option<(String, bool, Vec<Cause>)> {
    let params: Vec<&Origin> = trace
        .origins
        .iter()
        .filter(|o| matches!(o.kind, OriginKind::DataSourceParam { .. }))
        .collect();
    if !params.is_empty() {
        let mut causes: Vec<Cause> = params
            .iter()
            .filter_map(|param| match &param.kind {
                OriginKind::DataSourceParam { declared, .. } => {
                    Some((declared.0, declared.1, "parameter declared here"))
                }
                _ => None,
            })
            .collect();
        causes.sort_by_key(|(file, span, _)| (*file, span.start, span.end));
        causes.dedup();
        let message = format!(
            "the URL of this `{{call}}` call comes from {} without an HTTPS check",
            describe_params(connector, &params)
        );
        return Some((message, true, causes));
    }
    // A server address the user typed as a credential (`[Username]` of a `UsernamePassword`
    // credential) is a user-entered URL too.
    let credential = trace.origins.iter().find_map(|o| match &o.kind {
        OriginKind::CredentialField(field) => Some((field, o)),
        _ => None,
    });
    if let Some((field, origin)) = credential {
        let message = format!(
            "the URL of this `{{call}}` call comes from the credential's `{field}`, which the user types, without an HTTPS check"
        );
        return Some((
            message,
            true,
            vec![(origin.file, origin.span, "credential read here")],
        ));
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
        return Some((
            message,
            false,
            vec![(origin.file, origin.span, "computed here")],
        ));
    }
    let (reason, file, span) = trace.unknown()?;
    Some((
        format!("could not be checked statically: {reason}"),
        false,
        vec![(file, span, "followed to here")],
    ))
}

/// "parameter `url` of data source function `Contoso.Contents`", for one or more parameters.
fn describe_params(connector: &Connector<'_>, params: &[&Origin]) -> String {
    let mut names: Vec<String> = Vec::new();
    for param in params {
        let OriginKind::DataSourceParam {
            data_source, name, ..
        } = &param.kind
        else {
            continue;
        };
        let function = connector
            .data_sources()
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
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose data source function takes a `url` and is implemented by `Impl`, defined
    /// in `body`.
    fn with_url(body: &str) -> Fixture {
        Fixture::finch()
            .set(
                "Finch.Contents",
                "Value.ReplaceType(Impl, type function (url as text) as any)",
            )
            .members(body)
    }

    /// The `ValidateUrlScheme` helper, a raising `Text.StartsWith` test and a fixed scheme
    /// pass; a user URL reaching a request directly, through a helper, or with a check whose
    /// result is unused fails, and paths that cannot be followed are info.
    #[test]
    fn unvalidated_url_scheme() {
        let cases = RuleCase::new(&UNVALIDATED_URL_SCHEME)
            .pass([
                Fixture::kestrel(),
                with_url(
                    r#"Impl = (url as text) =>
    let
        a = Web.Contents(ValidateUrlScheme(url)),
        b = if Text.StartsWith(url, "https://") then OData.Feed(url) else error "HTTPS only",
        c = Web.Contents("https://api.contoso.example/" & url)
    in
        {a, b, c};
ValidateUrlScheme = (url as text) as text =>
    if Uri.Parts(url)[Scheme] <> "https" then error "HTTPS only" else url;"#,
                ),
                // A server address from the credential, checked.
                with_url(
                    r#"Impl = (url as text) =>
    let
        server = Extension.CurrentCredential()[Username],
        checked = if Text.StartsWith(server, "https://") then server else error "HTTPS only"
    in
        Web.Contents(checked);"#,
                ),
                // A variable named like the parameter it checks: inside its own value,
                // `url` is the parameter.
                with_url(
                    r#"Impl = (url as text) =>
    let
        url = if Text.StartsWith(url, "https://") then url else error "HTTPS only"
    in
        Web.Contents(url);"#,
                ),
            ])
            .fail([
                with_url(
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
                ),
                // The same name rebound to a function of the parameter, unchecked.
                with_url(
                    r#"Impl = (url as text) =>
    let
        url = Text.Trim(url)
    in
        Web.Contents(url);"#,
                ),
                // A server address typed as the credential's user name.
                with_url(
                    r#"Impl = (url as text) =>
    let
        server = Extension.CurrentCredential()[Username],
        token = Extension.CurrentCredential()[Password]
    in
        Web.Contents(server & "/api/items", [Headers = [Authorization = "Bearer " & token]]);"#,
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
