//! The client side of the Language Server Protocol's framing, for the server's tests and
//! benchmark: one message read from the server's standard output.

use std::io::BufRead;

use serde_json::Value;

/// The next message: `Content-Length` headers, a blank line, then the JSON body. `None` at the
/// end of the stream or on a malformed message.
pub fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}
