//! Function shapes: the parameters and documentation of a data source function, read through
//! names, `let … in` results, parentheses and `Value.ReplaceType(f, t)`, whose `type function`
//! gives the parameters, their types and metadata.

use crate::model::eval::follow::{Visit, seek, transparent};
use crate::model::eval::resolve::{Computed, Definition, Env, call_of, step_through};
use crate::source::Span;
use crate::syntax::ast::{Expr, ExprKind, Field, Function, FunctionType, Param, Type, TypeKind};

/// Definitions followed while looking for a function shape.
const MAX_SHAPE_STEPS: usize = 64;

/// What a data source function looks like from outside.
#[derive(Clone)]
pub struct FunctionShape<'a> {
    pub params: Vec<ParamInfo<'a>>,
    /// The `meta` record on the function type (`Documentation.Name`, …).
    pub metadata: Option<(&'a [Field], Env<'a>)>,
    /// Whether the shape came from a `type function` via `Value.ReplaceType`.
    pub ascribed: bool,
    /// The function expression that implements it, when found.
    pub implementation: Option<&'a Function>,
    /// The function type or function expression the parameters come from.
    pub span: Span,
    /// The written return type, `any` when absent.
    pub return_type: String,
}

/// One parameter.
#[derive(Clone)]
pub struct ParamInfo<'a> {
    pub name: String,
    pub span: Span,
    pub optional: bool,
    /// The type as written, without metadata (`text`, `Uri.Type`, `nullable number`); `any`
    /// when untyped.
    pub type_name: String,
    /// The `meta` record on the parameter type (`Documentation.FieldCaption`, …).
    pub metadata: Option<(&'a [Field], Env<'a>)>,
}

impl<'a> FunctionShape<'a> {
    /// Required parameters, in order.
    pub fn required(&self) -> impl Iterator<Item = &ParamInfo<'a>> {
        self.params.iter().filter(|p| !p.optional)
    }

    /// A field of the function-type metadata.
    pub fn metadata_field(&self, name: &str) -> Option<(&'a Field, Env<'a>)> {
        let (fields, env) = self.metadata.as_ref()?;
        fields
            .iter()
            .find(|f| f.name.name == name)
            .map(|f| (f, env.clone()))
    }

    /// `name as type, optional name as type` for summaries.
    pub fn signature(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| {
                format!(
                    "{}{} as {}",
                    if p.optional { "optional " } else { "" },
                    p.name,
                    p.type_name
                )
            })
            .collect();
        format!("({}) as {}", params.join(", "), self.return_type)
    }
}

impl<'a> ParamInfo<'a> {
    /// A field of the parameter metadata.
    pub fn metadata_field(&self, name: &str) -> Option<(&'a Field, Env<'a>)> {
        let (fields, env) = self.metadata.as_ref()?;
        fields
            .iter()
            .find(|f| f.name.name == name)
            .map(|f| (f, env.clone()))
    }
}

/// The shape of the function `expr` evaluates to.
pub fn function_shape<'a>(expr: &'a Expr, env: &Env<'a>) -> Result<FunctionShape<'a>, Computed> {
    let mut steps = MAX_SHAPE_STEPS;
    shape_within(expr, env, &mut steps)
}

/// [`function_shape`] within a budget of steps shared with the nested calls it makes, so a
/// definition that refers to itself (`F = Value.ReplaceType(F, …)`) ends, without recursing
/// until the stack runs out.
fn shape_within<'a>(
    expr: &'a Expr,
    env: &Env<'a>,
    steps: &mut usize,
) -> Result<FunctionShape<'a>, Computed> {
    let found = seek(expr, env, transparent, |expr, env| {
        if *steps == 0 {
            return Visit::Stop;
        }
        *steps -= 1;
        match &expr.kind {
            ExprKind::Ident(ident) if step_through(expr, env).is_none() => {
                let reason = format!("`{}` is not defined in the connector", ident.name);
                Visit::Found(Err(computed(expr.span, reason)))
            }
            ExprKind::Function(function) => Visit::Found(Ok(from_function(function, expr.span))),
            _ if transparent(expr, env).is_some() => Visit::Step,
            _ => Visit::Found(replaced_type(expr, env, steps)),
        }
    });
    found.unwrap_or_else(|| {
        Err(computed(
            expr.span,
            "the definition chain is too long or cyclic",
        ))
    })
}

/// The shape of `Value.ReplaceType(implementation, type)`: the type's, with the
/// implementation's function when it has one.
fn replaced_type<'a>(
    expr: &'a Expr,
    env: &Env<'a>,
    steps: &mut usize,
) -> Result<FunctionShape<'a>, Computed> {
    let Some(("Value.ReplaceType", args)) = call_of(expr) else {
        let reason = match call_of(expr) {
            Some((callee, _)) => format!("the result of calling `{callee}`"),
            None => "not a function expression, a name or `Value.ReplaceType`".to_owned(),
        };
        return Err(computed(expr.span, reason));
    };
    let [implementation, ty] = args else {
        return Err(computed(
            expr.span,
            "`Value.ReplaceType` needs two arguments",
        ));
    };
    let implementation = shape_within(implementation, env, steps)
        .ok()
        .and_then(|s| s.implementation);
    let mut shape = type_shape(ty, env)?;
    shape.implementation = implementation;
    Ok(shape)
}

fn from_function(function: &Function, span: Span) -> FunctionShape<'_> {
    FunctionShape {
        params: function
            .params
            .iter()
            .map(|p| param_info(p, None))
            .collect(),
        metadata: None,
        ascribed: false,
        implementation: Some(function),
        span,
        return_type: function
            .return_type
            .as_ref()
            .map_or_else(|| "any".to_owned(), type_name),
    }
}

/// The shape described by a `type function (…) meta […]` value, through names.
fn type_shape<'a>(expr: &'a Expr, env: &Env<'a>) -> Result<FunctionShape<'a>, Computed> {
    let mut metadata = None;
    let found = seek(expr, env, step_through, |expr, env| match &expr.kind {
        _ if step_through(expr, env).is_some() => Visit::Step,
        ExprKind::Meta { value, meta } => {
            if metadata.is_none() {
                metadata = record_of(meta, env);
            }
            Visit::Into(value, env.clone())
        }
        ExprKind::Ident(ident) => {
            let reason = format!("the type `{}` is not defined in the connector", ident.name);
            Visit::Found(Err(computed(expr.span, reason)))
        }
        ExprKind::Type(ty) => Visit::Found(match &ty.kind {
            TypeKind::Function(function_type) => Ok(from_function_type(
                function_type,
                metadata.take(),
                env.clone(),
                ty.span,
            )),
            _ => Err(computed(expr.span, "the type is not a `type function`")),
        }),
        _ => Visit::Found(Err(computed(expr.span, "the function type is computed"))),
    });
    found.unwrap_or_else(|| {
        Err(computed(
            expr.span,
            "the definition chain is too long or cyclic",
        ))
    })
}

fn from_function_type<'a>(
    function_type: &'a FunctionType,
    metadata: Option<(&'a [Field], Env<'a>)>,
    env: Env<'a>,
    span: Span,
) -> FunctionShape<'a> {
    FunctionShape {
        params: function_type
            .params
            .iter()
            .map(|p| param_info(p, Some(&env)))
            .collect(),
        metadata,
        ascribed: true,
        implementation: None,
        span,
        return_type: type_name(&function_type.return_type),
    }
}

fn param_info<'a>(param: &'a Param, env: Option<&Env<'a>>) -> ParamInfo<'a> {
    let (type_name, metadata) = match (&param.ty, env) {
        (Some(ty), Some(env)) => type_with_metadata(ty, env),
        (Some(ty), None) => (type_name(ty), None),
        (None, _) => ("any".to_owned(), None),
    };
    ParamInfo {
        name: param.name.name.to_string(),
        span: param.span,
        optional: param.optional,
        type_name,
        metadata,
    }
}

/// A parameter type's name and its `meta` record, through parentheses and names.
fn type_with_metadata<'a>(ty: &'a Type, env: &Env<'a>) -> (String, Option<(&'a [Field], Env<'a>)>) {
    let TypeKind::Expr(expr) = &ty.kind else {
        return (type_name(ty), None);
    };
    let mut metadata = None;
    let name = seek(expr, env, step_through, |expr, env| match &expr.kind {
        ExprKind::Meta { value, meta } => {
            if metadata.is_none() {
                metadata = record_of(meta, env);
            }
            Visit::Into(value, env.clone())
        }
        ExprKind::Type(inner) => Visit::Found(type_name(inner)),
        ExprKind::Ident(ident) => match env.lookup_at(&ident.name, expr.span) {
            Definition::Value { .. } if !is_type_library_name(&ident.name) => Visit::Step,
            _ => Visit::Found(ident.name.to_string()),
        },
        ExprKind::Parens(_) => Visit::Step,
        _ => Visit::Stop,
    });
    (name.unwrap_or_else(|| "any".to_owned()), metadata)
}

/// Library type names (`Uri.Type`, `Text.Type`) are kept as written.
fn is_type_library_name(name: &str) -> bool {
    name.ends_with(".Type")
}

fn record_of<'a>(expr: &'a Expr, env: &Env<'a>) -> Option<(&'a [Field], Env<'a>)> {
    seek(expr, env, step_through, |expr, env| match &expr.kind {
        ExprKind::Record(fields) => Visit::Found((&**fields, env.with_record(env.file(), fields))),
        _ => Visit::Step,
    })
}

/// A type as written, for messages and `info`.
pub fn type_name(ty: &Type) -> String {
    match &ty.kind {
        TypeKind::Primitive(primitive) => primitive.name().to_owned(),
        TypeKind::Nullable(inner) => format!("nullable {}", type_name(inner)),
        TypeKind::List(inner) => format!("{{{}}}", type_name(inner)),
        TypeKind::Record { .. } => "record".to_owned(),
        TypeKind::Function(_) => "function".to_owned(),
        TypeKind::Table(_) => "table".to_owned(),
        TypeKind::Expr(expr) => match &expr.kind {
            ExprKind::Ident(ident) => ident.name.to_string(),
            ExprKind::Type(inner) => type_name(inner),
            _ => "any".to_owned(),
        },
    }
}

fn computed(span: Span, reason: impl Into<String>) -> Computed {
    Computed {
        span,
        reason: reason.into(),
    }
}
