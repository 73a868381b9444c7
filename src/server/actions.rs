//! Code actions and hover. Quick fixes come from the exact edits rules attach to findings
//! (carried in each diagnostic's `data`); suppressions insert `// mezcheck: ignore[CODE]` above
//! the finding's line, with its indentation, or add the code to a `file-ignore` comment on the
//! first line (a new one if there is none). Hover explains the rule a suppression comment names.

use std::collections::{BTreeSet, HashMap};

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, Hover, HoverContents,
    MarkupContent, MarkupKind, NumberOrString, Position, Range, TextEdit, Uri, WorkspaceEdit,
};
use serde::Deserialize;

use super::convert::{Encoding, LineIndex};

/// What the server stores in a diagnostic's `data`.
#[derive(Debug, Default, Deserialize)]
struct Data {
    #[serde(default)]
    suppress: bool,
    #[serde(default)]
    fix: Option<FixData>,
}

#[derive(Debug, Deserialize)]
struct FixData {
    title: String,
    edits: Vec<EditData>,
}

#[derive(Debug, Deserialize)]
struct EditData {
    uri: Uri,
    range: Range,
    #[serde(rename = "newText")]
    new_text: String,
}

/// An open document's text and lines.
pub struct Text<'t> {
    pub uri: &'t Uri,
    pub text: &'t str,
    pub lines: &'t LineIndex,
    pub encoding: Encoding,
}

/// The actions for the mezcheck diagnostics the client sent with the request.
pub fn code_actions(document: &Text<'_>, diagnostics: &[Diagnostic]) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    let mut suppressed: BTreeSet<(String, u32)> = BTreeSet::new();
    let mut file_wide: BTreeSet<String> = BTreeSet::new();
    for diagnostic in diagnostics {
        if diagnostic.source.as_deref() != Some("mezcheck") {
            continue;
        }
        let Some(NumberOrString::String(code)) = &diagnostic.code else {
            continue;
        };
        let data: Data = diagnostic
            .data
            .clone()
            .and_then(|data| serde_json::from_value(data).ok())
            .unwrap_or_default();
        if let Some(fix) = data.fix {
            actions.push(quick_fix(fix, diagnostic));
        }
        if !data.suppress {
            continue;
        }
        let line = diagnostic.range.start.line;
        if suppressed.insert((code.clone(), line)) {
            actions.push(action(
                format!("Ignore {code} on this line"),
                document.uri,
                ignore_line(document, code, line),
                diagnostic,
            ));
        }
        if file_wide.insert(code.clone()) {
            actions.push(action(
                format!("Ignore {code} in this file"),
                document.uri,
                ignore_file(document, code),
                diagnostic,
            ));
        }
    }
    actions
}

/// The rule explanation for a rule code or name under the cursor in a suppression comment.
pub fn hover(document: &Text<'_>, position: Position) -> Option<Hover> {
    let line = document
        .lines
        .line_range(document.text, position.line as usize)?;
    let line_text = document.text.get(line.clone())?;
    let offset = document
        .lines
        .offset(document.text, position, document.encoding)
        - line.start;
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let start = line_text
        .get(..offset)?
        .rfind(|c: char| !is_word(c))
        .map_or(0, |at| at + 1);
    let end = line_text
        .get(offset..)?
        .find(|c: char| !is_word(c))
        .map_or(line_text.len(), |at| offset + at);
    let word = line_text.get(start..end).filter(|w| !w.is_empty())?;
    let before = line_text.get(..start)?;
    let marker = before.rfind("mezcheck:")?;
    let list = before.get(marker..)?;
    let inside_list = (list.contains("ignore[")) && !list.contains(']');
    if !inside_list {
        return None;
    }
    let rule = mezcheck::rules::find(word)?;
    let range = document.lines.range(
        document.text,
        line.start + start,
        line.start + end,
        document.encoding,
    );
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: explanation(rule.code),
        }),
        range: Some(range),
    })
}

/// `PQ100 syntax-error (error)` and the rule's documentation, as `mezcheck rule` prints it.
pub fn explanation(code: &str) -> String {
    match mezcheck::rules::find(code) {
        Some(rule) => format!(
            "**{}** `{}` ({})\n\n{}",
            rule.code,
            rule.name,
            rule.default_severity,
            rule.explanation()
        ),
        None => format!("`{code}` is not a mezcheck rule"),
    }
}

// lsp-types' `Uri` holds a lazily filled cache, but hashes and compares its text only.
#[allow(clippy::mutable_key_type)]
fn quick_fix(fix: FixData, diagnostic: &Diagnostic) -> CodeActionOrCommand {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for edit in fix.edits {
        changes.entry(edit.uri).or_default().push(TextEdit {
            range: edit.range,
            new_text: edit.new_text,
        });
    }
    CodeActionOrCommand::CodeAction(CodeAction {
        title: fix.title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }),
        is_preferred: Some(true),
        ..CodeAction::default()
    })
}

fn action(
    title: String,
    uri: &Uri,
    edit: TextEdit,
    diagnostic: &Diagnostic,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
            ..WorkspaceEdit::default()
        }),
        ..CodeAction::default()
    })
}

/// `// mezcheck: ignore[CODE]` on a new line above `line`, indented like it.
fn ignore_line(document: &Text<'_>, code: &str, line: u32) -> TextEdit {
    let content = document
        .lines
        .line_range(document.text, line as usize)
        .and_then(|range| document.text.get(range))
        .unwrap_or_default();
    let indent: String = content
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    TextEdit {
        range: Range::new(Position::new(line, 0), Position::new(line, 0)),
        new_text: format!(
            "{indent}// mezcheck: ignore[{code}]{}",
            line_ending(document.text)
        ),
    }
}

/// Adds `CODE` to a `file-ignore` comment on the first line, or inserts one there.
fn ignore_file(document: &Text<'_>, code: &str) -> TextEdit {
    let first = document
        .lines
        .line_range(document.text, 0)
        .and_then(|range| document.text.get(range))
        .unwrap_or_default();
    let trimmed = first.trim_start_matches('\u{feff}').trim_start();
    let existing = trimmed
        .strip_prefix("//")
        .map(str::trim_start)
        .and_then(|rest| rest.strip_prefix("mezcheck:"))
        .map(str::trim_start)
        .filter(|rest| rest.starts_with("file-ignore["))
        .and_then(|_| first.find(']'));
    if let Some(close) = existing {
        let at = document
            .lines
            .position(document.text, close, document.encoding);
        return TextEdit {
            range: Range::new(at, at),
            new_text: format!(", {code}"),
        };
    }
    TextEdit {
        range: Range::new(Position::new(0, 0), Position::new(0, 0)),
        new_text: format!(
            "// mezcheck: file-ignore[{code}]{}",
            line_ending(document.text)
        ),
    }
}

/// The document's line ending: CRLF when its first line ends so, else LF.
fn line_ending(text: &str) -> &'static str {
    match text.find(['\r', '\n']) {
        Some(at) if text.get(at..at + 2) == Some("\r\n") => "\r\n",
        _ => "\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri() -> Uri {
        "file:///p/A.pq".parse().expect("uri")
    }

    fn diagnostic(code: &str, line: u32, data: serde_json::Value) -> Diagnostic {
        Diagnostic {
            range: Range::new(Position::new(line, 4), Position::new(line, 8)),
            code: Some(NumberOrString::String(code.to_owned())),
            source: Some("mezcheck".to_owned()),
            data: Some(data),
            ..Diagnostic::default()
        }
    }

    fn edits(actions: &[CodeActionOrCommand]) -> Vec<(String, String)> {
        actions
            .iter()
            .filter_map(|action| match action {
                CodeActionOrCommand::CodeAction(action) => Some(action),
                CodeActionOrCommand::Command(_) => None,
            })
            .flat_map(|action| {
                let changes = action.edit.as_ref().and_then(|e| e.changes.as_ref());
                changes
                    .into_iter()
                    .flat_map(|c| c.values().flatten())
                    .map(|edit| {
                        (
                            action.title.clone(),
                            format!("{:?} {:?}", edit.range.start, edit.new_text),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Suppressions keep the line's indentation and the file's line endings, extend an
    /// existing `file-ignore`, and are offered once per code and line; fixes come from `data`.
    #[test]
    fn suppressions_and_fixes() {
        let text = "section A;\r\n\r\n    shared X = 1;\r\n";
        let lines = LineIndex::new(text);
        let uri = uri();
        let document = Text {
            uri: &uri,
            text,
            lines: &lines,
            encoding: Encoding::Utf16,
        };
        let fix = serde_json::json!({"suppress": true, "fix": {"title": "Replace with `Y`", "edits": [{"uri": "file:///p/A.pq", "range": {"start": {"line": 2, "character": 11}, "end": {"line": 2, "character": 12}}, "newText": "Y"}]}});
        let actions = code_actions(
            &document,
            &[
                diagnostic("PQ102", 2, fix),
                diagnostic("PQ102", 2, serde_json::json!({"suppress": true})),
                diagnostic("PQ099", 2, serde_json::json!({"suppress": false})),
            ],
        );
        insta::assert_debug_snapshot!(edits(&actions), @r#"
        [
            (
                "Replace with `Y`",
                "Position { line: 2, character: 11 } \"Y\"",
            ),
            (
                "Ignore PQ102 on this line",
                "Position { line: 2, character: 0 } \"    // mezcheck: ignore[PQ102]\\r\\n\"",
            ),
            (
                "Ignore PQ102 in this file",
                "Position { line: 0, character: 0 } \"// mezcheck: file-ignore[PQ102]\\r\\n\"",
            ),
        ]
        "#);
        let text = "// mezcheck: file-ignore[PQ705] -- vendor\nsection A;";
        let lines = LineIndex::new(text);
        let document = Text {
            text,
            lines: &lines,
            ..document
        };
        let actions = code_actions(
            &document,
            &[diagnostic(
                "PQ102",
                1,
                serde_json::json!({"suppress": true}),
            )],
        );
        assert_eq!(
            edits(&actions)[1].1,
            "Position { line: 0, character: 30 } \", PQ102\""
        );
    }

    /// Hover explains a code or name inside `ignore[…]`, and nothing elsewhere.
    #[test]
    fn hover_on_suppressed_codes() {
        let text = "x = 1; // mezcheck: ignore[PQ100, tracing-enabled] -- PQ100\nPQ100";
        let lines = LineIndex::new(text);
        let uri = uri();
        let document = Text {
            uri: &uri,
            text,
            lines: &lines,
            encoding: Encoding::Utf16,
        };
        let at = |line, character| hover(&document, Position::new(line, character));
        let shown = at(0, 29).expect("hover on PQ100");
        let HoverContents::Markup(markup) = shown.contents else {
            panic!("markdown hover");
        };
        assert!(markup.value.starts_with("**PQ100** `syntax-error` (error)"));
        assert!(markup.value.contains("## What it checks"));
        assert_eq!(
            shown.range,
            Some(Range::new(Position::new(0, 27), Position::new(0, 32)))
        );
        assert!(at(0, 40).is_some(), "a rule name");
        assert!(at(0, 56).is_none(), "after the list");
        assert!(at(1, 2).is_none(), "outside a comment");
        assert!(at(9, 0).is_none(), "past the end");
    }
}
