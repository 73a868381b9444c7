//! PQ009: the `.pqx` content-types part is missing, malformed, or misses a part.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::package::PackageKind;
use crate::package::content_types::CONTENT_TYPES_ENTRY;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A `.pqx` content-types part is missing, malformed, or misses a part.
    ///
    /// In a `.pqx`: `[Content_Types].xml` is missing or not well-formed; its root is not `Types`
    /// in the OPC content-types namespace; a `Default` lacks `Extension` or `ContentType`, or an
    /// `Override` lacks `PartName` or `ContentType`; an extension (ignoring case) or part name
    /// is mapped twice; or a part has neither an `Override` nor a `Default` for its extension.
    ///
    /// ## Why it matters
    /// The Open Packaging Conventions give every part a content type, and signatures repeat it:
    /// a part without one makes the package invalid for OPC readers and signers.
    ///
    /// ## Example
    /// A `.pqx` whose `[Content_Types].xml` maps `m`, `png` and `resx`, but which also holds a
    /// `Helpers.pqm` added after packing.
    ///
    /// Use instead: repack with `MakePQX pack`, or add
    /// `<Default Extension="pqm" ContentType="application/x-ms-m" />`.
    pub(crate) static INVALID_CONTENT_TYPES = Rule {
        code: "PQ009",
        name: "invalid-content-types",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    if model.package.kind != PackageKind::Pqx {
        return;
    }
    let Some((file, types)) = &model.content_types else {
        let present = model
            .package
            .entries
            .iter()
            .any(|e| e.name == CONTENT_TYPES_ENTRY);
        let message = if present {
            format!("`{CONTENT_TYPES_ENTRY}` could not be read")
        } else {
            format!("`.pqx` package has no `{CONTENT_TYPES_ENTRY}`")
        };
        cx.report(
            Finding::new(message)
                .help("repack with `MakePQX pack`; every `.pqx` maps its parts to content types"),
        );
        return;
    };
    for problem in &types.problems {
        cx.report(
            Finding::new(format!("`{CONTENT_TYPES_ENTRY}`: {}", problem.message))
                .primary(*file, problem.span)
                .help("fix the content-types part, or repack with `MakePQX pack`"),
        );
    }
    if types
        .problems
        .iter()
        .any(|p| p.message.starts_with("XML is not well-formed"))
    {
        return;
    }
    for entry in &model.package.entries {
        if entry.name == CONTENT_TYPES_ENTRY {
            continue;
        }
        let part = format!("/{}", percent_decode(&entry.name));
        if types.lookup(&part).is_none() {
            let extension = crate::package::file_extension(&entry.name);
            let help = if extension.is_empty() {
                format!("add `<Override PartName=\"{part}\" ContentType=\"…\" />`")
            } else {
                format!("add `<Default Extension=\"{extension}\" ContentType=\"…\" />`")
            };
            cx.report(
                Finding::new(format!("part `{part}` has no content type"))
                    .entry(entry.name.clone())
                    .help(help),
            );
        }
    }
}

/// Decodes `%XX` escapes of a ZIP item name into the OPC part name; invalid escapes stay.
fn percent_decode(name: &str) -> String {
    percent_encoding::percent_decode_str(name)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::{INVALID_CONTENT_TYPES, percent_decode};
    use crate::testing::{Fixture, RuleCase};

    const TYPES: &[u8] = br#"<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="pq" ContentType="application/x-ms-m" /><Default Extension="png" ContentType="image/png" /></Types>"#;

    fn pqx() -> Fixture {
        Fixture::finch().named("Finch.pqx")
    }

    /// A complete mapping passes, and a `.mez` needs none; a missing part, a missing file and
    /// broken XML fail.
    #[test]
    fn invalid_content_types() {
        let cases = RuleCase::new(&INVALID_CONTENT_TYPES)
            .pass([
                Fixture::finch(),
                pqx()
                    .entry("Finch16.png", b"")
                    .entry("[Content_Types].xml", TYPES),
            ])
            .fail([
                pqx()
                    .entry("Helpers.pqm", b"1")
                    .entry("client_id", b"x")
                    .entry("[Content_Types].xml", TYPES),
                pqx(),
                pqx().entry("[Content_Types].xml", b"<Types><Default></Types>"),
            ]);
        insta::assert_snapshot!(cases.run());
    }

    #[test]
    fn part_names_are_percent_decoded() {
        assert_eq!(percent_decode("Product%20API.m"), "Product API.m");
        assert_eq!(percent_decode("100%.m"), "100%.m");
    }
}
