//! PQ403: a resource file that is not a well-formed ResX document.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A `resources*.resx` file is not well-formed XML or lacks the ResX structure.
    ///
    /// Reported: XML well-formedness errors; a root element other than `root`; no `resheader`
    /// `resmimetype` with the value `text/microsoft-resx`, or no `reader` or `writer` header; a
    /// `data` element without `name`; a string `data` without `value`; and a `<!DOCTYPE>`
    /// declaration, which ResX files never have. When the XML is not well-formed, only that
    /// is reported.
    ///
    /// ## Why it matters
    /// The ResX reader expects this structure; a file it cannot read loses every string.
    ///
    /// ## Example
    /// `<data name="ButtonTitle"><value>Contoso</data>` (the `value` is never closed).
    ///
    /// Use instead: `<data name="ButtonTitle" xml:space="preserve"><value>Contoso</value></data>`
    pub(crate) static MALFORMED_RESX = Rule {
        code: "PQ403",
        name: "malformed-resx",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    for resources in &model.resources {
        let name = &model.sources.get(resources.file).name;
        let xml = &resources.resx.xml;
        if let Some(doctype) = xml.doctype {
            cx.report(
                Finding::new(format!("`{name}` has a `<!DOCTYPE>` declaration"))
                    .primary(resources.file, doctype)
                    .help("remove the `<!DOCTYPE>`: ResX files have none, and DTDs are not read"),
            );
        }
        if !xml.problems.is_empty() {
            for problem in &xml.problems {
                cx.report(
                    Finding::new(format!(
                        "`{name}` is not well-formed XML: {}",
                        problem
                            .message
                            .strip_prefix("XML is not well-formed: ")
                            .unwrap_or(&problem.message)
                    ))
                    .primary(resources.file, problem.span)
                    .help("fix the XML; the SDK's resx editor or any XML editor shows the error"),
                );
            }
            continue;
        }
        if xml.root.is_none() {
            cx.report(
                Finding::new(format!("`{name}` has no root element"))
                    .entry(name.clone())
                    .help("write a ResX document: a `root` element with `resheader` and `data` children"),
            );
            continue;
        }
        for problem in &resources.resx.structure {
            cx.report(
                Finding::new(format!(
                    "`{name}` is not a valid ResX file: {}",
                    problem.message
                ))
                .primary(resources.file, problem.span)
                .help("compare with the `resources.resx` of the SDK's project template"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MALFORMED_RESX;
    use crate::testing::{Fixture, RuleCase};

    const HEADERS: &str = r#"<resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
<resheader name="reader"><value>System.Resources.ResXResourceReader</value></resheader>
<resheader name="writer"><value>System.Resources.ResXResourceWriter</value></resheader>"#;

    /// A well-formed ResX passes; broken XML, missing headers, nameless or value-less data,
    /// a wrong root, a DOCTYPE and an empty file fail.
    #[test]
    fn malformed_resx() {
        let good = format!("<root>\n{HEADERS}\n<data name=\"A\"><value>a</value></data>\n</root>");
        let structure = "<root>\n<resheader name=\"reader\"><value>R</value></resheader>\n<data><value>a</value></data>\n<data name=\"B\"></data>\n</root>";
        let doctype = format!("<!DOCTYPE root [<!ENTITY e \"x\">]>\n<root>\n{HEADERS}\n</root>");
        let cases = RuleCase::new(&MALFORMED_RESX)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().entry("resources.resx", good.as_bytes()),
            ])
            .fail([Fixture::finch()
                .entry(
                    "resources.resx",
                    b"<root>\n<data name=\"A\"><value>a</data>\n</root>",
                )
                .entry("resources.de.resx", structure.as_bytes())
                .entry("resources.fr.resx", doctype.as_bytes())
                .entry("resources.it.resx", b"<strings/>")
                .entry("resources.es.resx", b"")]);
        insta::assert_snapshot!(cases.run());
    }
}
