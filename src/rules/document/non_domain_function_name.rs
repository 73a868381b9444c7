//! PQ109: a data source function name outside the usual vocabulary.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

/// Function names certification reviewers expect after `Kind.`.
const DOMAIN_NAMES: &[&str] = &[
    "Contents",
    "Tables",
    "Document",
    "Documents",
    "Database",
    "Databases",
    "Feed",
    "Query",
    "Data",
    "Files",
    "Views",
    "Catalogs",
];

declare_rule! {
    /// ## What it checks
    /// A data source function's name after `Kind.` is not one of the usual function names.
    ///
    /// For a function named `K.FunctionName` (PQ107 covers other names), FunctionName should
    /// be one of `Contents`, `Tables`, `Document`, `Documents`, `Database`, `Databases`,
    /// `Feed`, `Query`, `Data`, `Files`, `Views`, `Catalogs` (exact case). Advisory.
    ///
    /// ## Why it matters
    /// Certification asks that the function name make sense for the domain; users recognise
    /// the library's conventions (`Sql.Database`, `OData.Feed`, `Web.Contents`).
    ///
    /// ## Example
    /// `shared Contoso.GetEverything = …;`
    ///
    /// Use instead: `shared Contoso.Contents = …;`
    pub(crate) static NON_DOMAIN_FUNCTION_NAME = Rule {
        code: "PQ109",
        name: "non-domain-function-name",
        default_severity: Severity::Info,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    for data_source in cx.connector().data_sources() {
        let name = data_source.name();
        let Some(function_name) = name
            .strip_prefix(data_source.kind.as_str())
            .and_then(|rest| rest.strip_prefix('.'))
            .filter(|f| !f.is_empty())
        else {
            continue;
        };
        if DOMAIN_NAMES.contains(&function_name) {
            continue;
        }
        cx.report(
            Finding::new(format!(
                "`{function_name}` in `{name}` is not a usual data source function name"
            ))
            .primary(data_source.file, data_source.member.name.span)
            .help(
                "name the function after what it returns: `Contents`, `Tables`, `Database`, `Feed`, `Query`, `Data`, `Files`, …",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::NON_DOMAIN_FUNCTION_NAME;
    use crate::testing::{Fixture, RuleCase};

    /// Finch's data source function named `name`.
    fn named(name: &str) -> Fixture {
        Fixture::finch().replace("shared Finch.Contents", &format!("shared {name}"))
    }

    /// Domain names pass, and names PQ107 reports are left to it; others are reported.
    #[test]
    fn non_domain_function_name() {
        let cases = RuleCase::new(&NON_DOMAIN_FUNCTION_NAME)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                named("Finch.Feed"),
                named("FinchStuff"),
            ])
            .fail([named("Finch.GetEverything"), named("Finch.contents")]);
        insta::assert_snapshot!(cases.run());
    }
}
