//! PQ010: the relationship chain from the package to its signatures is broken.
use super::signature_checks::{RESIGN, at};
use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rules::{Context, Priority};
use crate::signature::{Depth, verify};

declare_rule! {
    /// ## What it checks
    /// A signed `.pqx` whose signatures cannot be found through its relationships.
    ///
    /// In a `.pqx` with any `.rels`, `.psdsor` or `.psdsxs` part: `_rels/.rels` must parse and
    /// hold a digital-signature origin relationship to an existing part; the origin's
    /// relationship part must parse and hold at least one signature relationship to an
    /// existing part with the XML-signature content type; and every `.psdsxs` part must be
    /// reachable that way.
    ///
    /// ## Why it matters
    /// Verifiers, Power BI Desktop included, find signatures only through this chain: a
    /// signature they cannot reach does not sign the package.
    ///
    /// ## Example
    /// `origin.psdsor.rels` names `xml-signature/old.psdsxs`, but the package holds
    /// `xml-signature/new.psdsxs`.
    ///
    /// Use instead: sign the package again with `mezcheck sign` or `MakePQX sign`.
    pub(crate) static BROKEN_SIGNATURE_RELATIONSHIPS = Rule {
        code: "PQ010",
        name: "broken-signature-relationships",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    let verification = verify(&model.package, Depth::WithoutPartDigests);
    for problem in &verification.chain {
        let finding = at(
            model,
            problem.entry.as_deref(),
            problem.span,
            format!("signature relationships: {}", problem.message),
        );
        cx.report(finding.help(RESIGN));
    }
}

#[cfg(test)]
mod tests {
    use super::BROKEN_SIGNATURE_RELATIONSHIPS;
    use crate::testing::signing::{redact, replace_in, signed_fixture, tamper};
    use crate::testing::{Fixture, RuleCase};

    /// A package signed by `sign` passes; a renamed target, a missing `_rels/.rels` and an
    /// orphan signature part fail.
    #[test]
    fn broken_signature_relationships() {
        let signed = signed_fixture();
        let renamed = tamper(&signed, |entries| {
            replace_in(
                entries,
                "origin.psdsor.rels",
                "xml-signature/",
                "xml-signature/gone-",
            )
        });
        let no_package_rels = tamper(&signed, |entries| {
            entries.retain(|(n, _)| n != "_rels/.rels")
        });
        let pqx = |bytes: &[u8]| Fixture::bytes("Heron.pqx", bytes);
        let cases = RuleCase::new(&BROKEN_SIGNATURE_RELATIONSHIPS)
            .pass([pqx(&signed)])
            .fail([pqx(&renamed), pqx(&no_package_rels)]);
        insta::assert_snapshot!(redact(&cases.run()));
    }
}
