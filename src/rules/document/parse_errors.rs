//! Syntax errors and undecodable text of one M document as findings, shared by PQ100 (the
//! section document) and PQ113 (modules).

use crate::diagnostic::Finding;
use crate::model::MDocument;
use crate::rules::Context;
use crate::source::{DecodeProblem, Span};
use crate::syntax::SyntaxErrorKind;

/// Reports a document's decoding problem and syntax errors; `what` names the document kind.
pub(super) fn report_document_errors(
    cx: &mut Context<'_>,
    document: &MDocument,
    what: &str,
    extra: impl Fn(Finding) -> Finding,
) {
    let model = cx.model();
    if let Some(text) = model.text_of(document.entry)
        && let Some(problem) = &text.problem
    {
        let (span, message, help) = decode_message(problem);
        cx.report(extra(
            Finding::new(message)
                .primary(document.file, span)
                .help(help),
        ));
        if matches!(problem, DecodeProblem::Nul { .. }) {
            return;
        }
    }
    for error in &document.parse.errors {
        let help = match error.kind {
            SyntaxErrorKind::TooLarge => {
                Some("split it into smaller parts, or generate it at run time")
            }
            SyntaxErrorKind::TooDeep => {
                Some("split the expression into named steps; nesting is limited to 256 levels")
            }
            SyntaxErrorKind::TooManyErrors => {
                Some("fix the errors above first; later ones are not reported")
            }
            SyntaxErrorKind::Lexical | SyntaxErrorKind::Syntax => error.help.as_deref(),
        };
        let mut finding = Finding::new(format!("{what}: {}", error.message)).primary_label(
            document.file,
            error.span,
            &error.label,
        );
        if let Some((span, label)) = &error.related {
            finding = finding.secondary(document.file, *span, label);
        }
        if let Some(help) = help {
            finding = finding.help(help);
        } else if !error.expected.is_empty()
            && error.expected.len() <= 6
            && !error.message.contains("expected")
        {
            finding = finding.help(format!("expected {}", error.expected.join(", ")));
        }
        cx.report(extra(finding));
    }
}

fn decode_message(problem: &DecodeProblem) -> (Span, String, &'static str) {
    match problem {
        DecodeProblem::InvalidUtf8 { offset } => (
            Span::new(*offset, offset + 1),
            "file is not valid UTF-8".to_owned(),
            "save the file as UTF-8 (with or without a byte order mark)",
        ),
        DecodeProblem::Nul {
            offset,
            looks_like_utf16: true,
        } => (
            Span::new(*offset, offset + 1),
            "file looks like UTF-16 without a byte order mark".to_owned(),
            "save the file as UTF-8",
        ),
        DecodeProblem::Nul {
            offset,
            looks_like_utf16: false,
        } => (
            Span::new(*offset, offset + 1),
            "file contains a NUL byte: it is binary, not M source".to_owned(),
            "save the file as UTF-8 text",
        ),
        DecodeProblem::InvalidUtf16 => (
            Span::empty(0),
            "file has a UTF-16 byte order mark but is not valid UTF-16".to_owned(),
            "save the file as UTF-8",
        ),
    }
}
