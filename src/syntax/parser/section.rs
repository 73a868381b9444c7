//! Section documents: literal attributes, the `section` header and members, with recovery
//! per member so one run reports every broken member.
//!
//! Literal attributes accept only literals (records and lists of literals, logical, number,
//! text, null), as the specification says; an expression there is an error.

use nom::combinator::cut;
use nom::{Err, Parser};

use super::expr::{expression, variable_name};
use super::primary::{field_name, number_value, text_value};
use super::{Depth, ListKind, ParseState, comma_list, error_index, skip_member};
use crate::source::Span;
use crate::syntax::SyntaxErrorKind;
use crate::syntax::ast::{
    Expr, ExprKind, Field, Ident, Literal, Name, Record, SectionDocument, SectionMember,
};
use crate::syntax::input::{
    Category, Expected, Input, PError, PErrorKind, PResult, advance, eat, fail, peek, token,
};
use crate::syntax::token::TokenKind;

/// Does the document start, after optional literal attributes, with `section`?
pub(crate) fn looks_like_section<'a>(cx: &ParseState<'a>, tokens: Input<'a>) -> bool {
    peek(section_keyword(cx, tokens)) == Some(TokenKind::Section)
}

/// The input at the token after the leading `[...]` attributes, if any.
pub(crate) fn section_keyword<'a>(cx: &ParseState<'a>, tokens: Input<'a>) -> Input<'a> {
    match tokens.first() {
        Some(first) if first.kind() == TokenKind::LBracket => {
            first.partner().map_or(tokens, |close| cx.at(close + 1))
        }
        _ => tokens,
    }
}

/// grammar: section-document
pub(crate) fn section_document<'a>(cx: &ParseState<'a>, tokens: Input<'a>) -> SectionDocument {
    let (mut rest, header) = match section_header(cx, tokens) {
        Ok((rest, header)) => (rest, header),
        Err(Err::Error(error) | Err::Failure(error)) => {
            let error = cx.report(error);
            let at = cx.at(cx.tokens.len().saturating_sub(error.remaining as usize));
            let name = Ident {
                name: Name::new(""),
                quoted: false,
                span: Span::empty(cx.end_before(at)),
            };
            (
                skip_member(cx, tokens, error_index(cx, error)),
                (None, name),
            )
        }
        Err(Err::Incomplete(_)) => (cx.at(usize::MAX), (None, placeholder_name())),
    };
    let (attributes, name) = header;
    let mut members = Vec::new();
    while !rest.is_empty() && !cx.is_full() {
        if members.len() == crate::syntax::MAX_SECTION_MEMBERS {
            let message = format!(
                "too many section members: more than {}",
                crate::syntax::MAX_SECTION_MEMBERS
            );
            let span = rest
                .first()
                .map_or(Span::empty(cx.end_before(rest)), |t| t.span());
            cx.report_message(SyntaxErrorKind::TooLarge, span, message, rest);
            break;
        }
        rest = section_member_recovering(cx, rest, &mut members);
    }
    SectionDocument {
        attributes,
        name,
        members,
        span: cx.span(tokens, cx.at(usize::MAX)),
    }
}

fn placeholder_name() -> Ident {
    Ident {
        name: Name::new(""),
        quoted: false,
        span: Span::empty(0),
    }
}

/// `attrs? section name ;`
fn section_header<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
) -> PResult<'a, (Option<Record>, Ident)> {
    let (rest, attributes) = optional_attributes(cx, input)?;
    let (rest, _) = token(TokenKind::Section)(rest)?;
    let (rest, name) = cut(|i| variable_name(cx, i)).parse_complete(rest)?;
    let (rest, _) = cut(token(TokenKind::Semicolon)).parse_complete(rest)?;
    Ok((rest, (attributes, name)))
}

/// One member, or one recorded error and a skip to the next member.
fn section_member_recovering<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    members: &mut Vec<SectionMember>,
) -> Input<'a> {
    match section_member(cx, input) {
        Ok((rest, member)) => {
            let name = member.name.name.clone();
            let end = member.span.end;
            members.push(member);
            match eat(rest, TokenKind::Semicolon) {
                (after, Some(_)) => after,
                (rest, None) => {
                    let message = format!(
                        "missing `;` after section member `{}`",
                        crate::syntax::lexer::clip(&name)
                    );
                    cx.report_message(SyntaxErrorKind::Syntax, Span::empty(end), message, rest);
                    if starts_member(cx, rest) {
                        rest
                    } else {
                        skip_member(cx, rest, 0)
                    }
                }
            }
        }
        Err(Err::Error(error) | Err::Failure(error)) => {
            let error = cx.report(error);
            skip_member(cx, input, error_index(cx, error))
        }
        Err(Err::Incomplete(_)) => cx.at(usize::MAX),
    }
}

/// Could a new member start here (after a missing `;`)?
fn starts_member<'a>(cx: &ParseState<'a>, input: Input<'a>) -> bool {
    match peek(input) {
        Some(TokenKind::Shared | TokenKind::LBracket) => true,
        Some(TokenKind::Ident | TokenKind::QuotedIdent) => {
            peek(advance(input, 1)) == Some(TokenKind::Equal)
        }
        _ => cx.is_full(),
    }
}

/// grammar: section-member
fn section_member<'a>(cx: &ParseState<'a>, input: Input<'a>) -> PResult<'a, SectionMember> {
    let (rest, attributes) = optional_attributes(cx, input)?;
    let (rest, shared) = eat(rest, TokenKind::Shared);
    let (rest, name) = match variable_name(cx, rest) {
        Ok(ok) => ok,
        Err(_) => {
            let expected = Expected::category(Category::SectionMember);
            return Err(Err::Failure(PError::at(
                rest,
                PErrorKind::Expected,
                expected,
            )));
        }
    };
    let (rest, _) = cut(token(TokenKind::Equal)).parse_complete(rest)?;
    let (rest, value) = cut(|i| expression(cx, i, Depth::TOP)).parse_complete(rest)?;
    let span = cx.span(input, rest);
    Ok((
        rest,
        SectionMember {
            attributes,
            shared: shared.map(|t| t.span()),
            name,
            value,
            span,
        },
    ))
}

fn optional_attributes<'a>(cx: &ParseState<'a>, input: Input<'a>) -> PResult<'a, Option<Record>> {
    if peek(input) != Some(TokenKind::LBracket) {
        return Ok((input, None));
    }
    let (rest, record) = literal_attributes(cx, input, Depth::TOP)?;
    Ok((rest, Some(record)))
}

/// grammar: literal-attributes
fn literal_attributes<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    depth: Depth,
) -> PResult<'a, Record> {
    let depth = depth.nest(cx, input)?;
    let (rest, _) = token(TokenKind::LBracket)(input)?;
    let (rest, fields) = comma_list(cx, rest, TokenKind::RBracket, ListKind::Record, |i| {
        literal_field(cx, i, depth)
    })?;
    Ok((
        rest,
        Record {
            fields,
            span: cx.span(input, rest),
        },
    ))
}

/// grammar: literal-field
fn literal_field<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Field> {
    let (rest, name) = field_name(cx, input)?;
    let (rest, _) = cut(token(TokenKind::Equal)).parse_complete(rest)?;
    let (rest, value) = cut(|i| any_literal(cx, i, depth)).parse_complete(rest)?;
    Ok((
        rest,
        Field {
            name,
            value,
            span: cx.span(input, rest),
        },
    ))
}

/// grammar: any-literal
fn any_literal<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Expr> {
    let Some(first) = input.first() else {
        return fail(input, Expected::category(Category::Literal));
    };
    let literal = match first.kind() {
        TokenKind::LBracket => {
            let (rest, record) = literal_attributes(cx, input, depth)?;
            return Ok((
                rest,
                Expr::new(ExprKind::Record(record.fields), record.span),
            ));
        }
        TokenKind::LBrace => return list_literal(cx, input, depth),
        TokenKind::Number => Literal::Number(number_value(cx.token_text(first))),
        TokenKind::Text => Literal::Text(text_value(cx, first, 1)),
        TokenKind::True => Literal::Logical(true),
        TokenKind::False => Literal::Logical(false),
        TokenKind::Null => Literal::Null,
        TokenKind::Invalid => {
            return Ok((
                advance(input, 1),
                Expr::new(ExprKind::Missing, first.span()),
            ));
        }
        _ => return fail(input, Expected::category(Category::Literal)),
    };
    Ok((
        advance(input, 1),
        Expr::new(ExprKind::Literal(literal), first.span()),
    ))
}

/// grammar: list-literal
fn list_literal<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Expr> {
    let depth = depth.nest(cx, input)?;
    let (rest, _) = token(TokenKind::LBrace)(input)?;
    let (rest, items) = comma_list(cx, rest, TokenKind::RBrace, ListKind::List, |i| {
        any_literal(cx, i, depth)
    })?;
    Ok((rest, Expr::new(ExprKind::List(items), cx.span(input, rest))))
}
