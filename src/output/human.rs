//! The `full` format: one ariadne report per finding (header, source excerpt with labels, help
//! and notes), then a summary line. This is the only module that knows ariadne: it counts
//! characters where our spans count bytes, prints whole lines, numbers lines by their index in
//! the text it is given, and passes control characters through. So each report is rendered
//! over an *excerpt* built here: the lines the labels touch, sanitised, cropped to
//! [`MAX_LINE_COLUMNS`] around the span, with empty lines before them so the line numbers come
//! out right. Findings without a span are written by hand in the same style.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::ops::Range;

use ariadne::{Color, Config, Label as AriadneLabel, Report as AriadneReport, ReportKind};

use super::sanitize::{sanitize_line, visible_form};
use super::{RenderOptions, counts_phrase, entry_display, plural, summary_line};
use crate::diagnostic::{Counts, Diagnostic, Label, PackageReport, Report, Severity};
use crate::source::{FileId, SourceFile, Span, floor_char_boundary};

/// Widest source line shown, in characters, ellipses included: ariadne prints whole lines, and
/// one 1 MiB line would otherwise print a megabyte per finding.
pub const MAX_LINE_COLUMNS: usize = 200;

/// Characters kept before the start of a span when its line is cropped.
const CONTEXT_BEFORE: usize = 60;

/// Highest line number shown with an excerpt. ariadne numbers lines by their position in its
/// text, so an excerpt keeps an empty line for every line before the span; past this (far
/// beyond real connectors, ~100,000 lines at most) the finding is printed as `--> file:line:col`
/// without an excerpt, which keeps memory per finding bounded.
pub const MAX_EXCERPT_LINE: u32 = 200_000;

/// Marks a source name in ariadne's output so its `name:line:col` can be replaced by the real
/// name and column. U+0001 is sanitised out of every other text, so it cannot be forged.
const NAME_MARK: char = '\u{1}';

pub(super) fn render(
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let paint = Paint { on: options.color };
    for package in &report.packages {
        for (idx, diagnostic) in package.diagnostics.iter().enumerate() {
            render_diagnostic(package, diagnostic, paint, out)?;
            let next_entry = package.diagnostics.get(idx + 1).map(|next| &next.entry);
            if next_entry == Some(&diagnostic.entry) {
                continue;
            }
            for omitted in package
                .omitted
                .iter()
                .filter(|o| o.entry == diagnostic.entry)
            {
                let what = plural(omitted.count, "more finding", "more findings");
                let place = entry_display(package, omitted.entry.as_deref());
                writeln!(out, "{what} not shown for {}\n", sanitize_line(&place))?;
            }
        }
    }
    if !options.quiet {
        // Several packages: each one with findings gets its own line before the total.
        if report.packages.len() > 1 {
            for package in report
                .packages
                .iter()
                .filter(|p| p.counts != Counts::default())
            {
                writeln!(
                    out,
                    "{}: {}",
                    sanitize_line(&package.path),
                    counts_phrase(package.counts)
                )?;
            }
        }
        let summary = summary_line(report.counts(), report.packages.len());
        writeln!(out, "{}", paint.paint(BOLD, &summary))?;
    }
    Ok(())
}

fn render_diagnostic(
    package: &PackageReport,
    diagnostic: &Diagnostic,
    paint: Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    let severity = paint.paint(
        severity_style(diagnostic.severity),
        &format!("{}[{}]", diagnostic.severity, diagnostic.rule.code),
    );
    let message = paint.paint(BOLD, &format!(": {}", sanitize_line(&diagnostic.message)));
    writeln!(out, "{severity}{message}")?;
    let rendered = match &diagnostic.primary {
        Some(primary) => render_excerpts(package, diagnostic, primary, paint)?,
        None => None,
    };
    match rendered {
        Some(body) => out.write_all(body.as_bytes())?,
        None => write_spanless(package, diagnostic, paint, out)?,
    }
    writeln!(out)
}

/// The `  --> location`, `  Help:` and `  Note:` lines of a finding shown without an excerpt.
fn write_spanless(
    package: &PackageReport,
    diagnostic: &Diagnostic,
    paint: Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    let location = package.location(diagnostic);
    let position = location
        .range
        .map(|(start, _)| format!(":{}:{}", start.line, start.column))
        .unwrap_or_default();
    let arrow = paint.paint(ARROW, "-->");
    writeln!(
        out,
        "  {arrow} {}{position}",
        sanitize_line(&location.display)
    )?;
    // Written as ariadne writes them under an excerpt, so every finding reads alike.
    if let Some(help) = &diagnostic.help {
        writeln!(
            out,
            "  {}: {}",
            paint.paint(BOLD, "Help"),
            sanitize_line(help)
        )?;
    }
    for note in &diagnostic.notes {
        writeln!(
            out,
            "  {}: {}",
            paint.paint(BOLD, "Note"),
            sanitize_line(note)
        )?;
    }
    Ok(())
}

/// Everything ariadne prints for a finding with a span, minus its header line (ours is written
/// before), or `None` when the span is too far down its file for an excerpt.
fn render_excerpts(
    package: &PackageReport,
    diagnostic: &Diagnostic,
    primary: &Label,
    paint: Paint,
) -> io::Result<Option<String>> {
    let labels: Vec<(&Label, bool)> = std::iter::once((primary, true))
        .chain(diagnostic.secondary.iter().map(|label| (label, false)))
        .collect();
    let mut excerpts: Vec<Excerpt<'_>> = Vec::new();
    for (label, _) in &labels {
        let idx = match excerpts.iter().position(|e| e.id == label.file) {
            Some(idx) => idx,
            None => {
                excerpts.push(Excerpt::new(package, label.file));
                excerpts.len() - 1
            }
        };
        excerpts[idx].show(label.span);
    }
    let Some(primary_excerpt) = excerpts.first() else {
        return Ok(None);
    };
    if primary_excerpt.too_far {
        return Ok(None);
    }
    let texts: Vec<ExcerptText> = excerpts.iter().map(Excerpt::text).collect();
    let source_id = |idx: usize| format!("{NAME_MARK}{idx}{NAME_MARK}");

    let config = Config::new().with_color(paint.on).with_tab_width(4);
    let primary_range = char_range(&excerpts[0], &texts[0], primary.span);
    let mut builder =
        AriadneReport::build(ReportKind::Error, (source_id(0), primary_range)).with_config(config);
    // ariadne starts a new source group whenever a label is above the previous one, so labels
    // go in file by file, top to bottom.
    let mut placed: Vec<(usize, Range<usize>, &Label, bool)> = Vec::new();
    for (label, is_primary) in &labels {
        let Some(idx) = excerpts.iter().position(|e| e.id == label.file) else {
            continue;
        };
        if !excerpts[idx].too_far {
            let range = char_range(&excerpts[idx], &texts[idx], label.span);
            placed.push((idx, range, label, *is_primary));
        }
    }
    placed.sort_by_key(|(idx, range, _, _)| (*idx, range.start, range.end));
    for (idx, range, label, is_primary) in placed {
        let color = match is_primary {
            true => severity_color(diagnostic.severity),
            false => Color::Blue,
        };
        // ariadne underlines only labels with a message; a primary label the rule left
        // without one is named after the rule (`file system access`), never left blank.
        let message = match label.message.as_deref() {
            Some(message) if !message.trim().is_empty() => sanitize_line(message).into_owned(),
            _ if is_primary => diagnostic.rule.name.replace('-', " "),
            _ => String::new(),
        };
        builder.add_label(
            AriadneLabel::new((source_id(idx), range))
                .with_color(color)
                .with_message(message),
        );
    }
    if let Some(help) = &diagnostic.help {
        builder.add_help(sanitize_line(help));
    }
    for note in &diagnostic.notes {
        builder.add_note(sanitize_line(note));
    }
    let cache = ariadne::sources(
        texts
            .iter()
            .enumerate()
            .map(|(idx, text)| (source_id(idx), text.text.clone())),
    );
    let mut buffer = Vec::new();
    builder.finish().write(cache, &mut buffer)?;
    let rendered = String::from_utf8_lossy(&buffer);
    let body = rendered.split_once('\n').map_or("", |(_, body)| body);
    Ok(Some(restore_names(body, &excerpts)))
}

/// One file's lines as shown in a report: which lines, and how each is cropped.
struct Excerpt<'a> {
    id: FileId,
    file: &'a SourceFile,
    /// The sanitised name printed in the `╭─[ name:line:col ]` line.
    display: String,
    /// Shown lines (1-based) and their crop windows.
    windows: BTreeMap<u32, Window>,
    /// Whether a label is past [`MAX_EXCERPT_LINE`].
    too_far: bool,
}

/// The text ariadne is given for an excerpt, and the character offset where each shown line
/// starts in it.
struct ExcerptText {
    text: String,
    line_offsets: BTreeMap<u32, usize>,
}

impl<'a> Excerpt<'a> {
    fn new(package: &'a PackageReport, id: FileId) -> Self {
        let file = package.sources.get(id);
        let display = match file.path.as_deref() {
            Some(path) => path.to_owned(),
            None => entry_display(package, Some(&file.name)),
        };
        Excerpt {
            id,
            file,
            display: sanitize_line(&display).into_owned(),
            windows: BTreeMap::new(),
            too_far: false,
        }
    }

    /// Shows the lines a span starts and ends on; a line's crop window is anchored at the first
    /// span that shows it (the primary label comes first).
    fn show(&mut self, span: Span) {
        let (start, end) = span_points(self.file, span);
        for point in [start, end] {
            self.too_far |= point.line > MAX_EXCERPT_LINE;
            if self.too_far || self.windows.contains_key(&point.line) {
                continue;
            }
            let content = line_content(self.file, point.line);
            let len = if self.file.lines.is_ascii() {
                content.len()
            } else {
                content.chars().count()
            };
            self.windows
                .insert(point.line, Window::new(len, point.column));
        }
    }

    fn text(&self) -> ExcerptText {
        let mut text = String::new();
        let mut line_offsets = BTreeMap::new();
        let mut n_chars = 0;
        let mut next_line = 1;
        for (&line, window) in &self.windows {
            while next_line < line {
                text.push('\n');
                n_chars += 1;
                next_line += 1;
            }
            line_offsets.insert(line, n_chars);
            window.render(line_content(self.file, line), &mut text);
            n_chars += window.rendered_len();
            text.push('\n');
            n_chars += 1;
            next_line += 1;
        }
        ExcerptText { text, line_offsets }
    }
}

/// The character range of a byte span in an excerpt's text: the only conversion from our byte
/// spans to ariadne's character offsets. The span is clamped to the file and to character
/// boundaries first, and the result is never reversed.
fn char_range(excerpt: &Excerpt<'_>, text: &ExcerptText, span: Span) -> Range<usize> {
    let (start, end) = span_points(excerpt.file, span);
    let offset = |point: Point, is_end: bool| match (
        text.line_offsets.get(&point.line),
        excerpt.windows.get(&point.line),
    ) {
        (Some(&line_offset), Some(window)) => line_offset + window.map(point.column, is_end),
        _ => 0,
    };
    let start = offset(start, false);
    let end = offset(end, true).max(start);
    start..end
}

/// A position as a 1-based line and a 0-based column in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Point {
    line: u32,
    column: usize,
}

/// Where a span starts, and where it ends: just after its last character, on that character's
/// line, so a span ending with a line break stays on its line as ariadne expects.
fn span_points(file: &SourceFile, span: Span) -> (Point, Point) {
    let span = file.clamp(span);
    let point = |offset: u32, after: usize| {
        let line_col = file.line_col(offset);
        Point {
            line: line_col.line,
            column: (line_col.column as usize).saturating_sub(1) + after,
        }
    };
    let start = point(span.start, 0);
    if span.is_empty() {
        return (start, start);
    }
    let last = floor_char_boundary(&file.text, span.end as usize - 1);
    let last = u32::try_from(last).unwrap_or(span.start);
    (start, point(last, 1))
}

/// The text of a 1-based line, without its line break.
fn line_content(file: &SourceFile, line: u32) -> &str {
    let idx = line.saturating_sub(1) as usize;
    let Some(start) = file.lines.line_start(idx) else {
        return "";
    };
    let end = file
        .lines
        .line_start(idx + 1)
        .map_or(file.text.len(), |end| end as usize);
    let content = file.text.get(start as usize..end).unwrap_or_default();
    ["\r\n", "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"]
        .into_iter()
        .find_map(|terminator| content.strip_suffix(terminator))
        .unwrap_or(content)
}

/// The part of a line that is shown: characters `lo..hi` of `len`, with `…` for what is cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Window {
    lo: usize,
    hi: usize,
    len: usize,
}

impl Window {
    fn new(len: usize, anchor: usize) -> Self {
        if len <= MAX_LINE_COLUMNS {
            return Window {
                lo: 0,
                hi: len,
                len,
            };
        }
        let width = MAX_LINE_COLUMNS - 2;
        let lo = anchor.min(len).saturating_sub(CONTEXT_BEFORE);
        let hi = (lo + width).min(len);
        Window {
            lo: hi.saturating_sub(width).min(lo),
            hi,
            len,
        }
    }

    fn prefix(&self) -> usize {
        usize::from(self.lo > 0)
    }

    fn rendered_len(&self) -> usize {
        self.prefix() + (self.hi - self.lo) + usize::from(self.hi < self.len)
    }

    /// Appends the shown part of `content`, sanitised (tabs kept), to `text`.
    fn render(&self, content: &str, text: &mut String) {
        if self.lo > 0 {
            text.push('…');
        }
        let shown = content.chars().skip(self.lo).take(self.hi - self.lo);
        text.extend(shown.map(|ch| match visible_form(ch) {
            Some(_) if ch == '\t' => ch,
            Some(visible) => visible,
            None => ch,
        }));
        if self.hi < self.len {
            text.push('…');
        }
    }

    /// The column in the rendered line of a column in the full line; a span end outside the
    /// window covers the ellipsis.
    fn map(&self, column: usize, is_end: bool) -> usize {
        if column < self.lo {
            return if is_end { self.prefix() } else { 0 };
        }
        if column > self.hi {
            return self.prefix() + (self.hi - self.lo) + usize::from(is_end);
        }
        self.prefix() + column - self.lo
    }

    /// The column in the full line of a column in the rendered line.
    fn unmap(&self, column: usize) -> usize {
        (self.lo + column.saturating_sub(self.prefix())).min(self.hi)
    }
}

/// Replaces each marked source name `\u{1}N\u{1}:LINE:COL` in ariadne's output with the
/// excerpt's display name and the column in the full line.
fn restore_names(body: &str, excerpts: &[Excerpt<'_>]) -> String {
    let mut restored = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(mark) = rest.find(NAME_MARK) {
        let (before, marked) = rest.split_at_checked(mark).unwrap_or((rest, ""));
        restored.push_str(before);
        let after = marked.get(NAME_MARK.len_utf8()..).unwrap_or_default();
        let Some((name, tail)) = marked_location(after, excerpts) else {
            rest = after;
            continue;
        };
        restored.push_str(&name);
        rest = tail;
    }
    restored.push_str(rest);
    restored
}

/// Parses `N\u{1}:LINE:COL` and returns the restored `name:LINE:COL` and the text after it.
fn marked_location<'b>(text: &'b str, excerpts: &[Excerpt<'_>]) -> Option<(String, &'b str)> {
    let (idx, tail) = text.split_once(NAME_MARK)?;
    let excerpt = excerpts.get(idx.parse::<usize>().ok()?)?;
    let tail = tail.strip_prefix(':')?;
    let (line, tail) = split_number(tail)?;
    let tail = tail.strip_prefix(':')?;
    let (column, tail) = split_number(tail)?;
    let line = u32::try_from(line).ok()?;
    let column = match excerpt.windows.get(&line) {
        Some(window) => window.unmap(column.saturating_sub(1)) + 1,
        None => column,
    };
    Some((format!("{}:{line}:{column}", excerpt.display), tail))
}

fn split_number(text: &str) -> Option<(usize, &str)> {
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, rest) = text.split_at_checked(digits)?;
    Some((number.parse().ok()?, rest))
}

const BOLD: &str = "\x1b[1m";
const ARROW: &str = "\x1b[1;34m";

fn severity_style(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;36m",
        Severity::Review => "\x1b[1;35m",
    }
}

fn severity_color(severity: Severity) -> Color {
    match severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
        Severity::Info => Color::Cyan,
        Severity::Review => Color::Magenta,
    }
}

/// ANSI styling, or none.
#[derive(Clone, Copy)]
struct Paint {
    on: bool,
}

impl Paint {
    fn paint(self, style: &str, text: &str) -> String {
        match self.on {
            true => format!("{style}{text}\x1b[0m"),
            false => text.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::diagnostic::PackageReport;
    use crate::package::PackageKind;
    use crate::rules::ALL;
    use crate::source::{SourceDb, decode};

    /// A one-file folder package with one error per span (the first primary, labelled).
    fn package_with(bytes: &[u8], spans: &[Span]) -> PackageReport {
        let mut sources = SourceDb::default();
        let file = sources.add(SourceFile::new(
            "A.pq".into(),
            Some("a/A.pq".into()),
            decode(bytes),
        ));
        let diagnostics = spans
            .iter()
            .map(|&span| Diagnostic {
                rule: ALL[0],
                severity: Severity::Error,
                message: "something is wrong".into(),
                entry: None,
                primary: Some(Label {
                    file,
                    span,
                    message: Some("here".into()),
                }),
                secondary: Vec::new(),
                help: Some("fix it".into()),
                notes: Vec::new(),
                fix: None,
            })
            .collect();
        PackageReport::new(
            "a".into(),
            PackageKind::Folder,
            sources,
            BTreeMap::new(),
            diagnostics,
        )
    }

    fn full(package: PackageReport) -> String {
        let report = Report::new(vec![package]);
        let options = RenderOptions {
            color: false,
            quiet: true,
            statistics: false,
        };
        let mut out = Vec::new();
        render(&report, &options, &mut out).expect("in-memory write");
        String::from_utf8(out).expect("utf-8 output")
    }

    /// The display column of the first underline character under the source line holding
    /// `needle`, and the display column of `needle` in it (CJK characters are two wide).
    fn caret_and_needle_columns(output: &str, needle: &str) -> (usize, usize) {
        let width = |s: &str| {
            s.chars()
                .map(|c| {
                    if ('\u{3000}'..='\u{9fff}').contains(&c) {
                        2
                    } else {
                        1
                    }
                })
                .sum::<usize>()
        };
        let lines: Vec<&str> = output.lines().collect();
        let idx = lines
            .iter()
            .position(|l| l.contains(needle) && l.contains('│'))
            .expect("source line");
        let source_line = lines[idx];
        let needle_col = width(&source_line[..source_line.find(needle).expect("needle")]);
        let underline = lines[idx + 1];
        let caret = underline
            .char_indices()
            .skip_while(|(_, c)| *c != '│')
            .skip(1)
            .find(|(_, c)| *c == '─' || *c == '┬')
            .expect("underline")
            .0;
        (width(&underline[..caret]), needle_col)
    }

    /// Carets stay under the span after a BOM, CRLF line breaks, a tab and CJK text.
    #[test]
    fn carets_align_after_bom_tabs_crlf_and_cjk() {
        let text = "\u{feff}section A;\r\n\tx = \"日本語\" + target;\r\n";
        let start = text.find("target").unwrap() - 3; // spans index the text without its BOM
        let package = package_with(
            text.as_bytes(),
            &[Span::new(start as u32, start as u32 + 6)],
        );
        let output = full(package);
        let (caret, needle) = caret_and_needle_columns(&output, "target");
        assert_eq!(caret, needle, "{output}");
        assert!(output.contains("a/A.pq:2:14"), "{output}");
    }

    /// VT and FF are whitespace in M, not line breaks; they are shown as control pictures and
    /// the line numbering is M's.
    #[test]
    fn vertical_tab_and_form_feed_do_not_break_lines() {
        let text = "a\u{b}b\u{c}c\nsecond target";
        let start = text.find("target").unwrap() as u32;
        let output = full(package_with(
            text.as_bytes(),
            &[Span::new(start, start + 6)],
        ));
        assert!(output.contains("a/A.pq:2:8"), "{output}");
        assert!(output.contains(" 2 │ second target"), "{output}");
        let text = "a\u{b}b target\u{1b}[2J\u{7}";
        let output = full(package_with(text.as_bytes(), &[Span::new(4, 10)]));
        assert!(output.contains("a␋b target␛[2J␇"), "{output}");
        assert!(
            !output.contains('\u{1b}') && !output.contains('\u{7}') && !output.contains('\u{b}'),
            "{output}"
        );
    }

    /// A finding on a 1 MiB line prints a cropped excerpt of a few kilobytes, with the real
    /// column in its location.
    #[test]
    fn one_mebibyte_line_renders_small() {
        let mut text = "x".repeat(1 << 20);
        text.replace_range(600_000..600_006, "target");
        let output = full(package_with(
            text.as_bytes(),
            &[Span::new(600_000, 600_006)],
        ));
        assert!(output.len() < 4096, "{} bytes", output.len());
        assert!(output.contains("a/A.pq:1:600001"), "{output}");
        assert!(
            output.contains("…xxx") && output.contains("xxx…"),
            "{output}"
        );
        let (caret, needle) = caret_and_needle_columns(&output, "target");
        assert_eq!(caret, needle, "{output}");
    }

    /// Spans that split a character, run backwards or past the end never panic, in the range
    /// conversion or in ariadne.
    #[test]
    fn hostile_spans_never_panic() {
        let text = "日本語\n\u{1F600}x\r\ny";
        let spans = [
            Span::new(1, 2),
            Span::new(8, 2),
            Span::new(5, 5),
            Span::new(11, 13),
            Span::new(40, 90),
            Span::new(u32::MAX, 0),
        ];
        let package = package_with(text.as_bytes(), &spans);
        for diagnostic in &package.diagnostics {
            let label = diagnostic.primary.as_ref().unwrap();
            let mut excerpt = Excerpt::new(&package, label.file);
            excerpt.show(label.span);
            let range = char_range(&excerpt, &excerpt.text(), label.span);
            assert!(range.start <= range.end);
        }
        let n_diagnostics = package.diagnostics.len();
        let output = full(package);
        assert_eq!(
            output.matches("error[PQ001]").count(),
            n_diagnostics,
            "{output}"
        );
    }

    /// Far down a huge file there is no excerpt, only the location, so memory stays bounded.
    #[test]
    fn spans_past_the_excerpt_limit_print_their_location() {
        let text = "\n".repeat(MAX_EXCERPT_LINE as usize + 10) + "target";
        let start = text.find("target").unwrap() as u32;
        let output = full(package_with(
            text.as_bytes(),
            &[Span::new(start, start + 6)],
        ));
        let line = MAX_EXCERPT_LINE + 11;
        assert!(
            output.contains(&format!("  --> a/A.pq:{line}:1\n  Help: fix it\n")),
            "{output}"
        );
    }

    /// A secondary label in another file gets its own group, named and numbered for that file.
    #[test]
    fn labels_in_other_files_name_their_file() {
        let mut sources = SourceDb::default();
        let main = sources.add(SourceFile::new(
            "A.pq".into(),
            Some("a/A.pq".into()),
            decode(b"section A;\nx = 1;"),
        ));
        let module = sources.add(SourceFile::new(
            "B.pqm".into(),
            None,
            decode(b"\n\n\tlet y = 2"),
        ));
        let diagnostic = Diagnostic {
            rule: ALL[0],
            severity: Severity::Warning,
            message: "two places".into(),
            entry: None,
            primary: Some(Label {
                file: main,
                span: Span::new(11, 12),
                message: Some("first".into()),
            }),
            secondary: vec![Label {
                file: module,
                span: Span::new(7, 8),
                message: Some("second".into()),
            }],
            help: None,
            notes: vec!["one note".into()],
            fix: None,
        };
        let package = PackageReport::new(
            "a".into(),
            PackageKind::Folder,
            sources,
            BTreeMap::new(),
            vec![diagnostic],
        );
        let output = full(package);
        assert!(output.contains("╭─[ a/A.pq:2:1 ]"), "{output}");
        assert!(output.contains("├─[ a!B.pqm:3:6 ]"), "{output}");
        assert!(output.contains("Note: one note"), "{output}");
        assert!(!output.contains(NAME_MARK), "{output}");
    }
}
