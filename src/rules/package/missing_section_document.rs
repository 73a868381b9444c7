//! PQ002: the package has no section document.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::Role;
use crate::package::{PackageKind, Packing, is_section_document_name};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// The package has no section document (`.pq` or `.m`).
    ///
    /// The package has no section document: in an archive, no root `*.pq` or `*.m` entry other
    /// than a `*.query.pq` test query; in a project folder, no root `*.pq` or `*.m` file other
    /// than `*.query.pq` and `*.test.pq`. Several section documents are PQ016.
    ///
    /// ## Why it matters
    /// The section document is the connector: without it nothing loads. `MakePQX compile`
    /// requires exactly one.
    ///
    /// ## Example
    /// A package holding only `Contoso.query.pq`, `Helpers.pqm` and icons.
    ///
    /// Use instead: add `Contoso.pq` (starting `[Version = "1.0.0"] section Contoso;`) at the
    /// root of the package.
    pub(crate) static MISSING_SECTION_DOCUMENT = Rule {
        code: "PQ002",
        name: "missing-section-document",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    if model.package.kind == PackageKind::File || model.section_documents().next().is_some() {
        return;
    }
    let misplaced: Vec<&str> = model
        .package
        .entries
        .iter()
        .filter(|e| !e.is_root() && is_section_document_name(&e.name))
        .map(|e| e.name.as_str())
        .collect();
    let mut finding =
        Finding::new("package has no section document (a `.pq` or `.m` file at its root)")
            .help("add the connector's section document, `<Name>.pq`, at the root of the package");
    // MakePQX packs a root `.pq` that MSBuild's project file leaves out (its `MezContent`
    // names another file): say which tool the verdict depends on.
    let left_out = (model.package.entries.iter())
        .find(|e| e.packing == Packing::MakePqxOnly && is_section_document_name(&e.name));
    if let Some(entry) = left_out {
        finding = finding.note(format!(
            "`{}` is at the root, but the project file leaves it out of the package: `MakePQX compile` would pack it, an SDK build would not",
            entry.name
        ));
    }
    if let Some(first) = misplaced.first() {
        finding = finding.note(format!(
            "`{first}` is in a subfolder; section documents must be at the root"
        ));
    }
    if model.texts.iter().any(|t| t.role == Role::Module) {
        finding =
            finding.note("`.pqm` modules are loaded by a section document; they cannot replace it");
    }
    cx.report(finding);
}

#[cfg(test)]
mod tests {
    use super::MISSING_SECTION_DOCUMENT;
    use crate::testing::{Fixture, RuleCase, fixture::FINCH};

    /// `.pq` and `.m` documents both count; test queries, modules and documents in a folder do
    /// not (the finding notes the last two).
    #[test]
    fn missing_section_document() {
        let cases = RuleCase::new(&MISSING_SECTION_DOCUMENT)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch()
                    .without("Finch.pq")
                    .entry("Finch.M", FINCH.as_bytes()),
            ])
            .fail([
                Fixture::finch()
                    .without("Finch.pq")
                    .entry("Finch.query.pq", b"1")
                    .entry("Helpers.pqm", b"1")
                    .entry("src/Finch.pq", FINCH.as_bytes()),
                // The project file packs a `Monday.pq` that is not there, and leaves out the
                // root `Kestrel.pq`.
                Fixture::kestrel().as_folder().entry(
                    "Kestrel.proj",
                    std::fs::read_to_string(concat!(
                        env!("CARGO_MANIFEST_DIR"),
                        "/samples/clean/Kestrel.proj"
                    ))
                    .expect("the sample's project file")
                    .replace("Include=\"Kestrel.pq\"", "Include=\"Monday.pq\"")
                    .as_bytes(),
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
