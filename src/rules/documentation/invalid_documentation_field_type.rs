//! PQ504: a documentation metadata field has the wrong type.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::Kinds;
use crate::model::eval::resolve::{Env, Resolved, Resolver};
use crate::rules::values::{Checked, Expected, check_type};
use crate::rules::{Context, Priority};
use crate::syntax::ast::{ExprKind, Field};

declare_rule! {
    /// ## What it checks
    /// A `Documentation.*`, `Formatting.*` or `DataSource.Path` metadata field has the wrong type.
    ///
    /// In every `meta` record of the section document and modules: `Documentation.Name`,
    /// `LongDescription`, `FieldCaption` and `FieldDescription` must be text
    /// (`Extension.LoadString` counts as text); `SampleValues`, `AllowedValues` and `Examples`
    /// lists; each `Examples` item a record with only `Description`, `Code` and `Result`, all
    /// text; `Formatting.IsMultiLine`, `Formatting.IsCode` and `DataSource.Path` logicals.
    /// Computed values are reported at info.
    ///
    /// ## Why it matters
    /// Get Data and the invocation dialog read these fields with these types; a value of
    /// another type is ignored or breaks the dialog.
    ///
    /// ## Example
    /// `Documentation.SampleValues = "https://contoso.example"` or
    /// `Formatting.IsMultiLine = "true"`.
    ///
    /// Use instead: `Documentation.SampleValues = {"https://contoso.example"}` and
    /// `Formatting.IsMultiLine = true`.
    pub(crate) static INVALID_DOCUMENTATION_FIELD_TYPE = Rule {
        code: "PQ504",
        name: "invalid-documentation-field-type",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

/// Metadata fields and the types the UI reads them as.
const FIELD_TYPES: &[(&str, Expected)] = &[
    ("Documentation.Name", Expected::Text),
    ("Documentation.LongDescription", Expected::Text),
    ("Documentation.FieldCaption", Expected::Text),
    ("Documentation.FieldDescription", Expected::Text),
    ("Documentation.SampleValues", Expected::List),
    ("Documentation.AllowedValues", Expected::List),
    ("Documentation.Examples", Expected::List),
    ("Formatting.IsMultiLine", Expected::Logical),
    ("Formatting.IsCode", Expected::Logical),
    ("DataSource.Path", Expected::Logical),
];

/// The fields of a documentation example.
const EXAMPLE_FIELDS: [&str; 3] = ["Description", "Code", "Result"];

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let resolver = &connector.resolver;
    let mut records: Vec<(&[Field], Env<'_>)> = Vec::new();
    cx.for_each_expr_of(Kinds::META, |expr, env, _| {
        let ExprKind::Meta { meta, .. } = &expr.kind else {
            return;
        };
        if let Some((fields, env)) = resolver.record(meta, env)
            && !records.iter().any(|(seen, _)| std::ptr::eq(*seen, fields))
        {
            records.push((fields, env));
        }
    });
    for (fields, env) in records {
        let inner = env.with_record(env.file(), fields);
        for field in fields {
            let Some((_, expected)) = FIELD_TYPES
                .iter()
                .find(|(name, _)| field.name.name == *name)
            else {
                continue;
            };
            let name = format!("`{}`", field.name.name);
            let ok = report_type(cx, resolver, &name, field, &inner, *expected);
            if ok && field.name.name == "Documentation.Examples" {
                check_examples(cx, resolver, field, &inner);
            }
        }
    }
}

/// Reports a field of the wrong type; whether it has the right one.
fn report_type<'a>(
    cx: &mut Context<'_>,
    resolver: &Resolver<'a>,
    name: &str,
    field: &'a Field,
    env: &Env<'a>,
    expected: Expected,
) -> bool {
    let file = env.file();
    match check_type(resolver, &field.value, env, expected) {
        Checked::Ok => true,
        Checked::Wrong(what) => {
            cx.report(
                Finding::new(format!("{name} is {what}, not {}", expected.describe()))
                    .primary(file, field.value.span)
                    .help(format!("make {name} {}", expected.describe())),
            );
            false
        }
        Checked::Unknown(reason) => {
            cx.report_review(
                Finding::new(format!(
                    "could not be checked statically: {name} ({reason})"
                ))
                .primary(file, field.value.span),
            );
            false
        }
    }
}

fn check_examples<'a>(
    cx: &mut Context<'_>,
    resolver: &Resolver<'a>,
    examples: &'a Field,
    env: &Env<'a>,
) {
    let Some((items, items_env)) = resolver.list(&examples.value, env) else {
        return;
    };
    let file = items_env.file();
    for (index, item) in items.iter().enumerate() {
        let ordinal = index + 1;
        let (fields, record_env) = match resolver.resolve(item, &items_env) {
            Resolved::Record(fields, record_env) => (fields, record_env),
            Resolved::Computed(computed) => {
                cx.report_review(
                    Finding::new(format!(
                        "could not be checked statically: `Documentation.Examples` item {ordinal} ({})",
                        computed.reason
                    ))
                    .primary(file, item.span),
                );
                continue;
            }
            Resolved::Param { .. } => continue,
            other => {
                cx.report(
                    Finding::new(format!(
                        "`Documentation.Examples` item {ordinal} is {}, not a record",
                        other.describe()
                    ))
                    .primary(file, item.span)
                    .help("write each example as `[Description = \"…\", Code = \"…\", Result = \"…\"]`"),
                );
                continue;
            }
        };
        let inner = record_env.with_record(record_env.file(), fields);
        for field in fields {
            if EXAMPLE_FIELDS.contains(&field.name.name.as_str()) {
                let name = format!(
                    "`Documentation.Examples` item {ordinal} `{}`",
                    field.name.name
                );
                report_type(cx, resolver, &name, field, &inner, Expected::Text);
            } else {
                cx.report(
                    Finding::new(format!(
                        "`Documentation.Examples` item {ordinal} has a field `{}`",
                        field.name.name
                    ))
                    .primary(inner.file(), field.name.span)
                    .help("examples have only `Description`, `Code` and `Result`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::INVALID_DOCUMENTATION_FIELD_TYPE as RULE;
    use crate::testing::{Fixture, RuleCase};

    const GOOD: &str = r#"Value.ReplaceType(Impl, type function (
    url as (text meta [Documentation.FieldCaption = Extension.LoadString("Caption"), Documentation.SampleValues = {"https://f.example"}, Formatting.IsMultiLine = false, DataSource.Path = true]),
    optional mode as (text meta [Documentation.AllowedValues = {"a", "b"}, Formatting.IsCode = true])
) as table meta [
    Documentation.Name = "Finch",
    Documentation.LongDescription = "Finch data",
    Documentation.Examples = {[Description = "d", Code = "Finch.Contents(""x"")", Result = "a table"]}
])"#;

    const BAD: &str = r#"Value.ReplaceType(Impl, type function (
    url as (text meta [Documentation.FieldCaption = 1, Documentation.SampleValues = "https://f.example", Formatting.IsMultiLine = "true"]),
    optional mode as (text meta Docs)
) as table meta [
    Documentation.Name = {"Finch"},
    Documentation.LongDescription = Text.Combine({"a", "b"}),
    Documentation.Examples = {"Finch.Contents()", [Description = "d", Code = 1, Output = "t"]}
])"#;

    /// Fields of the documented types pass (a missing resource string is still text); wrong
    /// types and malformed examples fail; computed values are info.
    #[test]
    fn invalid_documentation_field_type() {
        let cases = RuleCase::new(&RULE)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                Fixture::finch()
                    .set("Finch.Contents", GOOD)
                    .members("Impl = (url, optional mode) => url;"),
            ])
            .fail([Fixture::finch()
                .set("Finch.Contents", BAD)
                .members("Impl = (url, optional mode) => url;\nDocs = [DataSource.Path = 0];")]);
        insta::assert_snapshot!(cases.run());
    }
}
