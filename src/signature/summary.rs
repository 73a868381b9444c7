//! The signature of a `.pqx` in a few facts, for `mezcheck info`.

use serde::Serialize;

use super::crypto::format_time;
use super::{Depth, Outcome, verify};
use crate::package::{Package, PackageKind};

/// Who signed a `.pqx`, and whether the signature holds.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignatureInfo {
    pub signed: bool,
    /// Every signature verifies and covers the content (`mezcheck verify` says the rest).
    pub valid: bool,
    pub signer: Option<String>,
    pub issuer: Option<String>,
    pub thumbprint: Option<String>,
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    pub signing_time: Option<String>,
    /// The certificate's window contains the signing time.
    pub certificate_valid_then: Option<bool>,
}

/// The signature facts of a `.pqx`; `None` for other packages.
pub fn summary(package: &Package) -> Option<SignatureInfo> {
    if package.kind != PackageKind::Pqx {
        return None;
    }
    let verification = verify(package, Depth::Full);
    let first = verification.signatures.iter().find(|s| s.reachable);
    let certificate = first.and_then(|s| s.certificate.as_ref());
    let valid = verification.signed
        && verification.chain.is_empty()
        && verification.uncovered.is_empty()
        && !verification.signatures.is_empty()
        && verification
            .signatures
            .iter()
            .all(|s| s.valid() && s.parts.iter().all(|p| matches!(p.outcome, Outcome::Pass)));
    Some(SignatureInfo {
        signed: verification.signed,
        valid,
        signer: certificate.map(|c| c.subject.clone()),
        issuer: certificate.map(|c| c.issuer.clone()),
        thumbprint: certificate.map(|c| c.thumbprint.clone()),
        not_before: certificate.map(|c| format_time(c.not_before)),
        not_after: certificate.map(|c| format_time(c.not_after)),
        signing_time: first.map(|s| format_time(s.checked_at)),
        certificate_valid_then: first
            .filter(|s| s.certificate.is_some())
            .map(|s| matches!(s.validity, Outcome::Pass)),
    })
}
