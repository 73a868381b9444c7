//! The flow queries on small connectors: what a request URL is built from, guards, credentials,
//! records, modules, and termination on hostile definitions.

use super::requests::request_calls;
use super::{Flow, OriginKind, Trace};
use crate::model::Model;
use crate::model::connector::Connector;
use crate::testing::archive;

/// A section document with a data source `C.Contents` whose implementation is `body`.
fn section(body: &str) -> String {
    format!(
        "section C;\n[DataSource.Kind = \"C\"]\nshared C.Contents = Impl;\n{body}\nC = [Authentication = [Key = []]];"
    )
}

fn with_connector<T>(entries: &[(&str, &str)], run: impl FnOnce(&Connector<'_>) -> T) -> T {
    let bytes: Vec<(&str, &[u8])> = entries.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    let model = Model::build(archive("C.mez", &bytes));
    let connector = Connector::build(&model);
    run(&connector)
}

/// The scheme origins of the URL of every request call, one line per call.
fn urls(document: &str) -> Vec<String> {
    urls_with(&[("C.pq", document)])
}

fn urls_with(entries: &[(&str, &str)]) -> Vec<String> {
    with_connector(entries, |connector| {
        let flow = Flow::new(connector, &crate::rules::security::SECRETS);
        request_calls(connector)
            .map(|call| {
                let Some(url) = call.args.first() else {
                    return String::new();
                };
                describe(&flow.url_sources(url, &call.env, (call.file, call.expr.span)))
            })
            .collect()
    })
}

fn describe(trace: &Trace) -> String {
    let mut parts: Vec<String> = trace
        .origins
        .iter()
        .map(|o| match &o.kind {
            OriginKind::Text(text) => format!("text {text}"),
            OriginKind::DataSourceParam { name, .. } => format!("param {name}"),
            OriginKind::Derived { function, param } => match &param.kind {
                OriginKind::DataSourceParam { name, .. } => format!("{function}({name})"),
                _ => format!("{function}(?)"),
            },
            OriginKind::OpaqueParam(name) => format!("opaque {name}"),
            OriginKind::Credential => "credential".into(),
            OriginKind::CredentialField(name) => format!("credential field {name}"),
            OriginKind::DecodedCredential => "decoded credential".into(),
            OriginKind::SensitiveField(name) => format!("field {name}"),
            OriginKind::AuthorizationHeader => "authorization".into(),
            OriginKind::Unknown(reason) => format!("unknown: {reason}"),
        })
        .collect();
    if trace.exhausted {
        parts.push("exhausted".into());
    }
    parts.join(", ")
}

/// A data source parameter reaches the URL through `let`, `&` and a helper; a literal prefix
/// with a scheme fixes the scheme.
#[test]
fn parameters_reach_urls() {
    let document = section(
        r#"Impl = (url as text, tenant as text) =>
    let
        base = url & "/api",
        a = Web.Contents(base),
        b = Get(url, "x"),
        c = Web.Contents("https://example.com/" & tenant),
        d = Web.Contents(Uri.Combine(url, "v1")),
        e = Web.Contents(Text.Combine({url, "v1"}, "/"))
    in
        {a, b, c, d, e};
Get = (root, path) => Web.Contents(root & "/" & path);"#,
    );
    assert_eq!(
        urls(&document),
        [
            "param url",
            "text https://example.com/",
            "param url",
            "param url",
            "param url"
        ]
    );
}

/// `ValidateUrlScheme`, a `Text.StartsWith` test that raises, and a request inside the checked
/// branch all guard the URL; a check whose result is not used does not.
#[test]
fn https_guards() {
    let document = section(
        r#"Impl = (url as text) =>
    let
        checked = ValidateUrlScheme(url),
        a = Web.Contents(checked),
        b = if not Text.StartsWith(url, "https://") then error "https only" else Web.Contents(url),
        lowered = Text.Lower(url),
        c = if Text.StartsWith(lowered, "https://") then Web.Contents(url & "/x") else error "no",
        unused = ValidateUrlScheme(url),
        d = Web.Contents(url)
    in
        {a, b, c, d};
ValidateUrlScheme = (url as text) as text =>
    let scheme = Uri.Parts(url)[Scheme]
    in if scheme <> "https" then error "https only" else url;"#,
    );
    assert_eq!(urls(&document), ["", "", "", "param url"]);
}

/// A test that raises in neither branch guards the branch taken when the scheme is HTTPS,
/// through helpers that return the test (`IsValidUrl`), and nothing else.
#[test]
fn guards_that_choose_a_branch() {
    let document = section(
        r#"Impl = (url as text) =>
    let
        a = Web.Contents(if Text.StartsWith(url, "https://") then url else "https://example.com"),
        b = Web.Contents(if url <> null and IsValidUrl(url) then url & "/v2" else "https://example.com/v2"),
        c = Web.Contents(if not IsValidUrl(url) then "https://example.com" else url),
        d = Web.Contents(if Text.StartsWith(url, "https://") then "https://example.com" else url),
        e = Web.Contents(if IsValidUrl(url) or url = "" then url else "https://example.com")
    in
        {a, b, c, d, e};
IsValidUrl = (address as text) as logical => Uri.Parts(address)[Scheme] = "https" and Text.Contains(address, "example");"#,
    );
    assert_eq!(
        urls(&document),
        [
            "text https://example.com",
            "text https://example.com/v2",
            "text https://example.com",
            "text https://example.com, param url",
            "param url, text https://example.com"
        ]
    );
}

/// Helper parameters stand for the arguments of every call; literals come through, and a
/// scheme chosen between `http://` and `https://` shows both.
#[test]
fn call_sites_and_branches() {
    let document = section(
        r#"Impl = (secure as logical) => { Fetch("http://example.com"), Fetch2(secure, "example.com") };
Fetch = (address) => Web.Contents(address);
Fetch2 = (secure, host) => Web.Contents((if secure then "https://" else "http://") & host);"#,
    );
    assert_eq!(
        urls(&document),
        ["text http://example.com", "text https://, text http://"]
    );
}

/// Parameters of functions passed as values, `each` rows and library results: what cannot be
/// followed is unknown; a library function fed a parameter is `Derived`.
#[test]
fn what_cannot_be_followed() {
    let document = section(
        r#"Impl = (url as text) =>
    let
        a = List.Transform({"x"}, (u) => Web.Contents(u)),
        b = Table.AddColumn(#table({"U"}, {{"x"}}), "D", each Web.Contents([U])),
        c = Web.Contents(Text.Replace(url, " ", "")),
        d = Web.Contents(Json.Document(Web.Contents("https://example.com"))[next])
    in
        {a, b, c, d};"#,
    );
    assert_eq!(
        urls(&document),
        [
            "opaque u",
            "unknown: `[U]` is a field of the row an `each` function is given",
            "Text.Replace(url)",
            "",
            "text https://example.com"
        ]
    );
}

/// Fields of records (options passed as a parameter, records merged with `&`) are followed.
#[test]
fn record_fields() {
    let document = section(
        r#"Impl = (optional options as record) =>
    let
        config = [Base = "https://example.com"] & [Other = 1],
        a = Web.Contents(config[Base]),
        b = Web.Contents(options[BaseUrl])
    in
        {a, b};"#,
    );
    assert_eq!(
        urls(&document),
        ["text https://example.com", "param options"]
    );
}

/// A helper loaded from a module through `Extension.LoadFunction` is followed into the module.
#[test]
fn module_functions() {
    let document = section(
        r#"Impl = (url as text) => Web.Contents(Helpers[Check](url));
Extension.LoadFunction = (name as text) =>
    let binary = Extension.Contents(name), asText = Text.FromBinary(binary)
    in try Expression.Evaluate(asText, #shared) otherwise error "load";
Helpers = Extension.LoadFunction("Helpers.pqm");"#,
    );
    let module =
        r#"[Check = (url) => if Uri.Parts(url)[Scheme] <> "https" then error "no" else url]"#;
    assert_eq!(
        urls_with(&[("C.pq", &document), ("Helpers.pqm", module)]),
        [""]
    );
}

/// Cyclic definitions, recursive helpers, deep nesting and huge lists end quickly.
#[test]
fn hostile_definitions_terminate() {
    let mut big_list = String::from("{");
    for i in 0..30_000 {
        big_list.push_str(&format!("\"https://h{i}\","));
    }
    big_list.push_str("\"x\"}");
    let mut fan_out = String::from("f0 = url");
    for i in 1..40 {
        fan_out.push_str(&format!(", f{i} = f{} & f{}", i - 1, i - 1));
    }
    let deep = format!("{}url{}", "(".repeat(200), ")".repeat(200));
    let document = section(&format!(
        r#"Impl = (url as text) =>
    let
        a = b, b = a,
        {fan_out},
        r1 = Web.Contents(a),
        r2 = Web.Contents(Again(url)),
        r3 = Web.Contents(Text.Combine({big_list}, "")),
        r4 = Web.Contents(f39),
        r5 = Web.Contents({deep})
    in
        {{r1, r2, r3, r4, r5}};
Again = (u) => if u = "" then Again(u & "x") else u;"#
    ));
    let started = std::time::Instant::now();
    let found = urls(&document);
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    assert_eq!(found.len(), 5, "{found:?}");
    assert_eq!(found[0], "");
    assert_eq!(found[1], "param url");
    assert!(
        found[2].starts_with("text https://h0https://h1"),
        "{}",
        &found[2][..40]
    );
    assert_eq!(found[3], "param url");
    assert!(
        found[4].starts_with("param url") || found[4].contains("unknown"),
        "{}",
        found[4]
    );
}

/// Credential values are found through variables, helpers and query records; the kind of
/// the credential is not a credential.
#[test]
fn credential_values() {
    let document = section(
        r#"Impl = (url as text) =>
    let
        credential = Extension.CurrentCredential(),
        key = credential[Key],
        kind = credential[AuthenticationKind],
        a = Web.Contents(url, [Query = MakeQuery(key)]),
        b = Web.Contents(url, [Query = [kind = kind]])
    in
        {a, b};
MakeQuery = (k) => [api_key = Text.From(k)];"#,
    );
    let found = with_connector(&[("C.pq", &document)], |connector| {
        let flow = Flow::new(connector, &crate::rules::security::SECRETS);
        request_calls(connector)
            .map(|call| {
                let Some(options) = call.args.get(1) else {
                    return String::new();
                };
                let (records, unknown) = flow.records(options, &call.env, call.file);
                assert!(!unknown);
                records
                    .iter()
                    .filter_map(|record| {
                        let query = record.field("Query")?;
                        Some(describe(&flow.field_sources(record, query)))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .collect::<Vec<_>>()
    });
    assert_eq!(found, ["credential, field Key", ""]);
}

/// Value queries look into records and lists and report `Authorization` headers and sensitive
/// field accesses.
#[test]
fn value_contents() {
    let document = section(
        r#"Impl = (url as text) =>
    let
        token = Json.Document(Web.Contents(url))[access_token],
        headers = [Authorization = "Bearer " & token],
        traced = Diagnostics.Trace(TraceLevel.Information, "h", {headers}, false)
    in
        traced;"#,
    );
    let found = with_connector(&[("C.pq", &document)], |connector| {
        let flow = Flow::new(connector, &crate::rules::security::SECRETS);
        let call = connector
            .library_calls("Diagnostics.Trace")
            .next()
            .expect("a trace call");
        describe(&flow.value_sources(&call.args[2], &call.env, call.file))
    });
    assert_eq!(found, "authorization, field access_token");
}
