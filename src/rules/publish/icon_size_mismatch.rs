//! PQ311: an icon's pixel size is not the size its name or list position says.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::Icon;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A PNG icon's size differs from the size its file name or list position implies, or it is not square.
    ///
    /// The expected size is the number ending the file stem (`Contoso64.png`, `logo-16.png`),
    /// else the icon's position in its list: `Icon16` holds 16, 20, 24 and 32 px, `Icon32`
    /// holds 32, 40, 48 and 64 px. The size is read from the PNG `IHDR` header.
    ///
    /// ## Why it matters
    /// Get Data rescales a mis-sized icon, which blurs it; a real package shipped a "64 px"
    /// icon that was 60×60.
    ///
    /// ## Example
    /// `Extension.Contents("Contoso64.png")` where `Contoso64.png` is 60×60 pixels.
    ///
    /// Use instead: export `Contoso64.png` at 64×64 pixels.
    pub(crate) static ICON_SIZE_MISMATCH = Rule {
        code: "PQ311",
        name: "icon-size-mismatch",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

/// Pixel sizes by list position.
const ICON16_SIZES: [u32; 4] = [16, 20, 24, 32];
const ICON32_SIZES: [u32; 4] = [32, 40, 48, 64];
/// Numbers above this ending a file stem are not read as pixel sizes (`logo2024.png`).
const MAX_NAMED_SIZE: u32 = 1024;

fn check(cx: &mut Context<'_>) {
    let mut reported: Vec<(String, String)> = Vec::new();
    for icon in cx.connector().icons() {
        let Some(Ok(size)) = &icon.size else {
            continue;
        };
        let (width, height) = (size.width, size.height);
        let (message, help) = if width != height {
            (
                format!(
                    "icon `{}` is {width}×{height} pixels, not square",
                    icon.entry
                ),
                match expected_size(&icon) {
                    Some(expected) => format!("export the icon at {expected}×{expected} pixels"),
                    None => "export the icon as a square image".to_owned(),
                },
            )
        } else {
            match expected_size(&icon) {
                Some(expected) if expected != width => (
                    format!(
                        "icon `{}` is {width}×{height} pixels, not {expected}×{expected}",
                        icon.entry
                    ),
                    format!("export the icon at {expected}×{expected} pixels"),
                ),
                _ => continue,
            }
        };
        let key = (icon.entry.clone(), message.clone());
        if reported.contains(&key) {
            continue;
        }
        reported.push(key);
        cx.report(
            Finding::new(message)
                .primary_label(icon.file, icon.span, format!("{width}×{height} pixels"))
                .help(help),
        );
    }
}

/// The size the icon's name states, else the size of its list position.
fn expected_size(icon: &Icon) -> Option<u32> {
    named_size(&icon.entry).or_else(|| {
        let sizes = match icon.list.as_str() {
            "Icon16" => &ICON16_SIZES,
            "Icon32" => &ICON32_SIZES,
            _ => return None,
        };
        sizes.get(icon.position).copied()
    })
}

/// The number ending a file stem: `Contoso64.png` → 64, `logo-16.png` → 16.
fn named_size(entry: &str) -> Option<u32> {
    let stem = entry.rsplit_once('.').map_or(entry, |(stem, _)| stem);
    let digits_start = stem
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(index, _)| index)?;
    let size: u32 = stem.get(digits_start..)?.parse().ok()?;
    (1..=MAX_NAMED_SIZE).contains(&size).then_some(size)
}

#[cfg(test)]
mod tests {
    use super::{ICON_SIZE_MISMATCH, named_size};
    use crate::package::png::header_only_png;
    use crate::testing::{Fixture, RuleCase};

    /// Sizes come from the digits ending the stem.
    #[test]
    fn named_sizes() {
        assert_eq!(named_size("Contoso64.png"), Some(64));
        assert_eq!(named_size("logo-16.png"), Some(16));
        assert_eq!(named_size("icon@2x.png"), None);
        assert_eq!(named_size("logo.png"), None);
        assert_eq!(named_size("logo2024.png"), None);
    }

    const ICONS: &str = r#"Finch.Icons = [Icon16 = {Extension.Contents("Finch16.png"), Extension.Contents("small.png")}, Icon32 = {Extension.Contents("Finch32.png"), Extension.Contents("b.png"), Extension.Contents("c.png"), Extension.Contents("Finch64.png")}];"#;

    /// Finch with the icon record `ICONS` and these entries for its icons.
    fn icons(entries: &[(&str, &[u8])]) -> Fixture {
        entries.iter().fold(
            Fixture::finch()
                .set(
                    "Finch.Publish",
                    "[SourceImage = Finch.Icons, SourceTypeImage = Finch.Icons]",
                )
                .members(ICONS),
            |fixture, (name, bytes)| fixture.entry(name, bytes),
        )
    }

    /// Icons of their named or positional size pass; a 60×60 "64 px" icon, a wrong positional
    /// size and a non-square icon fail (an entry that is not a PNG is PQ307's).
    #[test]
    fn icon_size_mismatch() {
        let cases = RuleCase::new(&ICON_SIZE_MISMATCH)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                icons(&[
                    ("Finch16.png", &header_only_png(16, 16)),
                    ("small.png", &header_only_png(20, 20)),
                    ("Finch32.png", &header_only_png(32, 32)),
                    ("b.png", &header_only_png(40, 40)),
                    ("c.png", &header_only_png(48, 48)),
                    ("Finch64.png", &header_only_png(64, 64)),
                ]),
            ])
            .fail([icons(&[
                ("Finch16.png", &header_only_png(16, 16)),
                ("small.png", &header_only_png(16, 16)),
                ("Finch32.png", &header_only_png(32, 32)),
                ("b.png", &header_only_png(40, 38)),
                ("c.png", b"not a png"),
                ("Finch64.png", &header_only_png(60, 60)),
            ])]);
        insta::assert_snapshot!(cases.run());
    }
}
