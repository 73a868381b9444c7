//! PQ017: the signing certificate was not valid at the signing time.
use super::signature_checks::at;
use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rules::{Context, Priority};
use crate::signature::{Depth, Outcome, verify};

declare_rule! {
    /// ## What it checks
    /// A `.pqx` was signed outside its certificate's validity window.
    ///
    /// The signing certificate's NotBefore–NotAfter window does not contain the
    /// `SignatureTime` value (or the current time when it is absent or unparsable). The
    /// message gives both dates and the thumbprint.
    ///
    /// ## Why it matters
    /// Verification reports such a certificate as not valid; a real published package was
    /// signed seven weeks after its certificate expired.
    ///
    /// ## Example
    /// A package signed on 2022-05-11 with a certificate valid until 2022-03-22.
    ///
    /// Use instead: renew the certificate, have administrators trust the new thumbprint, and
    /// sign again.
    pub(crate) static EXPIRED_SIGNING_CERTIFICATE = Rule {
        code: "PQ017",
        name: "expired-signing-certificate",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    let verification = verify(&model.package, Depth::WithoutPartDigests);
    for signature in &verification.signatures {
        if let Outcome::Fail { message, span } = &signature.validity {
            let finding = at(model, Some(&signature.entry), *span, message.clone());
            cx.report(finding.help("renew the certificate and sign the package again"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EXPIRED_SIGNING_CERTIFICATE;
    use crate::signature::crypto::parse_signing_time;
    use crate::testing::signing::{FIXTURE, SUBJECT, signed_pqx};
    use crate::testing::{Fixture, RuleCase};

    /// Signed now passes; signed after the window closes, or before it opens, fails with both
    /// dates, the signing time and the thumbprint.
    #[test]
    fn expired_signing_certificate() {
        let pqx = |time| Fixture::bytes("Heron.pqx", &signed_pqx(FIXTURE, time));
        let later = parse_signing_time("2099-01-01T00:00:00Z");
        let earlier = parse_signing_time("2001-01-01T00:00:00Z");
        for (time, expected) in [
            (later, "2099-01-01T00:00:00Z"),
            (earlier, "2001-01-01T00:00:00Z"),
        ] {
            // The certificate's window depends on when the test key was made: no snapshot.
            let output = RuleCase::new(&EXPIRED_SIGNING_CERTIFICATE)
                .pass([pqx(None)])
                .fail([pqx(time)])
                .run();
            assert!(output.contains("warning[PQ017]"), "{output}");
            assert!(
                output.contains(SUBJECT) && output.contains(expected),
                "{output}"
            );
            assert!(output.contains("thumbprint "), "{output}");
        }
    }
}
