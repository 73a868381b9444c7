//! The manual certification checklist printed by `check --checklist`: what a reviewer asks for
//! that no static check can decide (the connector's owner, test accounts, support contacts,
//! privacy and throttling statements), in our own words. Where the connector facts give a hint (ODBC calls, credential use,
//! `Expression.Evaluate` sites, target hosts), the item names it. Rendering is the CLI's job.

use crate::model::Model;

/// One item to check by hand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChecklistItem {
    /// The group it belongs to (`Submission artifacts`, `Security review`, ...).
    pub section: &'static str,
    pub text: String,
    /// What this package suggests about the item, one line each.
    pub hints: Vec<String>,
}

/// Section names, in print order.
pub const SECTIONS: [&str; 7] = [
    "Program prerequisites",
    "Submission artifacts",
    "Runtime behaviour",
    "Security review",
    "Demo video",
    "Process",
    "After certification",
];

/// Most hosts or sites named in one hint before the rest is counted.
const MAX_NAMED: usize = 8;

/// The checklist for one package, with hints from its facts.
pub fn checklist(model: &Model, facts: &crate::model::ConnectorFacts) -> Vec<ChecklistItem> {
    let odbc: Vec<String> = facts.odbc_calls.iter().flatten().cloned().collect();
    let mut items = Vec::new();
    let mut add = |section: &'static str, text: &str, hints: Vec<String>| {
        items.push(ChecklistItem {
            section,
            text: text.to_owned(),
            hints,
        });
    };
    let [
        prerequisites,
        artifacts,
        runtime,
        security,
        demo,
        process,
        after,
    ] = SECTIONS;
    add(
        prerequisites,
        "The product is public and the connector is code-complete.",
        Vec::new(),
    );
    add(
        prerequisites,
        "You have an estimate of how many customers will use the connector.",
        Vec::new(),
    );
    add(
        prerequisites,
        "Customers already use the connector (self-signed or in a private preview) and have validated it.",
        Vec::new(),
    );
    add(
        prerequisites,
        "A Power BI Ideas thread shows demand for the connector.",
        Vec::new(),
    );
    add(
        prerequisites,
        "Registration and submission deadlines for this cycle are met.",
        Vec::new(),
    );
    add(
        artifacts,
        "A .pbix test report has at least one query per navigation-table item (one per table type when the schema is open).",
        Vec::new(),
    );
    add(
        artifacts,
        "A persistent test account, and instructions for testing with it, are ready for the reviewers.",
        Vec::new(),
    );
    let driver_hint = (!odbc.is_empty())
        .then(|| {
            format!(
                "the connector calls {}: link the driver download and its install steps",
                join_code(&odbc)
            )
        })
        .into_iter()
        .collect();
    add(
        artifacts,
        "Links to external dependencies (such as ODBC drivers) are included.",
        driver_hint,
    );
    add(
        runtime,
        "Results are tables: no cubes, dimensions or measures.",
        Vec::new(),
    );
    let direct_query = if facts.supports_direct_query == Some(true) {
        vec!["`SupportsDirectQuery` is true: compare an Import and a DirectQuery report over the same data".to_owned()]
    } else {
        Vec::new()
    };
    add(
        runtime,
        "Import and DirectQuery return identical results.",
        direct_query,
    );
    add(
        runtime,
        "`TestConnection` succeeds with real credentials.",
        Vec::new(),
    );
    add(
        runtime,
        "Refresh works through the on-premises data gateway in the service, and in Power BI Desktop.",
        Vec::new(),
    );
    add(
        runtime,
        "The connector works in Power Query Online and in dataflows.",
        Vec::new(),
    );
    add(
        security,
        "Explain why `Extension.CurrentCredential` is needed and where credentials are sent.",
        credential_hints(facts),
    );
    add(
        security,
        "Traces hold no personal data and no large payloads.",
        Vec::new(),
    );
    let evaluate_hint = named(
        "`Expression.Evaluate` is called at",
        &facts.expression_evaluate_sites,
    )
    .map(|hint| format!("{hint}: say where each input comes from"))
    .into_iter()
    .collect();
    add(
        security,
        "Say where every `Expression.Evaluate` input comes from.",
        evaluate_hint,
    );
    add(
        demo,
        "Record the scenario: load the custom connector, pick it in Get Data, authenticate, choose a table in the Navigator, load it and build a report.",
        Vec::new(),
    );
    add(
        demo,
        "Continue the recording: publish, change a value in the backend, refresh in the service through the gateway and in Desktop, and show the change both times.",
        Vec::new(),
    );
    add(
        process,
        "Upload the package to the certification portal.",
        Vec::new(),
    );
    add(
        process,
        "Open the documentation pull request: the article, the connector list entry with its logo, and the table of contents.",
        Vec::new(),
    );
    add(
        process,
        "Write the introduction paragraph for the Power BI blog.",
        Vec::new(),
    );
    let update_hint = (!model.options.initial_release && model.changelog.is_some())
        .then(|| "post the changelog's newest entry in the portal's activity thread".to_owned())
        .into_iter()
        .collect();
    add(
        process,
        "For an update: submit the new version under the existing submission, post the changelog, and update the article with every functional change.",
        update_hint,
    );
    add(
        after,
        "Tell users to remove their custom .mez/.pqx copies so the certified connector is used.",
        Vec::new(),
    );
    items
}

fn credential_hints(facts: &crate::model::ConnectorFacts) -> Vec<String> {
    let mut hints = Vec::new();
    if facts.credential_use {
        hints.push("the connector reads `Extension.CurrentCredential()`".to_owned());
    }
    if let Some(kinds) = &facts.auth_kinds {
        let credentialed: Vec<String> = kinds
            .iter()
            .filter(|k| !matches!(k.as_str(), "Anonymous" | "Implicit"))
            .cloned()
            .collect();
        if !credentialed.is_empty() {
            hints.push(format!(
                "authentication kinds: {}",
                join_code(&credentialed)
            ));
        }
    }
    hints.extend(named("requests go to", &facts.target_hosts));
    hints
}

/// `prefix a, b and 3 more`, or `None` for an empty list.
fn named(prefix: &str, values: &[String]) -> Option<String> {
    if values.is_empty() {
        return None;
    }
    let shown = join_code(&values[..values.len().min(MAX_NAMED)]);
    let more = values.len().saturating_sub(MAX_NAMED);
    Some(if more > 0 {
        format!("{prefix} {shown} and {more} more")
    } else {
        format!("{prefix} {shown}")
    })
}

fn join_code(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::products::facts::ConnectorFacts;

    fn model() -> Model {
        Model::build(crate::testing::archive(
            "Kestrel.mez",
            &[("Kestrel.pq", b"section Kestrel;")],
        ))
    }

    /// Every section has items; with unknown facts there are no hints.
    #[test]
    fn items_without_hints() {
        let items = checklist(&model(), &ConnectorFacts::default());
        for section in SECTIONS {
            assert!(items.iter().any(|i| i.section == section), "{section}");
        }
        assert!(items.iter().all(|i| i.hints.is_empty()));
    }

    /// ODBC calls, credentials, Expression.Evaluate sites and hosts become hints.
    #[test]
    fn hints_from_facts() {
        let facts = ConnectorFacts {
            odbc_calls: Some(vec!["Odbc.DataSource".into()]),
            credential_use: true,
            auth_kinds: Some(vec!["Anonymous".into(), "Key".into()]),
            expression_evaluate_sites: vec!["Kestrel.pq:12".into()],
            target_hosts: (0..10).map(|i| format!("h{i}.example.com")).collect(),
            ..ConnectorFacts::default()
        };
        let items = checklist(&model(), &facts);
        let hints: Vec<String> = items
            .iter()
            .flat_map(|i| i.hints.iter().map(move |h| format!("{}: {h}", i.section)))
            .collect();
        insta::assert_snapshot!(hints.join("\n"));
    }
}
