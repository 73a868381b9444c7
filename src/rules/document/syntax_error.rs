//! PQ100: the section document does not parse.
use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::model::Role;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// The section document does not parse as M.
    ///
    /// The section document, or a bare `.pq`/`.m`/`.query.pq` file, does not lex or parse as
    /// M: every lexical and syntax error is reported at its position after recovery (per
    /// section member and per list, record and argument item), up to 100 per file; invalid
    /// UTF-8 is reported at the first bad byte; nesting deeper than 256 levels is an error.
    ///
    /// ## Why it matters
    /// The engine cannot load a connector whose section document does not parse, and Power BI
    /// shows no more than a generic load failure.
    ///
    /// ## Example
    /// `shared Kestrel.Contents = (url as text) => let source = Web.Contents(url), in source;`
    /// (a trailing comma before `in`).
    ///
    /// Use instead: `… let source = Web.Contents(url) in source;`
    pub(crate) static SYNTAX_ERROR = Rule {
        code: "PQ100",
        name: "syntax-error",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let model = cx.model();
    for document in model
        .documents
        .iter()
        .filter(|d| matches!(d.role, Role::SectionDocument | Role::TestQuery))
    {
        super::parse_errors::report_document_errors(cx, document, "syntax error", |f| f);
    }
}

#[cfg(test)]
mod tests {
    use super::SYNTAX_ERROR;
    use crate::testing::{Fixture, RuleCase, fixture::FINCH};

    /// A valid document passes, also with a BOM and CRLF line ends; every independent error is
    /// reported; invalid UTF-8 and UTF-16 without a BOM are one finding each.
    #[test]
    fn syntax_error() {
        let invalid_utf8 = [FINCH.as_bytes(), b"A = \"caf\xE9\";\n"].concat();
        let utf16: Vec<u8> = FINCH.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let cases = RuleCase::new(&SYNTAX_ERROR)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::section(&format!("\u{feff}{}", FINCH.replace('\n', "\r\n"))),
            ])
            .fail([
                Fixture::finch()
                    .members("A = let x = 1, in x;\nB = [a = 1,];\nC = if true then 1;\nD = 4;"),
                Fixture::finch().entry("Finch.pq", &invalid_utf8),
                Fixture::finch().entry("Finch.pq", &utf16),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
