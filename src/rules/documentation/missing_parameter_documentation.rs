//! PQ503: a parameter of a documented function has no caption or description.
use super::is_documented;
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::Kinds;
use crate::model::eval::follow::follow;
use crate::model::eval::resolve::{Env, MAX_RESOLVE_STEPS};
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::ast::{ExprKind, Type, TypeKind};

declare_rule! {
    /// ## What it checks
    /// A parameter of a documented data source function lacks `Documentation.FieldCaption` or `FieldDescription`.
    ///
    /// Only functions with some documentation are checked (PQ501 reports the others); the
    /// fields are looked for in the `meta` record of each parameter's type. An options record
    /// parameter without caption and description whose record type documents its own fields (the SDK's
    /// `optional options as (type nullable [a = (type text meta [Documentation.FieldCaption =
    /// …])])` pattern) is documented by those fields.
    ///
    /// ## Why it matters
    /// The invocation dialog shows the caption as the input's label and the description beside
    /// it; without them users see the raw parameter name.
    ///
    /// ## Example
    /// `type function (url as Uri.Type) as table meta [Documentation.Name = "Contoso", …]`
    ///
    /// Use instead: `url as (Uri.Type meta [Documentation.FieldCaption = "Service URL",
    /// Documentation.FieldDescription = "The address of your Contoso service"])`.
    pub(crate) static MISSING_PARAMETER_DOCUMENTATION = Rule {
        code: "PQ503",
        name: "missing-parameter-documentation",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

const REQUIRED: [&str; 2] = [
    "Documentation.FieldCaption",
    "Documentation.FieldDescription",
];

fn check(cx: &mut Context<'_>) {
    for data_source in cx.connector().data_sources() {
        let Ok(shape) = &data_source.shape else {
            continue;
        };
        if !is_documented(shape) {
            continue;
        }
        for param in &shape.params {
            let missing: Vec<&str> = REQUIRED
                .into_iter()
                .filter(|name| param.metadata_field(name).is_none())
                .collect();
            if missing.is_empty()
                || (missing.len() == REQUIRED.len()
                    && documents_record_fields(cx, data_source.file, param.span))
            {
                continue;
            }
            let listed = missing
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(" or ");
            cx.report(
                Finding::new(format!(
                    "parameter `{}` of `{}` has no {listed}",
                    param.name,
                    data_source.name()
                ))
                .primary(data_source.file, param.span)
                .help(format!(
                    "give the parameter type a `meta` record with {}",
                    missing
                        .iter()
                        .map(|name| format!("`{name}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                )),
            );
        }
    }
}

/// Whether the function-type parameter at `param_span` has a record type some of whose fields
/// carry `Documentation.*` metadata.
fn documents_record_fields(cx: &Context<'_>, file: FileId, param_span: Span) -> bool {
    let mut found = false;
    cx.for_each_expr_of(Kinds::TYPE, |expr, env, expr_file| {
        if found || expr_file != file {
            return;
        }
        let ExprKind::Type(ty) = &expr.kind else {
            return;
        };
        let TypeKind::Function(function) = &ty.kind else {
            return;
        };
        if let Some(param_type) = function
            .params
            .iter()
            .find(|p| p.span == param_span)
            .and_then(|p| p.ty.as_ref())
        {
            found = record_fields_documented(param_type, env);
        }
    });
    found
}

/// Through `nullable`, parentheses, `type` and names to a record type; whether one of its
/// field types has a `meta` record with a `Documentation.*` field.
fn record_fields_documented<'a>(ty: &'a Type, env: &Env<'a>) -> bool {
    let mut current = (ty, env.clone());
    for _ in 0..MAX_RESOLVE_STEPS {
        let (ty, env) = current;
        match &ty.kind {
            TypeKind::Nullable(inner) => current = (inner, env),
            TypeKind::Record { fields, .. } => {
                return fields
                    .iter()
                    .filter_map(|field| field.ty.as_ref())
                    .any(|field_type| has_documentation_meta(field_type, &env));
            }
            TypeKind::Expr(expr) => {
                let (expr, env) = follow(expr, &env);
                let ExprKind::Type(inner) = &expr.kind else {
                    return false;
                };
                current = (inner, env);
            }
            _ => return false,
        }
    }
    false
}

/// `(type T meta [Documentation.… = …])` as a field type.
fn has_documentation_meta<'a>(ty: &'a Type, env: &Env<'a>) -> bool {
    let TypeKind::Expr(expr) = &ty.kind else {
        return false;
    };
    let mut expr = &**expr;
    while let ExprKind::Parens(inner) = &expr.kind {
        expr = inner;
    }
    let ExprKind::Meta { meta, .. } = &expr.kind else {
        return false;
    };
    let (meta, _) = follow(meta, env);
    matches!(&meta.kind, ExprKind::Record(fields) if fields.iter().any(|f| f.name.name.starts_with("Documentation.")))
}

#[cfg(test)]
mod tests {
    use super::MISSING_PARAMETER_DOCUMENTATION as RULE;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose data source function is `function`.
    fn function(function: &str) -> Fixture {
        Fixture::finch().set("Finch.Contents", function)
    }

    /// Captioned and described parameters pass, as do fields of an options record;
    /// undocumented functions are PQ501's. Parameters without caption, description or
    /// metadata are reported.
    #[test]
    fn missing_parameter_documentation() {
        let cases = RuleCase::new(&RULE)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                function(
                    "Value.ReplaceType(Impl, type function (x as (text meta [Documentation.FieldCaption = \"X\", Documentation.FieldDescription = \"The x\"])) as any meta [Documentation.Name = \"F\"])",
                )
                .members("Impl = (x) => x;"),
                function("(x) => x"),
                function(
                    "Value.ReplaceType(Impl, type function (optional options as (type nullable [optional a = (type text meta [Documentation.FieldCaption = \"A\"])] meta [])) as any meta [Documentation.Name = \"F\"])",
                )
                .members("Impl = (optional options) => options;"),
            ])
            .fail([function("Value.ReplaceType(Impl, FinchType)").members(
                "Impl = (x, y, z) => x;\nFinchType = type function (x as (text meta [Documentation.FieldCaption = \"X\"]), optional y as number, optional z as record) as any meta [Documentation.Name = \"F\"];",
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
