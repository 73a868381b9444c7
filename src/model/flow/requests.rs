//! The calls the security rules look at: request calls (`Web.Contents`, `Web.Headers`,
//! `OData.Feed`: URL first, options record second) and ODBC-family calls (connection string
//! first), and whether the package is credential-bearing.

use crate::model::connector::{Call, Connector};

/// Library functions that make a web request; their result is the response, never the URL.
pub const REQUEST_FUNCTIONS: &[&str] = &["Web.Contents", "Web.Headers", "OData.Feed"];

/// Library functions that open an ODBC, OLE DB or ADO.NET connection.
pub const ODBC_FUNCTIONS: &[&str] = &[
    "Odbc.DataSource",
    "Odbc.Query",
    "OleDb.DataSource",
    "OleDb.Query",
    "AdoDotNet.DataSource",
    "AdoDotNet.Query",
];

/// Authentication kinds that carry no credential.
const ANONYMOUS_KINDS: &[&str] = &["Anonymous", "Implicit"];

/// Every call of a request function (not shadowed by a connector definition), in document
/// order.
pub fn request_calls<'s, 'a>(connector: &'s Connector<'a>) -> impl Iterator<Item = &'s Call<'a>> {
    connector
        .calls()
        .iter()
        .filter(|call| REQUEST_FUNCTIONS.iter().any(|name| call.is_library(name)))
}

/// Every ODBC-family call, in document order.
pub fn odbc_calls<'s, 'a>(connector: &'s Connector<'a>) -> impl Iterator<Item = &'s Call<'a>> {
    connector
        .calls()
        .iter()
        .filter(|call| ODBC_FUNCTIONS.iter().any(|name| call.is_library(name)))
}

/// Whether a Kind record has an authentication kind other than `Anonymous`/`Implicit`.
pub fn is_credential_bearing(connector: &Connector<'_>) -> bool {
    connector.kinds().iter().any(|kind| {
        kind.authentication
            .iter()
            .any(|auth| !ANONYMOUS_KINDS.contains(&auth.kind()))
    })
}

/// The options record of a request call: the second argument, except for `OData.Feed`, whose
/// second argument is a headers record and whose options come third.
pub fn options_argument<'a>(call: &Call<'a>) -> Option<&'a crate::syntax::ast::Expr> {
    let index = if call.name == "OData.Feed" { 2 } else { 1 };
    call.args.get(index)
}
