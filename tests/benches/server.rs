//! How long an editor waits for diagnostics: the time from an edit (`didChange`) of a
//! 5,000-line section document to the `publishDiagnostics` for that version, through the real
//! `mezcheck server` binary over stdio, debounce included. The target is under 300 ms.
//!
//! `cargo bench --bench server` copies `samples/clean` to a temporary folder, grows its section
//! document to 5,000 lines with realistic members, opens it, then types a syntax error and
//! removes it in turn, and prints the median and the worst of the rounds. `-- LINES` sets the
//! document's length.

#[path = "../common/lsp.rs"]
mod lsp;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lsp::read_message;
use serde_json::{Value, json};

const ROUNDS: usize = 20;

fn main() {
    let lines: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/clean");
    for entry in std::fs::read_dir(&sample).expect("sample") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    let section = dir.path().join("Kestrel.pq");
    let text = grow(&std::fs::read_to_string(&section).expect("read"), lines);
    let uri = format!("file://{}", section.display());

    let mut server = Command::new(env!("CARGO_BIN_EXE_mezcheck"))
        .arg("server")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut stdin = server.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(server.stdout.take().expect("stdout"));
    let mut send = |message: Value| {
        let body = message.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        stdin.flush().expect("flush");
    };
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": null, "rootUri": format!("file://{}", dir.path().display()), "capabilities": {}}}),
    );
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "powerquery", "version": 1, "text": text}}}),
    );
    wait_for_version(&mut stdout, 1);

    let mut times = Vec::new();
    for round in 0..ROUNDS {
        let version = round as i64 + 2;
        // Odd rounds type a syntax error on line 100, even rounds remove it.
        let change = if round % 2 == 0 {
            json!({"range": {"start": {"line": 100, "character": 0}, "end": {"line": 100, "character": 0}}, "text": "Broken = 1 +;\n"})
        } else {
            json!({"range": {"start": {"line": 100, "character": 0}, "end": {"line": 101, "character": 0}}, "text": ""})
        };
        let started = Instant::now();
        send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}}),
        );
        let codes = wait_for_version(&mut stdout, version);
        times.push(started.elapsed());
        let syntax_error = codes.iter().any(|code| code == "PQ100");
        assert_eq!(syntax_error, round % 2 == 0, "round {round}: {codes:?}");
    }
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    send(json!({"jsonrpc": "2.0", "method": "exit"}));
    let _ = server.wait();
    times.sort();
    let median = times[times.len() / 2];
    let worst = times[times.len() - 1];
    println!(
        "server: {} lines ({} bytes), edit to diagnostics: median {} ms, worst {} ms over {ROUNDS} edits",
        text.lines().count(),
        text.len(),
        millis(median),
        millis(worst),
    );
}

fn millis(duration: Duration) -> u128 {
    duration.as_millis()
}

/// The sample with generated members appended until it has `lines` lines.
fn grow(sample: &str, lines: usize) -> String {
    let mut text = sample.to_owned();
    let mut member = 0;
    while text.lines().count() < lines {
        text.push_str(&format!(
            "\n// Helper {member}: pages a table of the service.\nHelper{member} = (url as text, optional page as nullable number) as table =>\n    let\n        source = Json.Document(Web.Contents(url, [Query = [page = Text.From(page ?? 1)]])),\n        rows = Table.FromRecords(source[items]),\n        typed = Table.TransformColumnTypes(rows, {{{{\"id\", Int64.Type}}}})\n    in\n        typed;\n"
        ));
        member += 1;
    }
    text
}

/// Reads messages until the diagnostics of `version`; returns their codes.
fn wait_for_version(stdout: &mut impl BufRead, version: i64) -> Vec<String> {
    loop {
        let message = read_message(stdout).expect("the server answers");
        if message["method"] == "textDocument/publishDiagnostics"
            && message["params"]["version"] == version
        {
            let diagnostics = message["params"]["diagnostics"].as_array().cloned();
            return diagnostics
                .unwrap_or_default()
                .iter()
                .filter_map(|d| d["code"].as_str().map(str::to_owned))
                .collect();
        }
    }
}
