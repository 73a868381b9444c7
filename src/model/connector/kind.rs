//! Queries on Kind records and their authentication kinds for the 2xx rules: a field with the
//! environment its value is read in, handler functions (`StartLogin`, `TestConnection`) as
//! callables with their parameters, and path parameters of data source functions. Nothing is
//! evaluated: a handler that is not a function expression (through names) is reported as
//! computed or as the kind of value it is.

use crate::model::connector::modules::loaded_module;
use crate::model::connector::{AuthKind, Connector, DataSourceFunction, KindRecord, ParamInfo};
use crate::model::eval::resolve::{
    Computed, Definition, Env, MAX_RESOLVE_STEPS, Resolved, Resolver,
};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Expr, ExprKind, Field, Function, Literal, Postfix};

/// Field accesses followed inside one another (`a[b][c]`, or through names) before giving up.
pub const MAX_FIELD_DEPTH: usize = 16;

/// The authentication kinds the engine knows, exact case (`Implicit` is an alias of `Anonymous`).
pub const AUTHENTICATION_KINDS: &[&str] = &[
    "Anonymous",
    "Implicit",
    "UsernamePassword",
    "Windows",
    "Key",
    "OAuth",
    "Aad",
];

impl<'a> KindRecord<'a> {
    /// Whether the Kind record says `Type = "Singleton"`: a data source with one instance,
    /// whose credentials are keyed by the Kind alone, not by path parameter values.
    pub fn is_singleton(&self, resolver: &Resolver<'a>) -> bool {
        self.field("Type").is_some_and(|(field, env)| {
            resolver
                .text(&field.value, &env)
                .is_ok_and(|text| text == "Singleton")
        })
    }

    /// A field of the Kind record and the environment its value is read in.
    pub fn field(&self, name: &str) -> Option<(&'a Field, Env<'a>)> {
        let (fields, env) = self.fields.as_ref()?;
        fields
            .iter()
            .find(|f| f.name.name == name)
            .map(|f| (f, env.clone()))
    }

    /// The file holding the Kind record.
    pub fn file(&self) -> FileId {
        self.fields
            .as_ref()
            .map_or(self.section_file, |(_, env)| env.file())
    }

    /// Where findings about the whole record point: the member's name.
    pub fn name_span(&self) -> Option<Span> {
        self.member.map(|m| m.name.span)
    }

    /// The authentication kind named exactly `kind`.
    pub fn auth_kind(&self, kind: &str) -> Option<&AuthKind<'a>> {
        self.authentication.iter().find(|a| a.kind() == kind)
    }

    /// The data source functions of this Kind.
    pub fn data_sources<'c>(
        &self,
        connector: &'c Connector<'a>,
    ) -> impl Iterator<Item = &'c DataSourceFunction<'a>> {
        connector.data_sources_of_kind(&self.name)
    }
}

impl<'a> AuthKind<'a> {
    /// A field of the authentication kind's record and the environment its value is read in.
    pub fn handler(&self, name: &str) -> Option<(&'a Field, Env<'a>)> {
        let (fields, env) = self.fields.as_ref()?;
        fields
            .iter()
            .find(|f| f.name.name == name)
            .map(|f| (f, env.clone()))
    }
}

/// A function value: a function expression, or `each body` (one parameter, `_`).
#[derive(Clone)]
pub enum Callable<'a> {
    Function(&'a Function, Env<'a>),
    Each(&'a Expr, Env<'a>),
}

/// What a handler value is.
pub enum HandlerValue<'a> {
    Callable(Callable<'a>),
    /// A literal value that is not a function: `text`, `a record`, ….
    NotAFunction(&'static str),
    Computed(Computed),
}

impl<'a> Callable<'a> {
    /// The number of parameters, optional ones included.
    pub fn arity(&self) -> usize {
        match self {
            Callable::Function(function, _) => function.params.len(),
            Callable::Each(..) => 1,
        }
    }

    /// The body and the environment it is evaluated in (parameters in scope).
    pub fn body(&self) -> (&'a Expr, Env<'a>) {
        match self {
            Callable::Function(function, env) => {
                let file = env.file();
                (&function.body, env.with_params(file, function))
            }
            Callable::Each(body, env) => (body, env.clone()),
        }
    }

    /// The file the function is written in.
    pub fn file(&self) -> FileId {
        match self {
            Callable::Function(_, env) | Callable::Each(_, env) => env.file(),
        }
    }

    /// The span of the parameter list, or of the whole function when it has none.
    pub fn params_span(&self, whole: Span) -> Span {
        match self {
            Callable::Function(function, _) => {
                match (function.params.first(), function.params.last()) {
                    (Some(first), Some(last)) => Span {
                        start: first.span.start,
                        end: last.span.end,
                    },
                    _ => whole,
                }
            }
            Callable::Each(..) => whole,
        }
    }
}

/// Follows names, parentheses, `meta`, `let` results, field access on records (`Auth[Start]`)
/// and module loads (`Extension.LoadFunction("OAuth.pqm")`) to a function expression or `each`.
pub fn handler_value<'a>(
    connector: &Connector<'a>,
    expr: &'a Expr,
    env: &Env<'a>,
) -> HandlerValue<'a> {
    let mut current = (expr, env.clone());
    for _ in 0..MAX_RESOLVE_STEPS {
        let (expr, env) = current;
        match &expr.kind {
            ExprKind::Function(function) => {
                return HandlerValue::Callable(Callable::Function(function, env));
            }
            ExprKind::Each(body) => return HandlerValue::Callable(Callable::Each(body, env)),
            ExprKind::Parens(inner) => current = (inner, env),
            ExprKind::Meta { value, .. } => current = (value, env),
            ExprKind::Let(let_expr) => {
                let file = env.file();
                current = (&let_expr.body, env.with_let(file, &let_expr.bindings));
            }
            ExprKind::Ident(ident) => match env.lookup_at(&ident.name, expr.span) {
                Definition::Value { expr, env, .. } => current = (expr, env),
                Definition::Param { .. } => {
                    return HandlerValue::Computed(Computed {
                        span: expr.span,
                        reason: format!("`{}` is a function parameter", ident.name),
                    });
                }
                Definition::External => {
                    return HandlerValue::Computed(Computed {
                        span: expr.span,
                        reason: format!("`{}` is not defined in the connector", ident.name),
                    });
                }
            },
            ExprKind::Invoke { .. } => match loaded_module(connector, expr, &env) {
                Some(next) => current = next,
                None => return describe(&connector.resolver, expr, &env),
            },
            ExprKind::Postfix { target, ops } => {
                let next = match ops.as_slice() {
                    [Postfix::Field(selector)] => {
                        record_field(connector, target, &env, &selector.name.name)
                    }
                    [Postfix::Invoke { .. }] => loaded_module(connector, expr, &env),
                    _ => None,
                };
                match next {
                    Some(next) => current = next,
                    None => return describe(&connector.resolver, expr, &env),
                }
            }
            _ => return describe(&connector.resolver, expr, &env),
        }
    }
    HandlerValue::Computed(Computed {
        span: expr.span,
        reason: "the definition chain is too long or cyclic".into(),
    })
}

/// What a value that is not a function expression is.
fn describe<'a>(resolver: &Resolver<'a>, expr: &'a Expr, env: &Env<'a>) -> HandlerValue<'a> {
    match resolver.resolve(expr, env) {
        Resolved::Computed(computed) => HandlerValue::Computed(computed),
        Resolved::Param { .. } => HandlerValue::Computed(Computed {
            span: expr.span,
            reason: "a function parameter".into(),
        }),
        other => HandlerValue::NotAFunction(other.describe()),
    }
}

/// The field `name` of the record `target` evaluates to (through names and module loads),
/// with the environment of its value.
pub fn record_field<'a>(
    connector: &Connector<'a>,
    target: &'a Expr,
    env: &Env<'a>,
    name: &str,
) -> Option<(&'a Expr, Env<'a>)> {
    record_field_at_depth(connector, target, env, name, 0)
}

fn record_field_at_depth<'a>(
    connector: &Connector<'a>,
    target: &'a Expr,
    env: &Env<'a>,
    name: &str,
    depth: usize,
) -> Option<(&'a Expr, Env<'a>)> {
    // Nested accesses (`a[b][c]`, or `A = B[x]; B = A[y]`) recurse; cycles end here.
    if depth > MAX_FIELD_DEPTH {
        return None;
    }
    let mut current = (target, env.clone());
    for _ in 0..MAX_RESOLVE_STEPS {
        let (expr, env) = current;
        match &expr.kind {
            ExprKind::Record(fields) => {
                let field = fields.iter().find(|f| f.name.name == name)?;
                let file = env.file();
                return Some((&field.value, env.with_record(file, fields)));
            }
            ExprKind::Parens(inner) => current = (inner, env),
            ExprKind::Meta { value, .. } => current = (value, env),
            ExprKind::Let(let_expr) => {
                let file = env.file();
                current = (&let_expr.body, env.with_let(file, &let_expr.bindings));
            }
            ExprKind::Ident(ident) => match env.lookup_at(&ident.name, expr.span) {
                Definition::Value { expr, env, .. } => current = (expr, env),
                _ => return None,
            },
            ExprKind::Invoke { .. } => current = loaded_module(connector, expr, &env)?,
            ExprKind::Postfix { target, ops } => match ops.as_slice() {
                [Postfix::Field(selector)] => {
                    current = record_field_at_depth(
                        connector,
                        target,
                        &env,
                        &selector.name.name,
                        depth + 1,
                    )?;
                }
                [Postfix::Invoke { .. }] => current = loaded_module(connector, expr, &env)?,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// A path parameter: required, and its type metadata does not set `DataSource.Path = false`.
pub fn is_path_parameter(resolver: &Resolver<'_>, param: &ParamInfo<'_>) -> bool {
    if param.optional {
        return false;
    }
    match param.metadata_field("DataSource.Path") {
        Some((field, env)) => !matches!(
            resolver.resolve(&field.value, &env),
            Resolved::Logical(false)
        ),
        None => true,
    }
}

/// Whether `expr` is, through parentheses, `meta` and names, a non-empty text literal (or a
/// `&` join of them) rather than `Extension.LoadString` or anything computed. Returns the
/// joined text.
pub fn hardcoded_text<'a>(expr: &'a Expr, env: &Env<'a>) -> Option<String> {
    let mut steps = 0;
    hardcoded_steps(expr, env.clone(), &mut steps).filter(|text| !text.trim().is_empty())
}

fn hardcoded_steps<'a>(expr: &'a Expr, env: Env<'a>, steps: &mut usize) -> Option<String> {
    *steps += 1;
    if *steps > MAX_RESOLVE_STEPS {
        return None;
    }
    match &expr.kind {
        ExprKind::Literal(Literal::Text(text)) => Some(text.to_string()),
        ExprKind::Parens(inner) => hardcoded_steps(inner, env, steps),
        ExprKind::Meta { value, .. } => hardcoded_steps(value, env, steps),
        ExprKind::Ident(ident) => match env.lookup_at(&ident.name, expr.span) {
            Definition::Value { expr, env, .. } => hardcoded_steps(expr, env, steps),
            _ => None,
        },
        ExprKind::Binary { first, rest }
            if rest
                .iter()
                .all(|r| r.op == crate::syntax::ast::BinaryOp::Concatenate) =>
        {
            let mut joined = hardcoded_steps(first, env.clone(), steps)?;
            for part in rest {
                joined.push_str(&hardcoded_steps(&part.right, env.clone(), steps)?);
            }
            Some(joined)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::testing::archive;

    fn with_connector(source: &str, test: impl Fn(&Connector<'_>)) {
        let model = Model::build(archive("Wren.mez", &[("Wren.pq", source.as_bytes())]));
        let connector = Connector::build(&model);
        test(&connector);
    }

    /// Handlers are found through names and `let`; `each` has one parameter; other values
    /// are described or computed.
    #[test]
    fn handlers() {
        let source = r#"section Wren;
            [DataSource.Kind = "Wren"] shared Wren.Contents = (url as text) => url;
            Start = let f = (a, b, c) => a in f;
            Wren = [Authentication = [OAuth = [StartLogin = Start, FinishLogin = each _, Refresh = "x", Logout = Other(), Label = A[x]]]];
            A = B[y]; B = A[z];"#;
        with_connector(source, |connector| {
            let kind = &connector.kinds()[0];
            let oauth = kind.auth_kind("OAuth").expect("an OAuth kind");
            let arity = |name: &str| {
                let (field, env) = oauth.handler(name).expect("a handler");
                match handler_value(connector, &field.value, &env) {
                    HandlerValue::Callable(callable) => Ok(callable.arity()),
                    HandlerValue::NotAFunction(what) => Err(what.to_owned()),
                    HandlerValue::Computed(_) => Err("computed".to_owned()),
                }
            };
            assert_eq!(arity("StartLogin"), Ok(3));
            assert_eq!(arity("FinishLogin"), Ok(1));
            assert_eq!(arity("Refresh"), Err("text".to_owned()));
            assert_eq!(arity("Logout"), Err("computed".to_owned()));
            assert_eq!(arity("Label"), Err("computed".to_owned()));
            assert!(kind.field("Authentication").is_some());
            assert_eq!(kind.data_sources(connector).count(), 1);
        });
    }

    /// Optional parameters and `DataSource.Path = false` are not path parameters; a function
    /// type written through `let` is read too.
    #[test]
    fn path_parameters() {
        let source = r#"section Wren;
            [DataSource.Kind = "Wren"] shared Wren.Contents = Value.ReplaceType(Impl, type function (
                url as Uri.Type, top as (type number meta [DataSource.Path = false]), optional x as text) as table);
            Impl = (url, top, optional x) => url;
            Wren = [Authentication = [Anonymous = []]];"#;
        with_connector(source, |connector| {
            let Some(Ok(shape)) = connector.data_sources().first().map(|d| d.shape.as_ref()) else {
                panic!("a data source function with a shape");
            };
            let paths: Vec<bool> = shape
                .params
                .iter()
                .map(|p| is_path_parameter(&connector.resolver, p))
                .collect();
            assert_eq!(paths, [true, false, false]);
        });
        let through_let = r#"section Wren;
            [DataSource.Kind = "Wren"] shared Wren.Contents = Value.ReplaceType(Impl, WrenType);
            WrenType = let t = type function (url as Uri.Type) as table in t meta [Documentation.Name = "Wren"];
            Impl = (url) => url;"#;
        with_connector(through_let, |connector| {
            let Some(Ok(shape)) = connector.data_sources().first().map(|d| d.shape.as_ref()) else {
                panic!("a shape through `let`");
            };
            assert_eq!(shape.params[0].type_name, "Uri.Type");
            assert!(shape.metadata_field("Documentation.Name").is_some());
        });
    }

    /// Literals and joins of literals are hardcoded; `Extension.LoadString` is not.
    #[test]
    fn hardcoded_texts() {
        let source = r#"section Wren;
            Name = "Wren";
            A = Name & " data"; B = Extension.LoadString("K"); C = ""; D = B & "!";"#;
        let model = Model::build(archive("Wren.mez", &[("Wren.pq", source.as_bytes())]));
        let connector = Connector::build(&model);
        let section = connector.section.as_ref().expect("a section");
        let text = |name: &str| {
            let member =
                crate::model::connector::find_member(section.document, name).expect("a member");
            hardcoded_text(&member.value, &section.env)
        };
        assert_eq!(text("A").as_deref(), Some("Wren data"));
        assert_eq!(text("B"), None);
        assert_eq!(text("C"), None);
        assert_eq!(text("D"), None);
    }
}
