//! PQ809: no Prerequisites section while the connector needs a driver.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::rules::{Context, Priority};

use super::{anchor, article, code_list, report};

declare_rule! {
    /// ## What it checks
    /// An ODBC connector article has no Prerequisites section.
    ///
    /// The connector makes an ODBC-family call (`Odbc.DataSource`, `Odbc.Query`,
    /// `OleDb.DataSource`, `OleDb.Query`, `AdoDotNet.DataSource`, `AdoDotNet.Query`) and the
    /// article has no `## Prerequisites` section. Skipped while the calls are unknown.
    ///
    /// ## Why it matters
    /// Such a connector only works once a driver is installed; the article must say which one
    /// and where to get it.
    ///
    /// ## Example
    /// An article for an `Odbc.DataSource` connector going straight from the summary table to
    /// the connection steps.
    ///
    /// Use instead: a `## Prerequisites` section naming the driver, its minimum version and
    /// its download page.
    pub(crate) static MISSING_PREREQUISITES = Rule {
        code: "PQ809",
        name: "missing-prerequisites",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let Some((article, _)) = article(cx) else {
        return;
    };
    let Some(calls) = cx.facts().odbc_calls.as_ref().filter(|c| !c.is_empty()) else {
        return;
    };
    if article
        .outline
        .find_heading(&[2, 3], |h| matches!(h, "prerequisites" | "prerequisite"))
        .is_some()
    {
        return;
    }
    let finding = Finding::new(format!(
        "the article has no Prerequisites section, but the connector calls {}",
        code_list(calls)
    ))
    .primary(article.file, anchor(article))
    .help("add a `## Prerequisites` section saying which driver to install and where to get it");
    report(cx, finding);
}

#[cfg(test)]
mod tests {
    use super::MISSING_PREREQUISITES;
    use crate::testing::{Fixture, RuleCase};

    const ODBC_DATA_SOURCE: &str = r#"Driver = (server as text) => Odbc.DataSource([Driver = "Kestrel ODBC", Server = server]);"#;
    const ODBC_QUERY: &str = r#"Run = (server as text, sql as text) => Odbc.Query([Driver = "Kestrel ODBC", Server = server], sql);"#;

    fn article(text: &str) -> Fixture {
        Fixture::kestrel().article("kestrel.md", text)
    }

    /// A Prerequisites section, or no ODBC call, passes; an ODBC connector without one fails.
    #[test]
    fn missing_prerequisites() {
        let cases = RuleCase::new(&MISSING_PREREQUISITES)
            .pass([
                Fixture::kestrel(),
                article("# K\n\n## Prerequisites\n\nInstall the driver.\n")
                    .members(ODBC_DATA_SOURCE),
                article("# K\n"),
            ])
            .fail([article("# K\n\n## Summary\n")
                .members(ODBC_DATA_SOURCE)
                .members(ODBC_QUERY)]);
        insta::assert_snapshot!(cases.run());
    }
}
