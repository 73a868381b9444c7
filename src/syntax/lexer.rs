//! The M lexer: source text to a token vector, in one pass, with comments as trivia.
//!
//! It handles every M line terminator (CR, LF, CRLF, NEL, LS, PS), Unicode `Zs` blanks, a
//! leading byte order mark, a final Ctrl-Z, dotted identifiers as single tokens and the
//! `..`/`...` versus number ambiguity (`{1..5}`). A malformed token becomes an
//! [`TokenKind::Invalid`] token plus one error, so the parser can carry on. Brackets are paired
//! here, once, so the parser's look-ahead over `( ... )` and recovery skips are constant time.
//! It does not decode text escapes (the parser does, after the lexer has validated them).

use nom::bytes::complete::{tag_no_case, take_until};
use nom::character::complete::{char as nom_char, digit1, hex_digit1, one_of};
use nom::combinator::{opt, recognize};
use nom::{IResult, Parser};

use super::error::{ErrorSink, SyntaxError, SyntaxErrorKind};
use super::text;
use super::token::{Token, TokenKind};
use crate::source::Span;

/// Tokens and comment spans of one source text.
#[derive(Debug, Default)]
pub(crate) struct Lexed {
    pub tokens: Vec<Token>,
    pub comments: Vec<Span>,
}

/// Splits `text` into tokens, recording lexical errors in `sink`.
pub(crate) fn lex(text: &str, sink: &mut ErrorSink) -> Lexed {
    let end = text.strip_suffix('\u{1A}').map_or(text.len(), str::len);
    let mut lexer = Lexer {
        text: text.get(..end).unwrap_or_default(),
        pos: 0,
        out: Lexed {
            // A small first guess: `reserve_for_rest` sizes the vector once the density is known.
            tokens: Vec::with_capacity(end / 16 + 16),
            comments: Vec::new(),
        },
        sink,
        brackets: BracketPairer::default(),
    };
    if lexer.text.starts_with('\u{FEFF}') {
        lexer.pos = '\u{FEFF}'.len_utf8();
    }
    lexer.run();
    lexer.out
}

/// Is `c` an M line terminator (CR, LF, NEL, LS, PS)?
pub fn is_line_terminator(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Is `c` M whitespace: a `Zs` blank, TAB, VT, FF or a line terminator?
pub fn is_whitespace(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{B}' | '\u{C}' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    ) || is_line_terminator(c)
}

/// Identifier start: letters (`char::is_alphabetic`, which covers `Lu Ll Lt Lm Lo Nl` plus a
/// few combining marks) or `_`.
pub fn is_identifier_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

/// Identifier part. Approximation of `Nd Pc Mn Mc Cf` by `char::is_alphanumeric` (which also
/// admits `No` digits such as `²`) plus `_`, ZWNJ and ZWJ; exact classes would need a Unicode
/// table crate and real connectors use ASCII names.
pub fn is_identifier_part(c: char) -> bool {
    c == '_' || c.is_alphanumeric() || c == '\u{200C}' || c == '\u{200D}'
}

struct Lexer<'t, 's> {
    text: &'t str,
    pos: usize,
    out: Lexed,
    sink: &'s mut ErrorSink,
    brackets: BracketPairer,
}

impl Lexer<'_, '_> {
    fn run(&mut self) {
        let bytes = self.text.as_bytes();
        loop {
            // ASCII blanks and line breaks, the bulk of all whitespace, without decoding.
            let blanks = bytes
                .get(self.pos..)
                .unwrap_or_default()
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0B' | b'\x0C'))
                .count();
            self.pos += blanks;
            let Some(c) = self.rest().chars().next() else {
                break;
            };
            if is_whitespace(c) {
                self.pos += c.len_utf8();
                continue;
            }
            let start = self.pos;
            if let Some(kind) = self.token(c) {
                self.push(kind, start);
            }
        }
    }

    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        let index = self.out.tokens.len();
        let mut token = Token::new(kind, Span::from_range(start..self.pos));
        if kind.is_open_bracket() {
            self.brackets.open(kind, index);
        } else if kind.is_close_bracket()
            && let Some(open) = self.brackets.close(kind)
        {
            token.set_partner(open);
            if let Some(open_token) = self.out.tokens.get_mut(open) {
                open_token.set_partner(index);
            }
        }
        self.reserve_for_rest();
        self.out.tokens.push(token);
    }

    /// Grows the token vector to the count the text read so far predicts for the whole text,
    /// plus an eighth. Doubling instead would leave up to half the vector unused and, while it
    /// copies, hold the old and the new vector at once: three times the tokens' size at peak on
    /// a large, dense file.
    fn reserve_for_rest(&mut self) {
        let tokens = &mut self.out.tokens;
        if tokens.len() < tokens.capacity() {
            return;
        }
        let predicted = tokens
            .len()
            .saturating_mul(self.text.len())
            .checked_div(self.pos.max(1))
            .unwrap_or(0);
        let wanted = predicted.saturating_add(predicted / 8).saturating_add(64);
        // Never more tokens than bytes left, never less than room for this one.
        let bound = tokens.len() + self.text.len().saturating_sub(self.pos) + 1;
        tokens.reserve_exact(wanted.min(bound).saturating_sub(tokens.len()).max(1));
    }

    fn error(&mut self, start: usize, message: String) {
        let span = Span::from_range(start..self.pos);
        self.sink
            .push(SyntaxError::new(SyntaxErrorKind::Lexical, span, message));
    }

    /// Lexes one token starting with `c`, or a comment (returning `None`).
    fn token(&mut self, c: char) -> Option<TokenKind> {
        let start = self.pos;
        let rest = self.rest();
        let bytes = rest.as_bytes();
        let next = bytes.get(1).copied();
        if c.is_ascii_digit() || (c == '.' && next.is_some_and(|b| b.is_ascii_digit())) {
            let len = number(rest).map_or(1, |(after, _)| rest.len() - after.len());
            self.pos += len;
            return Some(TokenKind::Number);
        }
        if is_identifier_start(c) {
            return Some(self.identifier());
        }
        match c {
            '/' if next == Some(b'/') => self.line_comment(),
            '/' if next == Some(b'*') => self.block_comment(),
            '"' => Some(self.text_literal(start + 1, TokenKind::Text, "text literal")),
            '#' => Some(self.hash(next)),
            _ => match punctuator(bytes) {
                Some((kind, len)) => {
                    self.pos += len;
                    Some(kind)
                }
                None => Some(self.unexpected()),
            },
        }
    }

    fn identifier(&mut self) -> TokenKind {
        let start = self.pos;
        self.pos += identifier_len(self.rest());
        let word = self.text.get(start..self.pos).unwrap_or_default();
        TokenKind::keyword(word).unwrap_or(TokenKind::Ident)
    }

    fn line_comment(&mut self) -> Option<TokenKind> {
        let start = self.pos;
        self.pos += line_len(self.rest());
        self.out.comments.push(Span::from_range(start..self.pos));
        None
    }

    fn block_comment(&mut self) -> Option<TokenKind> {
        let start = self.pos;
        let body = self.rest().get(2..).unwrap_or_default();
        let found: IResult<&str, &str> = take_until("*/").parse_complete(body);
        match found {
            Ok((_, inside)) => self.pos += 2 + inside.len() + 2,
            Err(_) => {
                self.pos = self.text.len();
                self.error(start, "unterminated block comment".to_owned());
            }
        }
        self.out.comments.push(Span::from_range(start..self.pos));
        None
    }

    /// A `"`-delimited body starting at `body_start` (just after the opening quote).
    fn text_literal(&mut self, body_start: usize, kind: TokenKind, what: &str) -> TokenKind {
        let start = self.pos;
        let body = self.text.get(body_start..).unwrap_or_default();
        let Some(body_len) = closing_quote(body) else {
            self.pos = self.text.len();
            self.error(start, format!("unterminated {what}"));
            return TokenKind::Invalid;
        };
        self.pos = body_start + body_len + 1;
        let inner = body.get(..body_len).unwrap_or_default();
        for bad in text::invalid_escapes(inner) {
            let escape = inner.get(bad.clone()).unwrap_or_default();
            let span = Span::from_range(body_start + bad.start..body_start + bad.end);
            let message = format!("invalid escape `{}` in {what}", clip(escape));
            self.sink
                .push(SyntaxError::new(SyntaxErrorKind::Lexical, span, message));
        }
        kind
    }

    fn hash(&mut self, next: Option<u8>) -> TokenKind {
        let start = self.pos;
        match next {
            Some(b'"') => self.text_literal(start + 2, TokenKind::QuotedIdent, "quoted identifier"),
            Some(b'!') if self.rest().as_bytes().get(2) == Some(&b'"') => {
                self.text_literal(start + 3, TokenKind::Verbatim, "verbatim literal")
            }
            _ => {
                let word_len = 1 + self.rest().get(1..).map_or(0, identifier_len);
                self.pos += word_len;
                let word = self.text.get(start..self.pos).unwrap_or_default();
                if let Some(kind) = TokenKind::hash_keyword(word) {
                    return kind;
                }
                let message = if word_len == 1 {
                    "unexpected character `#`".to_owned()
                } else {
                    format!("`{}` is not a keyword", clip(word))
                };
                self.error(start, message);
                TokenKind::Invalid
            }
        }
    }

    /// A run of characters that start no token becomes one invalid token and one error.
    fn unexpected(&mut self) -> TokenKind {
        let start = self.pos;
        let mut first = None;
        while let Some(c) = self.rest().chars().next() {
            if first.is_some() && starts_token(c, self.rest()) {
                break;
            }
            first.get_or_insert(c);
            self.pos += c.len_utf8();
        }
        let shown = first.map_or_else(String::new, show_char);
        let n_chars = self
            .text
            .get(start..self.pos)
            .map_or(0, |run| run.chars().count());
        let plural = if n_chars > 1 {
            "unexpected characters starting with"
        } else {
            "unexpected character"
        };
        self.error(start, format!("{plural} {shown}"));
        TokenKind::Invalid
    }
}

/// Length of `rest` up to its first line terminator. Every terminator starts with one of
/// the bytes CR, LF, 0xC2 (NEL) or 0xE2 (LS, PS), so a byte scan finds candidates without
/// decoding characters.
fn line_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut from = 0;
    while let Some(found) = bytes.get(from..).and_then(|tail| {
        tail.iter()
            .position(|b| matches!(b, b'\r' | b'\n' | 0xC2 | 0xE2))
    }) {
        let at = from + found;
        let is_break = rest
            .get(at..)
            .and_then(|tail| tail.chars().next())
            .is_some_and(is_line_terminator);
        if is_break {
            return at;
        }
        from = at + 1;
    }
    rest.len()
}

/// Could a token, comment or whitespace start at `c`?
fn starts_token(c: char, rest: &str) -> bool {
    is_whitespace(c)
        || is_identifier_start(c)
        || c.is_ascii_digit()
        || matches!(c, '"' | '#' | '/')
        || punctuator(rest.as_bytes()).is_some()
}

fn show_char(c: char) -> String {
    if c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2066}'..='\u{2069}' | '\u{202A}'..='\u{202E}' | '\u{FEFF}')
    {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("`{c}`")
    }
}

/// At most 40 characters of `text`, for messages.
pub(crate) fn clip(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars
        .by_ref()
        .take(40)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// Length of the body up to (not including) the closing `"`; `""` pairs are skipped.
fn closing_quote(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    let mut at = 0;
    loop {
        let found = bytes.get(at..)?.iter().position(|&b| b == b'"')?;
        let quote = at + found;
        if bytes.get(quote + 1) == Some(&b'"') {
            at = quote + 2;
        } else {
            return Some(quote);
        }
    }
}

/// Length of a (possibly dotted) identifier at the start of `rest`; `..` is never taken.
///
/// Like the reference parser, a `.` that is not followed by another `.` belongs to the
/// identifier even when no identifier part follows it: `Documentation. Name` lexes as
/// `Documentation.` and `Name`, which a field name joins back into one generalized
/// identifier, and `let A. = 1 in A.` parses.
fn identifier_len(rest: &str) -> usize {
    let mut len = part_len(rest);
    while len > 0 {
        let after = rest.get(len..).unwrap_or_default();
        let Some(tail) = after.strip_prefix('.') else {
            break;
        };
        if tail.starts_with('.') {
            break;
        }
        len += 1;
        let part = match tail.chars().next() {
            Some(c) if is_identifier_part(c) => part_len_from(tail),
            _ => 0,
        };
        if part == 0 {
            break;
        }
        len += part;
    }
    len
}

fn part_len(rest: &str) -> usize {
    match rest.chars().next() {
        Some(c) if is_identifier_start(c) => part_len_from(rest),
        _ => 0,
    }
}

fn part_len_from(rest: &str) -> usize {
    let ascii = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let tail = rest.get(ascii..).unwrap_or_default();
    match tail.chars().next() {
        Some(c) if !c.is_ascii() && is_identifier_part(c) => {
            ascii + tail.find(|c| !is_identifier_part(c)).unwrap_or(tail.len())
        }
        _ => ascii,
    }
}

/// A number literal: hexadecimal, or decimal with optional fraction and exponent.
fn number(input: &str) -> IResult<&str, &str> {
    let hex = recognize((tag_no_case("0x"), hex_digit1));
    let exponent = (one_of("eE"), opt(one_of("+-")), digit1);
    let integer_part = (digit1, opt((nom_char('.'), digit1)));
    let fraction_only = (nom_char('.'), digit1);
    let decimal = recognize((
        nom::branch::alt((recognize(integer_part), recognize(fraction_only))),
        opt(exponent),
    ));
    nom::branch::alt((hex, decimal)).parse_complete(input)
}

/// The punctuator at the start of `bytes` (longest match) and its length.
fn punctuator(bytes: &[u8]) -> Option<(TokenKind, usize)> {
    use TokenKind as K;
    let first = *bytes.first()?;
    let second = bytes.get(1).copied();
    let pair = match (first, second) {
        (b'<', Some(b'=')) => Some(K::LessEqual),
        (b'<', Some(b'>')) => Some(K::NotEqual),
        (b'>', Some(b'=')) => Some(K::GreaterEqual),
        (b'=', Some(b'>')) => Some(K::FatArrow),
        (b'?', Some(b'?')) => Some(K::QuestionQuestion),
        (b'.', Some(b'.')) if bytes.get(2) == Some(&b'.') => return Some((K::Ellipsis, 3)),
        (b'.', Some(b'.')) => Some(K::DotDot),
        _ => None,
    };
    if let Some(kind) = pair {
        return Some((kind, 2));
    }
    let single = match first {
        b',' => K::Comma,
        b';' => K::Semicolon,
        b'=' => K::Equal,
        b'<' => K::Less,
        b'>' => K::Greater,
        b'+' => K::Plus,
        b'-' => K::Minus,
        b'*' => K::Star,
        b'/' => K::Slash,
        b'&' => K::Ampersand,
        b'(' => K::LParen,
        b')' => K::RParen,
        b'[' => K::LBracket,
        b']' => K::RBracket,
        b'{' => K::LBrace,
        b'}' => K::RBrace,
        b'@' => K::At,
        b'!' => K::Bang,
        b'?' => K::Question,
        _ => return None,
    };
    Some((single, 1))
}

/// Pairs brackets with a stack. A close bracket pairs with the nearest open bracket of its
/// kind; open brackets skipped over that way stay unpaired. Counting open brackets per kind
/// keeps this linear: a close bracket with no open partner pops nothing.
#[derive(Default)]
struct BracketPairer {
    stack: Vec<(TokenKind, usize)>,
    open_counts: [usize; 3],
}

impl BracketPairer {
    fn slot(kind: TokenKind) -> usize {
        match kind {
            TokenKind::LParen | TokenKind::RParen => 0,
            TokenKind::LBracket | TokenKind::RBracket => 1,
            _ => 2,
        }
    }

    fn open(&mut self, kind: TokenKind, index: usize) {
        self.stack.push((kind, index));
        if let Some(count) = self.open_counts.get_mut(Self::slot(kind)) {
            *count += 1;
        }
    }

    fn close(&mut self, kind: TokenKind) -> Option<usize> {
        let slot = Self::slot(kind);
        if self.open_counts.get(slot).copied().unwrap_or(0) == 0 {
            return None;
        }
        while let Some((open_kind, index)) = self.stack.pop() {
            let open_slot = Self::slot(open_kind);
            if let Some(count) = self.open_counts.get_mut(open_slot) {
                *count = count.saturating_sub(1);
            }
            if open_slot == slot {
                return Some(index);
            }
        }
        None
    }
}

#[cfg(test)]
#[path = "lexer_tests.rs"]
mod tests;
