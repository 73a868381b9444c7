//! PQ119: a name the section document uses is defined nowhere.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::library;
use crate::model::connector::Kinds;
use crate::rules::{Context, Priority};
use crate::source::Span;
use crate::suggest::{Suggester, quarter_of_name};
use crate::syntax::ast::{ExprKind, TryHandler};

declare_rule! {
    /// ## What it checks
    /// A name the section document uses is defined nowhere.
    ///
    /// An identifier in the section document that names no variable, field, parameter or
    /// section member in scope (M's scoping: a `let` variable or record field is not in scope
    /// inside its own value), no `catch` parameter, and no global of M's standard library or
    /// the Power Query SDK, and not a primitive type name (`text`, `number`…, read as a name
    /// where a type is expected). A dotted name (`Text.Combin`) is reported only when its namespace
    /// (`Text`) is a library namespace, so a data source function of another connector that
    /// the table does not list is not mistaken for a typo. `_` (the parameter of `each`) and
    /// names inside `.pqm` modules, whose environment their loader decides, are not checked.
    ///
    /// ## Why it matters
    /// Evaluating the name raises an error, so the connector fails where it is used. A typical
    /// cause is a placeholder comment that swallows a separator: in
    /// `client_id = // fill in;` the comment runs to the end of the line, so the variables
    /// after it are never defined, yet they are still used.
    ///
    /// ## Example
    /// `token = Web.Contents(token_uri, [Content = Text.ToBinary("secret=" & client_secret)])`
    /// where `client_secret` is defined nowhere.
    ///
    /// Use instead: define the name, or correct its spelling.
    pub(crate) static UNDEFINED_NAME = Rule {
        code: "PQ119",
        name: "undefined-name",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

/// M's primitive type names: where a type is expected (`x as (text meta […])`) the parser
/// reads them as names.
const PRIMITIVE_TYPES: &[&str] = &[
    "any",
    "anynonnull",
    "binary",
    "date",
    "datetime",
    "datetimezone",
    "duration",
    "function",
    "list",
    "logical",
    "none",
    "null",
    "number",
    "record",
    "table",
    "text",
    "time",
    "type",
];

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    // In a document with syntax errors, the definition may be the member that did not parse
    // (PQ100 reports it).
    let Some(section) = super::clean_section(cx) else {
        return;
    };
    let file = section.file;
    // `catch (e) => …` binds `e` in its body; the walk's environments do not.
    let mut caught: Vec<(&str, Span)> = Vec::new();
    connector.for_each_expr_of(Kinds::TRY, |expr, _, expr_file| {
        if expr_file == file
            && let ExprKind::Try(try_expr) = &expr.kind
            && let Some(TryHandler::Catch {
                param: Some(param),
                body,
                ..
            }) = &try_expr.handler
        {
            caught.push((&param.name, body.span));
        }
    });
    let mut undefined: Vec<(&str, Span)> = Vec::new();
    connector.for_each_expr_of(Kinds::IDENT, |expr, env, expr_file| {
        let ExprKind::Ident(ident) = &expr.kind else {
            return;
        };
        let name = ident.name.as_str();
        if expr_file != file
            || name == "_"
            || library::lookup(name).is_some()
            || PRIMITIVE_TYPES.contains(&name)
            || !env.lookup_at(name, expr.span).is_external()
            || caught
                .iter()
                .any(|(n, body)| *n == name && contains(*body, expr.span))
        {
            return;
        }
        if let Some((namespace, _)) = name.rsplit_once('.')
            && !library::is_namespace(namespace)
        {
            return;
        }
        undefined.push((name, expr.span));
    });
    if undefined.is_empty() {
        return;
    }
    let members = section.document.members.iter().map(|m| &*m.name.name);
    let library = library::names().iter().map(|n| n.name);
    let suggester = Suggester::new(members.chain(library), false);
    for (name, span) in undefined {
        let help = match suggester.nearest(name, quarter_of_name) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => "define the name, or correct its spelling".to_owned(),
        };
        cx.report(
            Finding::new(format!("`{name}` is not defined"))
                .primary_label(file, span, "defined nowhere")
                .help(help),
        );
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

#[cfg(test)]
mod tests {
    use super::UNDEFINED_NAME;
    use crate::testing::{Fixture, RuleCase};

    /// Names in scope, library names, `_`, `catch` parameters, unknown namespaces and modules
    /// pass; a variable swallowed by a comment, a field's own name inside its value and a
    /// misspelled library function fail.
    #[test]
    fn undefined_name() {
        let cases = RuleCase::new(&UNDEFINED_NAME)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().members(
                    r#"A = let x = 1, y = x + Number.PI in y;
B = [a = 1, b = a];
C = List.Transform({1}, each _ + 1);
D = try error "x" catch (e) => e[Message];
E = Snowflake.Databases("host", "warehouse");
F = Value.ReplaceType((p) => Text.Upper(p), type function (p as Uri.Type) as text);
G = type function (p as (text meta [Documentation.FieldCaption = "P"])) as table;"#,
                ),
                Fixture::finch()
                    .members(
                        r#"H = Expression.Evaluate(Text.FromBinary(Extension.Contents("Helpers.pqm")), #shared);"#,
                    )
                    .entry("Helpers.pqm", b"(x) => x + defined_by_the_loader"),
                // The definition of `Helper` is swallowed by the broken member before it.
                Fixture::finch().members("A = Helper(1);\nX = 1 +\nHelper = (x) => x;"),
            ])
            .fail([
                Fixture::finch().members(
                    "client_id = // fill in;\nclient_secret = \"s\";\nToken = client_id & client_secret;",
                ),
                Fixture::finch().members("R = [state = state];"),
                Fixture::finch().members(r#"T = Text.Combin({"a", "b"});"#),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
