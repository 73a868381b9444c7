//! M syntax: lexer, parser, typed AST and syntax errors for Power Query M documents.
//!
//! [`parse`] never fails and never panics: it returns the tree it could build and every
//! error found (capped at [`MAX_ERRORS`]). Depth is limited to [`MAX_NESTING`]. Shallow
//! documents are parsed on the caller's thread within [`INLINE_STACK_BUDGET`] bytes of
//! stack; one that needs more is parsed again on a scoped thread with
//! [`PARSE_STACK_BYTES`] of stack, so the limit is safe in debug builds, on test threads and
//! on rayon workers alike. nom is an implementation detail of this module and never appears
//! in its public items. It knows nothing about connectors.

pub mod ast;
pub mod dump;
mod error;
mod explain;
mod input;
mod lexer;
mod parser;
mod text;
mod token;

pub use ast::*;
pub use error::{MAX_ERRORS, SyntaxError, SyntaxErrorKind};
pub use lexer::{is_line_terminator, is_whitespace};
pub use token::MAX_INPUT_BYTES;

use crate::source::Span;
use error::ErrorSink;

/// Deepest nesting accepted (parentheses, lists, records, functions, `let`, `if`, `each`,
/// types, …). Real connectors nest a few dozen levels; 256 leaves room while keeping the
/// tree shallow enough for every recursive walk.
pub const MAX_NESTING: usize = 256;

/// Most members one section document may have; the rest is reported once and not analysed.
/// Real connectors have tens to hundreds; the limit keeps the tree of a 16 MiB file of
/// one-line members within bounded memory.
pub const MAX_SECTION_MEMBERS: usize = 65_536;

/// Most items one list, record, argument or parameter list may have; the rest is reported
/// once and skipped. The largest lists in real generated modules have a few thousand items.
pub const MAX_LIST_ITEMS: usize = 262_144;

/// Stack the parser may use on the caller's thread. Shallow documents (nearly all) parse
/// inline within this budget; a document that needs more is parsed again from the start on a
/// thread with [`PARSE_STACK_BYTES`] of stack. 256 KiB leaves most of a 2 MiB test thread or
/// rayon worker to the caller, and skips a thread start per file.
pub const INLINE_STACK_BUDGET: usize = 256 * 1024;

/// Stack of the parse thread used for deeply nested documents. Measured at 256 levels of
/// the costliest nesting (`[a = [a = …`): about 3.6 MiB in an unoptimised build (15 KiB per
/// level) and 0.8 MiB optimised; 64 MiB leaves a wide margin. Only touched pages are
/// committed, so the size costs no memory.
pub const PARSE_STACK_BYTES: usize = 64 * 1024 * 1024;

/// The result of parsing one document.
#[derive(Clone, Debug, PartialEq)]
pub struct Parse {
    pub document: Document,
    /// Lexical and syntax errors in source order.
    pub errors: Vec<SyntaxError>,
    /// Spans of `//` and `/* */` comments, in source order.
    pub comments: Vec<Span>,
}

/// A section document or an expression document.
#[derive(Clone, Debug, PartialEq)]
pub enum Document {
    Section(SectionDocument),
    /// An expression document; [`ExprKind::Missing`] when nothing could be parsed.
    Expression(Expr),
}

/// Parses `text` as a section document when it starts (after attributes) with `section`,
/// else as an expression document.
pub fn parse(text: &str) -> Parse {
    run(text, Mode::Detect)
}

/// Parses `text` as an expression document (a `.pqm` module); a section is an error.
pub fn parse_expression_document(text: &str) -> Parse {
    run(text, Mode::Expression)
}

#[derive(Clone, Copy)]
enum Mode {
    Detect,
    Expression,
}

fn run(text: &str, mode: Mode) -> Parse {
    let mut sink = ErrorSink::default();
    if text.len() > MAX_INPUT_BYTES {
        let message = format!(
            "input too large: {} bytes, the limit is {MAX_INPUT_BYTES}",
            text.len()
        );
        sink.push(SyntaxError::new(
            SyntaxErrorKind::Lexical,
            Span::empty(0),
            message,
        ));
        let document = Document::Expression(Expr::new(ExprKind::Missing, Span::empty(0)));
        return Parse {
            document,
            errors: sink.into_vec(),
            comments: Vec::new(),
        };
    }
    let lexed = lexer::lex(text, &mut sink);
    let tokens = lexed.tokens;
    let section = match mode {
        Mode::Detect => parser::is_section_document(text, &tokens),
        Mode::Expression => false,
    };
    let inline = parser::parse_tokens(
        text,
        &tokens,
        sink.clone(),
        section,
        Some(INLINE_STACK_BUDGET),
    );
    let (document, sink) = match inline {
        Some(done) => done,
        None => parse_on_big_stack(text, &tokens, sink, section),
    };
    let mut errors = sink.into_vec();
    errors.sort_by_key(|error| {
        (
            error.kind == SyntaxErrorKind::TooManyErrors,
            error.span.start,
            error.span.end,
        )
    });
    explain::explain(text, &tokens, &mut errors);
    drop(tokens);
    Parse {
        document,
        errors,
        comments: lexed.comments,
    }
}

/// Parses on a scoped thread with [`PARSE_STACK_BYTES`] of stack, where [`MAX_NESTING`] is
/// safe in any build.
fn parse_on_big_stack(
    text: &str,
    tokens: &[token::Token],
    sink: ErrorSink,
    section: bool,
) -> (Document, ErrorSink) {
    let fallback = sink.clone();
    let work = move || parser::parse_tokens(text, tokens, sink, section, None);
    let spawned = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("mezcheck-parse".to_owned())
            .stack_size(PARSE_STACK_BYTES)
            .spawn_scoped(scope, work)
            .ok()
            .map(|handle| handle.join())
    });
    match spawned {
        Some(Ok(Some(done))) => done,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        // No thread could be started: parse here, within a generous budget of this stack.
        _ => parser::parse_tokens(
            text,
            tokens,
            fallback.clone(),
            section,
            Some(4 * INLINE_STACK_BUDGET),
        )
        .unwrap_or_else(|| out_of_stack(fallback)),
    }
}

/// The result when no stack was available for a deeply nested document.
fn out_of_stack(mut sink: ErrorSink) -> (Document, ErrorSink) {
    let message = "nesting too deep: no stack available to parse this document";
    sink.push(SyntaxError::new(
        SyntaxErrorKind::TooDeep,
        Span::empty(0),
        message,
    ));
    (
        Document::Expression(Expr::new(ExprKind::Missing, Span::empty(0))),
        sink,
    )
}
