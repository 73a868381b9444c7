//! Signatures end to end, as users run them: `pack`, `sign` (PEM and PKCS#12), `verify`, and
//! the signature rules on tampered copies, each case checked by an independent verifier,
//! `xmlsec1`, on the signature part with every Manifest URI mapped to its file. Our C14N is
//! compared with `xmllint --c14n`. Keys and certificates are made with `openssl`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{code, codes, mezcheck_in, sample, stdout};
use mezcheck::package::{PackageKind, read_archive};
use mezcheck::signature::{c14n, dom, dsig};
use mezcheck::testing::signing::{make_key_and_certificate, replace_in, tamper};

/// Whether an external tool is present; under CI a missing tool fails the test, elsewhere the
/// test is skipped with a message.
fn have(tool: &str) -> bool {
    let found = Command::new(tool).arg("--version").output().is_ok();
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "`{tool}` is required in CI (.ci/run installs it)"
        );
        eprintln!("skipped: `{tool}` is not installed");
    }
    found
}

/// A temp folder with a key and a 30-day certificate, and the clean sample packed.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    make_key_and_certificate(dir.path(), 30);
    let folder = sample("clean").display().to_string();
    let packed = mezcheck_in(dir.path(), &["pack", &folder, "-o", "Kestrel.pqx"]);
    assert_eq!(code(&packed), 0, "{}", common::stderr(&packed));
    dir
}

fn sign(dir: &Path, input: &str, output: &str, extra: &[&str]) {
    let mut args = vec![
        "sign", input, "--key", "key.pem", "--cert", "cert.pem", "-o", output,
    ];
    args.extend_from_slice(extra);
    let signed = mezcheck_in(dir, &args);
    assert_eq!(code(&signed), 0, "{}", common::stderr(&signed));
}

/// xmlsec1's verdict on the signature part of a `.pqx`: the XML-DSig checks (SignedInfo
/// reference, RSA value, every Manifest reference) and, with `RSAKeyValue` removed so that the
/// certificate is used, the certificate trusted and checked at the `SignatureTime`.
fn xmlsec_accepts(pqx: &Path, cert: &Path) -> bool {
    let bytes = std::fs::read(pqx).expect("package");
    let package = read_archive(&bytes, "x.pqx", PackageKind::Pqx);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut signature = None;
    for entry in &package.entries {
        let path = dir.path().join(entry.name.replace('/', "_"));
        std::fs::write(&path, &entry.data).expect("write part");
        if entry.name.ends_with(".psdsxs") {
            signature = Some(
                String::from_utf8_lossy(&entry.data)
                    .trim_start_matches('\u{feff}')
                    .to_owned(),
            );
        }
    }
    let text = signature.expect("a signature part");
    let parsed = dsig::read(&text).expect("our reader reads it");
    let object = parsed
        .by_id("idPackageObject")
        .expect("package object")
        .to_vec();
    let (object, _) = c14n::with_ancestors(&parsed.root, &object).expect("object");
    let mut args: Vec<String> = vec![
        "--verify".into(),
        "--id-attr:Id".into(),
        "Object".into(),
        "--enabled-reference-uris".into(),
        "empty,same-doc,local,remote".into(),
        "--trusted-pem".into(),
        cert.display().to_string(),
    ];
    let references = dsig::manifest_references(object);
    for reference in &references {
        let part =
            mezcheck::signature::opc::percent_decode(reference.uri.split('?').next().unwrap_or(""));
        args.push(format!("--url-map:{}", reference.uri));
        args.push(
            dir.path()
                .join(part.trim_start_matches('/').replace('/', "_"))
                .display()
                .to_string(),
        );
    }
    if let Some((time, _)) = dsig::signature_time(object) {
        let seconds = mezcheck::signature::crypto::parse_signing_time(&time).expect("time");
        let utc = mezcheck::signature::crypto::format_time(seconds);
        args.push("--verification-time".into());
        args.push(utc.trim_end_matches('Z').replace('T', " "));
    }
    let start = text.find("<KeyValue>").expect("KeyValue");
    let end = text.find("</KeyValue>").expect("KeyValue end") + "</KeyValue>".len();
    let without_key_value = format!("{}{}", &text[..start], &text[end..]);
    let signature_path = dir.path().join("signature.xml");
    std::fs::write(&signature_path, without_key_value).expect("write signature");
    args.push(signature_path.display().to_string());
    let output = Command::new("xmlsec1")
        .args(&args)
        .env("TZ", "UTC")
        .output()
        .expect("xmlsec1 runs");
    let report = format!("{}{}", stdout(&output), common::stderr(&output));
    let all = references.len();
    output.status.success()
        && report.contains(&format!("Manifests References (ok/all): {all}/{all}"))
}

fn verify(dir: &Path, pqx: &str) -> (i32, String) {
    let output = mezcheck_in(dir, &["verify", pqx, "--output-format", "json"]);
    (code(&output), stdout(&output))
}

fn check_codes(dir: &Path, pqx: &str) -> Vec<String> {
    let output = mezcheck_in(
        dir,
        &[
            "check",
            pqx,
            "--select",
            "PQ01",
            "--output-format",
            "concise",
            "--quiet",
        ],
    );
    codes(&stdout(&output))
}

/// What `sign` writes passes `verify` (exit 0, JSON with MakePQX's fields) and xmlsec1, with
/// SHA-1 (the default) and SHA-256; `check` reports nothing about it.
#[test]
fn signed_packages_verify_with_both_verifiers() {
    if !have("xmlsec1") {
        return;
    }
    let dir = workspace();
    let cert = dir.path().join("cert.pem");
    sign(dir.path(), "Kestrel.pqx", "Signed.pqx", &[]);
    sign(
        dir.path(),
        "Kestrel.pqx",
        "Sha256.pqx",
        &["--digest", "sha256"],
    );
    for name in ["Signed.pqx", "Sha256.pqx"] {
        let (exit, json) = verify(dir.path(), name);
        assert_eq!(exit, 0, "{json}");
        let value: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!(value[0]["SignatureStatus"], "Success");
        assert_eq!(value[0]["CertificateStatus"][0]["Status"], "UntrustedRoot");
        assert_eq!(
            value[0]["CertificateStatus"][0]["Thumbprint"]
                .as_str()
                .map(str::len),
            Some(40)
        );
        assert!(
            xmlsec_accepts(&dir.path().join(name), &cert),
            "xmlsec1 rejects {name}"
        );
        assert!(check_codes(dir.path(), name).is_empty());
    }
}

/// Each tampered copy gets its rule and a failing `verify`; xmlsec1 agrees on the XML
/// signature itself (a part added or a broken relationship leaves the signature part valid:
/// those are OPC checks only we make).
#[test]
fn tampered_copies_get_the_right_rule() {
    if !have("xmlsec1") {
        return;
    }
    let dir = workspace();
    let cert = dir.path().join("cert.pem");
    sign(dir.path(), "Kestrel.pqx", "Signed.pqx", &[]);
    let signed = std::fs::read(dir.path().join("Signed.pqx")).expect("signed");
    let cases: Vec<(&str, Vec<u8>, &str, bool)> = vec![
        (
            "changed",
            tamper(&signed, |e| {
                replace_in(e, "Kestrel.pq", "section Kestrel;", "section Kestrel; ")
            }),
            "PQ012",
            false,
        ),
        (
            "added",
            tamper(&signed, |e| {
                e.insert(0, ("Kestrel99.png".into(), b"x".to_vec()))
            }),
            "PQ013",
            true,
        ),
        (
            "bad-value",
            tamper(&signed, |e| {
                replace_in(e, ".psdsxs", "<SignatureValue>", "<SignatureValue>AAAA")
            }),
            "PQ011",
            false,
        ),
        (
            "broken-chain",
            tamper(&signed, |e| {
                replace_in(e, "origin.psdsor.rels", "xml-signature/", "xml-signature/x")
            }),
            "PQ010",
            true,
        ),
    ];
    for (name, bytes, rule, xmlsec_valid) in cases {
        let file = format!("{name}.pqx");
        std::fs::write(dir.path().join(&file), bytes).expect("write");
        let mut found = check_codes(dir.path(), &file);
        found.dedup();
        assert_eq!(found, [rule], "{name}");
        assert_eq!(verify(dir.path(), &file).0, 1, "{name}");
        assert_eq!(
            xmlsec_accepts(&dir.path().join(&file), &cert),
            xmlsec_valid,
            "{name}"
        );
    }
}

/// Signed after the certificate's window closed, or before it opened: PQ017 and a failing
/// `verify`; xmlsec1 checking the certificate at the SignatureTime rejects both too.
#[test]
fn signing_outside_the_window_is_pq017() {
    if !have("xmlsec1") {
        return;
    }
    let dir = workspace();
    let cert = dir.path().join("cert.pem");
    for (name, time) in [
        ("late.pqx", "2099-01-01T00:00:00Z"),
        ("early.pqx", "2001-01-01T00:00:00Z"),
    ] {
        sign(dir.path(), "Kestrel.pqx", name, &["--signing-time", time]);
        assert_eq!(check_codes(dir.path(), name), ["PQ017"], "{name}");
        let (exit, json) = verify(dir.path(), name);
        assert_eq!(exit, 1, "{json}");
        assert!(json.contains("\"NotTimeValid\""), "{json}");
        assert!(!xmlsec_accepts(&dir.path().join(name), &cert), "{name}");
    }
}

/// A PKCS#12 file (OpenSSL's default AES encryption and the legacy 3DES one Windows exports)
/// signs like the PEM pair; re-signing replaces the earlier signature and says so; a wrong
/// password is a usage error.
#[test]
fn pkcs12_and_resigning() {
    let dir = workspace();
    for (name, legacy) in [("aes.pfx", false), ("legacy.pfx", true)] {
        let mut export = Command::new("openssl");
        export.args([
            "pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem", "-out", name,
        ]);
        export
            .args(["-passout", "env:PFX_PASSWORD"])
            .env("PFX_PASSWORD", "s3cret");
        if legacy {
            export.arg("-legacy");
        }
        let status = export
            .current_dir(dir.path())
            .status()
            .expect("openssl runs");
        assert!(status.success(), "openssl pkcs12 {name}");
        let output = Command::new(env!("CARGO_BIN_EXE_mezcheck"))
            .args([
                "sign",
                "Kestrel.pqx",
                "--pfx",
                name,
                "--password-env",
                "PFX_PASSWORD",
            ])
            .args(["-o", "FromPfx.pqx"])
            .env("PFX_PASSWORD", "s3cret")
            .current_dir(dir.path())
            .output()
            .expect("mezcheck runs");
        assert_eq!(code(&output), 0, "{name}: {}", common::stderr(&output));
        assert_eq!(verify(dir.path(), "FromPfx.pqx").0, 0, "{name}");
    }
    let wrong = mezcheck_in(
        dir.path(),
        &["sign", "Kestrel.pqx", "--pfx", "aes.pfx", "-o", "x.pqx"],
    );
    assert_eq!(code(&wrong), 2, "{}", common::stderr(&wrong));
    sign(dir.path(), "FromPfx.pqx", "Again.pqx", &[]);
    let again = mezcheck_in(
        dir.path(),
        &[
            "sign",
            "FromPfx.pqx",
            "--key",
            "key.pem",
            "--cert",
            "cert.pem",
            "-o",
            "Again.pqx",
        ],
    );
    assert!(
        common::stderr(&again)
            .contains("replaced signature /package/services/digital-signature/xml-signature/")
    );
    assert_eq!(verify(dir.path(), "Again.pqx").0, 0);
}

/// `pack` gives a clean `.mez` and a `.pqx` with only PQ014; it refuses a folder with PQ0xx
/// errors; usage errors exit 2.
#[test]
fn pack_and_usage() {
    let dir = workspace();
    let folder = sample("clean").display().to_string();
    let packed = mezcheck_in(dir.path(), &["pack", &folder, "-o", "Kestrel.mez"]);
    assert_eq!(code(&packed), 0);
    common::write_submission_documents(dir.path());
    for (name, expected) in [
        ("Kestrel.mez", vec![]),
        ("Kestrel.pqx", vec!["PQ014".to_owned()]),
    ] {
        let output = mezcheck_in(
            dir.path(),
            &["check", name, "--output-format", "concise", "--quiet"],
        );
        assert_eq!(
            codes(&stdout(&output)),
            expected,
            "{name}: {}",
            stdout(&output)
        );
        assert_eq!(code(&output), 0);
    }
    let two = sample("two-documents").display().to_string();
    let refused = mezcheck_in(dir.path(), &["pack", &two, "-o", "Two.mez"]);
    assert_eq!(code(&refused), 1, "{}", common::stderr(&refused));
    assert!(common::stderr(&refused).contains("PQ016"));
    assert!(!dir.path().join("Two.mez").exists());
    for args in [
        vec!["pack", folder.as_str(), "-o", "Kestrel.zip"],
        vec!["verify", "Kestrel.mez"],
        vec!["verify", "missing.pqx"],
        vec![
            "sign",
            "Kestrel.pqx",
            "-o",
            "x.mez",
            "--key",
            "key.pem",
            "--cert",
            "cert.pem",
        ],
    ] {
        assert_eq!(code(&mezcheck_in(dir.path(), &args)), 2, "{args:?}");
    }
    let unsigned = verify(dir.path(), "Kestrel.pqx");
    assert_eq!(unsigned.0, 1);
    assert!(unsigned.1.contains("\"NotSigned\""));
}

/// Our canonical form of whole documents equals `xmllint --c14n` (documents without comments,
/// which that command keeps).
#[test]
fn c14n_agrees_with_xmllint() {
    if !have("xmllint") {
        return;
    }
    let documents = [
        "<a xmlns=\"urn:a\" b=\"2\" a=\"1\"><b/><c xmlns=\"urn:a\">t &amp; &lt; &gt; &#xD;</c></a>",
        "<?xml version=\"1.0\"?>\r\n<r xmlns:p=\"urn:p\" xmlns:q=\"urn:q\" q:z=\"1\" p:y=\"2\" x=\"&#9;&#10;&#13;&quot;\"><p:e xmlns:p=\"urn:p\"/><![CDATA[<&>]]><?pi   data?>\r\n</r>",
        "<r xmlns=\"urn:d\" xml:lang=\"en\"><a xmlns=\"\"><b xmlns=\"urn:d\" xml:space=\"preserve\"> x </b></a></r>",
        "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo><Reference URI=\"#o\" Type=\"t\"/></SignedInfo></Signature>",
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    for (index, document) in documents.iter().enumerate() {
        let path: PathBuf = dir.path().join(format!("{index}.xml"));
        std::fs::write(&path, document).expect("write");
        let output = Command::new("xmllint")
            .arg("--c14n")
            .arg(&path)
            .output()
            .expect("xmllint runs");
        let root = dom::parse(document).expect("well-formed");
        assert_eq!(
            c14n::canonicalize(&root, &[]),
            stdout(&output),
            "document {index}"
        );
    }
}
