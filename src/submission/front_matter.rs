//! The YAML front matter of an article: the block between a `---` first line and the next
//! `---` (or `...`) line, as Microsoft Learn reads it, parsed as YAML (`yaml-rust2`). The rules
//! need the top-level keys and their scalar values; nested values (lists, mappings) are kept
//! as present but empty.

use std::collections::BTreeMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

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
    /// Why the block could not be read to its end (`not valid YAML: …`), with the line.
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
    // Scalars by anchor id, for aliases (`description: *t` after `title: &t …`).
    let mut anchored: BTreeMap<usize, String> = BTreeMap::new();
    let mut events = 0usize;
    loop {
        events += 1;
        if events > MAX_FRONT_MATTER_EVENTS {
            let span = line_span(lines.len());
            let message =
                format!("too large to read: more than {MAX_FRONT_MATTER_EVENTS} YAML events");
            return (keys, Some((message, span)));
        }
        let (event, mark) = match parser.next_token() {
            Ok(next) => next,
            Err(error) => {
                let span = line_span(error.marker().line());
                return (
                    keys,
                    Some((format!("not valid YAML: {}", error.info()), span)),
                );
            }
        };
        // The value of a scalar at the top level, or of an alias to one.
        let scalar = match event {
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
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                depth = depth.saturating_sub(1);
                continue;
            }
            Event::Scalar(value, style, anchor, _) => {
                // A plain `~`, `null` or nothing is YAML's null: no value.
                let value = if style == TScalarStyle::Plain
                    && matches!(value.as_str(), "~" | "null" | "Null" | "NULL")
                {
                    String::new()
                } else {
                    value
                };
                if anchor > 0 {
                    anchored.insert(anchor, value.clone());
                }
                value
            }
            Event::Alias(anchor) => anchored.get(&anchor).cloned().unwrap_or_default(),
            _ => continue,
        };
        if depth != 1 {
            continue;
        }
        match pending.take() {
            None => pending = Some((scalar, line_span(mark.line()))),
            Some((key, span)) => keys.push(FrontMatterKey {
                key,
                value: scalar,
                span,
            }),
        }
    }
    (keys, None)
}

#[cfg(test)]
mod tests {
    use super::{MAX_FRONT_MATTER_EVENTS, front_matter};

    fn keys(text: &str) -> Vec<(String, String)> {
        let front = front_matter(text).expect("front matter");
        assert!(front.error.is_none(), "{:?}", front.error);
        front.keys.into_iter().map(|k| (k.key, k.value)).collect()
    }

    /// Aliases take their anchor's value and keep the keys after them in step; YAML's nulls
    /// are no value.
    #[test]
    fn aliases_and_nulls() {
        let read = keys(
            "---\ntitle: &t Kestrel\ndescription: *t\nauthor: ~\nms.author: null\nms.date: 'null'\n---\n",
        );
        let expected = [
            ("title", "Kestrel"),
            ("description", "Kestrel"),
            ("author", ""),
            ("ms.author", ""),
            ("ms.date", "null"),
        ];
        assert_eq!(
            read,
            expected.map(|(k, v)| (k.to_owned(), v.to_owned())).to_vec()
        );
    }

    /// A front matter too large to read says so instead of reporting keys as missing.
    #[test]
    fn too_many_events() {
        let list: String = (0..MAX_FRONT_MATTER_EVENTS)
            .map(|i| format!("  - {i}\n"))
            .collect();
        let text = format!("---\nitems:\n{list}title: T\n---\n");
        let front = front_matter(&text).expect("front matter");
        let (message, _) = front.error.expect("an error");
        assert!(message.contains("YAML events"), "{message}");
    }
}
