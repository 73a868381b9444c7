//! PQ114: one name defined twice in one scope, or in the global environment of several packages.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::Kinds;
use crate::model::eval::resolve::Env;
use crate::model::eval::walk::walk;
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::Document;
use crate::syntax::ast::{Expr, ExprKind, Field, Ident, Param, Type, TypeKind};

/// Other packages named in a finding across packages before the rest are counted.
const MAX_OTHERS_NAMED: usize = 3;

declare_rule! {
    /// ## What it checks
    /// One name is defined twice in one scope, or shared by several packages of one run.
    ///
    /// Within one package: two section members with the same name; two fields of one record
    /// expression (attribute records included); two variables of one `let`; two parameters of
    /// one function or function type. When several packages are checked in one run: the same
    /// section name, or the same `shared` member name, in more than one package (each package
    /// reports its own definition and names the others).
    ///
    /// ## Why it matters
    /// M requires unique names per scope, so the document does not evaluate. Section and
    /// `shared` names are global across every connector Desktop loads: a clash stops it with
    /// "An item with the same key has already been added".
    ///
    /// ## Example
    /// `GetPage = (url) => …;` defined twice in the section, or two connectors that both
    /// declare `shared Table.ToNavigationTable`.
    ///
    /// Use instead: rename or remove one definition; keep helpers private (not `shared`).
    pub(crate) static DUPLICATE_NAME = Rule {
        code: "PQ114",
        name: "duplicate-name",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    let connector = cx.connector();
    let files: Vec<FileId> = super::connector_documents(model).map(|d| d.file).collect();
    // Findings go to the context as they are made, where those past the cap are only counted:
    // a module with millions of duplicate names never holds them all.
    let found = &mut |finding| cx.report(finding);
    for document in super::connector_documents(model) {
        let Document::Section(section) = &document.parse.document else {
            continue;
        };
        let file = document.file;
        duplicates(&section.members, |m| &m.name, "section member", file, found);
        let records = section
            .attributes
            .iter()
            .chain(section.members.iter().filter_map(|m| m.attributes.as_ref()));
        for record in records {
            fields(&record.fields, "attribute field", file, found);
            for field in &record.fields {
                walk(&field.value, &Env::root(file), file, &mut |expr, _| {
                    expression(expr, file, found)
                });
            }
        }
    }
    // Member values and modules: the connector's shared walk.
    let scopes = Kinds::RECORD
        .or(Kinds::LET)
        .or(Kinds::FUNCTION)
        .or(Kinds::TYPE);
    connector.for_each_expr_of(scopes, |expr, _, file| {
        if files.contains(&file) {
            expression(expr, file, found);
        }
    });
}

/// The duplicates an expression defines directly: record fields, `let` variables, parameters.
fn expression(expr: &Expr, file: FileId, found: &mut dyn FnMut(Finding)) {
    match &expr.kind {
        ExprKind::Record(record_fields) => fields(record_fields, "record field", file, found),
        ExprKind::Let(let_expr) => {
            duplicates(
                &let_expr.bindings,
                |b| &b.name,
                "`let` variable",
                file,
                found,
            );
        }
        ExprKind::Function(function) => params(&function.params, file, found),
        ExprKind::Type(ty) => types(ty, file, found),
        _ => {}
    }
}

/// Function types anywhere inside a type; recursion is bounded by the tree depth.
fn types(ty: &Type, file: FileId, found: &mut dyn FnMut(Finding)) {
    match &ty.kind {
        TypeKind::Function(function) => {
            params(&function.params, file, found);
            for param in &function.params {
                if let Some(ty) = &param.ty {
                    types(ty, file, found);
                }
            }
            types(&function.return_type, file, found);
        }
        TypeKind::Nullable(inner) | TypeKind::List(inner) | TypeKind::Table(inner) => {
            types(inner, file, found)
        }
        TypeKind::Record { fields, .. } => {
            for field in fields {
                if let Some(ty) = &field.ty {
                    types(ty, file, found);
                }
            }
        }
        TypeKind::Primitive(_) | TypeKind::Expr(_) => {}
    }
}

fn fields(record_fields: &[Field], what: &str, file: FileId, found: &mut dyn FnMut(Finding)) {
    duplicates(record_fields, |f| &f.name, what, file, found);
}

fn params(list: &[Param], file: FileId, found: &mut dyn FnMut(Finding)) {
    duplicates(list, |p| &p.name, "parameter", file, found);
}

/// One finding for every name that repeats an earlier one of the same scope.
/// Scopes with at most this many names are searched in order.
const FEW_NAMES: usize = 16;

fn duplicates<T>(
    items: &[T],
    name_of: impl Fn(&T) -> &Ident,
    what: &str,
    file: FileId,
    found: &mut dyn FnMut(Finding),
) {
    let mut report = |name: &Ident, earlier: &Ident| {
        found(
            Finding::new(format!("{what} `{}` is defined twice", name.name))
                .primary(file, name.span)
                .secondary(file, earlier.span, "first defined here")
                .help("rename or remove one of the definitions"),
        )
    };
    let names = items.iter().map(&name_of).filter(|n| !n.name.is_empty());
    // Most scopes have a few names: compared pairwise, without allocating. A section can
    // have thousands of members: past a few names, earlier ones are looked up by hash.
    if items.len() <= FEW_NAMES {
        for (position, name) in names.enumerate() {
            let earlier = (items.iter().map(&name_of).filter(|n| !n.name.is_empty()))
                .take(position)
                .find(|earlier| earlier.name == name.name);
            if let Some(earlier) = earlier {
                report(name, earlier);
            }
        }
        return;
    }
    let mut seen: rustc_hash::FxHashMap<&str, &Ident> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(items.len(), Default::default());
    for name in names {
        match seen.get(name.name.as_str()) {
            Some(earlier) => report(name, earlier),
            None => {
                seen.insert(name.name.as_str(), name);
            }
        }
    }
}

/// The finding for a global name that other packages of the run also define.
pub(crate) fn across_packages(global: &GlobalName, others: &[String]) -> Finding {
    let mut named: Vec<String> = others
        .iter()
        .take(MAX_OTHERS_NAMED)
        .map(|path| format!("`{path}`"))
        .collect();
    if others.len() > MAX_OTHERS_NAMED {
        named.push(format!("{} more", others.len() - MAX_OTHERS_NAMED));
    }
    let others = named.join(", ");
    let (message, help) = match global.what {
        GlobalKind::Section => (
            format!("section name `{}` is also used by {others}", global.name),
            "give each connector its own section name",
        ),
        GlobalKind::SharedMember => (
            format!(
                "shared member `{}` is also defined by {others}",
                global.name
            ),
            "rename it after this connector's Kind, or remove `shared` from helpers",
        ),
    };
    Finding::new(message)
        .primary(global.file, global.span)
        .help(help)
        .note("Desktop loads every connector into one environment and stops at a clash: \"An item with the same key has already been added\"")
}

/// A name in the global environment every loaded connector shares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GlobalName {
    pub what: GlobalKind,
    pub name: String,
    pub file: FileId,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum GlobalKind {
    Section,
    SharedMember,
}

#[cfg(test)]
mod tests {
    use super::{DUPLICATE_NAME, across_packages};
    use super::{GlobalKind, GlobalName};
    use crate::source::{FileId, Span};
    use crate::testing::{Fixture, RuleCase};

    /// Distinct names pass, also in nested scopes; repeated attributes, members, record fields,
    /// `let` variables and parameters fail, also in modules.
    #[test]
    fn duplicate_name() {
        let cases = RuleCase::new(&DUPLICATE_NAME)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().members(
                    "A = let a = 1, b = [a = 1, b = (a) => a] in b;\nB = type function (a as text) as any;",
                ),
            ])
            .fail([
                Fixture::finch().replace(
                    "[Version = \"1.0.0\"]",
                    "[Version = \"1.0.0\", Version = \"1.0.1\"]",
                ),
                Fixture::finch().members(
                    "A = 1;\nA = 2;\nB = [x = 1, #\"x\" = 2];\nC = let v = 1, v = 2 in v;\nD = (p, p) => p;\nE = type function (p as text, p as text) as any;",
                ),
                Fixture::finch().entry("Helpers.pqm", b"let f = 1, f = 2 in f"),
            ]);
        insta::assert_snapshot!(cases.run());
    }

    /// Across packages, the message names the other packages, at most three.
    #[test]
    fn across_packages_message() {
        let global = GlobalName {
            what: GlobalKind::SharedMember,
            name: "GetPage".into(),
            file: FileId(0),
            span: Span::new(0, 7),
        };
        let others: Vec<String> = ["a.mez", "b.mez", "c.mez", "d.mez"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            across_packages(&global, &others[..1]).message,
            "shared member `GetPage` is also defined by `a.mez`"
        );
        assert_eq!(
            across_packages(&global, &others).message,
            "shared member `GetPage` is also defined by `a.mez`, `b.mez`, `c.mez`, 1 more"
        );
    }
}
