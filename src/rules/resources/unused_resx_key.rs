//! PQ407: a `resources.resx` string that no `Extension.LoadString` reads.
use super::neutral_file;
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A string key of `resources.resx` is never used by a literal `Extension.LoadString`.
    ///
    /// Keys passed through a helper's parameter count at each call. The rule stays silent when
    /// any key is computed, when there is no section document, or when an M document has
    /// syntax errors (its lookups are then unknown).
    ///
    /// ## Why it matters
    /// Dead strings are still translated and reviewed.
    ///
    /// ## Example
    /// `<data name="OldButtonTitle">` left over after renaming the key to `ButtonTitle`.
    ///
    /// Use instead: remove the unused `data` element.
    pub(crate) static UNUSED_RESX_KEY = Rule {
        code: "PQ407",
        name: "unused-resx-key",
        default_severity: Severity::Info,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let model = cx.model();
    let Some(resources) = neutral_file(model) else {
        return;
    };
    if connector.section.is_none()
        || model.documents.iter().any(|d| !d.parse.errors.is_empty())
        || connector.strings().iter().any(|s| s.key.is_err())
    {
        return;
    }
    for (key, _, data) in resources.resx.strings() {
        if connector
            .strings()
            .iter()
            .any(|s| s.key.as_deref() == Ok(key))
        {
            continue;
        }
        cx.report(
            Finding::new(format!("resource string `{key}` is never used"))
                .primary(resources.file, data.span)
                .help("remove it, or read it with `Extension.LoadString`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::UNUSED_RESX_KEY;
    use crate::testing::{Fixture, RuleCase};

    const RESX: &[u8] = b"<root>\n<data name=\"Title\"><value>Finch</value></data>\n<data name=\"Old\"><value>x</value></data>\n<data name=\"Logo\" type=\"System.Drawing.Bitmap\"><value>AA</value></data>\n</root>";

    fn strings(members: &str) -> Fixture {
        Fixture::finch()
            .members(members)
            .entry("resources.resx", RESX)
    }

    /// Used keys pass, and a computed key, a broken section and a document that is not a
    /// section silence the rule; an unused string fails.
    #[test]
    fn unused_resx_key() {
        let cases = RuleCase::new(&UNUSED_RESX_KEY)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                strings("A = Extension.LoadString(\"Title\");\nS = (k) => Extension.LoadString(k);\nB = S(\"Old\");"),
                strings("A = Extension.LoadString(\"Title\");\nB = Extension.LoadString(Text.Upper(\"old\"));"),
                strings("A = Extension.LoadString(\"Title\") +;"),
                Fixture::section("[A = Extension.LoadString(\"Title\")]")
                    .entry("resources.resx", RESX),
            ])
            .fail([strings("A = Extension.LoadString(\"Title\");")]);
        insta::assert_snapshot!(cases.run());
    }
}
