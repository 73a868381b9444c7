//! `check --checklist`: the certification items no tool can check, printed after the findings
//! of each package, with what the package hints at.

use std::io::{self, Write};

use super::sanitize::sanitize_line;
use crate::model::products::checklist::ChecklistItem;

/// Writes each package's checklist, grouped by section: `(package path, its checklist)`.
pub fn render_checklist(
    checklists: &[(String, Vec<ChecklistItem>)],
    out: &mut dyn Write,
) -> io::Result<()> {
    for (path, items) in checklists.iter().filter(|(_, items)| !items.is_empty()) {
        writeln!(
            out,
            "\nManual certification checklist for {}:",
            sanitize_line(path)
        )?;
        let mut section = "";
        for item in items {
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
