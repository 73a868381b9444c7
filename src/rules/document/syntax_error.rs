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
    use crate::testing::{archive, listing, run_rule};

    /// A valid document passes; every independent error is reported; invalid UTF-8 and
    /// UTF-16 without a BOM are one finding each.
    #[test]
    fn syntax_error() {
        let pass = archive(
            "Wren.mez",
            &[(
                "Wren.pq",
                b"\xEF\xBB\xBFsection Wren;\r\nshared Wren.Contents = () => 1;",
            )],
        );
        assert_eq!(listing(&run_rule(&SYNTAX_ERROR, pass)), "");
        let broken = archive(
            "Wren.mez",
            &[(
                "Wren.pq",
                b"section Wren;\nA = let x = 1, in x;\nB = [a = 1,];\nC = if true then 1;\nD = 4;",
            )],
        );
        let utf8 = archive(
            "Wren.mez",
            &[("Wren.pq", b"section Wren;\nA = \"caf\xE9\";")],
        );
        let utf16: Vec<u8> = "section Wren; A = 1;"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let utf16 = archive("Wren.mez", &[("Wren.pq", &utf16)]);
        let output: String = [broken, utf8, utf16]
            .into_iter()
            .map(|p| listing(&run_rule(&SYNTAX_ERROR, p)))
            .collect();
        insta::assert_snapshot!(output);
    }
}
