//! The query engine behind [`super::Flow`]: a bounded backward walk that turns an expression
//! into the abstract values it may take (records, lists and functions still to be looked into,
//! or [`Origin`] leaves). Names are scoped by the evaluator's [`Env`]. Calls of connector
//! functions are followed into their bodies with the call's arguments bound
//! ([`Env::with_args`]); a parameter of a function whose call is not being followed stands for
//! the arguments of every call of that function. Calls themselves are in `calls.rs`.

mod operators;

use rustc_hash::{FxHashMap, FxHashSet};
use std::rc::Rc;

use super::guard::DefKey;
use super::{
    Flow, MAX_CALL_SITES, MAX_FLOW_DEPTH, MAX_FLOW_STEPS, MAX_FLOW_TOTAL_STEPS, MAX_FLOW_VALUES,
    Mode, Origin, OriginKind, RecordView, Trace,
};
use crate::model::eval::resolve::{Definition, Env, Resolved};
use crate::source::{FileId, Span};
use crate::syntax::ast::{
    BinaryOp, BinaryRhs, Expr, ExprKind, Field, Function, Literal, Postfix, TryHandler,
};

/// Where an expression is evaluated: its environment (names, and the arguments of the calls
/// being followed, bound by [`Env::with_args`]), and the definitions known to be HTTPS at
/// this point.
#[derive(Clone)]
pub(super) struct Place<'a> {
    pub(super) env: Env<'a>,
    pub(super) ambient: Rc<Vec<DefKey>>,
}

impl Place<'_> {
    pub(super) fn file(&self) -> FileId {
        self.env.file()
    }
}

/// One record expression of a (possibly merged) record value.
#[derive(Clone)]
pub(super) struct RecordPart<'a> {
    pub(super) fields: &'a [Field],
    cx: Place<'a>,
}

impl<'a> RecordPart<'a> {
    pub(super) fn file(&self) -> FileId {
        self.cx.file()
    }

    /// The context of the field values: the record's own fields are in scope.
    fn field_cx(&self) -> Place<'a> {
        Place {
            env: self.cx.env.with_record(self.cx.file(), self.fields),
            ambient: self.cx.ambient.clone(),
        }
    }
}

/// An abstract value.
#[derive(Clone)]
pub(super) enum Abs<'a> {
    Leaf(Origin),
    /// Shared: a record value is copied into many alternatives and caches.
    Record(Rc<Vec<RecordPart<'a>>>),
    List(&'a [Expr], Place<'a>),
    Function(&'a Function, Place<'a>),
    /// A library function (a name the connector does not define) used as a value.
    Library(&'a str),
}

pub(super) type DefinitionKey = (FileId, u32, usize, Vec<DefKey>);

/// A definition or parameter in a query's cache.
enum Cached<'a> {
    /// Being evaluated higher up: meeting it again is a cycle, cut short.
    Open,
    /// Evaluated; `complete` unless a cycle was cut or the budget ran out inside it.
    Done {
        values: Vec<Abs<'a>>,
        complete: bool,
    },
}
type ParamKey = (usize, usize, Vec<DefKey>);

pub(super) struct Tracer<'f, 'c, 'a> {
    pub(super) flow: &'f Flow<'c, 'a>,
    pub(super) mode: Mode,
    pub(super) steps: usize,
    depth: usize,
    pub(super) exhausted: bool,
    /// Definitions and parameters evaluated or being evaluated by this query.
    definitions: FxHashMap<DefinitionKey, Cached<'a>>,
    params: FxHashMap<ParamKey, Cached<'a>>,
    /// Cycles cut so far: a value whose evaluation cut none is the same wherever the query
    /// started, and is shared with later queries.
    cuts: usize,
    /// Environments of cached definitions inside calls, kept alive so that their call
    /// identity is not reused while the cache holds it.
    pinned: Vec<Env<'a>>,
    /// Records and lists already looked into while flattening, with the stack they were in.
    flattened: FxHashSet<(usize, usize)>,
    /// Whether text literals are wanted as origins ([`Mode::Scheme`], or a module name).
    pub(super) want_text: bool,
}

impl<'f, 'c, 'a> Tracer<'f, 'c, 'a> {
    pub(super) fn new(flow: &'f Flow<'c, 'a>, mode: Mode) -> Self {
        Tracer {
            flow,
            mode,
            steps: 0,
            depth: 0,
            exhausted: false,
            definitions: FxHashMap::default(),
            params: FxHashMap::default(),
            cuts: 0,
            pinned: Vec::new(),
            flattened: FxHashSet::default(),
            want_text: mode == Mode::Scheme,
        }
    }

    pub(super) fn top(
        mut self,
        expr: &'a Expr,
        env: &Env<'a>,
        file: FileId,
        ambient: Vec<DefKey>,
    ) -> Trace {
        let cx = Place {
            env: in_file(env, file),
            ambient: Rc::new(ambient),
        };
        let values = self.eval(expr, &cx);
        let origins = match self.mode {
            Mode::Scheme => leaves(values),
            Mode::Value => self.flatten(values, 0),
        };
        self.finish(origins)
    }

    pub(super) fn records(
        mut self,
        expr: &'a Expr,
        env: &Env<'a>,
        file: FileId,
    ) -> (Vec<RecordView<'a>>, bool) {
        let cx = Place {
            env: in_file(env, file),
            ambient: Rc::new(Vec::new()),
        };
        let mut records = Vec::new();
        let mut unknown = false;
        for value in self.eval(expr, &cx) {
            match value {
                Abs::Record(parts) => records.push(RecordView {
                    parts: parts.to_vec(),
                }),
                Abs::Leaf(Origin {
                    kind: OriginKind::Text(_),
                    ..
                }) => {}
                Abs::Leaf(_) => unknown = true,
                _ => {}
            }
        }
        (records, unknown || self.exhausted)
    }

    pub(super) fn field(mut self, record: &RecordView<'a>, field: &'a Field) -> Trace {
        let Some(part) = record
            .parts
            .iter()
            .find(|p| p.fields.iter().any(|f| std::ptr::eq(f, field)))
        else {
            return Trace::default();
        };
        let values = self.eval(&field.value, &part.field_cx());
        let origins = self.flatten(values, 0);
        self.finish(origins)
    }

    fn finish(self, origins: Vec<Origin>) -> Trace {
        self.flow.spent.set(self.flow.spent.get() + self.steps);
        let mut seen = FxHashSet::default();
        let unique = origins
            .into_iter()
            .filter(|origin| seen.insert(origin.clone()))
            .collect();
        Trace {
            origins: unique,
            exhausted: self.exhausted,
        }
    }

    pub(super) fn eval(&mut self, expr: &'a Expr, cx: &Place<'a>) -> Vec<Abs<'a>> {
        self.steps += 1;
        if self.steps > MAX_FLOW_STEPS
            || self.flow.spent.get() + self.steps > MAX_FLOW_TOTAL_STEPS
            || self.depth >= MAX_FLOW_DEPTH
        {
            self.exhausted = true;
            return vec![leaf(
                OriginKind::Unknown("the flow is too long or too deep to follow".into()),
                cx.file(),
                expr.span,
            )];
        }
        self.depth += 1;
        let mut values = self.eval_kind(expr, cx);
        self.depth -= 1;
        dedup_leaves(&mut values);
        if values.len() > MAX_FLOW_VALUES {
            self.exhausted = true;
            values.truncate(MAX_FLOW_VALUES);
            values.push(leaf(
                OriginKind::Unknown("the value has too many alternatives to follow".into()),
                cx.file(),
                expr.span,
            ));
        }
        values
    }

    fn eval_kind(&mut self, expr: &'a Expr, cx: &Place<'a>) -> Vec<Abs<'a>> {
        match &expr.kind {
            ExprKind::Literal(Literal::Text(text)) if self.want_text => {
                vec![leaf(
                    OriginKind::Text(text.to_string()),
                    cx.file(),
                    expr.span,
                )]
            }
            ExprKind::Ident(ident) => self.name(ident, expr, cx),
            ExprKind::Inclusive(ident) => self.name(ident, expr, cx),
            ExprKind::Parens(inner) | ExprKind::Meta { value: inner, .. } => self.eval(inner, cx),
            ExprKind::Let(let_expr) => {
                let env = cx.env.with_let(cx.file(), &let_expr.bindings);
                self.eval(&let_expr.body, &Place { env, ..cx.clone() })
            }
            ExprKind::If(if_expr) => {
                let mut values = self.eval(&if_expr.then_branch, cx);
                values.extend(self.eval(&if_expr.else_branch, cx));
                values
            }
            ExprKind::Try(try_expr) => {
                let mut values = self.eval(&try_expr.body, cx);
                match &try_expr.handler {
                    Some(TryHandler::Otherwise(handler)) => values.extend(self.eval(handler, cx)),
                    Some(TryHandler::Catch { body, .. }) => values.extend(self.eval(body, cx)),
                    None => {}
                }
                values
            }
            ExprKind::Record(fields) => vec![Abs::Record(Rc::new(vec![RecordPart {
                fields,
                cx: cx.clone(),
            }]))],
            ExprKind::List(items) => vec![Abs::List(items, cx.clone())],
            ExprKind::Function(function) => vec![Abs::Function(function, cx.clone())],
            ExprKind::Binary { first, rest } => self.binary(expr, first, rest, cx),
            ExprKind::Invoke { callee, args } => {
                let values = self.eval(callee, cx);
                self.invoke(values, args, expr.span, cx)
            }
            ExprKind::Postfix { target, ops } => {
                let mut values = self.eval(target, cx);
                for op in ops {
                    values = self.postfix(values, op, target.span, cx);
                }
                values
            }
            ExprKind::ImplicitField(selector) => {
                let mut values = vec![leaf(
                    OriginKind::Unknown(format!(
                        "`[{}]` is a field of the row an `each` function is given",
                        selector.name.name
                    )),
                    cx.file(),
                    expr.span,
                )];
                if !self
                    .flow
                    .secrets
                    .row_columns
                    .contains(&&*selector.name.name)
                {
                    self.sensitive(&selector.name.name, selector.span, cx, &mut values);
                }
                values
            }
            ExprKind::ImplicitProjection(_) => vec![leaf(
                OriginKind::Unknown("a projection of the row an `each` function is given".into()),
                cx.file(),
                expr.span,
            )],
            ExprKind::SectionAccess { .. } => vec![leaf(
                OriginKind::Unknown("a section access".into()),
                cx.file(),
                expr.span,
            )],
            // Numbers, logicals, null, types, errors, `each` functions (only library
            // functions call them), `...`: nothing a URL or a credential comes from.
            _ => Vec::new(),
        }
    }

    fn name(
        &mut self,
        ident: &'a crate::syntax::ast::Ident,
        expr: &'a Expr,
        cx: &Place<'a>,
    ) -> Vec<Abs<'a>> {
        let definition = cx.env.lookup_at(&ident.name, expr.span);
        if self.mode == Mode::Scheme
            && let Some(key) = DefKey::of(&definition)
            && self
                .flow
                .index
                .guards
                .is_guarded(&key, cx.file(), expr.span, &cx.ambient)
        {
            return Vec::new();
        }
        match definition {
            Definition::Value {
                expr: value,
                env,
                file,
                name_span,
                ..
            } => {
                // What a definition evaluates to depends on its environment's bound
                // arguments, not on where it is used.
                let call = env.call_id();
                let key = (file, name_span.start, call, (*cx.ambient).clone());
                // Outside calls, a definition's values are shared by the flow's queries.
                let shared_key = (call == 0).then(|| (self.mode, self.want_text, key.clone()));
                if let Some(shared_key) = &shared_key
                    && let Some(values) = self.flow.definitions.borrow().get(shared_key)
                {
                    return values.clone();
                }
                if let Some(values) = hit(&self.definitions, &key, &mut self.cuts) {
                    return values;
                }
                if call != 0 {
                    self.pinned.push(env.clone());
                }
                self.definitions.insert(key.clone(), Cached::Open);
                let cuts = self.cuts;
                let values = self.eval(
                    value,
                    &Place {
                        env,
                        ambient: cx.ambient.clone(),
                    },
                );
                let complete = self.cuts == cuts && !self.exhausted;
                let done = Cached::Done {
                    values: values.clone(),
                    complete,
                };
                self.definitions.insert(key, done);
                if complete && let Some(shared_key) = shared_key {
                    self.flow
                        .definitions
                        .borrow_mut()
                        .insert(shared_key, values.clone());
                }
                values
            }
            Definition::Param {
                function,
                index,
                file,
            } => self.param(function, index, file, expr, cx),
            Definition::External => vec![Abs::Library(&ident.name)],
        }
    }

    fn param(
        &mut self,
        function: &'a Function,
        index: usize,
        declared_in: FileId,
        use_expr: &'a Expr,
        cx: &Place<'a>,
    ) -> Vec<Abs<'a>> {
        let param = function.params.get(index);
        let name = param.map_or_else(String::new, |p| p.name.name.to_string());
        if let Some(data_source) = self.flow.data_source_of(function) {
            let declared = (declared_in, param.map_or(use_expr.span, |p| p.span));
            let kind = OriginKind::DataSourceParam {
                data_source,
                name,
                declared,
            };
            return vec![leaf(kind, cx.file(), use_expr.span)];
        }
        let calls = self.flow.calls_of(function);
        if calls.is_empty() {
            return vec![leaf(
                OriginKind::OpaqueParam(name),
                cx.file(),
                use_expr.span,
            )];
        }
        if calls.len() > MAX_CALL_SITES {
            let reason = format!("`{name}` is a parameter of a function called in too many places");
            return vec![leaf(OriginKind::Unknown(reason), cx.file(), use_expr.span)];
        }
        let key = (super::address(function), index, (*cx.ambient).clone());
        let shared_key = (key.0, key.1, key.2.clone(), self.mode, self.want_text);
        if let Some(values) = self.flow.params.borrow().get(&shared_key) {
            return values.clone();
        }
        if let Some(values) = hit(&self.params, &key, &mut self.cuts) {
            return values;
        }
        let cuts = self.cuts;
        self.params.insert(key.clone(), Cached::Open);
        let mut values = Vec::new();
        for &call_index in calls {
            let Some(call) = self.flow.connector.calls().get(call_index) else {
                continue;
            };
            let Some(arg) = call.args.get(index) else {
                continue;
            };
            let mut ambient = (*cx.ambient).clone();
            ambient.extend(self.flow.index.guards.keys_at(call.file, call.expr.span));
            ambient.sort();
            ambient.dedup();
            let caller = Place {
                env: in_file(&call.env, call.file),
                ambient: Rc::new(ambient),
            };
            values.extend(self.eval(arg, &caller));
        }
        let complete = self.cuts == cuts && !self.exhausted;
        let done = Cached::Done {
            values: values.clone(),
            complete,
        };
        self.params.insert(key, done);
        if complete {
            self.flow
                .params
                .borrow_mut()
                .insert(shared_key, values.clone());
        }
        values
    }

    /// Every origin inside `values`, looking into records (whose `Authorization` fields are
    /// origins too) and lists.
    pub(super) fn flatten(&mut self, values: Vec<Abs<'a>>, depth: usize) -> Vec<Origin> {
        let mut origins = Vec::new();
        for value in values {
            match value {
                Abs::Leaf(origin) => origins.push(origin),
                Abs::Record(parts) => {
                    for part in parts.iter() {
                        let address = (part.fields.as_ptr() as usize, part.cx.env.call_id());
                        if !self.flattened.insert(address) {
                            continue;
                        }
                        let field_cx = part.field_cx();
                        for field in part.fields {
                            if field.name.name.eq_ignore_ascii_case("Authorization") {
                                origins.push(Origin {
                                    kind: OriginKind::AuthorizationHeader,
                                    file: field_cx.file(),
                                    span: field.span,
                                });
                            }
                            let inner = self.eval(&field.value, &field_cx);
                            origins
                                .extend(self.flatten_nested(inner, depth, field.span, &field_cx));
                        }
                    }
                }
                Abs::List(items, list_cx) => {
                    let address = (items.as_ptr() as usize, list_cx.env.call_id());
                    if !self.flattened.insert(address) {
                        continue;
                    }
                    for item in items {
                        let inner = self.eval(item, &list_cx);
                        origins.extend(self.flatten_nested(inner, depth, item.span, &list_cx));
                    }
                }
                Abs::Function(..) | Abs::Library(_) => {}
            }
        }
        origins
    }

    fn flatten_nested(
        &mut self,
        values: Vec<Abs<'a>>,
        depth: usize,
        span: Span,
        cx: &Place<'a>,
    ) -> Vec<Origin> {
        if depth >= MAX_FLOW_DEPTH {
            self.exhausted = true;
            return vec![Origin {
                kind: OriginKind::Unknown("the value is nested too deeply to follow".into()),
                file: cx.file(),
                span,
            }];
        }
        self.flatten(values, depth + 1)
    }
}

/// The values of a definition or parameter a query met before: empty for one still being
/// evaluated (a cycle, cut short); either way counted as a cut when incomplete.
fn hit<'a, K: Eq + std::hash::Hash>(
    cache: &FxHashMap<K, Cached<'a>>,
    key: &K,
    cuts: &mut usize,
) -> Option<Vec<Abs<'a>>> {
    let (values, cut) = match cache.get(key)? {
        Cached::Open => (Vec::new(), true),
        Cached::Done { values, complete } => (values.clone(), !complete),
    };
    if cut {
        *cuts += 1;
    }
    Some(values)
}

/// Drops repeated leaves (the same origin reached along several paths), keeping the first:
/// callers copy and merge these lists, and a repeated origin says nothing new.
fn dedup_leaves(values: &mut Vec<Abs<'_>>) {
    if values.len() < 2 {
        return;
    }
    let mut seen: FxHashSet<Origin> = FxHashSet::default();
    values.retain(|value| match value {
        Abs::Leaf(origin) => seen.insert(origin.clone()),
        _ => true,
    });
}

/// `env` for an expression of `file`.
pub(super) fn in_file<'a>(env: &Env<'a>, file: FileId) -> Env<'a> {
    if env.file() == file {
        env.clone()
    } else {
        env.in_file(file)
    }
}

pub(super) fn leaf<'a>(kind: OriginKind, file: FileId, span: Span) -> Abs<'a> {
    Abs::Leaf(Origin { kind, file, span })
}

/// The leaves of top-level values (a URL is not a record or a list).
fn leaves(values: Vec<Abs<'_>>) -> Vec<Origin> {
    values
        .into_iter()
        .filter_map(|value| match value {
            Abs::Leaf(origin) => Some(origin),
            _ => None,
        })
        .collect()
}

fn join(joined: Origin, text: &str, part: &Origin) -> Origin {
    let OriginKind::Text(mut prefix) = joined.kind else {
        return joined;
    };
    if prefix.len() + text.len() <= crate::model::eval::resolve::MAX_JOINED_TEXT {
        prefix.push_str(text);
    }
    let span = if joined.file == part.file {
        joined.span.cover(part.span)
    } else {
        joined.span
    };
    Origin {
        kind: OriginKind::Text(prefix),
        file: joined.file,
        span,
    }
}

/// Whether a leading text holds a scheme and a whole host (`https://host/`), so that what
/// follows cannot change either.
fn has_host(origin: &Origin) -> bool {
    matches!(&origin.kind, OriginKind::Text(text)
        if text.split_once("://").is_some_and(|(_, rest)| rest.contains(['/', '?', '#'])))
}

fn is_text_with_scheme(origin: &Origin) -> bool {
    matches!(&origin.kind, OriginKind::Text(text) if text.contains("://"))
}

/// `r1 & r2`: when every part is exactly one record, one record whose later parts win;
/// otherwise every alternative.
fn merge_records(per_part: Vec<Vec<Abs<'_>>>) -> Vec<Abs<'_>> {
    let all_single_records = per_part.len() > 1
        && per_part
            .iter()
            .all(|values| matches!(values.as_slice(), [Abs::Record(_)]));
    if !all_single_records {
        return per_part.into_iter().flatten().collect();
    }
    let mut merged = Vec::new();
    for values in per_part {
        for value in values {
            if let Abs::Record(parts) = value {
                merged.extend(parts.iter().cloned());
            }
        }
    }
    vec![Abs::Record(Rc::new(merged))]
}
