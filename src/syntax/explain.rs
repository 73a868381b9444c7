//! After parsing: a label under each error, a likely fix where the tokens show one, and no
//! cascade from a missing quote.
//!
//! The parser reports where the tokens stop fitting the grammar; the mistake is often a little
//! earlier. This pass looks at the tokens around each error and says what a person would:
//! the `,` missing at the end of the previous line, the bracket that is never closed, the
//! primitive type that is misspelt. A missing `"` turns the rest of the file inside out (text
//! becomes code and code becomes text), so when the first error sits right after a text
//! literal, that error names the literal and the errors after it are dropped.

use super::error::{SyntaxError, SyntaxErrorKind};
use super::parser::join_expected;
use super::token::{Token, TokenKind};
use crate::source::{LineIndex, Span};
use crate::syntax::PrimitiveType;

/// Most edits between a misspelt primitive type and the name suggested for it.
const MAX_TYPE_TYPO: usize = 2;

/// Errors that get help and related places; each looks back over the tokens, so a file of
/// junk with [`super::MAX_ERRORS`] errors stays linear. Every error gets a label.
const MAX_EXPLAINED: usize = 10;

/// Adds labels, help and related places to `errors` (sorted by position), and drops the
/// errors that follow a missing quote.
pub(crate) fn explain(text: &str, tokens: &[Token], errors: &mut Vec<SyntaxError>) {
    if errors.is_empty() {
        return;
    }
    let lines = LineIndex::new(text);
    let line_of = |offset: u32| lines.line_col(text, offset).line;
    if let Some(first) = errors.first_mut()
        && let Some(literal) = quote_suspect(text, tokens, first)
    {
        // Point at the literal, where the quote is missing, and keep where the tokens stopped
        // fitting as the related place.
        let (start, end) = (line_of(literal.start), line_of(literal.end));
        let runs_to = if end > start {
            format!("runs on to line {end}")
        } else {
            "ends at an unexpected place".to_owned()
        };
        let original = std::mem::take(&mut first.message);
        first.related = Some((first.span, original));
        first.message = format!("this text literal {runs_to}: a closing `\"` may be missing");
        first.span = Span::new(literal.start, literal.start + 1);
        first.label = "the text literal starts here".to_owned();
        first.help = Some(format!("close the text literal on line {start}"));
        first.expected.clear();
        errors.truncate(1);
    }
    for (index, error) in errors.iter_mut().enumerate() {
        if error.label.is_empty() {
            error.label = label(error);
        }
        if index >= MAX_EXPLAINED || error.kind != SyntaxErrorKind::Syntax {
            continue;
        }
        let at = token_index(tokens, error.span.start);
        if error.related.is_none()
            && expects_close(error)
            && let Some((open, spelling)) = unclosed_bracket(tokens, at)
        {
            error.related = Some((open, format!("this `{spelling}` is never closed")));
            error.help = Some(format!(
                "close the `{spelling}` opened on line {}",
                line_of(open.start)
            ));
        }
        if error.help.is_none() {
            error.help = help(text, tokens, at, error, &line_of);
        }
    }
}

/// The text literal just before `error`, when the error is at the token right after it and
/// that token cannot follow a literal. A literal that spans lines and is followed by anything
/// but an operator, a separator or a closing bracket is almost always a missing quote; on one
/// line only a name or a number counts (`{"a" "b"}` is more likely a missing comma).
fn quote_suspect(text: &str, tokens: &[Token], error: &SyntaxError) -> Option<Span> {
    if !matches!(
        error.kind,
        SyntaxErrorKind::Syntax | SyntaxErrorKind::Lexical
    ) {
        return None;
    }
    let at = token_index(tokens, error.span.start);
    let found = tokens.get(at)?;
    if found.span().start != error.span.start {
        return None;
    }
    let before = tokens.get(at.checked_sub(1)?)?;
    if !matches!(before.kind(), TokenKind::Text | TokenKind::QuotedIdent) {
        return None;
    }
    let literal = text.get(before.span().range()).unwrap_or_default();
    let spans_lines = literal.contains(super::is_line_terminator);
    let suspect = if spans_lines {
        !can_follow_expression(found.kind())
    } else {
        matches!(found.kind(), TokenKind::Ident | TokenKind::Number)
    };
    suspect.then(|| before.span())
}

/// Tokens that may come right after a complete expression.
fn can_follow_expression(kind: TokenKind) -> bool {
    use TokenKind as K;
    kind.is_close_bracket()
        || matches!(
            kind,
            K::Comma
                | K::Semicolon
                | K::Equal
                | K::NotEqual
                | K::Less
                | K::LessEqual
                | K::Greater
                | K::GreaterEqual
                | K::Plus
                | K::Minus
                | K::Star
                | K::Slash
                | K::Ampersand
                | K::QuestionQuestion
                | K::DotDot
                | K::And
                | K::Or
                | K::Is
                | K::As
                | K::Meta
                | K::Then
                | K::Else
                | K::In
                | K::Otherwise
                | K::LParen
                | K::LBracket
                | K::LBrace
        )
}

/// Index of the first token that starts at or after `offset`.
fn token_index(tokens: &[Token], offset: u32) -> usize {
    tokens.partition_point(|token| token.span().start < offset)
}

fn label(error: &SyntaxError) -> String {
    match error.kind {
        SyntaxErrorKind::Syntax if error.message.starts_with("trailing comma") => {
            "trailing `,`".to_owned()
        }
        SyntaxErrorKind::Syntax if error.message.contains("cannot be an operand") => {
            "needs parentheses".to_owned()
        }
        SyntaxErrorKind::Syntax if !error.expected.is_empty() => {
            format!("expected {}", join_expected(&error.expected))
        }
        SyntaxErrorKind::Syntax => "not expected here".to_owned(),
        SyntaxErrorKind::Lexical => lexical_label(&error.message).to_owned(),
        SyntaxErrorKind::TooDeep => "nested too deep".to_owned(),
        SyntaxErrorKind::TooLarge => "the rest is not analysed".to_owned(),
        SyntaxErrorKind::TooManyErrors => "later errors are not reported".to_owned(),
    }
}

fn lexical_label(message: &str) -> &'static str {
    if message.starts_with("unterminated") {
        "not closed before the end of the file"
    } else if message.starts_with("invalid escape") {
        "not a valid escape"
    } else if message.starts_with("unexpected character") {
        "no M token starts here"
    } else if message.ends_with("is not a keyword") {
        "not a keyword"
    } else {
        "not valid M here"
    }
}

fn help(
    text: &str,
    tokens: &[Token],
    at: usize,
    error: &SyntaxError,
    line_of: &impl Fn(u32) -> u32,
) -> Option<String> {
    if error.message.starts_with("trailing comma") {
        return Some("remove the `,`".to_owned());
    }
    if error.message.starts_with("expected primitive type") {
        let found = text.get(error.span.range()).unwrap_or_default();
        return Some(match closest_primitive(found) {
            Some(name) => format!("did you mean `{name}`?"),
            None => format!(
                "the primitive types are {}",
                PrimitiveType::NAMES.join(", ")
            ),
        });
    }
    // A separator the parser wanted, with the next word on a later line: the usual cause is
    // a `,` left out at the end of the previous line.
    let wants_comma = error.expected.iter().any(|e| e == "`,`");
    let previous = tokens.get(at.checked_sub(1)?)?;
    let found_line = line_of(error.span.start);
    let previous_line = line_of(previous.span().end);
    if wants_comma && found_line > previous_line && !previous.kind().is_open_bracket() {
        let wants_in = error.expected.iter().any(|e| e == "`in`");
        return Some(if wants_in {
            format!(
                "a `,` may be missing at the end of line {previous_line}, or `in` before line {found_line}"
            )
        } else {
            format!("a `,` may be missing at the end of line {previous_line}")
        });
    }
    None
}

fn closest_primitive(found: &str) -> Option<&'static str> {
    let lower = found.to_ascii_lowercase();
    PrimitiveType::NAMES
        .iter()
        .map(|name| (strsim::levenshtein(&lower, name), *name))
        .filter(|(distance, _)| *distance <= MAX_TYPE_TYPO)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

fn expects_close(error: &SyntaxError) -> bool {
    error
        .expected
        .iter()
        .any(|e| matches!(e.as_str(), "`)`" | "`]`" | "`}`"))
}

/// The nearest open bracket before token `at` that the lexer could not pair, and its
/// spelling.
fn unclosed_bracket(tokens: &[Token], at: usize) -> Option<(Span, &'static str)> {
    let before = tokens.get(..at)?;
    let open = before
        .iter()
        .rev()
        .find(|token| token.kind().is_open_bracket() && token.partner().is_none())?;
    Some((open.span(), open.kind().spelling().unwrap_or("(")))
}
