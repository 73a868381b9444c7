//! `mezcheck verify`: a package's signatures for people, or as JSON whose top-level fields are
//! those of `MakePQX verify` (`SignatureStatus`, `CertificateStatus[]` with `Issuer`,
//! `Thumbprint`, `Subject`, `NotBefore`, `NotAfter`, `Valid`, `Parent`, `Status`), followed by
//! mezcheck's own: the verdict, each signature's steps and each part's digest.

use std::io::{self, Write};

use serde::Serialize;

use super::sanitize::{cap_chars, sanitize_line};
use crate::signature::crypto::{self, CertificateFacts};
use crate::signature::verify::{Outcome, SignatureCheck, TimeSource, Verification};

/// The verdict of `verify` on one package.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifyReport {
    /// `Success` when every signature verifies and covers the content, `NotSigned`,
    /// `Unverified` when only unimplemented algorithms stand in the way, else `Invalid`.
    pub signature_status: &'static str,
    pub certificate_status: Vec<CertificateStatus>,
    /// mezcheck: the package path.
    pub source: String,
    /// mezcheck: why the file could not be read as a package, when it could not.
    pub unreadable: Option<String>,
    /// mezcheck: true when the signature status is `Success` and every certificate was valid
    /// when it signed; the exit code is 0 exactly then.
    pub valid: bool,
    /// mezcheck: breaks in the relationship chain (PQ010).
    pub relationship_problems: Vec<String>,
    /// mezcheck: content parts no valid signature covers (PQ013).
    pub unsigned_parts: Vec<String>,
    /// mezcheck: each signature part's checks.
    pub signatures: Vec<SignatureReport>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CertificateStatus {
    pub issuer: String,
    pub thumbprint: String,
    pub subject: String,
    pub not_before: String,
    pub not_after: String,
    /// Inside its window at the signing time and not self-signed (mezcheck does not build
    /// chains to trusted roots; a self-signed certificate is `UntrustedRoot`, as MakePQX says
    /// unless the machine trusts it).
    pub valid: bool,
    /// Always `null`: chains are not built.
    pub parent: Option<String>,
    /// `NotTimeValid`, `UntrustedRoot` or `ChainNotChecked`.
    pub status: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignatureReport {
    pub part: String,
    pub reachable: bool,
    pub structure: Step,
    pub canonicalization_method: String,
    pub signature_method: String,
    pub signed_info_digest: Step,
    pub signature_value: Step,
    pub key_value: Step,
    pub key_name: Option<String>,
    pub signing_time: Option<String>,
    /// The time the window was compared with, UTC.
    pub checked_at: String,
    /// `SignatureTime` or `Now`.
    pub checked_against: &'static str,
    pub validity: Step,
    pub parts: Vec<PartReport>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Step {
    /// `Success`, `Failed`, `Unsupported` or `NotChecked`.
    pub status: &'static str,
    pub message: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PartReport {
    pub part: String,
    pub content_type: String,
    pub digest_method: String,
    pub status: &'static str,
    pub message: Option<String>,
}

/// Builds the report of one package.
pub fn verify_report(
    source: &str,
    unreadable: Option<String>,
    verification: &Verification,
) -> VerifyReport {
    let signatures: Vec<SignatureReport> = verification
        .signatures
        .iter()
        .map(signature_report)
        .collect();
    let certificate_status = verification
        .signatures
        .iter()
        .filter_map(|s| s.certificate.as_ref().map(|c| certificate_status(c, s)))
        .collect::<Vec<_>>();
    let any = |kind: fn(&Outcome) -> bool| {
        verification.signatures.iter().any(|s| {
            [
                &s.structure,
                &s.signed_info_digest,
                &s.signature_value,
                &s.key_value,
            ]
            .into_iter()
            .chain(s.parts.iter().map(|p| &p.outcome))
            .any(kind)
        })
    };
    let signature_status = if unreadable.is_some() {
        "Invalid"
    } else if !verification.signed {
        "NotSigned"
    } else if any(|o| matches!(o, Outcome::Fail { .. }))
        || !verification.chain.is_empty()
        || !verification.uncovered.is_empty()
    {
        "Invalid"
    } else if any(|o| matches!(o, Outcome::Unsupported { .. })) {
        "Unverified"
    } else if !verification
        .signatures
        .iter()
        .any(|s| s.reachable && s.valid())
    {
        "Invalid"
    } else {
        "Success"
    };
    let windows_ok = verification
        .signatures
        .iter()
        .all(|s| !matches!(s.validity, Outcome::Fail { .. }));
    VerifyReport {
        signature_status,
        certificate_status,
        source: source.to_owned(),
        unreadable,
        valid: signature_status == "Success" && windows_ok,
        relationship_problems: verification
            .chain
            .iter()
            .map(|p| p.message.clone())
            .collect(),
        unsigned_parts: verification
            .uncovered
            .iter()
            .map(|name| crate::signature::opc::part_name(name))
            .collect(),
        signatures,
    }
}

fn certificate_status(facts: &CertificateFacts, check: &SignatureCheck) -> CertificateStatus {
    let in_window = facts.valid_at(check.checked_at);
    let status = if !in_window {
        "NotTimeValid"
    } else if facts.self_signed() {
        "UntrustedRoot"
    } else {
        "ChainNotChecked"
    };
    CertificateStatus {
        issuer: facts.issuer.clone(),
        thumbprint: facts.thumbprint.clone(),
        subject: facts.subject.clone(),
        not_before: crypto::format_time(facts.not_before),
        not_after: crypto::format_time(facts.not_after),
        valid: in_window && !facts.self_signed(),
        parent: None,
        status,
    }
}

fn step(outcome: &Outcome) -> Step {
    Step {
        status: outcome.status(),
        message: outcome.message().map(str::to_owned),
    }
}

fn signature_report(check: &SignatureCheck) -> SignatureReport {
    SignatureReport {
        part: crate::signature::opc::part_name(&check.entry),
        reachable: check.reachable,
        structure: step(&check.structure),
        canonicalization_method: check.canonicalization.clone(),
        signature_method: check.signature_method.clone(),
        signed_info_digest: step(&check.signed_info_digest),
        signature_value: step(&check.signature_value),
        key_value: step(&check.key_value),
        key_name: check.key_name.clone(),
        signing_time: check.signing_time.as_ref().map(|(text, _)| text.clone()),
        checked_at: crypto::format_time(check.checked_at),
        checked_against: match check.time_source {
            TimeSource::SignatureTime => "SignatureTime",
            TimeSource::Now => "Now",
        },
        validity: step(&check.validity),
        parts: check
            .parts
            .iter()
            .map(|p| PartReport {
                part: p.part.clone(),
                content_type: p.content_type.clone(),
                digest_method: p.digest_method.clone(),
                status: p.outcome.status(),
                message: p.outcome.message().map(str::to_owned),
            })
            .collect(),
    }
}

/// Renders reports as text or JSON (an array, one object per package).
pub fn render_verify(reports: &[VerifyReport], json: bool, out: &mut dyn Write) -> io::Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, reports).map_err(io::Error::other)?;
        return writeln!(out);
    }
    for (index, report) in reports.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        render_text(report, out)?;
    }
    Ok(())
}

fn render_text(report: &VerifyReport, out: &mut dyn Write) -> io::Result<()> {
    let verdict = match (report.signature_status, report.valid) {
        ("Success", true) => "signature valid",
        ("Success", false) => "signature valid, but a certificate was not valid when it signed",
        ("NotSigned", _) => "not signed",
        ("Unverified", _) => "signature could not be checked (unsupported algorithm)",
        _ => "signature INVALID",
    };
    if let Some(reason) = &report.unreadable {
        return writeln!(
            out,
            "{}: cannot be read: {}",
            clean(&report.source),
            clean(reason)
        );
    }
    writeln!(out, "{}: {verdict}", clean(&report.source))?;
    for problem in &report.relationship_problems {
        writeln!(out, "  relationships: {}", clean(problem))?;
    }
    for signature in &report.signatures {
        render_signature(signature, out)?;
    }
    for certificate in &report.certificate_status {
        writeln!(out, "  certificate {}", clean(&certificate.subject))?;
        writeln!(out, "    issuer:     {}", clean(&certificate.issuer))?;
        writeln!(out, "    thumbprint: {}", certificate.thumbprint)?;
        writeln!(
            out,
            "    valid:      {} to {} ({})",
            certificate.not_before, certificate.not_after, certificate.status
        )?;
    }
    if !report.unsigned_parts.is_empty() {
        writeln!(out, "  content parts no valid signature covers:")?;
        for part in &report.unsigned_parts {
            writeln!(out, "    {}", clean(part))?;
        }
    }
    Ok(())
}

fn render_signature(signature: &SignatureReport, out: &mut dyn Write) -> io::Result<()> {
    let reach = if signature.reachable {
        ""
    } else {
        " (not reachable from the relationships)"
    };
    writeln!(out, "  signature {}{reach}", clean(&signature.part))?;
    let line = |name: &str, step: &Step| -> String {
        match &step.message {
            Some(message) => format!("    {name}: {} ({})", step.status, clean(message)),
            None => format!("    {name}: {}", step.status),
        }
    };
    if signature.structure.status != "Success" {
        return writeln!(out, "{}", line("structure", &signature.structure));
    }
    writeln!(
        out,
        "    methods: {}, {}",
        clean(&short_algorithm(&signature.canonicalization_method)),
        clean(&short_algorithm(&signature.signature_method))
    )?;
    writeln!(
        out,
        "{}",
        line("SignedInfo reference digest", &signature.signed_info_digest)
    )?;
    writeln!(
        out,
        "{}",
        line("signature value", &signature.signature_value)
    )?;
    if signature.key_value.status != "NotChecked" {
        writeln!(out, "{}", line("RSAKeyValue", &signature.key_value))?;
    }
    let when = match &signature.signing_time {
        Some(time) => format!("{} (SignatureTime {})", signature.checked_at, clean(time)),
        None => format!("{} (now; no SignatureTime)", signature.checked_at),
    };
    writeln!(out, "    signed: {when}")?;
    writeln!(out, "{}", line("certificate window", &signature.validity))?;
    writeln!(out, "    parts:")?;
    for part in &signature.parts {
        let message = part
            .message
            .as_deref()
            .map(|m| format!(": {}", clean(m)))
            .unwrap_or_default();
        writeln!(
            out,
            "      {:<11} {} ({}, {}){message}",
            part.status,
            clean(&part.part),
            clean(&part.content_type),
            clean(&short_algorithm(&part.digest_method))
        )?;
    }
    Ok(())
}

/// `http://www.w3.org/2000/09/xmldsig#rsa-sha1` → `rsa-sha1`.
fn short_algorithm(uri: &str) -> String {
    if uri == crate::signature::c14n::C14N_1_0 {
        return "C14N 1.0".into();
    }
    uri.rsplit(['#', '/']).next().unwrap_or(uri).to_owned()
}

fn clean(text: &str) -> String {
    cap_chars(sanitize_line(text), 200).into_owned()
}
