//! 7xx: security, privacy and network: URL schemes, credentials in URLs, traces and connection
//! strings, tracing left on, dynamic code, hard-coded secrets. The flow facts they share are in
//! [`crate::model::flow`].

mod credential_in_query_string;
mod credentials_over_http;
mod dynamic_expression_evaluate;
mod hardcoded_secret;
mod insecure_http_url;
mod local_or_development_host;
mod odbc_credentials_in_connection_string;
mod packaged_secret_file;
mod secret_in_comment;
mod sensitive_value_traced;
mod tracing_enabled;
mod unescaped_native_query;
mod unvalidated_url_scheme;

pub(crate) use credential_in_query_string::CREDENTIAL_IN_QUERY_STRING;
pub(crate) use credentials_over_http::CREDENTIALS_OVER_HTTP;
pub(crate) use dynamic_expression_evaluate::DYNAMIC_EXPRESSION_EVALUATE;
pub(crate) use hardcoded_secret::HARDCODED_SECRET;
pub(crate) use insecure_http_url::INSECURE_HTTP_URL;
pub(crate) use local_or_development_host::LOCAL_OR_DEVELOPMENT_HOST;
pub(crate) use odbc_credentials_in_connection_string::ODBC_CREDENTIALS_IN_CONNECTION_STRING;
pub(crate) use packaged_secret_file::PACKAGED_SECRET_FILE;
pub(crate) use secret_in_comment::SECRET_IN_COMMENT;
pub(crate) use sensitive_value_traced::SENSITIVE_VALUE_TRACED;
pub(crate) use tracing_enabled::TRACING_ENABLED;
pub(crate) use unescaped_native_query::UNESCAPED_NATIVE_QUERY;

use crate::model::flow::Secrets;

/// The fields the security rules treat as secrets when they trace values.
pub(crate) const SECRETS: Secrets = Secrets {
    fields: &[
        "access_token",
        "refresh_token",
        "Password",
        "Key",
        "client_secret",
    ],
    credential_metadata: &["AuthenticationKind", "Properties", "EncryptConnection"],
    row_columns: &["Key", "Password"],
};
pub(crate) use unvalidated_url_scheme::UNVALIDATED_URL_SCHEME;

use crate::model::flow::{Flow, OriginKind, requests};
use crate::source::{FileId, Span};

/// A plain-HTTP request URL in a credential-bearing package (PQ702).
pub(super) struct InsecureRequestUrl {
    /// The literal that starts the URL.
    pub file: FileId,
    pub span: Span,
    pub text: String,
    /// Whether an `https://` alternative exists: the scheme is chosen at runtime.
    pub chosen_at_runtime: bool,
    /// The request call's URL argument.
    pub call: (FileId, Span),
}

/// The literals PQ702 reports: `http://` starts of request URLs to non-loopback hosts in a
/// credential-bearing package.
pub(super) fn insecure_request_urls(flow: &Flow<'_, '_>) -> Vec<InsecureRequestUrl> {
    let connector = flow.connector;
    if !requests::is_credential_bearing(connector) {
        return Vec::new();
    }
    let mut found: Vec<InsecureRequestUrl> = Vec::new();
    for call in requests::request_calls(connector) {
        let Some(url) = call.args.first() else {
            continue;
        };
        let trace = flow.url_sources(url, &call.env, (call.file, call.expr.span));
        let texts: Vec<(&str, FileId, Span)> = trace
            .origins
            .iter()
            .filter_map(|o| match &o.kind {
                OriginKind::Text(text) => Some((text.as_str(), o.file, o.span)),
                _ => None,
            })
            .collect();
        let has_https = texts
            .iter()
            .any(|(t, ..)| starts_with_scheme(t, "https://"));
        for (text, file, span) in texts {
            if !starts_with_scheme(text, "http://") || is_loopback_url(text) {
                continue;
            }
            if found.iter().any(|f| f.file == file && f.span == span) {
                continue;
            }
            found.push(InsecureRequestUrl {
                file,
                span,
                text: text.to_owned(),
                chosen_at_runtime: has_https,
                call: (call.file, url.span),
            });
        }
    }
    found
}

/// Whether `text` starts with `scheme` (`http://`), ignoring ASCII case.
pub(super) fn starts_with_scheme(text: &str, scheme: &str) -> bool {
    text.get(..scheme.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
}

/// The host of an absolute URL, lower-cased, without user information and port.
pub(super) fn url_host(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port
            .find(']')
            .and_then(|end| host_port.get(..=end))
            .unwrap_or(host_port)
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    Some(host.to_ascii_lowercase())
}

/// Whether a URL's host is a loopback host: `localhost`, `127.0.0.0/8`, `[::1]`.
pub(super) fn is_loopback_url(url: &str) -> bool {
    let Some(host) = url_host(url) else {
        return false;
    };
    let host = host.trim_end_matches('.');
    if host == "localhost" || host == "[::1]" {
        return true;
    }
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4
        && octets.first() == Some(&"127")
        && octets
            .iter()
            .all(|o| !o.is_empty() && o.len() <= 3 && o.chars().all(|c| c.is_ascii_digit()))
}

/// A text shortened for a message.
pub(super) fn excerpt(text: &str) -> String {
    const MAX_CHARS: usize = 60;
    if text.chars().count() <= MAX_CHARS {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(MAX_CHARS).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hosts are read without user information, ports and paths; loopback hosts are known.
    #[test]
    fn hosts() {
        assert_eq!(
            url_host("http://user:pw@Example.COM:8080/a").as_deref(),
            Some("example.com")
        );
        assert_eq!(url_host("http://[::1]:80/").as_deref(), Some("[::1]"));
        assert!(is_loopback_url("http://localhost:5000/api"));
        assert!(is_loopback_url("http://127.0.0.1/"));
        assert!(is_loopback_url("http://127.10.20.30"));
        assert!(is_loopback_url("http://[::1]/x"));
        assert!(!is_loopback_url("http://127.example.com/"));
        assert!(!is_loopback_url("http://localhost.example.com/"));
        assert!(!is_loopback_url("http://"));
    }
}
