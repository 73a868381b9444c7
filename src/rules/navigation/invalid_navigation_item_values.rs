//! PQ603: literal item kinds or leaf flags of a navigation table are invalid.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::navigation::navigation_calls;
use crate::model::connector::tables::{ColumnValues, static_table};
use crate::model::connector::{Call, Connector};
use crate::model::eval::resolve::{Definition, Env, Resolved};
use crate::model::eval::walk::walk;
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Expr, ExprKind};

declare_rule! {
    /// ## What it checks
    /// A literal ItemKind cell is not a navigator item kind, or a literal IsLeaf cell is not a logical.
    ///
    /// For each `Table.ToNavigationTable` call, the columns passed as itemKind and isLeaf are
    /// looked up in its table when it is built from a `#table` literal and `Table.AddColumn` /
    /// `Table.RenameColumns` steps. Literal cells of the `#table` rows, and literal bodies of
    /// `Table.AddColumn(…, each <literal>)`, are checked: ItemKind must be one of `Feed`,
    /// `Database`, `DatabaseServer`, `Dimension`, `Table`, `Folder`, `Function`, `View`,
    /// `Sheet`, `DefinedName`, `Record` (exact case), IsLeaf a logical. Computed cells are not
    /// checked, nor is ItemName (the documentation disagrees on its values).
    ///
    /// ## Why it matters
    /// Other item kinds get no icon in the navigator, and IsLeaf decides whether a node
    /// expands: a text `"true"` is not a logical.
    ///
    /// ## Example
    /// `{"Orders", "orders", "table", "Table", "true"}` as a row of the navigation table.
    ///
    /// Use instead: `{"Orders", "orders", "Table", "Table", true}`.
    pub(crate) static INVALID_NAVIGATION_ITEM_VALUES = Rule {
        code: "PQ603",
        name: "invalid-navigation-item-values",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

/// The item kinds the navigator has icons for.
const ITEM_KINDS: &[&str] = &[
    "Feed",
    "Database",
    "DatabaseServer",
    "Dimension",
    "Table",
    "Folder",
    "Function",
    "View",
    "Sheet",
    "DefinedName",
    "Record",
];

/// Argument positions of the itemKind and isLeaf column names in the SDK's seven-parameter
/// helper.
const ITEM_KIND_ARGUMENT: usize = 4;
const IS_LEAF_ARGUMENT: usize = 6;
const SDK_HELPER_PARAMETERS: usize = 7;

/// The positions of the itemKind and isLeaf arguments of a call of the navigation helper: the
/// parameters the helper puts in `NavigationTable.ItemKindColumn` and
/// `NavigationTable.IsLeafColumn`, or the SDK helper's positions when it has seven. `None`
/// when neither is known (a custom helper of another shape is not read by position).
fn column_positions(connector: &Connector<'_>, call: &Call<'_>) -> Option<(usize, usize)> {
    let function = match &call.callee {
        Definition::Value { expr, env, .. } => match connector.resolver.resolve(expr, env) {
            Resolved::Function(function, env) => Some((function, env)),
            _ => None,
        },
        _ => None,
    };
    let Some((function, env)) = function else {
        return (call.args.len() == SDK_HELPER_PARAMETERS)
            .then_some((ITEM_KIND_ARGUMENT, IS_LEAF_ARGUMENT));
    };
    let position_of = |name: &str| function.params.iter().position(|p| p.name.name == name);
    let (mut item_kind, mut is_leaf) = (None, None);
    walk(&function.body, &env, env.file(), &mut |expr, _| {
        let ExprKind::Record(fields) = &expr.kind else {
            return;
        };
        for field in fields {
            let Some(param) = field.value.as_ident() else {
                continue;
            };
            match &*field.name.name {
                "NavigationTable.ItemKindColumn" => {
                    item_kind = item_kind.or(position_of(&param.name))
                }
                "NavigationTable.IsLeafColumn" => is_leaf = is_leaf.or(position_of(&param.name)),
                _ => {}
            }
        }
    });
    match (item_kind, is_leaf) {
        (Some(item_kind), Some(is_leaf)) => Some((item_kind, is_leaf)),
        _ => (function.params.len() == SDK_HELPER_PARAMETERS)
            .then_some((ITEM_KIND_ARGUMENT, IS_LEAF_ARGUMENT)),
    }
}

#[derive(Clone, Copy)]
enum Column {
    ItemKind,
    IsLeaf,
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let resolver = &connector.resolver;
    let mut reported: Vec<(FileId, Span)> = Vec::new();
    for call in navigation_calls(connector) {
        let Some(table_arg) = call.args.first() else {
            continue;
        };
        let Some((item_kind, is_leaf)) = column_positions(connector, call) else {
            continue;
        };
        let table = static_table(resolver, table_arg, &call.env);
        for (position, column) in [(item_kind, Column::ItemKind), (is_leaf, Column::IsLeaf)] {
            let Some(Ok(name)) = call.args.get(position).map(|a| resolver.text(a, &call.env))
            else {
                continue;
            };
            let Some(known) = table.column(&name) else {
                continue;
            };
            let cells: Vec<(&Expr, &Env<'_>)> = match &known.values {
                ColumnValues::Cells(cells) => cells.iter().map(|(e, env)| (*e, env)).collect(),
                ColumnValues::Each(body, env) => vec![(*body, env)],
                ColumnValues::Unknown => Vec::new(),
            };
            for (cell, env) in cells {
                let at = (env.file(), cell.span);
                if reported.contains(&at) {
                    continue;
                }
                let Some((message, help)) = problem(column, &name, resolver.resolve(cell, env))
                else {
                    continue;
                };
                reported.push(at);
                cx.report(Finding::new(message).primary(at.0, at.1).help(help));
            }
        }
    }
}

/// What is wrong with a cell's resolved value, if anything; computed values are not checked.
fn problem(column: Column, name: &str, value: Resolved<'_>) -> Option<(String, String)> {
    match (column, value) {
        (_, Resolved::Computed(_) | Resolved::Param { .. }) => None,
        (Column::ItemKind, Resolved::Text(kind)) if ITEM_KINDS.contains(&kind.as_str()) => None,
        (Column::ItemKind, Resolved::Text(kind)) => {
            let help = match ITEM_KINDS.iter().find(|k| k.eq_ignore_ascii_case(&kind)) {
                Some(exact) => format!("item kinds are case-sensitive: write `{exact}`"),
                None => format!("use one of {}", ITEM_KINDS.join(", ")),
            };
            Some((
                format!("item kind `{kind}` in column `{name}` is not a navigator item kind"),
                help,
            ))
        }
        (Column::ItemKind, other) => Some((
            format!(
                "item kind in column `{name}` is {}, not text",
                other.describe()
            ),
            format!("use one of {}", ITEM_KINDS.join(", ")),
        )),
        (Column::IsLeaf, Resolved::Logical(_)) => None,
        (Column::IsLeaf, other) => Some((
            format!(
                "leaf flag in column `{name}` is {}, not a logical",
                other.describe()
            ),
            "write `true` for items without children, `false` for items that expand".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::INVALID_NAVIGATION_ITEM_VALUES as RULE;
    use crate::rules::navigation::HELPER;
    use crate::testing::{Fixture, RuleCase};

    /// Finch returning a navigation table built from these `rows` of `Name`, `Key`, `Kind`
    /// and `IsLeaf` by these `steps` (ending in `result`), with the SDK helper.
    fn navigation(rows: &str, steps: &str) -> Fixture {
        let body = format!(
            "let source = #table({{\"Name\", \"Key\", \"Kind\", \"IsLeaf\"}}, {{{rows}}}), {steps} in Table.ToNavigationTable(result, {{\"Key\"}}, \"Name\", \"Data\", \"ItemKind\", \"Kind\", \"IsLeaf\")"
        );
        Fixture::finch()
            .set("Finch.Contents", &format!("() => {body}"))
            .members(HELPER)
    }

    const RENAMED: &str = "renamed = Table.RenameColumns(source, {\"Kind\", \"ItemKind\"}), result = Table.AddColumn(renamed, \"Data\", each 1)";

    /// Valid literal kinds and flags pass; computed cells are not checked. A wrong-case
    /// kind, an unknown kind, a text or null flag, and an added unknown kind and text flag
    /// are reported.
    #[test]
    fn invalid_navigation_item_values() {
        let added = "withKind = Table.AddColumn(Table.RemoveColumns(source, {\"Kind\", \"IsLeaf\"}), \"ItemKind\", each \"Subcube\"), result = Table.AddColumn(withKind, \"IsLeaf\", each \"yes\")";
        let cases = RuleCase::new(&RULE)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                navigation(
                    r#"{"A", "a", "Table", true}, {"B", "b", "Folder", false}, {"C", "c", Kinds{0}, Flag}"#,
                    RENAMED,
                ),
            ])
            .fail([
                navigation(
                    r#"{"A", "a", "table", "true"}, {"B", "b", "Cube", null}"#,
                    RENAMED,
                ),
                navigation(r#"{"A", "a", "Table", true}"#, added),
            ]);
        insta::assert_snapshot!(cases.run());
    }

    /// A custom helper with more parameters is read by where its body puts each column:
    /// here the description column is fifth and holds free text, which passes, while a bad
    /// item kind in the real item kind column fails.
    #[test]
    fn custom_helper_shape() {
        let helper = r#"Table.ToNavigationTable = (table as table, keyColumns as list, nameColumn as text, dataColumn as text, descriptionColumn as text, itemKindColumn as text, itemNameColumn as text, isLeafColumn as text, hidden as logical) as table =>
    let
        newType = Type.AddTableKey(Value.Type(table), keyColumns, true) meta [
            NavigationTable.NameColumn = nameColumn,
            NavigationTable.DataColumn = dataColumn,
            NavigationTable.ItemKindColumn = itemKindColumn,
            Preview.DelayColumn = itemNameColumn,
            NavigationTable.IsLeafColumn = isLeafColumn
        ]
    in
        Value.ReplaceType(table, newType);"#;
        let navigation = |kind: &str| {
            let body = format!(
                r#"let source = #table({{"Name", "Key", "About", "Kind", "IsLeaf", "Data"}}, {{{{"A", "a", "Sales by region", "{kind}", true, 1}}}}) in Table.ToNavigationTable(source, {{"Key"}}, "Name", "Data", "About", "Kind", "Kind", "IsLeaf", false)"#
            );
            Fixture::finch()
                .set("Finch.Contents", &format!("() => {body}"))
                .members(helper)
        };
        let cases = RuleCase::new(&RULE)
            .pass([navigation("Table")])
            .fail([navigation("Cube")]);
        insta::assert_snapshot!(cases.run());
    }
}
