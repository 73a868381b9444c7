//! PQ113: a module does not parse.
use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::model::Role;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A `.pqm` module does not parse as an M expression document.
    ///
    /// Each `.pqm` module (an entry of the package, or a bare `.pqm` file) parses as an M
    /// expression document: a `section` declaration in a module is an error, and so is invalid
    /// UTF-8. Each error is reported at its position in the module, with the call that loads
    /// the module as a secondary label.
    ///
    /// ## Why it matters
    /// The engine evaluates modules only at runtime, through `Expression.Evaluate`, and reports
    /// their errors without the file name.
    ///
    /// ## Example
    /// `Table.ToNavigationTable.pqm` ending with a stray `;` after its function expression.
    ///
    /// Use instead: a module is one expression (a function, a record or a `let`), with no
    /// `section` and no trailing `;`.
    pub(crate) static MODULE_SYNTAX_ERROR = Rule {
        code: "PQ113",
        name: "module-syntax-error",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    let connector = cx.connector();
    for document in model.documents.iter().filter(|d| d.role == Role::Module) {
        let decoded_cleanly = model
            .text_of(document.entry)
            .is_none_or(|text| text.problem.is_none());
        if decoded_cleanly && document.parse.errors.is_empty() {
            // Nothing to report: the module loads are only needed to label a finding.
            continue;
        }
        let name = model.sources.get(document.file).name.clone();
        let load = connector
            .module_loads()
            .iter()
            .find(|load| load.target.as_deref().ok() == Some(name.as_str()));
        let label = load.map(|load| (load.file, load.span));
        super::parse_errors::report_document_errors(
            cx,
            document,
            "syntax error in module",
            |finding| match label {
                Some((file, span)) => finding.secondary(file, span, "module loaded here"),
                None => finding,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::MODULE_SYNTAX_ERROR;
    use crate::testing::{Fixture, RuleCase};

    /// A module expression passes; a section or a broken expression in a module fails,
    /// loaded or not.
    #[test]
    fn module_syntax_error() {
        let cases = RuleCase::new(&MODULE_SYNTAX_ERROR)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().entry("Helpers.pqm", b"[Double = (x) => x * 2]"),
            ])
            .fail([
                Fixture::finch()
                    .members("Helpers = Expression.Evaluate(Text.FromBinary(Extension.Contents(\"Helpers.pqm\")), #shared);")
                    .entry("Helpers.pqm", b"(x) => x * ;")
                    .entry("Other.pqm", b"section Other; A = 1;"),
                // Not listed by the project and loaded by nothing: `MakePQX compile` still
                // packs it.
                Fixture::kestrel()
                    .entry("Unlisted.pqm", b"let x = 1; in x")
                    .as_folder(),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
