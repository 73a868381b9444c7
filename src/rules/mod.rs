//! The rule registry. A rule is a static [`Rule`] declared with [`declare_rule!`] in its own
//! file, whose doc comment is the documentation `mezcheck rule` prints; [`ALL`] lists every
//! rule, sorted by code. Rules read the [`Model`] through a [`Context`] and report
//! [`Finding`]s; the context stamps the rule and its effective severity.

use crate::diagnostic::{Diagnostic, Finding, Severity};
use crate::model::Model;
use crate::model::connector::Connector;

pub mod package;
pub mod security;
pub mod syntax;

/// How much a rule matters for certification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Priority {
    /// Loadability, syntax, certification and security musts.
    P1,
    /// Recommendations and advisories.
    P2,
}

/// What a rule needs from a package.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Only the input's name and what reading it recorded: runs even on unreadable packages.
    Input,
    /// The package's content: skipped when the package could not be read at all.
    Content,
}

/// A check with a stable id.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub default_severity: Severity,
    pub priority: Priority,
    pub scope: Scope,
    /// Markdown with the headings `## What it checks`, `## Why it matters`, `## Example`.
    pub docs: &'static str,
    pub check: fn(&mut Context<'_>),
}

impl Rule {
    /// The first paragraph of "What it checks": one short sentence, used by the rules table,
    /// SARIF and `rule --all`.
    pub fn summary(&self) -> String {
        self.section("What it checks")
            .split("\n\n")
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The text under a `## heading` of the docs, trimmed.
    pub fn section(&self, heading: &str) -> String {
        let docs = self.explanation();
        let marker = format!("## {heading}\n");
        let Some(start) = docs.find(&marker) else {
            return String::new();
        };
        let body = &docs[start + marker.len()..];
        body[..body.find("\n## ").unwrap_or(body.len())]
            .trim()
            .to_owned()
    }

    /// The documentation, without the leading space every doc-comment line carries.
    pub fn explanation(&self) -> String {
        self.docs
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned()
    }
}

/// Declares a rule: its doc comment becomes the documentation.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $NAME:ident = Rule {
            code: $code:literal,
            name: $name:literal,
            default_severity: $severity:expr,
            priority: $priority:expr,
            scope: $scope:expr,
            $check:ident $(,)?
        };
    ) => {
        $vis static $NAME: $crate::rules::Rule = $crate::rules::Rule {
            code: $code,
            name: $name,
            default_severity: $severity,
            priority: $priority,
            scope: $scope,
            docs: concat!($($doc, "\n"),*),
            check: $check,
        };
    };
}

/// Every rule, sorted by code.
pub static ALL: &[&Rule] = &[
    &package::UNREADABLE_PACKAGE,
    &package::MISSING_SECTION_DOCUMENT,
    &package::NESTED_ENTRY_PATH,
    &package::NON_PRODUCT_PACKAGE_NAME,
    &package::DEVELOPMENT_FILE_IN_PACKAGE,
    &package::UNSAFE_ARCHIVE_ENTRY,
    &package::INVALID_CONTENT_TYPES,
    &package::UNSIGNED_PQX,
    &package::UNLOADABLE_PACKAGE_FILE_NAME,
    &package::MULTIPLE_SECTION_DOCUMENTS,
    &syntax::SYNTAX_ERROR,
    &syntax::NOT_A_SECTION_DOCUMENT,
    &syntax::MODULE_SYNTAX_ERROR,
    &security::UNVALIDATED_URL_SCHEME,
    &security::CREDENTIALS_OVER_HTTP,
    &security::INSECURE_HTTP_URL,
    &security::CREDENTIAL_IN_QUERY_STRING,
    &security::TRACING_ENABLED,
    &security::SENSITIVE_VALUE_TRACED,
    &security::DYNAMIC_EXPRESSION_EVALUATE,
    &security::HARDCODED_SECRET,
    &package::PACKAGED_SECRET_FILE,
    &security::ODBC_CREDENTIALS_IN_CONNECTION_STRING,
];

/// Finds a rule by code (`PQ211`) or name (`missing-test-connection`), case-insensitively.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// What a rule sees: the package model, the connector model, and a way to report.
pub struct Context<'a> {
    model: &'a Model,
    connector: &'a Connector<'a>,
    rule: &'static Rule,
    severity: Severity,
    out: &'a mut Vec<Diagnostic>,
}

impl<'a> Context<'a> {
    pub fn new(
        connector: &'a Connector<'a>,
        rule: &'static Rule,
        severity: Severity,
        out: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Context {
            model: connector.model,
            connector,
            rule,
            severity,
            out,
        }
    }

    pub fn model(&self) -> &'a Model {
        self.model
    }

    pub fn connector(&self) -> &'a Connector<'a> {
        self.connector
    }

    pub fn report(&mut self, finding: Finding) {
        let severity = self.severity;
        self.push(finding, severity);
    }

    /// Reports at `info` under this rule's id, whatever its severity: for values that are
    /// computed rather than literal ("could not be checked statically: …").
    pub fn report_info(&mut self, finding: Finding) {
        self.push(finding, Severity::Info);
    }

    fn push(&mut self, finding: Finding, severity: Severity) {
        self.out.push(Diagnostic {
            rule: self.rule,
            severity,
            message: finding.message,
            entry: finding.entry,
            primary: finding.primary,
            secondary: finding.secondary,
            help: finding.help,
            notes: finding.notes,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes are unique, well formed and sorted; names are unique kebab-case.
    #[test]
    fn registry_is_well_formed() {
        let mut previous = "";
        for rule in ALL {
            assert!(
                rule.code.len() == 5 && rule.code.starts_with("PQ"),
                "{}",
                rule.code
            );
            assert!(
                rule.code[2..].chars().all(|c| c.is_ascii_digit()),
                "{}",
                rule.code
            );
            assert!(rule.code > previous, "{} is out of order", rule.code);
            previous = rule.code;
            assert!(
                rule.name.split('-').all(|w| !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{}",
                rule.name
            );
            assert_eq!(
                ALL.iter().filter(|r| r.name == rule.name).count(),
                1,
                "{}",
                rule.name
            );
        }
    }

    /// Every rule documents what it checks, why, and an example with a fix.
    #[test]
    fn every_rule_is_documented() {
        for rule in ALL {
            for heading in ["What it checks", "Why it matters", "Example"] {
                assert!(
                    !rule.section(heading).is_empty(),
                    "{} lacks `## {heading}`",
                    rule.code
                );
            }
            assert!(
                rule.section("Example").contains("Use instead:")
                    || rule.section("Example").contains("Fix:"),
                "{} example has no fix",
                rule.code
            );
            let summary = rule.summary();
            assert!(
                !summary.is_empty() && summary.len() <= 110,
                "{}: the summary is the first paragraph, one short sentence: {summary}",
                rule.code
            );
        }
    }
}
