//! PQ215: a Kind record field that is not documented.
use super::{kind_records, nearest};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

/// The documented fields of a Kind record.
const KNOWN_FIELDS: &[&str] = &[
    "Authentication",
    "Label",
    "TestConnection",
    "SupportsEncryption",
];

/// Edits between a field and the known name suggested for it.
const MAX_SUGGESTION_DISTANCE: usize = 2;

declare_rule! {
    /// ## What it checks
    /// A Kind record has a field other than `Authentication`, `Label`, `TestConnection`, `SupportsEncryption`.
    ///
    /// The nearest known name within two edits is suggested (`TestConection` →
    /// `TestConnection`).
    ///
    /// ## Why it matters
    /// Usually a typo of a documented field, whose setting is then silently lost; undocumented
    /// fields (one certified connector has `DSRHandlers`) have no documented effect.
    ///
    /// ## Example
    /// `Contoso = [ TestConection = (path) => { "Contoso.Contents" }, Authentication = … ]`
    ///
    /// Use instead: `Contoso = [ TestConnection = (path) => { "Contoso.Contents" }, Authentication = … ]`
    pub(crate) static UNKNOWN_DATA_SOURCE_FIELD = Rule {
        code: "PQ215",
        name: "unknown-data-source-field",
        default_severity: Severity::Info,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    for kind in kind_records(cx.connector()) {
        let Some((fields, _)) = &kind.fields else {
            continue;
        };
        for field in fields.iter() {
            let name = &*field.name.name;
            if KNOWN_FIELDS.contains(&name) {
                continue;
            }
            let mut finding = Finding::new(format!(
                "`{name}` is not a documented field of data source kind `{}`",
                kind.name
            ))
            .primary(kind.file(), field.name.span);
            finding = match nearest(name, KNOWN_FIELDS, MAX_SUGGESTION_DISTANCE) {
                Some(suggestion) => finding.help(format!("did you mean `{suggestion}`?")),
                None => finding.help(
                    "remove it unless its effect is known: a Kind record takes `Authentication`, `Label`, `TestConnection` and `SupportsEncryption`",
                ),
            };
            cx.report(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UNKNOWN_DATA_SOURCE_FIELD;
    use crate::testing::{Fixture, RuleCase};

    /// Documented fields pass; typos and undocumented fields fail.
    #[test]
    fn unknown_data_source_field() {
        let cases = RuleCase::new(&UNKNOWN_DATA_SOURCE_FIELD)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch().set(
                    "Finch",
                    "[Authentication = [Anonymous = []], Label = \"Finch\", TestConnection = (p) => {\"Finch.Contents\"}, SupportsEncryption = true]",
                ),
            ])
            .fail([Fixture::finch().set(
                "Finch",
                "[Authentication = [Anonymous = []], TestConection = (p) => {\"Finch.Contents\"}, DSRHandlers = []]",
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
