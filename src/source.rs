//! Source texts shared by every stage: file ids, byte spans, text decoding and the
//! line/column arithmetic of M (CR, LF, CRLF, NEL, LS and PS end a line).
//!
//! Spans are byte offsets into the *stored* text, which is the decoded file with any byte order
//! mark removed. Lines and columns are computed only when rendering.

use std::fmt;

/// A half-open byte range `start..end` into a stored source text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    /// A span from `usize` offsets; offsets past `u32::MAX` saturate (inputs are far smaller).
    pub fn from_range(range: std::ops::Range<usize>) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span::new(clamp(range.start), clamp(range.end.max(range.start)))
    }

    pub const fn empty(at: u32) -> Self {
        Span { start: at, end: at }
    }

    pub const fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Index of a file inside one package's [`SourceDb`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A 1-based line and a 1-based column counted in Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Why a file's bytes could not be taken as clean text. Lower layers record this; rules report it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeProblem {
    /// Bytes that are not UTF-8; `offset` is the first bad byte in the stored text.
    InvalidUtf8 { offset: u32 },
    /// A NUL byte; text with NULs is binary or UTF-16 without a byte order mark.
    Nul { offset: u32, looks_like_utf16: bool },
    /// A UTF-16 byte order mark followed by bytes that are not valid UTF-16.
    InvalidUtf16,
}

/// The encoding a text was stored in before decoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

/// A file's bytes decoded as text.
#[derive(Clone, Debug)]
pub struct Decoded {
    /// The text without its byte order mark; invalid sequences are replaced by U+FFFD after the
    /// first problem so later stages still see the rest of the file.
    pub text: String,
    pub encoding: Encoding,
    /// Bytes removed from the start of the file (a UTF-8 BOM); spans plus this are file offsets.
    pub bom_len: u32,
    pub problem: Option<DecodeProblem>,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes a text file: UTF-8 with or without a BOM, or UTF-16 with a BOM. Never fails.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return decode_utf8(rest, Encoding::Utf8Bom, UTF8_BOM.len() as u32);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(rest, Encoding::Utf16Le, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(rest, Encoding::Utf16Be, u16::from_be_bytes);
    }
    decode_utf8(bytes, Encoding::Utf8, 0)
}

fn decode_utf8(bytes: &[u8], encoding: Encoding, bom_len: u32) -> Decoded {
    let (text, mut problem) = match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), None),
        Err(error) => {
            let offset = Span::from_range(0..error.valid_up_to()).end;
            let text = String::from_utf8_lossy(bytes).into_owned();
            (text, Some(DecodeProblem::InvalidUtf8 { offset }))
        }
    };
    if let Some(nul) = memchr_nul(text.as_bytes()) {
        let nul_problem = DecodeProblem::Nul {
            offset: Span::from_range(0..nul).end,
            looks_like_utf16: looks_like_utf16(bytes),
        };
        // The earlier problem wins unless the file is plainly UTF-16 without a BOM.
        if problem.is_none() || looks_like_utf16(bytes) {
            problem = Some(nul_problem);
        }
    }
    Decoded {
        text,
        encoding,
        bom_len,
        problem,
    }
}

fn decode_utf16(bytes: &[u8], encoding: Encoding, unit: fn([u8; 2]) -> u16) -> Decoded {
    let units = bytes.chunks(2).map(|pair| match pair {
        [a, b] => unit([*a, *b]),
        _ => 0xFFFD, // an odd trailing byte
    });
    let mut text = String::with_capacity(bytes.len());
    let mut problem = (bytes.len() % 2 == 1).then_some(DecodeProblem::InvalidUtf16);
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(ch) => text.push(ch),
            Err(_) => {
                problem.get_or_insert(DecodeProblem::InvalidUtf16);
                text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
    Decoded {
        text,
        encoding,
        bom_len: 0,
        problem,
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// ASCII text saved as UTF-16 without a BOM has a NUL in every other byte.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(512)];
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    sample.len() >= 4 && nuls * 3 >= sample.len()
}

/// Line starts of a text, split the M way: CR, LF, CRLF (once), NEL, LS, PS.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
    /// Whether any line ends with NEL, LS or PS (SARIF then declares its newline sequences).
    pub has_unicode_newlines: bool,
    /// Whether the text is ASCII: a column is then a byte difference, not a count of the
    /// characters before it (which, on a megabyte-long line, costs a megabyte per finding).
    ascii: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0u32];
        if text.is_ascii() {
            // Only CR and LF can break an ASCII line: find them without a per-byte match.
            let mut i = 0;
            while let Some(found) = bytes
                .get(i..)
                .and_then(|rest| rest.iter().position(|&b| b == b'\n' || b == b'\r'))
            {
                i += found;
                let len = if bytes.get(i..i + 2) == Some(b"\r\n") {
                    2
                } else {
                    1
                };
                i += len;
                starts.push(Span::from_range(0..i).end);
            }
            return LineIndex {
                starts,
                has_unicode_newlines: false,
                ascii: true,
            };
        }
        let mut has_unicode_newlines = false;
        let mut i = 0;
        while i < bytes.len() {
            let (is_break, len) = match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => (true, 2),
                b'\r' | b'\n' => (true, 1),
                0xC2 if bytes.get(i + 1) == Some(&0x85) => (true, 2),
                0xE2 if bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
                {
                    (true, 3)
                }
                _ => (false, 1),
            };
            i += len;
            if is_break {
                has_unicode_newlines |= len == 3 || (len == 2 && bytes[i - 2] == 0xC2);
                starts.push(Span::from_range(0..i).end);
            }
        }
        LineIndex {
            starts,
            has_unicode_newlines,
            ascii: false,
        }
    }

    /// Whether the text is ASCII, so byte counts are character counts.
    pub fn is_ascii(&self) -> bool {
        self.ascii
    }

    /// Number of lines (a text always has at least one).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where the 0-based line `line` starts.
    pub fn line_start(&self, line: usize) -> Option<u32> {
        self.starts.get(line).copied()
    }

    /// Line and column of a byte offset; offsets inside a character or past the end are clamped.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = floor_char_boundary(text, offset as usize);
        let line = self.starts.partition_point(|&s| s as usize <= offset) - 1;
        let start = (self.starts[line] as usize).min(offset);
        let column = if self.ascii {
            offset - start
        } else {
            text.get(start..offset).map_or(0, |s| s.chars().count())
        };
        LineCol {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }
}

/// The largest char boundary not after `offset` (clamped to the text).
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One stored text: an M document, a resx file, a documentation page.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The entry name inside the package (for folders, the path relative to the package root).
    pub name: String,
    /// An openable path on disk, relative to the working directory, when there is one.
    pub path: Option<String>,
    pub text: String,
    pub encoding: Encoding,
    pub bom_len: u32,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(name: String, path: Option<String>, decoded: Decoded) -> Self {
        let lines = LineIndex::new(&decoded.text);
        SourceFile {
            name,
            path,
            text: decoded.text,
            encoding: decoded.encoding,
            bom_len: decoded.bom_len,
            lines,
        }
    }

    pub fn line_col(&self, offset: u32) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }

    /// The span clamped to the text and to char boundaries, never reversed.
    pub fn clamp(&self, span: Span) -> Span {
        let start = floor_char_boundary(&self.text, span.start as usize);
        let end = floor_char_boundary(&self.text, span.end as usize).max(start);
        Span::from_range(start..end)
    }

    /// The text of a span, clamped.
    pub fn slice(&self, span: Span) -> &str {
        let span = self.clamp(span);
        self.text.get(span.range()).unwrap_or_default()
    }
}

/// The stored texts of one package.
#[derive(Clone, Debug, Default)]
pub struct SourceDb {
    files: Vec<SourceFile>,
}

impl SourceDb {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn find(&self, name: &str) -> Option<FileId> {
        self.iter().find(|(_, f)| f.name == name).map(|(id, _)| id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every M line terminator starts a new line; CRLF counts once; VT and FF do not.
    #[test]
    fn line_index_follows_m_line_terminators() {
        let text = "a\rb\nc\r\nd\u{85}e\u{2028}f\u{2029}g\u{b}\u{c}h";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 7);
        assert!(index.has_unicode_newlines);
        let h = text.find('h').unwrap() as u32;
        assert_eq!(index.line_col(text, h), LineCol { line: 7, column: 4 });
    }

    /// Columns count characters, not bytes, and offsets inside a character are clamped.
    #[test]
    fn columns_count_characters() {
        let text = "x = \"日本\" + 1";
        let index = LineIndex::new(text);
        let plus = text.find('+').unwrap() as u32;
        assert_eq!(index.line_col(text, plus).column, 10);
        assert_eq!(index.line_col(text, 6).column, 6); // inside 日 → its start
        assert_eq!(index.line_col(text, 9999).column, 13);
    }

    /// A UTF-8 BOM is removed and recorded; UTF-16 with a BOM is decoded.
    #[test]
    fn decode_handles_boms() {
        let utf8 = decode(b"\xEF\xBB\xBFsection A;");
        assert_eq!((utf8.text.as_str(), utf8.bom_len), ("section A;", 3));
        assert_eq!(utf8.encoding, Encoding::Utf8Bom);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("ab".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let decoded = decode(&utf16);
        assert_eq!(decoded.text, "ab");
        assert_eq!(decoded.problem, None);
    }

    /// Invalid UTF-8 is one problem at the first bad byte; NUL-interleaved text is flagged once.
    #[test]
    fn decode_reports_first_problem() {
        let bad = decode(b"abc\xFFdef\xFE");
        assert_eq!(bad.problem, Some(DecodeProblem::InvalidUtf8 { offset: 3 }));
        let utf16_no_bom: Vec<u8> = "section A;"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        match decode(&utf16_no_bom).problem {
            Some(DecodeProblem::Nul {
                offset: 1,
                looks_like_utf16: true,
            }) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
}
