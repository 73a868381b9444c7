//! PQ099: a suppression comment suppresses nothing or names an unknown code.

use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A `mezcheck: ignore[…]` or `file-ignore[…]` comment suppresses nothing or names an unknown code.
    ///
    /// `// mezcheck: ignore[PQ705] -- reason` suppresses the listed rules (codes or names,
    /// separated by commas) on the next line; `// mezcheck: file-ignore[PQ703] -- reason` in
    /// the whole file. Each listed code that suppressed no finding is reported, and so is an
    /// unknown code, a comment starting with `mezcheck:` that is not a valid suppression, and a
    /// suppression of PQ099 itself (stale suppressions are removed, not suppressed). A code
    /// whose rule did not run (not selected, or off) is not reported.
    ///
    /// ## Why it matters
    /// A stale suppression hides the next real problem on that line or in that file.
    ///
    /// ## Example
    /// `// mezcheck: ignore[PQ705] -- tracing is off` above a line that no longer has a
    /// tracing flag.
    ///
    /// Use instead: remove the comment, or keep only the codes that still apply.
    pub(crate) static UNUSED_SUPPRESSION = Rule {
        code: "PQ099",
        name: "unused-suppression",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

/// PQ099 reports after the other rules ran: see
/// [`crate::rules::suppression::Suppressions::finish`].
fn check(_: &mut Context<'_>) {}

#[cfg(test)]
mod tests {
    use super::UNUSED_SUPPRESSION;
    use crate::testing::{Fixture, RuleCase};

    /// Suppressions of rules that did not run are not called unused, and comments that only
    /// mention mezcheck are not suppressions; unknown codes, PQ099 itself and a comment that is
    /// not a valid suppression fail. (A code that suppressed nothing is reported only when its
    /// rule runs too: `rules::suppression::tests::stale_codes`.)
    #[test]
    fn unused_suppression() {
        let cases = RuleCase::new(&UNUSED_SUPPRESSION)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().members("// mezcheck: ignore[PQ115]\nA = 1;"),
                Fixture::finch().members("// mezcheck: file-ignore[PQ115, tracing-enabled] -- legacy\n// a comment about mezcheck\nA = 1;"),
            ])
            .fail([
                Fixture::finch().members("// mezcheck: ignore[PQ999, PQ099]\nC = 1;"),
                Fixture::finch().members("// mezcheck: ignore everything\nD = 1;"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
