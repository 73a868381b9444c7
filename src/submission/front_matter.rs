//! The YAML front matter of an article: the block between a `---` first line and the next
//! `---` (or `...`) line, as Microsoft Learn reads it, parsed as YAML (`yaml-rust2`). The rules
//! need the top-level keys and their scalar values; nested values (lists, mappings) are kept
//! as present but empty.

use yaml_rust2::parser::{Event, Parser};

use super::markdown::line_spans;
use crate::source::Span;

/// Events read from one front matter at most: a larger block is read up to there.
pub const MAX_FRONT_MATTER_EVENTS: usize = 10_000;

/// The YAML block between `---` lines at the top of the file.
#[derive(Clone, Debug)]
pub struct FrontMatter {
    /// The whole block, both delimiters included.
    pub span: Span,
    /// The opening `---` line.
    pub open: Span,
    /// The top-level keys read before the end of the block or the first YAML error.
    pub keys: Vec<FrontMatterKey>,
    /// The first YAML error, with the line it is on.
    pub error: Option<(String, Span)>,
}

/// One top-level `key: value` of the front matter.
#[derive(Clone, Debug)]
pub struct FrontMatterKey {
    pub key: String,
    /// The scalar value (quotes, escapes and folding resolved); empty for a list or mapping.
    pub value: String,
    /// The key's line.
    pub span: Span,
}

/// Front matter: a `---` first line and a closing `---` (or `...`) line.
pub(super) fn front_matter(text: &str) -> Option<FrontMatter> {
    let mut lines = line_spans(text);
    let (open_start, open_end) = lines.next()?;
    if text.get(open_start..open_end)?.trim_end() != "---" {
        return None;
    }
    let mut body: Vec<(usize, usize)> = Vec::new();
    for (start, end) in lines {
        let line = text.get(start..end)?;
        if matches!(line.trim_end(), "---" | "...") {
            let after = text.get(end..).unwrap_or_default();
            let close = after.find('\n').map_or(text.len(), |n| end + n + 1);
            let yaml = match (body.first(), body.last()) {
                (Some(&(first, _)), Some(&(_, last))) => text.get(first..last).unwrap_or_default(),
                _ => "",
            };
            let (keys, error) = top_level_keys(yaml, &body);
            return Some(FrontMatter {
                span: Span::from_range(0..close),
                open: Span::from_range(open_start..open_end),
                keys,
                error,
            });
        }
        body.push((start, end));
    }
    None
}

/// The top-level keys of the YAML `yaml`, whose lines are `lines` (byte ranges in the article).
fn top_level_keys(
    yaml: &str,
    lines: &[(usize, usize)],
) -> (Vec<FrontMatterKey>, Option<(String, Span)>) {
    let line_span = |line: usize| {
        let (start, end) = line
            .checked_sub(1)
            .and_then(|index| lines.get(index))
            .or(lines.last())
            .copied()
            .unwrap_or_default();
        Span::from_range(start..end)
    };
    let mut keys = Vec::new();
    let mut parser = Parser::new_from_str(yaml);
    // Depth of nesting: 1 inside the top-level mapping. At depth 1, scalars alternate between
    // keys and values; a nested value is skipped to its end.
    let mut depth = 0usize;
    let mut pending: Option<(String, Span)> = None;
    for _ in 0..MAX_FRONT_MATTER_EVENTS {
        let (event, mark) = match parser.next_token() {
            Ok(next) => next,
            Err(error) => {
                let span = line_span(error.marker().line());
                return (keys, Some((error.info().to_owned(), span)));
            }
        };
        match event {
            Event::StreamEnd => break,
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if depth == 1
                    && let Some((key, span)) = pending.take()
                {
                    keys.push(FrontMatterKey {
                        key,
                        value: String::new(),
                        span,
                    });
                }
                depth += 1;
            }
            Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
            Event::Scalar(value, ..) if depth == 1 => match pending.take() {
                None => pending = Some((value, line_span(mark.line()))),
                Some((key, span)) => keys.push(FrontMatterKey { key, value, span }),
            },
            _ => {}
        }
    }
    (keys, None)
}
