//! PQ604: a navigation column is not a column of the navigation table.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::navigation::{NAVIGATION_HELPER, navigation_calls};
use crate::model::connector::tables::static_table;
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};

declare_rule! {
    /// ## What it checks
    /// A column named in a `Table.ToNavigationTable` call is not a column of its table.
    ///
    /// Checked when the table's columns are statically known: a `#table` literal with literal
    /// column names, possibly followed by `Table.AddColumn` and `Table.RenameColumns` steps
    /// with literal names. The key columns and the name, data, itemKind, itemName and isLeaf
    /// column arguments that are literal texts must all be columns of that table.
    ///
    /// ## Why it matters
    /// The navigator fails at runtime when a column it is told to read does not exist, and
    /// the user sees an error instead of the navigator.
    ///
    /// ## Example
    /// `Table.ToNavigationTable(Table.AddColumn(#table({"Name", "Kind", "Leaf"}, rows), "Data",
    /// each …), {"Name"}, "Name", "Data", "ItemKind", "ItemKind", "IsLeaf")`
    ///
    /// Use instead: pass the table's own column names (`"Kind"`, `"Leaf"`), or rename the
    /// columns first.
    pub(crate) static NAVIGATION_COLUMN_NOT_FOUND = Rule {
        code: "PQ604",
        name: "navigation-column-not-found",
        default_severity: Severity::Error,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let resolver = &connector.resolver;
    for call in navigation_calls(connector) {
        let [table_arg, keys, rest @ ..] = call.args else {
            continue;
        };
        let table = static_table(resolver, table_arg, &call.env);
        if !table.complete {
            continue;
        }
        let mut names: Vec<(String, FileId, Span)> = Vec::new();
        if let Some((items, items_env)) = resolver.list(keys, &call.env) {
            let file = items_env.file();
            names.extend(
                items.iter().filter_map(|item| {
                    Some((resolver.text(item, &items_env).ok()?, file, item.span))
                }),
            );
        }
        names.extend(
            rest.iter()
                .take(5)
                .filter_map(|arg| Some((resolver.text(arg, &call.env).ok()?, call.file, arg.span))),
        );
        let columns: Vec<String> = table
            .columns
            .iter()
            .map(|c| format!("`{}`", c.name))
            .collect();
        for (name, file, span) in names {
            if table.column(&name).is_some() {
                continue;
            }
            let mut finding = Finding::new(format!(
                "column `{name}` is not in the table given to `{NAVIGATION_HELPER}`"
            ))
            .primary(file, span)
            .help(format!("the table's columns are {}", columns.join(", ")));
            if let Some((origin_file, origin_span)) = table.origin {
                finding = finding.secondary(origin_file, origin_span, "columns defined here");
            }
            cx.report(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NAVIGATION_COLUMN_NOT_FOUND as RULE;
    use crate::rules::navigation::HELPER;
    use crate::testing::{Fixture, RuleCase};

    /// Finch returning `Table.ToNavigationTable(table, columns)`, with the SDK helper.
    fn navigation(table: &str, columns: &str) -> Fixture {
        Fixture::finch()
            .set(
                "Finch.Contents",
                &format!("() => Table.ToNavigationTable({table}, {columns})"),
            )
            .members(HELPER)
    }

    /// Known columns pass, through steps; unknown tables are not checked. Columns missing
    /// from a literal table, or renamed away, are reported.
    #[test]
    fn navigation_column_not_found() {
        let columns = r#"{"K"}, "Name", "Data", "Kind", "Kind", "IsLeaf""#;
        let cases = RuleCase::new(&RULE)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                navigation(
                    r#"Table.AddColumn(Table.RenameColumns(#table({"N", "K", "Kind", "Leaf"}, {}), {{"N", "Name"}, {"Leaf", "IsLeaf"}}), "Data", each 1)"#,
                    columns,
                ),
                navigation(r#"Table.AddColumn(Source, "Data", each 1)"#, columns),
            ])
            .fail([navigation(
                r#"Table.RenameColumns(#table({"Name", "Key", "Kind", "Leaf"}, {}), {"Key", "Id"})"#,
                r#"{"Key"}, "Name", "Data", "Kind", "ItemName", "Leaf""#,
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
