//! The `sarif` format: SARIF 2.1.0 for GitHub code scanning and SARIF viewers. One run whose
//! driver lists every rule of the registry; one result per finding with at least one location.
//! Code scanning needs a relative, forward-slash artifact URI for every result, so a finding
//! inside an archive entry points at the archive itself (line 1: its lines are the entry's, not
//! the archive's) and names the entry as a logical location and in the message. Columns count
//! Unicode code points, as `columnKind` says, and lines break the M way (`newlineSequences`,
//! when a file uses a break outside SARIF's default CRLF and LF).

use std::collections::BTreeMap;
use std::io::{self, Write};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use super::label_position;
use crate::diagnostic::{Diagnostic, Label, Location, PackageReport, Report, Severity};
use crate::rules::{ALL, Rule};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Every line break M knows; declared when a file uses one beyond CRLF and LF.
const M_NEWLINE_SEQUENCES: [&str; 6] = ["\r\n", "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"];

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let results = report
        .packages
        .iter()
        .flat_map(|package| {
            package
                .diagnostics
                .iter()
                .zip(package.fingerprints())
                .map(move |(d, fingerprint)| SarifResult::new(package, d, fingerprint))
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: ToolComponent {
                driver: Driver {
                    name: "mezcheck",
                    version: env!("CARGO_PKG_VERSION"),
                    rules: ALL.iter().map(|rule| RuleDescriptor::new(rule)).collect(),
                },
            },
            results,
            column_kind: "unicodeCodePoints",
            newline_sequences: uses_m_only_line_breaks(report).then_some(M_NEWLINE_SEQUENCES),
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: ToolComponent,
    results: Vec<SarifResult>,
    column_kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    newline_sequences: Option<[&'static str; 6]>,
}

#[derive(Serialize)]
struct ToolComponent {
    driver: Driver,
}

#[derive(Serialize)]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: MultiformatText,
    default_configuration: Configuration,
}

impl RuleDescriptor {
    fn new(rule: &Rule) -> Self {
        let explanation = rule.explanation();
        let description = format!(
            "{} {}",
            rule.section("What it checks"),
            rule.section("Why it matters")
        );
        RuleDescriptor {
            id: rule.code,
            name: rule.name,
            short_description: Text::new(rule.summary()),
            full_description: Text::new(
                description.split_whitespace().collect::<Vec<_>>().join(" "),
            ),
            help: MultiformatText {
                text: explanation.clone(),
                markdown: explanation,
            },
            default_configuration: Configuration {
                level: level(rule.default_severity),
            },
        }
    }
}

#[derive(Serialize)]
struct Text {
    text: String,
}

impl Text {
    fn new(text: impl Into<String>) -> Self {
        Text { text: text.into() }
    }
}

#[derive(Serialize)]
struct MultiformatText {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    /// `review` for a value that could not be checked statically; absent (`fail`) otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
}

impl SarifResult {
    fn new(package: &PackageReport, diagnostic: &Diagnostic, fingerprint: String) -> Self {
        let location = package.location(diagnostic);
        let mut text = diagnostic.message.clone();
        if let (None, Some(entry), Some((start, _))) =
            (&location.file, &location.entry, location.range)
        {
            text.push_str(&format!(" (at {entry}:{}:{})", start.line, start.column));
        }
        if let Some(help) = &diagnostic.help {
            text.push_str("\n\nhelp: ");
            text.push_str(help);
        }
        let primary = match &diagnostic.primary {
            Some(label) => label_location(package, label, None),
            None => spanless_location(package, &location),
        };
        let related_locations = diagnostic
            .secondary
            .iter()
            .enumerate()
            .map(|(id, label)| label_location(package, label, Some(id + 1)))
            .collect();
        SarifResult {
            rule_id: diagnostic.rule.code,
            rule_index: ALL
                .iter()
                .position(|rule| rule.code == diagnostic.rule.code),
            kind: (diagnostic.severity == Severity::Review).then_some("review"),
            level: level(diagnostic.severity),
            message: Text::new(text),
            locations: vec![primary],
            related_locations,
            partial_fingerprints: BTreeMap::from([("mezcheck/v1", fingerprint)]),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    /// `%SRCROOT%` for a relative `uri`.
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

impl Region {
    const FIRST_LINE: Region = Region {
        start_line: 1,
        start_column: None,
        end_line: None,
        end_column: None,
    };
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
}

/// A label's location: its file and region when the file can be opened, else the package
/// (line 1) plus the entry as a logical location.
fn label_location(package: &PackageReport, label: &Label, id: Option<usize>) -> SarifLocation {
    let position = label_position(package, label);
    let (physical_location, logical_locations, suffix) = match position.file {
        Some(file) => {
            let region = Region {
                start_line: position.start.line,
                start_column: Some(position.start.column),
                end_line: Some(position.end.line),
                end_column: Some(position.end.column),
            };
            (physical(file, region), Vec::new(), String::new())
        }
        None => {
            let suffix = format!(
                " (at {}:{}:{})",
                position.entry, position.start.line, position.start.column
            );
            (
                physical(&package.path, Region::FIRST_LINE),
                entry_logical(package, position.entry),
                suffix,
            )
        }
    };
    SarifLocation {
        id,
        physical_location,
        logical_locations,
        message: id.map(|_| {
            Text::new(format!(
                "{}{suffix}",
                label.message.as_deref().unwrap_or_default()
            ))
        }),
    }
}

/// The location of a finding without a span: its file or the package, line 1.
fn spanless_location(package: &PackageReport, location: &Location) -> SarifLocation {
    let (uri, logical_locations) = match (&location.file, &location.entry) {
        (Some(file), _) => (file.as_str(), Vec::new()),
        (None, Some(entry)) => (package.path.as_str(), entry_logical(package, entry)),
        (None, None) => (package.path.as_str(), Vec::new()),
    };
    SarifLocation {
        id: None,
        physical_location: physical(uri, Region::FIRST_LINE),
        logical_locations,
        message: None,
    }
}

fn physical(path: &str, region: Region) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: {
            let uri = path_to_uri(path);
            let uri_base_id = (!uri.starts_with("file:")).then_some(SOURCE_ROOT);
            ArtifactLocation { uri, uri_base_id }
        },
        region,
    }
}

fn entry_logical(package: &PackageReport, entry: &str) -> Vec<LogicalLocation> {
    vec![LogicalLocation {
        name: entry.to_owned(),
        fully_qualified_name: format!("{}!{entry}", package.path),
    }]
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
        // SARIF: a result whose kind is not `fail` has the level `none`.
        Severity::Review => "none",
    }
}

/// Whether any file breaks lines with a lone CR, NEL, LS or PS, which SARIF readers would not
/// count as line breaks unless told.
fn uses_m_only_line_breaks(report: &Report) -> bool {
    report
        .packages
        .iter()
        .flat_map(|p| p.sources.iter())
        .any(|(_, file)| {
            file.lines.has_unicode_newlines
                || file
                    .text
                    .as_bytes()
                    .windows(2)
                    .any(|pair| pair[0] == b'\r' && pair[1] != b'\n')
                || file.text.ends_with('\r')
        })
}

/// A relative URI reference for a path: forward slashes, and percent-encoding for everything
/// but unreserved characters and `/`. Absolute paths become `file:` URIs.
pub(crate) fn path_to_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    match path.as_bytes() {
        [drive, b':', b'/', ..] if drive.is_ascii_alphabetic() => format!(
            "file:///{}:{}",
            char::from(*drive),
            utf8_percent_encode(path.get(2..).unwrap_or_default(), URI_PATH)
        ),
        [b'/', ..] => format!("file://{}", utf8_percent_encode(&path, URI_PATH)),
        _ => utf8_percent_encode(&path, URI_PATH).to_string(),
    }
}

/// What a path keeps unescaped in a URI: RFC 3986 unreserved characters and `/`.
const URI_PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The base of relative artifact URIs: the folder the run started in, which in CI is the
/// repository's root (GitHub code scanning resolves `%SRCROOT%` there).
const SOURCE_ROOT: &str = "%SRCROOT%";

#[cfg(test)]
mod tests {
    use super::*;

    /// Paths become relative URI references with forward slashes and percent-encoding.
    #[test]
    fn paths_become_uris() {
        assert_eq!(
            path_to_uri("samples\\Wren Connector\\Wren.pq"),
            "samples/Wren%20Connector/Wren.pq"
        );
        assert_eq!(path_to_uri("Kestrel.mez"), "Kestrel.mez");
        assert_eq!(path_to_uri("a#b%c?.mez"), "a%23b%25c%3F.mez");
        assert_eq!(path_to_uri("日.mez"), "%E6%97%A5.mez");
        assert_eq!(path_to_uri("/tmp/x.mez"), "file:///tmp/x.mez");
        assert_eq!(path_to_uri("C:\\x\\y.mez"), "file:///C:/x/y.mez");
    }
}
