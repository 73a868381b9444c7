//! The results a `TestConnection` handler can return: its body followed through `let … in`,
//! parentheses, `meta`, names and both branches of every `if`, down to list expressions (the
//! expected `{"Kind.Function", arg, …}`), other literal values, or computed expressions.
//! Branches that raise (`error …`) return nothing and are skipped.

use crate::model::eval::resolve::{Computed, Definition, Env, MAX_RESOLVE_STEPS, Resolver};
use crate::source::{FileId, Span};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind};

/// Most results collected from one body; more branches than this are not followed.
pub const MAX_RESULTS: usize = 32;

/// One value a handler body can evaluate to.
pub enum HandlerResult<'a> {
    /// A list expression, or lists joined with `&`: the items, their environment, and the
    /// span and file of the expression. `complete` is false when a joined part is computed,
    /// so more items may follow.
    List {
        items: Vec<&'a Expr>,
        env: Env<'a>,
        span: Span,
        file: FileId,
        complete: bool,
    },
    /// A literal value that is not a list (`text`, `a record`, …).
    NotAList {
        what: &'static str,
        span: Span,
        file: FileId,
    },
    Computed(Computed, FileId),
}

/// The values `body` can evaluate to, in source order.
pub fn handler_results<'a>(
    resolver: &Resolver<'a>,
    body: &'a Expr,
    env: &Env<'a>,
) -> Vec<HandlerResult<'a>> {
    let mut results = Vec::new();
    let mut steps = 0;
    collect(resolver, body, env.clone(), &mut steps, &mut results);
    results
}

fn collect<'a>(
    resolver: &Resolver<'a>,
    expr: &'a Expr,
    env: Env<'a>,
    steps: &mut usize,
    results: &mut Vec<HandlerResult<'a>>,
) {
    *steps += 1;
    let file = env.file();
    if *steps > MAX_RESOLVE_STEPS || results.len() >= MAX_RESULTS {
        let computed = Computed {
            span: expr.span,
            reason: "the result has too many branches or definitions to follow".into(),
        };
        results.push(HandlerResult::Computed(computed, file));
        return;
    }
    match &expr.kind {
        ExprKind::List(items) => results.push(HandlerResult::List {
            items: items.iter().collect(),
            env,
            span: expr.span,
            file,
            complete: true,
        }),
        ExprKind::Binary { first, rest } if rest.iter().all(|r| r.op == BinaryOp::Concatenate) => {
            let mut firsts = Vec::new();
            collect(resolver, first, env.clone(), steps, &mut firsts);
            for result in firsts {
                results.push(match result {
                    HandlerResult::List {
                        mut items,
                        env: list_env,
                        file,
                        mut complete,
                        ..
                    } => {
                        for part in rest {
                            let mut parts = Vec::new();
                            collect(resolver, &part.right, env.clone(), steps, &mut parts);
                            match parts.as_mut_slice() {
                                [
                                    HandlerResult::List {
                                        items: more,
                                        complete: true,
                                        ..
                                    },
                                ] => items.append(more),
                                _ => complete = false,
                            }
                        }
                        HandlerResult::List {
                            items,
                            env: list_env,
                            span: expr.span,
                            file,
                            complete,
                        }
                    }
                    other => other,
                });
            }
        }
        ExprKind::Parens(inner) => collect(resolver, inner, env, steps, results),
        ExprKind::Meta { value, .. } => collect(resolver, value, env, steps, results),
        ExprKind::Let(let_expr) => {
            let inner = env.with_let(file, &let_expr.bindings);
            collect(resolver, &let_expr.body, inner, steps, results);
        }
        ExprKind::If(if_expr) => {
            collect(resolver, &if_expr.then_branch, env.clone(), steps, results);
            collect(resolver, &if_expr.else_branch, env, steps, results);
        }
        ExprKind::Error(_) => {}
        ExprKind::Ident(ident) => match env.lookup_at(&ident.name, expr.span) {
            Definition::Value { expr, env, .. } => collect(resolver, expr, env, steps, results),
            Definition::Param { .. } => results.push(HandlerResult::Computed(
                Computed {
                    span: expr.span,
                    reason: format!("`{}` is a function parameter", ident.name),
                },
                file,
            )),
            Definition::External => results.push(HandlerResult::Computed(
                Computed {
                    span: expr.span,
                    reason: format!("`{}` is not defined in the connector", ident.name),
                },
                file,
            )),
        },
        ExprKind::Literal(_)
        | ExprKind::Record(_)
        | ExprKind::Function(_)
        | ExprKind::Each(_)
        | ExprKind::Type(_) => {
            let what = resolver.resolve(expr, &env).describe();
            let what = match &expr.kind {
                ExprKind::Each(_) => "a function",
                ExprKind::Type(_) => "a type",
                _ => what,
            };
            results.push(HandlerResult::NotAList {
                what,
                span: expr.span,
                file,
            });
        }
        _ => {
            let reason = match resolver.resolve(expr, &env) {
                crate::model::eval::resolve::Resolved::Computed(computed) => computed.reason,
                other => other.describe().to_owned(),
            };
            results.push(HandlerResult::Computed(
                Computed {
                    span: expr.span,
                    reason,
                },
                file,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::model::connector::Connector;
    use crate::testing::archive;

    fn describe(result: &HandlerResult<'_>) -> String {
        match result {
            HandlerResult::List {
                items, complete, ..
            } => format!(
                "list of {}{}",
                items.len(),
                if *complete { "" } else { " and more" }
            ),
            HandlerResult::NotAList { what, .. } => format!("not a list: {what}"),
            HandlerResult::Computed(computed, _) => format!("computed: {}", computed.reason),
        }
    }

    /// `let`, `if` branches, names and `&` joins are followed; raising branches are skipped.
    #[test]
    fn results() {
        let source = r#"section Wren;
            Args = {"Wren.Contents", 1};
            T = (p) => let a = if p = 1 then Args else if p = 2 then "x" else error "no" in a;
            U = (p) => if p then {} else Helper(p);
            V = (p) => {"Wren.Contents"} & {p} & Split(p);"#;
        let model = Model::build(archive("Wren.mez", &[("Wren.pq", source.as_bytes())]));
        let connector = Connector::build(&model);
        let section = connector.section.as_ref().expect("a section");
        let results = |name: &str| {
            let member =
                crate::model::connector::find_member(section.document, name).expect("a member");
            let ExprKind::Function(function) = &member.value.kind else {
                panic!("a function");
            };
            let env = section.env.with_params(section.file, function);
            handler_results(&connector.resolver, &function.body, &env)
                .iter()
                .map(describe)
                .collect::<Vec<_>>()
        };
        assert_eq!(results("T"), ["list of 2", "not a list: text"]);
        assert_eq!(
            results("U"),
            ["list of 0", "computed: the result of calling `Helper`"]
        );
        assert_eq!(results("V"), ["list of 2 and more"]);
    }
}
