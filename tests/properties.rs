//! Properties over arbitrary input: parsing never panics, errors are capped, and every span
//! (in errors, comments and the tree) lies within the text and on character boundaries.

use mezcheck::syntax::dump::dump;
use mezcheck::syntax::{MAX_ERRORS, parse};
use proptest::prelude::*;

/// Every `start..end` span printed in the dump.
fn dump_spans(dump: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for line in dump.lines() {
        let Some(word) = line.split_whitespace().nth(1) else {
            continue;
        };
        if let Some((start, end)) = word.split_once("..")
            && let (Ok(start), Ok(end)) = (start.parse(), end.parse())
        {
            spans.push((start, end));
        }
    }
    spans
}

fn check(text: &str) {
    let parse = parse(text);
    assert!(parse.errors.len() <= MAX_ERRORS + 1);
    let mut spans: Vec<(usize, usize)> = dump_spans(&dump(&parse));
    spans.extend(
        parse
            .errors
            .iter()
            .map(|e| (e.span.start as usize, e.span.end as usize)),
    );
    spans.extend(
        parse
            .comments
            .iter()
            .map(|s| (s.start as usize, s.end as usize)),
    );
    for (start, end) in spans {
        assert!(
            start <= end && end <= text.len(),
            "{start}..{end} in {} bytes",
            text.len()
        );
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{start}..{end}"
        );
    }
}

const TOKENS: &[&str] = &[
    "let",
    "in",
    "each",
    "if",
    "then",
    "else",
    "try",
    "otherwise",
    "catch",
    "error",
    "type",
    "meta",
    "section",
    "shared",
    "and",
    "or",
    "not",
    "is",
    "as",
    "optional",
    "nullable",
    "table",
    "function",
    "number",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ";",
    "=",
    "=>",
    "+",
    "-",
    "*",
    "/",
    "&",
    "<",
    "<>",
    "??",
    "?",
    "!",
    "@",
    "..",
    "...",
    "_",
    "x",
    "A.B",
    "1",
    ".5",
    "0xF",
    "\"t\"",
    "#\"q\"",
    "#!\"v\"",
    "#date",
    "#nan",
    "//c\n",
    "/*c*/",
    "\"#(x)\"",
    "#(",
    "\u{85}",
    "\u{FEFF}",
    "é",
    "\0",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Arbitrary Unicode text.
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check(&text);
    }

    /// Text drawn from M-ish characters, which reaches deeper into the grammar.
    #[test]
    fn m_like_text_never_panics(text in "[a-z0-9 ()\\[\\]{},;=<>+*/&?!@.#\"_\n\r-]{0,200}") {
        check(&text);
    }

    /// Soups of real M tokens separated by blanks or nothing.
    #[test]
    fn token_soup_never_panics(picks in prop::collection::vec((0..TOKENS.len(), any::<bool>()), 0..120)) {
        let text: String = picks.iter().map(|(i, blank)| format!("{}{}", TOKENS[*i], if *blank { " " } else { "" })).collect();
        check(&text);
    }
}
