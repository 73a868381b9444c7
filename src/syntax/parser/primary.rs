//! Primary expressions and their postfix chains: literals, identifiers, `@x`, `S!m`,
//! parentheses, `...`, lists, records, implicit field access and projection, then
//! invocations, item access and field access, collected into one flat node.
//!
//! A `[` at the start of a primary is settled by look-ahead (pitfall 2 of the language
//! notes): `[[` is a projection, `[]` a record, otherwise the first `=` or `]` after the
//! field name decides. Field names are generalized identifiers, read as adjacent tokens.

use nom::Parser;
use nom::combinator::cut;

use super::expr::expression;
use super::{Depth, ListKind, ParseState, comma_list};
use crate::source::Span;
use crate::syntax::ast::{
    Expr, ExprKind, Field, FieldSelector, Ident, Intrinsic, Literal, Name, Postfix, Projection,
    SectionAccess,
};
use crate::syntax::input::{
    Category, Expected, Input, PResult, advance, eat, fail, fail_message, peek, token,
};
use crate::syntax::text;
use crate::syntax::token::{Token, TokenKind};

/// grammar: primary-expression
///
/// A primary followed by any number of postfix operators, kept flat.
pub(crate) fn primary_expression<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    depth: Depth,
) -> PResult<'a, Expr> {
    let (mut rest, target) = primary(cx, input, depth)?;
    let is_literal = matches!(
        input.first().map(Token::kind),
        Some(
            TokenKind::Number
                | TokenKind::Text
                | TokenKind::Verbatim
                | TokenKind::True
                | TokenKind::False
                | TokenKind::Null
        )
    );
    if is_literal
        && matches!(
            peek(rest),
            Some(TokenKind::LParen | TokenKind::LBrace | TokenKind::LBracket)
        )
    {
        // The specification derives `"abc"{0}`; the reference parser and real code do not.
        return fail_message(
            rest,
            "a literal cannot be invoked or accessed: add parentheses",
        );
    }
    if !matches!(
        peek(rest),
        Some(TokenKind::LParen | TokenKind::LBrace | TokenKind::LBracket | TokenKind::Question)
    ) {
        return Ok((rest, target));
    }
    let mut ops = Vec::with_capacity(1);
    loop {
        let (after, op) = match peek(rest) {
            Some(TokenKind::LParen) => invoke_expression(cx, rest, depth)?,
            Some(TokenKind::LBrace) => item_access_expression(cx, rest, depth)?,
            Some(TokenKind::LBracket) => field_access_expression(cx, rest)?,
            Some(TokenKind::Question) => {
                return fail_message(
                    rest,
                    "`?` is only allowed after a field or item access (`]` or `}`)",
                );
            }
            _ => break,
        };
        ops.push(op);
        rest = after;
    }
    if ops.is_empty() {
        return Ok((rest, target));
    }
    let kind = match ops.pop() {
        Some(Postfix::Invoke { args, .. }) if ops.is_empty() => ExprKind::Invoke {
            callee: Box::new(target),
            args,
        },
        last => {
            ops.extend(last);
            ExprKind::Postfix {
                target: Box::new(target),
                ops,
            }
        }
    };
    Ok((rest, Expr::new(kind, cx.span(input, rest))))
}

/// The primary without postfixes.
///
/// grammar: not-implemented-expression
/// grammar: intrinsic-expression
fn primary<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Expr> {
    let Some(first) = input.first() else {
        return fail(input, Expected::category(Category::Expression));
    };
    let single = |kind| Ok((advance(input, 1), Expr::new(kind, first.span())));
    match first.kind() {
        TokenKind::Ident | TokenKind::QuotedIdent
            if peek(advance(input, 1)) == Some(TokenKind::Bang) =>
        {
            section_access_expression(cx, input)
        }
        TokenKind::Ident | TokenKind::QuotedIdent | TokenKind::At => {
            identifier_expression(cx, input)
        }
        TokenKind::LParen => parenthesized_expression(cx, input, depth),
        TokenKind::LBrace => list_expression(cx, input, depth),
        TokenKind::LBracket => bracket_expression(cx, input, depth),
        TokenKind::Ellipsis => single(ExprKind::NotImplemented),
        TokenKind::Invalid => single(ExprKind::Missing),
        kind => match intrinsic(kind) {
            Some(intrinsic) => single(ExprKind::Intrinsic(intrinsic)),
            None => literal_expression(cx, input),
        },
    }
}

/// grammar: literal-expression
fn literal_expression<'a>(cx: &ParseState<'a>, input: Input<'a>) -> PResult<'a, Expr> {
    let Some(first) = input.first() else {
        return fail(input, Expected::category(Category::Expression));
    };
    let literal = match first.kind() {
        TokenKind::Number => Literal::Number(number_value(cx.token_text(first))),
        TokenKind::Text => Literal::Text(text_value(cx, first, 1)),
        TokenKind::Verbatim => Literal::Verbatim(text_value(cx, first, 3)),
        TokenKind::True => Literal::Logical(true),
        TokenKind::False => Literal::Logical(false),
        TokenKind::Null => Literal::Null,
        TokenKind::HashInfinity => Literal::Infinity,
        TokenKind::HashNan => Literal::Nan,
        kind => return not_a_primary(input, kind),
    };
    Ok((
        advance(input, 1),
        Expr::new(ExprKind::Literal(literal), first.span()),
    ))
}

fn not_a_primary<T>(input: Input<'_>, kind: TokenKind) -> PResult<'_, T> {
    let message = match kind {
        TokenKind::Each => "an `each` expression cannot be an operand: add parentheses",
        TokenKind::Let => "a `let` expression cannot be an operand: add parentheses",
        TokenKind::If => "an `if` expression cannot be an operand: add parentheses",
        TokenKind::Error => "an `error` expression cannot be an operand: add parentheses",
        TokenKind::Try => "a `try` expression cannot be an operand: add parentheses",
        _ => return fail(input, Expected::category(Category::Expression)),
    };
    fail_message(input, message)
}

/// The decoded body of a text-like token whose opening delimiter is `open` bytes long.
pub(crate) fn text_value(cx: &ParseState<'_>, token: &Token, open: usize) -> Name {
    let raw = cx.token_text(token);
    let inner = raw
        .get(open..raw.len().saturating_sub(1))
        .unwrap_or_default();
    text::decode_name(inner)
}

/// The value of a number literal; hexadecimal beyond `u64` saturates to infinity.
pub(crate) fn number_value(text: &str) -> f64 {
    let hex = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"));
    match hex {
        Some(digits) => u64::from_str_radix(digits, 16)
            .map(|n| n as f64)
            .unwrap_or_else(|_| {
                digits
                    .chars()
                    .filter_map(|c| c.to_digit(16))
                    .fold(0.0, |acc, d| acc * 16.0 + f64::from(d))
            }),
        None => text.parse().unwrap_or(f64::NAN),
    }
}

fn intrinsic(kind: TokenKind) -> Option<Intrinsic> {
    Some(match kind {
        TokenKind::HashBinary => Intrinsic::Binary,
        TokenKind::HashDate => Intrinsic::Date,
        TokenKind::HashDateTime => Intrinsic::DateTime,
        TokenKind::HashDateTimeZone => Intrinsic::DateTimeZone,
        TokenKind::HashDuration => Intrinsic::Duration,
        TokenKind::HashTable => Intrinsic::Table,
        TokenKind::HashTime => Intrinsic::Time,
        TokenKind::HashShared => Intrinsic::Shared,
        TokenKind::HashSections => Intrinsic::Sections,
        _ => return None,
    })
}

/// grammar: identifier-expression
fn identifier_expression<'a>(cx: &ParseState<'a>, input: Input<'a>) -> PResult<'a, Expr> {
    let (rest, at) = eat(input, TokenKind::At);
    let (rest, name) = match at {
        Some(_) => cut(|i| super::expr::variable_name(cx, i)).parse_complete(rest)?,
        None => super::expr::variable_name(cx, rest)?,
    };
    let kind = if at.is_some() {
        ExprKind::Inclusive(Box::new(name))
    } else {
        ExprKind::Ident(name)
    };
    Ok((rest, Expr::new(kind, cx.span(input, rest))))
}

/// grammar: section-access-expression
fn section_access_expression<'a>(cx: &ParseState<'a>, input: Input<'a>) -> PResult<'a, Expr> {
    let (rest, section) = super::expr::variable_name(cx, input)?;
    let (rest, _) = token(TokenKind::Bang)(rest)?;
    let (rest, member) = cut(|i| super::expr::variable_name(cx, i)).parse_complete(rest)?;
    let kind = ExprKind::SectionAccess(Box::new(SectionAccess { section, member }));
    Ok((rest, Expr::new(kind, cx.span(input, rest))))
}

/// grammar: parenthesized-expression
fn parenthesized_expression<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    depth: Depth,
) -> PResult<'a, Expr> {
    let (rest, _) = token(TokenKind::LParen)(input)?;
    let (rest, inner) = cut(|i| expression(cx, i, depth)).parse_complete(rest)?;
    let (rest, _) = cut(token(TokenKind::RParen)).parse_complete(rest)?;
    Ok((
        rest,
        Expr::new(ExprKind::Parens(Box::new(inner)), cx.span(input, rest)),
    ))
}

/// grammar: list-expression
fn list_expression<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Expr> {
    let (rest, _) = token(TokenKind::LBrace)(input)?;
    let (rest, items) = comma_list(cx, rest, TokenKind::RBrace, ListKind::List, |i| {
        item(cx, i, depth)
    })?;
    Ok((rest, Expr::new(ExprKind::List(items), cx.span(input, rest))))
}

/// grammar: item
fn item<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Expr> {
    let (rest, start) = expression(cx, input, depth)?;
    let (rest, Some(_)) = eat(rest, TokenKind::DotDot) else {
        return Ok((rest, start));
    };
    let (rest, end) = cut(|i| expression(cx, i, depth)).parse_complete(rest)?;
    Ok((
        rest,
        Expr::new(
            ExprKind::Range(Box::new([start, end])),
            cx.span(input, rest),
        ),
    ))
}

/// `[` at the start of a primary: record, implicit field selection or implicit projection.
fn bracket_expression<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    depth: Depth,
) -> PResult<'a, Expr> {
    let after_open = advance(input, 1);
    match peek(after_open) {
        Some(TokenKind::LBracket) => implicit_target_projection(cx, input),
        Some(TokenKind::RBracket) => record_expression(cx, input, depth),
        _ => {
            let name_len = after_open
                .iter()
                .take_while(|t| is_name_token(t.kind()))
                .count();
            match peek(advance(after_open, name_len)) {
                Some(TokenKind::RBracket) if name_len > 0 => {
                    implicit_target_field_selection(cx, input)
                }
                _ => record_expression(cx, input, depth),
            }
        }
    }
}

/// grammar: record-expression
fn record_expression<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Expr> {
    let (rest, _) = token(TokenKind::LBracket)(input)?;
    let (rest, fields) = comma_list(cx, rest, TokenKind::RBracket, ListKind::Record, |i| {
        field(cx, i, depth)
    })?;
    Ok((
        rest,
        Expr::new(ExprKind::Record(fields), cx.span(input, rest)),
    ))
}

/// grammar: field
fn field<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Field> {
    let (rest, name) = field_name(cx, input)?;
    let (rest, _) = cut(token(TokenKind::Equal)).parse_complete(rest)?;
    let (rest, value) = cut(|i| expression(cx, i, depth)).parse_complete(rest)?;
    Ok((
        rest,
        Field {
            name,
            value,
            span: cx.span(input, rest),
        },
    ))
}

/// grammar: implicit-target-field-selection
fn implicit_target_field_selection<'a>(cx: &ParseState<'a>, input: Input<'a>) -> PResult<'a, Expr> {
    let (rest, selector) = field_selector(cx, input)?;
    let span = selector.span;
    Ok((
        rest,
        Expr::new(ExprKind::ImplicitField(Box::new(selector)), span),
    ))
}

/// grammar: implicit-target-projection
fn implicit_target_projection<'a>(cx: &ParseState<'a>, input: Input<'a>) -> PResult<'a, Expr> {
    let (rest, projection) = projection(cx, input)?;
    let span = projection.span;
    Ok((
        rest,
        Expr::new(ExprKind::ImplicitProjection(Box::new(projection)), span),
    ))
}

/// grammar: invoke-expression
fn invoke_expression<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    depth: Depth,
) -> PResult<'a, Postfix> {
    let (rest, _) = token(TokenKind::LParen)(input)?;
    let (rest, args) = comma_list(cx, rest, TokenKind::RParen, ListKind::Arguments, |i| {
        expression(cx, i, depth)
    })?;
    Ok((
        rest,
        Postfix::Invoke {
            args,
            span: cx.span(input, rest),
        },
    ))
}

/// grammar: item-access-expression
fn item_access_expression<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    depth: Depth,
) -> PResult<'a, Postfix> {
    let (rest, _) = token(TokenKind::LBrace)(input)?;
    let (rest, index) = cut(|i| expression(cx, i, depth)).parse_complete(rest)?;
    let (rest, _) = cut(token(TokenKind::RBrace)).parse_complete(rest)?;
    let (rest, question) = eat(rest, TokenKind::Question);
    let span = cx.span(input, rest);
    Ok((
        rest,
        Postfix::Item {
            index: Box::new(index),
            optional: question.is_some(),
            span,
        },
    ))
}

/// grammar: field-access-expression
fn field_access_expression<'a>(cx: &ParseState<'a>, input: Input<'a>) -> PResult<'a, Postfix> {
    if peek(advance(input, 1)) == Some(TokenKind::LBracket) {
        let (rest, projection) = projection(cx, input)?;
        return Ok((rest, Postfix::Projection(projection)));
    }
    let (rest, selector) = field_selector(cx, input)?;
    Ok((rest, Postfix::Field(selector)))
}

/// grammar: field-selector
fn field_selector<'a>(cx: &ParseState<'a>, input: Input<'a>) -> PResult<'a, FieldSelector> {
    let (rest, _) = token(TokenKind::LBracket)(input)?;
    let (rest, name) = cut(|i| field_name(cx, i)).parse_complete(rest)?;
    let (rest, _) = cut(token(TokenKind::RBracket)).parse_complete(rest)?;
    let (rest, question) = eat(rest, TokenKind::Question);
    Ok((
        rest,
        FieldSelector {
            name,
            optional: question.is_some(),
            span: cx.span(input, rest),
        },
    ))
}

/// grammar: projection
fn projection<'a>(cx: &ParseState<'a>, input: Input<'a>) -> PResult<'a, Projection> {
    let (rest, _) = token(TokenKind::LBracket)(input)?;
    let selector = |i: Input<'a>| {
        let (rest, _) = token(TokenKind::LBracket)(i)?;
        let (rest, name) = cut(|i| field_name(cx, i)).parse_complete(rest)?;
        let (rest, _) = cut(token(TokenKind::RBracket)).parse_complete(rest)?;
        Ok((rest, name))
    };
    let (rest, fields) = comma_list(
        cx,
        rest,
        TokenKind::RBracket,
        ListKind::Projection,
        selector,
    )?;
    let (rest, question) = eat(rest, TokenKind::Question);
    Ok((
        rest,
        Projection {
            fields,
            optional: question.is_some(),
            span: cx.span(input, rest),
        },
    ))
}

/// Tokens that can be part of a generalized identifier.
fn is_name_token(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Ident | TokenKind::Number | TokenKind::QuotedIdent
    ) || kind.is_keyword()
}

/// grammar: field-name
///
/// A quoted identifier, or a generalized identifier: words (identifiers, keywords or
/// numbers) separated by blanks. The name is the source text. Like the reference parser,
/// number words are accepted in any form (`r[2]`, `[1st = 1]`), which the specification's
/// one-leading-digit rule would reject.
pub(crate) fn field_name<'a>(cx: &ParseState<'a>, input: Input<'a>) -> PResult<'a, Ident> {
    match input.first() {
        Some(first) if first.kind() == TokenKind::QuotedIdent => {
            return Ok((advance(input, 1), cx.ident(first)));
        }
        Some(first) if is_name_token(first.kind()) => {}
        _ => return fail(input, Expected::category(Category::FieldName)),
    }
    let mut count = 0;
    let mut previous_end = None;
    for token in input {
        let adjacent_gap = previous_end.map(|end| cx.source(Span::new(end, token.span().start)));
        if token.kind() == TokenKind::QuotedIdent || !is_name_token(token.kind()) {
            break;
        }
        if adjacent_gap.is_some_and(|gap| !gap.bytes().all(|b| b == b' ')) {
            break;
        }
        count += 1;
        previous_end = Some(token.span().end);
    }
    let rest = advance(input, count);
    let span = cx.span(input, rest);
    Ok((
        rest,
        Ident {
            name: Name::new(cx.source(span)),
            quoted: false,
            span,
        },
    ))
}
