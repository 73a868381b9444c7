//! PQ605: a navigation table fetches every table while it is built.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::navigation::{NAVIGATION_HELPER, navigation_calls};
use crate::model::connector::tables::{TableBase, static_table};
use crate::model::eval::follow::{follow, library_call, row_function_body};
use crate::model::eval::resolve::{Env, Resolver};
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Expr, ExprKind, Field, Postfix};

declare_rule! {
    /// ## What it checks
    /// A navigation table's data column is filled by direct function calls in records instead of lazily.
    ///
    /// The table given to `Table.ToNavigationTable` is built with `Table.FromRecords` from a
    /// list of records, or from `List.Transform` / `Table.TransformRows` producing records,
    /// whose data field (the dataColumn argument) is a direct function call rather than a
    /// column added with `Table.AddColumn(…, each …)`. Reported once per call.
    ///
    /// ## Why it matters
    /// Building the rows this way can fetch every table before the user picks one, which makes
    /// the navigator slow and can hit throttling limits.
    ///
    /// ## Example
    /// `Table.FromRecords(List.Transform(entities, each [Name = _, Data = GetEntity(_)]))`
    ///
    /// Use instead: `Table.AddColumn(Table.FromList(entities, Splitter.SplitByNothing(),
    /// {"Name"}), "Data", each GetEntity([Name]))`.
    pub(crate) static EAGER_NAVIGATION_TABLE = Rule {
        code: "PQ605",
        name: "eager-navigation-table",
        default_severity: Severity::Info,
        priority: Priority::P2,
    };
}

/// Argument position of the data column name.
const DATA_ARGUMENT: usize = 3;

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let resolver = &connector.resolver;
    for call in navigation_calls(connector) {
        let (Some(table_arg), Some(data_arg)) = (call.args.first(), call.args.get(DATA_ARGUMENT))
        else {
            continue;
        };
        let Ok(data_column) = resolver.text(data_arg, &call.env) else {
            continue;
        };
        let table = static_table(resolver, table_arg, &call.env);
        let TableBase::FromRecords(records, records_env) = &table.base else {
            continue;
        };
        let base_name = match table.column(&data_column) {
            Some(column) => match &column.base_name {
                Some(base_name) => base_name.clone(),
                None => continue,
            },
            None => data_column.clone(),
        };
        let eager = eager_fields(resolver, records, records_env, &base_name);
        let Some((file, span)) = eager.first() else {
            continue;
        };
        let mut finding = Finding::new(format!(
            "navigation table column `{data_column}` is filled by a direct call in each record"
        ))
        .primary_label(*file, *span, "called while the table is built")
        .secondary(
            call.file,
            call.expr.span,
            format!("given to `{NAVIGATION_HELPER}` here"),
        )
        .help(format!(
            "add the column lazily: `Table.AddColumn(table, \"{data_column}\", each …)`"
        ));
        if eager.len() > 1 {
            finding = finding.note(format!("{} more records do the same", eager.len() - 1));
        }
        cx.report(finding);
    }
}

/// The spans of direct calls in the `field` of the records `expr` builds.
fn eager_fields<'a>(
    resolver: &Resolver<'a>,
    expr: &'a Expr,
    env: &Env<'a>,
    field: &str,
) -> Vec<(FileId, Span)> {
    let records: Vec<(&'a Expr, Env<'a>)> = match library_call(expr, env) {
        Some(("List.Transform" | "Table.TransformRows", [_, function, ..], env)) => {
            row_function_body(function, &env).into_iter().collect()
        }
        _ => match resolver.list(expr, env) {
            Some((items, items_env)) => {
                items.iter().map(|item| (item, items_env.clone())).collect()
            }
            None => Vec::new(),
        },
    };
    records
        .into_iter()
        .filter_map(|(record, env)| {
            let (record, env) = follow(record, &env);
            let ExprKind::Record(fields) = &record.kind else {
                return None;
            };
            let value = fields.iter().find(|f: &&Field| f.name.name == field)?;
            let value = strip_parens(&value.value);
            is_direct_call(value).then(|| (env.file(), value.span))
        })
        .collect()
}

fn strip_parens(mut expr: &Expr) -> &Expr {
    while let ExprKind::Parens(inner) = &expr.kind {
        expr = inner;
    }
    expr
}

/// `f(…)`, `a.b(…)`, `x[f](…)`: an expression that ends in an invocation.
fn is_direct_call(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Invoke { .. } => true,
        ExprKind::Postfix { ops, .. } => matches!(ops.last(), Some(Postfix::Invoke { .. })),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::EAGER_NAVIGATION_TABLE as RULE;
    use crate::rules::navigation::HELPER;
    use crate::testing::{Fixture, RuleCase};

    /// Finch returning `Table.ToNavigationTable(table, …)`, with the SDK helper.
    fn navigation(table: &str) -> Fixture {
        let columns = r#"{"Name"}, "Name", "Data", "ItemKind", "ItemKind", "IsLeaf""#;
        Fixture::finch()
            .set(
                "Finch.Contents",
                &format!("() => Table.ToNavigationTable({table}, {columns})"),
            )
            .members(HELPER)
    }

    /// A lazily added data column, and a data field holding a function value, pass. Records
    /// with direct calls, listed or built by `List.Transform`, are reported once per
    /// navigation table.
    #[test]
    fn eager_navigation_table() {
        let cases = RuleCase::new(&RULE)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                navigation(
                    r#"Table.AddColumn(Table.FromRecords({[Name = "A", ItemKind = "Table", IsLeaf = true]}), "Data", each GetTable([Name]))"#,
                ),
                navigation(
                    r#"Table.FromRecords({[Name = "A", Data = GetTable, ItemKind = "Function", IsLeaf = true]})"#,
                ),
            ])
            .fail([
                navigation(
                    r#"Table.FromRecords({[Name = "A", Data = GetTable("a")], [Name = "B", Data = GetTable("b")]})"#,
                ),
                navigation(
                    r#"Table.AddColumn(Table.FromRecords(List.Transform({"a", "b"}, each [Name = _, Data = (GetTable(_))])), "ItemKind", each "Table")"#,
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
