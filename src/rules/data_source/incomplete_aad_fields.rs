//! PQ206: an `Aad` kind without the fields that drive the Entra ID sign-in.
use super::{auth_kinds, computed_message};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::kind::{Callable, HandlerValue, handler_value, is_path_parameter};
use crate::model::connector::{Connector, KindRecord};
use crate::model::eval::resolve::{Computed, Resolved};
use crate::rules::{Context, Priority};

/// Fields whose value must be text or a one-parameter function of the data source path.
const VALUE_FIELDS: &[&str] = &["AuthorizationUri", "Resource", "Scope"];

declare_rule! {
    /// ## What it checks
    /// An `Aad` authentication record lacks `AuthorizationUri` or `Resource`, or has a value of the wrong type.
    ///
    /// `Resource` may be left out only when every data source function of the Kind has exactly
    /// one path parameter, ascribed `Uri.Type` (the engine then derives it from the URL). The
    /// values of `AuthorizationUri`, `Resource` and `Scope` must be text or a function of one
    /// parameter (the data source path). Computed values are reported at info.
    ///
    /// ## Why it matters
    /// These fields drive the Entra ID sign-in; without them the engine cannot request a token.
    ///
    /// ## Example
    /// `Aad = [ Resource = "https://contoso.example" ]`
    ///
    /// Use instead:
    /// `Aad = [ AuthorizationUri = "https://login.microsoftonline.com/common/oauth2/authorize",
    /// Resource = "https://contoso.example" ]`
    pub(crate) static INCOMPLETE_AAD_FIELDS = Rule {
        code: "PQ206",
        name: "incomplete-aad-fields",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for (kind, auth) in auth_kinds(connector, "Aad") {
        if auth.fields.is_none() {
            continue;
        }
        let file = kind.file();
        if auth.handler("AuthorizationUri").is_none() {
            cx.report(
                Finding::new(format!(
                    "the `Aad` kind of `{}` has no `AuthorizationUri`",
                    kind.name
                ))
                .primary(file, auth.field.name.span)
                .help("add `AuthorizationUri`, the Entra ID authorize endpoint"),
            );
        }
        if auth.handler("Resource").is_none() {
            match derives_resource(connector, kind) {
                Ok(true) => {}
                Ok(false) => cx.report(
                    Finding::new(format!("the `Aad` kind of `{}` has no `Resource`", kind.name))
                        .primary(file, auth.field.name.span)
                        .help("add `Resource`, or give every data source function one path parameter of type `Uri.Type`"),
                ),
                Err(computed) => cx.report_review(
                    Finding::new(computed_message(
                        &format!("whether `{}` needs an `Aad` `Resource`", kind.name),
                        &computed,
                    ))
                    .primary(file, auth.field.name.span),
                ),
            }
        }
        for name in VALUE_FIELDS {
            let Some((field, env)) = auth.handler(name) else {
                continue;
            };
            let problem = match connector.resolver.resolve(&field.value, &env) {
                Resolved::Text(_) => continue,
                Resolved::Computed(computed) => Err(computed),
                Resolved::Param { .. } => Err(Computed {
                    span: field.value.span,
                    reason: "a function parameter".into(),
                }),
                Resolved::Function(..) => match handler_value(connector, &field.value, &env) {
                    HandlerValue::Callable(callable) if callable.arity() == 1 => continue,
                    HandlerValue::Callable(Callable::Function(function, _)) => Ok(format!(
                        "a function of {} parameters",
                        function.params.len()
                    )),
                    _ => continue,
                },
                other => Ok(other.describe().to_owned()),
            };
            match problem {
                Ok(what) => cx.report(
                    Finding::new(format!(
                        "`{name}` of the `Aad` kind of `{}` is {what}, not text or a one-parameter function",
                        kind.name
                    ))
                    .primary(file, field.value.span)
                    .help(format!("make `{name}` text, or a function of the data source path")),
                ),
                Err(computed) => cx.report_review(
                    Finding::new(computed_message(
                        &format!("`{name}` of the `Aad` kind of `{}`", kind.name),
                        &computed,
                    ))
                    .primary(file, field.value.span),
                ),
            }
        }
    }
}

/// Whether every data source function of the Kind has exactly one path parameter ascribed
/// `Uri.Type`, so the engine can derive the `Resource`.
fn derives_resource<'a>(
    connector: &Connector<'a>,
    kind: &KindRecord<'a>,
) -> Result<bool, Computed> {
    for data_source in kind.data_sources(connector) {
        let shape = data_source.shape.as_ref().map_err(|computed| Computed {
            span: computed.span,
            reason: format!(
                "the parameter list of `{}`: {}",
                data_source.name(),
                computed.reason
            ),
        })?;
        let paths: Vec<_> = shape
            .params
            .iter()
            .filter(|p| is_path_parameter(&connector.resolver, p))
            .collect();
        if !matches!(paths.as_slice(), [only] if only.type_name == "Uri.Type") {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::INCOMPLETE_AAD_FIELDS;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose data source function is `function` (with `Impl` defined) and whose only
    /// authentication kind is `Aad = aad`.
    fn aad(function: &str, aad: &str) -> Fixture {
        Fixture::finch()
            .set("Finch.Contents", function)
            .replace("[Anonymous = []]", &format!("[Aad = {aad}]"))
            .members("Impl = (url) => url;")
    }

    const URI_TYPED: &str = "Value.ReplaceType(Impl, type function (url as Uri.Type) as any)";

    /// Complete records pass, as does a missing `Resource` with a `Uri.Type` path; missing
    /// fields and wrong value types fail; computed values are info.
    #[test]
    fn incomplete_aad_fields() {
        let cases = RuleCase::new(&INCOMPLETE_AAD_FIELDS)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                aad(
                    "(url as text) => url",
                    "[AuthorizationUri = \"https://login.example/authorize\", Resource = \"https://finch.example\"]",
                ),
                aad(
                    URI_TYPED,
                    "[AuthorizationUri = (path) => \"https://login.example/\" & path, Scope = \"user.read\"]",
                ),
            ])
            .fail([
                aad(
                    "(url as text) => url",
                    "[AuthorizationUri = \"https://login.example/authorize\"]",
                ),
                aad(URI_TYPED, "[Resource = 1, Scope = (a, b) => a]"),
                aad(URI_TYPED, "[AuthorizationUri = GetUri(), Resource = \"r\"]"),
                aad(
                    "Other",
                    "[AuthorizationUri = \"https://login.example/authorize\"]",
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
