//! Where values come from, for the security rules (7xx): what a request URL is built from, what
//! a credential value reaches, and whether an HTTPS guard stands on the way.
//!
//! A query starts at one expression and follows it backwards: names to their definitions,
//! `let` bodies, both branches of `if`, `try`, `&` chains, `Uri.Combine`, `Text.Combine`, calls
//! of functions defined in the connector (their bodies, with the call's arguments standing for
//! the parameters), record fields and list items, module loads, and a helper's parameters to the
//! arguments of every call of that helper. It ends at [`Origin`]s: text literals, parameters of
//! data source functions, `Extension.CurrentCredential()` reads, sensitive fields, and what could
//! not be followed ([`OriginKind::Unknown`], [`OriginKind::OpaqueParam`]), which rules report at
//! `info`, never as errors.
//!
//! Nothing is evaluated and nothing is guessed. Work is bounded: [`MAX_FLOW_STEPS`] expressions
//! per query and [`MAX_FLOW_TOTAL_STEPS`] per [`Flow`], [`MAX_FLOW_DEPTH`] nested steps,
//! [`MAX_INLINE_DEPTH`] nested calls followed into function bodies, [`MAX_CALL_SITES`] call
//! sites per parameter, [`MAX_FLOW_VALUES`] values per expression; cyclic definitions
//! contribute nothing, and recursive helpers are followed once. A query that runs out of
//! budget says so.

mod calls;
mod guard;
pub mod requests;
#[cfg(test)]
mod tests;
mod trace;

use rustc_hash::FxHashMap;
use std::cell::Cell;
use std::rc::Rc;

use crate::model::connector::Connector;
use crate::model::eval::follow::{Visit, seek, transparent};
use crate::model::eval::resolve::{Definition, Env, Resolved, call_of};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Expr, ExprKind, Field, Function};

pub use guard::DefKey;

/// Expressions visited by one query before it gives up. Real connectors need a few hundred;
/// the limit keeps hostile inputs (huge literal lists, exponential `&` fan-out) fast.
pub const MAX_FLOW_STEPS: usize = 20_000;
/// Nested steps of one query (names followed inside names inside calls). It bounds the stack
/// used by the recursive walk, well within a 2 MiB worker thread even in debug builds.
pub const MAX_FLOW_DEPTH: usize = 96;
/// Calls of connector functions followed into their bodies, nested.
pub const MAX_INLINE_DEPTH: usize = 12;
/// Call sites followed for one helper parameter.
pub const MAX_CALL_SITES: usize = 64;
/// Abstract values one expression may take before the rest are dropped (and the query marked
/// as incomplete): a list of 20,000 literals is not 20,000 origins.
pub const MAX_FLOW_VALUES: usize = 256;
/// Expressions visited by all the queries of one [`Flow`]: a rule asking thousands of
/// questions of a huge connector still ends quickly.
pub const MAX_FLOW_TOTAL_STEPS: usize = 1_000_000;

/// Which field names a [`Mode::Value`] query reports as secrets: a policy the rules give
/// the engine.
#[derive(Debug)]
pub struct Secrets {
    /// Fields whose values are secrets (`[access_token]`, `[Password]`): a read of one is a
    /// [`OriginKind::SensitiveField`].
    pub fields: &'static [&'static str],
    /// Fields of the credential record that hold no secret (`[AuthenticationKind]`).
    pub credential_metadata: &'static [&'static str],
    /// Secret field names that, on the row of an `each` (`[Key]`), are usually table columns.
    pub row_columns: &'static [&'static str],
}

/// What a query looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// What decides the scheme of a URL: only the leading part of a `&` chain (a literal
    /// `"https://"` prefix fixes it), the base of `Uri.Combine`; other library calls are opaque
    /// unless a data source parameter goes into them ([`OriginKind::Derived`]). HTTPS guards
    /// stop the query.
    Scheme,
    /// Everything a value contains: every part of `&`, every argument of library calls, every
    /// field of records and item of lists.
    Value,
}

/// Where (part of) a value comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Origin {
    pub kind: OriginKind,
    /// The file and span of the literal, the parameter use, the call or the field access.
    pub file: FileId,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OriginKind {
    /// A text literal (in [`Mode::Scheme`], only literals that can start the URL).
    Text(String),
    /// A parameter of a data source function, as its implementation declares it.
    DataSourceParam {
        /// Index into [`Connector::data_sources`].
        data_source: usize,
        name: String,
        /// The parameter declaration.
        declared: (FileId, Span),
    },
    /// A library function computes the value from a data source parameter ([`Mode::Scheme`]).
    Derived {
        function: String,
        param: Box<Origin>,
    },
    /// A parameter of a connector function that is only passed as a value (never called by
    /// name), so its arguments are unknown.
    OpaqueParam(String),
    /// `Extension.CurrentCredential()`.
    Credential,
    /// A field of the credential (`[Username]`) at the start of a URL, in [`Mode::Scheme`]:
    /// text the user typed when asked for credentials.
    CredentialField(String),
    /// A document decoded from a credential (`Json.Document` of a token's payload): its
    /// fields are claims about the user, not the secret.
    DecodedCredential,
    /// A field access `[access_token]`, `[refresh_token]`, `[Password]`, `[Key]` or
    /// `[client_secret]`.
    SensitiveField(String),
    /// A record with an `Authorization` field (a request's `Headers`).
    AuthorizationHeader,
    /// The flow could not be followed here.
    Unknown(String),
}

/// The origins of one query.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    pub origins: Vec<Origin>,
    /// The query ran out of budget; its origins are incomplete.
    pub exhausted: bool,
}

impl Trace {
    /// The first origin that could not be followed, or a note that the budget ran out.
    pub fn unknown(&self) -> Option<(String, FileId, Span)> {
        self.origins.iter().find_map(|o| match &o.kind {
            OriginKind::Unknown(reason) => Some((reason.clone(), o.file, o.span)),
            OriginKind::OpaqueParam(name) => Some((
                format!("`{name}` is a parameter of a function that is only passed as a value"),
                o.file,
                o.span,
            )),
            _ => None,
        })
    }
}

/// A record an argument may be, with its fields (later parts of a `&` merge win).
#[derive(Clone)]
pub struct RecordView<'a> {
    parts: Vec<trace::RecordPart<'a>>,
}

impl<'a> RecordView<'a> {
    /// The field `name` (exact case), from the last part that defines it.
    pub fn field(&self, name: &str) -> Option<&'a Field> {
        self.parts
            .iter()
            .rev()
            .find_map(|part| part.fields.iter().find(|f| f.name.name == name))
    }

    /// The document a field of this record is written in.
    pub fn file_of(&self, field: &Field) -> Option<FileId> {
        self.parts
            .iter()
            .find(|part| part.fields.iter().any(|f| std::ptr::eq(f, field)))
            .map(trace::RecordPart::file)
    }

    /// Every field, in part order (a name may repeat across merged parts).
    pub fn fields(&self) -> impl Iterator<Item = &'a Field> + '_ {
        self.parts.iter().flat_map(|part| part.fields.iter())
    }
}

/// The completed sources of one function parameter, by function address, parameter index,
/// the guards in force, the query mode and whether text literals are wanted.
pub(super) type ParamCacheKey = (usize, usize, Vec<guard::DefKey>, Mode, bool);
pub(super) type DefinitionCacheKey = (Mode, bool, trace::DefinitionKey);
/// A query: its mode, the expression (by address), its environment, and where it is asked.
type QueryKey<'a> = (Mode, usize, Env<'a>, FileId, Span);
/// The same with the environment by address.
type QueryAddress = (Mode, usize, usize, FileId, Span);

/// What every query needs to know about the whole connector, computed once per flow
/// analysis (one per package, shared by the rules): which functions implement data
/// source functions, where each connector function is called, and the HTTPS guards.
pub struct FlowIndex {
    /// Function expressions that implement data source functions, with the data source index.
    data_source_impls: Vec<(usize, usize)>,
    /// Calls of connector functions by function expression address.
    call_sites: FxHashMap<usize, Vec<usize>>,
    guards: guard::Guards,
}

/// The flow analysis of one connector for one rule: the shared [`FlowIndex`] plus the work
/// budget and the parameter results of its queries.
pub struct Flow<'c, 'a> {
    pub connector: &'c Connector<'a>,
    /// Which fields hold secrets: the security rules' policy, not the engine's.
    pub secrets: &'static Secrets,
    index: FlowIndex,
    /// Steps spent by the queries so far.
    spent: Cell<usize>,
    /// Parameter sources that a query finished without hitting a limit: every later query
    /// reuses them, so chains of helpers are followed once, not once per request.
    params: std::cell::RefCell<FxHashMap<ParamCacheKey, Vec<trace::Abs<'a>>>>,
    /// Queries answered so far: rules ask about the same requests and calls.
    queries: std::cell::RefCell<FxHashMap<QueryAddress, (Env<'a>, Rc<Trace>)>>,
    /// The same for definitions outside calls (section members, `let` variables).
    definitions: std::cell::RefCell<FxHashMap<DefinitionCacheKey, Vec<trace::Abs<'a>>>>,
}

impl FlowIndex {
    fn build(connector: &Connector<'_>) -> FlowIndex {
        let mut data_source_impls = Vec::new();
        for (index, data_source) in connector.data_sources().iter().enumerate() {
            let implementation = data_source
                .shape
                .as_ref()
                .ok()
                .and_then(|shape| shape.implementation)
                .or_else(|| {
                    let section = connector.section.as_ref()?;
                    implementation_of(&data_source.member.value, &section.env)
                });
            if let Some(function) = implementation {
                data_source_impls.push((address(function), index));
            }
        }
        let mut call_sites: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        for (index, call) in connector.calls().iter().enumerate() {
            if let Definition::Value { expr, env, .. } = &call.callee
                && let Resolved::Function(function, _) = connector.resolver.resolve(expr, env)
            {
                call_sites.entry(address(function)).or_default().push(index);
            }
        }
        let guards = guard::Guards::collect(connector);
        FlowIndex {
            data_source_impls,
            call_sites,
            guards,
        }
    }
}

impl<'c, 'a> Flow<'c, 'a> {
    pub fn new(connector: &'c Connector<'a>, secrets: &'static Secrets) -> Self {
        Flow {
            connector,
            secrets,
            index: FlowIndex::build(connector),
            spent: Cell::new(0),
            params: std::cell::RefCell::new(FxHashMap::default()),
            definitions: std::cell::RefCell::new(FxHashMap::default()),
            queries: std::cell::RefCell::new(FxHashMap::default()),
        }
    }

    /// What decides the scheme of the URL `url`, used at `at` (the request call). Several
    /// rules ask about the same requests: each query runs once.
    pub fn url_sources(&self, url: &'a Expr, env: &Env<'a>, at: (FileId, Span)) -> Rc<Trace> {
        let key = (
            Mode::Scheme,
            std::ptr::from_ref(url) as usize,
            env.clone(),
            at.0,
            at.1,
        );
        self.query(key, || {
            let ambient = self.index.guards.keys_at(at.0, at.1);
            trace::Tracer::new(self, Mode::Scheme).top(url, env, at.0, ambient)
        })
    }

    /// Everything the value of `expr` (in `file`) contains.
    pub fn value_sources(&self, expr: &'a Expr, env: &Env<'a>, file: FileId) -> Rc<Trace> {
        let key = (
            Mode::Value,
            std::ptr::from_ref(expr) as usize,
            env.clone(),
            file,
            Span::default(),
        );
        self.query(key, || {
            trace::Tracer::new(self, Mode::Value).top(expr, env, file, Vec::new())
        })
    }

    /// The answer to a query, from the cache or made now.
    fn query(&self, key: QueryKey<'a>, make: impl FnOnce() -> Trace) -> Rc<Trace> {
        let (mode, expr, env, file, span) = key;
        // The environment is kept with the answer, so its address is not reused meanwhile.
        let address = (mode, expr, env.address(), file, span);
        if let Some((_, trace)) = self.queries.borrow().get(&address) {
            return trace.clone();
        }
        let trace = Rc::new(make());
        self.queries
            .borrow_mut()
            .insert(address, (env, trace.clone()));
        trace
    }

    /// The records `expr` may be (an options record, an ODBC connection string), and whether
    /// some alternative could not be seen as a record expression.
    pub fn records(
        &self,
        expr: &'a Expr,
        env: &Env<'a>,
        file: FileId,
    ) -> (Vec<RecordView<'a>>, bool) {
        trace::Tracer::new(self, Mode::Value).records(expr, env, file)
    }

    /// Everything the value of a field of a record from [`Flow::records`] contains.
    pub fn field_sources(&self, record: &RecordView<'a>, field: &'a Field) -> Trace {
        trace::Tracer::new(self, Mode::Value).field(record, field)
    }

    /// Whether `expr`, used at `span` in `file`, is inside the checked branch of an HTTPS guard
    /// on the definition `key`.
    pub fn is_https_guarded(&self, key: &DefKey, file: FileId, span: Span) -> bool {
        self.index.guards.is_guarded(key, file, span, &[])
    }

    fn data_source_of(&self, function: &Function) -> Option<usize> {
        let address = address(function);
        self.index
            .data_source_impls
            .iter()
            .find(|(f, _)| *f == address)
            .map(|(_, index)| *index)
    }

    fn calls_of(&self, function: &Function) -> &[usize] {
        self.index
            .call_sites
            .get(&address(function))
            .map_or(&[], Vec::as_slice)
    }
}

/// The address of a function expression: its identity within one model.
fn address(function: &Function) -> usize {
    std::ptr::from_ref(function) as usize
}

/// The function expression a member value implements, through names, parentheses, `meta`,
/// `let` results and `Value.ReplaceType`.
fn implementation_of<'a>(expr: &'a Expr, env: &Env<'a>) -> Option<&'a Function> {
    seek(expr, env, transparent, |expr, env| match &expr.kind {
        ExprKind::Function(function) => Visit::Found(&**function),
        _ => match call_of(expr) {
            Some(("Value.ReplaceType", [value, ..]))
                if env.lookup("Value.ReplaceType").is_external() =>
            {
                Visit::Into(value, env.clone())
            }
            _ => Visit::Step,
        },
    })
}
