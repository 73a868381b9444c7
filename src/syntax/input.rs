//! The parser's input (a token slice), its nom error type and small token matchers.
//!
//! `PError` is deliberately tiny (a position and a bit set of expectations): `alt` and
//! failed look-ahead create and drop many of them, and only the few that get reported are
//! turned into a [`super::SyntaxError`] with a message. Positions are counted from the end
//! (`remaining` tokens), so an error can be built from the input alone, as nom requires.

use nom::error::{ErrorKind, ParseError};
use nom::{Err, IResult};

use super::token::{N_TOKEN_KINDS, Token, TokenKind};

/// Parser input: the tokens not yet consumed.
pub(crate) type Input<'a> = &'a [Token];

/// The result type of every parser function.
pub(crate) type PResult<'a, T> = IResult<Input<'a>, T, PError>;

/// Things a parser can expect besides single token kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub(crate) enum Category {
    Expression = N_TOKEN_KINDS,
    Identifier,
    Type,
    PrimitiveType,
    FieldName,
    Literal,
    EndOfInput,
    SectionMember,
}

const CATEGORY_NAMES: &[(Category, &str)] = &[
    (Category::Expression, "expression"),
    (Category::Identifier, "identifier"),
    (Category::Type, "type"),
    (Category::PrimitiveType, "primitive type"),
    (Category::FieldName, "field name"),
    (Category::Literal, "literal"),
    (Category::EndOfInput, "end of input"),
    (Category::SectionMember, "section member"),
];

/// A set of expected token kinds and categories.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Expected(u128);

impl Expected {
    pub const NONE: Expected = Expected(0);

    pub fn token(kind: TokenKind) -> Expected {
        Expected(1u128 << (kind as u32))
    }

    pub fn category(category: Category) -> Expected {
        Expected(1u128 << (category as u32))
    }

    pub fn with(self, kind: TokenKind) -> Expected {
        Expected(self.0 | Expected::token(kind).0)
    }

    pub fn union(self, other: Expected) -> Expected {
        Expected(self.0 | other.0)
    }

    /// Each expected item as shown to the user, token kinds first, in declaration order.
    pub fn names(self) -> Vec<String> {
        let mut names = Vec::new();
        for bit in 0..N_TOKEN_KINDS {
            if self.0 & (1u128 << bit) != 0
                && let Some(kind) = token_kind_from_index(bit)
            {
                names.push(kind.describe());
            }
        }
        for (category, name) in CATEGORY_NAMES {
            if self.0 & (1u128 << (*category as u32)) != 0 {
                names.push((*name).to_owned());
            }
        }
        names
    }
}

fn token_kind_from_index(bit: u32) -> Option<TokenKind> {
    crate::syntax::token::ALL_KINDS.get(bit as usize).copied()
}

/// Why a parser failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PErrorKind {
    /// The token at the position is not in `expected`.
    Expected,
    /// A specific, fixed complaint about the token at the position.
    Message(&'static str),
    /// Already recorded in the error sink; only unwinds to a recovery point.
    Reported,
    /// Nesting limit crossed at the position.
    TooDeep,
    /// The error cap was reached: stop parsing.
    Abort,
    /// The inline stack budget ran out: stop, the parse is redone on a big stack.
    StackBudget,
}

/// The nom error of the parser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PError {
    pub remaining: u32,
    pub expected: Expected,
    pub kind: PErrorKind,
}

impl PError {
    pub fn at(input: Input<'_>, kind: PErrorKind, expected: Expected) -> PError {
        let remaining = u32::try_from(input.len()).unwrap_or(u32::MAX);
        PError {
            remaining,
            expected,
            kind,
        }
    }

    /// Errors a recovery point may record and skip past; the others unwind to the top.
    pub fn is_recoverable(&self) -> bool {
        matches!(
            self.kind,
            PErrorKind::Expected | PErrorKind::Message(_) | PErrorKind::Reported
        )
    }
}

impl<'a> ParseError<Input<'a>> for PError {
    fn from_error_kind(input: Input<'a>, _kind: ErrorKind) -> Self {
        PError::at(input, PErrorKind::Expected, Expected::NONE)
    }

    fn append(_input: Input<'a>, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    /// Keeps the error that got further; at the same place, merges the expectations.
    fn or(self, other: Self) -> Self {
        match self.remaining.cmp(&other.remaining) {
            std::cmp::Ordering::Less => self,
            std::cmp::Ordering::Greater => other,
            std::cmp::Ordering::Equal
                if self.kind == PErrorKind::Expected && other.kind == PErrorKind::Expected =>
            {
                PError {
                    expected: self.expected.union(other.expected),
                    ..other
                }
            }
            std::cmp::Ordering::Equal => other,
        }
    }
}

/// A recoverable failure at `input` expecting `expected`.
pub(crate) fn fail<'a, T>(input: Input<'a>, expected: Expected) -> PResult<'a, T> {
    Err(Err::Error(PError::at(
        input,
        PErrorKind::Expected,
        expected,
    )))
}

/// A committed failure at `input` with a fixed message.
pub(crate) fn fail_message<'a, T>(input: Input<'a>, message: &'static str) -> PResult<'a, T> {
    Err(Err::Failure(PError::at(
        input,
        PErrorKind::Message(message),
        Expected::NONE,
    )))
}

/// The kind of the next token, if any.
pub(crate) fn peek(input: Input<'_>) -> Option<TokenKind> {
    input.first().map(|token| token.kind())
}

/// Matches one token of `kind`.
pub(crate) fn token<'a>(kind: TokenKind) -> impl Fn(Input<'a>) -> PResult<'a, Token> {
    move |input: Input<'a>| match input.split_first() {
        Some((first, rest)) if first.kind() == kind => Ok((rest, *first)),
        _ => fail(input, Expected::token(kind)),
    }
}

/// Consumes the next token if it is `kind`.
pub(crate) fn eat(input: Input<'_>, kind: TokenKind) -> (Input<'_>, Option<Token>) {
    match input.split_first() {
        Some((first, rest)) if first.kind() == kind => (rest, Some(*first)),
        _ => (input, None),
    }
}

/// Skips `n` tokens (fewer at the end of input).
pub(crate) fn advance(input: Input<'_>, n: usize) -> Input<'_> {
    input.get(n..).unwrap_or_default()
}
