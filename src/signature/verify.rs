//! Verifying the signatures of a `.pqx` the way MakePQX signs them (see `mod.rs`): the relationship
//! chain (PQ010), each signature's `SignedInfo` reference digest and RSA value (PQ011), the
//! Manifest's part digests (PQ012), coverage of the content parts (PQ013) and the certificate's
//! validity at the signing time (PQ017). Results are plain data for the rules, `verify` and
//! `info`; nothing here reports or prints.

use super::c14n::{self, C14N_1_0};
use super::crypto::{self, CertificateFacts, Hash};
use super::dsig::{self, RELATIONSHIP_TRANSFORM, Reference, Signature};
use super::opc::{ChainProblem, Parts, part_name, percent_decode};
use crate::package::{Package, PackageKind};
use crate::source::Span;

/// How much to check: part digests read every content byte, and only PQ012, `verify` and
/// `info` need them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    WithoutPartDigests,
    Full,
}

/// The result of one check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail {
        message: String,
        span: Option<Span>,
    },
    /// An algorithm or form this verifier does not implement: reported as "could not be checked".
    Unsupported {
        message: String,
        span: Option<Span>,
    },
    NotChecked,
}

impl Outcome {
    fn fail(message: impl Into<String>, span: Option<Span>) -> Outcome {
        Outcome::Fail {
            message: message.into(),
            span,
        }
    }

    fn unsupported(message: impl Into<String>, span: Option<Span>) -> Outcome {
        Outcome::Unsupported {
            message: message.into(),
            span,
        }
    }

    pub fn passed(&self) -> bool {
        matches!(self, Outcome::Pass)
    }

    /// `Success`, `Failed`, `Unsupported` or `NotChecked`.
    pub fn status(&self) -> &'static str {
        match self {
            Outcome::Pass => "Success",
            Outcome::Fail { .. } => "Failed",
            Outcome::Unsupported { .. } => "Unsupported",
            Outcome::NotChecked => "NotChecked",
        }
    }

    pub fn message(&self) -> Option<&str> {
        match self {
            Outcome::Fail { message, .. } | Outcome::Unsupported { message, .. } => Some(message),
            _ => None,
        }
    }
}

/// Everything verified about a package's signatures.
#[derive(Debug, Default)]
pub struct Verification {
    /// Whether the package has any relationship, origin or signature part.
    pub signed: bool,
    /// Breaks in the relationship chain (PQ010).
    pub chain: Vec<ChainProblem>,
    pub signatures: Vec<SignatureCheck>,
    /// Content parts (entry names) no valid, reachable signature's Manifest references; empty
    /// when no such signature exists (PQ010 or PQ011 then say why).
    pub uncovered: Vec<String>,
}

/// The checks of one signature part.
#[derive(Debug)]
pub struct SignatureCheck {
    /// The entry name of the signature part.
    pub entry: String,
    /// Whether the relationship chain reaches it.
    pub reachable: bool,
    /// Reading the part as XML-DSig.
    pub structure: Outcome,
    pub canonicalization: String,
    pub signature_method: String,
    /// The digests of the `SignedInfo` references (the package `Object`).
    pub signed_info_digest: Outcome,
    /// The RSA signature over the canonical `SignedInfo`.
    pub signature_value: Outcome,
    /// A present `RSAKeyValue` against the certificate's key.
    pub key_value: Outcome,
    pub key_name: Option<String>,
    pub certificate: Option<CertificateFacts>,
    /// The `SignatureTime` value as written, and where.
    pub signing_time: Option<(String, Span)>,
    /// The time the validity window was compared with (the signing time, or now), Unix seconds.
    pub checked_at: i64,
    pub time_source: TimeSource,
    /// The certificate's window against that time (PQ017).
    pub validity: Outcome,
    /// The Manifest's references.
    pub parts: Vec<PartCheck>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeSource {
    SignatureTime,
    Now,
}

/// One Manifest reference.
#[derive(Debug)]
pub struct PartCheck {
    /// The part name the reference names.
    pub part: String,
    /// The content type the reference states.
    pub content_type: String,
    pub digest_method: String,
    /// The entry of that part, when it exists.
    pub entry: Option<String>,
    pub outcome: Outcome,
    /// The `Reference` element.
    pub span: Span,
}

impl SignatureCheck {
    /// Valid as PQ011 means it: readable, its reference digests and RSA value verify, and a
    /// present `RSAKeyValue` matches.
    pub fn valid(&self) -> bool {
        self.structure.passed()
            && self.signed_info_digest.passed()
            && self.signature_value.passed()
            && !matches!(self.key_value, Outcome::Fail { .. })
    }
}

/// Verifies every signature of a `.pqx`; other packages have none.
pub fn verify(package: &Package, depth: Depth) -> Verification {
    if package.kind != PackageKind::Pqx {
        return Verification::default();
    }
    let parts = Parts::new(package);
    if !parts.has_signature_parts() {
        return Verification::default();
    }
    let chain = parts.chain();
    let mut indexes = chain.signatures.clone();
    indexes.extend(
        parts
            .signature_parts()
            .filter(|i| !chain.signatures.contains(i)),
    );
    let signatures: Vec<SignatureCheck> = indexes
        .iter()
        .filter_map(|&index| {
            let entry = parts.entry(index)?;
            Some(check_signature(
                &parts,
                &entry.name,
                index,
                chain.signatures.contains(&index),
                depth,
            ))
        })
        .collect();
    let covering: Vec<&SignatureCheck> = signatures
        .iter()
        .filter(|s| s.reachable && s.valid())
        .collect();
    let uncovered = if covering.is_empty() {
        Vec::new()
    } else {
        parts
            .content_parts()
            .filter(|(part, _)| {
                !covering
                    .iter()
                    .any(|s| s.parts.iter().any(|p| p.part.eq_ignore_ascii_case(part)))
            })
            .filter_map(|(_, index)| parts.entry(index).map(|e| e.name.clone()))
            .collect()
    };
    Verification {
        signed: true,
        chain: chain.problems,
        signatures,
        uncovered,
    }
}

fn check_signature(
    parts: &Parts<'_>,
    name: &str,
    index: usize,
    reachable: bool,
    depth: Depth,
) -> SignatureCheck {
    let mut check = SignatureCheck {
        entry: name.to_owned(),
        reachable,
        structure: Outcome::NotChecked,
        canonicalization: String::new(),
        signature_method: String::new(),
        signed_info_digest: Outcome::NotChecked,
        signature_value: Outcome::NotChecked,
        key_value: Outcome::NotChecked,
        key_name: None,
        certificate: None,
        signing_time: None,
        checked_at: crypto::now(),
        time_source: TimeSource::Now,
        validity: Outcome::NotChecked,
        parts: Vec::new(),
    };
    let Some(entry) = parts.entry(index).filter(|e| e.read) else {
        check.structure = Outcome::fail("the signature part could not be read", None);
        return check;
    };
    let decoded = crate::source::decode(&entry.data);
    if decoded.problem.is_some() {
        check.structure = Outcome::fail("the signature part is not UTF-8 text", None);
        return check;
    }
    let signature = match dsig::read(&decoded.text) {
        Ok(signature) => signature,
        Err(error) => {
            check.structure = Outcome::fail(error.message, Some(error.span));
            return check;
        }
    };
    check.structure = Outcome::Pass;
    check.canonicalization = signature.canonicalization.clone();
    check.signature_method = signature.signature_method.clone();
    check.key_name = signature.key_name.clone();
    check.signed_info_digest = reference_digests(&signature);
    certificate_checks(&signature, &mut check);
    let referenced: Vec<&super::dom::Element> = signature
        .references
        .iter()
        .filter_map(|r| element_by_uri(&signature, &r.uri))
        .map(|(element, _)| element)
        .collect();
    check.signing_time = referenced.iter().find_map(|e| dsig::signature_time(e));
    validity_check(&mut check);
    check.parts = referenced
        .iter()
        .flat_map(|e| dsig::manifest_references(e))
        .map(|reference| part_check(parts, &reference, depth))
        .collect();
    check
}

/// The element a `#id` reference names, with its ancestors.
fn element_by_uri<'a>(
    signature: &'a Signature,
    uri: &str,
) -> Option<(&'a super::dom::Element, Vec<&'a super::dom::Element>)> {
    let id = uri.strip_prefix('#')?;
    c14n::with_ancestors(&signature.root, signature.by_id(id)?)
}

/// Step 3: each `SignedInfo` reference's digest over the canonical referenced element.
fn reference_digests(signature: &Signature) -> Outcome {
    if signature.canonicalization != C14N_1_0 {
        return Outcome::unsupported(
            format!(
                "canonicalization `{}` is not implemented (only inclusive C14N 1.0)",
                signature.canonicalization
            ),
            None,
        );
    }
    for reference in &signature.references {
        let span = Some(reference.span);
        if !reference.transforms.iter().all(|t| t == C14N_1_0) {
            return Outcome::unsupported(
                format!(
                    "the transforms of reference `{}` are not implemented",
                    reference.uri
                ),
                span,
            );
        }
        let Some(hash) = Hash::from_digest_uri(&reference.digest_method) else {
            return Outcome::unsupported(
                format!(
                    "digest method `{}` is not implemented",
                    reference.digest_method
                ),
                span,
            );
        };
        if !reference.uri.starts_with('#') {
            return Outcome::unsupported(
                format!(
                    "reference `{}` is not a same-document reference",
                    reference.uri
                ),
                span,
            );
        }
        let Some((element, ancestors)) = element_by_uri(signature, &reference.uri) else {
            return Outcome::fail(
                format!(
                    "reference `{}` names no element of the signature",
                    reference.uri
                ),
                span,
            );
        };
        let canonical = c14n::canonicalize(element, &ancestors);
        let expected = crypto::decode_base64(&reference.digest_value);
        if expected.as_deref() != Some(hash.digest(canonical.as_bytes()).as_slice()) {
            return Outcome::fail(
                format!(
                    "the digest of `{}` does not match: the signed `{}` was changed after signing",
                    reference.uri, element.local
                ),
                span,
            );
        }
    }
    Outcome::Pass
}

/// Steps 4 and 5's facts: the certificate, the RSA value, the `RSAKeyValue`.
fn certificate_checks(signature: &Signature, check: &mut SignatureCheck) {
    let Some((text, span)) = signature.certificates.first() else {
        check.signature_value = Outcome::fail(
            "`KeyInfo` holds no `X509Certificate`, so the signer cannot be checked",
            Some(signature.signature_value_span),
        );
        return;
    };
    let facts = match crypto::decode_base64(text)
        .ok_or_else(|| "the `X509Certificate` is not base64".to_owned())
        .and_then(|der| crypto::certificate_facts(&der))
    {
        Ok(facts) => facts,
        Err(message) => {
            check.signature_value = Outcome::fail(message, Some(*span));
            return;
        }
    };
    check.signature_value = signature_value(signature, &facts);
    if let (Some((modulus, exponent)), Some(key)) = (&signature.rsa_key_value, &facts.public_key) {
        let same = match (
            crypto::decode_base64(modulus),
            crypto::decode_base64(exponent),
        ) {
            (Some(modulus), Some(exponent)) => crypto::same_rsa_key(key, &modulus, &exponent),
            _ => false,
        };
        check.key_value = if same {
            Outcome::Pass
        } else {
            Outcome::fail(
                "the `RSAKeyValue` is not the certificate's key",
                Some(signature.rsa_key_value_span),
            )
        };
    }
    check.certificate = Some(facts);
}

fn signature_value(signature: &Signature, facts: &CertificateFacts) -> Outcome {
    let span = Some(signature.signature_value_span);
    let Some(hash) = Hash::from_signature_uri(&signature.signature_method) else {
        return Outcome::unsupported(
            format!(
                "signature method `{}` is not implemented (RSA with SHA-1 or SHA-2 only)",
                signature.signature_method
            ),
            Some(signature.signature_method_span),
        );
    };
    if signature.canonicalization != C14N_1_0 {
        return Outcome::unsupported("the canonicalization method is not implemented", span);
    }
    let Some(key) = &facts.public_key else {
        return Outcome::unsupported("the certificate's key is not an RSA key", span);
    };
    let Some(signed_info) = signature.signed_info_element() else {
        return Outcome::fail("`SignedInfo` is missing", span);
    };
    let Some(value) = crypto::decode_base64(&signature.signature_value) else {
        return Outcome::fail("`SignatureValue` is not base64", span);
    };
    let canonical = c14n::canonicalize(signed_info, &[&signature.root]);
    if hash.verify_rsa(key, canonical.as_bytes(), &value) {
        Outcome::Pass
    } else {
        Outcome::fail(
            "`SignatureValue` does not verify with the certificate's key over `SignedInfo`",
            span,
        )
    }
}

/// Step 5: the certificate's window contains the signing time (or now).
fn validity_check(check: &mut SignatureCheck) {
    if let Some(time) = check
        .signing_time
        .as_ref()
        .and_then(|(text, _)| crypto::parse_signing_time(text))
    {
        check.checked_at = time;
        check.time_source = TimeSource::SignatureTime;
    }
    let Some(facts) = &check.certificate else {
        return;
    };
    check.validity = if facts.valid_at(check.checked_at) {
        Outcome::Pass
    } else {
        let when = match check.time_source {
            TimeSource::SignatureTime => "the package was signed on",
            TimeSource::Now => "it is now (the signature has no usable `SignatureTime`)",
        };
        Outcome::fail(
            format!(
                "the signing certificate `{}` (thumbprint {}) is valid from {} to {}, but {when} {}",
                facts.subject,
                facts.thumbprint,
                crypto::format_time(facts.not_before),
                crypto::format_time(facts.not_after),
                crypto::format_time(check.checked_at)
            ),
            check.signing_time.as_ref().map(|(_, span)| *span),
        )
    };
}

/// Step 1 for one Manifest reference.
fn part_check(parts: &Parts<'_>, reference: &Reference, depth: Depth) -> PartCheck {
    let (path, query) = reference
        .uri
        .split_once('?')
        .unwrap_or((reference.uri.as_str(), ""));
    let part = percent_decode(path);
    let content_type = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("ContentType="))
        .map(percent_decode)
        .unwrap_or_default();
    let index = parts.find(&part);
    let mut check = PartCheck {
        part: part.clone(),
        content_type: content_type.clone(),
        digest_method: reference.digest_method.clone(),
        entry: index.and_then(|i| parts.entry(i)).map(|e| e.name.clone()),
        outcome: Outcome::NotChecked,
        span: reference.span,
    };
    let span = Some(reference.span);
    let Some(entry) = index.and_then(|i| parts.entry(i)) else {
        check.outcome = Outcome::fail(format!("signed part `{part}` is missing"), span);
        return check;
    };
    let actual = parts.content_type(&part_name(&entry.name));
    if !actual.is_some_and(|actual| actual.eq_ignore_ascii_case(&content_type)) {
        check.outcome = Outcome::fail(
            format!(
                "part `{part}` was signed as `{content_type}` but its content type is `{}`",
                actual.unwrap_or("(none)")
            ),
            span,
        );
        return check;
    }
    if !reference.transforms.is_empty() {
        let what = if reference
            .transforms
            .iter()
            .any(|t| t == RELATIONSHIP_TRANSFORM)
        {
            "the OPC relationship transform"
        } else {
            "its transforms"
        };
        check.outcome = Outcome::unsupported(
            format!("part `{part}` is signed with {what}, which is not implemented"),
            span,
        );
        return check;
    }
    let Some(hash) = Hash::from_digest_uri(&reference.digest_method) else {
        check.outcome = Outcome::unsupported(
            format!(
                "digest method `{}` is not implemented",
                reference.digest_method
            ),
            span,
        );
        return check;
    };
    if depth == Depth::WithoutPartDigests {
        return check;
    }
    if !entry.read {
        check.outcome = Outcome::unsupported(format!("part `{part}` could not be read"), span);
        return check;
    }
    let expected = crypto::decode_base64(&reference.digest_value);
    check.outcome = if expected.as_deref() == Some(hash.digest(&entry.data).as_slice()) {
        Outcome::Pass
    } else {
        Outcome::fail(
            format!(
                "part `{part}` was changed after signing: its {} digest differs",
                hash.name()
            ),
            span,
        )
    };
    check
}
