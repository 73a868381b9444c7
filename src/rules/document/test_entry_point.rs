//! PQ118: a data source function for testing is shipped.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::test_connection::HandlerResult;
use crate::names::name_words;
use crate::rules::data_source::test_connection_results;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// A data source function named for testing or debugging is shipped.
    ///
    /// A data source function (a `shared` member with `DataSource.Kind`) whose name words,
    /// after the Kind's name, include `test`, `testing`, `tests` or `debug`
    /// (`Contoso.Testing.Contents`,
    /// `Contoso.BearerTest`), unless a Kind's `TestConnection` handler names it: that is the
    /// function the gateway calls to check credentials.
    ///
    /// ## Why it matters
    /// Every data source function is callable from M by anyone who installs the connector,
    /// under the same Kind and credentials; a test entry point exposes internal options
    /// (other hosts, switches, raw requests) that the certified functions hide.
    ///
    /// ## Example
    /// `[DataSource.Kind = "Contoso"] shared Contoso.Testing.Contents = (host as text) => …;`
    ///
    /// Use instead: remove the function from the shipped section document, or keep it in the
    /// test queries (`*.query.pq`).
    pub(crate) static TEST_ENTRY_POINT = Rule {
        code: "PQ118",
        name: "test-entry-point",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

/// Name words of test and debug entry points.
const TEST_WORDS: &[&str] = &["test", "testing", "tests", "debug"];

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let mut named_by_test_connection: Vec<String> = Vec::new();
    for kind in connector.kinds() {
        for result in test_connection_results(connector, kind)
            .into_iter()
            .flatten()
        {
            if let HandlerResult::List { items, env, .. } = result
                && let Some(name) = items
                    .first()
                    .and_then(|first| connector.resolver.text(first, &env).ok())
            {
                named_by_test_connection.push(name);
            }
        }
    }
    for data_source in connector.data_sources() {
        let name = data_source.name();
        if named_by_test_connection.iter().any(|n| n == name) {
            continue;
        }
        // The part after the Kind names the function (`Contoso.Testing.Contents`); a Kind
        // named for tests (`AadTestConnector`) is a test connector, not a test entry point.
        let own = name
            .strip_prefix(data_source.kind.as_str())
            .and_then(|rest| rest.strip_prefix('.'))
            .unwrap_or(name);
        let Some(word) = name_words(own)
            .into_iter()
            .find(|word| TEST_WORDS.contains(&word.to_ascii_lowercase().as_str()))
        else {
            continue;
        };
        cx.report(
            Finding::new(format!(
                "data source function `{name}` looks like a test entry point (`{word}`)"
            ))
            .primary_label(data_source.file, data_source.member.name.span, "shipped")
            .help("remove it from the shipped section document, or move it to a test query (`*.query.pq`)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::TEST_ENTRY_POINT;
    use crate::testing::{Fixture, RuleCase};

    /// A second data source function.
    fn with(member: &str) -> Fixture {
        Fixture::finch().members(&format!("[DataSource.Kind = \"Finch\"]\nshared {member}"))
    }

    /// Ordinary functions, words that only contain `test` and the function `TestConnection`
    /// names pass; test and debug entry points fail.
    #[test]
    fn test_entry_point() {
        let cases = RuleCase::new(&TEST_ENTRY_POINT)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                with("Finch.Latest = () => 1;"),
                Fixture::finch()
                    .replace("Kind = \"Finch\"", "Kind = \"FinchTest\"")
                    .replace("Finch = [", "FinchTest = [")
                    .replace("shared Finch.Contents", "shared FinchTest.Contents"),
                with("Finch.ConnectionTest = () => 1;").set(
                    "Finch",
                    r#"[TestConnection = (path) => {"Finch.ConnectionTest"}, Authentication = [Anonymous = []], Label = "Finch"]"#,
                ),
            ])
            .fail([
                with("Finch.Testing.Contents = (host as text) => host;"),
                with("Finch.BearerTest = () => 1;"),
                with("Finch.DebugFeed = () => 1;"),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
