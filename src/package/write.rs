//! Writing packages: a flat deflated ZIP for `.mez`, and for `.pqx` the same content parts plus
//! `[Content_Types].xml` as MakePQX writes it (content parts deflated, OPC parts stored). Output
//! is deterministic: entries in the given order, one timestamp for all.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::content_types::ContentTypes;

/// The content type MakePQX gives a content part, by extension.
pub fn default_content_type(extension: &str) -> &'static str {
    match extension {
        "m" | "pq" | "pqm" => "application/x-ms-m",
        "png" => "image/png",
        "resx" => "text/xml",
        _ => "application/octet-stream",
    }
}

/// One file to write.
pub struct Item<'a> {
    pub name: &'a str,
    pub data: &'a [u8],
    /// Deflated when true, stored otherwise.
    pub deflate: bool,
}

impl<'a> Item<'a> {
    /// A package entry, deflated, as every build tool packs content.
    pub fn deflated(entry: &'a super::Entry) -> Item<'a> {
        Item {
            name: &entry.name,
            data: &entry.data,
            deflate: true,
        }
    }
}

/// A ZIP archive of the items, in order, all stamped with `time` (Unix seconds; clamped to
/// the years a ZIP timestamp can hold).
pub fn zip(items: &[Item<'_>], time: i64) -> std::io::Result<Vec<u8>> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let timestamp = zip_time(time);
    for item in items {
        let method = if item.deflate {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(timestamp);
        writer
            .start_file(item.name, options)
            .map_err(std::io::Error::other)?;
        writer.write_all(item.data)?;
    }
    Ok(writer.finish().map_err(std::io::Error::other)?.into_inner())
}

/// `[Content_Types].xml` for these part names: a `Default` per extension (the existing
/// mapping's type when there is one, else MakePQX's), an `Override` for parts without an
/// extension, and the OPC signature types when `signed`. Returns the text and each part's type.
pub fn content_types(
    parts: &[&str],
    existing: Option<&ContentTypes>,
    signed: bool,
) -> (String, Vec<String>) {
    let mut defaults: Vec<(String, String)> = Vec::new();
    let mut overrides: Vec<(String, String)> = Vec::new();
    let mut types = Vec::with_capacity(parts.len());
    for part in parts {
        let part_name = format!("/{part}");
        let extension = super::file_extension(part);
        let content_type = existing
            .and_then(|t| t.lookup(&part_name))
            .map(str::to_owned)
            .unwrap_or_else(|| default_content_type(&extension).to_owned());
        let base = part.rsplit('/').next().unwrap_or(part);
        if extension.is_empty() || !base.contains('.') {
            overrides.push((part_name, content_type.clone()));
        } else if let Some((_, mapped)) = defaults.iter().find(|(e, _)| *e == extension) {
            if *mapped != content_type {
                overrides.push((part_name, content_type.clone()));
            }
        } else {
            defaults.push((extension, content_type.clone()));
        }
        types.push(content_type);
    }
    if signed {
        for (extension, content_type) in [
            ("psdsor", super::content_types::ORIGIN_CONTENT_TYPE),
            ("rels", super::content_types::RELATIONSHIPS_CONTENT_TYPE),
            ("psdsxs", super::content_types::SIGNATURE_CONTENT_TYPE),
        ] {
            defaults.retain(|(e, _)| e != extension);
            defaults.push((extension.to_owned(), content_type.to_owned()));
        }
    }
    let mut xml = String::from(
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
    );
    for (extension, content_type) in &defaults {
        xml.push_str(&format!(
            "<Default Extension=\"{}\" ContentType=\"{}\" />",
            escape(extension),
            escape(content_type)
        ));
    }
    for (part, content_type) in &overrides {
        xml.push_str(&format!(
            "<Override PartName=\"{}\" ContentType=\"{}\" />",
            escape(part),
            escape(content_type)
        ));
    }
    xml.push_str("</Types>");
    (xml, types)
}

/// Escapes text for an XML attribute value or element content.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

fn zip_time(time: i64) -> DateTime {
    let text = crate::dates::format_time(time);
    let field = |range: std::ops::Range<usize>| -> u16 {
        text.get(range)
            .and_then(|digits| digits.parse().ok())
            .unwrap_or(0)
    };
    let year = field(0..4).clamp(1980, 2107);
    DateTime::from_date_and_time(
        year,
        field(5..7) as u8,
        field(8..10) as u8,
        field(11..13) as u8,
        field(14..16) as u8,
        field(17..19) as u8,
    )
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Defaults per extension, overrides for extension-less parts, OPC types when signed.
    #[test]
    fn content_types_as_makepqx() {
        let (xml, types) = content_types(&["Kestrel.pq", "Kestrel16.png", "client_id"], None, true);
        assert_eq!(
            types,
            [
                "application/x-ms-m",
                "image/png",
                "application/octet-stream"
            ]
        );
        assert!(xml.contains("<Default Extension=\"pq\" ContentType=\"application/x-ms-m\" />"));
        assert!(xml.contains("<Override PartName=\"/client_id\""));
        assert!(xml.contains("Extension=\"psdsxs\""));
        let parsed = crate::package::content_types::parse_content_types(&xml);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(
            parsed.lookup("/client_id"),
            Some("application/octet-stream")
        );
    }
}
