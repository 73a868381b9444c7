//! PQ712: a native query is built by concatenating user input without escaping it.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::eval::resolve::call_of;
use crate::model::flow::OriginKind;
use crate::rules::{Context, Priority};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind};

declare_rule! {
    /// ## What it checks
    /// A native query concatenates a data source function's parameter without escaping it.
    ///
    /// The query argument of `Value.NativeQuery`, `Odbc.Query`, `OleDb.Query` or
    /// `AdoDotNet.Query` is a `&` chain, and one of its parts comes from a parameter of a data
    /// source function (what the user typed) without passing through an escaping function
    /// (a call whose name contains `Escape`, `Quote` or `Sanitize`, or a `Text.Replace` of a
    /// quote) or a conversion that cannot produce a quote (`Number.ToText`, `Logical.ToText`,
    /// `Date.ToText`, `DateTime.ToText`). One finding per query, each part labelled.
    ///
    /// ## Why it matters
    /// Text typed by a user becomes SQL: a quote in it ends the literal and the rest runs as a
    /// statement on the customer's database (SQL injection).
    ///
    /// ## Example
    /// `Odbc.Query(dsn, "SELECT * FROM sales WHERE region = '" & region & "'")`.
    ///
    /// Use instead: pass the value as a parameter,
    /// `Value.NativeQuery(db, "SELECT * FROM sales WHERE region = @region", [region = region])`,
    /// or escape it (`Text.Replace(region, "'", "''")`).
    pub(crate) static UNESCAPED_NATIVE_QUERY = Rule {
        code: "PQ712",
        name: "unescaped-native-query",
        default_severity: Severity::Warning,
        priority: Priority::P1,
    };
}

/// Native query functions and the position of their query argument.
const NATIVE_QUERIES: &[(&str, usize)] = &[
    ("Value.NativeQuery", 1),
    ("Odbc.Query", 1),
    ("OleDb.Query", 1),
    ("AdoDotNet.Query", 2),
];

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let flow = cx.flow();
    for (name, position) in NATIVE_QUERIES {
        for call in connector.library_calls(name) {
            let Some(query) = call.args.get(*position) else {
                continue;
            };
            let ExprKind::Binary { first, rest } = &strip_parens(query).kind else {
                continue;
            };
            if !rest.iter().all(|r| r.op == BinaryOp::Concatenate) {
                continue;
            }
            // One finding per query: the parts that carry user input, each labelled.
            let mut tainted: Vec<(String, crate::source::Span)> = Vec::new();
            for part in std::iter::once(&**first).chain(rest.iter().map(|r| &r.right)) {
                if is_escaped(part) {
                    continue;
                }
                let trace = flow.value_sources(part, &call.env, call.file);
                if let Some(param) = trace.origins.iter().find_map(|o| match &o.kind {
                    OriginKind::DataSourceParam { name, .. } => Some(name.clone()),
                    _ => None,
                }) {
                    tainted.push((param, part.span));
                }
            }
            let Some(((_, first_span), others)) = tainted.split_first() else {
                continue;
            };
            let mut params: Vec<&str> = tainted.iter().map(|(p, _)| p.as_str()).collect();
            params.dedup();
            let mut finding = Finding::new(format!(
                "the `{name}` query concatenates {} without escaping",
                match params.as_slice() {
                    [one] => format!("parameter `{one}`"),
                    many => format!("parameters `{}`", many.join("`, `")),
                }
            ))
            .primary_label(call.file, *first_span, "user input in SQL");
            for (_, span) in others {
                finding = finding.secondary(call.file, *span, "user input in SQL");
            }
            cx.report(
                finding
                    .secondary(call.file, call.expr.span, "native query")
                    .help("pass the value as a query parameter (`Value.NativeQuery(source, \"… @p\", [p = value])`) or escape its quotes"),
            );
        }
    }
}

fn strip_parens(expr: &Expr) -> &Expr {
    match &expr.kind {
        ExprKind::Parens(inner) => strip_parens(inner),
        _ => expr,
    }
}

/// Whether a part passes through an escaping function.
fn is_escaped(part: &Expr) -> bool {
    let Some((callee, args)) = call_of(strip_parens(part)) else {
        return false;
    };
    // Numbers, logicals and dates converted to text cannot hold a quote.
    if matches!(
        callee,
        "Number.ToText" | "Logical.ToText" | "Date.ToText" | "DateTime.ToText" | "Int64.ToText"
    ) {
        return true;
    }
    let lower = callee.to_ascii_lowercase();
    ["escape", "quote", "sanitize"]
        .iter()
        .any(|word| lower.contains(word))
        || (callee == "Text.Replace"
            && args
                .get(1)
                .and_then(Expr::as_text)
                .is_some_and(|from| from.contains('\'') || from.contains('"')))
}

#[cfg(test)]
mod tests {
    use super::UNESCAPED_NATIVE_QUERY;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose data source function is `function`.
    fn function(function: &str) -> Fixture {
        Fixture::finch().set("Finch.Contents", function)
    }

    /// Literal queries, query parameters, escaped values and constants pass; a parameter
    /// concatenated into the SQL fails.
    #[test]
    fn unescaped_native_query() {
        let cases = RuleCase::new(&UNESCAPED_NATIVE_QUERY)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                function(r#"(dsn as text) => Odbc.Query(dsn, "SELECT 1")"#),
                function(r#"(dsn as text, region as text) => Value.NativeQuery(Odbc.DataSource(dsn), "SELECT * FROM sales WHERE region = @region", [region = region])"#),
                function(r#"(dsn as text, region as text) => Odbc.Query(dsn, "SELECT * FROM sales WHERE region = '" & Text.Replace(region, "'", "''") & "'")"#),
                function(r#"(dsn as text, region as text) => Odbc.Query(dsn, "SELECT * FROM sales WHERE region = " & EscapeLiteral(region))"#)
                    .members(r#"EscapeLiteral = (t) => "'" & Text.Replace(t, "'", "''") & "'";"#),
                function(r#"(dsn as text) => let table = "sales" in Odbc.Query(dsn, "SELECT * FROM " & table)"#),
                function(r#"(dsn as text, top as number) => Odbc.Query(dsn, "SELECT TOP " & Number.ToText(top) & " * FROM sales")"#),
            ])
            .fail([
                function(r#"(dsn as text, region as text, product as text) => Odbc.Query(dsn, "SELECT * FROM sales WHERE region = '" & region & "' AND product = '" & product & "'")"#),
                function(r#"(server as text, filter as text) => Value.NativeQuery(Sql.Database(server, "db"), ("SELECT * FROM t WHERE " & filter))"#),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
