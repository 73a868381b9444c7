//! Types: primitive and nullable types, record, list, function and table types, and the
//! nested type positions where a primary expression may stand for a type.
//!
//! Primitive type names are ordinary identifiers to the lexer; here they win over variables
//! (`type {(record)}` needs the parentheses to mean a variable). `table` takes either a row
//! record type or, as the engine and the reference parser do, a primary expression
//! (`type table rowType`), a deviation from the specification text.

use nom::combinator::cut;
use nom::{Err, Parser};

use super::expr::parameter_list;
use super::primary::{field_name, primary_expression};
use super::{Depth, ListKind, ParseState, comma_list};
use crate::syntax::ast::{FieldSpec, FunctionType, PrimitiveType, Type, TypeKind};
use crate::syntax::input::{
    Category, Expected, Input, PError, PErrorKind, PResult, advance, eat, fail, peek, token,
};
use crate::syntax::token::TokenKind;

/// The primitive type named by the next token, if any (`null` and `type` are keywords).
fn primitive_name<'a>(cx: &ParseState<'a>, input: Input<'a>) -> Option<PrimitiveType> {
    let first = input.first()?;
    match first.kind() {
        TokenKind::Null => Some(PrimitiveType::Null),
        TokenKind::Type => Some(PrimitiveType::Type),
        TokenKind::Ident => PrimitiveType::from_name(cx.token_text(first)),
        _ => None,
    }
}

/// grammar: primitive-type
fn primitive_type<'a>(cx: &ParseState<'a>, input: Input<'a>) -> PResult<'a, Type> {
    match (primitive_name(cx, input), input.first()) {
        (Some(primitive), Some(first)) => Ok((
            advance(input, 1),
            Type {
                kind: TypeKind::Primitive(primitive),
                span: first.span(),
            },
        )),
        _ => fail(input, Expected::category(Category::PrimitiveType)),
    }
}

/// grammar: primitive-or-nullable-primitive-type
pub(crate) fn primitive_or_nullable_primitive_type<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
) -> PResult<'a, Type> {
    if cx.at_word(input, "nullable") && primitive_name(cx, advance(input, 1)).is_some() {
        let (rest, inner) = primitive_type(cx, advance(input, 1))?;
        let span = cx.span(input, rest);
        return Ok((
            rest,
            Type {
                kind: TypeKind::Nullable(Box::new(inner)),
                span,
            },
        ));
    }
    primitive_type(cx, input)
}

/// grammar: primary-type
pub(crate) fn primary_type<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    depth: Depth,
) -> PResult<'a, Type> {
    match peek(input) {
        Some(TokenKind::LBracket) => record_type(cx, input, depth),
        Some(TokenKind::LBrace) => list_type(cx, input, depth),
        _ if cx.at_word(input, "nullable") => nullable_type(cx, input, depth),
        _ if cx.at_word(input, "function")
            && peek(advance(input, 1)) == Some(TokenKind::LParen) =>
        {
            function_type(cx, input, depth)
        }
        _ if cx.at_word(input, "table") && starts_row_type(advance(input, 1)) => {
            table_type(cx, input, depth)
        }
        _ => primitive_type(cx, input),
    }
}

/// grammar: type
///
/// A nested type position: a primary type, or else a primary expression.
pub(crate) fn type_<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Type> {
    let depth = depth.nest(cx, input)?;
    let is_type_word = primitive_name(cx, input).is_some() || cx.at_word(input, "nullable");
    if is_type_word || matches!(peek(input), Some(TokenKind::LBracket | TokenKind::LBrace)) {
        return primary_type(cx, input, depth);
    }
    match primary_expression(cx, input, depth) {
        Ok((rest, expr)) => Ok((
            rest,
            Type {
                span: expr.span,
                kind: TypeKind::Expr(Box::new(expr)),
            },
        )),
        Err(Err::Error(error)) if error.remaining as usize == input.len() => {
            fail(input, Expected::category(Category::Type))
        }
        Err(other) => Err(other),
    }
}

/// grammar: nullable-type
fn nullable_type<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Type> {
    let rest = advance(input, 1);
    let (rest, inner) = cut(|i| type_(cx, i, depth)).parse_complete(rest)?;
    Ok((
        rest,
        Type {
            kind: TypeKind::Nullable(Box::new(inner)),
            span: cx.span(input, rest),
        },
    ))
}

/// grammar: list-type
fn list_type<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Type> {
    let (rest, _) = token(TokenKind::LBrace)(input)?;
    let (rest, item) = cut(|i| type_(cx, i, depth)).parse_complete(rest)?;
    let (rest, _) = cut(token(TokenKind::RBrace)).parse_complete(rest)?;
    Ok((
        rest,
        Type {
            kind: TypeKind::List(Box::new(item)),
            span: cx.span(input, rest),
        },
    ))
}

/// grammar: record-type
fn record_type<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Type> {
    let (rest, _) = token(TokenKind::LBracket)(input)?;
    let mut open = false;
    let (rest, specs) = comma_list(cx, rest, TokenKind::RBracket, ListKind::Record, |i| {
        if open {
            return Err(Err::Failure(PError::at(
                i,
                PErrorKind::Message("`...` must be the last item of a record type"),
                Expected::NONE,
            )));
        }
        if let (after, Some(_)) = eat(i, TokenKind::Ellipsis) {
            open = true;
            return Ok((after, None));
        }
        let (after, spec) = field_specification(cx, i, depth)?;
        Ok((after, Some(spec)))
    })?;
    let fields = specs.into_iter().flatten().collect();
    Ok((
        rest,
        Type {
            kind: TypeKind::Record { fields, open },
            span: cx.span(input, rest),
        },
    ))
}

/// grammar: field-specification
fn field_specification<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    depth: Depth,
) -> PResult<'a, FieldSpec> {
    // As in the reference parser, `optional` first in a field specification is always the
    // modifier.
    let optional = cx.at_word(input, "optional");
    let rest = if optional { advance(input, 1) } else { input };
    let (rest, name) = field_name(cx, rest)?;
    let (rest, ty) = match eat(rest, TokenKind::Equal) {
        (after, Some(_)) => {
            let (after, ty) = cut(|i| type_(cx, i, depth)).parse_complete(after)?;
            (after, Some(ty))
        }
        (after, None) => (after, None),
    };
    Ok((
        rest,
        FieldSpec {
            optional,
            name,
            ty,
            span: cx.span(input, rest),
        },
    ))
}

/// grammar: function-type
fn function_type<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Type> {
    let (rest, _) = token(TokenKind::LParen)(advance(input, 1))?;
    let (rest, params) = parameter_list(cx, rest, true, depth)?;
    let (rest, _) = cut(token(TokenKind::As)).parse_complete(rest)?;
    let (rest, return_type) = cut(|i| type_(cx, i, depth)).parse_complete(rest)?;
    let kind = TypeKind::Function(Box::new(FunctionType {
        params,
        return_type,
    }));
    Ok((
        rest,
        Type {
            kind,
            span: cx.span(input, rest),
        },
    ))
}

/// Can a table row type start here: `[` or the start of a primary expression?
fn starts_row_type(input: Input<'_>) -> bool {
    matches!(
        peek(input),
        Some(
            TokenKind::LBracket
                | TokenKind::Ident
                | TokenKind::QuotedIdent
                | TokenKind::LParen
                | TokenKind::At
        )
    )
}

/// grammar: table-type
fn table_type<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Type> {
    let rest = advance(input, 1);
    let (rest, row) = if peek(rest) == Some(TokenKind::LBracket) {
        cut(|i| row_type(cx, i, depth)).parse_complete(rest)?
    } else {
        let (after, expr) = cut(|i| primary_expression(cx, i, depth)).parse_complete(rest)?;
        (
            after,
            Type {
                span: expr.span,
                kind: TypeKind::Expr(Box::new(expr)),
            },
        )
    };
    Ok((
        rest,
        Type {
            kind: TypeKind::Table(Box::new(row)),
            span: cx.span(input, rest),
        },
    ))
}

/// grammar: row-type
fn row_type<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Type> {
    let (rest, _) = token(TokenKind::LBracket)(input)?;
    let (rest, fields) = comma_list(cx, rest, TokenKind::RBracket, ListKind::Record, |i| {
        field_specification(cx, i, depth)
    })?;
    Ok((
        rest,
        Type {
            kind: TypeKind::Record {
                fields,
                open: false,
            },
            span: cx.span(input, rest),
        },
    ))
}
