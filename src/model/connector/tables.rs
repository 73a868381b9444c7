//! Tables known from the syntax: a `#table(columns, rows)` literal, possibly followed by
//! `Table.AddColumn` and `Table.RenameColumns` steps, as navigation tables are usually built.
//! The walk goes from a table expression back through those steps to its base; any other step
//! is an unknown base, whose columns are not known. Cells are expressions, never evaluated.

use crate::model::eval::follow::{Visit, follow, row_function_body, seek, transparent};
use crate::model::eval::resolve::{Env, Resolver, call_of};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Expr, ExprKind, Intrinsic, TypeKind};

/// What is known of a table.
pub struct StaticTable<'a> {
    /// Known columns under their final names, in order.
    pub columns: Vec<TableColumn<'a>>,
    /// Whether `columns` are all the table's columns: a `#table` base with literal column names
    /// and only understood steps.
    pub complete: bool,
    /// Where the base's columns are listed, for a literal base.
    pub origin: Option<(FileId, Span)>,
    pub base: TableBase<'a>,
}

/// One known column.
pub struct TableColumn<'a> {
    pub name: String,
    /// The column's name in the base table, when it comes from the base.
    pub base_name: Option<String>,
    pub values: ColumnValues<'a>,
}

/// What the cells of a column are.
pub enum ColumnValues<'a> {
    /// The cells of a `#table` literal, one per literal row, each with its environment.
    Cells(Vec<(&'a Expr, Env<'a>)>),
    /// `Table.AddColumn(…, each body)`: the body gives every cell.
    Each(&'a Expr, Env<'a>),
    Unknown,
}

/// Where the steps start.
pub enum TableBase<'a> {
    /// A `#table(columns, rows)` literal.
    Literal,
    /// `Table.FromRecords(records)`: the argument and its environment.
    FromRecords(&'a Expr, Env<'a>),
    /// Anything else.
    Unknown,
}

impl<'a> StaticTable<'a> {
    /// The known column with this final name.
    pub fn column(&self, name: &str) -> Option<&TableColumn<'a>> {
        self.columns.iter().find(|c| c.name == name)
    }
}

enum Step<'a> {
    AddColumn {
        name: &'a Expr,
        function: Option<&'a Expr>,
        env: Env<'a>,
    },
    Rename {
        renames: &'a Expr,
        env: Env<'a>,
    },
}

/// What is known of the table `expr` evaluates to.
pub fn static_table<'a>(resolver: &Resolver<'a>, expr: &'a Expr, env: &Env<'a>) -> StaticTable<'a> {
    let mut steps = Vec::new();
    let base = seek(expr, env, transparent, |expr, env| {
        if let Some((columns, rows)) = table_literal(expr) {
            return Visit::Found(literal_base(resolver, columns, rows, env));
        }
        if transparent(expr, env).is_some() {
            return Visit::Step;
        }
        match call_of(expr).filter(|(name, _)| env.lookup(name).is_external()) {
            Some(("Table.AddColumn", [table, name, rest @ ..])) => {
                steps.push(Step::AddColumn {
                    name,
                    function: rest.first(),
                    env: env.clone(),
                });
                Visit::Into(table, env.clone())
            }
            Some(("Table.RenameColumns", [table, renames, ..])) => {
                steps.push(Step::Rename {
                    renames,
                    env: env.clone(),
                });
                Visit::Into(table, env.clone())
            }
            Some(("Table.FromRecords", [records, ..])) => {
                Visit::Found(unknown_base(TableBase::FromRecords(records, env.clone())))
            }
            _ => Visit::Found(unknown_base(TableBase::Unknown)),
        }
    });
    let mut table = base.unwrap_or_else(|| unknown_base(TableBase::Unknown));
    for step in steps.into_iter().rev() {
        match step {
            Step::AddColumn {
                name,
                function,
                env,
            } => add_column(resolver, &mut table, name, function, &env),
            Step::Rename { renames, env } => rename_columns(resolver, &mut table, renames, &env),
        }
    }
    table
}

/// `(columns, rows)` of an invocation of the `#table` intrinsic.
fn table_literal(expr: &Expr) -> Option<(&Expr, &Expr)> {
    let (callee, args) = expr.as_call()?;
    if !matches!(callee.kind, ExprKind::Intrinsic(Intrinsic::Table)) {
        return None;
    }
    match args {
        [columns, rows] => Some((columns, rows)),
        _ => None,
    }
}

fn unknown_base(base: TableBase<'_>) -> StaticTable<'_> {
    StaticTable {
        columns: Vec::new(),
        complete: false,
        origin: None,
        base,
    }
}

fn literal_base<'a>(
    resolver: &Resolver<'a>,
    columns: &'a Expr,
    rows: &'a Expr,
    env: &Env<'a>,
) -> StaticTable<'a> {
    let Some(names) = column_names(resolver, columns, env) else {
        return unknown_base(TableBase::Unknown);
    };
    let mut cells: Vec<Vec<(&'a Expr, Env<'a>)>> = vec![Vec::new(); names.len()];
    if let Some((rows, rows_env)) = resolver.list(rows, env) {
        for row in rows {
            let Some((row, row_env)) = resolver.list(row, &rows_env) else {
                continue;
            };
            for (column, cell) in cells.iter_mut().zip(row) {
                column.push((cell, row_env.clone()));
            }
        }
    }
    let file = env.file();
    StaticTable {
        columns: names
            .into_iter()
            .zip(cells)
            .map(|(name, cells)| TableColumn {
                base_name: Some(name.clone()),
                name,
                values: ColumnValues::Cells(cells),
            })
            .collect(),
        complete: true,
        origin: Some((file, columns.span)),
        base: TableBase::Literal,
    }
}

/// The column names of `#table`'s first argument: a list of literal texts or a
/// `type table [a = …, b = …]` without `...`.
fn column_names<'a>(
    resolver: &Resolver<'a>,
    columns: &'a Expr,
    env: &Env<'a>,
) -> Option<Vec<String>> {
    let (followed, _) = follow(columns, env);
    if let ExprKind::Type(ty) = &followed.kind {
        let TypeKind::Table(row) = &ty.kind else {
            return None;
        };
        let TypeKind::Record {
            fields,
            open: false,
        } = &row.kind
        else {
            return None;
        };
        return Some(fields.iter().map(|f| f.name.name.to_string()).collect());
    }
    let (items, items_env) = resolver.list(columns, env)?;
    items
        .iter()
        .map(|item| resolver.text(item, &items_env).ok())
        .collect()
}

fn add_column<'a>(
    resolver: &Resolver<'a>,
    table: &mut StaticTable<'a>,
    name: &'a Expr,
    function: Option<&'a Expr>,
    env: &Env<'a>,
) {
    let Ok(name) = resolver.text(name, env) else {
        // An unknown column: a name asked for later may be this one.
        table.complete = false;
        return;
    };
    let values = match function.and_then(|f| row_function_body(f, env)) {
        Some((body, body_env)) => ColumnValues::Each(body, body_env),
        None => ColumnValues::Unknown,
    };
    table.columns.push(TableColumn {
        name,
        base_name: None,
        values,
    });
}

fn rename_columns<'a>(
    resolver: &Resolver<'a>,
    table: &mut StaticTable<'a>,
    renames: &'a Expr,
    env: &Env<'a>,
) {
    let Some(pairs) = rename_pairs(resolver, renames, env) else {
        // Which columns were renamed is unknown: nothing known stays trustworthy.
        table.columns.clear();
        table.complete = false;
        return;
    };
    for (old, new) in pairs {
        match table.columns.iter_mut().find(|c| c.name == old) {
            Some(column) => column.name = new,
            None if !table.complete => table.columns.push(TableColumn {
                name: new,
                base_name: Some(old),
                values: ColumnValues::Unknown,
            }),
            None => {}
        }
    }
}

/// `{"old", "new"}` or `{{"old", "new"}, …}` with literal texts.
fn rename_pairs<'a>(
    resolver: &Resolver<'a>,
    renames: &'a Expr,
    env: &Env<'a>,
) -> Option<Vec<(String, String)>> {
    let (items, items_env) = resolver.list(renames, env)?;
    let pair = |items: &'a [Expr], env: &Env<'a>| -> Option<(String, String)> {
        match items {
            [old, new] => Some((resolver.text(old, env).ok()?, resolver.text(new, env).ok()?)),
            _ => None,
        }
    };
    if let Some(single) = pair(items, &items_env) {
        return Some(vec![single]);
    }
    items
        .iter()
        .map(|item| {
            let (inner, inner_env) = resolver.list(item, &items_env)?;
            pair(inner, &inner_env)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::model::connector::{Connector, find_member};
    use crate::testing::archive;

    /// A summary of the table a member evaluates to: `complete` and each column with the
    /// number of literal cells or `each`.
    fn describe(source: &str, member: &str) -> String {
        let model = Model::build(archive("S.mez", &[("S.pq", source.as_bytes())]));
        let connector = Connector::build(&model);
        let Some(section) = &connector.section else {
            return "no section".into();
        };
        let Some(member) = find_member(section.document, member) else {
            return "no member".into();
        };
        let table = static_table(&connector.resolver, &member.value, &section.env);
        let columns: Vec<String> = table
            .columns
            .iter()
            .map(|c| {
                let values = match &c.values {
                    ColumnValues::Cells(cells) => format!("{} cells", cells.len()),
                    ColumnValues::Each(..) => "each".into(),
                    ColumnValues::Unknown => "unknown".into(),
                };
                format!("{}<-{:?}:{values}", c.name, c.base_name)
            })
            .collect();
        let base = match table.base {
            TableBase::Literal => "literal",
            TableBase::FromRecords(..) => "records",
            TableBase::Unknown => "unknown",
        };
        format!("{base} complete={} {}", table.complete, columns.join(" "))
    }

    /// A `#table` literal through add and rename steps is fully known.
    #[test]
    fn literal_with_steps() {
        let source = r#"section S;
T = let
    base = #table({"Name", "Kind"}, {{"a", "Table"}, {"b", "View"}}),
    added = Table.AddColumn(base, "IsLeaf", each true, type logical),
    renamed = Table.RenameColumns(added, {{"Kind", "ItemKind"}})
in renamed;
Typed = #table(type table [A = text, B = number], {});
"#;
        assert_eq!(
            describe(source, "T"),
            r#"literal complete=true Name<-Some("Name"):2 cells ItemKind<-Some("Kind"):2 cells IsLeaf<-None:each"#
        );
        assert_eq!(
            describe(source, "Typed"),
            r#"literal complete=true A<-Some("A"):0 cells B<-Some("B"):0 cells"#
        );
    }

    /// Unknown bases and computed steps leave only what the later steps say.
    #[test]
    fn unknown_parts() {
        let source = r#"section S;
FromList = Table.AddColumn(Table.RenameColumns(Table.FromList({"a"}, Splitter.SplitByNothing()), {"Column1", "Name"}), "ItemKind", each "Table");
Records = Table.FromRecords({[Name = "a"]});
ComputedRename = Table.RenameColumns(#table({"A"}, {}), Names);
ComputedName = Table.AddColumn(#table({"A"}, {}), Name, each 1);
ComputedColumns = #table(Columns, {});
"#;
        assert_eq!(
            describe(source, "FromList"),
            r#"unknown complete=false Name<-Some("Column1"):unknown ItemKind<-None:each"#
        );
        assert_eq!(describe(source, "Records"), "records complete=false ");
        assert_eq!(
            describe(source, "ComputedRename"),
            "literal complete=false "
        );
        assert_eq!(
            describe(source, "ComputedName"),
            r#"literal complete=false A<-Some("A"):0 cells"#
        );
        assert_eq!(
            describe(source, "ComputedColumns"),
            "unknown complete=false "
        );
    }
}
