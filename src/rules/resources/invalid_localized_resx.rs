//! PQ406: a localized resource file with a malformed culture or keys the neutral file lacks.
use super::neutral_file;
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A `resources.<culture>.resx` has a malformed culture tag or keys missing from `resources.resx`.
    ///
    /// A well-formed culture is a 2–3 letter language, an optional 4-letter script and an
    /// optional 2-letter or 3-digit region, joined by `-` (`es`, `pt-BR`, `zh-Hans`,
    /// `es-419`). Every string key of a localized file must also be in the neutral
    /// `resources.resx`.
    ///
    /// ## Why it matters
    /// Localized files are found by culture name and only override keys of the neutral file;
    /// a misnamed file is never used and an extra key is never looked up.
    ///
    /// ## Example
    /// `resources.pt_BR.resx`, or `resources.de.resx` holding `ButtonTitel` while the neutral
    /// file has `ButtonTitle`.
    ///
    /// Use instead: `resources.pt-BR.resx`, with the keys of `resources.resx`.
    pub(crate) static INVALID_LOCALIZED_RESX = Rule {
        code: "PQ406",
        name: "invalid-localized-resx",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    let neutral = neutral_file(model);
    for resources in &model.resources {
        let Some(culture) = &resources.culture else {
            continue;
        };
        let name = &model.sources.get(resources.file).name;
        if !is_culture_tag(culture) {
            cx.report(
                Finding::new(format!("`{name}`: `{culture}` is not a well-formed culture name"))
                    .entry(name.clone())
                    .help("name the file `resources.<culture>.resx` with a culture such as `de`, `pt-BR` or `zh-Hans`"),
            );
        }
        let Some(neutral) = neutral else {
            cx.report(
                Finding::new(format!(
                    "`{name}` localizes strings but the package has no neutral `resources.resx`"
                ))
                .entry(name.clone())
                .help("add `resources.resx` with every key; localized files only override it"),
            );
            continue;
        };
        for (key, _, data) in resources.resx.strings() {
            let defined = neutral
                .resx
                .data
                .iter()
                .any(|d| d.is_string && d.name.as_deref() == Some(key));
            if defined {
                continue;
            }
            cx.report(
                Finding::new(format!(
                    "`{name}` has key `{key}`, which `resources.resx` lacks"
                ))
                .primary(resources.file, data.span)
                .help(format!(
                    "add `{key}` to `resources.resx`, or remove it here"
                )),
            );
        }
    }
}

/// `language[-Script][-REGION]`: 2–3 letters, 4 letters, 2 letters or 3 digits.
fn is_culture_tag(culture: &str) -> bool {
    let mut parts = culture.split('-').peekable();
    let is_alpha = |s: &str, lens: &[usize]| {
        lens.contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphabetic())
    };
    let Some(language) = parts.next() else {
        return false;
    };
    if !is_alpha(language, &[2, 3]) {
        return false;
    }
    if parts.peek().is_some_and(|p| is_alpha(p, &[4])) {
        parts.next();
    }
    if let Some(region) = parts.next()
        && !(is_alpha(region, &[2])
            || (region.len() == 3 && region.chars().all(|c| c.is_ascii_digit())))
    {
        return false;
    }
    parts.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::{INVALID_LOCALIZED_RESX, is_culture_tag};
    use crate::testing::{Fixture, RuleCase};

    /// Language, script and region tags are well-formed; others are not.
    #[test]
    fn culture_tags() {
        for good in ["es", "pt-BR", "zh-Hans", "zh-Hant-TW", "es-419", "fil"] {
            assert!(is_culture_tag(good), "{good}");
        }
        for bad in ["", "pt_BR", "english", "e", "pt-BRA", "zh-Hans-TW-x", "de-"] {
            assert!(!is_culture_tag(bad), "{bad}");
        }
    }

    /// Finch with a neutral `resources.resx` holding `Title`.
    fn neutral() -> Fixture {
        Fixture::finch().entry(
            "resources.resx",
            b"<root><data name=\"Title\"><value>Finch</value></data></root>",
        )
    }

    /// Localized files with neutral keys pass; a malformed culture and extra keys fail.
    #[test]
    fn invalid_localized_resx() {
        let cases = RuleCase::new(&INVALID_LOCALIZED_RESX)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                neutral().entry(
                    "resources.pt-BR.resx",
                    b"<root><data name=\"Title\"><value>Finch</value></data></root>",
                ),
            ])
            .fail([neutral()
                .entry("resources.de.resx", b"<root>\n<data name=\"Title\"><value>Finch</value></data>\n<data name=\"Titel\"><value>Finch</value></data>\n</root>")
                .entry("resources.pt_BR.resx", b"<root/>")]);
        insta::assert_snapshot!(cases.run());
    }
}
