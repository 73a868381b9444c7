//! The samples as users run them: the clean connector has no findings as a folder, a `.mez` and
//! an unsigned `.pqx`; each broken sample shows the defect it was written for.

mod common;

use common::{code, codes, mezcheck, mezcheck_in, sample, stdout, write};
use mezcheck::testing::{mez_of_folder, pqx_of_folder};

/// The README's run command: the clean project folder has zero findings and exits 0.
#[test]
fn clean_folder_has_no_findings() {
    let output = mezcheck(&[
        "check",
        "samples/clean",
        "--output-format",
        "concise",
        "--quiet",
    ]);
    assert_eq!(
        stdout(&output),
        "",
        "the clean sample must have no findings"
    );
    assert_eq!(code(&output), 0);
}

/// Packed as a `.mez` (deterministic bytes, built in memory), the clean sample stays clean.
#[test]
fn clean_mez_has_no_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "Kestrel.mez", &mez_of_folder(&sample("clean")));
    common::write_submission_documents(dir.path());
    let output = mezcheck_in(
        dir.path(),
        &[
            "check",
            "Kestrel.mez",
            "--output-format",
            "concise",
            "--quiet",
        ],
    );
    assert_eq!(stdout(&output), "");
    assert_eq!(code(&output), 0);
}

/// As an unsigned `.pqx` the only finding is the informational PQ014 (not signed), and the
/// exit code is 0.
#[test]
fn clean_unsigned_pqx_is_only_unsigned() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "Kestrel.pqx", &pqx_of_folder(&sample("clean")));
    common::write_submission_documents(dir.path());
    let output = mezcheck_in(
        dir.path(),
        &[
            "check",
            "Kestrel.pqx",
            "--output-format",
            "concise",
            "--quiet",
        ],
    );
    assert_eq!(codes(&stdout(&output)), ["PQ014"], "{}", stdout(&output));
    assert_eq!(code(&output), 0);
}

/// The archive builder is deterministic: the same folder gives the same bytes.
#[test]
fn packing_is_deterministic() {
    assert_eq!(
        mez_of_folder(&sample("clean")),
        mez_of_folder(&sample("clean"))
    );
}

/// Each broken sample reports the rule it was written for, as users see it.
#[test]
fn broken_samples() {
    for (name, expected) in [
        ("leaky-build", &["PQ005", "PQ709"][..]),
        ("two-documents", &["PQ016"]),
        ("no-section-document", &["PQ002"]),
        ("subfolder-module", &["PQ003"]),
        ("unversioned", &["PQ102"]),
        ("acme-connector", &["PQ108"]),
        ("absent-icon", &["PQ006"]),
        ("misfit-icons", &["PQ311"]),
        ("no-test-connection", &["PQ211"]),
        ("driver-name-in-resx", &["PQ405"]),
        ("oauth-client-secret", &["PQ204", "PQ205", "PQ709"]),
        ("unchecked-url", &["PQ701"]),
        ("key-in-url", &["PQ704"]),
        ("trace-left-on", &["PQ705"]),
    ] {
        let output = mezcheck(&[
            "check",
            &format!("samples/{name}"),
            "--output-format",
            "concise",
            "--quiet",
            "--select",
            "PQ0,PQ1,PQ2,PQ3,PQ4,PQ5,PQ6,PQ7",
        ]);
        let found = codes(&stdout(&output));
        for code in expected {
            assert!(
                found.iter().any(|c| c == code),
                "{name}: expected {code}, got {found:?}"
            );
        }
        insta::assert_snapshot!(
            format!("sample_{name}"),
            stdout(&mezcheck(&[
                "check",
                &format!("samples/{name}"),
                "--select",
                "PQ0,PQ1,PQ2,PQ3,PQ4,PQ5,PQ6,PQ7"
            ]))
        );
    }
}

/// The SDK's new-project template: among the data source (2xx) and resource (4xx) rules only
/// PQ211 fires, because the template's Kind record has no `TestConnection`.
#[test]
fn template_lacks_only_test_connection_among_kind_and_resource_rules() {
    let output = mezcheck(&[
        "check",
        "samples/template",
        "--output-format",
        "concise",
        "--quiet",
        "--select",
        "PQ2,PQ4",
    ]);
    assert_eq!(codes(&stdout(&output)), ["PQ211"], "{}", stdout(&output));
}

/// The Power Query SDK's new-project template, rebuilt as `samples/template`, gives exactly
/// what the rule catalog predicts: the errors PQ211 and PQ501, the warning PQ601, and the
/// findings for its missing article and changelog.
#[test]
fn template_gives_exactly_the_predicted_findings() {
    let output = mezcheck(&[
        "check",
        "samples/template",
        "--output-format",
        "concise",
        "--quiet",
    ]);
    let mut found = codes(&stdout(&output));
    found.sort();
    assert_eq!(
        found,
        ["PQ211", "PQ501", "PQ601", "PQ800", "PQ901"],
        "{}",
        stdout(&output)
    );
    insta::assert_snapshot!(
        "sample_template",
        stdout(&mezcheck(&["check", "samples/template"]))
    );
}
