//! 2xx: the data source definition (Kind) record: authentication kinds and their fields, the
//! OAuth handlers, `Label` and `TestConnection`. A Kind whose member is missing or not a record
//! is PQ105's finding; these rules skip it.

mod custom_entra_oauth_flow;
mod incomplete_aad_fields;
mod invalid_test_connection;
mod key_without_manual_credentials;
mod label_hides_data_source_path;
mod missing_authentication;
mod missing_oauth_handler;
mod missing_test_connection;
mod oauth_client_secret;
mod oauth_handler_arity;
mod oauth_state_not_forwarded;
mod test_connection_argument_count;
mod unfinished_test_connection;
mod unknown_authentication_field;
mod unknown_authentication_kind;
mod unknown_data_source_field;

pub(crate) use custom_entra_oauth_flow::CUSTOM_ENTRA_OAUTH_FLOW;
pub(crate) use incomplete_aad_fields::INCOMPLETE_AAD_FIELDS;
pub(crate) use invalid_test_connection::INVALID_TEST_CONNECTION;
pub(crate) use key_without_manual_credentials::KEY_WITHOUT_MANUAL_CREDENTIALS;
pub(crate) use label_hides_data_source_path::LABEL_HIDES_DATA_SOURCE_PATH;
pub(crate) use missing_authentication::MISSING_AUTHENTICATION;
pub(crate) use missing_oauth_handler::MISSING_OAUTH_HANDLER;
pub(crate) use missing_test_connection::MISSING_TEST_CONNECTION;
pub(crate) use oauth_client_secret::OAUTH_CLIENT_SECRET;
pub(crate) use oauth_handler_arity::OAUTH_HANDLER_ARITY;
pub(crate) use oauth_state_not_forwarded::OAUTH_STATE_NOT_FORWARDED;
pub(crate) use test_connection_argument_count::TEST_CONNECTION_ARGUMENT_COUNT;
pub(crate) use unfinished_test_connection::UNFINISHED_TEST_CONNECTION;
pub(crate) use unknown_authentication_field::UNKNOWN_AUTHENTICATION_FIELD;
pub(crate) use unknown_authentication_kind::UNKNOWN_AUTHENTICATION_KIND;
pub(crate) use unknown_data_source_field::UNKNOWN_DATA_SOURCE_FIELD;

use crate::model::connector::kind::{HandlerValue, handler_value};
use crate::model::connector::reach::walk_reachable;
use crate::model::connector::test_connection::{HandlerResult, handler_results};
use crate::model::connector::{AuthKind, Connector, KindRecord};
use crate::model::eval::resolve::{Computed, Env};
use crate::source::FileId;
use crate::syntax::ast::Expr;

/// The Kind records these rules look at: those whose member exists and is a record.
fn kind_records<'c, 'a>(connector: &'c Connector<'a>) -> impl Iterator<Item = &'c KindRecord<'a>> {
    connector
        .kinds()
        .iter()
        .filter(|kind| kind.member.is_some() && kind.fields.is_some())
}

/// The authentication kinds named `kind` of every Kind record, with their Kind.
fn auth_kinds<'c, 'a>(
    connector: &'c Connector<'a>,
    kind: &'static str,
) -> impl Iterator<Item = (&'c KindRecord<'a>, &'c AuthKind<'a>)> {
    kind_records(connector).flat_map(move |record| {
        record
            .authentication
            .iter()
            .filter(move |auth| auth.kind() == kind)
            .map(move |auth| (record, auth))
    })
}

/// The closest name within `max_distance` edits (case-insensitive), for "did you mean".
fn nearest<'n>(name: &str, candidates: &[&'n str], max_distance: usize) -> Option<&'n str> {
    crate::suggest::nearest(name, candidates.iter().copied(), true, |_| max_distance)
}

/// Calls `visit` for every expression the named handlers of an OAuth kind reach: their bodies
/// and every definition they name, transitively (see [`walk_reachable`]).
fn walk_handlers<'a>(
    connector: &Connector<'a>,
    auth: &AuthKind<'a>,
    handlers: &[&str],
    visit: &mut dyn FnMut(&'a Expr, &Env<'a>, FileId),
) {
    let roots = handlers
        .iter()
        .filter_map(|name| auth.handler(name))
        .map(|(field, env)| (&field.value, env))
        .collect();
    walk_reachable(connector, roots, visit);
}

/// The message of a finding about a value that cannot be resolved statically: `what` is a
/// noun phrase (`` `TestConnection` of `Contoso` ``).
fn computed_message(what: &str, computed: &Computed) -> String {
    format!(
        "could not be checked statically: {what} is computed ({})",
        computed.reason
    )
}

/// A Kind's `TestConnection` handler when it is a one-parameter function, with the values its
/// body can return; `None` when there is no such handler (PQ211 and PQ212 report why).
pub(crate) fn test_connection_results<'a>(
    connector: &Connector<'a>,
    kind: &KindRecord<'a>,
) -> Option<Vec<HandlerResult<'a>>> {
    let (field, env) = kind.field("TestConnection")?;
    let HandlerValue::Callable(callable) = handler_value(connector, &field.value, &env) else {
        return None;
    };
    if callable.arity() != 1 {
        return None;
    }
    let (body, body_env) = callable.body();
    Some(handler_results(&connector.resolver, body, &body_env))
}
