//! PQ601: the connector builds no navigation table.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::Kinds;
use crate::model::connector::navigation::navigation_calls;
use crate::rules::{Context, Priority};
use crate::syntax::ast::{ExprKind, Literal};

declare_rule! {
    /// ## What it checks
    /// The connector builds no navigation table.
    ///
    /// There is no call of `Table.ToNavigationTable`, no `NavigationTable.NameColumn`
    /// metadata anywhere, and no call of `Odbc.DataSource`, `OleDb.DataSource`,
    /// `AdoDotNet.DataSource`, `Adbc.DataSource` or `OData.Feed`, which build navigation
    /// tables themselves.
    /// Reported once, at the first data source function.
    ///
    /// ## Why it matters
    /// The navigator lets users pick the tables they want; certification expects connectors
    /// to provide one rather than return a single table or a raw value.
    ///
    /// ## Example
    /// `shared Contoso.Contents = (url as text) => Json.Document(Web.Contents(url));`
    ///
    /// Use instead: return `Table.ToNavigationTable(catalog, {"Key"}, "Name", "Data",
    /// "ItemKind", "ItemName", "IsLeaf")` over a table with one row per entity.
    pub(crate) static MISSING_NAVIGATION_TABLE = Rule {
        code: "PQ601",
        name: "missing-navigation-table",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

/// Library functions whose results are navigation tables. `Adbc.DataSource` is not in the
/// catalog's list but builds one just like `Odbc.DataSource` (seen in ADBC-based connectors).
const NAVIGATING_SOURCES: &[&str] = &[
    "Odbc.DataSource",
    "OleDb.DataSource",
    "AdoDotNet.DataSource",
    "Adbc.DataSource",
    "OData.Feed",
];

/// The metadata field that makes a table a navigation table.
const NAME_COLUMN: &str = "NavigationTable.NameColumn";

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let Some(first) = connector.data_sources().first() else {
        return;
    };
    if navigation_calls(connector).next().is_some()
        || connector
            .calls()
            .iter()
            .any(|call| NAVIGATING_SOURCES.contains(&call.name))
    {
        return;
    }
    let mut has_metadata = false;
    cx.for_each_expr_of(Kinds::RECORD.or(Kinds::TEXT), |expr, _, _| {
        match &expr.kind {
            ExprKind::Record(fields) => {
                has_metadata |= fields.iter().any(|f| f.name.name == NAME_COLUMN);
            }
            ExprKind::Literal(Literal::Text(text)) => has_metadata |= &**text == NAME_COLUMN,
            _ => {}
        }
    });
    if has_metadata {
        return;
    }
    cx.report(
        Finding::new("the connector builds no navigation table")
            .primary(first.file, first.member.name.span)
            .help(format!(
                "return a navigation table from `{}`, for example with the SDK's `Table.ToNavigationTable` helper",
                first.name()
            )),
    );
}

#[cfg(test)]
mod tests {
    use super::MISSING_NAVIGATION_TABLE as RULE;
    use crate::rules::navigation::HELPER;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose data source function is `() => body`.
    fn body(body: &str) -> Fixture {
        Fixture::finch().set("Finch.Contents", &format!("() => {body}"))
    }

    /// The helper, navigation metadata or a navigating source pass. A connector returning
    /// plain values from two data source functions is reported once.
    #[test]
    fn missing_navigation_table() {
        let cases = RuleCase::new(&RULE)
            .pass([
                Fixture::kestrel(),
                body(r#"Table.ToNavigationTable(#table({"Name"}, {}), {"Name"}, "Name", "Data", "ItemKind", "ItemName", "IsLeaf")"#)
                    .members(HELPER),
                body("Value.ReplaceType(t, Value.Type(t) meta [NavigationTable.NameColumn = \"Name\"])")
                    .members("t = #table({\"Name\"}, {});"),
                body("OData.Feed(\"https://f.example/odata\")"),
            ])
            .fail([body("\"Hello\"")
                .members("[DataSource.Kind = \"Finch\"]\nshared Finch.Other = () => 1;")]);
        insta::assert_snapshot!(cases.run());
    }
}
