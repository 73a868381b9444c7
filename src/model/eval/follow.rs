//! Following an expression to the expression that produces its value. [`seek`] is the one
//! walk every follower takes: at each expression a visitor says whether what it looks for is
//! there, where to go instead, or to take the evaluator's next step, either
//! [`transparent`] (names, parentheses, `meta`, `let … in` results) or
//! [`Resolver::step`](crate::model::eval::resolve::Resolver::step) (also `try` bodies, known
//! `if` branches, calls of connector functions with their arguments bound, fields of record
//! values). Rules use it where they need the defining syntax (a function expression, a call, a
//! `#table` literal) rather than a [`Resolved`](crate::model::eval::resolve::Resolved) value.
//! Nothing is evaluated, and a name the connector does not define stops the walk.

use crate::model::eval::resolve::{Env, MAX_RESOLVE_STEPS, Resolver, call_of, step_through};
use crate::syntax::ast::{Expr, ExprKind};

/// What a follower makes of one expression on the way to a value.
pub enum Visit<'a, T> {
    /// What it looks for.
    Found(T),
    /// Go on from this expression instead of taking the step.
    Into(&'a Expr, Env<'a>),
    /// Take the step.
    Step,
    /// Not here, and nowhere further.
    Stop,
}

/// Walks from `expr` towards its value, asking `visit` at each expression and taking `step`
/// when it says [`Visit::Step`]. `None` when the visitor stops, the step leads nowhere, or
/// after [`MAX_RESOLVE_STEPS`] expressions (cycles end there).
pub fn seek<'a, T>(
    expr: &'a Expr,
    env: &Env<'a>,
    step: impl Fn(&'a Expr, &Env<'a>) -> Option<(&'a Expr, Env<'a>)>,
    mut visit: impl FnMut(&'a Expr, &Env<'a>) -> Visit<'a, T>,
) -> Option<T> {
    let mut current = (expr, env.clone());
    for _ in 0..MAX_RESOLVE_STEPS {
        let (expr, env) = current;
        current = match visit(expr, &env) {
            Visit::Found(found) => return Some(found),
            Visit::Into(next, next_env) => (next, next_env),
            Visit::Step => step(expr, &env)?,
            Visit::Stop => return None,
        };
    }
    None
}

/// The transparent step: [`step_through`] names, parentheses and `let`, and `meta` to its
/// value.
pub fn transparent<'a>(expr: &'a Expr, env: &Env<'a>) -> Option<(&'a Expr, Env<'a>)> {
    match &expr.kind {
        ExprKind::Meta { value, .. } => Some((value, env.clone())),
        _ => step_through(expr, env),
    }
}

impl<'a> Resolver<'a> {
    /// [`seek`] with the evaluator's [`Resolver::step`].
    pub fn seek<T>(
        &self,
        expr: &'a Expr,
        env: &Env<'a>,
        visit: impl FnMut(&'a Expr, &Env<'a>) -> Visit<'a, T>,
    ) -> Option<T> {
        seek(expr, env, |expr, env| self.step(expr, env), visit)
    }

    /// The arguments of the call of the library function `name` that `expr` follows to
    /// through [`Resolver::step`].
    pub fn library_call_of(
        &self,
        expr: &'a Expr,
        env: &Env<'a>,
        name: &str,
    ) -> Option<(&'a [Expr], Env<'a>)> {
        self.seek(expr, env, |expr, env| match call_of(expr) {
            Some((callee, args)) if callee == name && env.lookup(callee).is_external() => {
                Visit::Found((args, env.clone()))
            }
            _ => Visit::Step,
        })
    }
}

/// The expression `expr` stands for, with its environment: names are replaced by their
/// definitions, parentheses, `meta` and `let` are looked through. Stops at anything else, at an
/// undefined name or a parameter, and after [`MAX_RESOLVE_STEPS`] steps.
pub fn follow<'a>(expr: &'a Expr, env: &Env<'a>) -> (&'a Expr, Env<'a>) {
    let mut last = (expr, env.clone());
    seek(expr, env, transparent, |expr, env| {
        last = (expr, env.clone());
        Visit::<()>::Step
    });
    last
}

/// `name(args)` when `expr` follows to a call of the library function `name` (a name the
/// connector does not define).
pub fn library_call<'a>(expr: &'a Expr, env: &Env<'a>) -> Option<(&'a str, &'a [Expr], Env<'a>)> {
    let (expr, env) = follow(expr, env);
    let (name, args) = call_of(expr)?;
    env.lookup(name).is_external().then_some((name, args, env))
}

/// Whether `expr` follows to `Extension.LoadString(…)`: text, whether or not its key is found.
pub fn is_load_string(expr: &Expr, env: &Env<'_>) -> bool {
    library_call(expr, env)
        .is_some_and(|(name, _, _)| name == crate::model::eval::resolve::EXTENSION_LOAD_STRING)
}

/// The body of a one-row function: `each body` or `(row) => body`.
pub fn row_function_body<'a>(expr: &'a Expr, env: &Env<'a>) -> Option<(&'a Expr, Env<'a>)> {
    let (expr, env) = follow(expr, env);
    match &expr.kind {
        ExprKind::Each(body) => Some((body, env)),
        ExprKind::Function(function) if function.params.len() == 1 => {
            let file = env.file();
            let inner = env.with_params(file, function);
            Some((&function.body, inner))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::syntax::{Document, parse};

    fn member_value<'a>(
        section: &'a crate::syntax::ast::SectionDocument,
        name: &str,
    ) -> (&'a Expr, Env<'a>) {
        let env = Env::root(FileId(0)).with_section(FileId(0), &section.members, false);
        let member = section
            .members
            .iter()
            .find(|m| m.name.name == name)
            .expect("member");
        (&member.value, env)
    }

    /// Names, parentheses, `meta` and `let` results are followed to the defining call.
    #[test]
    fn follows_names_and_lets() {
        let parse = parse(
            r#"section S; A = (B meta [x = 1]); B = let c = Extension.LoadString("k") in c; C = D(1); D = (x) => x;"#,
        );
        let Document::Section(section) = &parse.document else {
            panic!("section expected");
        };
        let (a, env) = member_value(section, "A");
        assert!(is_load_string(a, &env));
        let (c, env) = member_value(section, "C");
        assert!(library_call(c, &env).is_none(), "D is a connector function");
        let (followed, _) = follow(c, &env);
        assert_eq!(call_of(followed).map(|(name, _)| name), Some("D"));
    }

    /// Cycles end after the step limit instead of looping.
    #[test]
    fn cycles_end() {
        let parse = parse("section S; A = B; B = A;");
        let Document::Section(section) = &parse.document else {
            panic!("section expected");
        };
        let (a, env) = member_value(section, "A");
        let (followed, _) = follow(a, &env);
        assert!(matches!(followed.kind, ExprKind::Ident(_)));
    }

    /// `each body` and one-parameter functions give their bodies.
    #[test]
    fn row_functions() {
        let parse = parse(r#"section S; A = each "x"; B = (r) => r[y]; C = (a, b) => a;"#);
        let Document::Section(section) = &parse.document else {
            panic!("section expected");
        };
        for (name, expected) in [("A", true), ("B", true), ("C", false)] {
            let (value, env) = member_value(section, name);
            assert_eq!(row_function_body(value, &env).is_some(), expected, "{name}");
        }
    }
}
