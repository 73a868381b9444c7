//! Following calls, fields and items: the value of a call of a connector function with its
//! arguments bound, of `Diagnostics.Trace`, and of a field or item of a record or list value;
//! and [`Resolver::step`], the one step every follower takes.

use super::resolve::{Env, MAX_RESOLVE_STEPS, Resolved, Resolver, call_of, computed, step_through};
use crate::syntax::ast::{Expr, ExprKind, Function, Literal, Postfix};

impl<'a> Resolver<'a> {
    /// The value of a call of a connector function (with its arguments bound), of
    /// `Diagnostics.Trace` (its value argument), or of a field or item of a record or list
    /// value; `None` when `expr` is none of these or the callee is not known. A callee that is
    /// one of two functions (`if tracing then (x) => Trace(x) else (x) => x`) gives a value
    /// when both calls give the same text.
    pub(super) fn resolve_call(
        &self,
        expr: &'a Expr,
        env: &Env<'a>,
        steps: &mut usize,
    ) -> Option<Resolved<'a>> {
        if let Some((name, args)) = call_of(expr)
            && let Some(value) = trace_value(name, args, env)
        {
            return Some(self.resolve_steps(value, env.clone(), steps));
        }
        match &expr.kind {
            ExprKind::Invoke { callee, args } => {
                let candidates = self.functions(callee, env, steps);
                if candidates.is_empty() {
                    return None;
                }
                let mut values = candidates.into_iter().map(|(function, function_env)| {
                    let body_env = function_env.with_args(function_env.file(), function, args, env);
                    self.resolve_steps(&function.body, body_env, steps)
                });
                let first = values.next()?;
                for other in values {
                    match (&first, other) {
                        (Resolved::Text(a), Resolved::Text(b)) if *a == b => {}
                        // What one of the functions returns says best why the call is not
                        // literal.
                        (Resolved::Computed(inner), _) => {
                            return Some(Resolved::Computed(inner.clone()));
                        }
                        (_, Resolved::Computed(inner)) => return Some(Resolved::Computed(inner)),
                        _ => return Some(computed(expr.span, "the result of a call")),
                    }
                }
                Some(first)
            }
            ExprKind::Postfix { target, ops } => self.resolve_postfix(target, ops, env, steps),
            _ => None,
        }
    }

    /// The value of `target` followed by the calls, fields and items `ops`.
    fn resolve_postfix(
        &self,
        target: &'a Expr,
        ops: &'a [Postfix],
        env: &Env<'a>,
        steps: &mut usize,
    ) -> Option<Resolved<'a>> {
        let mut value = self.resolve_steps(target, env.clone(), steps);
        for op in ops {
            value = match (op, value) {
                (Postfix::Invoke { args, .. }, Resolved::Function(function, function_env)) => {
                    let body_env = function_env.with_args(function_env.file(), function, args, env);
                    self.resolve_steps(&function.body, body_env, steps)
                }
                (Postfix::Field(selector), Resolved::Record(fields, record_env)) => {
                    let field = fields.iter().find(|f| f.name.name == selector.name.name)?;
                    let file = record_env.file();
                    self.resolve_steps(&field.value, record_env.with_record(file, fields), steps)
                }
                (Postfix::Item { index, .. }, Resolved::List(items, list_env)) => {
                    let Resolved::Number(at) = self.resolve_steps(index, env.clone(), steps) else {
                        return None;
                    };
                    let item = items.get(usize::try_from(at as i64).ok()?)?;
                    self.resolve_steps(item, list_env, steps)
                }
                _ => return None,
            };
        }
        Some(value)
    }

    /// The connector functions `callee` may be: one, or the two branches of an `if` whose
    /// condition is not known. Empty when it is anything else.
    fn functions(
        &self,
        callee: &'a Expr,
        env: &Env<'a>,
        steps: &mut usize,
    ) -> Vec<(&'a Function, Env<'a>)> {
        let mut current = (callee, env.clone());
        for _ in 0..MAX_RESOLVE_STEPS {
            *steps += 1;
            if *steps > MAX_RESOLVE_STEPS {
                return Vec::new();
            }
            let (expr, env) = current;
            if let ExprKind::If(if_expr) = &expr.kind {
                let then = self.resolve_steps(&if_expr.then_branch, env.clone(), steps);
                let otherwise = self.resolve_steps(&if_expr.else_branch, env, steps);
                return match (then, otherwise) {
                    (Resolved::Function(a, a_env), Resolved::Function(b, b_env)) => {
                        vec![(a, a_env), (b, b_env)]
                    }
                    _ => Vec::new(),
                };
            }
            if let Some(next) = step_through(expr, &env) {
                current = next;
                continue;
            }
            return match self.resolve_steps(expr, env, steps) {
                Resolved::Function(function, function_env) => vec![(function, function_env)],
                _ => Vec::new(),
            };
        }
        Vec::new()
    }

    /// One step towards the expression whose value `expr` is: [`step_through`], then the
    /// body of a `try`, the branch of an `if` whose condition is known, the value argument of
    /// `Diagnostics.Trace`, the body of a connector function called (with its arguments
    /// bound), or the field of a record value. `None` when there is no such step.
    pub fn step(&self, expr: &'a Expr, env: &Env<'a>) -> Option<(&'a Expr, Env<'a>)> {
        if let Some(next) = step_through(expr, env) {
            return Some(next);
        }
        let mut steps = 0;
        match &expr.kind {
            ExprKind::Meta { value, .. } => Some((value, env.clone())),
            ExprKind::Try(try_expr) => Some((&try_expr.body, env.clone())),
            ExprKind::If(if_expr) => match self.resolve(&if_expr.condition, env) {
                Resolved::Logical(true) => Some((&if_expr.then_branch, env.clone())),
                Resolved::Logical(false) => Some((&if_expr.else_branch, env.clone())),
                _ => None,
            },
            ExprKind::Invoke { callee, args } => {
                if let Some((name, args)) = call_of(expr)
                    && let Some(value) = trace_value(name, args, env)
                {
                    return Some((value, env.clone()));
                }
                let [(function, function_env)] = &self.functions(callee, env, &mut steps)[..]
                else {
                    return None;
                };
                let file = function_env.file();
                Some((
                    &function.body,
                    function_env.with_args(file, function, args, env),
                ))
            }
            ExprKind::Postfix { target, ops } => {
                let (last, before) = ops.split_last()?;
                let Postfix::Field(selector) = last else {
                    return None;
                };
                let value = self.resolve_postfix(target, before, env, &mut steps)?;
                let Resolved::Record(fields, record_env) = value else {
                    return None;
                };
                let field = fields.iter().find(|f| f.name.name == selector.name.name)?;
                let file = record_env.file();
                Some((&field.value, record_env.with_record(file, fields)))
            }
            _ => None,
        }
    }
}

/// The value argument of a call of the library's `Diagnostics.Trace`, which returns it (when
/// it is not delayed).
fn trace_value<'a>(name: &str, args: &'a [Expr], env: &Env<'a>) -> Option<&'a Expr> {
    if name != "Diagnostics.Trace" || !env.lookup(name).is_external() {
        return None;
    }
    let delayed = args
        .get(3)
        .is_some_and(|d| !matches!(d.kind, ExprKind::Literal(Literal::Logical(false))));
    if delayed {
        return None;
    }
    args.get(2)
}
