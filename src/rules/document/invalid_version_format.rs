//! PQ103: the section version is not `major.minor.patch`.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::field;
use crate::rules::{Context, Priority};
use crate::syntax::ast::{ExprKind, Literal};

declare_rule! {
    /// ## What it checks
    /// The section `Version` is not text of three dot-separated numbers, such as `"1.2.0"`.
    ///
    /// The `Version` field of the section attributes must be a text literal matching
    /// `^\d+\.\d+\.\d+$`: no `v` prefix, no fourth part, no pre-release or build suffix, and
    /// not a number literal.
    ///
    /// ## Why it matters
    /// Connector versions carry major, minor and patch meaning; tools and reviewers compare
    /// them, and the changelog's newest entry must match.
    ///
    /// ## Example
    /// `[Version = "v1.2"] section Contoso;`
    ///
    /// Use instead: `[Version = "1.2.0"] section Contoso;`
    pub(crate) static INVALID_VERSION_FORMAT = Rule {
        code: "PQ103",
        name: "invalid-version-format",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some(section) = &cx.connector().section else {
        return;
    };
    let Some(attributes) = &section.document.attributes else {
        return;
    };
    let Some(version) = field(&attributes.fields, "Version") else {
        return;
    };
    let value = &version.value;
    let (message, help) = match &value.kind {
        ExprKind::Literal(Literal::Text(text)) if is_semantic_version(text) => return,
        ExprKind::Literal(Literal::Text(text)) => (
            format!("version `{text}` is not three dot-separated numbers"),
            fix_for(text),
        ),
        ExprKind::Literal(Literal::Number(_)) => (
            "`Version` is a number, not text".to_owned(),
            "write the version as text with three parts, e.g. `\"1.0.0\"`".to_owned(),
        ),
        ExprKind::Missing => return,
        _ => (
            "`Version` is not a text literal".to_owned(),
            "write the version as text with three parts, e.g. `\"1.0.0\"`".to_owned(),
        ),
    };
    cx.report(
        Finding::new(message)
            .primary(section.file, value.span)
            .help(help),
    );
}

/// `^\d+\.\d+\.\d+$` with ASCII digits.
fn is_semantic_version(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// A help line that says what to change in this particular version text.
fn fix_for(text: &str) -> String {
    let trimmed = text.trim();
    if let Some(rest) = trimmed.strip_prefix(['v', 'V'])
        && is_semantic_version(rest)
    {
        return format!("remove the `v` prefix: `\"{rest}\"`");
    }
    let numeric: Vec<&str> = trimmed
        .split('.')
        .take_while(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    match numeric.len() {
        1 | 2 if numeric.len() == trimmed.split('.').count() => {
            let mut parts = numeric.clone();
            parts.resize(3, "0");
            format!("give all three parts: `\"{}\"`", parts.join("."))
        }
        n if n >= 3 => format!(
            "keep only major, minor and patch: `\"{}\"`",
            numeric
                .iter()
                .take(3)
                .copied()
                .collect::<Vec<_>>()
                .join(".")
        ),
        _ => "write the version as `major.minor.patch`, e.g. `\"1.0.0\"`".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{INVALID_VERSION_FORMAT, fix_for, is_semantic_version};
    use crate::testing::{Fixture, RuleCase};

    /// Only three decimal parts pass.
    #[test]
    fn version_shapes() {
        assert!(is_semantic_version("1.0.0"));
        assert!(is_semantic_version("10.20.300"));
        for bad in [
            "v1.0.0",
            "1.0",
            "1.0.0.0",
            "1.0.0-beta",
            "1..0",
            "",
            "１.0.0",
        ] {
            assert!(!is_semantic_version(bad), "{bad}");
        }
        assert_eq!(fix_for("v1.2.3"), "remove the `v` prefix: `\"1.2.3\"`");
        assert_eq!(fix_for("1.2"), "give all three parts: `\"1.2.0\"`");
        assert_eq!(
            fix_for("1.2.3.4"),
            "keep only major, minor and patch: `\"1.2.3\"`"
        );
        assert_eq!(
            fix_for("1.2.3-beta"),
            "write the version as `major.minor.patch`, e.g. `\"1.0.0\"`"
        );
    }

    /// Finch with the section's `Version` attribute set to `value`.
    fn version(value: &str) -> Fixture {
        Fixture::finch().replace("[Version = \"1.0.0\"]", &format!("[Version = {value}]"))
    }

    /// A three-part version passes; prefixes, missing and extra parts and numbers fail.
    #[test]
    fn invalid_version_format() {
        let cases = RuleCase::new(&INVALID_VERSION_FORMAT)
            .pass([Fixture::finch(), Fixture::kestrel()])
            .fail([
                version("\"v1.0.0\""),
                version("\"1.0\""),
                version("\"1.0.0.1\""),
                version("\"1.0.0-beta\""),
                version("1.5"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
