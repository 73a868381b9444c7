//! Signed packages for tests: one RSA key and self-signed certificate per test process, made
//! with the `openssl` command (a test dependency, like `xmlsec1` for the interop tests), and
//! packages signed with it by our own `sign`, plus a way to tamper with them.

use std::sync::OnceLock;

use crate::package::{PackageKind, read_archive};
use crate::signature::crypto::Hash;
use crate::signature::keys::{self, Signer};
use crate::signature::sign::{SignOptions, sign};

/// The test certificate's subject.
pub const SUBJECT: &str = "CN=mezcheck test signer";

/// Writes a new RSA key and a self-signed certificate valid for `days` from now into `dir`
/// as `key.pem` and `cert.pem`.
pub fn make_key_and_certificate(dir: &std::path::Path, days: u32) {
    let status = std::process::Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256"])
        .args(["-keyout", "key.pem", "-out", "cert.pem", "-days"])
        .arg(days.to_string())
        .args(["-subj", "/CN=mezcheck test signer"])
        .current_dir(dir)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("the openssl command runs (tests need it to make keys)");
    assert!(status.success(), "openssl req failed");
}

/// The signer all tests of this process share (30 days from now).
pub fn signer() -> &'static Signer {
    static SIGNER: OnceLock<Signer> = OnceLock::new();
    SIGNER.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("mezcheck-test-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        make_key_and_certificate(&dir, 30);
        let read = |name: &str| std::fs::read(dir.join(name)).expect("openssl output");
        let signer =
            keys::from_pem(&read("key.pem"), &read("cert.pem")).expect("the test key loads");
        let _ = std::fs::remove_dir_all(&dir);
        signer
    })
}

/// A `.pqx` of these entries signed now (or at `time`, Unix seconds) with the test signer.
pub fn signed_pqx(entries: &[(&str, &[u8])], time: Option<i64>) -> Vec<u8> {
    let mez = read_archive(&super::zip_bytes(entries), "Fixture.mez", PackageKind::Mez);
    // The key is made first: its certificate's window opens when it is made.
    let signer = signer();
    let options = SignOptions {
        hash: Hash::Sha1,
        time: time.unwrap_or_else(crate::signature::crypto::now),
    };
    sign(&mez, signer, options)
        .expect("the fixture signs")
        .bytes
}

/// A small signed connector: a section document, an icon and a resource file.
pub fn signed_fixture() -> Vec<u8> {
    signed_pqx(FIXTURE, None)
}

pub const FIXTURE: &[(&str, &[u8])] = &[
    ("Heron.pq", b"section Heron;\r\nshared Heron.Value = 1;\r\n"),
    ("Heron16.png", b"\x89PNG\r\n\x1a\nnot really"),
    ("resources.resx", b"<root/>"),
];

/// The archive's entries with `edit` applied, re-zipped in order.
pub fn tamper(bytes: &[u8], edit: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) -> Vec<u8> {
    let package = read_archive(bytes, "Fixture.pqx", PackageKind::Pqx);
    let mut entries: Vec<(String, Vec<u8>)> = package
        .entries
        .into_iter()
        .map(|e| (e.name, e.data))
        .collect();
    edit(&mut entries);
    let borrowed: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    super::zip_bytes(&borrowed)
}

/// Replaces text in the entry whose name ends with `suffix`.
pub fn replace_in(entries: &mut [(String, Vec<u8>)], suffix: &str, from: &str, to: &str) {
    for (name, data) in entries.iter_mut() {
        if name.ends_with(suffix) {
            let text = String::from_utf8_lossy(data).replace(from, to);
            *data = text.into_bytes();
        }
    }
}

/// Rendered findings with what depends on the test key replaced: signature part names by
/// `<sig>`, base64 runs (digests, signature values, certificates) by `<base64>`, and
/// package sizes by `N bytes`.
pub fn redact(rendered: &str) -> String {
    let named = redact_element_values(&redact_positions(&redact_part_names(rendered)));
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let base64_like = run.len() >= 20
            && run.bytes().any(|b| b.is_ascii_digit())
            && run.bytes().any(|b| b.is_ascii_uppercase())
            && run.bytes().any(|b| b.is_ascii_lowercase());
        if base64_like {
            out.push_str("<base64>");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in named.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=') {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    let mut sized = String::new();
    for line in out.split_inclusive('\n') {
        match line.find(".pqx: ").zip(line.find(" bytes")) {
            Some((at, end)) if at < end => {
                sized.push_str(line.get(..at + ".pqx: ".len()).unwrap_or_default());
                sized.push('N');
                sized.push_str(line.get(end..).unwrap_or_default());
            }
            _ => sized.push_str(line),
        }
    }
    sized
}

/// The text of the elements whose content depends on the key or the signing time
/// (`<DigestValue>…</DigestValue>` and the like), also when an excerpt cuts them, replaced by
/// `<base64>`.
fn redact_element_values(text: &str) -> String {
    const ELEMENTS: &[&str] = &[
        "DigestValue",
        "SignatureValue",
        "X509Certificate",
        "Modulus",
        "Exponent",
        "SignatureTime",
        "Value",
    ];
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let mut line = line.to_owned();
        for element in ELEMENTS {
            // `<Element>content` up to the next `<`, `…` or end of line.
            let open = format!("<{element}>");
            let mut from = 0;
            while let Some(at) = line.get(from..).and_then(|rest| rest.find(&open)) {
                let start = from + at + open.len();
                let rest = line.get(start..).unwrap_or_default();
                let len = rest.find(['<', '…', '\n']).unwrap_or(rest.len());
                if len > 0 && !rest.starts_with("<base64>") {
                    line.replace_range(start..start + len, "<base64>");
                }
                from = start;
            }
            // `content</Element>` back to the previous `>` or `…`.
            let close = format!("</{element}>");
            let mut from = 0;
            while let Some(at) = line.get(from..).and_then(|rest| rest.find(&close)) {
                let end = from + at;
                let before = line.get(..end).unwrap_or_default();
                let start = before.rfind(['>', '…']).map_or(0, |i| {
                    i + before
                        .get(i..)
                        .and_then(|r| r.chars().next())
                        .map_or(1, char::len_utf8)
                });
                if start < end && line.get(start..end) != Some("<base64>") {
                    line.replace_range(start..end, "<base64>");
                    from = start + "<base64>".len() + close.len();
                } else {
                    from = end + close.len();
                }
            }
        }
        out.push_str(&line);
    }
    out
}

/// Line and column after a redacted part name (`<sig>:1:2574`), which move with the
/// certificate's length, replaced by `<sig>:<position>`.
fn redact_positions(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("<sig>:") {
        let after = at + "<sig>:".len();
        out.push_str(rest.get(..after).unwrap_or_default());
        let tail = rest.get(after..).unwrap_or_default();
        let digits = tail
            .find(|c: char| !(c.is_ascii_digit() || c == ':'))
            .unwrap_or(tail.len());
        if digits > 0 {
            out.push_str("<position>");
        }
        rest = tail.get(digits..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// The key-dependent signature part names replaced by `<sig>`.
fn redact_part_names(listing: &str) -> String {
    let mut out = String::new();
    for line in listing.split_inclusive('\n') {
        let mut line = line.to_owned();
        while let Some(at) = line.find(".psdsxs") {
            let start = at.saturating_sub(32);
            let name_start = line.get(..at).map_or(start, |before| {
                before.rfind('/').map_or(start, |slash| slash + 1)
            });
            let mut end = at + ".psdsxs".len();
            // A position inside the signature part moves with the certificate's length.
            if let Some(rest) = line.get(end..)
                && let Some((position, _)) = rest.strip_prefix(':').and_then(|r| r.split_once(": "))
                && !position.is_empty()
                && position.bytes().all(|b| b.is_ascii_digit() || b == b':')
            {
                end += 1 + position.len();
            }
            line.replace_range(name_start..end, "<sig>");
        }
        out.push_str(&line);
    }
    out
}
