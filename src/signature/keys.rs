//! Loading a signer: an RSA private key and its X.509 certificate, from PEM files (PKCS#8 or
//! PKCS#1 key, PEM or DER certificate) or from a PKCS#12 (`.pfx`) file and its password.
//! Keys that cannot be exported stay out of reach by design: sign with an exportable key, or
//! with MakePQX on the machine that holds the key.

use rsa::PrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::pkcs8::DecodePrivateKey as _;

use super::crypto::{self, CertificateFacts};

/// A private key with the certificate that names its public key.
pub struct Signer {
    pub key: PrivateKey,
    pub certificate: CertificateFacts,
}

/// Why a signer could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{0}")]
    Key(String),
    #[error("{0}")]
    Certificate(String),
    #[error("the certificate's public key is not the private key's")]
    Mismatch,
}

/// A signer from a PEM private key and a PEM or DER certificate.
pub fn from_pem(key: &[u8], certificate: &[u8]) -> Result<Signer, KeyError> {
    let key_text = std::str::from_utf8(key)
        .map_err(|_| KeyError::Key("the key file is not PEM text".into()))?;
    let private_key = if key_text.contains("-----BEGIN RSA PRIVATE KEY-----") {
        PrivateKey::from_pkcs1_pem(key_text)
            .map_err(|e| KeyError::Key(format!("cannot read the PKCS#1 RSA key ({e})")))?
    } else if key_text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
        return Err(KeyError::Key(
            "the key is encrypted: decrypt it first, or use a PKCS#12 file with --pfx".into(),
        ));
    } else {
        PrivateKey::from_pkcs8_pem(key_text)
            .map_err(|e| KeyError::Key(format!("cannot read the PKCS#8 RSA key ({e})")))?
    };
    let der = certificate_der(certificate)?;
    signer(private_key, &der)
}

/// A signer from PKCS#12 bytes: the first private key and the certificate it came with.
pub fn from_pkcs12(data: &[u8], password: &str) -> Result<Signer, KeyError> {
    let store = p12_keystore::KeyStore::from_pkcs12(
        data,
        password,
        p12_keystore::Pkcs12ImportPolicy::Strict,
    )
    .map_err(|e| KeyError::Key(format!("cannot read the PKCS#12 file ({e})")))?;
    let (_, chain) = store
        .private_key_chain()
        .ok_or_else(|| KeyError::Key("the PKCS#12 file holds no private key".into()))?;
    let private_key = PrivateKey::from_pkcs8_der(chain.key().as_der())
        .map_err(|e| KeyError::Key(format!("the PKCS#12 key is not an RSA key ({e})")))?;
    let certificate = chain.certs().first().ok_or_else(|| {
        KeyError::Certificate("the PKCS#12 file holds no certificate for its key".into())
    })?;
    signer(private_key, certificate.as_der())
}

fn signer(key: PrivateKey, certificate_der: &[u8]) -> Result<Signer, KeyError> {
    let certificate = crypto::certificate_facts(certificate_der).map_err(KeyError::Certificate)?;
    let matches = certificate
        .public_key
        .as_ref()
        .is_some_and(|public| *public == key.to_public_key());
    if !matches {
        return Err(KeyError::Mismatch);
    }
    Ok(Signer { key, certificate })
}

/// The DER of a PEM (`CERTIFICATE`) or DER certificate file.
fn certificate_der(bytes: &[u8]) -> Result<Vec<u8>, KeyError> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(bytes.to_vec());
    };
    let Some(start) = text.find("-----BEGIN CERTIFICATE-----") else {
        return Ok(bytes.to_vec());
    };
    let body = text
        .get(start + "-----BEGIN CERTIFICATE-----".len()..)
        .and_then(|rest| rest.split_once("-----END CERTIFICATE-----"))
        .map(|(body, _)| body)
        .ok_or_else(|| KeyError::Certificate("the certificate PEM block is not closed".into()))?;
    crypto::decode_base64(body)
        .ok_or_else(|| KeyError::Certificate("the certificate PEM block is not base64".into()))
}
