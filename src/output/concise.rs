//! The `concise` format: `LOCATION:LINE:COL: CODE SEVERITY: MESSAGE`, one finding per line, for
//! grep and editors that jump to `file:line:col`. Findings without a span use line 1, column 1.
//! No summary line: every line is a finding.

use std::io::{self, Write};

use super::sanitize::sanitize_line;
use crate::diagnostic::Report;

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for package in &report.packages {
        for diagnostic in &package.diagnostics {
            let location = package.location(diagnostic);
            let (line, column) = location
                .range
                .map_or((1, 1), |(start, _)| (start.line, start.column));
            writeln!(
                out,
                "{}:{line}:{column}: {} {}: {}",
                sanitize_line(&location.display),
                diagnostic.rule.code,
                diagnostic.severity,
                sanitize_line(&diagnostic.message),
            )?;
        }
    }
    Ok(())
}
