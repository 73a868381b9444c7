//! What a piece of code can reach: starting from some root expressions (the OAuth handlers of
//! a Kind), every expression inside them and inside every definition they name (section
//! members, `let` variables, record fields), transitively. This is how rules look into "the
//! handler or a function it calls" without evaluating anything. Modules loaded with a literal
//! name are entered too; parameters and library functions are not followed.
//!
//! The walk is bounded: at most [`MAX_FOLLOWED_DEFINITIONS`] definitions are entered, each
//! once, so cycles and large connectors end quickly.

use crate::model::connector::Connector;
use crate::model::connector::modules::loaded_module;
use crate::model::eval::resolve::{Definition, Env};
use crate::model::eval::walk::walk;
use crate::source::FileId;
use crate::syntax::ast::{Expr, ExprKind};

/// Definitions entered by one reachability walk, besides the roots. Real OAuth flows reach a
/// handful of helpers; the bound only matters for hostile or huge inputs.
pub const MAX_FOLLOWED_DEFINITIONS: usize = 64;

/// Calls `visit` for every expression reachable from `roots`, each with its environment and
/// file. Each definition is visited once.
pub fn walk_reachable<'a>(
    connector: &Connector<'a>,
    roots: Vec<(&'a Expr, Env<'a>)>,
    visit: &mut dyn FnMut(&'a Expr, &Env<'a>, FileId),
) {
    let mut queue = roots;
    let mut entered: Vec<*const Expr> = queue.iter().map(|(e, _)| *e as *const Expr).collect();
    let mut followed = 0;
    let mut next = 0;
    while let Some((root, env)) = queue.get(next).cloned() {
        next += 1;
        let file = env.file();
        let mut found = Vec::new();
        walk(root, &env, file, &mut |expr, env| {
            visit(expr, env, file);
            let ident = match &expr.kind {
                ExprKind::Ident(ident) => Some(ident),
                ExprKind::Inclusive(ident) => Some(&**ident),
                _ => None,
            };
            if let Some(ident) = ident
                && let Definition::Value { expr, env, .. } = env.lookup_at(&ident.name, expr.span)
            {
                found.push((expr, env));
            } else if matches!(
                expr.kind,
                ExprKind::Postfix { .. } | ExprKind::Invoke { .. }
            ) && let Some(module) = loaded_module(connector, expr, env)
            {
                found.push(module);
            }
        });
        for (expr, env) in found {
            let key = expr as *const Expr;
            if followed >= MAX_FOLLOWED_DEFINITIONS || entered.contains(&key) {
                continue;
            }
            entered.push(key);
            followed += 1;
            queue.push((expr, env));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::model::connector::find_member;
    use crate::syntax::ast::Literal;
    use crate::testing::archive;

    /// Literals in the root, in the functions it calls and in the values it names are
    /// reached; unrelated members and shadowed names are not.
    #[test]
    fn reaches_called_functions_and_values() {
        let source = r#"section Wren;
            Finish = (a, b, c) => Token(Url, a);
            Token = (url, code) => Web.Contents(url, [Content = Body(code)]);
            Body = (code) => let Url = "shadowed" in "grant=" & code;
            Url = "https://reached.example/";
            Loop = Loop2; Loop2 = Loop;
            Unrelated = "never";"#;
        let model = Model::build(archive("Wren.mez", &[("Wren.pq", source.as_bytes())]));
        let connector = Connector::build(&model);
        let section = connector.section.as_ref().expect("a section");
        let root = &find_member(section.document, "Finish")
            .expect("Finish")
            .value;
        let loop_root = &find_member(section.document, "Loop").expect("Loop").value;
        let mut texts = Vec::new();
        walk_reachable(
            &connector,
            vec![
                (root, section.env.clone()),
                (loop_root, section.env.clone()),
            ],
            &mut |expr, _, _| {
                if let ExprKind::Literal(Literal::Text(text)) = &expr.kind {
                    texts.push(text.to_string());
                }
            },
        );
        texts.sort();
        assert_eq!(texts, ["grant=", "https://reached.example/", "shadowed"]);
    }
}
