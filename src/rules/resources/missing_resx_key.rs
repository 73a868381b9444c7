//! PQ402: an `Extension.LoadString` key that `resources.resx` does not define.
use super::neutral_file;
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};
use crate::suggest::Suggester;

/// Edits between a missing key and a defined one suggested for it.
const MAX_SUGGESTION_DISTANCE: usize = 2;

declare_rule! {
    /// ## What it checks
    /// A literal `Extension.LoadString` key is not a string in `resources.resx`.
    ///
    /// The key must be the `name` of a string `data` element (one without a `type` or
    /// `mimetype` attribute), exact case; commented-out elements do not count. A key passed
    /// through a helper's parameter is checked at each call; a computed key is reported at
    /// info. Without a `resources.resx` at all, PQ401 reports instead.
    ///
    /// ## Why it matters
    /// The lookup cannot succeed, and whatever shows the string breaks.
    ///
    /// ## Example
    /// `Extension.LoadString("Buttontitle")` with `<data name="ButtonTitle">` in the resx.
    ///
    /// Use instead: `Extension.LoadString("ButtonTitle")`
    pub(crate) static MISSING_RESX_KEY = Rule {
        code: "PQ402",
        name: "missing-resx-key",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let Some(resources) = neutral_file(cx.model()) else {
        return;
    };
    let names: Vec<&str> = resources
        .resx
        .data
        .iter()
        .filter(|d| d.is_string)
        .filter_map(|d| d.name.as_deref())
        .collect();
    let defined: std::collections::HashSet<&str> = names.iter().copied().collect();
    let suggester = Suggester::new(names.iter().copied(), false);
    for reference in connector.strings() {
        let key = match &reference.key {
            Ok(key) => key,
            Err(computed) => {
                cx.report_review(
                    Finding::new(format!(
                        "could not be checked statically: the `Extension.LoadString` key is computed ({})",
                        computed.reason
                    ))
                    .primary(reference.file, reference.span),
                );
                continue;
            }
        };
        if defined.contains(key.as_str()) {
            continue;
        }
        let mut finding = Finding::new(format!(
            "resource string `{key}` is not in `resources.resx`"
        ))
        .primary(reference.file, reference.span);
        finding = match suggestion(key, &suggester) {
            Some(name) => {
                let finding =
                    finding.help(format!("did you mean `{name}`? keys are case-sensitive"));
                // Only a plain literal written at the reference can be rewritten exactly.
                let written = cx.model().sources.get(reference.file).slice(reference.span);
                if written == format!("\"{key}\"") {
                    let literal = format!("\"{}\"", name.replace('"', "\"\""));
                    finding.fix(
                        format!("Replace with `{literal}`"),
                        reference.file,
                        reference.span,
                        literal,
                    )
                } else {
                    finding
                }
            }
            None => finding.help(format!(
                "add a `<data name=\"{key}\">` string to `resources.resx`"
            )),
        };
        cx.report(finding);
    }
}

/// A defined key equal up to case, else the nearest within [`MAX_SUGGESTION_DISTANCE`].
fn suggestion<'n>(key: &str, names: &Suggester<'n>) -> Option<&'n str> {
    names
        .same_ignoring_case(key)
        .or_else(|| names.nearest(key, |_| MAX_SUGGESTION_DISTANCE))
}

#[cfg(test)]
mod tests {
    use super::MISSING_RESX_KEY;
    use crate::testing::{Fixture, RuleCase};

    const RESX: &[u8] = br#"<root><!-- <data name="Commented"><value>x</value></data> -->
<data name="ButtonTitle" xml:space="preserve"><value>Finch</value></data>
<data name="Logo" type="System.Drawing.Bitmap"><value>AAAA</value></data>
<data name="Greeting"><value>Hello</value></data>
</root>"#;

    fn strings(members: &str) -> Fixture {
        Fixture::finch()
            .members(members)
            .entry("resources.resx", RESX)
    }

    /// Defined keys pass, also through a helper called with literals; wrong case, typos,
    /// commented and typed entries fail; computed keys are info.
    #[test]
    fn missing_resx_key() {
        let cases = RuleCase::new(&MISSING_RESX_KEY)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                strings("A = Extension.LoadString(\"ButtonTitle\");\nS = (k) => Extension.LoadString(k);\nB = S(\"Greeting\");"),
            ])
            .fail([strings("A = Extension.LoadString(\"Buttontitle\");\nB = Extension.LoadString(\"Commented\");\nC = Extension.LoadString(\"Logo\");\nS = (k) => Extension.LoadString(k);\nD = S(\"Greting\");\nE = Extension.LoadString(Text.Upper(\"x\"));")]);
        insta::assert_snapshot!(cases.run());
    }
}
