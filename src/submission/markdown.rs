//! A small typed outline of a Markdown article, built with `pulldown-cmark` (CommonMark plus
//! GitHub tables): front matter keys, headings, top-level blocks, tables, blockquotes, ordered
//! lists, and the regions that are not prose (code, HTML comments). Every item carries byte
//! spans into the stored text, so findings point at the line in the `.md` file.
//!
//! It does not judge anything: the 8xx rules do. Fenced and indented code and HTML comments
//! never produce headings, tables or lists (the parser sees to that) and are listed in
//! [`Outline::non_prose`] so text searches can skip them.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::front_matter::{FrontMatter, front_matter};
use crate::source::Span;

/// The outline of one Markdown text.
#[derive(Clone, Debug, Default)]
pub struct Outline {
    pub front_matter: Option<FrontMatter>,
    pub headings: Vec<Heading>,
    /// Top-level blocks in document order.
    pub blocks: Vec<Block>,
    pub tables: Vec<Table>,
    /// Top-level blockquotes.
    pub blockquotes: Vec<BlockQuote>,
    /// Every ordered list, at any depth, in order of its end.
    pub ordered_lists: Vec<OrderedList>,
    /// Code blocks, inline code and HTML comments: text that is not published prose.
    pub non_prose: Vec<Span>,
    /// DocFX `[!INCLUDE [...](...)]` lines, whose content lives in another file.
    pub includes: Vec<Span>,
    /// Length of the text, the end of the last section.
    pub len: u32,
}

/// An ATX (`## Text`) or setext (`Text` over `===`) heading.
#[derive(Clone, Debug)]
pub struct Heading {
    pub level: u8,
    /// The heading text with inline markup removed, trimmed.
    pub text: String,
    /// The heading's first line.
    pub span: Span,
    /// Whether it is a top-level block (not inside a blockquote or list).
    pub top_level: bool,
}

/// What a top-level block is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// Index into [`Outline::headings`].
    Heading(usize),
    Paragraph,
    /// Index into [`Outline::tables`].
    Table(usize),
    /// Index into [`Outline::blockquotes`].
    BlockQuote(usize),
    List,
    Code,
    /// An HTML block that is only a comment.
    Comment,
    Html,
    Rule,
    Other,
}

/// A top-level block and its span.
#[derive(Clone, Copy, Debug)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Span,
}

/// A GitHub table; `rows[0]` is the header row.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub span: Span,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, Default)]
pub struct Row {
    pub span: Span,
    pub cells: Vec<Cell>,
}

/// A table cell: its text with inline markup removed and `<br>` turned into a line break.
#[derive(Clone, Debug, Default)]
pub struct Cell {
    pub text: String,
    pub span: Span,
}

/// A blockquote with its raw lines, `>` markers removed.
#[derive(Clone, Debug)]
pub struct BlockQuote {
    pub span: Span,
    pub lines: Vec<(String, Span)>,
}

/// An ordered (`1.` or `1)`) list and the number of its own items.
#[derive(Clone, Copy, Debug)]
pub struct OrderedList {
    pub span: Span,
    pub items: usize,
}

impl Outline {
    /// Where the section opened by heading `index` ends: at the next heading of the same or a
    /// higher level, else at the end of the text.
    pub fn section_end(&self, index: usize) -> u32 {
        let Some(heading) = self.headings.get(index) else {
            return self.len;
        };
        self.headings[index + 1..]
            .iter()
            .find(|h| h.level <= heading.level)
            .map_or(self.len, |h| h.span.start)
    }

    /// The span from a heading to the end of its section.
    pub fn section(&self, index: usize) -> Span {
        let start = self.headings.get(index).map_or(self.len, |h| h.span.start);
        Span::new(start, self.section_end(index))
    }

    /// Level-1 headings.
    pub fn h1s(&self) -> impl Iterator<Item = &Heading> {
        self.headings.iter().filter(|h| h.level == 1)
    }

    /// The first heading (index) whose level is in `levels` and whose normalised text passes
    /// `matches`.
    pub fn find_heading(&self, levels: &[u8], matches: impl Fn(&str) -> bool) -> Option<usize> {
        self.headings
            .iter()
            .position(|h| levels.contains(&h.level) && matches(&normalise_heading(&h.text)))
    }

    /// Whether a span contains a DocFX include, whose content this file cannot show.
    pub fn has_include_in(&self, span: Span) -> bool {
        self.includes
            .iter()
            .any(|i| i.start >= span.start && i.start < span.end)
    }

    /// The text with every non-prose region blanked (spaces, line breaks kept), so offsets
    /// still match the original.
    pub fn prose(&self, text: &str) -> String {
        let mut bytes = text.as_bytes().to_vec();
        for span in &self.non_prose {
            for byte in bytes
                .iter_mut()
                .take(span.end as usize)
                .skip(span.start as usize)
            {
                if *byte != b'\n' && *byte != b'\r' {
                    *byte = b' ';
                }
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// Lowercase, trimmed, inner whitespace collapsed.
pub fn normalise_heading(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Parses a Markdown text into its outline. Linear in the text; never fails.
pub fn parse(text: &str) -> Outline {
    let mut outline = Outline {
        len: Span::from_range(0..text.len()).end,
        ..Outline::default()
    };
    let body_start = match front_matter(text) {
        Some(front) => {
            let end = front.span.end as usize;
            outline.front_matter = Some(front);
            end
        }
        None => 0,
    };
    let body = text.get(body_start..).unwrap_or_default();
    Builder::new(text, body_start, &mut outline).run(body);
    outline.includes = include_lines(text, &outline.non_prose);
    outline
}

/// Walks the parser's events once, filling the outline.
struct Builder<'t, 'o> {
    text: &'t str,
    offset: usize,
    out: &'o mut Outline,
    depth: usize,
    heading: Option<(u8, String, Span)>,
    cell: Option<Cell>,
    lists: Vec<(Span, bool, usize)>,
}

impl<'t, 'o> Builder<'t, 'o> {
    fn new(text: &'t str, offset: usize, out: &'o mut Outline) -> Self {
        Builder {
            text,
            offset,
            out,
            depth: 0,
            heading: None,
            cell: None,
            lists: Vec::new(),
        }
    }

    fn run(mut self, body: &str) {
        let options = Options::ENABLE_TABLES;
        for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
            let span = Span::from_range(range.start + self.offset..range.end + self.offset);
            match event {
                Event::Start(tag) => {
                    if self.depth == 0 {
                        self.top_level_block(&tag, span);
                    }
                    self.depth += 1;
                    self.start(tag, span);
                }
                Event::End(tag) => {
                    self.depth = self.depth.saturating_sub(1);
                    self.end(tag);
                }
                Event::Text(text) => self.push_text(&text),
                Event::Code(code) => {
                    self.push_text(&code);
                    self.out.non_prose.push(span);
                }
                Event::InlineHtml(html) | Event::Html(html) => self.html(&html, span),
                Event::SoftBreak | Event::HardBreak => self.push_text(" "),
                Event::Rule if self.depth == 0 => self.out.blocks.push(Block {
                    kind: BlockKind::Rule,
                    span,
                }),
                _ => {}
            }
        }
    }

    fn top_level_block(&mut self, tag: &Tag<'_>, span: Span) {
        let kind = match tag {
            Tag::Heading { .. } => BlockKind::Heading(self.out.headings.len()),
            Tag::Paragraph => BlockKind::Paragraph,
            Tag::Table(_) => BlockKind::Table(self.out.tables.len()),
            Tag::BlockQuote(_) => {
                self.out.blockquotes.push(BlockQuote {
                    span,
                    lines: quote_lines(self.text, span),
                });
                BlockKind::BlockQuote(self.out.blockquotes.len() - 1)
            }
            Tag::List(_) => BlockKind::List,
            Tag::CodeBlock(_) => BlockKind::Code,
            Tag::HtmlBlock if is_comment(self.slice(span)) => BlockKind::Comment,
            Tag::HtmlBlock => BlockKind::Html,
            _ => BlockKind::Other,
        };
        self.out.blocks.push(Block { kind, span });
    }

    fn start(&mut self, tag: Tag<'_>, span: Span) {
        match tag {
            Tag::Heading { level, .. } => {
                self.heading = Some((level as u8, String::new(), first_line(self.text, span)))
            }
            Tag::Table(_) => self.out.tables.push(Table {
                span,
                rows: Vec::new(),
            }),
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = self.out.tables.last_mut() {
                    table.rows.push(Row {
                        span: first_line(self.text, span),
                        cells: Vec::new(),
                    });
                }
            }
            Tag::TableCell => {
                self.cell = Some(Cell {
                    text: String::new(),
                    span,
                })
            }
            Tag::List(start) => self.lists.push((span, start.is_some(), 0)),
            Tag::Item => {
                if let Some(list) = self.lists.last_mut() {
                    list.2 += 1;
                }
            }
            Tag::CodeBlock(_) => self.out.non_prose.push(span),
            Tag::HtmlBlock if is_comment(self.slice(span)) => self.out.non_prose.push(span),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                if let Some((level, text, span)) = self.heading.take() {
                    let top_level = self.depth == 0;
                    self.out.headings.push(Heading {
                        level,
                        text: text.trim().to_owned(),
                        span,
                        top_level,
                    });
                }
            }
            TagEnd::TableCell => {
                let cell = self.cell.take();
                let row = self.out.tables.last_mut().and_then(|t| t.rows.last_mut());
                if let (Some(mut cell), Some(row)) = (cell, row) {
                    cell.text = cell.text.trim().to_owned();
                    row.cells.push(cell);
                }
            }
            TagEnd::List(_) => {
                if let Some((span, true, items)) = self.lists.pop() {
                    self.out.ordered_lists.push(OrderedList { span, items });
                }
            }
            _ => {}
        }
    }

    fn push_text(&mut self, text: &str) {
        if let Some((_, heading, _)) = &mut self.heading {
            heading.push_str(text);
        } else if let Some(cell) = &mut self.cell {
            cell.text.push_str(text);
        }
    }

    fn html(&mut self, html: &str, span: Span) {
        if is_comment(html) {
            self.out.non_prose.push(span);
        } else if html
            .trim_start()
            .get(..3)
            .is_some_and(|t| t.eq_ignore_ascii_case("<br"))
        {
            self.push_text("\n");
        } else {
            self.push_text(html);
        }
    }

    fn slice(&self, span: Span) -> &'t str {
        self.text.get(span.range()).unwrap_or_default()
    }
}

fn is_comment(html: &str) -> bool {
    html.trim_start().starts_with("<!--")
}

/// The span cut at its first line break.
fn first_line(text: &str, span: Span) -> Span {
    let slice = text.get(span.range()).unwrap_or_default();
    let line = slice.find(['\n', '\r']).unwrap_or(slice.len());
    let trimmed = slice.get(..line).unwrap_or_default().trim_end().len();
    Span::from_range(span.start as usize..span.start as usize + trimmed)
}

/// The raw lines of a blockquote, with leading spaces and one level of `>` (plus one space)
/// removed.
fn quote_lines(text: &str, span: Span) -> Vec<(String, Span)> {
    let slice = text.get(span.range()).unwrap_or_default();
    let mut lines = Vec::new();
    let mut at = span.start as usize;
    for line in slice.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let stripped = content.trim_start();
        let stripped = stripped.strip_prefix('>').unwrap_or(stripped);
        let stripped = stripped.strip_prefix(' ').unwrap_or(stripped);
        lines.push((
            stripped.trim_end().to_owned(),
            Span::from_range(at..at + content.len()),
        ));
        at += line.len();
    }
    lines
}

/// Byte ranges of lines, without their line breaks.
pub(super) fn line_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = at;
        at += line.len();
        (start, start + line.trim_end_matches(['\n', '\r']).len())
    })
}

/// Lines starting `[!INCLUDE` outside code.
fn include_lines(text: &str, non_prose: &[Span]) -> Vec<Span> {
    line_spans(text)
        .filter(|&(start, end)| {
            let line = text.get(start..end).unwrap_or_default().trim_start();
            line.get(..9)
                .is_some_and(|head| head.eq_ignore_ascii_case("[!include"))
        })
        .map(|(start, end)| Span::from_range(start..end))
        .filter(|span| {
            !non_prose
                .iter()
                .any(|code| code.start <= span.start && span.start < code.end)
        })
        .collect()
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;
