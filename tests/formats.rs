//! Every output format over the same report: two archives read in memory (a traversal entry
//! with a bidi override in its name, entries that differ only in case, a `.pqx` without
//! content types) plus two hand-built reports whose spans point into M-like text with a BOM,
//! CRLF, tabs, CJK text, a 5,000-character line, an ESC character and NEL/LS line breaks.
//! Each format is snapshotted; SARIF is also checked against the schema types.

use std::collections::BTreeMap;

use mezcheck::config::{FileConfig, Overrides};
use mezcheck::diagnostic::{Diagnostic, Label, PackageReport, Report, Severity};
use mezcheck::output::{Format, RenderOptions, render};
use mezcheck::package::Package;
use mezcheck::package::PackageKind;
use mezcheck::rules::{self, Rule};
use mezcheck::source::{FileId, SourceDb, SourceFile, Span, decode};
use mezcheck::testing::archive;
use proptest::prelude::*;

/// A well-formed ResX with no strings, so only the case clash of its two copies is reported.
const RESX: &[u8] = br#"<root><resheader name="resmimetype"><value>text/microsoft-resx</value></resheader><resheader name="reader"><value>R</value></resheader><resheader name="writer"><value>W</value></resheader></root>"#;

/// The shared input of every snapshot.
fn report() -> Report {
    let wren = archive(
        "Wren.mez",
        &[
            ("Wren.pq", b"section Wren;\nshared Wren.Contents = () => 1;"),
            ("../evil\u{202e}gnp.pq", b"x"),
            ("resources.resx", RESX),
            ("Resources.resx", RESX),
        ],
    );
    let kestrel = archive("Kestrel.pqx", &[("Kestrel.pq", b"section Kestrel;")]);
    Report::new(vec![check(wren), check(kestrel), heron(), osprey()])
}

/// Checks with the package rules only (0xx), so the shared report stays the same as other
/// rule families grow.
fn check(package: Package) -> PackageReport {
    let only_package_rules = Overrides {
        select: Some(vec!["PQ0".to_owned()]),
        ..Overrides::default()
    };
    let config = mezcheck::rules::selection::resolve(&FileConfig::default(), &only_package_rules)
        .expect("valid selection");
    mezcheck::check_package(package, &config).report
}

const HERON: &str = "\u{feff}section Heron;\r\n\
\r\n\
shared Heron.Contents = (url as text) =>\r\n\
\tlet\r\n\
\t\tlabel = \"鷺の接続\",\r\n\
\t\tsource = Web.Contents(url)\r\n\
\tin\r\n\
\t\tsource;\r\n\
LongLine = \"{long}\";\r\n\
Escape = \"before\u{1b}[31mred\";\r\n";

/// A project folder whose section document exercises every alignment hazard.
fn heron() -> PackageReport {
    let long = format!("{}needle{}", "x".repeat(3000), "y".repeat(2000));
    let text = HERON.replace("{long}", &long);
    let mut sources = SourceDb::default();
    let file = sources.add(SourceFile::new(
        "Heron.pq".into(),
        Some("heron/Heron.pq".into()),
        decode(text.as_bytes()),
    ));
    let stored = &sources.get(file).text;
    let span = |needle: &str, len: usize| {
        let start = stored.find(needle).expect("needle in the text") as u32;
        Span::new(start, start + len as u32)
    };
    let diagnostics = vec![
        Diagnostic {
            message: "data source kind `Heron` has a non-ASCII label `鷺の接続`".into(),
            primary: Some(label(file, span("\"鷺の接続\"", "\"鷺の接続\"".len()), Some("label defined here"))),
            secondary: vec![label(file, span("Heron.Contents", 14), Some("for this function"))],
            help: Some("use a resource string: `Extension.LoadString(\"DataSourceLabel\")`".into()),
            notes: vec!["labels are shown in the Power BI connector list".into()],
            ..diagnostic(rule("PQ004"), Severity::Error)
        },
        Diagnostic {
            message: "`needle` in a 5,000-character line".into(),
            primary: Some(label(file, span("needle", 6), Some("found here"))),
            ..diagnostic(rule("PQ005"), Severity::Warning)
        },
        Diagnostic {
            message: "control character U+001B in a text literal".into(),
            primary: Some(label(file, span("\u{1b}", 1), None)),
            help: Some("write `#(esc)` instead".into()),
            ..diagnostic(rule("PQ015"), Severity::Info)
        },
        Diagnostic {
            message: "`let` expression spans several lines".into(),
            primary: Some(label(file, span("let\r\n", "let\r\n\t\tlabel = \"鷺の接続\",\r\n\t\tsource = Web.Contents(url)\r\n\tin\r\n\t\tsource".len()), Some("this expression"))),
            ..diagnostic(rule("PQ016"), Severity::Error)
        },
    ];
    PackageReport::new(
        "heron".into(),
        PackageKind::Folder,
        sources,
        BTreeMap::new(),
        diagnostics,
    )
}

/// An archive whose section document breaks lines with NEL and LS, with a package-level and an
/// entry-level finding besides.
fn osprey() -> PackageReport {
    let text = "section Osprey;\u{85}shared Osprey.Feed = 1;\u{2028}Next = 2;";
    let mut sources = SourceDb::default();
    let file = sources.add(SourceFile::new(
        "Osprey.pq".into(),
        None,
        decode(text.as_bytes()),
    ));
    let start = text.find("Osprey.Feed").expect("needle") as u32;
    let diagnostics = vec![
        Diagnostic {
            message: "shared member `Osprey.Feed` is not a function".into(),
            primary: Some(label(
                file,
                Span::new(start, start + 11),
                Some("declared here"),
            )),
            secondary: vec![label(
                file,
                Span::new(text.find("Next").expect("needle") as u32, text.len() as u32),
                Some("next member"),
            )],
            ..diagnostic(rule("PQ003"), Severity::Warning)
        },
        Diagnostic {
            message: "package has no 16×16 icon".into(),
            help: Some("add `Osprey16.png`".into()),
            ..diagnostic(rule("PQ002"), Severity::Error)
        },
        Diagnostic {
            message: "entry `Osprey16.png` is not a PNG, 50% sure".into(),
            entry: Some("Osprey16.png".into()),
            ..diagnostic(rule("PQ005"), Severity::Warning)
        },
    ];
    PackageReport::new(
        "Osprey.mez".into(),
        PackageKind::Mez,
        sources,
        BTreeMap::new(),
        diagnostics,
    )
}

fn rule(code: &str) -> &'static Rule {
    rules::find(code).expect("a registered rule")
}

fn diagnostic(rule: &'static Rule, severity: Severity) -> Diagnostic {
    Diagnostic {
        rule,
        severity,
        message: String::new(),
        entry: None,
        primary: None,
        secondary: Vec::new(),
        help: None,
        notes: Vec::new(),
        fix: None,
    }
}

fn label(file: FileId, span: Span, message: Option<&str>) -> Label {
    Label {
        file,
        span,
        message: message.map(str::to_owned),
    }
}

fn rendered(report: &Report, format: Format, options: RenderOptions) -> String {
    let mut out = Vec::new();
    render(report, format, &options, &mut out).expect("in-memory write");
    let text = String::from_utf8(out).expect("UTF-8 output");
    text.replace(
        &format!("\"{}\"", env!("CARGO_PKG_VERSION")),
        "\"[version]\"",
    )
}

fn plain(format: Format) -> String {
    rendered(&report(), format, RenderOptions::default())
}

/// `full`: excerpts with labels, spanless findings, the summary line; no colour codes.
#[test]
fn full() {
    let text = plain(Format::Full);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

/// `full` with colour: ANSI codes are present, and only ours.
#[test]
fn full_with_colour_keeps_source_escapes_visible() {
    let options = RenderOptions {
        color: true,
        ..RenderOptions::default()
    };
    let text = rendered(&report(), Format::Full, options);
    assert!(text.contains("\u{1b}[1;31merror[PQ004]\u{1b}[0m"), "{text}");
    assert!(
        !text.contains("\u{1b}[31mred") && !text.contains('\u{1}'),
        "{text}"
    );
}

/// `concise`: one line per finding, `LOCATION:LINE:COL: CODE SEVERITY: MESSAGE`.
#[test]
fn concise() {
    insta::assert_snapshot!(plain(Format::Concise));
}

/// `msbuild`: one line per finding, each matched by VS Code's `$msCompile`.
#[test]
fn msbuild() {
    let text = plain(Format::Msbuild);
    for line in text.lines() {
        let matched =
            ms_compile(line).unwrap_or_else(|| panic!("$msCompile does not match {line:?}"));
        assert!(
            matched.file.ends_with(".pq")
                || matched.file.contains(".mez")
                || matched.file.contains(".pqx")
                || matched.file.contains(".resx"),
            "{matched:?}"
        );
        assert!(matched.code.starts_with("PQ"), "{matched:?}");
    }
    insta::assert_snapshot!(text);
}

/// `json`: one document; the tool version is redacted.
#[test]
fn json() {
    let text = plain(Format::Json);
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(value["summary"]["errors"], report().counts().errors);
    insta::assert_snapshot!(text);
}

/// `json-lines`: one object per finding, the same fields as `json`.
#[test]
fn json_lines() {
    let text = plain(Format::JsonLines);
    let document: serde_json::Value =
        serde_json::from_str(&plain(Format::Json)).expect("valid JSON");
    let from_document: Vec<&serde_json::Value> = document["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .flat_map(|p| p["diagnostics"].as_array().expect("diagnostics"))
        .collect();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.iter().collect::<Vec<_>>(), from_document);
    insta::assert_snapshot!(text);
}

/// `sarif`: SARIF 2.1.0 that code scanning accepts.
#[test]
fn sarif() {
    let text = plain(Format::Sarif);
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let run = &value["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert!(
        run["newlineSequences"]
            .as_array()
            .is_some_and(|s| s.len() == 6)
    );
    for result in run["results"].as_array().expect("results") {
        let locations = result["locations"].as_array().expect("locations");
        assert!(!locations.is_empty(), "{result}");
        for location in locations {
            let uri = location["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri");
            assert!(
                !uri.contains('\\') && !uri.starts_with('/') && !uri.contains(':'),
                "{uri}"
            );
            assert!(
                location["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .is_some_and(|l| l >= 1)
            );
        }
        assert!(result["partialFingerprints"]["mezcheck/v1"].is_string());
    }
    // The driver lists every rule of the registry; the snapshot keeps the first two as a sample
    // so that adding a rule does not rewrite it.
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), mezcheck::rules::ALL.len());
    for (index, rule) in rules.iter().enumerate() {
        assert_eq!(rule["id"], mezcheck::rules::ALL[index].code);
        assert!(
            rule["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
    }
    let mut sample = value.clone();
    sample["runs"][0]["tool"]["driver"]["rules"] = serde_json::Value::Array(rules[..2].to_vec());
    insta::assert_snapshot!(serde_json::to_string_pretty(&sample).expect("json"));
}

/// Every field we emit is a SARIF 2.1.0 schema field, required fields are present and enum
/// values are valid: a round trip through the schema-generated types changes nothing.
#[test]
fn sarif_matches_the_schema_types() {
    let ours: serde_json::Value = serde_json::from_str(&plain(Format::Sarif)).expect("valid JSON");
    let typed: serde_sarif::sarif::Sarif =
        serde_json::from_value(ours.clone()).expect("a SARIF log");
    let round_trip = serde_json::to_value(&typed).expect("serialisable");
    assert_eq!(round_trip, ours);
    // The check has teeth: a field outside the schema does not survive the round trip.
    let mut extended = ours.clone();
    extended["runs"][0]["results"][0]["mezcheckExtra"] = serde_json::json!(1);
    let typed: serde_sarif::sarif::Sarif =
        serde_json::from_value(extended.clone()).expect("a SARIF log");
    assert_ne!(
        serde_json::to_value(&typed).expect("serialisable"),
        extended
    );
}

/// `github`: workflow commands with escaped properties and messages.
#[test]
fn github() {
    let text = plain(Format::Github);
    for line in text.lines() {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice "),
            "{line}"
        );
        assert!(
            !line.contains('\u{1b}') && !line.contains('\u{202e}'),
            "{line}"
        );
    }
    insta::assert_snapshot!(text);
}

/// `--statistics`: a table for text formats, an object for `json`, lines for `json-lines`.
#[test]
fn statistics() {
    let options = RenderOptions {
        statistics: true,
        ..RenderOptions::default()
    };
    let report = report();
    let table = rendered(&report, Format::Full, options);
    assert_eq!(rendered(&report, Format::Sarif, options), table);
    insta::assert_snapshot!("statistics_table", table);
    insta::assert_snapshot!("statistics_json", rendered(&report, Format::Json, options));
    insta::assert_snapshot!(
        "statistics_json_lines",
        rendered(&report, Format::JsonLines, options)
    );
}

/// `quiet` drops the summary (a line per package with findings, then the total) and nothing
/// else.
#[test]
fn quiet_drops_the_summary() {
    let options = RenderOptions {
        quiet: true,
        ..RenderOptions::default()
    };
    let quiet = rendered(&report(), Format::Full, options);
    let full = plain(Format::Full);
    let summary = full
        .strip_prefix(quiet.as_str())
        .expect("the same findings");
    assert_eq!(
        summary,
        "Kestrel.pqx: 1 error, 1 info\n\
         Osprey.mez: 1 error, 2 warnings\n\
         Wren.mez: 2 errors, 1 warning, 1 info\n\
         heron: 2 errors, 1 warning, 1 info\n\
         6 errors, 4 warnings, 3 infos in 4 packages\n"
    );
}

/// A file with more findings than the cap prints one "N more" line after its findings, and
/// JSON lists the omission.
#[test]
fn omitted_findings_are_counted() {
    let mut sources = SourceDb::default();
    let file = sources.add(SourceFile::new(
        "Big.pq".into(),
        None,
        decode("x\n".repeat(300).as_bytes()),
    ));
    let diagnostics = (0..205u32)
        .map(|line| Diagnostic {
            message: format!("finding {line}"),
            primary: Some(label(file, Span::new(line * 2, line * 2 + 1), None)),
            ..diagnostic(rule("PQ005"), Severity::Warning)
        })
        .collect();
    let package = PackageReport::new(
        "Big.mez".into(),
        PackageKind::Mez,
        sources,
        BTreeMap::new(),
        diagnostics,
    );
    let report = Report::new(vec![package]);
    let full = rendered(&report, Format::Full, RenderOptions::default());
    assert!(
        full.contains("5 more findings not shown for Big.mez!Big.pq\n"),
        "{}",
        &full[full.len() - 400..]
    );
    assert!(full.ends_with("205 warnings in 1 package\n"));
    let json: serde_json::Value =
        serde_json::from_str(&rendered(&report, Format::Json, RenderOptions::default()))
            .expect("JSON");
    assert_eq!(
        json["packages"][0]["omitted"],
        serde_json::json!([{"entry": "Big.pq", "count": 5}])
    );
}

/// What `$msCompile` captures from a line.
#[derive(Debug)]
struct MsCompileMatch<'a> {
    file: &'a str,
    severity: &'a str,
    code: &'a str,
}

/// VS Code's `$msCompile` regex,
/// `^(?:\s*\d+>)?(\S.*?)(?:\((\d+|\d+,\d+|\d+,\d+,\d+,\d+)\))?\s*:\s+(?:(\w+)\s+)?(error|warning|info)\s+(\w+\d+)\s*:\s*(.*)$`,
/// matched by hand: the shortest file part after which the rest matches.
fn ms_compile(line: &str) -> Option<MsCompileMatch<'_>> {
    if line.starts_with(char::is_whitespace) {
        return None;
    }
    line.char_indices().skip(1).find_map(|(split, _)| {
        let (file, rest) = line.split_at(split);
        let rest = strip_location(rest).unwrap_or(rest);
        let rest = rest.trim_start().strip_prefix(':')?;
        let rest = rest.strip_prefix(char::is_whitespace)?.trim_start();
        let (severity, rest) = ["error", "warning", "info"]
            .into_iter()
            .find_map(|s| Some((s, rest.strip_prefix(s)?)))?;
        let rest = rest.strip_prefix(char::is_whitespace)?.trim_start();
        let code_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
        let (code, rest) = rest.split_at(code_len);
        let digits = code.len() - code.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        (digits >= 1 && digits < code.len()).then_some(())?;
        rest.trim_start().strip_prefix(':')?;
        Some(MsCompileMatch {
            file,
            severity,
            code,
        })
    })
}

/// Strips `(N)`, `(N,N)` or `(N,N,N,N)`.
fn strip_location(text: &str) -> Option<&str> {
    let (inside, rest) = text.strip_prefix('(')?.split_once(')')?;
    let numbers: Vec<&str> = inside.split(',').collect();
    let all_numbers = numbers
        .iter()
        .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    (all_numbers && matches!(numbers.len(), 1 | 2 | 4)).then_some(rest)
}

/// The hand matcher agrees with the regex on lines it must reject.
#[test]
fn ms_compile_matcher_rejects_other_lines() {
    assert!(
        ms_compile("x.pq(1,2): error PQ001: m")
            .is_some_and(|m| m.file == "x.pq" && m.severity == "error")
    );
    assert!(ms_compile("x.pq(1,2,3): fatal PQ001: m").is_none());
    assert!(ms_compile("x.pq: error PQ: m").is_none());
    assert!(ms_compile("summary line").is_none());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any text, any spans (reversed, past the end, inside characters): no format panics.
    #[test]
    fn rendering_never_panics(
        text in "(?s).{0,300}",
        bom in any::<bool>(),
        spans in prop::collection::vec((0u32..400, 0u32..400), 1..4),
        color in any::<bool>(),
    ) {
        let bytes = if bom { format!("\u{feff}{text}") } else { text.clone() };
        let mut sources = SourceDb::default();
        let file = sources.add(SourceFile::new("P.pq".into(), None, decode(bytes.as_bytes())));
        let mut labels = spans.iter().map(|&(start, end)| label(file, Span::new(start, end), Some(text.get(..10).unwrap_or("label"))));
        let primary = labels.next();
        let diagnostics = vec![Diagnostic {
            message: text.clone(),
            primary,
            secondary: labels.collect(),
            help: Some(text.clone()),
            ..diagnostic(rule("PQ001"), Severity::Error)
        }];
        let package = PackageReport::new("P.mez".into(), PackageKind::Mez, sources, BTreeMap::new(), diagnostics);
        let report = Report::new(vec![package]);
        for format in Format::ALL {
            let options = RenderOptions { color, ..RenderOptions::default() };
            let mut out = Vec::new();
            render(&report, format, &options, &mut out).expect("in-memory write");
            if format != Format::Json && format != Format::JsonLines && format != Format::Sarif {
                let out = String::from_utf8_lossy(&out);
                let raw_controls = ['\x07', '\u{202e}', '\u{1}'];
                prop_assert!(!out.contains(raw_controls), "raw control in {}", out);
            }
        }
    }
}
