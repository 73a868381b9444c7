//! PQ014: a `.pqx` without a signature.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::package::PackageKind;
use crate::package::xml::parse_xml;
use crate::rules::{Context, Priority};

/// The relationship type that links a package to its digital-signature origin part.
pub const ORIGIN_RELATIONSHIP: &str =
    "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin";

declare_rule! {
    /// ## What it checks
    /// A `.pqx` package is not signed.
    ///
    /// A `.pqx` whose package relationships (`_rels/.rels`) hold no digital-signature origin
    /// relationship, so the package is not signed.
    ///
    /// ## Why it matters
    /// At the default "Recommended" security level Power BI Desktop loads a custom connector
    /// only as a signed `.pqx` whose certificate thumbprint the administrator trusts; unsigned
    /// packages need users to lower their security level.
    ///
    /// ## Example
    /// The output of `MakePQX pack` without a certificate.
    ///
    /// Use instead: `MakePQX pack … --certificate cert.pfx`, or sign with `MakePQX sign`.
    pub(crate) static UNSIGNED_PQX = Rule {
        code: "PQ014",
        name: "unsigned-pqx",
        default_severity: Severity::Info,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    if model.package.kind != PackageKind::Pqx {
        return;
    }
    let rels = model
        .package
        .entries
        .iter()
        .find(|e| e.name.eq_ignore_ascii_case("_rels/.rels"));
    let signed = rels.is_some_and(|entry| {
        let text = String::from_utf8_lossy(&entry.data);
        parse_xml(&text).root.is_some_and(|root| {
            root.children_named("Relationship")
                .any(|r| r.attribute("Type") == Some(ORIGIN_RELATIONSHIP))
        })
    });
    if !signed {
        cx.report(Finding::new("`.pqx` package is not signed").help(
            "sign it (`MakePQX sign`) so Desktop loads it at the Recommended security level",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::UNSIGNED_PQX;
    use crate::testing::{Fixture, RuleCase};

    const RELS: &[u8] = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin" Target="/package/services/digital-signature/origin.psdsor" Id="R0123456789ABCDEF" /></Relationships>"#;

    /// A package with an origin relationship passes, and a `.mez` is exempt; a `.pqx` without
    /// one fails.
    #[test]
    fn unsigned_pqx() {
        let cases = RuleCase::new(&UNSIGNED_PQX)
            .pass([
                Fixture::finch(),
                Fixture::finch()
                    .named("Finch.pqx")
                    .entry("_rels/.rels", RELS),
            ])
            .fail([Fixture::finch().named("Finch.pqx")]);
        insta::assert_snapshot!(cases.run());
    }
}
