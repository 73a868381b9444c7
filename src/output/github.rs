//! The `github` format: GitHub Actions workflow commands
//! (`::error file=..,line=..,col=..,endLine=..,endColumn=..,title=..::message`) that become
//! annotations on the pull request. Annotations attach to files in the repository, so a
//! finding inside an archive entry names the archive as its file and carries the entry, line
//! and column in the message. Text is sanitised (the log viewer renders ANSI escapes) and
//! escaped as the workflow command syntax requires.

use std::io::{self, Write};

use super::sanitize::sanitize_line;
use crate::diagnostic::{Report, Severity};

pub(super) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for package in &report.packages {
        for diagnostic in &package.diagnostics {
            let location = package.location(diagnostic);
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Review => "notice",
            };
            let file = location
                .file
                .as_deref()
                .unwrap_or(&package.path)
                .replace('\\', "/");
            let mut properties = vec![format!("file={}", escape_property(&sanitize_line(&file)))];
            let mut message = String::new();
            match (location.range, location.file.is_some()) {
                (Some((start, end)), true) => properties.push(format!(
                    "line={},col={},endLine={},endColumn={}",
                    start.line, start.column, end.line, end.column
                )),
                (Some((start, _)), false) => {
                    let entry = location.entry.as_deref().unwrap_or_default();
                    message = format!("{}:{}:{}: ", sanitize_line(entry), start.line, start.column);
                }
                (None, _) => {}
            }
            properties.push(format!(
                "title={}",
                escape_property(&format!("mezcheck ({})", diagnostic.rule.code))
            ));
            message.push_str(&sanitize_line(&diagnostic.message));
            if let Some(help) = &diagnostic.help {
                message.push_str("\nhelp: ");
                message.push_str(&sanitize_line(help));
            }
            writeln!(
                out,
                "::{command} {}::{}",
                properties.join(","),
                escape_data(&message)
            )?;
        }
    }
    Ok(())
}

/// Escapes a workflow command's message: `%`, CR and LF.
pub(crate) fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value: as a message, plus `:` and `,`.
pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Messages escape `%`, CR and LF; property values also escape `:` and `,`.
    #[test]
    fn escaping_follows_the_workflow_command_syntax() {
        assert_eq!(
            escape_data("50% done\r\nnext: a, b"),
            "50%25 done%0D%0Anext: a, b"
        );
        assert_eq!(escape_property("C:\\a,b%\n"), "C%3A\\a%2Cb%25%0A");
        assert_eq!(escape_property("mezcheck (PQ211)"), "mezcheck (PQ211)");
    }
}
