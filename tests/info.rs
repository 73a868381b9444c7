//! `mezcheck info` as users run it: the human summary and PQTest-compatible JSON, on every
//! input kind, including broken and hostile packages.

mod common;

use common::{code, mezcheck, mezcheck_in, sample, stdout, write};
use mezcheck::testing::{mez_of_folder, zip_bytes};

/// The clean and template samples, described for people.
#[test]
fn info_text() {
    let output = mezcheck(&["info", "samples/clean", "samples/template"]);
    assert_eq!(code(&output), 0);
    insta::assert_snapshot!(stdout(&output));
}

/// JSON objects carry PQTest's field names, one per package, for archives too.
#[test]
fn info_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "Kestrel.mez", &mez_of_folder(&sample("clean")));
    let output = mezcheck_in(
        dir.path(),
        &["info", "Kestrel.mez", "--output-format", "json"],
    );
    assert_eq!(code(&output), 0);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let first = &value[0];
    for field in [
        "Source",
        "LibraryId",
        "ErrorStatus",
        "Name",
        "Version",
        "Metadata",
        "Members",
        "DataSources",
    ] {
        assert!(first.get(field).is_some(), "missing {field}");
    }
    let member = &first["Members"][0];
    for field in [
        "Name",
        "Type",
        "DataSourceKind",
        "Publish",
        "Documentation",
        "FunctionParameters",
        "IsDataSource",
    ] {
        assert!(member.get(field).is_some(), "missing Members[].{field}");
    }
    assert_eq!(
        first["DataSources"][0]["AuthenticationInfos"][0]["Kind"],
        "Key"
    );
    insta::assert_snapshot!(stdout(&output));
}

/// Broken, computed and hostile inputs are described as far as they go, never a panic; an
/// unreadable package makes the run exit 1.
#[test]
fn info_on_broken_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "Broken.pq", b"[Version = \"1.0.0\"] section Broken;\n[DataSource.Kind = \"Broken\"] shared Broken.Contents = Make();\nBroken = Record.Combine({});\nBad = let in;\n");
    write(dir.path(), "Random.mez", b"\x00\x01junk");
    write(dir.path(), "Empty.mez", &zip_bytes(&[]));
    let output = mezcheck_in(
        dir.path(),
        &["info", "Broken.pq", "Random.mez", "Empty.mez"],
    );
    // `Random.mez` cannot be read: described as far as it goes, and the run exits 1.
    assert_eq!(code(&output), 1);
    insta::assert_snapshot!(stdout(&output));
}
