//! PQ013: a content part no valid signature covers.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::signature::{Depth, verify};

declare_rule! {
    /// ## What it checks
    /// A signed `.pqx` holds a content part that no valid signature covers.
    ///
    /// In a `.pqx` with at least one valid signature reachable through its relationships, a
    /// content part (any part but relationships, the origin, signatures and
    /// `[Content_Types].xml`) that no such signature's `Manifest` references. When no
    /// signature is valid, PQ010 or PQ011 says why and this rule stays silent.
    ///
    /// ## Why it matters
    /// Content added after signing escapes the signature: MakePQX signs every content part,
    /// so an unsigned one was added later, by someone else.
    ///
    /// ## Example
    /// A `Helpers.pqm` copied into a signed package.
    ///
    /// Use instead: add the file to the project, then pack and sign again.
    pub(crate) static UNSIGNED_CONTENT_PART = Rule {
        code: "PQ013",
        name: "unsigned-content-part",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let verification = verify(&cx.model().package, Depth::WithoutPartDigests);
    for entry in &verification.uncovered {
        let part = crate::signature::opc::part_name(entry);
        cx.report(
            Finding::new(format!(
                "content part `{part}` is not covered by any valid signature"
            ))
            .entry(entry.clone())
            .help("remove the part, or sign the package again with it"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::UNSIGNED_CONTENT_PART;
    use crate::testing::signing::{redact, signed_fixture, tamper};
    use crate::testing::{Fixture, RuleCase};

    /// A fresh signature passes; an added part fails; with no valid signature it is silent.
    #[test]
    fn unsigned_content_part() {
        let signed = signed_fixture();
        let added = tamper(&signed, |entries| {
            entries.insert(1, ("Helpers.pqm".into(), b"1".to_vec()));
        });
        let invalid_too = tamper(&added, |entries| {
            crate::testing::signing::replace_in(
                entries,
                ".psdsxs",
                "<SignatureValue>",
                "<SignatureValue>AAAA",
            )
        });
        let pqx = |bytes: &[u8]| Fixture::bytes("Heron.pqx", bytes);
        let cases = RuleCase::new(&UNSIGNED_CONTENT_PART)
            .pass([pqx(&signed), pqx(&invalid_too)])
            .fail([pqx(&added)]);
        insta::assert_snapshot!(redact(&cases.run()));
    }
}
