//! PQ706: a secret is written to a trace.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::flow::{Origin, OriginKind};
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};

declare_rule! {
    /// ## What it checks
    /// An argument of `Diagnostics.Trace` or of a `Diagnostics.*` helper contains a secret.
    ///
    /// Each argument of a call of a connector member whose name starts with `Diagnostics.`
    /// (`Diagnostics.LogValue`), and the level and message of a call of the library function
    /// `Diagnostics.Trace` (its `value` argument is returned, not written), is followed through
    /// variables, records, lists, helper calls and library calls. The rule fires when it
    /// contains a credential value (`Extension.CurrentCredential()`, except its
    /// `AuthenticationKind`, `Properties` and `EncryptConnection`), a field access
    /// `[access_token]`, `[refresh_token]`, `[Password]`, `[Key]` or `[client_secret]` on a
    /// value read from outside (`[Key]` and `[Password]` of an `each` row are table columns),
    /// or a record with an `Authorization` field (a request's `Headers`).
    ///
    /// ## Why it matters
    /// Traces are written to files on the user's machine and shared for support; they must not
    /// hold secrets or personal data.
    ///
    /// ## Example
    /// `Diagnostics.LogValue("token", Extension.CurrentCredential()[access_token])`.
    ///
    /// Use instead: trace that a token is present (`token <> null`), never the token itself.
    pub(crate) static SENSITIVE_VALUE_TRACED = Rule {
        code: "PQ706",
        name: "sensitive-value-traced",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let flow = cx.flow();
    // Calls of `Diagnostics.*` helpers come first: a helper's own `Diagnostics.Trace` call
    // sees the same secrets through its parameters, and one finding per secret is enough.
    let helpers = connector
        .calls()
        .iter()
        .filter(|call| call.name.starts_with("Diagnostics.") && !call.callee.is_external());
    let library = connector.library_calls("Diagnostics.Trace");
    let mut reported: Vec<(FileId, Span)> = Vec::new();
    for call in helpers.chain(library) {
        // `Diagnostics.Trace(level, message, value, delayed)` writes `message` and returns
        // `value` without writing it.
        let written = if call.is_library("Diagnostics.Trace") {
            call.args.get(..2).unwrap_or(call.args)
        } else {
            call.args
        };
        for arg in written {
            let trace = flow.value_sources(arg, &call.env, call.file);
            let Some((origin, what)) = trace
                .origins
                .iter()
                .filter(|o| !reported.contains(&(o.file, o.span)))
                .find_map(sensitive)
            else {
                continue;
            };
            reported.extend(
                trace
                    .origins
                    .iter()
                    .filter(|o| sensitive(o).is_some())
                    .map(|o| (o.file, o.span)),
            );
            cx.report(
                Finding::new(format!("{what} is written to a trace by `{}`", call.name))
                    .primary_label(call.file, arg.span, "traced value")
                    .secondary(origin.file, origin.span, "read here")
                    .help("trace that the value is present, never the value itself"),
            );
            break;
        }
    }
}

fn sensitive(origin: &Origin) -> Option<(&Origin, String)> {
    let what = match &origin.kind {
        OriginKind::Credential => "a credential value".to_owned(),
        OriginKind::SensitiveField(name) => format!("the field `{name}`"),
        OriginKind::AuthorizationHeader => "an `Authorization` header".to_owned(),
        _ => return None,
    };
    Some((origin, what))
}

#[cfg(test)]
mod tests {
    use super::SENSITIVE_VALUE_TRACED;
    use crate::testing::{Fixture, RuleCase};

    /// Finch with `body` and a `Diagnostics.LogValue` that writes its value to the trace.
    fn traced(body: &str) -> Fixture {
        Fixture::finch().members(body).members(
            "Diagnostics.LogValue = (prefix, value) => Diagnostics.Trace(TraceLevel.Information, prefix, value);",
        )
    }

    /// Tracing URLs, counts, the presence of a token, credential properties and a navigation
    /// key passes, and so does the value `Diagnostics.Trace` returns without writing it; a
    /// credential, a token field and request headers with `Authorization` fail.
    #[test]
    fn sensitive_value_traced() {
        let cases = RuleCase::new(&SENSITIVE_VALUE_TRACED)
            .pass([
                Fixture::kestrel(),
                traced(
                    r#"Get = (url) =>
    let
        response = Web.Contents(url, [Headers = [Authorization = "Bearer " & Extension.CurrentCredential()[access_token]]]),
        rows = Diagnostics.LogValue("rows", List.Count(Json.Document(response)[data])),
        logged = Diagnostics.LogValue("url", url),
        present = Diagnostics.LogValue("has token", Extension.CurrentCredential()[access_token] <> null),
        returned = Diagnostics.Trace(TraceLevel.Information, [Name = "Connect", Data = []], Connect(Extension.CurrentCredential())),
        properties = Diagnostics.LogValue("properties", Extension.CurrentCredential()[Properties]),
        navigation = Table.AddColumn(#table({"Key"}, {{"a"}}), "Data", each Diagnostics.LogValue("key", [Key]))
    in
        {rows, logged, present, returned, properties, navigation};
Connect = (credential) => credential;"#,
                ),
            ])
            .fail([traced(
                r#"Get = (url) =>
    let
        credential = Extension.CurrentCredential(),
        headers = [Authorization = "Bearer " & credential[access_token]],
        a = Diagnostics.LogValue("credential", credential),
        b = Diagnostics.Trace(TraceLevel.Verbose, "token: " & Json.Document(Web.Contents(url))[refresh_token], null),
        c = Diagnostics.LogValue("options", [Headers = headers])
    in
        {a, b, c};"#,
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
