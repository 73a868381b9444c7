//! PQ016: more than one section document.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// The package has more than one section document.
    ///
    /// More than one section document: several root `*.pq`/`*.m` entries other than
    /// `*.query.pq` (including the pair `X.pq` + `X.m`), or in a project folder several root
    /// `*.pq`/`*.m` files other than `*.query.pq`/`*.test.pq`. All of them are listed.
    ///
    /// ## Why it matters
    /// Power BI Desktop refuses a package with several section documents, and `MakePQX compile`
    /// rejects such a folder.
    ///
    /// ## Example
    /// A package holding both `Contoso.pq` and `Contoso.m`, left over from an old SDK.
    ///
    /// Use instead: keep one section document and move shared code into `.pqm` modules.
    pub(crate) static MULTIPLE_SECTION_DOCUMENTS = Rule {
        code: "PQ016",
        name: "multiple-section-documents",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let names: Vec<String> = cx
        .model()
        .section_documents()
        .map(|(_, e)| format!("`{}`", e.name))
        .collect();
    if names.len() < 2 {
        return;
    }
    cx.report(
        Finding::new(format!(
            "package has {} section documents: {}",
            names.len(),
            names.join(", ")
        ))
        .help("keep exactly one section document; move shared code into `.pqm` modules"),
    );
}

#[cfg(test)]
mod tests {
    use super::MULTIPLE_SECTION_DOCUMENTS;
    use crate::testing::{Fixture, RuleCase, fixture::FINCH};

    /// One document passes, also beside a test query; `X.pq` with `X.m` fails, naming both.
    #[test]
    fn multiple_section_documents() {
        let cases = RuleCase::new(&MULTIPLE_SECTION_DOCUMENTS)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().entry("Finch.query.pq", b"1"),
            ])
            .fail([Fixture::finch().entry("Finch.m", FINCH.as_bytes())]);
        insta::assert_snapshot!(cases.run());
    }
}
