//! PQ807: the Authentication types row and the connector's authentication kinds disagree.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::products::facts::ConnectorFacts;
use crate::rules::{Context, Priority};
use crate::submission::summary::{SummaryRow, find_row, row_values};

use super::{article, code_list, contains_phrase, report, summary};

/// Wording that names each M authentication kind (lowercase, matched as whole words).
const WORDING: &[(&str, &[&str])] = &[
    ("Anonymous", &["anonymous", "implicit"]),
    ("Implicit", &["anonymous", "implicit"]),
    (
        "UsernamePassword",
        &[
            "basic",
            "username and password",
            "user name and password",
            "username/password",
            "database",
            "usernamepassword",
        ],
    ),
    ("Windows", &["windows"]),
    (
        "Key",
        &["api key", "account key", "access key", "key", "token"],
    ),
    ("OAuth", &["oauth", "organizational account"]),
    (
        "Aad",
        &[
            "organizational account",
            "microsoft entra id",
            "azure active directory",
            "azure ad",
            "microsoft account",
            "aad",
        ],
    ),
];

declare_rule! {
    /// ## What it checks
    /// The article's authentication types differ from the connector's.
    ///
    /// The summary table's Authentication types row does not name every authentication kind
    /// of the connector, or names a type that no kind of the connector maps to. An item names
    /// a kind when it contains one of its phrases (case-insensitive): Anonymous/Implicit:
    /// `Anonymous`, `Implicit`; UsernamePassword: `Basic`, `Username and password`, `User name
    /// and password`, `Username/Password`, `Database`; Windows: `Windows`; Key: `API key`,
    /// `Account key`, `Access key`, `Key`, `Token`; OAuth: `OAuth`, `Organizational account`;
    /// Aad: `Organizational account`, `Microsoft Entra ID`, `Azure Active Directory`, `Azure
    /// AD`, `Microsoft account`; or the kind's literal `Label`. Skipped while the kinds are
    /// unknown.
    ///
    /// ## Why it matters
    /// Users must learn from the article which credentials Power Query will ask for.
    ///
    /// ## Example
    /// `| Authentication Types Supported | Windows |` for a connector with only `Key`.
    ///
    /// Use instead: `| Authentication Types Supported | API key |`.
    pub(crate) static AUTH_TYPES_MISMATCH = Rule {
        code: "PQ807",
        name: "auth-types-mismatch",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some((article, _)) = article(cx) else {
        return;
    };
    let facts = cx.facts();
    let Some(kinds) = facts.auth_kinds.as_ref().filter(|k| !k.is_empty()) else {
        return;
    };
    let Some(row) = summary(article).and_then(|t| find_row(t, SummaryRow::AuthenticationTypes))
    else {
        return; // PQ805
    };
    let items = row_values(row);
    if items.is_empty() {
        return; // PQ805
    }
    let mut findings = Vec::new();
    for kind in kinds {
        if !items.iter().any(|item| names_kind(facts, item, kind)) {
            findings.push(
                Finding::new(format!(
                    "authentication kind `{kind}` is not listed in the Authentication types row"
                ))
                .help(format!(
                    "add how users sign in with `{kind}` (for example {})",
                    example_wording(kind)
                )),
            );
        }
    }
    for item in &items {
        if !kinds.iter().any(|kind| names_kind(facts, item, kind)) {
            findings.push(
                Finding::new(format!(
                    "`{item}` is listed, but no authentication kind of the connector matches it"
                ))
                .note(format!(
                    "the connector's authentication kinds: {}",
                    code_list(kinds)
                ))
                .help("list only the credential types the connector asks for"),
            );
        }
    }
    for finding in findings {
        report(cx, finding.primary(article.file, row.span));
    }
}

/// Whether an item's wording names an M authentication kind.
fn names_kind(facts: &ConnectorFacts, item: &str, kind: &str) -> bool {
    let phrases = WORDING
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(kind))
        .map_or(&[][..], |(_, p)| *p);
    let label = facts
        .auth_labels
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(kind))
        .map(|(_, l)| l.to_lowercase());
    phrases.iter().any(|phrase| contains_phrase(item, phrase))
        || contains_phrase(item, &kind.to_lowercase())
        || label
            .into_iter()
            .any(|label| !label.trim().is_empty() && contains_phrase(item, label.trim()))
}

fn example_wording(kind: &str) -> &'static str {
    match kind {
        "Anonymous" | "Implicit" => "`Anonymous`",
        "UsernamePassword" => "`Basic`",
        "Windows" => "`Windows`",
        "Key" => "`API key`",
        "OAuth" | "Aad" => "`Organizational account`",
        _ => "the credential dialog's label",
    }
}

#[cfg(test)]
mod tests {
    use super::AUTH_TYPES_MISMATCH;
    use crate::testing::{Fixture, RuleCase};

    /// Kestrel (authentication kind `Key`) whose article lists `value` as its authentication
    /// types.
    fn listed(value: &str) -> Fixture {
        Fixture::kestrel().replace_in_article(
            "| Authentication Types Supported | API key |",
            &format!("| Authentication Types Supported | {value} |"),
        )
    }

    /// [`listed`], with Kestrel's Kind record replaced by one with these authentication kinds.
    fn with_kinds(value: &str, kinds: &str) -> Fixture {
        listed(value)
            .replace("Kestrel = [", "KestrelKeyOnly = [")
            .members(&format!("Kestrel = [Authentication = [{kinds}]];"))
    }

    /// Accepted wording, several separators and literal labels pass, and so does any wording
    /// while the kinds are unknown (a computed Kind record); a missing kind and an item no kind
    /// matches fail.
    #[test]
    fn auth_types_mismatch() {
        let cases = RuleCase::new(&AUTH_TYPES_MISMATCH)
            .pass([
                Fixture::kestrel(),
                with_kinds(
                    "Organizational account<br/>Anonymous",
                    "Aad = [], Anonymous = []",
                ),
                with_kinds(
                    "ClickHouse (Username/Password); Windows",
                    "UsernamePassword = [], Windows = []",
                ),
                with_kinds(
                    "Kestrel workspace sign-in",
                    r#"OAuth = [Label = "Kestrel workspace sign-in"]"#,
                ),
                listed("Personal access token"),
                listed("Windows").replace(
                    "Kestrel = [",
                    "Kestrel = Record.Combine({KestrelKind});\nKestrelKind = [",
                ),
            ])
            .fail([
                listed("Windows"),
                with_kinds(
                    "Basic, Service principal",
                    "UsernamePassword = [], OAuth = []",
                ),
                listed("Keycloak"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
