//! The `msbuild` format: `LOCATION(LINE,COL,ENDLINE,ENDCOL): SEVERITY CODE: MESSAGE`, the
//! canonical MSBuild error line, which VS Code's built-in `$msCompile` problem matcher reads.
//! Findings without a span point at `(1,1)`. No summary line.

use std::io::{self, Write};

use super::sanitize::sanitize_line;
use crate::diagnostic::{Report, Severity};

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for package in &report.packages {
        for diagnostic in &package.diagnostics {
            let location = package.location(diagnostic);
            let position = match location.range {
                Some((start, end)) => {
                    format!(
                        "{},{},{},{}",
                        start.line, start.column, end.line, end.column
                    )
                }
                None => "1,1".to_owned(),
            };
            writeln!(
                out,
                "{}({position}): {} {}: {}",
                sanitize_line(&location.display),
                // MSBuild knows errors, warnings and messages: a value to review is a message.
                match diagnostic.severity {
                    Severity::Review => Severity::Info,
                    severity => severity,
                },
                diagnostic.rule.code,
                sanitize_line(&diagnostic.message),
            )?;
        }
    }
    Ok(())
}
