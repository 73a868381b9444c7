//! `mezcheck server` driven over standard input and output as an editor drives it: a copy of
//! the clean sample project in a temporary folder, documents opened and edited without saving,
//! diagnostics read from `textDocument/publishDiagnostics`, code actions applied, garbage and
//! hostile buffers sent, and the shutdown handshake. One test runs a real editor (Neovim).

mod common;

#[path = "common/lsp.rs"]
mod lsp;

use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use lsp::read_message;
use serde_json::{Value, json};

/// Longest wait for one answer; checks take milliseconds, but CI machines are slow and busy.
const PATIENCE: Duration = Duration::from_secs(60);

/// A copy of `samples/clean` in a temporary folder.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(common::sample("clean")).expect("sample folder") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            let name = path.file_name().expect("a file name");
            std::fs::copy(&path, dir.path().join(name)).expect("copy");
        }
    }
    dir
}

fn uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let encoded: String = text
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        format!("file:///{encoded}")
    }
}

/// The text as an editor holds it: without a byte order mark.
fn editor_text(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("a UTF-8 file");
    text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned()
}

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Messages read while waiting for something else.
    pending: Vec<Value>,
    next_id: i64,
    versions: std::collections::HashMap<String, i64>,
}

impl Client {
    /// Starts the server and initializes it with `root` as workspace folder.
    fn start(root: &Path, options: Value, utf8: bool) -> Client {
        let mut client = Client::spawn();
        let general = if utf8 {
            json!({ "positionEncodings": ["utf-8", "utf-16"] })
        } else {
            json!({})
        };
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(root),
                "workspaceFolders": [{ "uri": uri(root), "name": "project" }],
                "capabilities": {
                    "general": general,
                    "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } },
                },
                "initializationOptions": options,
            }),
        );
        assert!(result.get("capabilities").is_some(), "{result}");
        client.notify("initialized", json!({}));
        client
    }

    fn spawn() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mezcheck"))
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            pending: Vec::new(),
            next_id: 0,
            versions: std::collections::HashMap::new(),
        }
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("the server reads");
        self.stdin.flush().expect("flush");
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.send_raw(framed.as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its response (result or error object).
    fn request_raw(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The first message (kept or new) that matches.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.pending.iter().position(&wanted) {
            return self.pending.remove(at);
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.pending.push(message),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no such message in time; got {:#?}", self.pending)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed its output; got {:#?}", self.pending)
                }
            }
        }
    }

    fn open(&mut self, path: &Path, text: &str) {
        let uri = uri(path);
        self.versions.insert(uri.clone(), 1);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "powerquery", "version": 1, "text": text } }),
        );
    }

    /// Replaces the whole buffer; returns the new version.
    fn replace(&mut self, path: &Path, text: &str) -> i64 {
        self.edit(path, json!([{ "text": text }]))
    }

    fn edit(&mut self, path: &Path, changes: Value) -> i64 {
        let uri = uri(path);
        let version = self.versions.get(&uri).copied().unwrap_or(1) + 1;
        self.versions.insert(uri.clone(), version);
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        );
        version
    }

    /// The code actions offered for one diagnostic of `path`.
    fn code_actions(&mut self, path: &Path, diagnostic: &Value) -> Value {
        self.request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri(path) },
                "range": diagnostic["range"],
                "context": { "diagnostics": [diagnostic] },
            }),
        )
    }

    /// The diagnostics published for `path` at its current version.
    fn diagnostics(&mut self, path: &Path) -> Vec<Value> {
        let uri = uri(path);
        let version = self.versions.get(&uri).copied();
        let published = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"].as_i64() == version
        });
        // Older lists for the same document are stale now.
        self.pending.retain(|m| m["params"]["uri"] != uri);
        published["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// `shutdown`, then `exit`; the exit code.
    fn shutdown(mut self) -> Option<i32> {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    fn exit_code(mut self) -> Option<i32> {
        drop(self.stdin);
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("the server did not exit");
    }
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} line {}",
                d["code"].as_str().unwrap_or("?"),
                d["range"]["start"]["line"]
            )
        })
        .collect()
}

/// Inserts `line` before the 0-based line `at`.
fn insert_line(text: &str, at: usize, line: &str) -> String {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let inserted = format!("{line}\n");
    lines.insert(at, &inserted);
    lines.concat()
}

/// A syntax error typed into the unsaved section document shows PQ100 on its line; undoing
/// the edit clears it. The clean project starts with an empty list.
#[test]
fn syntax_error_shows_and_clears() {
    let dir = project();
    let section = dir.path().join("Kestrel.pq");
    let text = editor_text(&section);
    let mut client = Client::start(dir.path(), Value::Null, false);
    client.open(&section, &text);
    assert_eq!(codes(&client.diagnostics(&section)), Vec::<String>::new());

    // An incremental edit, as editors send them: `Broken = 1 +;` before line 180.
    client.edit(
        &section,
        json!([{ "range": { "start": { "line": 179, "character": 0 }, "end": { "line": 179, "character": 0 } }, "text": "Broken = 1 +;\n" }]),
    );
    let diagnostics = client.diagnostics(&section);
    assert_eq!(codes(&diagnostics), ["PQ100 line 179"], "{diagnostics:#?}");
    insta::assert_json_snapshot!("syntax_error", diagnostics[0]);

    client.edit(
        &section,
        json!([{ "range": { "start": { "line": 179, "character": 0 }, "end": { "line": 180, "character": 0 } }, "text": "" }]),
    );
    assert_eq!(codes(&client.diagnostics(&section)), Vec::<String>::new());
    assert_eq!(client.shutdown(), Some(0));
}

/// Deleting a string from the unsaved `resources.resx` shows the missing key (PQ402) in the
/// section document, where the key is used; the resx itself shows nothing.
#[test]
fn resx_edit_shows_in_section_document() {
    let dir = project();
    let section = dir.path().join("Kestrel.pq");
    let resx = dir.path().join("resources.resx");
    let mut client = Client::start(dir.path(), Value::Null, false);
    client.open(&section, &editor_text(&section));
    client.open(&resx, &editor_text(&resx));
    assert_eq!(codes(&client.diagnostics(&section)), Vec::<String>::new());
    let resx_text = editor_text(&resx);
    let start = resx_text
        .find("  <data name=\"ButtonHelp\"")
        .expect("ButtonHelp");
    let end = start + resx_text[start..].find("</data>").expect("end") + "</data>".len();
    let without = format!("{}{}", &resx_text[..start], &resx_text[end..]);
    client.replace(&resx, &without);
    let diagnostics = client.diagnostics(&section);
    assert_eq!(codes(&diagnostics), ["PQ402 line 183"], "{diagnostics:#?}");
    assert!(
        diagnostics[0]["message"].as_str().is_some_and(
            |m| m.starts_with("resource string `ButtonHelp` is not in `resources.resx`")
        )
    );
    assert_eq!(client.shutdown(), Some(0));
}

/// The docs article's unsaved text counts: removing its front matter in the editor shows the
/// finding on the article before it is saved, and undoing it clears it.
#[test]
fn article_edit_is_checked_unsaved() {
    let dir = project();
    let section = dir.path().join("Kestrel.pq");
    let article = dir.path().join("kestrel.md");
    let mut client = Client::start(dir.path(), Value::Null, false);
    client.open(&section, &editor_text(&section));
    let text = editor_text(&article);
    client.open(&article, &text);
    assert_eq!(codes(&client.diagnostics(&article)), Vec::<String>::new());
    let body_start = text[3..].find("\n---").expect("front matter end") + 3 + "\n---".len();
    let without = text[body_start..].trim_start().to_owned();
    client.replace(&article, &without);
    let diagnostics = client.diagnostics(&article);
    assert_eq!(codes(&diagnostics), ["PQ802 line 0"], "{diagnostics:#?}");
    assert!(
        std::fs::read_to_string(&article)
            .expect("on disk")
            .starts_with("---")
    );
    client.replace(&article, &text);
    assert_eq!(codes(&client.diagnostics(&article)), Vec::<String>::new());
    assert_eq!(client.shutdown(), Some(0));
}

/// Applies the text edits of a code action to `text` (edits of one document, sorted back to
/// front so earlier ones keep their positions; ASCII text, so columns are bytes).
fn apply(text: &str, action: &Value) -> String {
    let changes = action["edit"]["changes"].as_object().expect("changes");
    let mut edits: Vec<&Value> = changes
        .values()
        .flat_map(|e| e.as_array().expect("edits"))
        .collect();
    edits.sort_by_key(|e| {
        std::cmp::Reverse((
            e["range"]["start"]["line"].as_u64(),
            e["range"]["start"]["character"].as_u64(),
        ))
    });
    let mut text = text.to_owned();
    for edit in edits {
        let offset = |position: &Value| {
            let line = position["line"].as_u64().expect("line") as usize;
            let character = position["character"].as_u64().expect("character") as usize;
            text.split_inclusive('\n')
                .take(line)
                .map(str::len)
                .sum::<usize>()
                + character
        };
        let (start, end) = (
            offset(&edit["range"]["start"]),
            offset(&edit["range"]["end"]),
        );
        text.replace_range(start..end, edit["newText"].as_str().expect("text"));
    }
    text
}

fn titles(actions: &Value) -> Vec<String> {
    actions
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| a["title"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The quick fix of a misspelled Publish field writes the field the rule suggests, and
/// "Ignore … on this line" silences a finding; both leave the document without findings.
#[test]
fn code_actions_fix_and_suppress() {
    let dir = project();
    let section = dir.path().join("Kestrel.pq");
    let text = editor_text(&section).replace("    LearnMoreUrl = ", "    LearnMoreURL = ");
    let mut client = Client::start(dir.path(), Value::Null, false);
    client.open(&section, &text);
    // The misspelling is unknown (PQ310) and leaves the record without `LearnMoreUrl` (PQ304).
    let diagnostics = client.diagnostics(&section);
    assert_eq!(
        codes(&diagnostics),
        ["PQ304 line 180", "PQ310 line 184"],
        "{diagnostics:#?}"
    );
    let actions = client.code_actions(&section, &diagnostics[1]);
    assert_eq!(
        titles(&actions),
        [
            "Replace with `LearnMoreUrl`",
            "Ignore PQ310 on this line",
            "Ignore PQ310 in this file"
        ]
    );
    let fixed = apply(&text, &actions[0]);
    assert_eq!(fixed, editor_text(&section));
    client.replace(&section, &fixed);
    assert_eq!(codes(&client.diagnostics(&section)), Vec::<String>::new());

    client.replace(&section, &text);
    let diagnostics = client.diagnostics(&section);
    let actions = client.code_actions(&section, &diagnostics[1]);
    let suppressed = apply(&text, &actions[1]);
    // Above the finding, indented like it, with the document's line ending.
    let ending = if text.contains("\r\n") { "\r\n" } else { "\n" };
    assert!(suppressed.contains(&format!(
        "    // mezcheck: ignore[PQ310]{ending}    LearnMoreURL = "
    )));
    client.replace(&section, &suppressed);
    assert_eq!(codes(&client.diagnostics(&section)), ["PQ304 line 180"]);

    // Hover on the code in the comment explains the rule.
    let line = suppressed
        .lines()
        .position(|l| l.contains("ignore[PQ310]"))
        .expect("the comment");
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri(&section) }, "position": { "line": line, "character": 26 } }),
    );
    let shown = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        shown.starts_with("**PQ310** `unknown-publish-field`"),
        "{shown}"
    );
    assert_eq!(client.shutdown(), Some(0));
}

/// A result computed from older text is never published under a newer version: an edit made
/// while a check runs makes that check's result stale.
#[test]
fn stale_results_are_not_published() {
    let dir = project();
    let section = dir.path().join("Kestrel.pq");
    let text = editor_text(&section);
    // A larger document, so that a check takes a while, with a syntax error on line 1.
    let (first, rest) = text.split_once('\n').expect("lines");
    let members: String = (0..2000)
        .map(|i| format!("shared X{i} = List.Sum({{1, 2, 3}}) + {i};\n"))
        .collect();
    let broken = format!("{first}\n= = =\n{rest}{members}");
    let mut client = Client::start(dir.path(), Value::Null, false);
    client.open(&section, &broken);
    let before = client.diagnostics(&section);
    assert!(
        codes(&before).contains(&"PQ100 line 1".to_owned()),
        "{before:#?}"
    );
    let at_start = json!([{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": " " }]);
    client.edit(&section, at_start);
    // The check of this version starts after the debounce; edit again while it runs.
    std::thread::sleep(Duration::from_millis(110));
    let three_lines = json!([{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "\n\n\n" }]);
    client.edit(&section, three_lines);
    let after = client.diagnostics(&section);
    let syntax: Vec<String> = codes(&after)
        .into_iter()
        .filter(|c| c.starts_with("PQ100"))
        .collect();
    assert_eq!(
        syntax.first().map(String::as_str),
        Some("PQ100 line 4"),
        "{after:#?}"
    );
    assert_eq!(client.shutdown(), Some(0));
}

/// One `didChange` with thousands of changes to a large buffer costs bounded work: the server
/// gives up following that buffer, says so, and goes on answering.
#[test]
fn edit_with_too_many_changes_is_bounded() {
    let dir = project();
    let section = dir.path().join("Kestrel.pq");
    let large = format!("{}\n// {}\n", editor_text(&section), "x".repeat(4 << 20));
    let mut client = Client::start(dir.path(), Value::Null, false);
    client.open(&section, &large);
    let one = json!({ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "" });
    let changes = Value::Array(vec![one; 2000]);
    let started = Instant::now();
    client.edit(&section, changes);
    let warning = client.wait_for(|m| {
        m["method"] == "window/showMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|text| text.contains("changes too much at once"))
    });
    assert_eq!(warning["params"]["type"], 2, "a warning");
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri(&section) }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(hover.is_null(), "{hover}");
    assert!(started.elapsed() < PATIENCE);
    assert_eq!(client.shutdown(), Some(0));
}

/// A diagnostic of an older version of the text gets no code actions: their edits would land
/// in the wrong place.
#[test]
fn stale_diagnostics_get_no_actions() {
    let dir = project();
    let section = dir.path().join("Kestrel.pq");
    let text = editor_text(&section).replace("    LearnMoreUrl = ", "    LearnMoreURL = ");
    let mut client = Client::start(dir.path(), Value::Null, false);
    client.open(&section, &text);
    let diagnostics = client.diagnostics(&section);
    let actions = client.code_actions(&section, &diagnostics[1]);
    assert_eq!(titles(&actions).len(), 3);
    client.replace(&section, &format!("\n\n{text}"));
    let stale = client.code_actions(&section, &diagnostics[1]);
    assert_eq!(titles(&stale), Vec::<String>::new());
    assert_eq!(client.shutdown(), Some(0));
}

/// A misspelled resource key gets the quick fix PQ402 suggests: the key that exists.
#[test]
fn resource_key_quick_fix() {
    let dir = project();
    let section = dir.path().join("Kestrel.pq");
    let text = editor_text(&section).replacen(
        "Extension.LoadString(\"ButtonHelp\")",
        "Extension.LoadString(\"ButtonHlep\")",
        1,
    );
    let mut client = Client::start(dir.path(), Value::Null, false);
    client.open(&section, &text);
    let diagnostics = client.diagnostics(&section);
    assert_eq!(codes(&diagnostics), ["PQ402 line 183"], "{diagnostics:#?}");
    let actions = client.code_actions(&section, &diagnostics[0]);
    assert_eq!(titles(&actions)[0], "Replace with `\"ButtonHelp\"`");
    let fixed = apply(&text, &actions[0]);
    assert_eq!(fixed, editor_text(&section));
    client.replace(&section, &fixed);
    assert_eq!(codes(&client.diagnostics(&section)), Vec::<String>::new());
    assert_eq!(client.shutdown(), Some(0));
}

/// Garbage, broken JSON and a message without a method get JSON-RPC errors; the server goes
/// on answering, and requests before `initialize` are refused as the protocol says.
#[test]
fn malformed_json_rpc_gets_errors() {
    let mut client = Client::spawn();
    let early = client.request_raw("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    client.send_raw(b"this is not a header\r\n\r\n");
    let garbage = client.wait_for(|m| m.get("error").is_some());
    assert_eq!(garbage["error"]["code"], -32700);
    assert_eq!(garbage["id"], Value::Null);
    client.send_raw(b"Content-Length: 9\r\n\r\n{\"id\": 1,");
    let broken = client.wait_for(|m| m.get("error").is_some());
    assert_eq!(broken["error"]["code"], -32700);
    client.send(json!({ "jsonrpc": "2.0", "id": 42, "params": {} }));
    let no_method = client.wait_for(|m| m.get("error").is_some());
    assert_eq!(no_method["error"]["code"], -32600);
    assert_eq!(no_method["id"], 42);

    let dir = project();
    let result = client.request(
        "initialize",
        json!({ "processId": null, "rootUri": uri(dir.path()), "capabilities": {} }),
    );
    let mut result = result;
    result["serverInfo"]["version"] = json!("[version]");
    insta::assert_json_snapshot!("capabilities", result);
    let unknown = client.request_raw("mezcheck/unknown", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let invalid = client.request_raw("textDocument/hover", json!({ "textDocument": 3 }));
    assert_eq!(invalid["error"]["code"], -32602);
    assert_eq!(client.shutdown(), Some(0));
}

/// `exit` without `shutdown` exits 1; requests after `shutdown` are refused.
#[test]
fn exit_without_shutdown() {
    let dir = project();
    let mut client = Client::start(dir.path(), Value::Null, false);
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(1));

    let mut client = Client::start(dir.path(), Value::Null, false);
    client.request("shutdown", Value::Null);
    let refused = client.request_raw("textDocument/hover", json!({}));
    assert_eq!(refused["error"]["code"], -32600);
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(0));
}

/// The hostile inputs of the robustness notes, opened as the section document's buffer one
/// after another: each gets its diagnostics, and the server still shuts down cleanly.
#[test]
fn hostile_buffers() {
    let dir = project();
    let section = dir.path().join("Kestrel.pq");
    let mut client = Client::start(dir.path(), Value::Null, false);
    client.open(&section, &editor_text(&section));
    client.diagnostics(&section);
    let hostile: Vec<(&str, String)> = vec![
        (
            "10,000 brackets",
            format!("section K; A = {};", "(".repeat(10_000)),
        ),
        (
            "10,000 records",
            format!(
                "section K; A = {}1{};",
                "[a=".repeat(10_000),
                "]".repeat(10_000)
            ),
        ),
        ("NUL bytes", "section K;\0\0\0 A = \0;".repeat(1000)),
        (
            "a 1 MiB line",
            format!("section K; A = \"{}\";", "x".repeat(1 << 20)),
        ),
        (
            "terminal escapes and bidi",
            "section K; A = \"\u{1b}[31m\u{202e}\u{7}\";\r\r\u{2028}B = #(D800);".to_owned(),
        ),
        (
            "CJK and emoji before errors",
            "section K;\n鷺の接続 = 😀 +;\n".to_owned(),
        ),
        (
            "a lone BOM and U+001A",
            "\u{feff}section K; A = 1;\u{1a}".to_owned(),
        ),
        ("empty", String::new()),
        ("many errors", "section K; A = ;\n".repeat(5_000)),
        (
            "4 MB of block comments",
            format!("section K; A = {} 1;", "/* c */".repeat(600_000)),
        ),
    ];
    for (what, text) in &hostile {
        client.replace(&section, text);
        let diagnostics = client.diagnostics(&section);
        for diagnostic in &diagnostics {
            assert_eq!(diagnostic["source"], "mezcheck", "{what}");
        }
    }
    // Edits at positions that are not in the text are clamped.
    client.edit(
        &section,
        json!([{ "range": { "start": { "line": 99999, "character": 5 }, "end": { "line": 3, "character": 99999 } }, "text": "😀" }]),
    );
    client.diagnostics(&section);
    assert_eq!(client.shutdown(), Some(0));
}

/// `mezcheck.toml` is read as on the command line and re-read when the client reports it
/// changed; initialization options override it.
#[test]
fn configuration_file_and_initialization_options() {
    let dir = project();
    let section = dir.path().join("Kestrel.pq");
    let config = dir.path().join("mezcheck.toml");
    std::fs::write(&config, "ignore = [\"PQ100\"]\n").expect("write");
    let text = insert_line(&editor_text(&section), 179, "Broken = 1 +;");
    let mut client = Client::start(dir.path(), Value::Null, false);
    client.open(&section, &text);
    assert_eq!(codes(&client.diagnostics(&section)), Vec::<String>::new());
    std::fs::write(&config, "select = [\"ALL\"]\n").expect("write");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&config), "type": 2 }] }),
    );
    assert_eq!(codes(&client.diagnostics(&section)), ["PQ100 line 179"]);
    assert_eq!(client.shutdown(), Some(0));

    let options = json!({ "ignore": ["PQ100"], "severity": { "PQ310": "error" } });
    let mut client = Client::start(dir.path(), options, false);
    let misspelled = editor_text(&section).replace("    LearnMoreUrl = ", "    LearnMoreURL = ");
    client.open(&section, &insert_line(&misspelled, 179, "Broken = 1 +;"));
    let diagnostics = client.diagnostics(&section);
    assert_eq!(codes(&diagnostics), ["PQ304 line 181", "PQ310 line 185"]);
    assert_eq!(diagnostics[1]["severity"], 1, "error");
    assert_eq!(client.shutdown(), Some(0));
}

/// With UTF-8 offered, columns count bytes: an error after CJK text is further right than in
/// UTF-16.
#[test]
fn position_encoding_is_negotiated() {
    let dir = project();
    let section = dir.path().join("Kestrel.pq");
    let text = insert_line(&editor_text(&section), 179, "鷺 = \"鷺\" +;");
    let mut columns = Vec::new();
    for utf8 in [false, true] {
        let mut client = Client::start(dir.path(), Value::Null, utf8);
        client.open(&section, &text);
        let diagnostics = client.diagnostics(&section);
        assert_eq!(codes(&diagnostics), ["PQ100 line 179"]);
        columns.push(diagnostics[0]["range"]["start"]["character"].clone());
        assert_eq!(client.shutdown(), Some(0));
    }
    // `;` follows 9 characters, two of them `鷺` (one UTF-16 unit, three bytes each).
    assert_eq!(columns, [json!(9), json!(13)]);
}

/// A Markdown file in a folder that holds no connector is ignored quietly: an empty list and
/// no message.
#[test]
fn folder_without_connector_is_ignored() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = dir.path().join("notes.md");
    std::fs::write(&notes, "# Notes\n").expect("write");
    let mut client = Client::start(dir.path(), Value::Null, false);
    client.open(&notes, "# Notes\n");
    assert_eq!(client.diagnostics(&notes), Vec::<Value>::new());
    assert!(
        !client
            .pending
            .iter()
            .any(|m| m["method"] == "window/showMessage"),
        "{:#?}",
        client.pending
    );
    assert_eq!(client.shutdown(), Some(0));
}

/// Neovim attaches the server to the sample project with `vim.lsp.start` and reads the same
/// diagnostics with `vim.diagnostic.get()`. Under CI, Neovim must be installed (`.ci/run`
/// installs it); elsewhere the test is skipped with a message when it is missing.
#[test]
fn neovim_shows_the_diagnostics() {
    let nvim_found = Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !nvim_found {
        let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
        assert!(!in_ci, "nvim is required under CI (Debian package neovim)");
        eprintln!("skipped: nvim is not installed (Debian package neovim)");
        return;
    }
    let dir = project();
    let section = dir.path().join("Kestrel.pq");
    let text = std::fs::read_to_string(&section).expect("read");
    std::fs::write(&section, insert_line(&text, 179, "Broken = 1 +;")).expect("write");
    let out = dir.path().join("diagnostics.txt");
    let script = dir.path().join("attach.lua");
    std::fs::write(&script, neovim_script(&section, &out)).expect("write");
    let mut nvim = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-u", "NONE", "-S"])
        .arg(&script)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nvim runs");
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = nvim.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = nvim.kill();
            panic!("nvim did not finish");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let written = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(status.success(), "nvim failed: {written}");
    assert_eq!(written.trim(), "PQ100 line 179 mezcheck");
}

/// A Lua script for Neovim 0.7 (Debian's) and later: `vim.lsp.start` where it exists, else
/// `start_client` and `buf_attach_client`. It writes what it read, or the error, and quits.
fn neovim_script(section: &Path, out: &Path) -> String {
    let lua = |path: &Path| format!("{:?}", path.to_string_lossy());
    let root: PathBuf = section.parent().expect("folder").to_path_buf();
    format!(
        r#"
local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape({section}))
  local config = {{
    name = "mezcheck",
    cmd = {{ {binary}, "server" }},
    root_dir = {root},
  }}
  if vim.lsp.start then
    vim.lsp.start(config)
  else
    vim.lsp.buf_attach_client(0, vim.lsp.start_client(config))
  end
  local found = vim.wait(30000, function()
    return #vim.diagnostic.get(0) > 0
  end, 50)
  local lines = {{}}
  if not found then
    table.insert(lines, "no diagnostics")
  end
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(lines, string.format("%s line %d %s", d.code, d.lnum, d.source))
  end
  vim.fn.writefile(lines, {out})
end)
if not ok then
  vim.fn.writefile({{ "error: " .. tostring(err) }}, {out})
end
vim.cmd("qall!")
"#,
        section = lua(section),
        binary = lua(Path::new(env!("CARGO_BIN_EXE_mezcheck"))),
        root = lua(&root),
        out = lua(out),
    )
}
