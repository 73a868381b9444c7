//! PQ012: a signed part changed after signing.
use super::signature_checks::{RESIGN, at};
use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rules::{Context, Priority};
use crate::signature::{Depth, Outcome, verify};

declare_rule! {
    /// ## What it checks
    /// A part a `.pqx` signature covers was changed, removed or retyped after signing.
    ///
    /// Per `Manifest` reference of every signature: the part exists; the `ContentType=` in its
    /// URI is the part's content type; the digest of the raw part bytes equals `DigestValue`.
    /// References that use the OPC relationship transform are reported at `info` as not
    /// checked.
    ///
    /// ## Why it matters
    /// The package is no longer what was signed, so the signature no longer vouches for it
    /// and Desktop will not trust it.
    ///
    /// ## Example
    /// A line appended to `Contoso.m` after `MakePQX sign`.
    ///
    /// Use instead: make the change in the project, then pack and sign again.
    pub(crate) static PART_DIGEST_MISMATCH = Rule {
        code: "PQ012",
        name: "part-digest-mismatch",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    let verification = verify(&model.package, Depth::Full);
    for signature in &verification.signatures {
        for part in &signature.parts {
            let (message, span, info) = match &part.outcome {
                Outcome::Fail { message, span } => (message, *span, false),
                Outcome::Unsupported { message, span } => (message, *span, true),
                _ => continue,
            };
            let finding = at(model, Some(&signature.entry), span, message.clone());
            if info {
                cx.report_review(finding.help("verify this part with `MakePQX verify`"));
            } else {
                cx.report(finding.help(RESIGN));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PART_DIGEST_MISMATCH;
    use crate::testing::signing::{redact, signed_fixture, tamper};
    use crate::testing::{Fixture, RuleCase};

    /// A fresh signature passes; a changed part and a removed part fail.
    #[test]
    fn part_digest_mismatch() {
        let signed = signed_fixture();
        let changed = tamper(&signed, |entries| {
            for (name, data) in entries.iter_mut() {
                if name == "Heron.pq" {
                    data.extend_from_slice(b"// appended after signing\r\n");
                }
            }
        });
        let removed = tamper(&signed, |entries| {
            entries.retain(|(n, _)| n != "Heron16.png")
        });
        let pqx = |bytes: &[u8]| Fixture::bytes("Heron.pqx", bytes);
        let cases = RuleCase::new(&PART_DIGEST_MISMATCH)
            .pass([pqx(&signed)])
            .fail([pqx(&changed), pqx(&removed)]);
        insta::assert_snapshot!(redact(&cases.run()));
    }
}
