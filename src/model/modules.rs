//! Values that come from modules: `Expression.Evaluate(Text.FromBinary(Extension.Contents("X.pqm")), #shared)`
//! written out, or a call of a loader helper (`Extension.LoadFunction("X.pqm")`) whose body is
//! such an evaluation of its parameter. Rules use this to follow a handler such as
//! `OAuth.StartLogin = OAuth[StartLogin]` with `OAuth = Extension.LoadFunction("OAuth.pqm")`
//! into the module that defines it. Nothing is evaluated; only literal module names count.

use super::connector::{Connector, EXTENSION_CONTENTS};
use super::resolve::{Definition, Env, MAX_RESOLVE_STEPS, Resolved, call_of};
use super::{MDocument, Role};
use crate::syntax::Document;
use crate::syntax::ast::{Expr, ExprKind};

/// When `expr` loads a module, the module's expression and the environment it sees (the
/// section's shared members, as with `#shared`).
pub fn loaded_module<'a>(
    connector: &Connector<'a>,
    expr: &'a Expr,
    env: &Env<'a>,
) -> Option<(&'a Expr, Env<'a>)> {
    let (name, args) = call_of(expr)?;
    let call_env = env;
    let target = match env.lookup(name) {
        Definition::External if name == "Expression.Evaluate" => {
            let targets = connector.module_targets(args.first()?, env)?;
            let mut names = targets.into_iter().map(|(target, _, _)| target.ok());
            let first = names.next()??;
            if names.any(|other| other.as_deref() != Some(first.as_str())) {
                return None;
            }
            first
        }
        Definition::Value {
            expr: definition,
            env: definition_env,
            ..
        } => {
            let Resolved::Function(function, function_env) =
                connector.resolver.resolve(definition, &definition_env)
            else {
                return None;
            };
            let file = function_env.file()?;
            let body_env = function_env.with_params(file, function);
            let (evaluate, env) = follow_call(&function.body, &body_env, "Expression.Evaluate")?;
            let (binary, env) = follow_call(evaluate.first()?, &env, "Text.FromBinary")?;
            let (contents, env) = follow_call(binary.first()?, &env, EXTENSION_CONTENTS)?;
            let entry = contents.first()?;
            match connector.resolver.resolve(entry, &env) {
                Resolved::Text(text) => text,
                Resolved::Param {
                    function: owner,
                    index,
                } if std::ptr::eq(owner, function) => {
                    connector.resolver.text(args.get(index)?, call_env).ok()?
                }
                _ => return None,
            }
        }
        _ => return None,
    };
    module_root(connector, &target)
}

/// The root expression of the module entry `name`, with the environment modules see.
pub fn module_root<'a>(connector: &Connector<'a>, name: &str) -> Option<(&'a Expr, Env<'a>)> {
    let model = connector.model;
    let document: &'a MDocument = model
        .documents
        .iter()
        .find(|d| d.role == Role::Module && model.sources.get(d.file).name == name)?;
    let Document::Expression(root) = &document.parse.document else {
        return None;
    };
    let mut env = Env::root(document.file);
    if let Some(section) = &connector.section {
        env = env
            .with_section(section.file, &section.document.members, true)
            .in_file(document.file);
    }
    Some((root, env))
}

/// Follows parentheses, `try`, `let` results and names to a library call of `name`; returns its
/// arguments and their environment.
fn follow_call<'a>(expr: &'a Expr, env: &Env<'a>, name: &str) -> Option<(&'a [Expr], Env<'a>)> {
    let mut current = (expr, env.clone());
    for _ in 0..MAX_RESOLVE_STEPS {
        let (expr, env) = current;
        match &expr.kind {
            ExprKind::Parens(inner) => current = (inner, env),
            ExprKind::Try(try_expr) => current = (&try_expr.body, env),
            ExprKind::Let(let_expr) => {
                let file = env.file()?;
                current = (&let_expr.body, env.with_let(file, &let_expr.bindings));
            }
            ExprKind::Ident(ident) => match env.lookup_at(&ident.name, expr.span) {
                Definition::Value { expr, env, .. } => current = (expr, env),
                _ => return None,
            },
            _ => {
                let (callee, args) = call_of(expr)?;
                return (callee == name && env.lookup(callee).is_external()).then_some((args, env));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::model::connector::find_member;
    use crate::testing::archive;

    /// Direct evaluations and loader helpers called with a literal name reach the module;
    /// computed names and other calls do not.
    #[test]
    fn finds_loaded_modules() {
        let source = br#"section Wren;
            Extension.LoadFunction = (name as text) =>
                let binary = Extension.Contents(name), asText = Text.FromBinary(binary)
                in try Expression.Evaluate(asText, #shared) catch (e) => error e;
            ViaHelper = Extension.LoadFunction("OAuth.pqm");
            Direct = Expression.Evaluate(Text.FromBinary(Extension.Contents("OAuth.pqm")), #shared);
            Computed = Extension.LoadFunction(Text.Lower("OAuth.pqm"));
            Missing = Extension.LoadFunction("Other.pqm");
            Other = Text.Upper("x");"#;
        let model = Model::build(archive(
            "Wren.mez",
            &[
                ("Wren.pq", source),
                ("OAuth.pqm", b"[StartLogin = (a, b, c) => b]"),
            ],
        ));
        let connector = Connector::build(&model);
        let section = connector.section.as_ref().expect("a section");
        let loads = |member: &str| {
            let value = &find_member(section.document, member).expect("member").value;
            loaded_module(&connector, value, &section.env)
                .map(|(root, _)| matches!(root.kind, ExprKind::Record(_)))
        };
        assert_eq!(loads("ViaHelper"), Some(true));
        assert_eq!(loads("Direct"), Some(true));
        assert_eq!(loads("Computed"), None);
        assert_eq!(loads("Missing"), None);
        assert_eq!(loads("Other"), None);
    }
}
