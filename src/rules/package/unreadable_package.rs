//! PQ001: the input is not a readable package.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::package::Fact;
use crate::rules::{Context, Needs, Priority};

declare_rule! {
    /// ## What it checks
    /// The input is not a readable ZIP archive, or an entry cannot be extracted.
    ///
    /// A `.mez` or `.pqx` that is not a readable ZIP archive: no end-of-central-directory record,
    /// a corrupt central directory, an entry that cannot be inflated or fails its CRC check, or
    /// an input file that cannot be read. One finding per input, plus one per corrupt entry; no
    /// content rule runs on an unreadable package (the file-name rules still do).
    ///
    /// ## Why it matters
    /// A `.mez` is a ZIP archive. Power BI Desktop cannot load one it cannot unzip, and a
    /// truncated upload fails certification before anyone reads the connector.
    ///
    /// ## Example
    /// A `Contoso.mez` that was copied while the build was still writing it ends in the middle
    /// of an entry and has no central directory.
    ///
    /// Use instead: rebuild the package (`MakePQX compile` or the SDK build) and check that
    /// `unzip -t Contoso.mez` reports no errors.
    pub(crate) static UNREADABLE_PACKAGE = Rule {
        code: "PQ001",
        name: "unreadable-package",
        default_severity: Severity::Error,
        priority: Priority::P1,
        needs: Needs::Input,
    };
}

fn check(cx: &mut Context<'_>) {
    let facts = &cx.model().package.facts;
    if let Some(Fact::Unreadable { reason }) =
        facts.iter().find(|f| matches!(f, Fact::Unreadable { .. }))
    {
        cx.report(
            Finding::new(format!("package cannot be read: {reason}"))
                .help("rebuild the package; a `.mez` must be a complete ZIP archive"),
        );
    }
    for fact in facts {
        if let Fact::CorruptEntry { name, reason } = fact {
            cx.report(
                Finding::new(format!("entry `{name}` cannot be extracted: {reason}"))
                    .entry(name.clone())
                    .help("rebuild the package; the archive is corrupt"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UNREADABLE_PACKAGE;
    use crate::testing::{Fixture, RuleCase, zip_bytes};

    /// Random bytes, a truncated archive and a flipped data byte are each reported; a good
    /// archive is not.
    #[test]
    fn unreadable_package() {
        let good = zip_bytes(&[("A.pq", b"section A; shared A.x = 1;".repeat(20).as_slice())]);
        let mut flipped = good.clone();
        flipped[40] ^= 0x55;
        let cases = RuleCase::new(&UNREADABLE_PACKAGE)
            .pass([Fixture::finch(), Fixture::bytes("A.mez", &good)])
            .fail([
                Fixture::bytes("Random.mez", b"\x00\x01 definitely not a zip"),
                Fixture::bytes("Truncated.mez", &good[..good.len() / 2]),
                Fixture::bytes("Corrupt.mez", &flipped),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
