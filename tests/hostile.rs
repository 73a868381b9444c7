//! Hostile inputs from the robustness notes: deep nesting of every recursive form, very long
//! operator chains, a 1 MiB line, megabytes of comments, binary junk. Each must end with a
//! clear outcome (a `TooDeep` finding, or no error), never a stack overflow, in debug builds
//! on an ordinary 2 MiB test thread and on rayon workers. Outcomes are asserted, never time.

use mezcheck::syntax::dump::dump;
use mezcheck::syntax::{
    Document, ExprKind, MAX_ERRORS, MAX_NESTING, Parse, SyntaxErrorKind, parse,
};

const DEEP: usize = 100_000;

fn too_deep_once(parse: &Parse, what: &str) {
    let too_deep = parse
        .errors
        .iter()
        .filter(|e| e.kind == SyntaxErrorKind::TooDeep)
        .count();
    assert_eq!(
        too_deep,
        1,
        "{what}: {:?}",
        parse.errors.iter().take(3).collect::<Vec<_>>()
    );
    assert!(
        parse.errors.len() <= MAX_ERRORS + 1,
        "{what}: {} errors",
        parse.errors.len()
    );
}

/// 100,000 unclosed and closed openers of each bracket kind end in one `TooDeep` error.
#[test]
fn deep_brackets() {
    for (open, close) in [("(", ")"), ("[a=", "]"), ("{", "}"), ("{[a=", "]}")] {
        too_deep_once(&parse(&open.repeat(DEEP)), open);
        let balanced = format!("{}1{}", open.repeat(DEEP), close.repeat(DEEP));
        too_deep_once(&parse(&balanced), open);
    }
}

/// Deep keyword-led forms and types end in one `TooDeep` error.
#[test]
fn deep_keyword_forms() {
    let cases = [
        "each ".repeat(DEEP),
        "let a = ".repeat(DEEP),
        "if a then ".repeat(DEEP),
        "try ".repeat(DEEP),
        "error ".repeat(DEEP),
        "(x) => ".repeat(DEEP),
        format!("type {}", "{".repeat(DEEP)),
        format!("type {}", "nullable ".repeat(DEEP)),
        format!("type {}", "function (x as ".repeat(DEEP)),
        format!("type {}", "[a = ".repeat(DEEP)),
        format!("[A = {}] section S;", "{".repeat(DEEP)),
        format!("section S; A = {};", "(".repeat(DEEP)),
        "f(".repeat(DEEP),
        "x{".repeat(DEEP),
        "1 meta (".repeat(DEEP),
    ];
    for case in &cases {
        too_deep_once(&parse(case), case.get(..12).unwrap_or(case));
    }
}

/// Prefix operators are a flat loop: 100,000 of them parse without error into one node.
#[test]
fn long_unary_chains() {
    for op in ["- ", "not ", "+"] {
        let text = format!("{}1", op.repeat(DEEP));
        let parse = parse(&text);
        assert!(parse.errors.is_empty(), "{op}: {:?}", parse.errors.first());
        let Document::Expression(expr) = &parse.document else {
            panic!("not an expression")
        };
        let ExprKind::Unary { ops, .. } = &expr.kind else {
            panic!("not unary")
        };
        assert_eq!(ops.len(), DEEP);
    }
}

/// A 200,000-term `+` chain parses with no error into one flat node.
#[test]
fn long_binary_chain() {
    let text = format!("1{}", " + 1".repeat(199_999));
    let parse = parse(&text);
    assert!(parse.errors.is_empty());
    let Document::Expression(expr) = &parse.document else {
        panic!("not an expression")
    };
    let ExprKind::Binary { rest, .. } = &expr.kind else {
        panic!("not binary")
    };
    assert_eq!(rest.len(), 199_999);
    let mixed = format!("1{}", " + 2 * 3 - 4 ?? 5 and 6".repeat(30_000));
    assert!(parse_ok(&mixed));
}

/// Postfix chains are flat too.
#[test]
fn long_postfix_chain() {
    let text = format!("x{}", "[a]{0}(1)".repeat(50_000));
    assert!(parse_ok(&text));
}

fn parse_ok(text: &str) -> bool {
    parse(text).errors.is_empty()
}

/// A single 1 MiB line: a long list, a long text literal, a long identifier.
#[test]
fn one_mebibyte_line() {
    // Items of ten bytes: a megabyte line within `MAX_LIST_ITEMS`.
    let list = format!("{{{}1}}", "\"1234567\", ".repeat(110_000));
    assert!(list.len() > 1 << 20 && parse_ok(&list));
    let text = format!("\"{}\"", "x".repeat(1 << 20));
    assert!(parse_ok(&text));
    let ident = "a".repeat(1 << 20);
    assert!(parse_ok(&ident));
}

/// Four megabytes of block comments between two tokens.
#[test]
fn megabytes_of_comments() {
    let text = format!(
        "1 {}+ {}1",
        "/* */".repeat(400_000),
        "/**/ // x\n".repeat(200_000)
    );
    assert!(text.len() > 4_000_000);
    let parse = parse(&text);
    assert!(parse.errors.is_empty());
    assert_eq!(parse.comments.len(), 800_000);
}

/// The deepest accepted trees of each kind are built, dumped and dropped on this (2 MiB)
/// test thread without overflow.
#[test]
fn deepest_allowed_trees_drop() {
    let n = MAX_NESTING - 1;
    for (open, close) in [
        ("(", ")"),
        ("{", "}"),
        ("[a=", "]"),
        ("each ", ""),
        ("(x) => ", ""),
        ("let a = ", " in a"),
    ] {
        let text = format!("{}1{}", open.repeat(n), close.repeat(n));
        let parse = parse(&text);
        assert!(
            parse.errors.is_empty(),
            "{open}: {:?}",
            parse.errors.first()
        );
        assert!(dump(&parse).lines().count() > n);
        drop(parse);
    }
}

/// Parsing on rayon workers (small default stacks) is as safe as anywhere.
#[test]
fn rayon_workers() {
    use rayon::prelude::*;
    let inputs: Vec<String> = ["(", "{", "each ", "[a="]
        .iter()
        .map(|open| open.repeat(DEEP))
        .collect();
    let outcomes: Vec<usize> = inputs
        .par_iter()
        .map(|text| parse(text).errors.len())
        .collect();
    assert!(outcomes.iter().all(|n| *n >= 1));
}

/// Random binary and NUL-interleaved text yield a capped number of errors.
#[test]
fn junk_is_capped() {
    let binary: String = (0..200_000u32)
        .map(|i| char::from_u32((i * 7919) % 0x3000).unwrap_or('?'))
        .collect();
    let parse = parse(&binary);
    assert!(!parse.errors.is_empty() && parse.errors.len() <= MAX_ERRORS + 1);
    let interleaved: String = "section S; A = 1;"
        .chars()
        .flat_map(|c| [c, '\0'])
        .collect::<String>()
        .repeat(1000);
    let parse = mezcheck::syntax::parse(&interleaved);
    assert!(!parse.errors.is_empty() && parse.errors.len() <= MAX_ERRORS + 1);
    let last = parse.errors.last().map(|e| e.kind);
    assert_eq!(last, Some(SyntaxErrorKind::TooManyErrors));
}

/// Many independent broken members: every one is reported until the cap.
#[test]
fn many_broken_members() {
    let text = format!("section S;\n{}", "A = 1 +;\nB = 2;\n".repeat(500));
    let parse = parse(&text);
    assert_eq!(parse.errors.len(), MAX_ERRORS + 1);
    assert_eq!(
        parse.errors.last().map(|e| e.kind),
        Some(SyntaxErrorKind::TooManyErrors)
    );
}

/// A list past `MAX_LIST_ITEMS` and a section past `MAX_SECTION_MEMBERS` give one `TooLarge`
/// error each; parsing resumes after the list, and the members before the limit are kept.
#[test]
fn too_many_items_and_members() {
    use mezcheck::syntax::{MAX_LIST_ITEMS, MAX_SECTION_MEMBERS};
    let list = format!(
        "[a = {{{}}}, b = 2 +]",
        vec!["1"; MAX_LIST_ITEMS + 5].join(",")
    );
    let parsed = parse(&list);
    let kinds: Vec<_> = parsed.errors.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![SyntaxErrorKind::TooLarge, SyntaxErrorKind::Syntax],
        "{:?}",
        parsed.errors
    );
    let members = format!("section S;\n{}", "m = 1;\n".repeat(MAX_SECTION_MEMBERS + 3));
    let parsed = parse(&members);
    let kinds: Vec<_> = parsed.errors.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![SyntaxErrorKind::TooLarge],
        "{:?}",
        parsed.errors
    );
    let Document::Section(section) = &parsed.document else {
        panic!("a section document");
    };
    assert_eq!(section.members.len(), MAX_SECTION_MEMBERS);
}
