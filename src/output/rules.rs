//! Rule documentation for `mezcheck rule CODE|NAME` and `mezcheck rule --all`: one rule's
//! explanation, or the list of all rules, as text, JSON or Markdown. The README's rules table
//! is the Markdown list, so a test can rebuild it from the registry.

use std::io::{self, Write};

use serde::Serialize;

use super::RuleFormat;
use crate::diagnostic::Severity;
use crate::rules::{Priority, Rule};

/// One rule's documentation: a heading line with code, name, default severity and priority,
/// then the explanation (Markdown, printed as is in every format).
pub fn render_rule(rule: &Rule, format: RuleFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        RuleFormat::Text => {
            let (code, name, severity) = (rule.code, rule.name, rule.default_severity);
            let priority = priority_name(rule.priority);
            writeln!(
                out,
                "{code} {name} ({severity}, {priority})\n\n{}",
                rule.explanation()
            )
        }
        RuleFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &RuleJson::new(rule))?;
            writeln!(out)
        }
        RuleFormat::Markdown => {
            let (code, name, severity) = (rule.code, rule.name, rule.default_severity);
            let priority = priority_name(rule.priority);
            writeln!(out, "# {code} {name}\n")?;
            writeln!(
                out,
                "Default severity: **{severity}**. Priority: **{priority}**.\n"
            )?;
            writeln!(out, "{}", rule.explanation())
        }
    }
}

/// Every rule given: one line each (`CODE  NAME  SEVERITY  SUMMARY`), a JSON array of the
/// objects [`render_rule`] prints, or the Markdown table of [`rules_table_markdown`].
pub fn render_rule_list(
    rules: &[&Rule],
    format: RuleFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        RuleFormat::Text => {
            let name_width = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
            for rule in rules {
                let severity = rule.default_severity.as_str();
                writeln!(
                    out,
                    "{}  {:<name_width$}  {severity:<7}  {}",
                    rule.code,
                    rule.name,
                    rule.summary()
                )?;
            }
            Ok(())
        }
        RuleFormat::Json => {
            let list: Vec<RuleJson> = rules.iter().map(|rule| RuleJson::new(rule)).collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)
        }
        RuleFormat::Markdown => out.write_all(rules_table_markdown(rules).as_bytes()),
    }
}

/// The README's rules table: `| Code | Name | Severity | Priority | Summary |`, one row per
/// rule, ending with a line break.
pub fn rules_table_markdown(rules: &[&Rule]) -> String {
    let mut table =
        String::from("| Code | Name | Severity | Priority | Summary |\n|---|---|---|---|---|\n");
    for rule in rules {
        table.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            rule.code,
            rule.name,
            rule.default_severity,
            priority_name(rule.priority),
            rule.summary().replace('|', "\\|"),
        ));
    }
    table
}

#[derive(Serialize)]
struct RuleJson {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    priority: Priority,
    summary: String,
    explanation: String,
}

impl RuleJson {
    fn new(rule: &Rule) -> Self {
        RuleJson {
            code: rule.code,
            name: rule.name,
            severity: rule.default_severity,
            priority: rule.priority,
            summary: rule.summary(),
            explanation: rule.explanation(),
        }
    }
}

fn priority_name(priority: Priority) -> &'static str {
    match priority {
        Priority::P1 => "P1",
        Priority::P2 => "P2",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{ALL, find};

    fn text(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        write(&mut out).expect("in-memory write");
        String::from_utf8(out).expect("UTF-8 output")
    }

    /// `mezcheck rule PQ008` in each format: heading with severity and priority, then the docs.
    #[test]
    fn one_rule_in_every_format() {
        let rule = find("unsafe-archive-entry").expect("PQ008 is registered");
        let plain = text(|out| render_rule(rule, RuleFormat::Text, out));
        assert!(
            plain.starts_with("PQ008 unsafe-archive-entry (error, P1)\n\n## What it checks\n"),
            "{plain}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&text(|out| render_rule(rule, RuleFormat::Json, out)))
                .expect("JSON");
        assert_eq!(json["code"], "PQ008");
        assert_eq!(json["priority"], "P1");
        assert_eq!(json["summary"], rule.summary());
        let markdown = text(|out| render_rule(rule, RuleFormat::Markdown, out));
        let heading =
            "# PQ008 unsafe-archive-entry\n\nDefault severity: **error**. Priority: **P1**.\n\n";
        assert_eq!(markdown, format!("{heading}{}\n", rule.explanation()));
    }

    /// `mezcheck rule --all` lists one line, object or table row per rule.
    #[test]
    fn rule_list_in_every_format() {
        let rules = &ALL[..2];
        let plain = text(|out| render_rule_list(rules, RuleFormat::Text, out));
        let expected = format!(
            "PQ001  unreadable-package        error    {}\nPQ002  missing-section-document  error    {}\n",
            ALL[0].summary(),
            ALL[1].summary()
        );
        assert_eq!(plain, expected);
        let json: serde_json::Value =
            serde_json::from_str(&text(|out| render_rule_list(rules, RuleFormat::Json, out)))
                .expect("JSON");
        assert_eq!(json.as_array().map(Vec::len), Some(2));
        let table = text(|out| render_rule_list(rules, RuleFormat::Markdown, out));
        assert_eq!(table, rules_table_markdown(rules));
        assert!(table.starts_with(
            "| Code | Name | Severity | Priority | Summary |\n|---|---|---|---|---|\n| PQ001 |"
        ));
        assert_eq!(rules_table_markdown(ALL).lines().count(), ALL.len() + 2);
    }
}
