//! The rule registry. A rule is a static [`Rule`] declared with [`declare_rule!`] in its own
//! file, whose doc comment is the documentation `mezcheck rule` prints; [`ALL`] lists every
//! rule, sorted by code. Rules read the [`Model`] through a [`Context`] and report
//! [`Finding`]s; the context stamps the rule and its effective severity.

use crate::diagnostic::{Diagnostic, Finding, RuleMeta, Severity};
pub use crate::diagnostic::{Needs, Priority};
use crate::model::ConnectorFacts;
use crate::model::Model;
use crate::model::products::info::ExtensionInfo;
use std::collections::HashMap;

use crate::model::connector::{Connector, Kinds};
use crate::model::eval::resolve::Env;
use crate::model::flow::Flow;
use crate::source::FileId;
use crate::syntax::ast::Expr;

pub mod across;
pub mod article;
pub mod changelog;
pub mod data_source;
pub mod document;
pub mod documentation;
pub mod navigation;
pub mod package;
pub mod publish;
pub mod resources;
pub mod security;
pub mod selection;
pub mod suppression;
pub(crate) mod values;

/// A rule: its metadata, which diagnostics carry, and the check that runs it.
#[derive(Debug)]
pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&mut Context<'_>),
}

impl std::ops::Deref for Rule {
    type Target = RuleMeta;

    fn deref(&self) -> &RuleMeta {
        &self.meta
    }
}

/// Declares a rule. Its doc comment becomes the explanation `mezcheck rule` prints. A rule
/// needs the package's content unless it says `needs: Needs::Input`, and runs the function
/// `check` of its file unless it names another with `check: name`.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $NAME:ident = Rule {
            code: $code:literal,
            name: $name:literal,
            default_severity: $severity:expr,
            priority: $priority:expr,
            $(needs: $needs:expr,)?
            $(check: $check:ident,)?
        };
    ) => {
        $vis static $NAME: $crate::rules::Rule = $crate::rules::Rule {
            meta: $crate::diagnostic::RuleMeta {
                code: $code,
                name: $name,
                default_severity: $severity,
                priority: $priority,
                needs: $crate::declare_rule!(@needs $($needs)?),
                doc_comment: concat!($($doc, "\n"),*),
            },
            check: $crate::declare_rule!(@check $($check)?),
        };
    };
    (@needs) => { $crate::diagnostic::Needs::Content };
    (@needs $needs:expr) => { $needs };
    (@check) => { check };
    (@check $check:ident) => { $check };
}

/// Every rule, sorted by code.
pub static ALL: &[&Rule] = &[
    &package::UNREADABLE_PACKAGE,
    &package::MISSING_SECTION_DOCUMENT,
    &package::NESTED_ENTRY_PATH,
    &package::NON_PRODUCT_PACKAGE_NAME,
    &package::DEVELOPMENT_FILE_IN_PACKAGE,
    &package::MISSING_CONTENTS_TARGET,
    &package::UNREFERENCED_ENTRY,
    &package::UNSAFE_ARCHIVE_ENTRY,
    &package::INVALID_CONTENT_TYPES,
    &package::BROKEN_SIGNATURE_RELATIONSHIPS,
    &package::INVALID_SIGNATURE,
    &package::PART_DIGEST_MISMATCH,
    &package::UNSIGNED_CONTENT_PART,
    &package::UNSIGNED_PQX,
    &package::UNLOADABLE_PACKAGE_FILE_NAME,
    &package::MULTIPLE_SECTION_DOCUMENTS,
    &package::EXPIRED_SIGNING_CERTIFICATE,
    &package::UNUSED_SUPPRESSION,
    &document::SYNTAX_ERROR,
    &document::NOT_A_SECTION_DOCUMENT,
    &document::MISSING_VERSION,
    &document::INVALID_VERSION_FORMAT,
    &document::MISSING_DATA_SOURCE_FUNCTION,
    &document::UNDEFINED_DATA_SOURCE_KIND,
    &document::MISSING_PUBLISH_RECORD,
    &document::FUNCTION_NAME_NOT_KIND_PREFIXED,
    &document::FORBIDDEN_WORD_IN_NAME,
    &document::NON_DOMAIN_FUNCTION_NAME,
    &document::INCONSISTENT_REQUIRED_PARAMETERS,
    &document::CREDENTIAL_PARAMETER,
    &document::MISSING_URI_TYPE,
    &document::MODULE_SYNTAX_ERROR,
    &document::DUPLICATE_NAME,
    &document::FILE_SYSTEM_ACCESS,
    &document::UNSCOPED_SHARED_MEMBER,
    &document::EVALUATE_WITHOUT_ENVIRONMENT,
    &document::TEST_ENTRY_POINT,
    &document::UNDEFINED_NAME,
    &document::WRONG_ARGUMENT_COUNT,
    &document::SHADOWED_LIBRARY_FUNCTION,
    &data_source::MISSING_AUTHENTICATION,
    &data_source::UNKNOWN_AUTHENTICATION_KIND,
    &data_source::MISSING_OAUTH_HANDLER,
    &data_source::OAUTH_STATE_NOT_FORWARDED,
    &data_source::OAUTH_CLIENT_SECRET,
    &data_source::INCOMPLETE_AAD_FIELDS,
    &data_source::UNKNOWN_AUTHENTICATION_FIELD,
    &data_source::KEY_WITHOUT_MANUAL_CREDENTIALS,
    &data_source::OAUTH_HANDLER_ARITY,
    &data_source::LABEL_HIDES_DATA_SOURCE_PATH,
    &data_source::MISSING_TEST_CONNECTION,
    &data_source::INVALID_TEST_CONNECTION,
    &data_source::TEST_CONNECTION_ARGUMENT_COUNT,
    &data_source::CUSTOM_ENTRA_OAUTH_FLOW,
    &data_source::UNKNOWN_DATA_SOURCE_FIELD,
    &data_source::UNFINISHED_TEST_CONNECTION,
    &publish::INVALID_BUTTON_TEXT,
    &publish::MISSING_CATEGORY,
    &publish::BETA_REQUIRED_ON_INITIAL_RELEASE,
    &publish::MISSING_LEARN_MORE_URL,
    &publish::MISSING_SOURCE_IMAGES,
    &publish::MALFORMED_ICON_SET,
    &publish::INVALID_ICON_IMAGE,
    &publish::DIRECT_QUERY_WITHOUT_FOLDING,
    &publish::INVALID_NATIVE_QUERY_PROPERTIES,
    &publish::UNKNOWN_PUBLISH_FIELD,
    &publish::ICON_SIZE_MISMATCH,
    &resources::MISSING_RESX,
    &resources::MISSING_RESX_KEY,
    &resources::MALFORMED_RESX,
    &resources::HARDCODED_UI_STRING,
    &resources::CONFIGURATION_IN_RESX,
    &resources::INVALID_LOCALIZED_RESX,
    &resources::UNUSED_RESX_KEY,
    &resources::DUPLICATE_RESX_KEY,
    &documentation::MISSING_FUNCTION_DOCUMENTATION,
    &documentation::INCOMPLETE_FUNCTION_DOCUMENTATION,
    &documentation::MISSING_PARAMETER_DOCUMENTATION,
    &documentation::INVALID_DOCUMENTATION_FIELD_TYPE,
    &navigation::MISSING_NAVIGATION_TABLE,
    &navigation::MALFORMED_NAVIGATION_HELPER,
    &navigation::INVALID_NAVIGATION_ITEM_VALUES,
    &navigation::NAVIGATION_COLUMN_NOT_FOUND,
    &navigation::EAGER_NAVIGATION_TABLE,
    &security::UNVALIDATED_URL_SCHEME,
    &security::CREDENTIALS_OVER_HTTP,
    &security::INSECURE_HTTP_URL,
    &security::CREDENTIAL_IN_QUERY_STRING,
    &security::TRACING_ENABLED,
    &security::SENSITIVE_VALUE_TRACED,
    &security::DYNAMIC_EXPRESSION_EVALUATE,
    &security::HARDCODED_SECRET,
    &security::PACKAGED_SECRET_FILE,
    &security::ODBC_CREDENTIALS_IN_CONNECTION_STRING,
    &security::LOCAL_OR_DEVELOPMENT_HOST,
    &security::UNESCAPED_NATIVE_QUERY,
    &security::SECRET_IN_COMMENT,
    &article::MISSING_USER_DOCS,
    &article::INVALID_DOCS_FILE_NAME,
    &article::MISSING_DOCS_FRONT_MATTER,
    &article::MISSING_DOCS_TITLE,
    &article::MISSING_SUPPORT_NOTE,
    &article::INCOMPLETE_SUMMARY_TABLE,
    &article::RELEASE_STATE_MISMATCH,
    &article::AUTH_TYPES_MISMATCH,
    &article::MISSING_FUNCTION_REFERENCE_ROW,
    &article::MISSING_PREREQUISITES,
    &article::INCOMPLETE_CAPABILITIES_SECTION,
    &article::MISSING_CONNECTION_INSTRUCTIONS,
    &article::UNDOCUMENTED_ADVANCED_OPTIONS,
    &article::DOCS_PLACEHOLDER_TEXT,
    &changelog::MISSING_CHANGELOG,
    &changelog::CHANGELOG_VERSION_MISMATCH,
    &changelog::VERSION_NOT_INCREMENTED,
    &changelog::NON_CUSTOMER_FACING_CHANGELOG,
    &changelog::UNPARSEABLE_CHANGELOG,
];

/// Finds a rule by code (`PQ211`) or name (`missing-test-connection`), case-insensitively.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// A finding stamped with its rule and severity. Only the rule layer calls this: through
/// [`Context`], and for the passes that run after the rules (suppressions, checks across
/// packages).
pub(crate) fn stamp(rule: &'static Rule, severity: Severity, finding: Finding) -> Diagnostic {
    Diagnostic {
        rule: &rule.meta,
        severity,
        message: finding.message,
        entry: finding.entry,
        primary: finding.primary,
        secondary: finding.secondary,
        help: finding.help,
        notes: finding.notes,
        fix: finding.fix,
    }
}

pub use crate::model::Shared;

/// What a rule sees: the package model, the connector model, and a way to report.
pub struct Context<'a> {
    model: &'a Model,
    connector: &'a Connector<'a>,
    shared: &'a Shared<'a>,
    rule: &'static Rule,
    severity: Severity,
    out: Vec<Diagnostic>,
    /// Findings kept so far per file (and for findings without a place).
    kept: HashMap<Option<FileId>, usize>,
    overflow: HashMap<(Option<FileId>, Option<String>, Severity), usize>,
}

/// Findings past [`crate::diagnostic::MAX_FINDINGS_PER_FILE`] for one rule and one file:
/// counted as they are reported, never built into a list (a module with millions of
/// duplicate names stays within bounded memory).
#[derive(Debug)]
pub struct Overflow {
    pub rule: &'static Rule,
    pub file: Option<FileId>,
    pub entry: Option<String>,
    pub severity: Severity,
    pub count: usize,
}

impl<'a> Context<'a> {
    pub fn new(
        connector: &'a Connector<'a>,
        shared: &'a Shared<'a>,
        rule: &'static Rule,
        severity: Severity,
    ) -> Self {
        Context {
            model: connector.model,
            connector,
            shared,
            rule,
            severity,
            out: Vec::new(),
            kept: HashMap::new(),
            overflow: HashMap::new(),
        }
    }

    pub fn model(&self) -> &'a Model {
        self.model
    }

    pub fn connector(&self) -> &'a Connector<'a> {
        self.connector
    }

    /// Every expression of the section document and modules with its environment and file,
    /// from the walk shared by all rules.
    pub fn for_each_expr(&self, visit: impl FnMut(&'a Expr, &Env<'a>, FileId)) {
        self.connector.for_each_expr(visit);
    }

    /// [`Context::for_each_expr`] for expressions of the `kinds` only.
    pub fn for_each_expr_of(&self, kinds: Kinds, visit: impl FnMut(&'a Expr, &Env<'a>, FileId)) {
        self.connector.for_each_expr_of(kinds, visit);
    }

    /// What the submission documents are compared with (version, Beta, authentication, …),
    /// made from the connector the first time a rule asks.
    pub fn facts(&self) -> &'a ConnectorFacts {
        self.shared.facts(self.connector)
    }

    /// The previous version of the connector, when the run compares a release with it.
    pub fn previous(&self) -> Option<&'a ExtensionInfo> {
        self.shared.previous()
    }

    /// The flow analysis of the package, shared by all rules so that what one query learns
    /// about a helper's parameters serves every other.
    pub fn flow(&self) -> &'a Flow<'a, 'a> {
        self.shared.flow(self.connector, &security::SECRETS)
    }

    pub fn report(&mut self, finding: Finding) {
        self.keep(self.severity, finding);
    }

    /// Reports a value the rule could not check statically, at [`Severity::Review`] whatever
    /// the rule's severity: not a defect, something for a person to look at.
    pub fn report_review(&mut self, finding: Finding) {
        self.keep(Severity::Review, finding);
    }

    fn keep(&mut self, severity: Severity, finding: Finding) {
        let file = finding.primary.as_ref().map(|label| label.file);
        let kept = self.kept.entry(file).or_default();
        if *kept < crate::diagnostic::MAX_FINDINGS_PER_FILE {
            *kept += 1;
            self.out.push(stamp(self.rule, severity, finding));
        } else {
            let entry = if file.is_some() { None } else { finding.entry };
            *self.overflow.entry((file, entry, severity)).or_default() += 1;
        }
    }

    /// The findings the rule reported, and the counts of those past the cap.
    pub fn finish(self) -> (Vec<Diagnostic>, Vec<Overflow>) {
        let rule = self.rule;
        let overflow = self
            .overflow
            .into_iter()
            .map(|((file, entry, severity), count)| Overflow {
                rule,
                file,
                entry,
                severity,
                count,
            })
            .collect();
        (self.out, overflow)
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
