//! What counts as a literal value, tested once here for every rule that relies on it.

use crate::model::Model;
use crate::model::connector::Connector;
use crate::model::eval::resolve::Resolved;
use crate::testing::archive;

const RESX: &[u8] = br#"<root><resheader name="resmimetype"><value>text/microsoft-resx</value></resheader><resheader name="reader"><value>R</value></resheader><resheader name="writer"><value>W</value></resheader><data name="Title" xml:space="preserve"><value>Kestrel Analytics</value></data></root>"#;

/// Builds a model from a section document and optional extra entries.
fn model(section: &str, extra: &[(&str, &[u8])]) -> Model {
    let mut entries: Vec<(&str, &[u8])> =
        vec![("K.pq", section.as_bytes()), ("resources.resx", RESX)];
    entries.extend_from_slice(extra);
    Model::build(archive("K.mez", &entries))
}

/// The resolved text of the section member `name`.
fn member_text(model: &Model, name: &str) -> Result<String, String> {
    let connector = Connector::build(model);
    let section = connector.section.as_ref().expect("section");
    let member = section
        .document
        .members
        .iter()
        .find(|m| m.name.name == name)
        .expect("member");
    connector
        .resolver
        .text(&member.value, &section.env)
        .map_err(|c| c.reason)
}

/// Names, `let` variables, parentheses, `meta`, `&` and LoadString resolve to literal text.
#[test]
fn literal_texts_resolve() {
    let model = model(
        r#"section K;
        Base = "https://api.example";
        Url = Base & "/v2" & Suffix;
        Suffix = let s = ("/x" meta [a = 1]) in s;
        Title = Extension.LoadString("Title");
        Shadow = let Extension.LoadString = (k) => "no" in Extension.LoadString("Title");"#,
        &[],
    );
    assert_eq!(
        member_text(&model, "Url"),
        Ok("https://api.example/v2/x".to_owned())
    );
    assert_eq!(
        member_text(&model, "Title"),
        Ok("Kestrel Analytics".to_owned())
    );
    assert_eq!(
        member_text(&model, "Shadow"),
        Ok("no".to_owned()),
        "a shadowed LoadString is the connector's function, called"
    );
}

/// Calls of connector functions bind their arguments; fields and items of literal records and
/// lists, `if` with a known condition or equal branches, and `Diagnostics.Trace` (which returns
/// its value) resolve too.
#[test]
fn calls_fields_and_branches_resolve() {
    let model = model(
        r#"section K;
        Tracing = false;
        Log = if Tracing then (level, message, value) => Diagnostics.Trace(level, message, value, false) else (level, message, value) => value;
        Logged = Log(1, "code", "let x = 1 in x");
        Unknown = if Text.Length(Logged) > 3 then (v) => Diagnostics.Trace(1, "m", v) else (v) => v;
        Either = Unknown("same");
        Code = () => [Main = "1 + 1", Other = Main & " + 2"];
        Field = Code()[Other];
        Item = {"a", "b"}{1};
        Choice = if Tracing then "on" else "off";
        Param = (x) => x;
        Missing = Param();"#,
        &[],
    );
    for (name, text) in [
        ("Logged", "let x = 1 in x"),
        ("Either", "same"),
        ("Field", "1 + 1 + 2"),
        ("Item", "b"),
        ("Choice", "off"),
    ] {
        assert_eq!(member_text(&model, name), Ok(text.to_owned()), "{name}");
    }
    assert!(member_text(&model, "Missing").is_err());
}

/// Calls, fields and cycles are computed, with a reason; cycles end quickly.
#[test]
fn computed_values_say_why() {
    let model = model(
        r#"section K;
        A = B; B = A;
        C = Text.Upper("x");
        D = [x = "y"][z];
        E = Extension.LoadString("Missing");"#,
        &[],
    );
    assert!(member_text(&model, "A").unwrap_err().contains("cyclic"));
    assert!(
        member_text(&model, "C")
            .unwrap_err()
            .contains("`Text.Upper`")
    );
    assert!(member_text(&model, "D").is_err());
    assert!(
        member_text(&model, "E")
            .unwrap_err()
            .contains("`Missing` is not in `resources.resx`")
    );
}

/// A helper's parameter stands for the literal arguments of every call, reported at each call;
/// a non-literal call makes that value computed.
#[test]
fn helper_parameters_expand_through_calls() {
    let model = model(
        r#"section K;
        Extension.LoadFunction = (name as text) =>
            let binary = Extension.Contents(name), text = Text.FromBinary(binary)
            in try Expression.Evaluate(text, #shared) catch (e) => error e;
        Nav = Extension.LoadFunction("Nav.pqm");
        Other = Extension.LoadFunction("Other" & ".pqm");
        Dynamic = (n) => Extension.LoadFunction(n);"#,
        &[("Nav.pqm", b"(t) => t"), ("Other.pqm", b"1")],
    );
    let connector = Connector::build(&model);
    let targets: Vec<String> = connector
        .contents()
        .iter()
        .map(|c| {
            c.target
                .clone()
                .unwrap_or_else(|computed| format!("computed: {}", computed.reason))
        })
        .collect();
    assert_eq!(
        targets,
        ["Nav.pqm", "Other.pqm", "computed: a function parameter"]
    );
    assert!(
        connector.contents().iter().all(|c| c.via.is_some()),
        "each target points at its call"
    );
    let modules: Vec<_> = connector
        .module_loads()
        .iter()
        .filter_map(|m| m.target.clone().ok())
        .collect();
    assert_eq!(modules, ["Nav.pqm", "Other.pqm"]);
}

/// Function shapes follow names, `let` and `Value.ReplaceType` to the ascribed function type
/// and its metadata.
#[test]
fn function_shapes_follow_value_replace_type() {
    let model = model(
        r#"section K;
        [DataSource.Kind = "K", Publish = "K.Publish"]
        shared K.Contents = Value.ReplaceType(Impl, KType);
        KType = let t = type function (url as (Uri.Type meta [Documentation.FieldCaption = "URL"]), optional n as number)
            as table meta [Documentation.Name = Extension.LoadString("Title")] in t;
        Impl = (url, optional n) => url;
        K = [Authentication = [Anonymous = []]];
        K.Publish = [ButtonText = {"K", "K"}];"#,
        &[],
    );
    let connector = Connector::build(&model);
    let Ok(shape) = &connector.data_sources()[0].shape else {
        panic!("the shape resolves")
    };
    assert!(shape.ascribed && shape.implementation.is_some());
    assert_eq!(
        shape.signature(),
        "(url as Uri.Type, optional n as number) as table"
    );
    let (caption, env) = shape.params[0]
        .metadata_field("Documentation.FieldCaption")
        .expect("caption");
    assert_eq!(
        connector
            .resolver
            .text(&caption.value, &env)
            .ok()
            .as_deref(),
        Some("URL")
    );
    let (name, env) = shape.metadata_field("Documentation.Name").expect("name");
    assert!(
        matches!(connector.resolver.resolve(&name.value, &env), Resolved::Text(t) if t == "Kestrel Analytics")
    );
    assert_eq!(connector.kinds()[0].authentication[0].kind(), "Anonymous");
    assert!(connector.publishes()[0].fields.is_some());
}

/// Computed kinds and shapes are marked computed, never guessed; a broken member elsewhere
/// does not stop the model.
#[test]
fn partial_and_computed_models() {
    let model = model(
        r#"section K;
        [DataSource.Kind = "K"] shared K.Contents = MakeFunction();
        Broken = let in;
        K = Record.Combine({[Authentication = []]});"#,
        &[],
    );
    let connector = Connector::build(&model);
    assert_eq!(connector.data_sources().len(), 1);
    assert!(connector.data_sources()[0].shape.is_err());
    assert!(
        connector.kinds()[0].fields.is_none(),
        "a computed Kind record is not guessed"
    );
}
