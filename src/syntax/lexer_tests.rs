//! Unit tests for the tricky corners of the lexer.

use super::*;

fn kinds(text: &str) -> Vec<TokenKind> {
    let mut sink = ErrorSink::default();
    lex(text, &mut sink)
        .tokens
        .iter()
        .map(|token| token.kind())
        .collect()
}

fn texts(text: &str) -> Vec<String> {
    let mut sink = ErrorSink::default();
    let lexed = lex(text, &mut sink);
    lexed
        .tokens
        .iter()
        .map(|token| {
            text.get(token.span().range())
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

fn errors(text: &str) -> Vec<String> {
    let mut sink = ErrorSink::default();
    lex(text, &mut sink);
    sink.into_vec()
        .into_iter()
        .map(|error| error.message)
        .collect()
}

/// Ranges keep `..` intact after numbers and dotted identifiers.
#[test]
fn ranges_are_not_swallowed() {
    assert_eq!(texts("{1..5}"), ["{", "1", "..", "5", "}"]);
    assert_eq!(texts("{A.B..C}"), ["{", "A.B", "..", "C", "}"]);
    assert_eq!(texts("{a...}"), ["{", "a", "...", "}"]);
}

/// Number forms: `.5`, hex, exponents; `1.e3` is not one number.
#[test]
fn number_forms() {
    assert_eq!(
        texts(".5 0xFF 1.5e-3 2E10 0X1f"),
        [".5", "0xFF", "1.5e-3", "2E10", "0X1f"]
    );
    assert_ne!(texts("1.e3"), ["1.e3"]);
    assert_eq!(texts("1.e3").first().map(String::as_str), Some("1"));
    assert_eq!(texts("1st"), ["1", "st"]);
}

/// `??` is one token, `?` another; `=>` and `<>` win over their prefixes.
#[test]
fn longest_punctuator() {
    use TokenKind as K;
    assert_eq!(kinds("a??b"), [K::Ident, K::QuestionQuestion, K::Ident]);
    assert_eq!(
        kinds("a[b]? ?? c"),
        [
            K::Ident,
            K::LBracket,
            K::Ident,
            K::RBracket,
            K::Question,
            K::QuestionQuestion,
            K::Ident
        ]
    );
    assert_eq!(
        kinds("<> <= >= =>"),
        [K::NotEqual, K::LessEqual, K::GreaterEqual, K::FatArrow]
    );
}

/// Dotted names are single identifiers even when a part is a keyword.
#[test]
fn dotted_identifiers() {
    assert_eq!(kinds("Value.Type"), [TokenKind::Ident]);
    assert_eq!(
        kinds("Table.AddColumn Foo.if"),
        [TokenKind::Ident, TokenKind::Ident]
    );
    assert_eq!(kinds("type"), [TokenKind::Type]);
    assert_eq!(
        kinds("optional nullable catch number table"),
        [TokenKind::Ident; 5]
    );
}

/// `#(#)` is a valid escape and bad escapes are reported, not decoded.
#[test]
fn text_escapes() {
    assert!(errors(r##""#(#)(""##).is_empty());
    assert_eq!(
        errors(r##""#(xyz)""##),
        ["invalid escape `#(xyz)` in text literal"]
    );
    assert_eq!(
        errors(r##""#(D800)""##),
        ["invalid escape `#(D800)` in text literal"]
    );
    assert_eq!(kinds(r#""a""b""#), [TokenKind::Text]);
}

/// Hash words: keywords, quoted identifiers, verbatim literals and unknown words.
#[test]
fn hash_words() {
    use TokenKind as K;
    assert_eq!(
        kinds(r##"#date #"a b" #!"x" #nan"##),
        [K::HashDate, K::QuotedIdent, K::Verbatim, K::HashNan]
    );
    assert_eq!(errors("#foo"), ["`#foo` is not a keyword"]);
}

/// Comments are trivia; an unterminated one is an error.
#[test]
fn comments() {
    let mut sink = ErrorSink::default();
    let lexed = lex("a // x\n/* y */ b /* z", &mut sink);
    assert_eq!(lexed.tokens.len(), 2);
    assert_eq!(lexed.comments.len(), 3);
    assert_eq!(
        sink.into_vec().first().map(|e| e.message.clone()),
        Some("unterminated block comment".to_owned())
    );
}

/// Every M line terminator ends a `//` comment; VT, FF and NBSP are blanks.
#[test]
fn line_terminators() {
    for terminator in ["\r", "\n", "\r\n", "\u{85}", "\u{2028}", "\u{2029}"] {
        assert_eq!(kinds(&format!("// c{terminator}1")), [TokenKind::Number]);
    }
    assert_eq!(
        kinds("1\u{B}\u{C}\u{A0}\u{3000}+ 2"),
        [TokenKind::Number, TokenKind::Plus, TokenKind::Number]
    );
}

/// A byte order mark is trivia, a final Ctrl-Z is dropped, spans stay byte offsets.
#[test]
fn bom_and_ctrl_z() {
    let mut sink = ErrorSink::default();
    let lexed = lex("\u{FEFF}x\u{1A}", &mut sink);
    assert_eq!(
        lexed.tokens.iter().map(Token::span).collect::<Vec<_>>(),
        [Span::new(3, 4)]
    );
    assert!(sink.into_vec().is_empty());
}

/// Brackets are paired, and mismatched ones stay unpaired.
#[test]
fn bracket_partners() {
    let mut sink = ErrorSink::default();
    let lexed = lex("( [ ] { ) }", &mut sink);
    let partners: Vec<_> = lexed.tokens.iter().map(Token::partner).collect();
    assert_eq!(partners, [Some(4), Some(2), Some(1), None, Some(0), None]);
}

/// Junk becomes one error per run, not one per byte.
#[test]
fn junk_runs() {
    assert_eq!(errors("\u{0}\u{0}\u{0}\u{0}").len(), 1);
    assert_eq!(errors("a $ b").len(), 1);
}
