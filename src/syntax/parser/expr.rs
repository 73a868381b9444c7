//! Expressions: the keyword-led forms (`each`, functions, `let`, `if`, `error`, `try`) and the
//! operator levels from `??` down to unary operators.
//!
//! Every binary level parses its first operand once and then loops over its operators,
//! building one flat [`ExprKind::Binary`] per level: no backtracking, no deep left spines.
//! Keyword-led forms are only reachable from [`expression`], so they cannot be operands
//! without parentheses, as in the specification.

use nom::combinator::cut;
use nom::{Err, Parser};

use super::primary::primary_expression;
use super::types::{primary_type, primitive_or_nullable_primitive_type};
use super::{Depth, ListKind, ParseState, comma_list, missing};
use crate::syntax::ast::{
    BinaryOp, BinaryRhs, Binding, Expr, ExprKind, Function, If, Let, Param, Try, TryHandler,
    UnaryOp,
};
use crate::syntax::input::{
    Category, Expected, Input, PError, PErrorKind, PResult, advance, eat, fail, fail_message, peek,
    token,
};
use crate::syntax::token::TokenKind;

/// grammar: expression-document
pub(crate) fn expression_document<'a>(cx: &ParseState<'a>, tokens: Input<'a>) -> Expr {
    let whole = cx.span(tokens, cx.at(usize::MAX));
    if super::looks_like_section(cx, tokens) {
        let at = super::section::section_keyword(cx, tokens);
        let error = PError::at(
            at,
            PErrorKind::Message("a section document is not allowed here"),
            Expected::NONE,
        );
        cx.report(error);
        return missing(whole);
    }
    match expression(cx, tokens, Depth::TOP) {
        Ok(([], expr)) => expr,
        Ok((rest, expr)) => {
            let expected = Expected::category(Category::EndOfInput);
            cx.report(PError::at(rest, PErrorKind::Expected, expected));
            expr
        }
        Err(Err::Error(error) | Err::Failure(error)) => {
            cx.report(error);
            missing(whole)
        }
        Err(Err::Incomplete(_)) => missing(whole),
    }
}

/// grammar: expression
pub(crate) fn expression<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    depth: Depth,
) -> PResult<'a, Expr> {
    let depth = depth.nest(cx, input)?;
    match peek(input) {
        Some(TokenKind::Each) => each_expression(cx, input, depth),
        Some(TokenKind::Let) => let_expression(cx, input, depth),
        Some(TokenKind::If) => if_expression(cx, input, depth),
        Some(TokenKind::Error) => error_raising_expression(cx, input, depth),
        Some(TokenKind::Try) => error_handling_expression(cx, input, depth),
        Some(TokenKind::LParen) if is_function_start(cx, input) => {
            function_expression(cx, input, depth)
        }
        _ => binary_expression(cx, input, depth),
    }
}

/// Does the `(` at the start of `input` open a function expression? Its paired `)` is
/// followed by `=>`, or by `as` + (nullable) primitive type + `=>`.
fn is_function_start<'a>(cx: &ParseState<'a>, input: Input<'a>) -> bool {
    let Some(close) = input.first().and_then(|token| token.partner()) else {
        return false;
    };
    let after = cx.at(close + 1);
    match peek(after) {
        Some(TokenKind::FatArrow) => true,
        Some(TokenKind::As) => match primitive_or_nullable_primitive_type(cx, advance(after, 1)) {
            Ok((rest, _)) => peek(rest) == Some(TokenKind::FatArrow),
            Err(_) => false,
        },
        _ => false,
    }
}

/// grammar: each-expression
fn each_expression<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Expr> {
    let (rest, _) = token(TokenKind::Each)(input)?;
    let (rest, body) = cut(|i| expression(cx, i, depth)).parse_complete(rest)?;
    Ok((
        rest,
        Expr::new(ExprKind::Each(Box::new(body)), cx.span(input, rest)),
    ))
}

/// grammar: let-expression
fn let_expression<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Expr> {
    let (mut rest, _) = token(TokenKind::Let)(input)?;
    let mut bindings = Vec::new();
    // `let in e` (or a `let` holding only comments): the specification requires a variable,
    // but the engine and the reference parser accept none, and certified connectors ship it.
    while peek(rest) != Some(TokenKind::In) {
        let (after, binding) = cut(|i| variable(cx, i, depth)).parse_complete(rest)?;
        bindings.push(binding);
        rest = after;
        match peek(rest) {
            Some(TokenKind::Comma) if peek(advance(rest, 1)) == Some(TokenKind::In) => {
                let message = PErrorKind::Message("trailing comma is not allowed before `in`");
                report_and_continue(cx, PError::at(rest, message, Expected::NONE))?;
                rest = advance(rest, 1);
                break;
            }
            Some(TokenKind::Comma) => rest = advance(rest, 1),
            Some(TokenKind::In) => break,
            _ => {
                let expected = Expected::token(TokenKind::Comma).with(TokenKind::In);
                return Err(Err::Failure(PError::at(
                    rest,
                    PErrorKind::Expected,
                    expected,
                )));
            }
        }
    }
    bindings.shrink_to_fit();
    let (rest, _) = cut(token(TokenKind::In)).parse_complete(rest)?;
    let (rest, body) = cut(|i| expression(cx, i, depth)).parse_complete(rest)?;
    let kind = ExprKind::Let(Box::new(Let { bindings, body }));
    Ok((rest, Expr::new(kind, cx.span(input, rest))))
}

/// grammar: variable
fn variable<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Binding> {
    let (rest, name) = variable_name(cx, input)?;
    let (rest, _) = cut(token(TokenKind::Equal)).parse_complete(rest)?;
    let (rest, value) = cut(|i| expression(cx, i, depth)).parse_complete(rest)?;
    Ok((
        rest,
        Binding {
            name,
            value,
            span: cx.span(input, rest),
        },
    ))
}

/// grammar: variable-name
pub(crate) fn variable_name<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
) -> PResult<'a, crate::syntax::ast::Ident> {
    match input.split_first() {
        Some((first, rest))
            if matches!(first.kind(), TokenKind::Ident | TokenKind::QuotedIdent) =>
        {
            Ok((rest, cx.ident(first)))
        }
        _ => fail(input, Expected::category(Category::Identifier)),
    }
}

/// grammar: if-expression
fn if_expression<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Expr> {
    let expr = |i| expression(cx, i, depth);
    let (rest, (_, condition, _, then_branch, _, else_branch)) = (
        token(TokenKind::If),
        cut(expr),
        cut(token(TokenKind::Then)),
        cut(expr),
        cut(token(TokenKind::Else)),
        cut(expr),
    )
        .parse_complete(input)?;
    let kind = ExprKind::If(Box::new(If {
        condition,
        then_branch,
        else_branch,
    }));
    Ok((rest, Expr::new(kind, cx.span(input, rest))))
}

/// grammar: error-raising-expression
fn error_raising_expression<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    depth: Depth,
) -> PResult<'a, Expr> {
    let (rest, _) = token(TokenKind::Error)(input)?;
    let (rest, value) = cut(|i| expression(cx, i, depth)).parse_complete(rest)?;
    Ok((
        rest,
        Expr::new(ExprKind::Error(Box::new(value)), cx.span(input, rest)),
    ))
}

/// grammar: error-handling-expression
fn error_handling_expression<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    depth: Depth,
) -> PResult<'a, Expr> {
    let (rest, _) = token(TokenKind::Try)(input)?;
    let (rest, body) = cut(|i| expression(cx, i, depth)).parse_complete(rest)?;
    let (rest, handler) = if let (after, Some(_)) = eat(rest, TokenKind::Otherwise) {
        let (after, fallback) = cut(|i| expression(cx, i, depth)).parse_complete(after)?;
        (after, Some(TryHandler::Otherwise(fallback)))
    } else if cx.at_word(rest, "catch") && peek(advance(rest, 1)) == Some(TokenKind::LParen) {
        let (after, handler) = catch_function(cx, rest, depth)?;
        (after, Some(handler))
    } else {
        (rest, None)
    };
    let kind = ExprKind::Try(Box::new(Try { body, handler }));
    Ok((rest, Expr::new(kind, cx.span(input, rest))))
}

/// grammar: catch-function
fn catch_function<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    depth: Depth,
) -> PResult<'a, TryHandler> {
    let rest = advance(input, 2);
    let (rest, param) = match peek(rest) {
        Some(TokenKind::RParen) => (rest, None),
        _ => {
            let (rest, name) = cut(|i| variable_name(cx, i)).parse_complete(rest)?;
            (rest, Some(name))
        }
    };
    match peek(rest) {
        Some(TokenKind::RParen) => {}
        Some(TokenKind::As) => {
            return fail_message(rest, "a `catch` function parameter cannot have a type");
        }
        Some(TokenKind::Comma) => {
            return fail_message(rest, "a `catch` function takes at most one parameter");
        }
        _ => {
            return Err(Err::Failure(PError::at(
                rest,
                PErrorKind::Expected,
                Expected::token(TokenKind::RParen),
            )));
        }
    }
    let rest = advance(rest, 1);
    if peek(rest) == Some(TokenKind::As) {
        return fail_message(rest, "a `catch` function cannot have a return type");
    }
    let (rest, _) = cut(token(TokenKind::FatArrow)).parse_complete(rest)?;
    let (rest, body) = cut(|i| expression(cx, i, depth)).parse_complete(rest)?;
    Ok((
        rest,
        TryHandler::Catch {
            param,
            body,
            span: cx.span(input, rest),
        },
    ))
}

/// grammar: function-expression
fn function_expression<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    depth: Depth,
) -> PResult<'a, Expr> {
    let (rest, _) = token(TokenKind::LParen)(input)?;
    let (rest, params) = parameter_list(cx, rest, false, depth)?;
    let (rest, return_type) = match eat(rest, TokenKind::As) {
        (after, Some(_)) => {
            let (after, ty) =
                cut(|i| primitive_or_nullable_primitive_type(cx, i)).parse_complete(after)?;
            (after, Some(ty))
        }
        (after, None) => (after, None),
    };
    let (rest, _) = cut(token(TokenKind::FatArrow)).parse_complete(rest)?;
    let (rest, body) = cut(|i| expression(cx, i, depth)).parse_complete(rest)?;
    let kind = ExprKind::Function(Box::new(Function {
        params,
        return_type,
        body,
    }));
    Ok((rest, Expr::new(kind, cx.span(input, rest))))
}

/// grammar: parameter-list
///
/// After the `(`; up to and including the `)`. In a function type (`typed`) every parameter
/// needs `as T` with any type; in a function expression the type is optional and primitive.
pub(crate) fn parameter_list<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    typed: bool,
    depth: Depth,
) -> PResult<'a, Vec<Param>> {
    let (rest, params) = comma_list(cx, input, TokenKind::RParen, ListKind::Parameters, |i| {
        parameter(cx, i, typed, depth)
    })?;
    let mut seen_optional = false;
    for param in &params {
        if param.optional {
            seen_optional = true;
        } else if seen_optional {
            let message = "a required parameter cannot follow an optional one".to_owned();
            let error = cx.report_message(
                crate::syntax::SyntaxErrorKind::Syntax,
                param.span,
                message,
                rest,
            );
            if error.kind == PErrorKind::Abort {
                return Err(Err::Failure(error));
            }
        }
    }
    Ok((rest, params))
}

/// grammar: parameter
fn parameter<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    typed: bool,
    depth: Depth,
) -> PResult<'a, Param> {
    // As in the reference parser, `optional` first in a parameter is always the modifier.
    let optional = cx.at_word(input, "optional");
    let rest = if optional { advance(input, 1) } else { input };
    let (rest, name) = variable_name(cx, rest)?;
    let (rest, ty) = match eat(rest, TokenKind::As) {
        (after, Some(_)) if typed => {
            let (after, ty) = cut(|i| super::types::type_(cx, i, depth)).parse_complete(after)?;
            (after, Some(ty))
        }
        (after, Some(_)) => {
            let (after, ty) =
                cut(|i| primitive_or_nullable_primitive_type(cx, i)).parse_complete(after)?;
            (after, Some(ty))
        }
        (after, None) if typed => return fail(after, Expected::token(TokenKind::As)),
        (after, None) => (after, None),
    };
    Ok((
        rest,
        Param {
            name,
            optional,
            ty,
            span: cx.span(input, rest),
        },
    ))
}

/// grammar: coalesce-expression
/// grammar: logical-or-expression
/// grammar: logical-and-expression
/// grammar: is-expression
/// grammar: as-expression
/// grammar: equality-expression
/// grammar: relational-expression
/// grammar: additive-expression
/// grammar: multiplicative-expression
///
/// All binary levels by precedence climbing: each operand is parsed once, each level's
/// operators become one flat, left-associative node, and recursion is bounded by the number
/// of levels, not by the length of the chain.
fn binary_expression<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Expr> {
    let (rest, first) = metadata_expression(cx, input, depth)?;
    climb(cx, input, rest, first, 0, depth)
}

/// Extends `lhs` (parsed from `start`) with operators of level `min_level` or higher. After
/// a chain at level L only lower levels may follow (a higher one can only appear after the
/// type operand of `is`/`as`, where the grammar forbids it).
fn climb<'a>(
    cx: &ParseState<'a>,
    start: Input<'a>,
    mut rest: Input<'a>,
    mut lhs: Expr,
    min_level: u8,
    depth: Depth,
) -> PResult<'a, Expr> {
    let mut ceiling = u8::MAX;
    while let Some((level, _)) = rest.first().and_then(|t| binary_op(t.kind())) {
        if level < min_level || level > ceiling {
            break;
        }
        let mut chain = Vec::new();
        while let Some((op_token, op)) = rest.first().and_then(|t| {
            binary_op(t.kind())
                .filter(|(l, _)| *l == level)
                .map(|(_, op)| (t, op))
        }) {
            let after_op = advance(rest, 1);
            let (after, right) = if matches!(op, BinaryOp::Is | BinaryOp::As) {
                let (after, ty) = cut(|i| primitive_or_nullable_primitive_type(cx, i))
                    .parse_complete(after_op)?;
                let span = ty.span;
                (after, Expr::new(ExprKind::Type(Box::new(ty)), span))
            } else {
                let (after, operand) =
                    cut(|i| metadata_expression(cx, i, depth)).parse_complete(after_op)?;
                climb(cx, after_op, after, operand, level + 1, depth)?
            };
            chain.push(BinaryRhs {
                op,
                op_span: op_token.span(),
                right,
            });
            rest = after;
        }
        chain.shrink_to_fit();
        lhs = Expr::new(
            ExprKind::Binary {
                first: Box::new(lhs),
                rest: chain,
            },
            cx.span(start, rest),
        );
        match level.checked_sub(1) {
            Some(lower) => ceiling = lower,
            None => break,
        }
    }
    Ok((rest, lhs))
}

/// The precedence level (lowest 0) and operator of a binary operator token.
fn binary_op(kind: TokenKind) -> Option<(u8, BinaryOp)> {
    Some(match kind {
        TokenKind::QuestionQuestion => (0, BinaryOp::Coalesce),
        TokenKind::Or => (1, BinaryOp::Or),
        TokenKind::And => (2, BinaryOp::And),
        TokenKind::Is => (3, BinaryOp::Is),
        TokenKind::As => (4, BinaryOp::As),
        TokenKind::Equal => (5, BinaryOp::Equal),
        TokenKind::NotEqual => (5, BinaryOp::NotEqual),
        TokenKind::Less => (6, BinaryOp::Less),
        TokenKind::LessEqual => (6, BinaryOp::LessEqual),
        TokenKind::Greater => (6, BinaryOp::Greater),
        TokenKind::GreaterEqual => (6, BinaryOp::GreaterEqual),
        TokenKind::Plus => (7, BinaryOp::Add),
        TokenKind::Minus => (7, BinaryOp::Subtract),
        TokenKind::Ampersand => (7, BinaryOp::Concatenate),
        TokenKind::Star => (8, BinaryOp::Multiply),
        TokenKind::Slash => (8, BinaryOp::Divide),
        _ => return None,
    })
}

/// grammar: metadata-expression
fn metadata_expression<'a>(
    cx: &ParseState<'a>,
    input: Input<'a>,
    depth: Depth,
) -> PResult<'a, Expr> {
    let (rest, value) = unary_expression(cx, input, depth)?;
    let (rest, Some(_)) = eat(rest, TokenKind::Meta) else {
        return Ok((rest, value));
    };
    let (rest, meta) = cut(|i| unary_expression(cx, i, depth)).parse_complete(rest)?;
    if peek(rest) == Some(TokenKind::Meta) {
        return fail_message(
            rest,
            "`meta` cannot be chained: parenthesize the first `meta` expression",
        );
    }
    let kind = ExprKind::Meta {
        value: Box::new(value),
        meta: Box::new(meta),
    };
    Ok((rest, Expr::new(kind, cx.span(input, rest))))
}

/// grammar: unary-expression
///
/// Prefix operators are collected in a loop (no recursion), so `- - - x` stays flat.
fn unary_expression<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Expr> {
    let mut ops = Vec::new();
    let mut rest = input;
    while let Some(first) = rest.first() {
        let op = match first.kind() {
            TokenKind::Plus => UnaryOp::Plus,
            TokenKind::Minus => UnaryOp::Minus,
            TokenKind::Not => UnaryOp::Not,
            _ => break,
        };
        ops.push((op, first.span()));
        rest = advance(rest, 1);
    }
    if ops.is_empty() {
        return type_expression(cx, input, depth);
    }
    let (rest, operand) = cut(|i| type_expression(cx, i, depth)).parse_complete(rest)?;
    let kind = ExprKind::Unary {
        ops,
        operand: Box::new(operand),
    };
    Ok((rest, Expr::new(kind, cx.span(input, rest))))
}

/// grammar: type-expression
fn type_expression<'a>(cx: &ParseState<'a>, input: Input<'a>, depth: Depth) -> PResult<'a, Expr> {
    let (rest, Some(_)) = eat(input, TokenKind::Type) else {
        return primary_expression(cx, input, depth);
    };
    let depth = depth.nest(cx, input)?;
    let (rest, ty) = cut(|i| primary_type(cx, i, depth)).parse_complete(rest)?;
    Ok((
        rest,
        Expr::new(ExprKind::Type(Box::new(ty)), cx.span(input, rest)),
    ))
}

/// Records a recoverable error and lets the caller go on (or stops at the error cap).
fn report_and_continue(cx: &ParseState<'_>, error: PError) -> Result<(), Err<PError>> {
    match cx.report(error) {
        stopped if stopped.kind == PErrorKind::Abort => Err(Err::Failure(stopped)),
        _ => Ok(()),
    }
}
