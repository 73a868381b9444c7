//! From a module load to the module: which `.pqm` document a member such as
//! `Table.ToNavigationTable = Extension.LoadFunction("Table.ToNavigationTable.pqm")` stands for,
//! and that document's root expression with the environment a module sees (the section's
//! `shared` members). Only literal module names count; anything else is unknown.

use crate::model::connector::Connector;
use crate::model::eval::follow::{follow, library_call};
use crate::model::eval::resolve::{Env, call_of};
use crate::source::FileId;
use crate::syntax::Document;
use crate::syntax::ast::Expr;

/// A module document's root expression.
#[derive(Clone)]
pub struct ModuleRoot<'a> {
    /// The entry name (`Table.ToNavigationTable.pqm`).
    pub entry: String,
    pub file: FileId,
    pub expr: &'a Expr,
    /// The module's environment: the section's `shared` members.
    pub env: Env<'a>,
}

/// The module `expr` loads, when it follows (through names) to a module load with one literal
/// target: `Expression.Evaluate(Text.FromBinary(Extension.Contents("M.pqm")), …)` or a call
/// of a loader helper such as `Extension.LoadFunction("M.pqm")`.
pub fn module_root<'a>(
    connector: &Connector<'a>,
    expr: &'a Expr,
    env: &Env<'a>,
) -> Option<ModuleRoot<'a>> {
    let (call, call_env) = follow(expr, env);
    if let Some(("Expression.Evaluate", args, env)) = library_call(call, &call_env) {
        let targets = connector.module_targets(args.first()?, &env)?;
        let [(Ok(target), _, _)] = targets.as_slice() else {
            return None;
        };
        return module_document(connector, target);
    }
    // A loader helper: the module loads expanded through its parameter point at this call's
    // arguments.
    let (_, args) = call_of(call)?;
    let file = call_env.file();
    let mut targets = connector
        .module_loads()
        .iter()
        .filter(|load| load.file == file && args.iter().any(|arg| arg.span == load.span))
        .map(|load| load.target.as_ref().ok());
    let target = targets.next()??;
    if targets.next().is_some() {
        return None;
    }
    module_document(connector, target)
}

/// The root expression of the module entry named exactly `entry`.
pub fn module_document<'a>(connector: &Connector<'a>, entry: &str) -> Option<ModuleRoot<'a>> {
    let model = connector.model;
    model.documents.iter().find_map(|document| {
        let Document::Expression(expr) = &document.parse.document else {
            return None;
        };
        if model.sources.get(document.file).name != entry {
            return None;
        }
        let mut env = Env::root(document.file);
        if let Some(section) = &connector.section {
            env = env
                .with_section(section.file, &section.document.members, true)
                .in_file(document.file);
        }
        Some(ModuleRoot {
            entry: entry.to_owned(),
            file: document.file,
            expr,
            env,
        })
    })
}

/// When `expr` loads a module, the module's root expression and the environment it sees.
pub fn loaded_module<'a>(
    connector: &Connector<'a>,
    expr: &'a Expr,
    env: &Env<'a>,
) -> Option<(&'a Expr, Env<'a>)> {
    module_root(connector, expr, env).map(|module| (module.expr, module.env))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::model::connector::find_member;
    use crate::syntax::ast::ExprKind;
    use crate::testing::archive;

    const LOADER: &str = r#"section S;
Extension.LoadFunction = (name as text) =>
    let binary = Extension.Contents(name), asText = Text.FromBinary(binary)
    in try Expression.Evaluate(asText, #shared) catch (e) => error e;
Helper = Extension.LoadFunction("Helper.pqm");
Direct = Expression.Evaluate(Text.FromBinary(Extension.Contents("Direct.pqm")), #shared);
Other = Extension.LoadFunction("Missing.pqm");
Plain = 1;
"#;

    fn root_of(model: &Model, member: &str) -> Option<String> {
        let connector = Connector::build(model);
        let section = connector.section.as_ref()?;
        let member = find_member(section.document, member)?;
        let root = module_root(&connector, &member.value, &section.env)?;
        Some(format!(
            "{} {}",
            root.entry,
            matches!(root.expr.kind, ExprKind::Function(_))
        ))
    }

    /// Loader helpers and direct loads lead to the module's root expression.
    #[test]
    fn loads_lead_to_modules() {
        let model = Model::build(archive(
            "S.mez",
            &[
                ("S.pq", LOADER.as_bytes()),
                ("Helper.pqm", b"(x) => x"),
                ("Direct.pqm", b"(y) => y"),
            ],
        ));
        assert_eq!(
            root_of(&model, "Helper").as_deref(),
            Some("Helper.pqm true")
        );
        assert_eq!(
            root_of(&model, "Direct").as_deref(),
            Some("Direct.pqm true")
        );
        assert_eq!(root_of(&model, "Other"), None, "the entry does not exist");
        assert_eq!(root_of(&model, "Plain"), None);
    }

    /// The module sees the section's shared members only.
    #[test]
    fn module_environment() {
        let model = Model::build(archive(
            "S.mez",
            &[
                ("S.pq", b"section S; shared A = 1; B = 2;"),
                ("M.pqm", b"A"),
            ],
        ));
        let connector = Connector::build(&model);
        let root = module_document(&connector, "M.pqm").expect("module");
        assert!(!root.env.lookup("A").is_external());
        assert!(root.env.lookup("B").is_external());
        assert_eq!(root.env.file(), root.file, "spans resolve into the module");
    }

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
