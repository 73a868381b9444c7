//! Real connectors' code that rules once misread, each as a small connector of our own: the
//! misread form must give no finding, and its defective twin must still give one. Every case
//! runs through `check_package` with only its rule selected.

use mezcheck::config::{FileConfig, Overrides};
use mezcheck::diagnostic::Severity;
use mezcheck::testing::archive;

/// The findings of `code` (at `severity` or above) on a package holding `entries`.
fn findings(code: &str, severity: Severity, entries: &[(&str, &str)]) -> Vec<String> {
    let overrides = Overrides {
        select: Some(vec![code.to_owned()]),
        ..Overrides::default()
    };
    let config =
        mezcheck::rules::selection::resolve(&FileConfig::default(), &overrides).expect("one rule");
    let entries: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(name, text)| (*name, text.as_bytes()))
        .collect();
    let report = mezcheck::check_package(archive("Wren.mez", &entries), &config).report;
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity >= severity)
        .map(|d| format!("{} {}", d.rule.code, d.message))
        .collect()
}

/// A connector `Wren` whose data source function is `shared Wren.Contents = {function};`,
/// followed by `members`.
fn wren(function: &str, members: &str) -> String {
    format!(
        "[Version = \"1.0.0\"]\nsection Wren;\n\n[DataSource.Kind = \"Wren\", Publish = \"Wren.Publish\"]\nshared Wren.Contents = {function};\n\nWren = [Authentication = [Anonymous = []], Label = \"Wren\"];\nWren.Publish = [Beta = true, Category = \"Other\", ButtonText = {{\"Wren\", \"Wren\"}}];\n{members}\n"
    )
}

fn assert_clean(code: &str, source: &str) {
    let found = findings(code, Severity::Warning, &[("Wren.pq", source)]);
    assert!(found.is_empty(), "{code} misreads:\n{source}\n{found:#?}");
}

fn assert_found(code: &str, source: &str) {
    let found = findings(code, Severity::Warning, &[("Wren.pq", source)]);
    assert!(!found.is_empty(), "{code} misses:\n{source}");
}

/// PQ701: the HTTPS test is bound to a variable, and the request is bound to another one that
/// only the checked branch uses.
#[test]
fn https_test_bound_to_a_variable() {
    let checked = wren(
        r#"(url as text) =>
    let
        isValid = Text.StartsWith(url, "https://") and Text.EndsWith(Uri.Parts(url)[Host], ".example.com"),
        feed = OData.Feed(url, null, [Implementation = "2.0"])
    in
        if isValid then feed else error "only HTTPS hosts of example.com""#,
        "",
    );
    assert_clean("PQ701", &checked);
    let unchecked = checked.replacen("if isValid then feed else", "if true then feed else", 1);
    assert_found("PQ701", &unchecked);
    let used_outside = checked.replacen(
        r#"if isValid then feed else error "only HTTPS hosts of example.com""#,
        "if isValid then feed else Table.FirstN(feed, 1)",
        1,
    );
    assert_found("PQ701", &used_outside);
}

/// PQ707: module text reaches `Expression.Evaluate` through a helper that returns it, a record
/// of module texts returned by a function, a logging helper that returns its value, or literal
/// placeholders filled in; code built from a parameter still fails.
#[test]
fn module_text_through_helpers() {
    let module = ("Query.pqm", "(x) => x + 1");
    let check = |body: &str, members: &str| {
        let source = wren(body, members);
        findings(
            "PQ707",
            Severity::Warning,
            &[("Wren.pq", &source), module, ("Main.pqm", "1")],
        )
    };
    let helpers = r#"
Load = (name as text) => Text.FromBinary(Extension.Contents(name));
Code.Fetch = () => [Main = Text.FromBinary(Extension.Contents("Main.pqm")), Query = Load("Query.pqm")];
Tracing = false;
Log = if Tracing then (message, value) => Diagnostics.Trace(TraceLevel.Information, message, value, false) else (message, value) => value;"#;
    for clean in [
        r#"() => Expression.Evaluate(Load("Query.pqm"), #shared)"#,
        r#"() => Expression.Evaluate(Code.Fetch()[Main], #shared)"#,
        r#"() => Expression.Evaluate(Log("code", "let x = 1 in x"), #shared)"#,
        r#"() => Expression.Evaluate(Text.Replace(Load("Query.pqm"), "{limit}", "100"), #shared)"#,
    ] {
        let found = check(clean, helpers);
        assert!(found.is_empty(), "PQ707 misreads {clean}: {found:#?}");
    }
    for defective in [
        r#"(limit as text) => Expression.Evaluate(Text.Replace(Load("Query.pqm"), "{limit}", limit), #shared)"#,
        r#"(name as text) => Expression.Evaluate(Log("code", "Table.SelectRows(T, each [Name] = """ & name & """)"), #shared)"#,
    ] {
        assert!(
            !check(defective, helpers).is_empty(),
            "PQ707 misses {defective}"
        );
    }
}

/// `info`: an `Authentication` record that is computed (an `if` on a value known only at run
/// time, a helper call) is reported as computed, never as "no authentication"; one the
/// evaluator can follow (a helper returning a record) is listed.
#[test]
fn info_says_when_authentication_is_computed() {
    let describe = |kind: &str, members: &str| {
        let source = format!(
            "[Version = \"1.0.0\"]\nsection Wren;\n[DataSource.Kind = \"Wren\", Publish = \"Wren.Publish\"]\nshared Wren.Contents = () => 1;\nWren = {kind};\n{members}\n"
        );
        let info =
            mezcheck::describe_package(archive("Wren.mez", &[("Wren.pq", source.as_bytes())]));
        let mut text = Vec::new();
        mezcheck::output::info::render_info(
            &[info],
            mezcheck::output::info::InfoFormat::Text,
            &mut text,
        )
        .expect("render");
        String::from_utf8(text).expect("UTF-8")
    };
    let computed = describe(
        "[Authentication = if Environment.FeatureSwitch(\"x\", false) then [Key = []] else [Aad = []]]",
        "",
    );
    assert!(computed.contains("sign-in: computed"), "{computed}");
    let followed = describe(
        "[Authentication = Auth()]",
        "Auth = () => [Key = [KeyLabel = \"k\"]];",
    );
    assert!(followed.contains("sign-in: Key"), "{followed}");
}

/// A member that reads a library function from `#shared` under its own name
/// (`Extension.Contents = Record.FieldOrDefault(#shared, "Extension.Contents", …)`) is that
/// library function: icons loaded through it are icons, and strings loaded through it are read
/// from `resources.resx`. A member of the same name that is something else is not.
#[test]
fn library_functions_read_from_shared() {
    let icons = |alias: &str| {
        let source = wren(
            "() => 1",
            &format!(
                "{alias}\nWren.Icons = [Icon16 = {{Extension.Contents(\"Wren16.png\"), Extension.Contents(\"Wren20.png\"), Extension.Contents(\"Wren24.png\"), Extension.Contents(\"Wren32.png\")}}, Icon32 = {{Extension.Contents(\"Wren32.png\"), Extension.Contents(\"Wren40.png\"), Extension.Contents(\"Wren48.png\"), Extension.Contents(\"Wren64.png\")}}];"
            ),
        )
        .replace(
            "ButtonText = {\"Wren\", \"Wren\"}",
            "ButtonText = {\"Wren\", \"Wren\"}, SourceImage = Wren.Icons, SourceTypeImage = Wren.Icons",
        );
        findings("PQ306", Severity::Warning, &[("Wren.pq", &source)])
    };
    assert_eq!(
        icons(
            r#"Extension.Contents = Record.FieldOrDefault(#shared, "Extension.Contents", (name) => null);"#
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        icons(r#"Extension.Contents = #shared[Extension.Contents];"#),
        Vec::<String>::new()
    );
    assert!(!icons("Extension.Contents = (name) => null;").is_empty());
}

/// PQ704: claims decoded from the token (tenant, user id) may go into the URL while the token
/// itself goes in a header; the token in the URL of a GET still fails.
#[test]
fn claims_decoded_from_a_token_are_not_the_token() {
    let source = |url: &str| {
        wren(
            &format!(
                r#"() =>
    let
        token = Extension.CurrentCredential()[access_token],
        payload = Text.Split(token, "."){{1}},
        claims = Json.Document(Binary.FromText(payload, BinaryEncoding.Base64)),
        tenant = claims[tid],
        user = claims[oid],
        response = Web.Contents({url}, [Headers = [Authorization = "Bearer " & token]])
    in
        Json.Document(response)"#
            ),
            "",
        )
        .replace(
            "[Anonymous = []]",
            "[OAuth = [StartLogin = (a, b, c, d) => [], FinishLogin = (a, b, c) => []]]",
        )
    };
    assert_clean(
        "PQ704",
        &source(r#""https://api.contoso.example/tenants/" & tenant & "/users/" & user"#),
    );
    assert_found(
        "PQ704",
        &source(r#""https://api.contoso.example/me?access_token=" & token"#),
    );
}

/// PQ704: `Record.Field(credential, "Properties")` reads credential metadata like
/// `credential[Properties]` does, so an id returned next to the token may go into the URL
/// path; `Record.Field(credential, "access_token")` in the URL still fails.
#[test]
fn record_field_reads_like_field_access() {
    let source = |part: &str| {
        wren(
            &format!(
                r#"() =>
    let
        credential = Extension.CurrentCredential(),
        part = {part},
        response = Web.Contents("https://api.contoso.example/v3/company/" & part & "/accounts", [Headers = [Authorization = "Bearer " & credential[access_token]]])
    in
        Json.Document(response)"#
            ),
            "",
        )
        .replace("[Anonymous = []]", "[OAuth = [StartLogin = (a, b, c) => [], FinishLogin = (a, b, c) => []]]")
    };
    assert_clean(
        "PQ704",
        &source(r#"Record.Field(Record.Field(credential, "Properties"), "realmId")"#),
    );
    assert_found(
        "PQ704",
        &source(r#"Record.Field(credential, "access_token")"#),
    );
}

/// A project folder whose connector loads a root `.pq` file as a module
/// (`Extension.LoadFunction("Helper.pq")`) has one section document and one module, not two
/// section documents (PQ016) nor an expression saved as a connector (PQ101); the same files
/// with no load still fail.
#[test]
fn root_pq_loaded_as_a_module() {
    let dir = tempfile::tempdir().expect("temp dir");
    let section = wren(
        "() => Helper(1)",
        r#"Extension.LoadFunction = (name as text) => Expression.Evaluate(Text.FromBinary(Extension.Contents(name)), #shared);
Helper = Extension.LoadFunction("Helper.pq");"#,
    );
    let check = |section: &str| {
        let folder = dir.path().join("Wren");
        std::fs::create_dir_all(&folder).expect("folder");
        std::fs::write(folder.join("Wren.pq"), section).expect("write");
        std::fs::write(folder.join("Helper.pq"), "(x) => x + 1").expect("write");
        let overrides = Overrides {
            select: Some(vec!["PQ016".into(), "PQ101".into()]),
            ..Overrides::default()
        };
        let config = mezcheck::rules::selection::resolve(&FileConfig::default(), &overrides)
            .expect("selectors");
        let package = mezcheck::package::load(&folder, "Wren").expect("folder loads");
        mezcheck::check_package(package, &config)
            .report
            .diagnostics
            .iter()
            .map(|d| d.rule.code)
            .collect::<Vec<_>>()
    };
    assert_eq!(check(&section), Vec::<&str>::new());
    let unloaded = section.replace(r#"Extension.LoadFunction("Helper.pq")"#, "1");
    assert!(!check(&unloaded).is_empty());
}
