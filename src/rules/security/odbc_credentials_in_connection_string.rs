//! PQ710: ODBC credentials in the connection string.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::Connector;
use crate::model::eval::follow::{Visit, seek};
use crate::model::eval::resolve::{Env, step_through};
use crate::model::flow::{Flow, Origin, OriginKind, requests};
use crate::rules::{Context, Priority};
use crate::source::FileId;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind};

/// Connection-string keys that carry credentials (compared case-insensitively).
const CREDENTIAL_KEYS: &[&str] = &["UID", "PWD", "Password", "Token"];

const HELP: &str = "pass credentials in the `CredentialConnectionString` option, built from `Extension.CurrentCredential()`";

declare_rule! {
    /// ## What it checks
    /// An ODBC-family connection string carries credentials instead of `CredentialConnectionString`.
    ///
    /// The connection-string argument (first, a record or a text) of `Odbc.DataSource`,
    /// `Odbc.Query`, `OleDb.DataSource`, `OleDb.Query`, `AdoDotNet.DataSource` and
    /// `AdoDotNet.Query` contains a credential value (`Extension.CurrentCredential()`, followed
    /// through variables, helpers and record merges), or a field `UID`, `PWD`, `Password` or
    /// `Token` (any case; in a text, `UID=` followed by a computed part) fed from a function
    /// parameter.
    ///
    /// ## Why it matters
    /// The engine keeps `CredentialConnectionString` out of traces, caches and the data source
    /// path; credentials in the connection string end up in all of them.
    ///
    /// ## Example
    /// `Odbc.DataSource([Driver = "Contoso ODBC", Server = server, UID = credential[Username], PWD = credential[Password]])`.
    ///
    /// Use instead:
    /// `Odbc.DataSource([Driver = "Contoso ODBC", Server = server], [CredentialConnectionString = [UID = credential[Username], PWD = credential[Password]]])`.
    pub(crate) static ODBC_CREDENTIALS_IN_CONNECTION_STRING = Rule {
        code: "PQ710",
        name: "odbc-credentials-in-connection-string",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let flow = cx.flow();
    for call in requests::odbc_calls(connector) {
        let Some(connection) = call.args.first() else {
            continue;
        };
        let trace = flow.value_sources(connection, &call.env, call.file);
        if let Some(credential) = trace
            .origins
            .iter()
            .find(|o| o.kind == OriginKind::Credential)
        {
            cx.report(
                Finding::new(format!(
                    "a credential value goes into the connection string of `{}`",
                    call.name
                ))
                .primary_label(call.file, connection.span, "connection string")
                .secondary(credential.file, credential.span, "credential read here")
                .help(HELP),
            );
            continue;
        }
        let (records, _) = flow.records(connection, &call.env, call.file);
        let mut reported = false;
        for record in &records {
            for field in record.fields() {
                if !is_credential_key(&field.name.name) {
                    continue;
                }
                let trace = flow.field_sources(record, field);
                let Some(param) = trace.origins.iter().find_map(parameter) else {
                    continue;
                };
                let file = record.file_of(field).unwrap_or(call.file);
                cx.report(
                    Finding::new(format!(
                        "the connection-string field `{}` of `{}` is fed from parameter `{}`",
                        field.name.name, call.name, param.1
                    ))
                    .primary_label(file, field.span, "credential field")
                    .secondary(param.0.file, param.0.span, "parameter used here")
                    .help(HELP),
                );
                reported = true;
            }
        }
        if !reported {
            check_text(cx, flow, connector, connection, &call.env, call.name);
        }
    }
}

/// `"Driver=…;UID=" & user & ";PWD=" & password`: a computed part after a credential key.
fn check_text<'a>(
    cx: &mut Context<'_>,
    flow: &Flow<'_, 'a>,
    connector: &Connector<'a>,
    connection: &'a Expr,
    env: &Env<'a>,
    function: &str,
) {
    let Some((first, rest, env, file)) = concat_chain(connection, env) else {
        return;
    };
    let parts: Vec<&Expr> = std::iter::once(first)
        .chain(rest.iter().map(|r| &r.right))
        .collect();
    for pair in parts.windows(2) {
        let [key_part, value_part] = pair else {
            continue;
        };
        let Ok(text) = connector.resolver.text(key_part, &env) else {
            continue;
        };
        let Some(key) = trailing_key(&text) else {
            continue;
        };
        let trace = flow.value_sources(value_part, &env, file);
        let Some(param) = trace.origins.iter().find_map(parameter) else {
            continue;
        };
        cx.report(
            Finding::new(format!(
                "the connection-string key `{key}` of `{function}` is fed from parameter `{}`",
                param.1
            ))
            .primary_label(file, value_part.span, "credential value")
            .secondary(param.0.file, param.0.span, "parameter used here")
            .help(HELP),
        );
    }
}

/// The `&` chain `expr` is, through names and parentheses.
fn concat_chain<'a>(
    expr: &'a Expr,
    env: &Env<'a>,
) -> Option<(
    &'a Expr,
    &'a [crate::syntax::ast::BinaryRhs],
    Env<'a>,
    FileId,
)> {
    seek(expr, env, step_through, |expr, env| match &expr.kind {
        ExprKind::Binary { first, rest } if rest.iter().all(|r| r.op == BinaryOp::Concatenate) => {
            Visit::Found((&**first, rest.as_slice(), env.clone(), env.file()))
        }
        ExprKind::Parens(_) | ExprKind::Ident(_) => Visit::Step,
        _ => Visit::Stop,
    })
}

/// The credential key a connection-string fragment ends with (`…;PWD=`).
fn trailing_key(text: &str) -> Option<&'static str> {
    let trimmed = text.trim_end().strip_suffix('=')?.trim_end();
    let last = trimmed
        .rsplit([';', '{', '}'])
        .next()
        .unwrap_or(trimmed)
        .trim();
    CREDENTIAL_KEYS
        .iter()
        .copied()
        .find(|key| key.eq_ignore_ascii_case(last))
}

fn is_credential_key(name: &str) -> bool {
    CREDENTIAL_KEYS
        .iter()
        .any(|key| key.eq_ignore_ascii_case(name))
}

/// A function parameter among the origins, with its name.
fn parameter(origin: &Origin) -> Option<(&Origin, &str)> {
    match &origin.kind {
        OriginKind::DataSourceParam { name, .. } | OriginKind::OpaqueParam(name) => {
            Some((origin, name.as_str()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::ODBC_CREDENTIALS_IN_CONNECTION_STRING;
    use crate::testing::{Fixture, RuleCase};

    /// Finch with `UsernamePassword` authentication, whose data source function is `Impl`,
    /// defined in `body`.
    fn with_password(body: &str) -> Fixture {
        Fixture::finch()
            .set("Finch.Contents", "Impl")
            .set(
                "Finch",
                r#"[Authentication = [UsernamePassword = []], Label = "Finch"]"#,
            )
            .members(body)
    }

    /// Credentials in `CredentialConnectionString`, and a server parameter, pass; a credential
    /// in the connection record, a password parameter in a record field, and a user parameter
    /// in a text connection string fail.
    #[test]
    fn odbc_credentials_in_connection_string() {
        let cases = RuleCase::new(&ODBC_CREDENTIALS_IN_CONNECTION_STRING)
            .pass([
                Fixture::kestrel(),
                with_password(
                    r#"Impl = (server as text) =>
    let
        credential = Extension.CurrentCredential(),
        connection = [Driver = "Contoso ODBC Driver", Server = server],
        options = [CredentialConnectionString = [UID = credential[Username], PWD = credential[Password]]]
    in
        Odbc.DataSource(connection, options);"#,
                ),
            ])
            .fail([with_password(
                r#"Impl = (server as text, user as text, password as text) =>
    let
        credential = Extension.CurrentCredential(),
        a = Odbc.DataSource([Driver = "Contoso ODBC Driver", Server = server] & [PWD = credential[Password]]),
        b = OleDb.DataSource([Provider = "Contoso.OleDb", pwd = password]),
        text = "Driver={Contoso ODBC Driver};Server=" & server & ";UID=" & user,
        c = Odbc.Query(text, "select 1")
    in
        {a, b, c};"#,
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
