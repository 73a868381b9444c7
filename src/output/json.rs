//! The `json` and `json-lines` formats: the whole report as one document, or one finding per
//! line. Field names are a contract (README, "Output formats"): fields may be added, never
//! renamed. Strings are
//! the raw texts (serde escapes them); positions are 1-based lines and columns counted in
//! Unicode scalar values, spans are byte offsets into the file on disk.

use std::io::{self, Write};

use serde::Serialize;

use super::label_position;
use crate::diagnostic::{Counts, Diagnostic, PackageReport, Report, Severity};
use crate::package::PackageKind;
use crate::source::{LineCol, Span};

/// Bumped only when a field is renamed or removed.
/// 2: the `review` level and `summary.reviews`.
pub(crate) const JSON_VERSION: u32 = 2;

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let document = JsonReport {
        version: JSON_VERSION,
        tool: Tool::CURRENT,
        packages: report.packages.iter().map(JsonPackage::new).collect(),
        summary: report.counts(),
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

pub(super) fn render_lines(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for package in &report.packages {
        for (diagnostic, fingerprint) in package.diagnostics.iter().zip(package.fingerprints()) {
            serde_json::to_writer(
                &mut *out,
                &JsonDiagnostic::new(package, diagnostic, fingerprint),
            )?;
            writeln!(out)?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool,
    packages: Vec<JsonPackage<'a>>,
    summary: Counts,
}

#[derive(Serialize)]
pub(crate) struct Tool {
    name: &'static str,
    version: &'static str,
}

impl Tool {
    pub(crate) const CURRENT: Tool = Tool {
        name: "mezcheck",
        version: env!("CARGO_PKG_VERSION"),
    };
}

#[derive(Serialize)]
struct JsonPackage<'a> {
    path: &'a str,
    kind: PackageKind,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    omitted: Vec<JsonOmitted<'a>>,
}

impl<'a> JsonPackage<'a> {
    fn new(package: &'a PackageReport) -> Self {
        JsonPackage {
            path: &package.path,
            kind: package.kind,
            diagnostics: package
                .diagnostics
                .iter()
                .zip(package.fingerprints())
                .map(|(diagnostic, fingerprint)| {
                    JsonDiagnostic::new(package, diagnostic, fingerprint)
                })
                .collect(),
            omitted: package
                .omitted
                .iter()
                .map(|omitted| JsonOmitted {
                    entry: omitted.entry.as_deref(),
                    count: omitted.count,
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct JsonOmitted<'a> {
    entry: Option<&'a str>,
    count: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    notes: &'a [String],
    package: &'a str,
    entry: Option<String>,
    file: Option<String>,
    span: Option<JsonSpan>,
    start: Option<LineCol>,
    end: Option<LineCol>,
    labels: Vec<JsonLabel<'a>>,
    fingerprint: String,
}

impl<'a> JsonDiagnostic<'a> {
    fn new(package: &'a PackageReport, diagnostic: &'a Diagnostic, fingerprint: String) -> Self {
        let location = package.location(diagnostic);
        let labels = diagnostic
            .primary
            .iter()
            .map(|label| (label, true))
            .chain(diagnostic.secondary.iter().map(|label| (label, false)))
            .map(|(label, primary)| {
                let position = label_position(package, label);
                JsonLabel {
                    message: label.message.as_deref(),
                    entry: position.entry,
                    span: position.byte_span.into(),
                    start: position.start,
                    end: position.end,
                    primary,
                }
            })
            .collect();
        JsonDiagnostic {
            code: diagnostic.rule.code,
            name: diagnostic.rule.name,
            severity: diagnostic.severity,
            message: &diagnostic.message,
            help: diagnostic.help.as_deref(),
            notes: &diagnostic.notes,
            package: &package.path,
            entry: location.entry,
            file: location.file,
            span: location.byte_span.map(JsonSpan::from),
            start: location.range.map(|(start, _)| start),
            end: location.range.map(|(_, end)| end),
            labels,
            fingerprint,
        }
    }
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: Option<&'a str>,
    entry: &'a str,
    span: JsonSpan,
    start: LineCol,
    end: LineCol,
    primary: bool,
}

#[derive(Serialize)]
struct JsonSpan {
    start: u32,
    end: u32,
}

impl From<Span> for JsonSpan {
    fn from(span: Span) -> Self {
        JsonSpan {
            start: span.start,
            end: span.end,
        }
    }
}
