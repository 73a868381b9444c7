//! PQ117: a module evaluated without an environment while it needs one.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::ModuleLoad;
use crate::model::eval::resolve::{Definition, Env};
use crate::model::eval::walk::walk;
use crate::package::PackageKind;
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::Document;
use crate::syntax::ast::{ExprKind, TryHandler};

/// Outside names listed in a message before the rest are counted.
const MAX_NAMES_LISTED: usize = 3;

declare_rule! {
    /// ## What it checks
    /// `Expression.Evaluate` loads a module without an environment, but the module needs one.
    ///
    /// For each module load (`Expression.Evaluate(Text.FromBinary(Extension.Contents("X")))`,
    /// possibly through a loader helper) with no second argument, the module is read for names
    /// it does not define itself: library functions such as `Table.AddColumn`, or section
    /// members. A module that could not be read as M is reported at `info`.
    ///
    /// ## Why it matters
    /// Without an environment such as `#shared` the module sees no library functions and no
    /// section members, so it fails at runtime.
    ///
    /// ## Example
    /// `Expression.Evaluate(Text.FromBinary(Extension.Contents("Helpers.pqm")))`
    ///
    /// Use instead:
    /// `Expression.Evaluate(Text.FromBinary(Extension.Contents("Helpers.pqm")), #shared)`
    pub(crate) static EVALUATE_WITHOUT_ENVIRONMENT = Rule {
        code: "PQ117",
        name: "evaluate-without-environment",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let model = cx.model();
    let bare = model.package.kind == PackageKind::File;
    let mut bare_reported = false;
    for load in connector
        .module_loads()
        .iter()
        .filter(|l| !l.has_environment)
    {
        if !super::is_connector_file(model, load.file) {
            continue;
        }
        let Ok(target) = &load.target else {
            continue;
        };
        let document = model
            .documents
            .iter()
            .find(|d| model.sources.get(d.file).name == *target);
        let Some(document) = document else {
            let why = if bare {
                // Every load of a bare file is unreadable; saying so once is enough.
                (!bare_reported).then_some("a bare M file has no entries")
            } else {
                model
                    .entry_named(target)
                    .map(|_| "it is not a `.pqm` module, so it was not read as M")
            };
            if let Some(why) = why {
                bare_reported |= bare;
                cx.report_review(unreadable(load, target, why));
            }
            continue;
        };
        let Document::Expression(body) = &document.parse.document else {
            continue;
        };
        let outside = outside_names(body, document.file);
        let Some((_, first_span)) = outside.first() else {
            continue;
        };
        let mut names: Vec<String> = outside
            .iter()
            .take(MAX_NAMES_LISTED)
            .map(|(name, _)| format!("`{name}`"))
            .collect();
        if outside.len() > MAX_NAMES_LISTED {
            names.push(format!("{} more", outside.len() - MAX_NAMES_LISTED));
        }
        let mut finding = Finding::new(format!(
            "`{target}` is evaluated without an environment but uses names it does not define: {}",
            names.join(", ")
        ))
        .primary_label(load.file, load.span, "loaded here")
        .secondary(document.file, *first_span, "defined outside the module");
        if load.evaluate != (load.file, load.span) {
            finding = finding.secondary(
                load.evaluate.0,
                load.evaluate.1,
                "no environment given here",
            );
        }
        cx.report(
            finding.help(
                "pass an environment as the second argument: `Expression.Evaluate(…, #shared)`",
            ),
        );
    }
}

/// Distinct names the module reads from outside itself, in order of first use.
fn outside_names(body: &crate::syntax::ast::Expr, file: FileId) -> Vec<(String, Span)> {
    // The walk does not bind the parameter of `catch (e) => …`: such names count as defined.
    let mut caught: Vec<&str> = Vec::new();
    walk(body, &Env::root(file), file, &mut |expr, _| {
        if let ExprKind::Try(try_expr) = &expr.kind
            && let Some(TryHandler::Catch {
                param: Some(param), ..
            }) = &try_expr.handler
        {
            caught.push(&param.name);
        }
    });
    let mut names: Vec<(String, Span)> = Vec::new();
    walk(body, &Env::root(file), file, &mut |expr, env| {
        let ident = match &expr.kind {
            ExprKind::Ident(ident) => ident,
            ExprKind::Inclusive(ident) => &**ident,
            ExprKind::SectionAccess(access) => &access.section,
            _ => return,
        };
        // `_` is the parameter of `each`, which the walk does not bind.
        if ident.name == "_"
            || caught.contains(&ident.name.as_str())
            || !matches!(env.lookup_at(&ident.name, expr.span), Definition::External)
        {
            return;
        }
        if !names.iter().any(|(name, _)| name == ident.name.as_str()) {
            names.push((ident.name.to_string(), ident.span));
        }
    });
    names
}

fn unreadable(load: &ModuleLoad, target: &str, why: &str) -> Finding {
    Finding::new(format!(
        "could not be checked statically: `{target}` is evaluated without an environment, and {why}"
    ))
    .primary_label(load.file, load.span, "loaded here")
}

#[cfg(test)]
mod tests {
    use super::EVALUATE_WITHOUT_ENVIRONMENT;
    use crate::testing::{Fixture, RuleCase};

    const DIRECT: &str = "A = Expression.Evaluate(Text.FromBinary(Extension.Contents(\"M.pqm\")));";
    const SHARED: &str =
        "A = Expression.Evaluate(Text.FromBinary(Extension.Contents(\"M.pqm\")), #shared);";
    const THROUGH_LOADER: &str = "Load = (name) => Expression.Evaluate(Text.FromBinary(Extension.Contents(name)));\nA = Load(\"M.pqm\");";

    /// Finch loading the module `M.pqm` with `members`.
    fn loads(members: &str, module: &str) -> Fixture {
        Fixture::finch()
            .members(members)
            .entry("M.pqm", module.as_bytes())
    }

    /// A self-contained module, or one given `#shared`, passes; a module using library
    /// functions or section members without an environment fails, also through a loader.
    #[test]
    fn evaluate_without_environment() {
        let cases = RuleCase::new(&EVALUATE_WITHOUT_ENVIRONMENT)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                loads(DIRECT, "let f = (x) => [a = x, b = a] in each _ + 1"),
                loads(SHARED, "(t) => Table.RowCount(t)"),
            ])
            .fail([
                loads(
                    DIRECT,
                    "(t) => Table.RowCount(t) + Table.ColumnCount(t) + PageSize + Other + More",
                ),
                loads(THROUGH_LOADER, "(t) => Text.Upper(t)"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
