//! Following an expression to the expression that produces its value: through names that
//! refer to connector definitions, parentheses, `meta` and `let … in` results. Rules use it
//! where they need the defining syntax (a function expression, a call, a `#table` literal)
//! rather than a [`Resolved`](crate::model::eval::resolve::Resolved) value. Nothing is evaluated, and a name
//! the connector does not define stops the walk.

use crate::model::eval::resolve::{Env, MAX_RESOLVE_STEPS, call_of, step_through};
use crate::syntax::ast::{Expr, ExprKind};

/// The expression `expr` stands for, with its environment: names are replaced by their
/// definitions, parentheses, `meta` and `let` are looked through. Stops at anything else, at an
/// undefined name or a parameter, and after [`MAX_RESOLVE_STEPS`] steps.
pub fn follow<'a>(expr: &'a Expr, env: &Env<'a>) -> (&'a Expr, Env<'a>) {
    let mut current = (expr, env.clone());
    for _ in 0..MAX_RESOLVE_STEPS {
        let next = match &current.0.kind {
            ExprKind::Meta { value, .. } => Some((&**value, current.1.clone())),
            _ => step_through(current.0, &current.1),
        };
        match next {
            Some(next) => current = next,
            None => break,
        }
    }
    current
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
