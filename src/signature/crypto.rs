//! The cryptography a package signature needs, over RustCrypto crates: the digest and RSA
//! algorithm identifiers of XML-DSig, base64 as XML-DSig writes it, RSASSA-PKCS1-v1_5 checks,
//! the signing certificate's facts (subject, issuer, thumbprint, validity) and the dates of
//! `SignatureTime`. It decides nothing about packages.

use crate::dates::days_from_civil;
pub use crate::dates::format_time;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::PublicKey as RsaPublicKey;
use rsa::traits::PublicKeyParts;
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha384, Sha512};
use x509_cert::der::{Decode as _, Encode as _};

/// A digest algorithm of XML-DSig, with the RSA signature method that uses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

const DIGESTS: [(Hash, &str, &str); 4] = [
    (
        Hash::Sha1,
        "http://www.w3.org/2000/09/xmldsig#sha1",
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
    ),
    (
        Hash::Sha256,
        "http://www.w3.org/2001/04/xmlenc#sha256",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    ),
    (
        Hash::Sha384,
        "http://www.w3.org/2001/04/xmldsig-more#sha384",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    ),
    (
        Hash::Sha512,
        "http://www.w3.org/2001/04/xmlenc#sha512",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    ),
];

impl Hash {
    /// The algorithm of a `DigestMethod`.
    pub fn from_digest_uri(uri: &str) -> Option<Hash> {
        DIGESTS.iter().find(|d| d.1 == uri).map(|d| d.0)
    }

    /// The hash of an RSA `SignatureMethod`.
    pub fn from_signature_uri(uri: &str) -> Option<Hash> {
        DIGESTS.iter().find(|d| d.2 == uri).map(|d| d.0)
    }

    pub fn digest_uri(self) -> &'static str {
        DIGESTS.iter().find(|d| d.0 == self).map_or("", |d| d.1)
    }

    pub fn signature_uri(self) -> &'static str {
        DIGESTS.iter().find(|d| d.0 == self).map_or("", |d| d.2)
    }

    pub fn name(self) -> &'static str {
        match self {
            Hash::Sha1 => "SHA-1",
            Hash::Sha256 => "SHA-256",
            Hash::Sha384 => "SHA-384",
            Hash::Sha512 => "SHA-512",
        }
    }

    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => Sha1::digest(data).to_vec(),
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    /// Whether `signature` is an RSASSA-PKCS1-v1_5 signature of `message` with this hash.
    pub fn verify_rsa(self, key: &RsaPublicKey, message: &[u8], signature: &[u8]) -> bool {
        use rsa::pkcs1v15::Pkcs1v15Sign;
        let hashed = self.digest(message);
        let scheme = match self {
            Hash::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
            Hash::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
            Hash::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
            Hash::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        };
        key.verify(scheme, &hashed, signature).is_ok()
    }

    /// An RSASSA-PKCS1-v1_5 signature of `message` with this hash.
    pub fn sign_rsa(self, key: &rsa::PrivateKey, message: &[u8]) -> Result<Vec<u8>, String> {
        use rsa::pkcs1v15::Pkcs1v15Sign;
        let hashed = self.digest(message);
        let scheme = match self {
            Hash::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
            Hash::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
            Hash::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
            Hash::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        };
        key.sign(scheme, &hashed).map_err(|e| e.to_string())
    }
}

/// Decodes base64 as XML-DSig writes it (`ds:CryptoBinary`, `base64Binary`): white space
/// anywhere is ignored.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STANDARD.decode(compact).ok()
}

pub fn encode_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// What a verifier reports about a signing certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateFacts {
    pub subject: String,
    pub issuer: String,
    /// Uppercase hex SHA-1 of the DER certificate, the form Desktop's trust list uses.
    pub thumbprint: String,
    /// Seconds since the Unix epoch.
    pub not_before: i64,
    pub not_after: i64,
    /// The RSA public key, when the certificate holds one.
    pub public_key: Option<RsaPublicKey>,
    pub der: Vec<u8>,
}

impl CertificateFacts {
    /// Whether `time` (Unix seconds) is inside the validity window, both ends included.
    pub fn valid_at(&self, time: i64) -> bool {
        self.not_before <= time && time <= self.not_after
    }

    pub fn self_signed(&self) -> bool {
        self.subject == self.issuer
    }
}

/// Reads a DER certificate.
pub fn certificate_facts(der: &[u8]) -> Result<CertificateFacts, String> {
    let certificate = x509_cert::Certificate::from_der(der)
        .map_err(|e| format!("the certificate is not valid DER X.509 ({e})"))?;
    let tbs = certificate.tbs_certificate();
    let validity = tbs.validity();
    let public_key = tbs
        .subject_public_key_info()
        .to_der()
        .ok()
        .and_then(|spki| {
            use rsa::pkcs8::DecodePublicKey as _;
            RsaPublicKey::from_public_key_der(&spki).ok()
        });
    Ok(CertificateFacts {
        subject: tbs.subject().to_string(),
        issuer: tbs.issuer().to_string(),
        thumbprint: hex_upper(&Sha1::digest(der)),
        not_before: unix_seconds(validity.not_before.to_unix_duration()),
        not_after: unix_seconds(validity.not_after.to_unix_duration()),
        public_key,
        der: der.to_vec(),
    })
}

/// Whether an RSA key equals the modulus and exponent of an `RSAKeyValue` (big-endian bytes).
pub fn same_rsa_key(key: &RsaPublicKey, modulus: &[u8], exponent: &[u8]) -> bool {
    let strip = |bytes: &[u8]| -> Vec<u8> {
        let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        bytes.get(first..).unwrap_or_default().to_vec()
    };
    strip(&key.n().to_be_bytes()) == strip(modulus)
        && strip(&key.e().to_be_bytes()) == strip(exponent)
}

/// The modulus and exponent of a key, big-endian without leading zeros.
pub fn rsa_key_value(key: &RsaPublicKey) -> (Vec<u8>, Vec<u8>) {
    let strip = |bytes: Box<[u8]>| -> Vec<u8> {
        let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        bytes.get(first..).unwrap_or_default().to_vec()
    };
    (strip(key.n().to_be_bytes()), strip(key.e().to_be_bytes()))
}

pub fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn unix_seconds(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}

/// The current time in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, unix_seconds)
}

/// Parses a W3C date-time as OPC's `SignatureTime` writes it (`YYYY-MM-DDThh:mm:ss.sTZD`, also
/// without seconds or fraction, or a bare date) into Unix seconds.
pub fn parse_signing_time(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, time) = match text.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let year: i64 = number(parts.next()?, 4)?;
    let month: i64 = number(parts.next()?, 2)?;
    let day: i64 = number(parts.next()?, 2)?;
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    let Some(time) = time else {
        return Some(seconds);
    };
    let (clock, offset) = if let Some(clock) = time.strip_suffix('Z') {
        (clock, 0)
    } else {
        let at = time.rfind(['+', '-'])?;
        let (clock, zone) = (time.get(..at)?, time.get(at..)?);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let (hours, minutes) = zone.get(1..)?.split_once(':')?;
        let offset = number(hours, 2)? * 3600 + number(minutes, 2)? * 60;
        (clock, sign * offset)
    };
    let mut fields = clock.split(':');
    let hour: i64 = number(fields.next()?, 2)?;
    let minute: i64 = number(fields.next()?, 2)?;
    let second: i64 = match fields.next() {
        Some(second) => {
            let whole = second.split_once('.').map_or(second, |(whole, fraction)| {
                if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                    ""
                } else {
                    whole
                }
            });
            number(whole, 2)?
        }
        None => 0,
    };
    if fields.next().is_some() || hour > 24 || minute > 59 || second > 60 {
        return None;
    }
    seconds += hour * 3600 + minute * 60 + second - offset;
    Some(seconds)
}

/// Formats Unix seconds as `SignatureTime` writes it: `2022-05-11T13:35:42.0Z`.
pub fn format_signing_time(seconds: i64) -> String {
    let mut text = format_time(seconds);
    text.pop();
    text.push_str(".0Z");
    text
}

fn number(text: &str, digits: usize) -> Option<i64> {
    if text.len() != digits || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::civil_from_days;

    /// MakePQX's time format, with an offset, and its shorter W3C forms.
    #[test]
    fn signing_times() {
        let expected = parse_signing_time("2022-05-11T11:35:42Z");
        assert_eq!(parse_signing_time("2022-05-11T13:35:42.0+02:00"), expected);
        assert_eq!(
            format_time(expected.unwrap_or_default()),
            "2022-05-11T11:35:42Z"
        );
        assert_eq!(parse_signing_time("1970-01-01"), Some(0));
        assert_eq!(parse_signing_time("1970-01-02T00:00:00.125Z"), Some(86_400));
        assert_eq!(parse_signing_time("1969-12-31T23:00-01:00"), Some(0));
        assert_eq!(format_signing_time(0), "1970-01-01T00:00:00.0Z");
        for bad in [
            "",
            "2022",
            "2022-13-01",
            "2022-05-11T25:00Z",
            "x",
            "2022-05-11T10:00",
            "२०२२-05-11",
        ] {
            assert_eq!(parse_signing_time(bad), None, "{bad}");
        }
    }

    /// Dates round-trip across eras and leap days.
    #[test]
    fn civil_dates() {
        for (y, m, d) in [
            (1970, 1, 1),
            (2000, 2, 29),
            (2024, 12, 31),
            (1900, 3, 1),
            (2100, 1, 1),
        ] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
    }

    /// Base64 with white space decodes; the algorithm tables round-trip.
    #[test]
    fn base64_and_algorithms() {
        assert_eq!(decode_base64(" AQ\r\nAB "), Some(vec![1, 0, 1]));
        assert_eq!(decode_base64("!"), None);
        for hash in [Hash::Sha1, Hash::Sha256, Hash::Sha384, Hash::Sha512] {
            assert_eq!(Hash::from_digest_uri(hash.digest_uri()), Some(hash));
            assert_eq!(Hash::from_signature_uri(hash.signature_uri()), Some(hash));
        }
    }
}
