//! Helpers shared by unit and integration tests: deterministic archives built in memory from
//! sample folders or entry lists, and a compact listing of diagnostics. Not part of the API.

use std::io::{Cursor, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

pub mod fixture;
#[cfg(test)]
pub mod rule_case;

pub use fixture::{Fixture, Given};
#[cfg(test)]
pub use rule_case::RuleCase;

use crate::config::Config;
use crate::diagnostic::PackageReport;
use crate::package::{Package, PackageKind, read_archive};

pub mod signing;

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

/// Runs every rule with the default configuration.
pub fn check(package: Package) -> PackageReport {
    crate::check_package(package, &Config::default()).report
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

/// The clean sample's article.
pub const KESTREL_ARTICLE: &str = include_str!("../../samples/clean/kestrel.md");
/// The clean sample's changelog.
pub const KESTREL_CHANGELOG: &str = include_str!("../../samples/clean/CHANGELOG.md");

/// The fuzz targets' bodies (`fuzz/fuzz_targets/`), here so that `cargo test` replays the
/// regression inputs under `tests/regressions/` through exactly the same code.
pub mod fuzz {
    use crate::config::Config;
    use crate::package::{PackageKind, read_archive};

    /// M source, any bytes, through the parser and the whole `check` pipeline as the section
    /// document of a package.
    pub fn check_m(data: &[u8]) {
        let text = String::from_utf8_lossy(data);
        let parse = crate::syntax::parse(&text);
        assert!(parse.errors.len() <= crate::syntax::MAX_ERRORS + 1);
        let _ = crate::syntax::parse_expression_document(&text);
        let package = super::archive("Fuzz.mez", &[("Fuzz.pq", data)]);
        let _ = crate::check_package(package, &Config::default());
    }

    /// Arbitrary bytes as a `.mez` archive.
    pub fn mez(data: &[u8]) {
        let package = read_archive(data, "Fuzz.mez", PackageKind::Mez);
        let _ = crate::check_package(package, &Config::default());
    }

    /// Arbitrary bytes as a signed `.pqx` package, checked and described.
    pub fn pqx(data: &[u8]) {
        let package = read_archive(data, "Fuzz.pqx", PackageKind::Pqx);
        let _ = crate::check_package(package, &Config::default());
        let package = read_archive(data, "Fuzz.pqx", PackageKind::Pqx);
        let _ = crate::describe_package(package);
    }

    const PACKAGE_PARTS: [&str; 6] = [
        "Fuzz.pq",
        "Helpers.pqm",
        "resources.resx",
        "[Content_Types].xml",
        "package/services/digital-signature/_rels/origin.psdsor.rels",
        "package/services/digital-signature/xml-signature/fuzz.psdsxs",
    ];

    /// Appended to the section document when the first byte asks for it, so module loading
    /// and resource lookups are reached.
    const LOADER: &[u8] = b"\nHelpers = Expression.Evaluate(Text.FromBinary(Extension.Contents(\"Helpers.pqm\")), #shared);\nLabel = Extension.LoadString(\"ButtonTitle\");\n";

    /// A well-formed small package built from the bytes, so inputs reach the model and the
    /// rules instead of stopping at the ZIP reader. The bytes after the first are cut at 0xFF
    /// into the section document, a module, `resources.resx`, `[Content_Types].xml`, a
    /// relationships part and a signature part; the first byte chooses `.mez` or `.pqx` and
    /// whether the section loads the module.
    pub fn package(data: &[u8]) {
        let Some((&flags, rest)) = data.split_first() else {
            return;
        };
        let mut parts: Vec<Vec<u8>> = rest.split(|&b| b == 0xFF).map(<[u8]>::to_vec).collect();
        parts.resize(PACKAGE_PARTS.len(), Vec::new());
        if flags & 1 != 0
            && let Some(section) = parts.first_mut()
        {
            section.extend_from_slice(LOADER);
        }
        let entries: Vec<(&str, &[u8])> = PACKAGE_PARTS
            .iter()
            .zip(&parts)
            .filter(|(_, part)| !part.is_empty())
            .map(|(name, part)| (*name, part.as_slice()))
            .collect();
        let (name, kind) = if flags & 2 != 0 {
            ("Fuzz.pqx", PackageKind::Pqx)
        } else {
            ("Fuzz.mez", PackageKind::Mez)
        };
        let bytes = super::zip_bytes(&entries);
        let _ = crate::check_package(read_archive(&bytes, name, kind), &Config::default());
        let _ = crate::describe_package(read_archive(&bytes, name, kind));
    }

    /// The submission documents: the bytes, cut at the first 0xFF, are the article and the
    /// changelog (Markdown), checked by every article and changelog rule.
    pub fn documents(data: &[u8]) {
        let (article, changelog) = match data.iter().position(|&b| b == 0xFF) {
            Some(at) => data.split_at(at),
            None => (data, &[][..]),
        };
        let changelog = changelog.get(1..).unwrap_or_default();
        let entries = super::folder_entries(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/clean"),
        );
        let borrowed: Vec<(&str, &[u8])> = entries
            .iter()
            .map(|(name, data)| (name.as_str(), data.as_slice()))
            .collect();
        let mut model = crate::model::Model::build(super::archive("Kestrel.mez", &borrowed));
        model.options.initial_release = changelog.is_empty();
        model.article_search.chosen = Some("kestrel.md".into());
        match crate::submission::load_article(
            &mut model.sources,
            "kestrel.md",
            "kestrel.md",
            article,
        ) {
            Ok(loaded) => model.article = Some(loaded),
            Err(problem) => model.article_search.unusable = Some(problem),
        }
        if !changelog.is_empty() {
            model.changelog_search.chosen = Some("CHANGELOG.md".into());
            match crate::submission::load_changelog(
                &mut model.sources,
                "CHANGELOG.md",
                "CHANGELOG.md",
                changelog,
                true,
            ) {
                Ok(loaded) => model.changelog = Some(loaded),
                Err(problem) => model.changelog_search.unusable = Some(problem),
            }
        }
        let _ = crate::check_model(model, &Config::default());
    }

    /// The content parts of the `signature` target's package; `fuzz/seed.py` signs the same
    /// bytes.
    pub const SIGNED_PARTS: [(&str, &[u8]); 2] = [
        ("Fuzz.pq", b"section Fuzz;\r\nshared Fuzz.Value = 1;\r\n"),
        ("Fuzz16.png", b"\x89PNG\r\n\x1a\nfuzz"),
    ];

    const SIGNATURE_PART: &str = "package/services/digital-signature/xml-signature/fuzz.psdsxs";

    /// An otherwise valid small signed `.pqx` whose signature part, package relationships and
    /// origin relationships are the fuzzer's bytes, cut at 0xFF (an empty piece keeps
    /// MakePQX's relationship part): verified, checked, described and rendered.
    pub fn signature(data: &[u8]) {
        let mut pieces = data.splitn(3, |&b| b == 0xFF);
        let signature = pieces.next().unwrap_or_default();
        let package_rels = pieces.next().filter(|p| !p.is_empty()).unwrap_or(
            br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin" Target="/package/services/digital-signature/origin.psdsor" Id="R0" /></Relationships>"#,
        );
        let origin_rels = pieces.next().filter(|p| !p.is_empty()).unwrap_or(
            br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/signature" Target="/package/services/digital-signature/xml-signature/fuzz.psdsxs" Id="R1" /></Relationships>"#,
        );
        let names: Vec<&str> = SIGNED_PARTS.iter().map(|(name, _)| *name).collect();
        let (types, _) = crate::package::write::content_types(&names, None, true);
        let mut entries: Vec<(&str, &[u8])> = SIGNED_PARTS.to_vec();
        entries.extend([
            ("package/services/digital-signature/origin.psdsor", &b""[..]),
            ("_rels/.rels", package_rels),
            (
                "package/services/digital-signature/_rels/origin.psdsor.rels",
                origin_rels,
            ),
            ("[Content_Types].xml", types.as_bytes()),
            (SIGNATURE_PART, signature),
        ]);
        let bytes = super::zip_bytes(&entries);
        let package = read_archive(&bytes, "Fuzz.pqx", PackageKind::Pqx);
        let verification = crate::signature::verify(&package, crate::signature::Depth::Full);
        let report = crate::output::verify::verify_report("Fuzz.pqx", None, &verification);
        let mut out = Vec::new();
        let _ =
            crate::output::verify::render_verify(std::slice::from_ref(&report), false, &mut out);
        let _ = crate::output::verify::render_verify(&[report], true, &mut out);
        let _ = crate::check_package(package, &Config::default());
        let _ = crate::describe_package(read_archive(&bytes, "Fuzz.pqx", PackageKind::Pqx));
    }

    /// The target called `name`, for replaying saved inputs.
    pub fn target(name: &str) -> Option<fn(&[u8])> {
        Some(match name {
            "check_m" => check_m,
            "mez" => mez,
            "pqx" => pqx,
            "package" => package,
            "documents" => documents,
            "signature" => signature,
            _ => return None,
        })
    }
}
