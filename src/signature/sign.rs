//! Signing a package the way `MakePQX sign` does: the content parts are kept as they are, and
//! a `.pqx` is written with `[Content_Types].xml`, `_rels/.rels`, the origin part, its
//! relationships and one XML-DSig signature part whose Manifest covers every content part
//! (`/Name?ContentType=…`), with `SignatureTime`, `KeyName`, `RSAKeyValue` and the certificate.
//!
//! Signing an already signed `.pqx` replaces its signatures (they are reported), rather than
//! countersigning. Output is deterministic for a given package, key and time.

use super::c14n::{self, C14N_1_0};
use super::crypto::{self, Hash};
use super::dsig::{DSIG_NAMESPACE, OPC_SIGNATURE_NAMESPACE};
use super::keys::Signer;
use super::opc::{self, ORIGIN_RELATIONSHIP, Parts, SIGNATURE_RELATIONSHIP};
use crate::package::write::{self, Item, escape};
use crate::package::{Fact, Package, PackageKind};

const ORIGIN_ENTRY: &str = "package/services/digital-signature/origin.psdsor";
const ORIGIN_RELS_ENTRY: &str = "package/services/digital-signature/_rels/origin.psdsor.rels";
const PACKAGE_RELS_ENTRY: &str = "_rels/.rels";
const OBJECT_ID: &str = "idPackageObject";

/// How to sign.
#[derive(Clone, Copy, Debug)]
pub struct SignOptions {
    /// Digest and RSA hash; SHA-1 is what MakePQX writes and Desktop is seen to load.
    pub hash: Hash,
    /// The `SignatureTime`, Unix seconds.
    pub time: i64,
}

/// A signed package.
#[derive(Debug)]
pub struct Signed {
    pub bytes: Vec<u8>,
    /// The content parts the signature covers, in order.
    pub parts: Vec<String>,
    /// What was replaced: each former signature part with its signer, when readable.
    pub replaced: Vec<String>,
}

/// Why a package cannot be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("only .mez and .pqx packages can be signed")]
    NotAnArchive,
    #[error("the package cannot be signed as it is: {0}")]
    Unusable(String),
    #[error("cannot sign: {0}")]
    Crypto(String),
    #[error("cannot write the package: {0}")]
    Write(#[from] std::io::Error),
}

/// Signs a `.mez` or `.pqx` into a signed `.pqx`.
pub fn sign(package: &Package, signer: &Signer, options: SignOptions) -> Result<Signed, SignError> {
    if !matches!(package.kind, PackageKind::Mez | PackageKind::Pqx) {
        return Err(SignError::NotAnArchive);
    }
    if let Some(problem) = unusable(package) {
        return Err(SignError::Unusable(problem));
    }
    let parts = Parts::new(package);
    let replaced = replaced_signatures(package);
    let content: Vec<&crate::package::Entry> = package
        .entries
        .iter()
        .filter(|e| e.name != crate::package::content_types::CONTENT_TYPES_ENTRY)
        .filter(|e| {
            package.kind == PackageKind::Mez || opc::is_content_part(&opc::part_name(&e.name))
        })
        .collect();
    let names: Vec<&str> = content.iter().map(|e| e.name.as_str()).collect();
    let existing = if package.kind == PackageKind::Pqx {
        parts.content_types.as_ref()
    } else {
        None
    };
    let (content_types, types) = write::content_types(&names, existing, true);
    let references: Vec<String> = content
        .iter()
        .zip(&types)
        .map(|(entry, content_type)| manifest_reference(entry, content_type, options.hash))
        .collect();
    let signature = signature_xml(&references, signer, options)?;
    let signature_name = format!(
        "package/services/digital-signature/xml-signature/{}.psdsxs",
        hex_lower(&Hash::Sha1.digest(signature.as_bytes())[..16])
    );
    let seed = format!("{}{}", options.time, signature_name);
    let package_rels = relationships(&[(ORIGIN_RELATIONSHIP, format!("/{ORIGIN_ENTRY}"))], &seed);
    let origin_rels = relationships(
        &[(SIGNATURE_RELATIONSHIP, format!("/{signature_name}"))],
        &format!("{seed}origin"),
    );
    let mut items: Vec<Item<'_>> = content.iter().map(|e| Item::deflated(e)).collect();
    let signature_bytes = signature.into_bytes();
    for (name, data) in [
        (ORIGIN_ENTRY, &[][..]),
        (PACKAGE_RELS_ENTRY, package_rels.as_bytes()),
        (ORIGIN_RELS_ENTRY, origin_rels.as_bytes()),
        (
            crate::package::content_types::CONTENT_TYPES_ENTRY,
            content_types.as_bytes(),
        ),
        (signature_name.as_str(), &signature_bytes[..]),
    ] {
        items.push(Item {
            name,
            data,
            deflate: false,
        });
    }
    Ok(Signed {
        bytes: write::zip(&items, options.time)?,
        parts: names.iter().map(|n| opc::part_name(n)).collect(),
        replaced,
    })
}

/// The first reading problem that makes signing meaningless.
fn unusable(package: &Package) -> Option<String> {
    if let Some(fact) = package.facts.iter().find(|f| {
        matches!(
            f,
            Fact::Unreadable { .. }
                | Fact::CorruptEntry { .. }
                | Fact::UnsafeName { .. }
                | Fact::DuplicateName { .. }
                | Fact::Encrypted { .. }
                | Fact::UnsupportedCompression { .. }
                | Fact::EntryTooLarge { .. }
                | Fact::PackageTooLarge { .. }
                | Fact::TooManyEntries { .. }
                | Fact::OverlappingEntries
                | Fact::DirectoryEntry { .. }
        )
    }) {
        return Some(format!("{fact:?}"));
    }
    package
        .entries
        .iter()
        .find(|e| !e.read)
        .map(|e| format!("entry `{}` could not be read", e.name))
}

/// The signature parts of a signed `.pqx`, with their signers, which the new one replaces.
fn replaced_signatures(package: &Package) -> Vec<String> {
    let verification = super::verify(package, super::Depth::WithoutPartDigests);
    verification
        .signatures
        .iter()
        .map(|s| match &s.certificate {
            Some(c) => format!(
                "{} (signed by `{}`, thumbprint {})",
                opc::part_name(&s.entry),
                c.subject,
                c.thumbprint
            ),
            None => opc::part_name(&s.entry),
        })
        .collect()
}

fn manifest_reference(entry: &crate::package::Entry, content_type: &str, hash: Hash) -> String {
    format!(
        "<Reference URI=\"{}?ContentType={}\"><DigestMethod Algorithm=\"{}\" /><DigestValue>{}</DigestValue></Reference>",
        escape(&uri_path(&format!("/{}", entry.name))),
        escape(content_type),
        hash.digest_uri(),
        crypto::encode_base64(&hash.digest(&entry.data))
    )
}

/// The whole signature part: the Object is written first, its canonical form digested into
/// `SignedInfo`, whose canonical form is then signed.
fn signature_xml(
    references: &[String],
    signer: &Signer,
    options: SignOptions,
) -> Result<String, SignError> {
    let object = format!(
        "<Object Id=\"{OBJECT_ID}\"><Manifest>{}</Manifest><SignatureProperties><SignatureProperty Id=\"idSignatureTime\" Target=\"#SignatureIdValue\"><SignatureTime xmlns=\"{OPC_SIGNATURE_NAMESPACE}\"><Format>YYYY-MM-DDThh:mm:ss.sTZD</Format><Value>{}</Value></SignatureTime></SignatureProperty></SignatureProperties></Object>",
        references.concat(),
        crypto::format_signing_time(options.time)
    );
    let object_digest =
        canonical_child(&object, "Object").map(|c| options.hash.digest(c.as_bytes()))?;
    let signed_info = format!(
        "<SignedInfo><CanonicalizationMethod Algorithm=\"{C14N_1_0}\" /><SignatureMethod Algorithm=\"{}\" /><Reference URI=\"#{OBJECT_ID}\" Type=\"http://www.w3.org/2000/09/xmldsig#Object\"><DigestMethod Algorithm=\"{}\" /><DigestValue>{}</DigestValue></Reference></SignedInfo>",
        options.hash.signature_uri(),
        options.hash.digest_uri(),
        crypto::encode_base64(&object_digest)
    );
    let canonical_signed_info = canonical_child(&signed_info, "SignedInfo")?;
    let value = options
        .hash
        .sign_rsa(&signer.key, canonical_signed_info.as_bytes())
        .map_err(SignError::Crypto)?;
    let (modulus, exponent) = crypto::rsa_key_value(&signer.key.to_public_key());
    Ok(format!(
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?><Signature Id=\"SignatureIdValue\" xmlns=\"{DSIG_NAMESPACE}\">{signed_info}<SignatureValue>{}</SignatureValue><KeyInfo><KeyName>{}</KeyName><KeyValue><RSAKeyValue><Modulus>{}</Modulus><Exponent>{}</Exponent></RSAKeyValue></KeyValue><X509Data><X509Certificate>{}</X509Certificate></X509Data></KeyInfo>{object}</Signature>",
        crypto::encode_base64(&value),
        escape(&signer.certificate.subject),
        crypto::encode_base64(&modulus),
        crypto::encode_base64(&exponent),
        crypto::encode_base64(&signer.certificate.der),
    ))
}

/// The canonical form of `fragment` as the child `local` of a `Signature` element, which is
/// where it will stand (it inherits the XML-DSig default namespace).
fn canonical_child(fragment: &str, local: &str) -> Result<String, SignError> {
    let document = format!("<Signature xmlns=\"{DSIG_NAMESPACE}\">{fragment}</Signature>");
    let root = super::dom::parse(&document).map_err(|e| SignError::Crypto(e.message))?;
    let element = root
        .elements()
        .find(|e| e.local == local)
        .ok_or_else(|| SignError::Crypto(format!("no `{local}` was written")))?;
    Ok(c14n::canonicalize(element, &[&root]))
}

fn relationships(targets: &[(&str, String)], seed: &str) -> String {
    let mut xml = String::from(
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for (index, (kind, target)) in targets.iter().enumerate() {
        let id = hex_lower(&Hash::Sha1.digest(format!("{seed}{index}").as_bytes())[..8]);
        xml.push_str(&format!(
            "<Relationship Type=\"{kind}\" Target=\"{}\" Id=\"R{id}\" />",
            escape(&uri_path(target))
        ));
    }
    xml.push_str("</Relationships>");
    xml
}

/// A part name as a URI path: bytes outside the unreserved and path characters are
/// percent-encoded.
fn uri_path(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    for byte in part.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spaces and non-ASCII names are percent-encoded in URIs; path characters are kept.
    #[test]
    fn uri_paths() {
        assert_eq!(uri_path("/Product API.m"), "/Product%20API.m");
        assert_eq!(uri_path("/a/b_c.png"), "/a/b_c.png");
        assert_eq!(uri_path("/é"), "/%C3%A9");
    }
}
