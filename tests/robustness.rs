//! Hostile and broken packages: each gets findings and never a panic, a hang or unbounded
//! memory. Archives are built in memory and then damaged byte by byte where the ZIP writer
//! cannot produce the defect (duplicate names, encryption flags, lying sizes, overlap).

mod common;

use mezcheck::config::{FileConfig, Overrides};
use mezcheck::diagnostic::PackageReport;
use mezcheck::package::Package;
use mezcheck::package::{PackageKind, read_archive};
use mezcheck::testing::{listing, mez_of_folder, zip_bytes};
use proptest::prelude::*;

const LOCAL: [u8; 4] = [0x50, 0x4b, 0x03, 0x04];
const CENTRAL: [u8; 4] = [0x50, 0x4b, 0x01, 0x02];

fn positions(bytes: &[u8], signature: [u8; 4]) -> Vec<usize> {
    bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == signature)
        .map(|(i, _)| i)
        .collect()
}

/// Applies `patch(bytes, local_or_central_offset, is_central)` to every header.
fn patch_headers(bytes: &mut [u8], patch: impl Fn(&mut [u8], usize, bool)) {
    for at in positions(bytes, LOCAL) {
        patch(bytes, at, false);
    }
    for at in positions(bytes, CENTRAL) {
        patch(bytes, at, true);
    }
}

/// Checks with the package and syntax rules (0xx, 1xx): these inputs are about the archive, so
/// the findings of other families would only repeat themselves in every snapshot.
fn check(package: Package) -> PackageReport {
    let selection = Overrides {
        select: Some(vec!["PQ0".to_owned(), "PQ1".to_owned()]),
        ..Overrides::default()
    };
    let config = mezcheck::rules::selection::resolve(&FileConfig::default(), &selection)
        .expect("valid selection");
    mezcheck::check_package(package, &config).report
}

fn findings(name: &str, bytes: &[u8]) -> String {
    listing(&check(read_archive(
        bytes,
        name,
        mezcheck::package::kind_of_file(name),
    )))
}

/// An entry that declares 4 GiB is refused from its header alone.
#[test]
fn declared_zip_bomb() {
    let mut bytes = zip_bytes(&[("Bomb.pq", b"section Bomb;")]);
    patch_headers(&mut bytes, |b, at, central| {
        let field = if central { at + 24 } else { at + 22 };
        b[field..field + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    });
    insta::assert_snapshot!(findings("Bomb.mez", &bytes));
}

/// An entry that lies about its size stops inflating at the entry limit.
#[test]
fn lying_zip_bomb() {
    let zeros = vec![0u8; 20 * 1024 * 1024];
    let mut bytes = zip_bytes(&[("Bomb.pq", &zeros)]);
    patch_headers(&mut bytes, |b, at, central| {
        let field = if central { at + 24 } else { at + 22 };
        b[field..field + 4].copy_from_slice(&100u32.to_le_bytes());
    });
    let output = findings("Bomb.mez", &bytes);
    assert!(
        output.contains("PQ008") || output.contains("PQ001"),
        "{output}"
    );
}

/// Many innocent entries add up: reading stops at the package budget.
#[test]
fn total_budget() {
    let zeros = vec![0u8; 15 * 1024 * 1024];
    let names: Vec<String> = (0..5).map(|i| format!("data{i}.bin")).collect();
    let entries: Vec<(&str, &[u8])> = names
        .iter()
        .map(|n| (n.as_str(), zeros.as_slice()))
        .collect();
    let package = read_archive(&zip_bytes(&entries), "Big.mez", PackageKind::Mez);
    let inflated: usize = package.entries.iter().map(|e| e.data.len()).sum();
    assert!(inflated as u64 <= mezcheck::package::MAX_TOTAL_BYTES);
    insta::assert_snapshot!(listing(&check(package)));
}

/// Entries sharing compressed data, exact duplicate names, encryption and unsupported
/// compression are all reported.
#[test]
fn crafted_entries() {
    let mut duplicate = zip_bytes(&[
        ("Heron.pq", b"section Heron;"),
        ("Heron.pX", b"section Heron;"),
    ]);
    for at in (0..duplicate.len() - 8).rev() {
        if &duplicate[at..at + 8] == b"Heron.pX" {
            duplicate[at + 7] = b'q';
        }
    }
    let mut encrypted = zip_bytes(&[("Heron.pq", b"section Heron;")]);
    patch_headers(&mut encrypted, |b, at, central| {
        b[if central { at + 8 } else { at + 6 }] |= 1
    });
    let mut bzip2 = zip_bytes(&[("Heron.pq", b"section Heron;")]);
    patch_headers(&mut bzip2, |b, at, central| {
        let field = if central { at + 10 } else { at + 8 };
        b[field..field + 2].copy_from_slice(&12u16.to_le_bytes());
    });
    let mut overlap = zip_bytes(&[
        ("A.pq", b"section A; shared A.x = 1;"),
        ("B.pq", b"section A; shared A.x = 1;"),
    ]);
    let centrals = positions(&overlap, CENTRAL);
    let first_offset = overlap[centrals[0] + 42..centrals[0] + 46].to_vec();
    overlap[centrals[1] + 42..centrals[1] + 46].copy_from_slice(&first_offset);
    let output = [
        ("Duplicate.mez", duplicate),
        ("Encrypted.mez", encrypted),
        ("Bzip2.mez", bzip2),
        ("Overlap.mez", overlap),
    ]
    .iter()
    .map(|(name, bytes)| findings(name, bytes))
    .collect::<String>();
    insta::assert_snapshot!(output);
}

/// More entries than the limit: one finding, nothing read.
#[test]
fn too_many_entries() {
    let names: Vec<String> = (0..=mezcheck::package::MAX_ENTRIES)
        .map(|i| format!("e{i}.png"))
        .collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let at_limit: Vec<(&str, &[u8])> = entries[..mezcheck::package::MAX_ENTRIES].to_vec();
    let under = read_archive(&zip_bytes(&at_limit), "Many.mez", PackageKind::Mez);
    assert_eq!(under.entries.len(), mezcheck::package::MAX_ENTRIES);
    let package = read_archive(&zip_bytes(&entries), "Many.mez", PackageKind::Mez);
    assert!(package.entries.is_empty());
    insta::assert_snapshot!(listing(&check(package)));
}

/// Entry names with terminal escapes never reach the terminal raw.
#[test]
fn escape_sequences_in_names_are_sanitised() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bytes = zip_bytes(&[
        ("Evil.pq", b"section Evil;"),
        ("x\u{1b}]0;pwned\u{7}\u{1b}[31m.ps1", b""),
        ("\u{202e}gpj.ps1", b""),
    ]);
    common::write(dir.path(), "Evil.mez", &bytes);
    for format in ["full", "concise", "msbuild", "github"] {
        let output = common::mezcheck_in(
            dir.path(),
            &[
                "check",
                "Evil.mez",
                "--output-format",
                format,
                "--color",
                "never",
            ],
        );
        let text = common::stdout(&output);
        assert!(text.contains("PQ005"), "{format}: {text}");
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
            "{format}: {text:?}"
        );
    }
}

/// Truncating or flipping bytes of a real package at many offsets never panics, and the same
/// bytes always give the same findings.
#[test]
fn truncated_and_flipped_archives() {
    let good = mez_of_folder(&common::sample("clean"));
    for cut in (0..good.len()).step_by(97) {
        let first = findings("Cut.mez", &good[..cut]);
        assert_eq!(first, findings("Cut.mez", &good[..cut]));
    }
    for at in (0..good.len()).step_by(61) {
        let mut flipped = good.clone();
        flipped[at] ^= 0xA5;
        let _ = findings("Flip.mez", &flipped);
    }
}

/// Hostile XML in resources: entity expansion, deep nesting and a DOCTYPE are harmless.
#[test]
fn hostile_resx() {
    let laughs = b"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><root><data name=\"a\"><value>&lol2;</value></data></root>";
    let deep = format!("<root>{}</root>", "<data>".repeat(100_000));
    let bytes = zip_bytes(&[
        ("A.pq", b"section A;"),
        ("resources.resx", laughs),
        ("resources.de.resx", deep.as_bytes()),
    ]);
    let _ = findings("A.mez", &bytes);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary bytes as a `.mez` or `.pqx` never panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), pqx in any::<bool>()) {
        let name = if pqx { "Fuzz.pqx" } else { "Fuzz.mez" };
        let _ = findings(name, &bytes);
    }

    /// Arbitrary bytes as archive entries of every kind never panic.
    #[test]
    fn arbitrary_entries_never_panic(data in proptest::collection::vec(any::<u8>(), 0..1024), which in 0usize..5) {
        let name = ["A.pq", "resources.resx", "A16.png", "[Content_Types].xml", "_rels/.rels"][which];
        let bytes = zip_bytes(&[(name, data.as_slice()), ("B.pq", b"section B;")]);
        let _ = findings("Fuzz.pqx", &bytes);
    }
}

/// Definitions that refer to themselves, directly or through each other, end with findings
/// and never recurse until the stack runs out (a published connector writes
/// `shared X.Feed = Value.ReplaceType(X.Feed, type function (url as Uri.Type) as any);`).
#[test]
fn self_referential_definitions() {
    let source = br#"[Version = "1.0.0"]
section Loop;

[DataSource.Kind = "Loop", Publish = "Loop.Publish"]
shared Loop.Feed = Value.ReplaceType(Loop.Feed, type function (url as Uri.Type) as any);

[DataSource.Kind = "Loop"]
shared Loop.Other = Value.ReplaceType(Loop.Again, type function (url as text) as any);

Loop.Again = Value.ReplaceType(Loop.Other, type function (url as text) as any);

Loop = [TestConnection = (path) => {"Loop.Feed", path}, Authentication = [Anonymous = []]];

Loop.Publish = [Beta = true, Category = "Other", ButtonText = {"Loop", "Loop"}];
"#;
    let report = mezcheck::testing::check(mezcheck::testing::archive(
        "Loop.mez",
        &[("Loop.pq", source)],
    ));
    assert!(
        !report.diagnostics.is_empty(),
        "a connector with cyclic definitions gets findings"
    );
}

/// Findings past the per-file cap are counted as a rule reports them, never kept: a record
/// with 5,000 duplicate fields keeps 200 findings, counts all 4,999, and a whole-file
/// suppression removes them from the count too.
#[test]
fn findings_are_capped_as_they_are_reported() {
    use mezcheck::diagnostic::MAX_FINDINGS_PER_FILE;
    let record = format!("[{}]", vec!["a = 1"; 5_000].join(", "));
    let source = format!("section Dup;\nshared Dup.Contents = () => {record};\n");
    let report = mezcheck::testing::check(mezcheck::testing::archive(
        "Dup.mez",
        &[("Dup.pq", source.as_bytes())],
    ));
    let duplicates = report
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "PQ114")
        .count();
    // The per-file cap of the report is shared with the other rules' findings on the file.
    assert!(
        (MAX_FINDINGS_PER_FILE - 10..=MAX_FINDINGS_PER_FILE).contains(&duplicates),
        "{duplicates}"
    );
    let omitted: usize = report.omitted.iter().map(|o| o.count).sum();
    assert!(omitted >= 4_999 - MAX_FINDINGS_PER_FILE, "{omitted}");
    assert!(report.counts.errors >= 4_999, "{:?}", report.counts);

    let suppressed = format!("// mezcheck: file-ignore[PQ114]\n{source}");
    let report = mezcheck::testing::check(mezcheck::testing::archive(
        "Dup.mez",
        &[("Dup.pq", suppressed.as_bytes())],
    ));
    assert!(report.counts.errors < 4_999, "{:?}", report.counts);
    assert!(!report.diagnostics.iter().any(|d| d.rule.code == "PQ114"));
}
