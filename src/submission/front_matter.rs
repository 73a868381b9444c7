//! The YAML front matter of an article: the block between a `---` first line and the next
//! `---` (or `...`) line, read as simple `key: value` lines. Nested YAML (lists, indented
//! mappings) is skipped: the rules only need top-level keys and their plain values.

use super::markdown::line_spans;
use crate::source::Span;

/// The YAML block between `---` lines at the top of the file.
#[derive(Clone, Debug)]
pub struct FrontMatter {
    /// The whole block, both delimiters included.
    pub span: Span,
    /// The opening `---` line.
    pub open: Span,
    pub keys: Vec<FrontMatterKey>,
}

/// One `key: value` line of the front matter.
#[derive(Clone, Debug)]
pub struct FrontMatterKey {
    pub key: String,
    pub value: String,
    /// The whole line.
    pub span: Span,
}

/// Front matter: a `---` first line and a closing `---` (or `...`) line.
pub(super) fn front_matter(text: &str) -> Option<FrontMatter> {
    let mut lines = line_spans(text);
    let (open_start, open_end) = lines.next()?;
    if text.get(open_start..open_end)?.trim_end() != "---" {
        return None;
    }
    let mut keys = Vec::new();
    for (start, end) in lines {
        let line = text.get(start..end)?;
        if matches!(line.trim_end(), "---" | "...") {
            let after = text.get(end..).unwrap_or_default();
            let close = after.find('\n').map_or(text.len(), |n| end + n + 1);
            return Some(FrontMatter {
                span: Span::from_range(0..close),
                open: Span::from_range(open_start..open_end),
                keys,
            });
        }
        if let Some(key) = front_matter_key(line, Span::from_range(start..end)) {
            keys.push(key);
        }
    }
    None
}

/// `key: value` at column 0, with quotes around the value removed.
fn front_matter_key(line: &str, span: Span) -> Option<FrontMatterKey> {
    let (key, value) = line.split_once(':')?;
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !valid {
        return None;
    }
    let value = value.trim();
    let unquoted = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    Some(FrontMatterKey {
        key: key.to_owned(),
        value: unquoted.to_owned(),
        span,
    })
}
