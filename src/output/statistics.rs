//! `--statistics`: how many findings each rule produced, instead of the findings. A table for
//! people (and every format without a better shape), an object for `json`, one object per
//! line for `json-lines`. Counts cover the findings kept in the report; the summary counts
//! every finding, omitted ones included.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::json::JSON_VERSION;
use super::{Format, RenderOptions, summary_line};
use crate::diagnostic::{Counts, Report, Severity};

pub(super) fn render(
    report: &Report,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rows = rows(report);
    match format {
        Format::Json => {
            let document = JsonStatistics {
                version: JSON_VERSION,
                statistics: rows,
                summary: report.counts(),
            };
            serde_json::to_writer_pretty(&mut *out, &document)?;
            writeln!(out)
        }
        Format::JsonLines => {
            for row in &rows {
                serde_json::to_writer(&mut *out, row)?;
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Full | Format::Concise | Format::Msbuild | Format::Sarif | Format::Github => {
            write_table(&rows, out)?;
            if !options.quiet {
                writeln!(
                    out,
                    "{}",
                    summary_line(report.counts(), report.packages.len())
                )?;
            }
            Ok(())
        }
    }
}

#[derive(Serialize)]
struct JsonStatistics {
    version: u32,
    statistics: Vec<Row>,
    summary: Counts,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
struct Row {
    code: &'static str,
    name: &'static str,
    /// The level of the rule's findings (the highest, should a suppression have changed it), or
    /// `review` when the rule has only values to review.
    severity: Severity,
    /// Findings.
    count: usize,
    /// Values the rule could not check statically: counted on the rule's row, apart.
    review: usize,
}

/// One row per rule, most findings first, then by code.
fn rows(report: &Report) -> Vec<Row> {
    let mut counts: BTreeMap<&'static str, Row> = BTreeMap::new();
    for diagnostic in report.packages.iter().flat_map(|p| &p.diagnostics) {
        let rule = diagnostic.rule;
        let row = counts.entry(rule.code).or_insert(Row {
            code: rule.code,
            name: rule.name,
            severity: Severity::Review,
            count: 0,
            review: 0,
        });
        if diagnostic.severity == Severity::Review {
            row.review += 1;
        } else {
            row.count += 1;
            row.severity = row.severity.max(diagnostic.severity);
        }
    }
    let mut rows: Vec<Row> = counts.into_values().collect();
    rows.sort_by(|a, b| {
        (b.count.cmp(&a.count))
            .then(b.review.cmp(&a.review))
            .then(a.code.cmp(b.code))
    });
    rows
}

/// `COUNT  CODE  NAME  SEVERITY`, columns aligned.
fn write_table(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    let count_width = rows
        .iter()
        .map(|r| r.count.to_string().len())
        .max()
        .unwrap_or(1);
    let name_width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for row in rows {
        let review = match row.review {
            0 => String::new(),
            n => format!("  (+{n} to review)"),
        };
        writeln!(
            out,
            "{:>count_width$}  {}  {:<name_width$}  {}{review}",
            row.count, row.code, row.name, row.severity
        )?;
    }
    Ok(())
}
