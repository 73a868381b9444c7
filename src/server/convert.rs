//! Between mezcheck's byte spans and the protocol's positions: lines split the protocol's way
//! (CR, LF, CRLF; not M's NEL, LS and PS), columns in the negotiated encoding (UTF-16 code
//! units by default, UTF-8 bytes when the client offers them), and `file:` URIs to paths and
//! back. Positions from the client are clamped, never trusted: a position past a line's end is
//! that line's end, one past the last line is the end of the text.

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, Uri};

/// How the client counts columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// Line starts of a text as the protocol splits lines.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while let Some(found) = bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(|&b| b == b'\n' || b == b'\r'))
        {
            i += found;
            i += if bytes.get(i..i + 2) == Some(b"\r\n") {
                2
            } else {
                1
            };
            starts.push(i);
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// The position of a byte offset (clamped to the text and to a character boundary).
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let before = text.get(start..offset).unwrap_or_default();
        let character = match encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.chars().map(char::len_utf16).sum(),
        };
        Position::new(saturating_u32(line), saturating_u32(character))
    }

    /// The byte offset of a position, clamped to its line (before the line break) and to the
    /// text; a column inside a character moves to that character's start.
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.len;
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .copied()
            .unwrap_or(self.len);
        let line = text.get(start..end).unwrap_or_default();
        let content = line.trim_end_matches(['\r', '\n']);
        let wanted = position.character as usize;
        let mut counted = 0;
        for (index, c) in content.char_indices() {
            let width = match encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
            if counted + width > wanted {
                return start + index;
            }
            counted += width;
        }
        start + content.len()
    }

    pub fn range(&self, text: &str, start: usize, end: usize, encoding: Encoding) -> Range {
        let start_position = self.position(text, start, encoding);
        let end_position = self.position(text, end.max(start), encoding);
        Range::new(start_position, end_position)
    }

    /// The byte range of the 0-based `line`, without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.starts.get(line)?;
        let end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let content = text.get(start..end)?.trim_end_matches(['\r', '\n']);
        Some(start..start + content.len())
    }
}

/// The largest char boundary not after `offset`.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn saturating_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The path of a `file:` URI (percent-decoded); `None` for other schemes and undecodable ones.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text
        .get(..5)
        .filter(|scheme| scheme.eq_ignore_ascii_case("file:"))
        .and_then(|_| text.get(5..))?;
    // `file:///p`, `file://host/p` (a host other than localhost is not a local file).
    let path = match rest.strip_prefix("//") {
        Some(after) => {
            let slash = after.find('/').unwrap_or(after.len());
            let host = after.get(..slash)?;
            if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
                return None;
            }
            after.get(slash..)?
        }
        None => rest,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_decode(path)?;
    if cfg!(windows) {
        // `/C:/x` is `C:/x`.
        let bytes = decoded.as_bytes();
        if bytes.len() >= 3 && bytes[0] == b'/' && bytes[2] == b':' {
            return decoded.get(1..).map(PathBuf::from);
        }
    }
    (!decoded.is_empty()).then(|| PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"/-._~:".contains(&byte);
        if keep {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.parse().ok()
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(byte);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns count UTF-16 units or bytes; lines break at CR, LF and CRLF only, so NEL and
    /// LS stay inside a line as the protocol wants.
    #[test]
    fn positions_in_both_encodings() {
        let text = "a😀b\r\nx\u{2028}y\rz";
        let index = LineIndex::new(text);
        let b = text.find('b').expect("b");
        assert_eq!(
            index.position(text, b, Encoding::Utf16),
            Position::new(0, 3)
        );
        assert_eq!(index.position(text, b, Encoding::Utf8), Position::new(0, 5));
        let y = text.find('y').expect("y");
        assert_eq!(
            index.position(text, y, Encoding::Utf16),
            Position::new(1, 2)
        );
        let z = text.find('z').expect("z");
        assert_eq!(index.position(text, z, Encoding::Utf8), Position::new(2, 0));
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            for offset in [0, b, y, z, text.len()] {
                let position = index.position(text, offset, encoding);
                assert_eq!(index.offset(text, position, encoding), offset);
            }
        }
    }

    /// Positions inside a character, past a line's end or past the text are clamped.
    #[test]
    fn hostile_positions_are_clamped() {
        let text = "a😀b\nxy";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, Position::new(0, 2), Encoding::Utf16), 1);
        assert_eq!(index.offset(text, Position::new(0, 99), Encoding::Utf16), 6);
        assert_eq!(index.offset(text, Position::new(7, 0), Encoding::Utf16), 9);
        assert_eq!(
            index.position(text, 3, Encoding::Utf16),
            Position::new(0, 1)
        );
        assert_eq!(
            index.position(text, 1000, Encoding::Utf8),
            Position::new(1, 2)
        );
        assert_eq!(index.line_range(text, 0), Some(0..6));
        assert_eq!(index.line_range(text, 5), None);
    }

    /// `file:` URIs round-trip through paths with spaces and non-ASCII names; other schemes
    /// and remote hosts are not local files.
    #[test]
    fn file_uris() {
        let path = Path::new("/tmp/my project/Kestrel Ä.pq");
        let uri = path_to_uri(path).expect("a URI");
        assert_eq!(uri.as_str(), "file:///tmp/my%20project/Kestrel%20%C3%84.pq");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
        let localhost: Uri = "file://localhost/tmp/a.pq".parse().expect("uri");
        assert_eq!(uri_to_path(&localhost), Some(PathBuf::from("/tmp/a.pq")));
        let remote: Uri = "file://server/share/a.pq".parse().expect("uri");
        assert_eq!(uri_to_path(&remote), None);
        let untitled: Uri = "untitled:Untitled-1".parse().expect("uri");
        assert_eq!(uri_to_path(&untitled), None);
    }
}
