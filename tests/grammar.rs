//! Keeps `grammar/m.ebnf` honest: every production is implemented by a parser function
//! marked `/// grammar: <name>` (or is lexical), every mark names a production, and every
//! `ok:`/`err:` example written beside the productions parses (or fails) as marked.

use std::collections::BTreeSet;
use std::path::Path;

fn ebnf() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/m.ebnf"))
        .unwrap_or_default()
}

/// (name, is lexical) for every production: a line starting with `name =`.
fn productions(ebnf: &str) -> Vec<(String, bool)> {
    ebnf.lines()
        .filter_map(|line| {
            let (name, rest) = line.split_once(" = ")?;
            let is_name =
                !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '-');
            is_name.then(|| {
                (
                    name.to_owned(),
                    rest.trim_start().starts_with("(* lexical *)"),
                )
            })
        })
        .collect()
}

/// Every `/// grammar: name` mark under `src/syntax/`.
fn marks(dir: &Path, out: &mut BTreeSet<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            marks(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for line in text.lines() {
                if let Some(name) = line.trim().strip_prefix("/// grammar: ") {
                    out.insert(name.trim().to_owned());
                }
            }
        }
    }
}

/// Every `(* ok: TEXT *)` / `(* err: TEXT *)` example, with `#x85;` standing for U+0085.
fn examples(ebnf: &str) -> Vec<(bool, String)> {
    let mut found = Vec::new();
    for (marker, ok) in [("(* ok:", true), ("(* err:", false)] {
        let mut rest = ebnf;
        while let Some(at) = rest.find(marker) {
            let after = &rest[at + marker.len()..];
            let end = after.find("*)").unwrap_or(after.len());
            found.push((ok, after[..end].trim().replace("#x85;", "\u{85}")));
            rest = &after[end..];
        }
    }
    found
}

/// Productions and parser marks agree in both directions.
#[test]
fn productions_match_parser_functions() {
    let ebnf = ebnf();
    let productions = productions(&ebnf);
    assert!(
        productions.len() > 50,
        "only {} productions found",
        productions.len()
    );
    let mut marked = BTreeSet::new();
    marks(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/syntax"),
        &mut marked,
    );
    let names: BTreeSet<String> = productions.iter().map(|(name, _)| name.clone()).collect();
    let unimplemented: Vec<_> = productions
        .iter()
        .filter(|(name, lexical)| !lexical && !marked.contains(name))
        .collect();
    assert!(
        unimplemented.is_empty(),
        "productions without a `/// grammar:` function: {unimplemented:?}"
    );
    let unknown: Vec<_> = marked
        .iter()
        .filter(|mark| !names.contains(*mark))
        .collect();
    assert!(
        unknown.is_empty(),
        "marks naming no production: {unknown:?}"
    );
    let lexical_marked: Vec<_> = productions
        .iter()
        .filter(|(name, lexical)| *lexical && marked.contains(name))
        .collect();
    assert!(
        lexical_marked.is_empty(),
        "lexical productions with parser marks: {lexical_marked:?}"
    );
}

/// Each example parses (or fails) as marked.
#[test]
fn examples_behave_as_marked() {
    let examples = examples(&ebnf());
    assert!(
        examples.len() > 80,
        "only {} examples found",
        examples.len()
    );
    let wrong: Vec<String> = examples
        .iter()
        .filter_map(|(ok, text)| {
            let parse = mezcheck::syntax::parse(text);
            (parse.errors.is_empty() != *ok).then(|| {
                format!(
                    "{}: {text:?} {:?}",
                    if *ok { "ok" } else { "err" },
                    parse.errors.first()
                )
            })
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "examples that do not behave as marked:\n{}",
        wrong.join("\n")
    );
}
