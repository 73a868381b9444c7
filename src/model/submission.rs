//! What the submission-document rules (8xx, 9xx) and the manual checklist need to know about
//! the connector, as plain data: the section version, `Publish.Beta`, authentication kinds and
//! so on. The connector model fills these in; until it does, or when a value is computed rather
//! than literal, a field stays "unknown" (`None` or empty) and every cross-check that needs it
//! is skipped. Nothing here is derived from the documents themselves.

use std::path::PathBuf;

/// Connector facts the documents are compared with. `Default` is "all unknown".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectorFacts {
    /// The literal section `[Version = "x.y.z"]`, only when it is a valid version (PQ102 and
    /// PQ103 did not fire).
    pub version: Option<String>,
    /// `Publish.Beta`: `Some(false)` also when the Publish record has no `Beta` field;
    /// `None` when there is no literal answer.
    pub beta: Option<bool>,
    /// The authentication kinds of the data source kind: `Key`, `OAuth`, `UsernamePassword`,
    /// `Windows`, `Aad`, `Anonymous`, `Implicit`.
    pub auth_kinds: Option<Vec<String>>,
    /// Literal `Label` (or `KeyLabel`) texts of authentication kinds, as `(kind, label)`: the
    /// credential dialog shows them, so the article may name a kind by its label.
    pub auth_labels: Vec<(String, String)>,
    /// `SupportsDirectQuery` of the data source kind.
    pub supports_direct_query: Option<bool>,
    /// Names of ODBC-family functions called (`Odbc.DataSource`, `OleDb.Query`, ...).
    pub odbc_calls: Option<Vec<String>>,
    /// Optional parameters of the data source functions.
    pub optional_parameters: Option<Vec<OptionalParameter>>,
    /// The first `ButtonText` item of the Publish record.
    pub button_text: Option<String>,
    /// Data source kind names.
    pub kinds: Vec<String>,
    /// Where `Expression.Evaluate` is called, described for people (`Contoso.pq:42`).
    pub expression_evaluate_sites: Vec<String>,
    /// Hosts the connector sends requests to.
    pub target_hosts: Vec<String>,
    /// Whether the connector reads `Extension.CurrentCredential()`.
    pub credential_use: bool,
}

/// One optional parameter of a data source function.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OptionalParameter {
    pub name: String,
    /// Its literal `Documentation.FieldCaption`, when it has one.
    pub caption: Option<String>,
}

impl OptionalParameter {
    /// What the article should mention: the caption, else the name.
    pub fn display_name(&self) -> &str {
        self.caption.as_deref().unwrap_or(&self.name)
    }
}

/// How the submission documents are found and judged, taken from the configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubmissionOptions {
    /// `--docs` or `docs =`: the article, instead of discovery.
    pub docs: Option<PathBuf>,
    /// `--changelog` or `changelog =`: the changelog, instead of discovery.
    pub changelog: Option<PathBuf>,
    /// `--initial-release`: a first submission (no changelog needed, Release State Preview).
    pub initial_release: bool,
}

impl From<&crate::config::Config> for SubmissionOptions {
    fn from(config: &crate::config::Config) -> Self {
        SubmissionOptions {
            docs: config.docs.clone(),
            changelog: config.changelog.clone(),
            initial_release: config.initial_release,
        }
    }
}
