//! Whole failing articles and changelogs under `tests/docs/`, checked by every 8xx and 9xx
//! rule against one set of connector facts; one snapshot per file.

use crate::model::facts::{ConnectorFacts, OptionalParameter};
use crate::rules::ALL;
use crate::testing::{Documents, run_on_documents};

/// The facts of the imaginary Contoso Warehouse connector the cases describe.
fn contoso_facts() -> ConnectorFacts {
    ConnectorFacts {
        version: Some("2.1.0".into()),
        beta: Some(true),
        auth_kinds: Some(vec!["OAuth".into(), "Key".into()]),
        supports_direct_query: Some(false),
        odbc_calls: Some(vec!["Odbc.DataSource".into()]),
        optional_parameters: Some(vec![OptionalParameter {
            name: "timeout".into(),
            caption: Some("Command timeout in minutes".into()),
        }]),
        button_text: Some("Contoso Warehouse".into()),
        kinds: vec!["ContosoWarehouse".into()],
        ..ConnectorFacts::default()
    }
}

fn check_all(documents: &Documents<'_>, prefix: &str) -> String {
    ALL.iter()
        .filter(|rule| rule.code.starts_with(prefix))
        .map(|rule| run_on_documents(rule, documents))
        .collect()
}

/// Every article case, with the 8xx rules.
#[test]
fn article_cases() {
    insta::glob!("../../../tests/docs", "articles/*.md", |path| {
        let text = std::fs::read_to_string(path).expect("case file");
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let documents = Documents {
            article: Some((&name, &text)),
            facts: contoso_facts(),
            ..Documents::default()
        };
        insta::assert_snapshot!(check_all(&documents, "PQ8"));
    });
}

/// Every changelog case, with the 9xx rules.
#[test]
fn changelog_cases() {
    insta::glob!("../../../tests/docs", "changelogs/*", |path| {
        let text = std::fs::read_to_string(path).expect("case file");
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let documents = Documents {
            changelog: Some((&name, &text)),
            facts: contoso_facts(),
            ..Documents::default()
        };
        insta::assert_snapshot!(check_all(&documents, "PQ9"));
    });
}
