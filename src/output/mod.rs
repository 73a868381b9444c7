//! Output formats: one function turns a [`Report`] into text in the format the user chose, and
//! rule documentation is rendered for `mezcheck rule`. Each format lives in its own file and
//! reads only the report and rule metadata; this module holds the one match on the format and
//! the small pieces several formats share (label positions, the summary line). It never
//! decides what is a finding, and it never opens files: everything it prints is in the report.

pub mod checklist;
mod concise;
mod github;
mod human;
pub mod info;
mod json;
mod msbuild;
mod rules;
pub mod sanitize;
mod sarif;
mod statistics;
pub mod verify;

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use crate::diagnostic::{Counts, Label, PackageReport, Report};
use crate::source::{LineCol, Span};

pub use rules::{render_rule, render_rule_list, rules_table_markdown};

/// How findings are printed (`--output-format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Source excerpts with labels, for people.
    Full,
    /// `LOCATION:LINE:COL: CODE SEVERITY: MESSAGE`, one line each.
    Concise,
    /// `LOCATION(LINE,COL,ENDLINE,ENDCOL): SEVERITY CODE: MESSAGE`, for `$msCompile`.
    Msbuild,
    /// One JSON document.
    Json,
    /// One JSON object per finding and line.
    JsonLines,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Full,
        Format::Concise,
        Format::Msbuild,
        Format::Json,
        Format::JsonLines,
        Format::Sarif,
        Format::Github,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Full => "full",
            Format::Concise => "concise",
            Format::Msbuild => "msbuild",
            Format::Json => "json",
            Format::JsonLines => "json-lines",
            Format::Sarif => "sarif",
            Format::Github => "github",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is not one of ours.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{given}` (expected one of: {expected})")]
pub struct UnknownFormat {
    pub given: String,
    pub expected: &'static str,
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|format| format.name() == name)
            .ok_or_else(|| UnknownFormat {
                given: name.to_owned(),
                expected: "full, concise, msbuild, json, json-lines, sarif, github",
            })
    }
}

/// Choices that apply to every format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Colour the human format (the caller decides from `--color`, the terminal and `NO_COLOR`).
    pub color: bool,
    /// No summary line.
    pub quiet: bool,
    /// Counts per rule instead of findings.
    pub statistics: bool,
}

/// Writes the report in the chosen format. I/O errors (a closed pipe included) are returned
/// as they are; what to do about them is the caller's business.
pub fn render(
    report: &Report,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    if options.statistics {
        return statistics::render(report, format, options, out);
    }
    match format {
        Format::Full => human::render(report, options, out),
        Format::Concise => concise::render(report, out),
        Format::Msbuild => msbuild::render(report, out),
        Format::Json => json::render(report, out),
        Format::JsonLines => json::render_lines(report, out),
        Format::Sarif => sarif::render(report, out),
        Format::Github => github::render(report, out),
    }
}

/// How rule documentation is printed (`mezcheck rule --output-format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleFormat {
    Text,
    Json,
    Markdown,
}

impl RuleFormat {
    pub fn name(self) -> &'static str {
        match self {
            RuleFormat::Text => "text",
            RuleFormat::Json => "json",
            RuleFormat::Markdown => "markdown",
        }
    }
}

impl fmt::Display for RuleFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for RuleFormat {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        [RuleFormat::Text, RuleFormat::Json, RuleFormat::Markdown]
            .into_iter()
            .find(|format| format.name() == name)
            .ok_or_else(|| UnknownFormat {
                given: name.to_owned(),
                expected: "text, json, markdown",
            })
    }
}

/// Where a label points, resolved the way [`PackageReport::location`] resolves the primary one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LabelPosition<'a> {
    /// The entry (file) name inside the package.
    pub entry: &'a str,
    /// An openable path for the file, when there is one.
    pub file: Option<&'a str>,
    /// Byte offsets into the file on disk (a byte order mark included), clamped.
    pub byte_span: Span,
    pub start: LineCol,
    pub end: LineCol,
}

pub(crate) fn label_position<'a>(package: &'a PackageReport, label: &Label) -> LabelPosition<'a> {
    let source = package.sources.get(label.file);
    let span = source.clamp(label.span);
    let file = source
        .path
        .as_deref()
        .or_else(|| package.entry_paths.get(&source.name).map(String::as_str));
    LabelPosition {
        entry: &source.name,
        file,
        byte_span: Span::new(
            span.start.saturating_add(source.bom_len),
            span.end.saturating_add(source.bom_len),
        ),
        start: source.line_col(span.start),
        end: source.line_col(span.end),
    }
}

/// Where an entry is, for one-line messages: its openable path, `package!entry`, or the
/// package itself.
pub(crate) fn entry_display(package: &PackageReport, entry: Option<&str>) -> String {
    match entry {
        Some(entry) => match package.entry_paths.get(entry) {
            Some(path) => path.clone(),
            None => format!("{}!{entry}", package.path),
        },
        None => package.path.clone(),
    }
}

/// `2 errors, 1 warning in 1 package`, or `no findings in 3 packages`.
pub(crate) fn summary_line(counts: Counts, n_packages: usize) -> String {
    format!(
        "{} in {}",
        counts_phrase(counts),
        plural(n_packages, "package", "packages")
    )
}

/// `2 errors, 1 warning`, or `no findings`.
pub(crate) fn counts_phrase(counts: Counts) -> String {
    let parts: Vec<String> = [
        (counts.errors, "error", "errors"),
        (counts.warnings, "warning", "warnings"),
        (counts.infos, "info", "infos"),
    ]
    .into_iter()
    .filter(|(count, _, _)| *count > 0)
    .map(|(count, one, many)| plural(count, one, many))
    .collect();
    let findings = if parts.is_empty() {
        "no findings".to_owned()
    } else {
        parts.join(", ")
    };
    // Values that could not be checked statically are not findings: named apart.
    match counts.reviews {
        0 => findings,
        reviews => format!(
            "{findings}, {}",
            plural(reviews, "value to review", "values to review")
        ),
    }
}

/// `1 package`, `2 packages`.
pub(crate) fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Format names round-trip, and an unknown name lists the choices.
    #[test]
    fn format_names_round_trip() {
        for format in Format::ALL {
            assert_eq!(format.to_string().parse::<Format>(), Ok(format));
        }
        let error = "xml".parse::<Format>().unwrap_err();
        assert!(error.to_string().contains("json-lines"), "{error}");
        assert_eq!("markdown".parse::<RuleFormat>(), Ok(RuleFormat::Markdown));
    }

    /// The summary pluralises every count and the package count, and says when all is clean.
    #[test]
    fn summary_line_pluralises() {
        let counts = |errors, warnings, infos| Counts {
            errors,
            warnings,
            infos,
            reviews: 0,
        };
        assert_eq!(
            summary_line(counts(2, 1, 0), 1),
            "2 errors, 1 warning in 1 package"
        );
        assert_eq!(
            summary_line(counts(1, 0, 3), 2),
            "1 error, 3 infos in 2 packages"
        );
        assert_eq!(
            summary_line(counts(0, 2, 1), 1),
            "2 warnings, 1 info in 1 package"
        );
        assert_eq!(summary_line(counts(0, 0, 0), 1), "no findings in 1 package");
        let reviews = |errors, reviews| Counts {
            errors,
            reviews,
            ..Counts::default()
        };
        assert_eq!(
            summary_line(reviews(0, 2), 1),
            "no findings, 2 values to review in 1 package"
        );
        assert_eq!(
            summary_line(reviews(1, 1), 1),
            "1 error, 1 value to review in 1 package"
        );
        assert_eq!(
            summary_line(counts(0, 0, 0), 0),
            "no findings in 0 packages"
        );
    }
}
