//! The recursive-descent parser over the token slice, built from nom parsers.
//!
//! Conventions: one function per grammar production, marked `/// grammar: <name>` (checked
//! against `grammar/m.ebnf` by `tests/grammar.rs`); every function takes the shared context
//! `cx`, the remaining input and, when it can recurse, the current [`Depth`]. Ambiguities are
//! settled by constant-time look-ahead over paired brackets, never by re-parsing, so each
//! token is examined a bounded number of times. Recovery points (section members, list,
//! record and argument items) record an error and skip to a synchronising token; everything
//! else propagates errors upward.

mod expr;
mod primary;
mod section;
mod types;

use std::cell::{Cell, RefCell};

use nom::Err;

use super::ast::{Expr, ExprKind, Ident, Name};
use super::error::{ErrorSink, SyntaxError, SyntaxErrorKind};
use super::input::{Expected, Input, PError, PErrorKind, PResult, advance, peek};
use super::lexer::clip;
use super::text;
use super::token::{Token, TokenKind};
use super::{Document, MAX_LIST_ITEMS, MAX_NESTING};
use crate::source::Span;

pub(crate) use section::looks_like_section;

/// Shared, read-mostly state of one parse.
pub(crate) struct ParseState<'a> {
    text: &'a str,
    tokens: &'a [Token],
    sink: RefCell<ErrorSink>,
    /// Stack address at the start and bytes of stack the parse may use, when inline.
    stack_budget: Option<(usize, usize)>,
    /// Set when the stack budget ran out: everything stops and the parse is redone.
    out_of_stack: Cell<bool>,
}

/// Current nesting depth, checked against [`MAX_NESTING`] by every recursive production.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Depth(usize);

impl Depth {
    pub const TOP: Depth = Depth(0);

    /// One level deeper, or a `TooDeep` failure at `input`; or, when parsing inline on the
    /// caller's stack, a `StackBudget` failure once the budget is spent.
    pub fn nest<'a>(self, cx: &ParseState<'a>, input: Input<'a>) -> Result<Depth, Err<PError>> {
        if self.0 >= MAX_NESTING {
            return Err(Err::Failure(PError::at(
                input,
                PErrorKind::TooDeep,
                Expected::NONE,
            )));
        }
        if let Some((base, budget)) = cx.stack_budget
            && base.abs_diff(stack_address()) > budget
        {
            cx.out_of_stack.set(true);
            return Err(Err::Failure(PError::at(
                input,
                PErrorKind::StackBudget,
                Expected::NONE,
            )));
        }
        Ok(Depth(self.0 + 1))
    }
}

/// The address of a local variable: how far the stack has grown is the distance between two
/// such addresses (stacks grow contiguously on every supported platform).
#[inline(never)]
pub(crate) fn stack_address() -> usize {
    let marker = 0u8;
    std::ptr::from_ref(std::hint::black_box(&marker)) as usize
}

/// grammar: document
///
/// Parses `tokens` as a document: a section document when `section` is `true`. With a
/// `stack_budget` (bytes of the caller's stack the parse may use) it returns `None` when the
/// budget would be exceeded, and the caller retries on a thread with a big stack.
pub(crate) fn parse_tokens(
    text: &str,
    tokens: &[Token],
    sink: ErrorSink,
    section: bool,
    stack_budget: Option<usize>,
) -> Option<(Document, ErrorSink)> {
    let cx = ParseState {
        text,
        tokens,
        sink: RefCell::new(sink),
        stack_budget: stack_budget.map(|budget| (stack_address(), budget)),
        out_of_stack: Cell::new(false),
    };
    let document = if section {
        Document::Section(section::section_document(&cx, tokens))
    } else {
        Document::Expression(expr::expression_document(&cx, tokens))
    };
    (!cx.out_of_stack.get()).then(|| (document, cx.sink.into_inner()))
}

impl<'a> ParseState<'a> {
    /// Index of the next token of `input` in the whole token vector.
    pub fn index(&self, input: Input<'a>) -> usize {
        self.tokens.len().saturating_sub(input.len())
    }

    /// The remaining input starting at token `index`.
    pub fn at(&self, index: usize) -> Input<'a> {
        self.tokens.get(index..).unwrap_or_default()
    }

    pub fn source(&self, span: Span) -> &'a str {
        self.text.get(span.range()).unwrap_or_default()
    }

    pub fn token_text(&self, token: &Token) -> &'a str {
        self.source(token.span())
    }

    /// Is the next token the identifier spelled `word` (a contextual keyword)?
    pub fn at_word(&self, input: Input<'a>, word: &str) -> bool {
        input
            .first()
            .is_some_and(|token| token.kind() == TokenKind::Ident && self.token_text(token) == word)
    }

    /// The span from the first token of `start` to the last token consumed before `rest`.
    pub fn span(&self, start: Input<'a>, rest: Input<'a>) -> Span {
        let from = start
            .first()
            .map_or_else(|| self.end_before(rest), |token| token.span().start);
        Span::new(from, self.end_before(rest).max(from))
    }

    /// The end of the token before `rest` (where a missing token would go).
    pub fn end_before(&self, rest: Input<'a>) -> u32 {
        let index = self.index(rest);
        index
            .checked_sub(1)
            .and_then(|prev| self.tokens.get(prev))
            .map_or(0, |token| token.span().end)
    }

    /// An identifier from an `Ident` or `QuotedIdent` token.
    pub fn ident(&self, token: &Token) -> Ident {
        let span = token.span();
        let raw = self.token_text(token);
        if token.kind() == TokenKind::QuotedIdent {
            let inner = raw.get(2..raw.len().saturating_sub(1)).unwrap_or_default();
            Ident {
                name: text::decode_name(inner),
                quoted: true,
                span,
            }
        } else {
            Ident {
                name: Name::new(raw),
                quoted: false,
                span,
            }
        }
    }

    /// Records `error` (unless already recorded). Returns the error to propagate: the same
    /// one marked `Reported`, or `Abort` once the cap is reached.
    pub fn report(&self, error: PError) -> PError {
        let reported = PError {
            kind: PErrorKind::Reported,
            ..error
        };
        if matches!(
            error.kind,
            PErrorKind::Reported | PErrorKind::Abort | PErrorKind::StackBudget
        ) {
            return error;
        }
        if self.at_lexical_error(error) {
            return reported;
        }
        let syntax_error = self.to_syntax_error(error);
        if self.sink.borrow_mut().push(syntax_error) {
            reported
        } else {
            PError {
                kind: PErrorKind::Abort,
                ..error
            }
        }
    }

    /// Records an error with a computed message; returns what to propagate.
    pub fn report_message(
        &self,
        kind: SyntaxErrorKind,
        span: Span,
        message: String,
        at: Input<'a>,
    ) -> PError {
        let pushed = self
            .sink
            .borrow_mut()
            .push(SyntaxError::new(kind, span, message));
        let kind = if pushed {
            PErrorKind::Reported
        } else {
            PErrorKind::Abort
        };
        PError::at(at, kind, Expected::NONE)
    }

    /// Should parsing stop (error cap reached or stack budget spent)?
    pub fn is_full(&self) -> bool {
        self.sink.borrow().is_full() || self.out_of_stack.get()
    }

    /// Is the error at a token the lexer already reported (an invalid token, or the end of
    /// input right after an unterminated literal)? One mistake, one error.
    fn at_lexical_error(&self, error: PError) -> bool {
        let index = self.tokens.len().saturating_sub(error.remaining as usize);
        let token = match self.tokens.get(index) {
            Some(token) => Some(token),
            None => index.checked_sub(1).and_then(|last| self.tokens.get(last)),
        };
        token.is_some_and(|token| token.kind() == TokenKind::Invalid)
    }

    fn to_syntax_error(&self, error: PError) -> SyntaxError {
        let index = self.tokens.len().saturating_sub(error.remaining as usize);
        let rest = self.at(index);
        let (span, found) = match rest.first() {
            Some(token) => (token.span(), self.describe(token)),
            None => (
                Span::empty(self.end_before(rest)),
                "end of input".to_owned(),
            ),
        };
        let expected = error.expected.names();
        let message = match error.kind {
            PErrorKind::Message(message) => message.to_owned(),
            PErrorKind::TooDeep => format!("nesting too deep: more than {MAX_NESTING} levels"),
            _ if expected.is_empty() => format!("unexpected {found}"),
            _ => format!("expected {}, found {found}", join_expected(&expected)),
        };
        let kind = if error.kind == PErrorKind::TooDeep {
            SyntaxErrorKind::TooDeep
        } else {
            SyntaxErrorKind::Syntax
        };
        SyntaxError {
            span,
            kind,
            message,
            expected,
            label: String::new(),
            help: None,
            related: None,
        }
    }

    /// How a message names a token: its text in backticks, clipped.
    pub fn describe(&self, token: &Token) -> String {
        match token.kind() {
            TokenKind::Text => "text literal".to_owned(),
            TokenKind::Verbatim => "verbatim literal".to_owned(),
            TokenKind::Invalid => "invalid token".to_owned(),
            _ => format!("`{}`", clip(self.token_text(token))),
        }
    }
}

pub(crate) fn join_expected(expected: &[String]) -> String {
    match expected {
        [one] => one.clone(),
        [first, second] => format!("{first} or {second}"),
        _ => format!("one of {}", expected.join(", ")),
    }
}

/// A placeholder expression for something that failed to parse.
pub(crate) fn missing(span: Span) -> Expr {
    Expr::new(ExprKind::Missing, span)
}

/// Skips the rest of a broken list, record or argument item: from the item's start, up to
/// the next `,` or `;` or close bracket at this level that is not before the error at token
/// index `error_at`, jumping over paired brackets (so a bracket inside the item never ends it).
pub(crate) fn skip_item<'a>(
    cx: &ParseState<'a>,
    mut input: Input<'a>,
    error_at: usize,
) -> Input<'a> {
    while let Some(token) = input.first() {
        let past_error = cx.index(input) >= error_at;
        match token.kind() {
            TokenKind::Comma | TokenKind::Semicolon if past_error => break,
            kind if kind.is_close_bracket() && past_error => break,
            _ => input = jump(cx, input, token),
        }
    }
    input
}

/// Skips to the start of the next section member: from the member's start, just past a `;`
/// at bracket depth zero or up to a `shared`, not before the error at token index
/// `error_at`. Always makes progress when input remains.
pub(crate) fn skip_member<'a>(cx: &ParseState<'a>, start: Input<'a>, error_at: usize) -> Input<'a> {
    let mut input = start;
    while let Some(token) = input.first() {
        let past_error = cx.index(input) >= error_at;
        match token.kind() {
            TokenKind::Semicolon if past_error => return advance(input, 1),
            TokenKind::Shared if past_error && input.len() < start.len() => return input,
            _ => input = jump(cx, input, token),
        }
    }
    input
}

/// Token index of an error.
pub(crate) fn error_index(cx: &ParseState<'_>, error: PError) -> usize {
    cx.tokens.len().saturating_sub(error.remaining as usize)
}

/// Past `token` (the first of `input`), or past its partner for a paired open bracket.
fn jump<'a>(cx: &ParseState<'a>, input: Input<'a>, token: &Token) -> Input<'a> {
    match token.partner() {
        Some(partner) if token.kind().is_open_bracket() && partner > cx.index(input) => {
            cx.at(partner + 1)
        }
        _ => advance(input, 1),
    }
}

/// What a comma-separated, bracketed list is called in messages.
#[derive(Clone, Copy)]
pub(crate) enum ListKind {
    List,
    Record,
    Arguments,
    Parameters,
    Projection,
}

impl ListKind {
    fn trailing_comma(self) -> &'static str {
        match self {
            ListKind::List => "trailing comma is not allowed in a list",
            ListKind::Record => "trailing comma is not allowed in a record",
            ListKind::Arguments => "trailing comma is not allowed in an argument list",
            ListKind::Parameters => "trailing comma is not allowed in a parameter list",
            ListKind::Projection => "trailing comma is not allowed in a projection",
        }
    }
}

/// `item (',' item)*` up to `close`, with the opening bracket already consumed. A broken
/// item is reported and skipped, so one run reports every independent error. Returns the
/// items and the input after `close`.
pub(crate) fn comma_list<'a, T>(
    cx: &ParseState<'a>,
    mut input: Input<'a>,
    close: TokenKind,
    list_kind: ListKind,
    mut item: impl FnMut(Input<'a>) -> PResult<'a, T>,
) -> PResult<'a, Vec<T>> {
    if let Some(rest) = eat_close(input, close) {
        return Ok((rest, Vec::new()));
    }
    let open = cx.index(input).checked_sub(1);
    let mut items = Vec::with_capacity(count_items(cx, input).min(MAX_LIST_ITEMS));
    loop {
        if items.len() == MAX_LIST_ITEMS {
            return too_many_items(cx, input, open, items);
        }
        let (after, item_failed) = list_item(cx, input, &mut item, &mut items)?;
        input = after;
        match peek(input) {
            Some(TokenKind::Comma) => {
                let comma = input;
                input = advance(input, 1);
                if let Some(rest) = eat_close(input, close) {
                    let message = PErrorKind::Message(list_kind.trailing_comma());
                    let error = cx.report(PError::at(comma, message, Expected::NONE));
                    if error.kind == PErrorKind::Abort {
                        return Err(Err::Failure(error));
                    }
                    return Ok((rest, items));
                }
            }
            Some(kind) if kind == close => {
                items.shrink_to_fit();
                return Ok((advance(input, 1), items));
            }
            // The broken item was reported; the list's own error would repeat it.
            _ if item_failed => {
                return Err(Err::Failure(PError::at(
                    input,
                    PErrorKind::Reported,
                    Expected::NONE,
                )));
            }
            _ => return Err(Err::Failure(cx.report(missing_separator(input, close)))),
        }
    }
}

/// Reports a list past [`MAX_LIST_ITEMS`] once and resumes after its closing bracket, keeping
/// the items read so far.
fn too_many_items<'a, T>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    open: Option<usize>,
    items: Vec<T>,
) -> PResult<'a, Vec<T>> {
    let message = format!("too many items in one list: more than {MAX_LIST_ITEMS}");
    let span = input
        .first()
        .map_or(Span::empty(cx.end_before(input)), |t| t.span());
    let error = cx.report_message(SyntaxErrorKind::TooLarge, span, message, input);
    let close = open
        .and_then(|index| cx.tokens.get(index))
        .and_then(Token::partner);
    match close {
        Some(close) if error.kind != PErrorKind::Abort => Ok((advance(cx.at(close), 1), items)),
        _ => Err(Err::Failure(error)),
    }
}

/// One list item: pushed when it parses; a recoverable error is reported and the item
/// skipped. Returns the input after the item and whether it failed.
fn list_item<'a, T>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    item: &mut impl FnMut(Input<'a>) -> PResult<'a, T>,
    items: &mut Vec<T>,
) -> Result<(Input<'a>, bool), Err<PError>> {
    match item(input) {
        Ok((rest, value)) => {
            items.push(value);
            Ok((rest, false))
        }
        Err(Err::Error(error) | Err::Failure(error)) if error.is_recoverable() => {
            let error = cx.report(error);
            if error.kind == PErrorKind::Abort {
                return Err(Err::Failure(error));
            }
            Ok((skip_item(cx, input, error_index(cx, error)), true))
        }
        Err(other) => Err(other),
    }
}

/// How many items the list starting at `input` (just after its open bracket) holds, from the
/// commas at its level: exact for valid lists, so items are allocated once. Only a paired
/// open bracket is scanned, and nested paired brackets are jumped over, so all lists
/// together scan each token once.
fn count_items<'a>(cx: &ParseState<'a>, mut input: Input<'a>) -> usize {
    let open = cx
        .index(input)
        .checked_sub(1)
        .and_then(|index| cx.tokens.get(index));
    if open.and_then(Token::partner).is_none() {
        return 4;
    }
    let mut count = 1;
    while let Some(token) = input.first() {
        match token.kind() {
            TokenKind::Comma => count += 1,
            TokenKind::Semicolon => break,
            kind if kind.is_close_bracket() => break,
            _ => {}
        }
        input = jump(cx, input, token);
    }
    count
}

fn eat_close(input: Input<'_>, close: TokenKind) -> Option<Input<'_>> {
    (peek(input) == Some(close)).then(|| advance(input, 1))
}

fn missing_separator(input: Input<'_>, close: TokenKind) -> PError {
    PError::at(
        input,
        PErrorKind::Expected,
        Expected::token(TokenKind::Comma).with(close),
    )
}

/// Does the token stream start (after attributes) with `section`?
pub(crate) fn is_section_document(text: &str, tokens: &[Token]) -> bool {
    let cx = ParseState {
        text,
        tokens,
        sink: RefCell::new(ErrorSink::default()),
        stack_budget: None,
        out_of_stack: Cell::new(false),
    };
    looks_like_section(&cx, tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"let f = (x as number, optional y) as nullable number => x, r = [a = {1..2}, b = f(1)[c]?{0}?],
        t = type function (p as [q = table R, optional s, ...]) as {text} meta [d = 1],
        u = try #date(1, 2, 3) catch (e) => error e, v = if a ?? b then each [c] else @g(S!m), w = - not x is text
        in t"#;

    /// nom's `Incomplete` never escapes a parser: every prefix of a token stream gives a
    /// result or an ordinary error (all parsers run in complete mode).
    #[test]
    fn incomplete_never_escapes() {
        let mut sink = ErrorSink::default();
        let tokens = crate::syntax::lexer::lex(SAMPLE, &mut sink).tokens;
        for end in 0..=tokens.len() {
            let prefix = &tokens[..end];
            let cx = ParseState {
                text: SAMPLE,
                tokens: prefix,
                sink: RefCell::new(ErrorSink::default()),
                stack_budget: None,
                out_of_stack: Cell::new(false),
            };
            let result = expr::expression(&cx, prefix, Depth::TOP);
            assert!(
                !matches!(result, Err(Err::Incomplete(_))),
                "Incomplete at {end} tokens"
            );
        }
    }
}
