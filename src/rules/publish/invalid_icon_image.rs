//! PQ307: an icon entry is not a PNG image.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// An existing entry used in an icon list is not a PNG image.
    ///
    /// The entry does not start with the PNG signature `89 50 4E 47 0D 0A 1A 0A`, or its first
    /// chunk is not a valid 13-byte `IHDR` with a non-zero width and height. A missing entry is
    /// PQ006's finding.
    ///
    /// ## Why it matters
    /// Get Data reads icons as PNG images; an empty, truncated or renamed file (a JPEG or SVG
    /// saved as `.png`) cannot be shown.
    ///
    /// ## Example
    /// `Contoso16.png` is an SVG file renamed to `.png`.
    ///
    /// Use instead: export the icon as a real 16×16 PNG image.
    pub(crate) static INVALID_ICON_IMAGE = Rule {
        code: "PQ307",
        name: "invalid-icon-image",
        default_severity: Severity::Error,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let mut reported: Vec<String> = Vec::new();
    for icon in cx.connector().icons() {
        let Some(Err(problem)) = &icon.size else {
            continue;
        };
        if reported.contains(&icon.entry) {
            continue;
        }
        cx.report(
            Finding::new(format!(
                "icon `{}` is not a PNG image: {problem}",
                icon.entry
            ))
            .primary(icon.file, icon.span)
            .help("replace the entry with a PNG image of the listed size"),
        );
        reported.push(icon.entry);
    }
}

#[cfg(test)]
mod tests {
    use super::INVALID_ICON_IMAGE;
    use crate::package::png::header_only_png;
    use crate::testing::{Fixture, RuleCase};

    const ICONS: &str = r#"Finch.Icons = [Icon16 = {Extension.Contents("Finch16.png"), Extension.Contents("Finch20.png"), Extension.Contents("Missing.png")}, Icon32 = {Extension.Contents("Finch16.png")}];"#;

    /// Finch with the icon record `ICONS` and these bytes as `Finch16.png` and `Finch20.png`.
    fn icons(finch16: &[u8], finch20: &[u8]) -> Fixture {
        Fixture::finch()
            .set(
                "Finch.Publish",
                "[SourceImage = Finch.Icons, SourceTypeImage = Finch.Icons]",
            )
            .members(ICONS)
            .entry("Finch16.png", finch16)
            .entry("Finch20.png", finch20)
    }

    /// Real PNG headers and missing entries (PQ006's) pass; other bytes fail, once per entry.
    #[test]
    fn invalid_icon_image() {
        let mut truncated = header_only_png(20, 20);
        truncated.truncate(20);
        let cases = RuleCase::new(&INVALID_ICON_IMAGE)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                icons(&header_only_png(16, 16), &header_only_png(20, 20)),
            ])
            .fail([icons(b"<svg/>", &truncated)]);
        insta::assert_snapshot!(cases.run());
    }
}
