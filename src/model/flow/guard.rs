//! HTTPS guards: `if` expressions whose condition tests the scheme of a name
//! (`Uri.Parts(x)[Scheme] <> "https"`, `Text.StartsWith(x, "https://")`, possibly through
//! `let` variables, `not`, `and`, `or`, `Text.Lower`) and one of whose branches raises an error.
//! The other branch is a region where that name is known to be HTTPS. A helper such as
//! `ValidateUrlScheme = (url) => if Uri.Parts(url)[Scheme] <> "https" then error … else url`
//! is such an `if`, so a call of it guards what it returns.

use super::super::connector::Connector;
use super::super::resolve::{Definition, Env, call_of};
use crate::source::{FileId, Span};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Postfix};

/// Names and definitions followed while reading one guard condition.
const MAX_GUARD_STEPS: usize = 64;

/// The identity of a definition: a function parameter or a named value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DefKey {
    /// A parameter: the function expression's address and the parameter index.
    Param(usize, usize),
    /// A section member, `let` variable or record field: its file and name position.
    Value(FileId, u32),
}

impl DefKey {
    pub fn of(definition: &Definition<'_>) -> Option<DefKey> {
        match definition {
            Definition::Value {
                file, name_span, ..
            } => Some(DefKey::Value(*file, name_span.start)),
            Definition::Param {
                function, index, ..
            } => Some(DefKey::Param(super::address(function), *index)),
            Definition::External => None,
        }
    }
}

/// A branch that runs only when the scheme test of `keys` passed.
struct Region {
    file: FileId,
    span: Span,
    keys: Vec<DefKey>,
}

/// Every HTTPS-checked region of the connector.
#[derive(Default)]
pub(super) struct Guards {
    regions: Vec<Region>,
}

impl Guards {
    pub(super) fn collect(connector: &Connector<'_>) -> Guards {
        let mut regions = Vec::new();
        connector.for_each_expr(|expr, env, file| {
            let ExprKind::If(if_expr) = &expr.kind else {
                return;
            };
            let mut keys = Vec::new();
            let mut steps = 0;
            subjects(&if_expr.condition, env, &mut steps, &mut keys);
            if keys.is_empty() {
                return;
            }
            for (raising, checked) in [
                (&if_expr.then_branch, &if_expr.else_branch),
                (&if_expr.else_branch, &if_expr.then_branch),
            ] {
                if raises(raising) && !raises(checked) {
                    regions.push(Region {
                        file,
                        span: checked.span,
                        keys: keys.clone(),
                    });
                }
            }
        });
        Guards { regions }
    }

    /// The definitions checked by every region around `span`.
    pub(super) fn keys_at(&self, file: FileId, span: Span) -> Vec<DefKey> {
        let mut keys: Vec<DefKey> = self
            .regions
            .iter()
            .filter(|r| r.file == file && contains(r.span, span))
            .flat_map(|r| r.keys.iter().cloned())
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// Whether a use of `key` at `span` is checked, by a region around it or by `ambient`
    /// (the regions around the request call and the call sites on the way).
    pub(super) fn is_guarded(
        &self,
        key: &DefKey,
        file: FileId,
        span: Span,
        ambient: &[DefKey],
    ) -> bool {
        ambient.contains(key)
            || self
                .regions
                .iter()
                .any(|r| r.file == file && contains(r.span, span) && r.keys.contains(key))
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Whether evaluating `expr` always raises an error: `error …`, `...`, or a `let`/`if` that
/// does.
pub(super) fn raises(expr: &Expr) -> bool {
    let mut current = expr;
    for _ in 0..MAX_GUARD_STEPS {
        match &current.kind {
            ExprKind::Error(_) | ExprKind::NotImplemented => return true,
            ExprKind::Parens(inner) => current = inner,
            ExprKind::Meta { value, .. } => current = value,
            ExprKind::Let(let_expr) => current = &let_expr.body,
            ExprKind::If(if_expr) => {
                return raises(&if_expr.then_branch) && raises(&if_expr.else_branch);
            }
            _ => return false,
        }
    }
    false
}

/// The definitions whose scheme `condition` tests.
fn subjects<'a>(condition: &'a Expr, env: &Env<'a>, steps: &mut usize, out: &mut Vec<DefKey>) {
    *steps += 1;
    if *steps > MAX_GUARD_STEPS {
        return;
    }
    match &condition.kind {
        ExprKind::Parens(inner) => subjects(inner, env, steps, out),
        ExprKind::Unary { operand, .. } => subjects(operand, env, steps, out),
        ExprKind::Binary { first, rest } => {
            if let [rhs] = rest.as_slice()
                && matches!(rhs.op, BinaryOp::Equal | BinaryOp::NotEqual)
            {
                for (tested, literal) in [(&**first, &rhs.right), (&rhs.right, &**first)] {
                    if is_text(literal, env, |t| t.eq_ignore_ascii_case("https")) {
                        scheme_subject(tested, env, steps, out);
                    }
                }
            } else if rest
                .iter()
                .all(|r| matches!(r.op, BinaryOp::And | BinaryOp::Or))
            {
                subjects(first, env, steps, out);
                for rhs in rest {
                    subjects(&rhs.right, env, steps, out);
                }
            }
        }
        ExprKind::Ident(ident) => {
            if let Definition::Value { expr, env, .. } = env.lookup(&ident.name) {
                subjects(expr, &env, steps, out);
            }
        }
        _ => {
            if let Some(("Text.StartsWith", [tested, prefix, ..])) = call_of(condition)
                && env.lookup("Text.StartsWith").is_external()
                && is_text(prefix, env, |t| {
                    t.get(..8)
                        .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
                })
            {
                subject_keys(tested, env, steps, out);
            }
        }
    }
}

/// `Uri.Parts(x)[Scheme]`, possibly lower-cased or through a name: adds the keys of `x`.
fn scheme_subject<'a>(expr: &'a Expr, env: &Env<'a>, steps: &mut usize, out: &mut Vec<DefKey>) {
    *steps += 1;
    if *steps > MAX_GUARD_STEPS {
        return;
    }
    let expr = strip_text_case(expr, env);
    match &expr.kind {
        ExprKind::Ident(ident) => {
            if let Definition::Value { expr, env, .. } = env.lookup(&ident.name) {
                scheme_subject(expr, &env, steps, out);
            }
        }
        ExprKind::Postfix { target, ops } => {
            let ExprKind::Ident(callee) = &target.kind else {
                return;
            };
            if let [Postfix::Invoke { args, .. }, Postfix::Field(field)] = ops.as_slice()
                && callee.name == "Uri.Parts"
                && env.lookup(&callee.name).is_external()
                && field.name.name == "Scheme"
                && let Some(tested) = args.first()
            {
                subject_keys(tested, env, steps, out);
            }
        }
        _ => {}
    }
}

/// The keys of the name `expr` is, and of the names it is an alias of.
fn subject_keys<'a>(expr: &'a Expr, env: &Env<'a>, steps: &mut usize, out: &mut Vec<DefKey>) {
    let mut current = (strip_text_case(expr, env), env.clone());
    while *steps <= MAX_GUARD_STEPS {
        *steps += 1;
        let (expr, env) = current;
        let ExprKind::Ident(ident) = &expr.kind else {
            return;
        };
        let definition = env.lookup(&ident.name);
        if let Some(key) = DefKey::of(&definition) {
            out.push(key);
        }
        match definition {
            Definition::Value { expr, env, .. } => current = (strip_text_case(expr, &env), env),
            _ => return,
        }
    }
}

/// Looks through parentheses and `Text.Lower`/`Text.Upper`/`Text.Trim` calls.
fn strip_text_case<'a>(expr: &'a Expr, env: &Env<'a>) -> &'a Expr {
    let mut current = expr;
    for _ in 0..MAX_GUARD_STEPS {
        match &current.kind {
            ExprKind::Parens(inner) => current = inner,
            _ => match call_of(current) {
                Some((name @ ("Text.Lower" | "Text.Upper" | "Text.Trim"), [inner, ..]))
                    if env.lookup(name).is_external() =>
                {
                    current = inner
                }
                _ => return current,
            },
        }
    }
    current
}

fn is_text<'a>(expr: &'a Expr, env: &Env<'a>, test: impl Fn(&str) -> bool) -> bool {
    let resolver = super::super::resolve::Resolver { resx: None };
    resolver.text(expr, env).is_ok_and(|text| test(&text))
}
