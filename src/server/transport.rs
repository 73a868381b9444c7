//! JSON-RPC framing over standard input and output: `Content-Length` headers, then a JSON body.
//! lsp-server's own stdio reader ends the connection at the first malformed message; this one
//! answers it with a JSON-RPC error (parse error, or invalid request with the id when one can
//! be read) and goes on reading, resynchronising on the next header block. Bodies are capped.

use std::io::{BufRead, Read, Write};

use lsp_server::{ErrorCode, Message};
use serde_json::Value;

/// Largest message body read. An open buffer travels whole in `didOpen` (and in `didChange`
/// with full sync); M files are capped at 16 MiB and JSON escaping can double that.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;
/// Longest header line kept; real headers are under 100 bytes.
pub const MAX_HEADER_LINE_BYTES: u64 = 8 * 1024;

/// What one read from the stream gave.
#[derive(Debug)]
pub enum Frame {
    Message(Message),
    /// Something that is not a message; answer it with this error.
    Invalid {
        id: Value,
        code: i32,
        message: String,
    },
    /// The stream ended.
    Closed,
}

/// Reads the next frame; only a failing stream is an `Err`.
pub fn read_frame(input: &mut impl BufRead) -> std::io::Result<Frame> {
    let mut content_length: Option<Result<usize, String>> = None;
    let mut saw_garbage = false;
    loop {
        let mut line = Vec::new();
        input
            .by_ref()
            .take(MAX_HEADER_LINE_BYTES)
            .read_until(b'\n', &mut line)?;
        if line.is_empty() {
            return Ok(Frame::Closed);
        }
        if !line.ends_with(b"\n") && line.len() as u64 == MAX_HEADER_LINE_BYTES {
            // An endless line: drop the rest of it.
            skip_line(input)?;
            saw_garbage = true;
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            match content_length.take() {
                Some(Ok(length)) => return read_body(input, length),
                Some(Err(message)) => {
                    return Ok(invalid(Value::Null, ErrorCode::ParseError, message));
                }
                None if saw_garbage => {
                    return Ok(invalid(
                        Value::Null,
                        ErrorCode::ParseError,
                        "expected a `Content-Length` header".to_owned(),
                    ));
                }
                None => continue,
            }
        }
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                content_length = Some(
                    value
                        .trim()
                        .parse::<usize>()
                        .map_err(|_| format!("invalid `Content-Length: {}`", value.trim())),
                );
            }
            Some((name, _)) if is_header_name(name) => {}
            _ => saw_garbage = true,
        }
    }
}

/// Writes one message with its header and flushes.
pub fn write_message(output: &mut impl Write, message: &Message) -> std::io::Result<()> {
    message.write(output)
}

/// Writes an error response whose id may be null (a message without a readable id).
pub fn write_error(
    output: &mut impl Write,
    id: &Value,
    code: i32,
    message: &str,
) -> std::io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message },
    })
    .to_string();
    write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    output.flush()
}

fn read_body(input: &mut impl BufRead, length: usize) -> std::io::Result<Frame> {
    if length > MAX_MESSAGE_BYTES {
        let skipped = std::io::copy(
            &mut input.by_ref().take(length as u64),
            &mut std::io::sink(),
        )?;
        if (skipped as usize) < length {
            return Ok(Frame::Closed);
        }
        return Ok(invalid(
            Value::Null,
            ErrorCode::InvalidRequest,
            format!("message of {length} bytes is over the limit of {MAX_MESSAGE_BYTES}"),
        ));
    }
    let mut body = Vec::new();
    input.by_ref().take(length as u64).read_to_end(&mut body)?;
    if body.len() < length {
        return Ok(Frame::Closed);
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(error) => {
            return Ok(invalid(
                Value::Null,
                ErrorCode::ParseError,
                format!("malformed JSON: {error}"),
            ));
        }
    };
    let id = value
        .get("id")
        .filter(|id| id.is_number() || id.is_string())
        .cloned()
        .unwrap_or(Value::Null);
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Ok(Frame::Message(message)),
        Err(error) => Ok(invalid(
            id,
            ErrorCode::InvalidRequest,
            format!("not a JSON-RPC request, response or notification: {error}"),
        )),
    }
}

fn invalid(id: Value, code: ErrorCode, message: String) -> Frame {
    Frame::Invalid {
        id,
        code: code as i32,
        message,
    }
}

fn skip_line(input: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(());
        }
        match buffer.iter().position(|&b| b == b'\n') {
            Some(at) => {
                input.consume(at + 1);
                return Ok(());
            }
            None => {
                let length = buffer.len();
                input.consume(length);
            }
        }
    }
}

fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<String> {
        let mut reader = std::io::BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read_frame(&mut reader).expect("reads from memory") {
                Frame::Closed => return out,
                Frame::Message(message) => out.push(format!("message {message:?}")),
                Frame::Invalid { id, code, .. } => out.push(format!("invalid {id} {code}")),
            }
        }
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    /// Garbage between messages, broken JSON, a non-message and a bad length each give one
    /// error; the valid messages around them are still read.
    #[test]
    fn survives_garbage() {
        let ping = r#"{"jsonrpc":"2.0","method":"ping"}"#;
        let input = [
            framed(ping),
            "hello there\r\n\r\n".to_owned(),
            framed("{not json"),
            framed(r#"{"jsonrpc":"2.0","id":7}"#),
            "Content-Length: abc\r\n\r\n".to_owned(),
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n".to_owned(),
            framed(ping),
        ]
        .concat();
        let read = frames(input.as_bytes());
        assert_eq!(read.len(), 6, "{read:#?}");
        assert!(read[0].starts_with("message Notification"));
        assert_eq!(read[1], "invalid null -32700");
        assert_eq!(read[2], "invalid null -32700");
        assert_eq!(read[3], "invalid 7 -32600");
        assert_eq!(read[4], "invalid null -32700");
        assert!(read[5].starts_with("message Notification"));
    }

    /// A body over the limit is skipped without being kept, and a truncated one ends the stream.
    #[test]
    fn oversized_and_truncated_bodies() {
        let input = format!("Content-Length: {}\r\n\r\n", MAX_MESSAGE_BYTES + 1);
        let mut bytes = input.into_bytes();
        bytes.resize(bytes.len() + MAX_MESSAGE_BYTES + 1, b' ');
        bytes.extend_from_slice(framed(r#"{"jsonrpc":"2.0","method":"x"}"#).as_bytes());
        let read = frames(&bytes);
        assert_eq!(read.len(), 2);
        assert_eq!(read[0], "invalid null -32600");
        assert_eq!(
            frames(b"Content-Length: 10\r\n\r\n{}"),
            Vec::<String>::new()
        );
    }
}
