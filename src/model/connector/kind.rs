//! Queries on Kind records and their authentication kinds for the 2xx rules: a field with the
//! environment its value is read in, handler functions (`StartLogin`, `TestConnection`) as
//! callables with their parameters, and path parameters of data source functions. Nothing is
//! evaluated: a handler that is not a function expression (through names) is reported as
//! computed or as the kind of value it is.

use crate::model::connector::{AuthKind, Connector, DataSourceFunction, KindRecord, ParamInfo};
use crate::model::eval::follow::Visit;
use crate::model::eval::resolve::{Computed, Definition, Env, Resolved, Resolver};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Expr, ExprKind, Field, Function, Postfix};

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

/// Follows `expr` ([`Connector::seek`]: names, parentheses, `meta`, `let` results, module
/// loads such as `Extension.LoadFunction("OAuth.pqm")`) and field accesses on records
/// (`Auth[Start]`) to a function expression or `each`.
pub fn handler_value<'a>(
    connector: &Connector<'a>,
    expr: &'a Expr,
    env: &Env<'a>,
) -> HandlerValue<'a> {
    let mut last = (expr, env.clone());
    let found = connector.seek(expr, env, |expr, env| {
        last = (expr, env.clone());
        match &expr.kind {
            ExprKind::Function(function) => Visit::Found(Callable::Function(function, env.clone())),
            ExprKind::Each(body) => Visit::Found(Callable::Each(body, env.clone())),
            ExprKind::Postfix { target, ops } => match ops.as_slice() {
                [Postfix::Field(selector)] => {
                    match record_field(connector, target, env, &selector.name.name) {
                        Some((value, value_env)) => Visit::Into(value, value_env),
                        None => Visit::Step,
                    }
                }
                _ => Visit::Step,
            },
            _ => Visit::Step,
        }
    });
    if let Some(callable) = found {
        return HandlerValue::Callable(callable);
    }
    let (expr, env) = last;
    if let ExprKind::Ident(ident) = &expr.kind {
        let reason = match env.lookup_at(&ident.name, expr.span) {
            Definition::Param { .. } => format!("`{}` is a function parameter", ident.name),
            Definition::External => format!("`{}` is not defined in the connector", ident.name),
            Definition::Value { .. } => "the definition chain is too long or cyclic".into(),
        };
        return HandlerValue::Computed(Computed {
            span: expr.span,
            reason,
        });
    }
    describe(&connector.resolver, expr, &env)
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
    connector.seek(target, env, |expr, env| match &expr.kind {
        ExprKind::Record(fields) => match fields.iter().find(|f| f.name.name == name) {
            Some(field) => Visit::Found((&field.value, env.with_record(env.file(), fields))),
            None => Visit::Stop,
        },
        ExprKind::Postfix { target, ops } => match ops.as_slice() {
            [Postfix::Field(selector)] => {
                match record_field_at_depth(connector, target, env, &selector.name.name, depth + 1)
                {
                    Some((value, value_env)) => Visit::Into(value, value_env),
                    None => Visit::Stop,
                }
            }
            _ => Visit::Step,
        },
        _ => Visit::Step,
    })
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

/// Whether `expr` evaluates, without `resources.resx`, to non-empty literal text: text
/// written in the code (through names, `&` joins, calls of connector functions) rather than
/// `Extension.LoadString` or anything computed. Returns the text.
pub fn hardcoded_text<'a>(expr: &'a Expr, env: &Env<'a>) -> Option<String> {
    Resolver { resx: None }
        .text(expr, env)
        .ok()
        .filter(|text| !text.trim().is_empty())
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
