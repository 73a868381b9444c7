//! Syntax errors as data: a span, a kind, a user-facing message and what was expected.
//!
//! Both the lexer and the parser write into one capped [`ErrorSink`], so a file of binary
//! junk yields at most [`MAX_ERRORS`] errors plus one "too many errors" entry. Rendering
//! (line, column, snippets) is left to the output layer.

use crate::source::Span;

/// Most errors reported for one document; past it one [`SyntaxErrorKind::TooManyErrors`]
/// error is added and parsing stops. A hundred independent errors is already far more than a
/// person fixes in one pass, and the cap bounds output for random binary input.
pub const MAX_ERRORS: usize = 100;

/// What class of problem a [`SyntaxError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SyntaxErrorKind {
    /// A malformed token: bad character, unterminated literal or comment, bad escape.
    Lexical,
    /// Tokens that do not fit the grammar.
    Syntax,
    /// Nesting deeper than [`super::MAX_NESTING`].
    TooDeep,
    /// More section members than [`super::MAX_SECTION_MEMBERS`], or more items in one list,
    /// record or argument list than [`super::MAX_LIST_ITEMS`]; the rest is not analysed.
    TooLarge,
    /// The error cap was reached; later errors are not reported.
    TooManyErrors,
}

/// One lexical or syntax error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub kind: SyntaxErrorKind,
    /// Lowercase, no trailing period, tokens in backticks: "expected `in`, found `,`".
    pub message: String,
    /// What would have been accepted at `span`, each item as shown in the message.
    pub expected: Vec<String>,
    /// A short text for under the primary span ("expected `)`").
    pub label: String,
    /// A likely fix, when one is known ("a `,` may be missing at the end of line 4").
    pub help: Option<String>,
    /// Another place that explains the error, such as the bracket that is never closed.
    pub related: Option<(Span, String)>,
}

impl SyntaxError {
    pub fn new(kind: SyntaxErrorKind, span: Span, message: impl Into<String>) -> Self {
        SyntaxError {
            span,
            kind,
            message: message.into(),
            expected: Vec::new(),
            label: String::new(),
            help: None,
            related: None,
        }
    }
}

/// The capped error list shared by the lexer and the parser.
#[derive(Clone, Debug, Default)]
pub(crate) struct ErrorSink {
    errors: Vec<SyntaxError>,
    full: bool,
}

impl ErrorSink {
    /// Records `error` unless the cap is reached; returns `false` once the sink is full.
    pub fn push(&mut self, error: SyntaxError) -> bool {
        if self.full {
            return false;
        }
        if self.errors.len() >= MAX_ERRORS {
            let message = format!("too many errors: stopped after {MAX_ERRORS}");
            self.errors.push(SyntaxError::new(
                SyntaxErrorKind::TooManyErrors,
                error.span,
                message,
            ));
            self.full = true;
            return false;
        }
        self.errors.push(error);
        true
    }

    pub fn is_full(&self) -> bool {
        self.full
    }

    pub fn into_vec(self) -> Vec<SyntaxError> {
        self.errors
    }
}
