//! PQ101: the connector is an expression, not a section document.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::Role;
use crate::rules::{Context, Priority};
use crate::syntax::Document;
use crate::syntax::ast::ExprKind;

declare_rule! {
    /// ## What it checks
    /// The connector is an M expression, not a section document.
    ///
    /// The section document parses as an M expression document (a `let … in …`, a record, a
    /// function) but has no `section Name;` declaration: typically a test query saved as the
    /// connector.
    ///
    /// ## Why it matters
    /// Certification requires the section document format: the engine registers data source
    /// functions only from `shared` members of a section.
    ///
    /// ## Example
    /// `Kestrel.pq` holding `let Source = Kestrel.Contents("https://…") in Source`.
    ///
    /// Use instead: start the file with `[Version = "1.0.0"] section Kestrel;` and define
    /// members, and keep test queries in `Kestrel.query.pq`.
    pub(crate) static NOT_A_SECTION_DOCUMENT = Rule {
        code: "PQ101",
        name: "not-a-section-document",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    for document in model
        .documents
        .iter()
        .filter(|d| d.role == Role::SectionDocument)
    {
        let Document::Expression(expr) = &document.parse.document else {
            continue;
        };
        if matches!(expr.kind, ExprKind::Missing) || !document.parse.errors.is_empty() {
            continue;
        }
        let name = &model.sources.get(document.file).name;
        cx.report(
            Finding::new(format!("`{name}` is an expression, not a section document"))
                .primary_label(document.file, crate::source::Span::new(expr.span.start, expr.span.start), "no `section` declaration before this")
                .help("start the connector with `[Version = \"1.0.0\"] section <Name>;` and define its members"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::NOT_A_SECTION_DOCUMENT;
    use crate::testing::{Fixture, RuleCase};

    /// A section passes; a test query saved as the connector fails; broken text is PQ100's.
    #[test]
    fn not_a_section_document() {
        let cases = RuleCase::new(&NOT_A_SECTION_DOCUMENT)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::section("let a = in"),
            ])
            .fail([Fixture::section(
                "// test\nlet Source = Finch.Contents() in Source",
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
