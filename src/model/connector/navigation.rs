//! Navigation tables: the `Table.ToNavigationTable` helper the SDK templates ship, where the
//! connector defines it (a section member, possibly loaded from a module, a `let` binding or
//! record field, or a module named after it), and its calls. The helper is connector code, not
//! a library function, so calls are matched by name.

use crate::model::connector::Kinds;
use crate::model::connector::modules::{module_document, module_root};
use crate::model::connector::{Call, Connector};
use crate::model::eval::follow::follow;
use crate::model::eval::resolve::Env;
use crate::source::{FileId, Span};
use crate::syntax::ast::{Expr, ExprKind, Function};

/// The helper's name.
pub const NAVIGATION_HELPER: &str = "Table.ToNavigationTable";

/// A definition of the navigation helper.
pub struct NavigationHelper<'a> {
    pub function: &'a Function,
    /// The function expression.
    pub expr: &'a Expr,
    pub file: FileId,
    /// The function's environment (its parameters not included).
    pub env: Env<'a>,
    /// The name that defines it (member, binding or field), when there is one.
    pub name: Option<(FileId, Span)>,
}

impl NavigationHelper<'_> {
    /// From the start of the function to the end of its parameter list, for reports.
    pub fn head_span(&self) -> Span {
        let end = self
            .function
            .params
            .last()
            .map_or(self.expr.span.start, |p| p.span.end);
        Span::new(self.expr.span.start, end.max(self.expr.span.start))
    }
}

/// Calls of `Table.ToNavigationTable`, whatever defines it.
pub fn navigation_calls<'s, 'a>(
    connector: &'s Connector<'a>,
) -> impl Iterator<Item = &'s Call<'a>> + 's {
    connector
        .calls()
        .iter()
        .filter(|call| call.name == NAVIGATION_HELPER)
}

/// Every definition of `Table.ToNavigationTable` whose value is (through names and module
/// loads) a function expression, each once.
pub fn navigation_helpers<'a>(connector: &Connector<'a>) -> Vec<NavigationHelper<'a>> {
    let mut helpers: Vec<NavigationHelper<'a>> = Vec::new();
    let mut add = |helper: Option<NavigationHelper<'a>>| {
        if let Some(helper) = helper
            && !helpers
                .iter()
                .any(|h| std::ptr::eq(h.function, helper.function))
        {
            helpers.push(helper);
        }
    };
    if let Some(section) = &connector.section {
        for member in &section.document.members {
            if member.name.name == NAVIGATION_HELPER {
                add(definition(
                    connector,
                    &member.value,
                    &section.env,
                    Some((section.file, member.name.span)),
                ));
            }
        }
    }
    let mut named = Vec::new();
    let scopes = Kinds::LET.or(Kinds::RECORD);
    let mentioned = connector.model.may_mention(NAVIGATION_HELPER);
    let visit = |expr: &'a Expr, env: &Env<'a>, file: FileId| match &expr.kind {
        ExprKind::Let(let_expr) => {
            for binding in &let_expr.bindings {
                if binding.name.name == NAVIGATION_HELPER {
                    let inner = env.with_let(file, &let_expr.bindings);
                    named.push((&binding.value, inner, (file, binding.name.span)));
                }
            }
        }
        ExprKind::Record(fields) => {
            for field in fields.iter() {
                if field.name.name == NAVIGATION_HELPER {
                    let inner = env.with_record(file, fields);
                    named.push((&field.value, inner, (file, field.name.span)));
                }
            }
        }
        _ => {}
    };
    if mentioned {
        connector.for_each_expr_of(scopes, visit);
    }
    for (value, env, name) in named {
        add(definition(connector, value, &env, Some(name)));
    }
    let module_name = format!("{NAVIGATION_HELPER}.pqm");
    if let Some(root) = module_document(connector, &module_name) {
        add(function_at(root.expr, &root.env, None));
    }
    helpers
}

/// The helper a definition's value stands for: a function expression, directly or as the root
/// of the module it loads.
fn definition<'a>(
    connector: &Connector<'a>,
    value: &'a Expr,
    env: &Env<'a>,
    name: Option<(FileId, Span)>,
) -> Option<NavigationHelper<'a>> {
    function_at(value, env, name).or_else(|| {
        let root = module_root(connector, value, env)?;
        function_at(root.expr, &root.env, name)
    })
}

fn function_at<'a>(
    expr: &'a Expr,
    env: &Env<'a>,
    name: Option<(FileId, Span)>,
) -> Option<NavigationHelper<'a>> {
    let (expr, env) = follow(expr, env);
    let ExprKind::Function(function) = &expr.kind else {
        return None;
    };
    Some(NavigationHelper {
        function,
        expr,
        file: env.file(),
        env,
        name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::testing::archive;

    fn helpers(entries: &[(&str, &[u8])]) -> Vec<String> {
        let model = Model::build(archive("S.mez", entries));
        let connector = Connector::build(&model);
        navigation_helpers(&connector)
            .iter()
            .map(|h| {
                format!(
                    "{} params={} named={}",
                    model.sources.get(h.file).name,
                    h.function.params.len(),
                    h.name.is_some()
                )
            })
            .collect()
    }

    /// Section members, module loads and modules named after the helper are found, once each.
    #[test]
    fn finds_definitions() {
        let inline: &[u8] =
            b"section S; Table.ToNavigationTable = (a, b) => a; X = Table.ToNavigationTable(1, 2);";
        assert_eq!(helpers(&[("S.pq", inline)]), ["S.pq params=2 named=true"]);
        let loaded: &[u8] = br#"section S;
Extension.LoadFunction = (name) => Expression.Evaluate(Text.FromBinary(Extension.Contents(name)), #shared);
Table.ToNavigationTable = Extension.LoadFunction("Table.ToNavigationTable.pqm");"#;
        assert_eq!(
            helpers(&[
                ("S.pq", loaded),
                ("Table.ToNavigationTable.pqm", b"(t, k, n, d, i, m, l) => t")
            ]),
            ["Table.ToNavigationTable.pqm params=7 named=true"]
        );
        let in_let: &[u8] =
            b"section S; F = let Table.ToNavigationTable = (t) => t in Table.ToNavigationTable(1);";
        assert_eq!(helpers(&[("S.pq", in_let)]), ["S.pq params=1 named=true"]);
        let none: &[u8] = b"section S; Table.ToNavigationTable = Other.Function;";
        assert!(helpers(&[("S.pq", none)]).is_empty());
    }

    /// Calls are matched by name.
    #[test]
    fn finds_calls() {
        let model = Model::build(archive(
            "S.mez",
            &[("S.pq", b"section S; X = Table.ToNavigationTable(1, 2, 3);")],
        ));
        let connector = Connector::build(&model);
        assert_eq!(navigation_calls(&connector).count(), 1);
    }
}
