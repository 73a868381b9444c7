//! PQ011: a signature part does not verify.
use super::signature_checks::{RESIGN, at};
use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rules::{Context, Priority};
use crate::signature::{Depth, Outcome, verify};

declare_rule! {
    /// ## What it checks
    /// A `.pqx` signature does not verify.
    ///
    /// Per signature part: it parses as XML-DSig; the `SignedInfo` reference digest equals the
    /// digest of the inclusive C14N 1.0 of the referenced `Object`; `SignatureValue` verifies
    /// as RSASSA-PKCS1-v1_5 (hash from `SignatureMethod`) over the canonical `SignedInfo` with
    /// the embedded certificate's key; an `RSAKeyValue`, if present, is that key. Algorithms
    /// mezcheck does not implement are reported at `info` as not checked.
    ///
    /// ## Why it matters
    /// Desktop cannot trust a broken signature, and `MakePQX verify` rejects it: the
    /// signature part was edited, or signed by something else than it claims.
    ///
    /// ## Example
    /// A `SignatureValue` copied from another package, or a `Manifest` edited by hand to match
    /// a changed file.
    ///
    /// Use instead: sign the package again with `mezcheck sign` or `MakePQX sign`.
    pub(crate) static INVALID_SIGNATURE = Rule {
        code: "PQ011",
        name: "invalid-signature",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    let verification = verify(&model.package, Depth::WithoutPartDigests);
    for signature in &verification.signatures {
        let part = crate::signature::opc::part_name(&signature.entry);
        for (what, outcome) in [
            ("cannot be read", &signature.structure),
            ("reference digest", &signature.signed_info_digest),
            ("signature value", &signature.signature_value),
            ("key", &signature.key_value),
        ] {
            let (message, span, info) = match outcome {
                Outcome::Fail { message, span } => (message, *span, false),
                Outcome::Unsupported { message, span } => (message, *span, true),
                _ => continue,
            };
            let prefix = if info { "not checked" } else { "invalid" };
            let finding = at(
                model,
                Some(&signature.entry),
                span,
                format!("signature `{part}` {prefix} ({what}): {message}"),
            );
            if info {
                cx.report_review(finding.help("verify this signature with `MakePQX verify`"));
            } else {
                cx.report(finding.help(RESIGN));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::INVALID_SIGNATURE;
    use crate::testing::signing::{redact, replace_in, signed_fixture, tamper};
    use crate::testing::{Fixture, RuleCase};

    /// A fresh signature passes; an edited Manifest, a flipped `SignatureValue`, an unknown
    /// algorithm and broken XML fail (the unknown algorithm at info).
    #[test]
    fn invalid_signature() {
        let signed = signed_fixture();
        let manifest = tamper(&signed, |entries| {
            replace_in(
                entries,
                ".psdsxs",
                "ContentType=image/png",
                "ContentType=image/x-png",
            )
        });
        let value = tamper(&signed, |entries| {
            replace_in(
                entries,
                ".psdsxs",
                "<SignatureValue>",
                "<SignatureValue>AAAA",
            )
        });
        let method = tamper(&signed, |entries| {
            replace_in(
                entries,
                ".psdsxs",
                "xmldsig#rsa-sha1",
                "xmldsig-more#ecdsa-sha1",
            )
        });
        let broken = tamper(&signed, |entries| {
            replace_in(entries, ".psdsxs", "</Signature>", "")
        });
        let pqx = |bytes: &[u8]| Fixture::bytes("Heron.pqx", bytes);
        let cases = RuleCase::new(&INVALID_SIGNATURE)
            .pass([pqx(&signed)])
            .fail([pqx(&manifest), pqx(&value), pqx(&method), pqx(&broken)]);
        insta::assert_snapshot!(redact(&cases.run()));
    }
}
