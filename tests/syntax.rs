//! Parser snapshots: every `tests/syntax/ok/*.pq` parses without error and every
//! `tests/syntax/err/*.pq` reports at least one error; each file's tree dump and rendered
//! errors are snapshotted. Also checks of the public entry points on small inputs.

use mezcheck::syntax::dump::dump;
use mezcheck::syntax::{
    Document, ExprKind, MAX_NESTING, Parse, SyntaxErrorKind, parse, parse_expression_document,
};

/// 1-based line and column (in characters) of byte `offset`, breaking lines the M way.
fn line_col(text: &str, offset: usize) -> (usize, usize, usize) {
    let (mut line, mut line_start) = (1, 0);
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if at >= offset {
            break;
        }
        if mezcheck::syntax::is_line_terminator(c) {
            if c == '\r' && chars.peek().is_some_and(|(_, next)| *next == '\n') {
                continue;
            }
            line += 1;
            line_start = at + c.len_utf8();
        }
    }
    let column = text
        .get(line_start..offset)
        .map_or(0, |s| s.chars().count())
        + 1;
    (line, column, line_start)
}

/// `line:col: message`, the source line and a caret line under the span.
fn render_errors(text: &str, parse: &Parse) -> String {
    let mut out = String::new();
    for error in &parse.errors {
        let start = (error.span.start as usize).min(text.len());
        let (line, column, line_start) = line_col(text, start);
        let rest = text.get(line_start..).unwrap_or_default();
        let source_line: String = rest
            .chars()
            .take_while(|c| !mezcheck::syntax::is_line_terminator(*c))
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        let width = text
            .get(start..(error.span.end as usize).min(text.len()))
            .map_or(0, |s| s.chars().count());
        let carets = "^".repeat(
            width.clamp(
                1,
                source_line
                    .chars()
                    .count()
                    .saturating_sub(column - 1)
                    .max(1),
            ),
        );
        out.push_str(&format!(
            "{line}:{column}: {} [{:?}]\n",
            error.message, error.kind
        ));
        out.push_str(&format!(
            "  | {source_line}\n  | {}{carets} {}\n",
            " ".repeat(column - 1),
            error.label
        ));
        if let Some((span, label)) = &error.related {
            let (line, column, _) = line_col(text, (span.start as usize).min(text.len()));
            out.push_str(&format!("  = related {line}:{column}: {label}\n"));
        }
        if let Some(help) = &error.help {
            out.push_str(&format!("  = help: {help}\n"));
        }
    }
    out
}

fn render(text: &str, parse: &Parse) -> String {
    format!(
        "{}--- errors ---\n{}",
        dump(parse),
        render_errors(text, parse)
    )
}

/// Valid inputs: no error, and the tree is as snapshotted.
#[test]
fn ok_files() {
    insta::glob!("syntax/ok/*.pq", |path| {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let parse = parse(&text);
        assert!(
            parse.errors.is_empty(),
            "{}: {:?}",
            path.display(),
            parse.errors
        );
        insta::assert_snapshot!(render(&text, &parse));
    });
}

/// Invalid inputs: at least one error, and the errors (and recovered tree) are as snapshotted.
#[test]
fn err_files() {
    insta::glob!("syntax/err/*.pq", |path| {
        let bytes = std::fs::read(path).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        let parse = parse(&text);
        assert!(
            !parse.errors.is_empty(),
            "{} parsed without error",
            path.display()
        );
        insta::assert_snapshot!(render(&text, &parse));
    });
}

/// A section is an error where only an expression document is allowed.
#[test]
fn expression_document_rejects_section() {
    let parse = parse_expression_document("section S; A = 1;");
    assert_eq!(parse.errors.len(), 1);
    assert_eq!(
        parse.errors[0].message,
        "a section document is not allowed here"
    );
    assert!(matches!(parse.document, Document::Expression(_)));
    assert!(matches!(
        parse_expression_document("[a = 1]").document,
        Document::Expression(_)
    ));
}

/// Detection: attributes then `section` is a section document; a record is an expression.
#[test]
fn document_kind_detection() {
    assert!(matches!(
        parse("[Version = \"1\"] section S;").document,
        Document::Section(_)
    ));
    assert!(matches!(
        parse("[Version = \"1\"]").document,
        Document::Expression(_)
    ));
    assert!(matches!(
        parse("/* c */ section S;").document,
        Document::Section(_)
    ));
}

/// Comments are returned as trivia spans for suppression comments.
#[test]
fn comments_are_collected() {
    let text = "// mezcheck: ignore[PQ001]\nlet a = 1 /* x */ in a";
    let parse = parse(text);
    let comments: Vec<&str> = parse
        .comments
        .iter()
        .map(|span| &text[span.range()])
        .collect();
    assert_eq!(comments, ["// mezcheck: ignore[PQ001]", "/* x */"]);
}

/// Nesting at the limit parses; one level more is one `TooDeep` error.
#[test]
fn nesting_limit_is_exact() {
    let at_limit = format!(
        "{}1{}",
        "(".repeat(MAX_NESTING - 1),
        ")".repeat(MAX_NESTING - 1)
    );
    assert!(parse(&at_limit).errors.is_empty());
    let past = format!("{}1{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
    let errors = parse(&past).errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].kind, SyntaxErrorKind::TooDeep);
    assert_eq!(
        errors[0].message,
        format!("nesting too deep: more than {MAX_NESTING} levels")
    );
}

/// The too-deep snapshot: a generated input one level past the limit, in a section member,
/// with a good member after it (recovery continues).
#[test]
fn too_deep_snapshot() {
    let deep = format!(
        "section S;\nA = {}1{};\nB = 2;\n",
        "{".repeat(MAX_NESTING + 1),
        "}".repeat(MAX_NESTING + 1)
    );
    let parse = parse(&deep);
    let Document::Section(section) = &parse.document else {
        panic!("not a section")
    };
    let names: Vec<&str> = section
        .members
        .iter()
        .map(|m| m.name.name.as_str())
        .collect();
    assert_eq!(names, ["B"]);
    insta::assert_snapshot!(render_errors(&deep, &parse));
}

/// Helpers for later stages: calls, identifiers and text values are easy to reach.
#[test]
fn ast_helpers() {
    let Document::Expression(expr) = parse("Extension.Contents(\"a#(tab)b.pqm\")").document else {
        panic!()
    };
    let (callee, args) = expr.as_call().expect("a call");
    assert_eq!(
        callee.as_ident().map(|i| i.name.as_str()),
        Some("Extension.Contents")
    );
    assert_eq!(args[0].as_text(), Some("a\tb.pqm"));
    assert!(
        matches!(parse("").document, Document::Expression(ref e) if e.kind == ExprKind::Missing)
    );
}

/// One realistic connector per kind of mistake, checked as `check --select PQ100` would and
/// rendered in the `full` format without colour: exactly the findings a person expects, the
/// first at the mistake, with its label, related place and help.
#[test]
fn mistakes_in_connectors() {
    use mezcheck::config::{FileConfig, Overrides};
    use mezcheck::diagnostic::Report;
    use mezcheck::output::{Format, RenderOptions, render};

    let selection = Overrides {
        select: Some(vec!["PQ100".to_owned()]),
        ..Overrides::default()
    };
    let config = mezcheck::rules::selection::resolve(&FileConfig::default(), &selection)
        .expect("valid selection");
    insta::glob!("syntax/mistakes/*.pq", |path| {
        let bytes = std::fs::read(path).expect("readable test file");
        let package = mezcheck::testing::archive("Kestrel.mez", &[("Kestrel.pq", &bytes)]);
        let report = mezcheck::check_package(package, &config).report;
        let findings = report.diagnostics.len();
        assert!(
            (1..=3).contains(&findings),
            "{}: {findings} findings",
            path.display()
        );
        let mut out = Vec::new();
        render(
            &Report::new(vec![report]),
            Format::Full,
            &RenderOptions::default(),
            &mut out,
        )
        .expect("in-memory write");
        insta::assert_snapshot!(String::from_utf8(out).expect("UTF-8 output"));
    });
}
