//! PQ309: `NativeQueryProperties` is not in a documented shape.
use super::{Publish, not_static, publish_records};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::field;
use crate::model::eval::resolve::{Env, Resolved, Resolver};
use crate::rules::values::{Checked, Expected, check_type};
use crate::rules::{Context, Priority};
use crate::syntax::ast::{Expr, Field};

declare_rule! {
    /// ## What it checks
    /// `NativeQueryProperties` is not in one documented shape, or the connector makes no `Odbc.DataSource` call.
    ///
    /// Two shapes are documented, with exact-case names, and one record must not mix them.
    /// Current: `NavigationSteps` is a list of records with `Indices` (a list of records, each
    /// `FieldDisplayName` + `IndexName` or `ConstantValue` + `IndexName`) and `FieldAccess`
    /// (text), with an optional `DefaultOptions` record. Earlier: `navigationSteps`, `indices`
    /// (`value` or `displayName`, with `indexName`), `access`, and an optional
    /// `nativeQueryOptions` record. Computed parts are reported at info.
    ///
    /// ## Why it matters
    /// The engine reads these names case-sensitively and ignores the rest, so a misspelt or
    /// mixed record silently disables native queries. Native queries are supported only for
    /// SQL-92 ODBC connectors.
    ///
    /// ## Example
    /// `NativeQueryProperties = [NavigationSteps = {[indices = {…}, FieldAccess = "Data"]}]`
    ///
    /// Use instead: `NavigationSteps = {[Indices = {[FieldDisplayName = "Database", IndexName =
    /// "Name"], [ConstantValue = "Database", IndexName = "Kind"]}, FieldAccess = "Data"]}`.
    pub(crate) static INVALID_NATIVE_QUERY_PROPERTIES = Rule {
        code: "PQ309",
        name: "invalid-native-query-properties",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

/// The field names of one documented shape.
struct Shape {
    name: &'static str,
    steps: &'static str,
    options: &'static str,
    indices: &'static str,
    access: &'static str,
    index_name: &'static str,
    index_values: [&'static str; 2],
}

const CURRENT: Shape = Shape {
    name: "current",
    steps: "NavigationSteps",
    options: "DefaultOptions",
    indices: "Indices",
    access: "FieldAccess",
    index_name: "IndexName",
    index_values: ["FieldDisplayName", "ConstantValue"],
};

const EARLIER: Shape = Shape {
    name: "earlier",
    steps: "navigationSteps",
    options: "nativeQueryOptions",
    indices: "indices",
    access: "access",
    index_name: "indexName",
    index_values: ["value", "displayName"],
};

impl Shape {
    fn names(&self) -> [&'static str; 7] {
        [
            self.steps,
            self.options,
            self.indices,
            self.access,
            self.index_name,
            self.index_values[0],
            self.index_values[1],
        ]
    }

    fn other(&self) -> &'static Shape {
        if self.name == CURRENT.name {
            &EARLIER
        } else {
            &CURRENT
        }
    }
}

const FIELD: &str = "NativeQueryProperties";

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let has_odbc = connector
        .calls()
        .iter()
        .any(|c| c.name == "Odbc.DataSource");
    for publish in publish_records(cx) {
        let Some(properties) = publish.field(FIELD) else {
            continue;
        };
        if !has_odbc {
            cx.report(
                publish.required_by(
                    Finding::new(format!(
                        "`{FIELD}` is set but the connector makes no `Odbc.DataSource` call"
                    ))
                    .primary(publish.file, properties.name.span)
                    .help("native queries are supported only for SQL-92 ODBC connectors: remove the field"),
                ),
            );
        }
        check_properties(cx, &connector.resolver, &publish, properties);
    }
}

fn check_properties<'a>(
    cx: &mut Context<'_>,
    resolver: &Resolver<'a>,
    publish: &Publish<'a>,
    properties: &'a Field,
) {
    let what = format!("`{FIELD}`");
    let Some((fields, env)) = record(cx, resolver, &properties.value, &publish.env, &what) else {
        return;
    };
    let file = env.file();
    let shape = if field(fields, CURRENT.steps).is_some() {
        &CURRENT
    } else if field(fields, EARLIER.steps).is_some() {
        &EARLIER
    } else {
        cx.report(
            Finding::new(format!("`{FIELD}` has no `{}`", CURRENT.steps))
                .primary(file, properties.name.span)
                .help(format!(
                    "add `{} = {{[{} = {{…}}, {} = \"Data\"]}}`",
                    CURRENT.steps, CURRENT.indices, CURRENT.access
                )),
        );
        return;
    };
    let inner = record_env(&env, fields);
    check_fields(
        cx,
        shape,
        FIELD,
        fields,
        &inner,
        &[shape.steps, shape.options],
    );
    if let Some(options) = field(fields, shape.options) {
        expect_type(cx, resolver, options, &inner, Expected::Record);
    }
    let Some(steps) = field(fields, shape.steps) else {
        return;
    };
    for (step, step_fields, step_env) in list_of_records(cx, resolver, steps, &inner) {
        let step_env = record_env(&step_env, step_fields);
        check_fields(
            cx,
            shape,
            shape.steps,
            step_fields,
            &step_env,
            &[shape.indices, shape.access],
        );
        for required in [shape.indices, shape.access] {
            if field(step_fields, required).is_none() {
                report_missing(cx, shape.steps, required, step_fields, step, &step_env);
            }
        }
        if let Some(access) = field(step_fields, shape.access) {
            expect_type(cx, resolver, access, &step_env, Expected::Text);
        }
        let Some(indices) = field(step_fields, shape.indices) else {
            continue;
        };
        for (index_expr, index, index_env) in list_of_records(cx, resolver, indices, &step_env) {
            let index_env = record_env(&index_env, index);
            let allowed = [
                shape.index_name,
                shape.index_values[0],
                shape.index_values[1],
            ];
            check_fields(cx, shape, shape.indices, index, &index_env, &allowed);
            if field(index, shape.index_name).is_none() {
                report_missing(
                    cx,
                    shape.indices,
                    shape.index_name,
                    index,
                    index_expr,
                    &index_env,
                );
            }
            let values: Vec<&Field> = shape
                .index_values
                .iter()
                .filter_map(|name| field(index, name))
                .collect();
            if values.len() != 1 {
                let [first, second] = shape.index_values;
                cx.report(
                    Finding::new(format!(
                        "an `{}` record needs exactly one of `{first}` and `{second}`",
                        shape.indices
                    ))
                    .primary(index_env.file(), index_expr.span)
                    .help(format!(
                        "give `{first}` or `{second}`, with `{}`",
                        shape.index_name
                    )),
                );
            }
            for value_field in values.into_iter().chain(field(index, shape.index_name)) {
                expect_type(cx, resolver, value_field, &index_env, Expected::Text);
            }
        }
    }
}

/// Reports fields not in `allowed`, naming the shape they come from or their exact case.
fn check_fields(
    cx: &mut Context<'_>,
    shape: &Shape,
    within: &str,
    fields: &[Field],
    env: &Env<'_>,
    allowed: &[&str],
) {
    let file = env.file();
    for field in fields {
        let name = field.name.name.as_str();
        if allowed.contains(&name) {
            continue;
        }
        let (message, help) = if let Some(exact) =
            allowed.iter().find(|a| a.eq_ignore_ascii_case(name))
        {
            (
                format!(
                    "`{within}` field `{name}` does not match `{exact}`: names are case-sensitive"
                ),
                format!("rename it `{exact}`"),
            )
        } else if shape.other().names().contains(&name) {
            (
                format!(
                    "`{FIELD}` mixes documented shapes: `{name}` is from the {} shape, `{}` from the {}",
                    shape.other().name,
                    shape.steps,
                    shape.name
                ),
                format!(
                    "use the {} shape's names throughout: {}",
                    shape.name,
                    list(allowed)
                ),
            )
        } else {
            (
                format!("`{within}` has an unexpected field `{name}`"),
                format!("expected {}", list(allowed)),
            )
        };
        cx.report(
            Finding::new(message)
                .primary(file, field.name.span)
                .help(help),
        );
    }
}

/// Reports a missing required field, unless a field differing only in case stands for it
/// (reported by [`check_fields`]).
fn report_missing(
    cx: &mut Context<'_>,
    within: &str,
    name: &str,
    fields: &[Field],
    at: &Expr,
    env: &Env<'_>,
) {
    if fields
        .iter()
        .any(|f| f.name.name.eq_ignore_ascii_case(name))
    {
        return;
    }
    cx.report(
        Finding::new(format!("a `{within}` record has no `{name}`"))
            .primary(env.file(), at.span)
            .help(format!("add `{name}` to every `{within}` record")),
    );
}

/// Checks a field's type; computed values are info.
fn expect_type<'a>(
    cx: &mut Context<'_>,
    resolver: &Resolver<'a>,
    field: &'a Field,
    env: &Env<'a>,
    expected: Expected,
) {
    let file = env.file();
    let name = &field.name.name;
    match check_type(resolver, &field.value, env, expected) {
        Checked::Ok => {}
        Checked::Wrong(what) => cx.report(
            Finding::new(format!("`{name}` is {what}, not {}", expected.describe()))
                .primary(file, field.value.span)
                .help(format!("make `{name}` {}", expected.describe())),
        ),
        Checked::Unknown(reason) => cx.report_review(
            Finding::new(not_static(&format!("`{name}`"), &reason)).primary(file, field.value.span),
        ),
    }
}

/// The record `expr` is; reports (and gives `None`) otherwise.
fn record<'a>(
    cx: &mut Context<'_>,
    resolver: &Resolver<'a>,
    expr: &'a Expr,
    env: &Env<'a>,
    what: &str,
) -> Option<(&'a [Field], Env<'a>)> {
    let file = env.file();
    match resolver.resolve(expr, env) {
        Resolved::Record(fields, env) => Some((fields, env)),
        Resolved::Computed(computed) => {
            cx.report_review(
                Finding::new(not_static(what, &computed.reason)).primary(file, expr.span),
            );
            None
        }
        Resolved::Param { .. } => None,
        other => {
            cx.report(
                Finding::new(format!("{what} is {}, not a record", other.describe()))
                    .primary(file, expr.span)
                    .help(format!("make {what} a record")),
            );
            None
        }
    }
}

/// The records of a list field; reports items and values of other kinds.
fn list_of_records<'a>(
    cx: &mut Context<'_>,
    resolver: &Resolver<'a>,
    list_field: &'a Field,
    env: &Env<'a>,
) -> Vec<(&'a Expr, &'a [Field], Env<'a>)> {
    let name = list_field.name.name.as_str();
    let file = env.file();
    let (items, items_env) = match resolver.resolve(&list_field.value, env) {
        Resolved::List(items, items_env) => (items, items_env),
        Resolved::Computed(computed) => {
            cx.report_review(
                Finding::new(not_static(&format!("`{name}`"), &computed.reason))
                    .primary(file, list_field.value.span),
            );
            return Vec::new();
        }
        Resolved::Param { .. } => return Vec::new(),
        other => {
            cx.report(
                Finding::new(format!(
                    "`{name}` is {}, not a list of records",
                    other.describe()
                ))
                .primary(file, list_field.value.span)
                .help(format!("make `{name}` a list of records")),
            );
            return Vec::new();
        }
    };
    let what = format!("an item of `{name}`");
    items
        .iter()
        .filter_map(|item| {
            let (fields, env) = record(cx, resolver, item, &items_env, &what)?;
            Some((item, fields, env))
        })
        .collect()
}

/// The environment inside a record's fields, so their values see their siblings.
fn record_env<'a>(env: &Env<'a>, fields: &'a [Field]) -> Env<'a> {
    env.with_record(env.file(), fields)
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::INVALID_NATIVE_QUERY_PROPERTIES as RULE;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose Publish record holds `NativeQueryProperties = properties`.
    fn properties(properties: &str) -> Fixture {
        Fixture::finch().set(
            "Finch.Publish",
            &format!("[NativeQueryProperties = {properties}]"),
        )
    }

    /// The same, in a connector that calls `Odbc.DataSource`.
    fn odbc(properties_: &str) -> Fixture {
        properties(properties_).members("Impl = (dsn) => Odbc.DataSource([DSN = dsn]);")
    }

    /// Both documented shapes pass in an ODBC connector. Mixed shapes, wrong case, missing
    /// and unexpected fields fail; so does a connector without `Odbc.DataSource`.
    #[test]
    fn invalid_native_query_properties() {
        let cases = RuleCase::new(&RULE)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                odbc(
                    r#"[NavigationSteps = {[Indices = {[FieldDisplayName = "Database", IndexName = "Name"], [ConstantValue = "Database", IndexName = "Kind"]}, FieldAccess = "Data"]}, DefaultOptions = [EnableFolding = true]]"#,
                ),
                odbc(
                    r#"[navigationSteps = {[indices = {[value = "database", indexName = "Name"], [displayName = "Database", indexName = "Kind"]}, access = "Data"]}, nativeQueryOptions = [EnableFolding = true]]"#,
                ),
            ])
            .fail([
                odbc(
                    r#"[NavigationSteps = {[indices = {[FieldDisplayName = "Database", IndexName = "Name"]}, FieldAccess = "Data"]}]"#,
                ),
                odbc(
                    r#"[NavigationSteps = {[Indices = {[Fielddisplayname = "Database", IndexName = "Name", ConstantValue = "x"]}, FieldAccess = 1]}, Options = []]"#,
                ),
                odbc("[Steps = {}]"),
                odbc(r#"[NavigationSteps = {[FieldAccess = "Data"], "step"}]"#),
                properties(
                    r#"[NavigationSteps = {[Indices = {[ConstantValue = "x", IndexName = "Kind"]}, FieldAccess = "Data"]}]"#,
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
