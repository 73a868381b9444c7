//! `check --checklist`: the certification items no tool can check, printed after the findings
//! of each package, with what the package hints at.

use std::io::{self, Write};

use super::sanitize::sanitize_line;
use crate::diagnostic::Report;

/// Writes each package's checklist, grouped by section.
pub fn render_checklist(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for package in report.packages.iter().filter(|p| !p.checklist.is_empty()) {
        writeln!(
            out,
            "\nManual certification checklist for {}:",
            sanitize_line(&package.path)
        )?;
        let mut section = "";
        for item in &package.checklist {
            if item.section != section {
                section = item.section;
                writeln!(out, "\n  {section}")?;
            }
            writeln!(out, "  [ ] {}", sanitize_line(&item.text))?;
            for hint in &item.hints {
                writeln!(out, "        {}", sanitize_line(hint))?;
            }
        }
    }
    Ok(())
}
