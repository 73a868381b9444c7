//! Helpers shared by unit and integration tests: deterministic archives built in memory from
//! sample folders or entry lists, and a compact listing of diagnostics. Not part of the API.

use std::io::{Cursor, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, PackageReport};
use crate::package::{Package, PackageKind, read_archive};
use crate::rules::{CheckOptions, Context, Rule};

/// A ZIP archive of the entries, in the given order, deflated, with a fixed timestamp.
pub fn zip_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    for (name, data) in entries {
        writer
            .start_file(*name, options)
            .expect("in-memory zip entry");
        writer.write_all(data).expect("in-memory write");
    }
    writer.finish().expect("in-memory zip").into_inner()
}

/// The package content files of a sample folder, as `(name, bytes)` sorted by name, the way
/// the SDK build would pack them.
pub fn folder_entries(folder: &Path) -> Vec<(String, Vec<u8>)> {
    let package = crate::package::read_project_folder(folder, &folder.display().to_string())
        .expect("sample folder");
    let mut entries: Vec<_> = package
        .entries
        .into_iter()
        .filter(|e| e.is_content())
        .map(|e| (e.name, e.data))
        .collect();
    entries.sort();
    entries
}

/// A `.mez` of a sample folder's content.
pub fn mez_of_folder(folder: &Path) -> Vec<u8> {
    let entries = folder_entries(folder);
    let borrowed: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    zip_bytes(&borrowed)
}

/// An unsigned `.pqx` of a sample folder's content: the entries plus `[Content_Types].xml`
/// mapping every extension they use, as `MakePQX pack` writes it.
pub fn pqx_of_folder(folder: &Path) -> Vec<u8> {
    let mut entries = folder_entries(folder);
    let mut extensions: Vec<String> = entries
        .iter()
        .map(|(n, _)| crate::package::file_extension(n))
        .collect();
    extensions.sort();
    extensions.dedup();
    let mut types = String::from(
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
    );
    for ext in extensions {
        let content_type = match ext.as_str() {
            "m" | "pq" | "pqm" => "application/x-ms-m",
            "png" => "image/png",
            "resx" => "text/xml",
            _ => "application/octet-stream",
        };
        types.push_str(&format!(
            "<Default Extension=\"{ext}\" ContentType=\"{content_type}\" />"
        ));
    }
    types.push_str("</Types>");
    entries.push(("[Content_Types].xml".into(), types.into_bytes()));
    let borrowed: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    zip_bytes(&borrowed)
}

/// A package read from in-memory archive entries.
pub fn archive(name: &str, entries: &[(&str, &[u8])]) -> Package {
    read_archive(
        &zip_bytes(entries),
        name,
        crate::package::kind_of_file(name),
    )
}

/// Runs one rule on a package with its default severity.
pub fn run_rule(rule: &'static Rule, package: Package) -> PackageReport {
    run_rule_with(rule, package, CheckOptions::default())
}

/// Runs one rule on a package with its default severity and these submission options.
pub fn run_rule_with(
    rule: &'static Rule,
    package: Package,
    options: CheckOptions,
) -> PackageReport {
    let model = crate::model::Model::build(package);
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    if model.is_readable() || rule.scope == crate::rules::Scope::Input {
        let connector = crate::model::connector::Connector::build(&model);
        let mut cx = Context::new(&connector, rule, rule.default_severity, &mut diagnostics)
            .with_options(options);
        (rule.check)(&mut cx);
    }
    let crate::model::Model {
        package, sources, ..
    } = model;
    PackageReport::new(
        package.path,
        package.kind,
        sources,
        Default::default(),
        diagnostics,
    )
}

/// Runs every rule with the default configuration.
pub fn check(package: Package) -> PackageReport {
    crate::check_package(package, &Config::default())
}

/// One line per diagnostic: `CODE severity location: message`, for assertions and snapshots.
pub fn listing(report: &PackageReport) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let location = report.location(d);
            let at = location
                .range
                .map(|(s, _)| format!(":{}:{}", s.line, s.column))
                .unwrap_or_default();
            format!(
                "{} {} {}{at}: {}\n",
                d.rule.code, d.severity, location.display, d.message
            )
        })
        .collect()
}

/// The kind a test archive name implies.
pub fn kind(name: &str) -> PackageKind {
    crate::package::kind_of_file(name)
}
