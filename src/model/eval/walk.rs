//! A pre-order walk over every expression of a document with its lexical environment, so
//! rules and the model can ask "what does this name mean here". Recursion is bounded by the
//! syntax tree's depth, which the parser bounds by its nesting limit.

use crate::model::eval::resolve::Env;
use crate::source::FileId;
use crate::syntax::ast::{Expr, ExprKind, Postfix, TryHandler, Type, TypeKind};

/// Calls `visit` for `expr` and every expression inside it, each with its environment.
pub fn walk<'a>(
    expr: &'a Expr,
    env: &Env<'a>,
    file: FileId,
    visit: &mut dyn FnMut(&'a Expr, &Env<'a>),
) {
    visit(expr, env);
    match &expr.kind {
        ExprKind::Parens(inner) | ExprKind::Each(inner) | ExprKind::Error(inner) => {
            walk(inner, env, file, visit)
        }
        ExprKind::Meta { value, meta } => {
            walk(value, env, file, visit);
            walk(meta, env, file, visit);
        }
        ExprKind::Unary { operand, .. } => walk(operand, env, file, visit),
        ExprKind::Binary { first, rest } => {
            walk(first, env, file, visit);
            for rhs in rest {
                walk(&rhs.right, env, file, visit);
            }
        }
        ExprKind::List(items) => items.iter().for_each(|item| walk(item, env, file, visit)),
        ExprKind::Range(bounds) => bounds
            .iter()
            .for_each(|bound| walk(bound, env, file, visit)),
        ExprKind::Record(fields) => {
            let inner = env.with_record(file, fields);
            fields
                .iter()
                .for_each(|field| walk(&field.value, &inner, file, visit));
        }
        ExprKind::Invoke { callee, args } => {
            walk(callee, env, file, visit);
            args.iter().for_each(|arg| walk(arg, env, file, visit));
        }
        ExprKind::Postfix { target, ops } => {
            walk(target, env, file, visit);
            for op in ops {
                match op {
                    Postfix::Invoke { args, .. } => {
                        args.iter().for_each(|arg| walk(arg, env, file, visit))
                    }
                    Postfix::Item { index, .. } => walk(index, env, file, visit),
                    Postfix::Field(_) | Postfix::Projection(_) => {}
                }
            }
        }
        ExprKind::Type(ty) => walk_type(ty, env, file, visit),
        ExprKind::Function(function) => {
            let inner = env.with_params(file, function);
            for param in &function.params {
                if let Some(ty) = &param.ty {
                    walk_type(ty, env, file, visit);
                }
            }
            walk(&function.body, &inner, file, visit);
        }
        ExprKind::Let(let_expr) => {
            let inner = env.with_let(file, &let_expr.bindings);
            let_expr
                .bindings
                .iter()
                .for_each(|b| walk(&b.value, &inner, file, visit));
            walk(&let_expr.body, &inner, file, visit);
        }
        ExprKind::If(if_expr) => {
            walk(&if_expr.condition, env, file, visit);
            walk(&if_expr.then_branch, env, file, visit);
            walk(&if_expr.else_branch, env, file, visit);
        }
        ExprKind::Try(try_expr) => {
            walk(&try_expr.body, env, file, visit);
            match &try_expr.handler {
                Some(TryHandler::Otherwise(handler)) => walk(handler, env, file, visit),
                Some(TryHandler::Catch { body, .. }) => walk(body, env, file, visit),
                None => {}
            }
        }
        ExprKind::Missing
        | ExprKind::Literal(_)
        | ExprKind::Ident(_)
        | ExprKind::Inclusive(_)
        | ExprKind::SectionAccess { .. }
        | ExprKind::Intrinsic(_)
        | ExprKind::NotImplemented
        | ExprKind::ImplicitField(_)
        | ExprKind::ImplicitProjection(_) => {}
    }
}

/// Walks the expressions inside a type (row types, metadata, parameter types).
pub fn walk_type<'a>(
    ty: &'a Type,
    env: &Env<'a>,
    file: FileId,
    visit: &mut dyn FnMut(&'a Expr, &Env<'a>),
) {
    match &ty.kind {
        TypeKind::Primitive(_) => {}
        TypeKind::Nullable(inner) | TypeKind::List(inner) | TypeKind::Table(inner) => {
            walk_type(inner, env, file, visit)
        }
        TypeKind::Record { fields, .. } => {
            for field in fields {
                if let Some(ty) = &field.ty {
                    walk_type(ty, env, file, visit);
                }
            }
        }
        TypeKind::Function(function) => {
            for param in &function.params {
                if let Some(ty) = &param.ty {
                    walk_type(ty, env, file, visit);
                }
            }
            walk_type(&function.return_type, env, file, visit);
        }
        TypeKind::Expr(expr) => walk(expr, env, file, visit),
    }
}
