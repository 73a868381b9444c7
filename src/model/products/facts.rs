//! What the submission-document rules (8xx, 9xx) and the manual checklist need to know about
//! the connector, as plain data: the section version, `Publish.Beta`, authentication kinds and
//! so on. The connector model fills these in; until it does, or when a value is computed rather
//! than literal, a field stays "unknown" (`None` or empty) and every cross-check that needs it
//! is skipped. Nothing here is derived from the documents themselves.

use crate::model::connector::{Connector, field};
use crate::model::eval::resolve::Resolved;

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

/// ODBC-family functions: their calls need a driver (PQ809) and carry connection strings.
pub const ODBC_FAMILY: &[&str] = &[
    "Odbc.DataSource",
    "Odbc.Query",
    "OleDb.DataSource",
    "OleDb.Query",
    "AdoDotNet.DataSource",
    "AdoDotNet.Query",
];

/// Request functions whose first argument is a URL.
pub const REQUEST_FUNCTIONS: &[&str] = &["Web.Contents", "Web.Headers", "OData.Feed"];

impl ConnectorFacts {
    /// Reads the facts from the connector model; anything not literal stays unknown.
    pub fn from_connector(connector: &Connector<'_>) -> ConnectorFacts {
        let resolver = &connector.resolver;
        let model = connector.model;
        let mut facts = ConnectorFacts {
            kinds: connector.kinds().iter().map(|k| k.name.clone()).collect(),
            ..ConnectorFacts::default()
        };
        if let Some(section) = &connector.section {
            facts.version = section
                .document
                .attributes
                .as_ref()
                .and_then(|a| field(&a.fields, "Version"))
                .and_then(|f| resolver.text(&f.value, &section.env).ok())
                .filter(|v| is_version(v));
        }
        if !connector.kinds().is_empty() && connector.kinds().iter().all(|k| k.fields.is_some()) {
            let mut kinds = Vec::new();
            for kind in connector.kinds() {
                for auth in &kind.authentication {
                    kinds.push(auth.kind().to_owned());
                    let Some((fields, env)) = &auth.fields else {
                        continue;
                    };
                    for label in ["Label", "KeyLabel"] {
                        if let Some(text) =
                            field(fields, label).and_then(|f| resolver.text(&f.value, env).ok())
                        {
                            facts.auth_labels.push((auth.kind().to_owned(), text));
                        }
                    }
                }
            }
            facts.auth_kinds = Some(kinds);
        }
        if let [publish] = connector.publishes()
            && let Some((fields, env)) = &publish.fields
        {
            let logical =
                |name: &str| match field(fields, name).map(|f| resolver.resolve(&f.value, env)) {
                    None => Some(false),
                    Some(Resolved::Logical(value)) => Some(value),
                    Some(_) => None,
                };
            facts.beta = logical("Beta");
            facts.supports_direct_query = logical("SupportsDirectQuery");
            facts.button_text = field(fields, "ButtonText")
                .and_then(|f| resolver.list(&f.value, env))
                .and_then(|(items, env)| resolver.text(items.first()?, &env).ok());
        }
        let mut odbc: Vec<String> = connector
            .calls()
            .iter()
            .filter(|call| ODBC_FAMILY.iter().any(|name| call.is_library(name)))
            .map(|call| call.name.to_owned())
            .collect();
        odbc.sort();
        odbc.dedup();
        facts.odbc_calls = Some(odbc);
        let mut optional = Vec::new();
        let mut shapes_known = true;
        for data_source in connector.data_sources() {
            let Ok(shape) = &data_source.shape else {
                shapes_known = false;
                continue;
            };
            for param in shape.params.iter().filter(|p| p.optional) {
                let caption = param
                    .metadata_field("Documentation.FieldCaption")
                    .and_then(|(f, env)| resolver.text(&f.value, &env).ok());
                optional.push(OptionalParameter {
                    name: param.name.clone(),
                    caption,
                });
            }
        }
        facts.optional_parameters = shapes_known.then_some(optional);
        for call in connector.calls() {
            let source = model.sources.get(call.file);
            let at = || {
                format!(
                    "{}:{}",
                    source.name,
                    source.line_col(call.expr.span.start).line
                )
            };
            if call.is_library("Expression.Evaluate") {
                facts.expression_evaluate_sites.push(at());
            } else if call.is_library("Extension.CurrentCredential") {
                facts.credential_use = true;
            } else if REQUEST_FUNCTIONS.iter().any(|name| call.is_library(name))
                && let Some(host) = call
                    .args
                    .first()
                    .and_then(|url| connector.resolver.text(url, &call.env).ok())
                    .and_then(|url| host_of(&url))
                && !facts.target_hosts.contains(&host)
            {
                facts.target_hosts.push(host);
            }
        }
        facts
    }
}

/// `x.y.z` with decimal parts.
fn is_version(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The host of an absolute URL.
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
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
