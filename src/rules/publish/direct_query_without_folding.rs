//! PQ308: DirectQuery is declared without a source that folds.
use super::publish_records;
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::eval::resolve::Resolved;
use crate::rules::{Context, Priority};

declare_rule! {
    /// ## What it checks
    /// `SupportsDirectQuery = true` but the connector calls no function that can fold queries.
    ///
    /// Folding sources are `Odbc.DataSource`, `OleDb.DataSource`, `AdoDotNet.DataSource`,
    /// `Table.View` and the `Adbc.*` functions of ADBC-based connectors; any call of one of
    /// these names, in the section document or a module, counts.
    ///
    /// ## Why it matters
    /// DirectQuery sends every visual's query to the source. Without a folding source each
    /// query downloads the whole table, which fails or times out in the service.
    ///
    /// ## Example
    /// `Contoso.Publish = [SupportsDirectQuery = true, …]` in a connector built on
    /// `Web.Contents` and `Json.Document`.
    ///
    /// Use instead: remove `SupportsDirectQuery`, or build the tables with `Odbc.DataSource` or
    /// a `Table.View` that folds.
    pub(crate) static DIRECT_QUERY_WITHOUT_FOLDING = Rule {
        code: "PQ308",
        name: "direct-query-without-folding",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

/// Functions whose tables fold.
const FOLDING_SOURCES: &[&str] = &[
    "Odbc.DataSource",
    "OleDb.DataSource",
    "AdoDotNet.DataSource",
    "Table.View",
];

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let folds = connector
        .calls()
        .iter()
        .any(|call| FOLDING_SOURCES.contains(&call.name) || call.name.starts_with("Adbc."));
    if folds {
        return;
    }
    for publish in publish_records(cx) {
        let Some(field) = publish.field("SupportsDirectQuery") else {
            continue;
        };
        if !matches!(
            connector.resolver.resolve(&field.value, &publish.env),
            Resolved::Logical(true)
        ) {
            continue;
        }
        cx.report(
            publish.required_by(
                Finding::new("`SupportsDirectQuery` is `true` but no source folds queries")
                    .primary(publish.file, field.span)
                    .help("remove `SupportsDirectQuery`, or build tables with `Odbc.DataSource` or a folding `Table.View`"),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::DIRECT_QUERY_WITHOUT_FOLDING as RULE;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose Publish record says `SupportsDirectQuery = true`, with an `Impl` member
    /// whose body is `body`.
    fn direct_query(body: &str) -> Fixture {
        Fixture::finch()
            .set("Finch.Publish", "[SupportsDirectQuery = true]")
            .members(&format!("Impl = {body};"))
    }

    /// With a folding source (ODBC, `Table.View`), or without DirectQuery, nothing is
    /// reported; DirectQuery over a web API is.
    #[test]
    fn direct_query_without_folding() {
        let cases = RuleCase::new(&RULE)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                direct_query("(dsn) => Odbc.DataSource([DSN = dsn])"),
                direct_query("(t) => Table.View(null, [])"),
                Fixture::finch().set("Finch.Publish", "[SupportsDirectQuery = false]"),
            ])
            .fail([direct_query("(url) => Json.Document(Web.Contents(url))")]);
        insta::assert_snapshot!(cases.run());
    }
}
