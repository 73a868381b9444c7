//! Static resolution of M expressions: what every rule counts as a literal value, decided
//! once here (and tested in `resolution_tests.rs`). Names are looked up through lexical scopes (`let` bindings, record
//! fields, function parameters, section members); parentheses and `meta` are looked through;
//! `&` joins literal texts; `Extension.LoadString("k")` reads `resources.resx`. Nothing is
//! evaluated: anything else is [`Resolved::Computed`], with the reason, never a guess.
//!
//! Work is bounded: every resolution follows at most [`MAX_RESOLVE_STEPS`] definitions, so
//! cycles (`a = b, b = a`) and deep chains end quickly.

use rustc_hash::FxHashMap;
use std::rc::Rc;

use crate::package::resx::Resx;
use crate::source::{FileId, Span};
use crate::syntax::ast::{
    BinaryOp, Binding, Expr, ExprKind, Field, Function, Intrinsic, Literal, Param, Postfix,
    SectionMember,
};

/// Definitions followed by one resolution before it gives up as computed.
pub const MAX_RESOLVE_STEPS: usize = 64;
/// The library function that reads `resources.resx`.
pub const EXTENSION_LOAD_STRING: &str = "Extension.LoadString";
/// Longest text built by joining literals with `&`.
pub const MAX_JOINED_TEXT: usize = 64 * 1024;

/// A lexical environment: a persistent list of scopes, innermost first, ending with the root
/// scope of a document, so an environment always knows the file it belongs to.
#[derive(Clone)]
pub struct Env<'a>(Rc<Frame<'a>>);

struct Frame<'a> {
    scope: Scope<'a>,
    parent: Option<Env<'a>>,
    /// Calls whose arguments are bound on the way to this scope (see [`Env::call_depth`]).
    calls: u32,
}

#[derive(Clone)]
enum Scope<'a> {
    /// The document an expression belongs to; defines nothing.
    Root { file: FileId },
    /// The members of a section document, indexed by name (a connector can have thousands;
    /// a module evaluated in `#shared` sees only the shared ones).
    Section {
        file: FileId,
        members: &'a [SectionMember],
        index: Rc<FxHashMap<&'a str, usize>>,
    },
    Let {
        file: FileId,
        bindings: &'a [Binding],
        index: NameIndex<'a>,
    },
    Record {
        file: FileId,
        fields: &'a [Field],
        index: NameIndex<'a>,
    },
    Params {
        file: FileId,
        function: &'a Function,
        index: NameIndex<'a>,
        /// The arguments of the call being followed, with the caller's environment; `None`
        /// when the parameters stand for every call's arguments.
        args: Option<(&'a [Expr], Env<'a>)>,
    },
}

/// Scopes with at most this many names are searched in order; larger ones through a hash
/// index, so a `let` of 40,000 variables is not scanned on every lookup.
const LINEAR_SCOPE: usize = 16;

/// Positions of the names of a scope, for scopes larger than [`LINEAR_SCOPE`]: the first
/// position of each name, and for each position the next one with the same name (M rejects
/// duplicates, but a broken document may have them).
#[derive(Clone, Default)]
struct NameIndex<'a>(Option<Rc<Positions<'a>>>);

/// The first position of each name, and the next position of the same name after each.
type Positions<'a> = (FxHashMap<&'a str, u32>, Vec<u32>);

impl<'a> NameIndex<'a> {
    fn new(names: impl ExactSizeIterator<Item = &'a str> + DoubleEndedIterator) -> Self {
        let count = names.len();
        if count <= LINEAR_SCOPE {
            return NameIndex(None);
        }
        let mut first: FxHashMap<&'a str, u32> =
            FxHashMap::with_capacity_and_hasher(count, Default::default());
        let mut next = vec![u32::MAX; count];
        for (position, name) in names.enumerate().rev() {
            let position = u32::try_from(position).unwrap_or(u32::MAX);
            if let Some(later) = first.insert(name, position)
                && let Some(slot) = next.get_mut(position as usize)
            {
                *slot = later;
            }
        }
        NameIndex(Some(Rc::new((first, next))))
    }

    /// Positions of `name` in order, or `None` when the scope is small enough to scan.
    fn positions(&self, name: &str) -> Option<impl Iterator<Item = usize> + '_> {
        let (first, next) = self.0.as_deref()?;
        let mut at = first.get(name).copied();
        Some(std::iter::from_fn(move || {
            let position = at?;
            at = next
                .get(position as usize)
                .copied()
                .filter(|&n| n != u32::MAX);
            Some(position as usize)
        }))
    }
}

/// The first item named `name` that `accept` takes, through the index when there is one.
fn find_named<'a, T>(
    items: &'a [T],
    index: &NameIndex<'_>,
    name: &str,
    name_of: impl Fn(&T) -> &str,
    accept: impl Fn(&T) -> bool,
) -> Option<(usize, &'a T)> {
    match index.positions(name) {
        Some(positions) => positions
            .filter_map(|position| items.get(position).map(|item| (position, item)))
            .find(|(_, item)| accept(item)),
        None => items
            .iter()
            .enumerate()
            .find(|(_, item)| name_of(item) == name && accept(item)),
    }
}

/// What a name refers to.
#[derive(Clone)]
pub enum Definition<'a> {
    /// A section member, `let` variable or record field, with the environment of its value;
    /// or the argument a call being followed passes for a parameter (`param` then names the
    /// parameter: a function and a position).
    Value {
        expr: &'a Expr,
        env: Env<'a>,
        file: FileId,
        name_span: Span,
        param: Option<(&'a Function, usize)>,
    },
    /// A parameter of a function expression.
    Param {
        function: &'a Function,
        index: usize,
        file: FileId,
    },
    /// Not defined in the connector: a library function such as `Web.Contents`, or unknown.
    External,
}

impl<'a> Env<'a> {
    fn push(&self, scope: Scope<'a>) -> Env<'a> {
        let calls = match &scope {
            Scope::Params {
                args: Some((_, caller)),
                ..
            } => self.0.calls.max(caller.0.calls).saturating_add(1),
            _ => self.0.calls,
        };
        Env(Rc::new(Frame {
            scope,
            parent: Some(self.clone()),
            calls,
        }))
    }

    /// The outermost scope of a document.
    pub fn root(file: FileId) -> Env<'a> {
        Env(Rc::new(Frame {
            scope: Scope::Root { file },
            parent: None,
            calls: 0,
        }))
    }

    /// The same scopes, for an expression of `file` (a module evaluated in the section's
    /// environment), so [`Env::file`] names the module.
    pub fn in_file(&self, file: FileId) -> Env<'a> {
        self.push(Scope::Root { file })
    }

    pub fn with_section(
        &self,
        file: FileId,
        members: &'a [SectionMember],
        shared_only: bool,
    ) -> Env<'a> {
        let mut index = FxHashMap::with_capacity_and_hasher(members.len(), Default::default());
        for (position, member) in members.iter().enumerate().rev() {
            if !shared_only || member.shared.is_some() {
                index.insert(&*member.name.name, position);
            }
        }
        self.push(Scope::Section {
            file,
            members,
            index: Rc::new(index),
        })
    }

    pub fn with_let(&self, file: FileId, bindings: &'a [Binding]) -> Env<'a> {
        let index = NameIndex::new(bindings.iter().map(|b| &*b.name.name));
        self.push(Scope::Let {
            file,
            bindings,
            index,
        })
    }

    pub fn with_record(&self, file: FileId, fields: &'a [Field]) -> Env<'a> {
        let index = NameIndex::new(fields.iter().map(|f| &*f.name.name));
        self.push(Scope::Record {
            file,
            fields,
            index,
        })
    }

    pub fn with_params(&self, file: FileId, function: &'a Function) -> Env<'a> {
        let index = NameIndex::new(function.params.iter().map(|p| &*p.name.name));
        self.push(Scope::Params {
            file,
            function,
            index,
            args: None,
        })
    }

    /// The environment of `function`'s body for one call: each parameter names the
    /// argument the call passes, evaluated in `caller` (an omitted optional argument stays a
    /// parameter).
    pub fn with_args(
        &self,
        file: FileId,
        function: &'a Function,
        args: &'a [Expr],
        caller: &Env<'a>,
    ) -> Env<'a> {
        let index = NameIndex::new(function.params.iter().map(|p| &*p.name.name));
        self.push(Scope::Params {
            file,
            function,
            index,
            args: Some((args, caller.clone())),
        })
    }

    /// The environment's identity while it lives.
    pub fn address(&self) -> usize {
        Rc::as_ptr(&self.0) as usize
    }

    /// Whether both are the same environment (not merely equal scopes).
    pub fn same(&self, other: &Env<'a>) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// How deeply nested the calls are whose arguments this environment binds: 0 outside
    /// any call, one more than the deeper of the function's and the caller's environments
    /// inside a call's body.
    pub fn call_depth(&self) -> usize {
        self.0.calls as usize
    }

    /// The identity of the innermost call whose arguments this environment binds, 0 when it
    /// binds none: an expression means the same in two environments with the same scopes
    /// and the same call identity.
    pub fn call_id(&self) -> usize {
        let mut current = Some(self);
        while let Some(env) = current {
            if let Scope::Params { args: Some(_), .. } = env.0.scope {
                return Rc::as_ptr(&env.0) as usize;
            }
            current = env.0.parent.as_ref();
        }
        0
    }

    /// Whether a call of `function` is being followed on the way to this environment: its
    /// arguments are bound here, or in the environment of a caller.
    pub fn is_calling(&self, function: &Function) -> bool {
        let mut current = Some(self);
        while let Some(env) = current {
            if env.0.calls == 0 {
                return false;
            }
            if let Scope::Params {
                function: bound,
                args: Some((_, caller)),
                ..
            } = &env.0.scope
                && (std::ptr::eq(*bound, function) || caller.is_calling(function))
            {
                return true;
            }
            current = env.0.parent.as_ref();
        }
        false
    }

    /// The file the innermost scope belongs to.
    pub fn file(&self) -> FileId {
        match &self.0.scope {
            Scope::Root { file }
            | Scope::Section { file, .. }
            | Scope::Let { file, .. }
            | Scope::Record { file, .. }
            | Scope::Params { file, .. } => *file,
        }
    }

    /// Looks a name up, innermost scope first.
    pub fn lookup(&self, name: &str) -> Definition<'a> {
        self.lookup_excluding(name, None)
    }

    /// Looks up a name written at `at` (in this environment's file), as M scopes it: a
    /// record field or `let` variable is not in scope inside its own value
    /// (`[state = state]` names the outer `state`; only `@state` names the field itself).
    pub fn lookup_at(&self, name: &str, at: Span) -> Definition<'a> {
        self.lookup_excluding(name, Some((self.file(), at)))
    }

    fn lookup_excluding(&self, name: &str, at: Option<(FileId, Span)>) -> Definition<'a> {
        let inside_own_value = |file: FileId, value: &Expr| {
            at.is_some_and(|(at_file, at)| {
                at_file == file && value.span.start <= at.start && at.end <= value.span.end
            })
        };
        let mut env = self;
        loop {
            let frame = &*env.0;
            match &frame.scope {
                Scope::Root { .. } => {}
                Scope::Let {
                    file,
                    bindings,
                    index,
                } => {
                    if let Some((_, b)) = find_named(
                        bindings,
                        index,
                        name,
                        |b| &b.name.name,
                        |b| !inside_own_value(*file, &b.value) && !is_library_alias(name, &b.value),
                    ) {
                        return Definition::Value {
                            expr: &b.value,
                            env: env.clone(),
                            file: *file,
                            name_span: b.name.span,
                            param: None,
                        };
                    }
                }
                Scope::Record {
                    file,
                    fields,
                    index,
                } => {
                    if let Some((_, f)) = find_named(
                        fields,
                        index,
                        name,
                        |f| &f.name.name,
                        |f| !inside_own_value(*file, &f.value) && !is_library_alias(name, &f.value),
                    ) {
                        return Definition::Value {
                            expr: &f.value,
                            env: env.clone(),
                            file: *file,
                            name_span: f.name.span,
                            param: None,
                        };
                    }
                }
                Scope::Params {
                    file,
                    function,
                    index,
                    args,
                } => {
                    if let Some((index, _)) =
                        find_named(&function.params, index, name, |p| &p.name.name, |_| true)
                    {
                        if let Some((args, caller)) = args
                            && let Some(arg) = args.get(index)
                        {
                            return Definition::Value {
                                expr: arg,
                                env: caller.clone(),
                                file: caller.file(),
                                name_span: arg.span,
                                param: Some((function, index)),
                            };
                        }
                        return Definition::Param {
                            function,
                            index,
                            file: *file,
                        };
                    }
                }
                Scope::Section {
                    file,
                    members,
                    index,
                    ..
                } => {
                    if let Some(m) = index
                        .get(name)
                        .and_then(|&position| members.get(position))
                        .filter(|m| !is_library_alias(name, &m.value))
                    {
                        return Definition::Value {
                            expr: &m.value,
                            env: env.clone(),
                            file: *file,
                            name_span: m.name.span,
                            param: None,
                        };
                    }
                }
            }
            match &frame.parent {
                Some(parent) => env = parent,
                None => return Definition::External,
            }
        }
    }
}

/// Why a value could not be resolved statically.
#[derive(Clone, Debug, PartialEq)]
pub struct Computed {
    pub span: Span,
    pub reason: String,
}

/// The statically known value of an expression.
#[derive(Clone)]
pub enum Resolved<'a> {
    Text(String),
    Number(f64),
    Logical(bool),
    Null,
    List(&'a [Expr], Env<'a>),
    Record(&'a [Field], Env<'a>),
    Function(&'a Function, Env<'a>),
    /// A function parameter; [`crate::model::Connector::parameter_values`] expands it through calls.
    Param {
        function: &'a Function,
        index: usize,
    },
    Computed(Computed),
}

impl Resolved<'_> {
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Resolved::Text(text) => Some(text),
            _ => None,
        }
    }

    pub fn is_computed(&self) -> bool {
        matches!(self, Resolved::Computed(_) | Resolved::Param { .. })
    }

    /// A short description for messages: `text`, `record`, `a function call`, ….
    pub fn describe(&self) -> &'static str {
        match self {
            Resolved::Text(_) => "text",
            Resolved::Number(_) => "a number",
            Resolved::Logical(_) => "a logical",
            Resolved::Null => "null",
            Resolved::List(..) => "a list",
            Resolved::Record(..) => "a record",
            Resolved::Function(..) => "a function",
            Resolved::Param { .. } => "a function parameter",
            Resolved::Computed(_) => "computed",
        }
    }
}

/// Resolves expressions against an environment and the neutral resources.
pub struct Resolver<'a> {
    pub resx: Option<&'a Resx>,
}

impl<'a> Resolver<'a> {
    /// The value of `expr`, following names, parentheses, `meta`, `let` bodies, `&` of texts
    /// and `Extension.LoadString`.
    pub fn resolve(&self, expr: &'a Expr, env: &Env<'a>) -> Resolved<'a> {
        let mut steps = 0;
        self.resolve_steps(expr, env.clone(), &mut steps)
    }

    pub(super) fn resolve_steps(
        &self,
        expr: &'a Expr,
        env: Env<'a>,
        steps: &mut usize,
    ) -> Resolved<'a> {
        *steps += 1;
        if *steps > MAX_RESOLVE_STEPS {
            return computed(expr.span, "the definition chain is too long or cyclic");
        }
        match &expr.kind {
            ExprKind::Literal(literal) => match literal {
                Literal::Text(text) => Resolved::Text(text.to_string()),
                Literal::Number(n) => Resolved::Number(*n),
                Literal::Logical(b) => Resolved::Logical(*b),
                Literal::Null => Resolved::Null,
                Literal::Infinity => Resolved::Number(f64::INFINITY),
                Literal::Nan => Resolved::Number(f64::NAN),
                Literal::Verbatim(_) => computed(
                    expr.span,
                    "a verbatim literal raises an error when evaluated",
                ),
            },
            ExprKind::Parens(inner) => self.resolve_steps(inner, env, steps),
            ExprKind::Meta { value, .. } => self.resolve_steps(value, env, steps),
            ExprKind::Ident(ident) => match env.lookup_at(&ident.name, expr.span) {
                Definition::Value { expr, env, .. } => self.resolve_steps(expr, env, steps),
                Definition::Param {
                    function, index, ..
                } => Resolved::Param { function, index },
                Definition::External => computed(
                    expr.span,
                    format!("`{}` is not defined in the connector", ident.name),
                ),
            },
            ExprKind::Let(let_expr) => {
                let file = env.file();
                let env = env.with_let(file, &let_expr.bindings);
                self.resolve_steps(&let_expr.body, env, steps)
            }
            ExprKind::List(items) => Resolved::List(items, env),
            ExprKind::Record(fields) => Resolved::Record(fields, env),
            ExprKind::Function(function) => Resolved::Function(function, env),
            ExprKind::Binary { first, rest }
                if rest.iter().all(|r| r.op == BinaryOp::Concatenate) =>
            {
                let mut joined = String::new();
                for part in std::iter::once(&**first).chain(rest.iter().map(|r| &r.right)) {
                    match self.resolve_steps(part, env.clone(), steps) {
                        Resolved::Text(text) if joined.len() + text.len() <= MAX_JOINED_TEXT => {
                            joined.push_str(&text)
                        }
                        Resolved::Text(_) => {
                            return computed(expr.span, "the joined text is too long");
                        }
                        other => {
                            return as_computed(
                                other,
                                part.span,
                                "a part of the `&` chain is not literal text",
                            );
                        }
                    }
                }
                Resolved::Text(joined)
            }
            ExprKind::Postfix { .. } | ExprKind::Invoke { .. } => match call_of(expr) {
                Some((callee, args))
                    if callee == "Extension.LoadString" && env.lookup(callee).is_external() =>
                {
                    self.load_string(expr, args, env, steps)
                }
                call => {
                    if let Some(value) = self.resolve_call(expr, &env, steps) {
                        return value;
                    }
                    match call {
                        Some((callee, _)) => {
                            computed(expr.span, format!("the result of calling `{callee}`"))
                        }
                        None => computed(expr.span, "a field, item or call result"),
                    }
                }
            },
            ExprKind::If(if_expr) => {
                match self.resolve_steps(&if_expr.condition, env.clone(), steps) {
                    Resolved::Logical(true) => self.resolve_steps(&if_expr.then_branch, env, steps),
                    Resolved::Logical(false) => {
                        self.resolve_steps(&if_expr.else_branch, env, steps)
                    }
                    _ => {
                        let then = self.resolve_steps(&if_expr.then_branch, env.clone(), steps);
                        let otherwise = self.resolve_steps(&if_expr.else_branch, env, steps);
                        match (then, otherwise) {
                            (Resolved::Text(a), Resolved::Text(b)) if a == b => Resolved::Text(a),
                            // A branch that is not literal says best why the value is not.
                            (Resolved::Computed(inner), _) | (_, Resolved::Computed(inner)) => {
                                Resolved::Computed(inner)
                            }
                            _ => computed(expr.span, "a value that depends on a condition"),
                        }
                    }
                }
            }
            _ => computed(expr.span, "a computed expression"),
        }
    }

    fn load_string(
        &self,
        call: &'a Expr,
        args: &'a [Expr],
        env: Env<'a>,
        steps: &mut usize,
    ) -> Resolved<'a> {
        let Some(key_expr) = args.first() else {
            return computed(call.span, "`Extension.LoadString` without a key");
        };
        match self.resolve_steps(key_expr, env, steps) {
            Resolved::Text(key) => match self.resx.map(|resx| resx.get(&key)) {
                Some(Some(value)) => Resolved::Text(value.to_owned()),
                Some(None) => computed(
                    call.span,
                    format!("resource string `{key}` is not in `resources.resx`"),
                ),
                None => computed(
                    call.span,
                    format!("resource string `{key}`: the package has no `resources.resx`"),
                ),
            },
            other => as_computed(other, key_expr.span, "the resource key is not literal text"),
        }
    }

    /// The literal text of `expr`, or why there is none.
    pub fn text(&self, expr: &'a Expr, env: &Env<'a>) -> Result<String, Computed> {
        match self.resolve(expr, env) {
            Resolved::Text(text) => Ok(text),
            other => Err(match as_computed(other, expr.span, "not literal text") {
                Resolved::Computed(computed) => computed,
                _ => Computed {
                    span: expr.span,
                    reason: "not literal text".into(),
                },
            }),
        }
    }

    /// The fields of the record `expr` resolves to.
    pub fn record(&self, expr: &'a Expr, env: &Env<'a>) -> Option<(&'a [Field], Env<'a>)> {
        match self.resolve(expr, env) {
            Resolved::Record(fields, env) => Some((fields, env)),
            _ => None,
        }
    }

    /// The items of the list `expr` resolves to.
    pub fn list(&self, expr: &'a Expr, env: &Env<'a>) -> Option<(&'a [Expr], Env<'a>)> {
        match self.resolve(expr, env) {
            Resolved::List(items, env) => Some((items, env)),
            _ => None,
        }
    }
}

impl Definition<'_> {
    pub fn is_external(&self) -> bool {
        matches!(self, Definition::External)
    }
}

pub(super) fn computed<'a>(span: Span, reason: impl Into<String>) -> Resolved<'a> {
    Resolved::Computed(Computed {
        span,
        reason: reason.into(),
    })
}

fn as_computed<'a>(value: Resolved<'a>, span: Span, reason: &str) -> Resolved<'a> {
    match value {
        Resolved::Computed(inner) => Resolved::Computed(inner),
        Resolved::Param { .. } => computed(span, "a function parameter"),
        _ => computed(span, reason),
    }
}

/// One step through a transparent expression: parentheses, a name bound to a value, a `let`
/// (to its body). `None` when `expr` is none of these, or a name that is a parameter or
/// external. Loops over this step are bounded by their callers.
pub fn step_through<'a>(expr: &'a Expr, env: &Env<'a>) -> Option<(&'a Expr, Env<'a>)> {
    match &expr.kind {
        ExprKind::Parens(inner) => Some((inner, env.clone())),
        ExprKind::Ident(ident) => match env.lookup_at(&ident.name, expr.span) {
            Definition::Value { expr, env, .. } => Some((expr, env)),
            _ => None,
        },
        ExprKind::Let(let_expr) => {
            let file = env.file();
            Some((&let_expr.body, env.with_let(file, &let_expr.bindings)))
        }
        _ => None,
    }
}

/// `callee(args)` when `expr` is a single invocation of a plain (possibly dotted) name.
pub fn call_of(expr: &Expr) -> Option<(&str, &[Expr])> {
    let (callee, args) = expr.as_call()?;
    match &callee.kind {
        ExprKind::Ident(ident) => Some((&ident.name, args)),
        _ => None,
    }
}

/// The name of a parameter.
pub fn param_name(param: &Param) -> &str {
    &param.name.name
}

/// Whether `value` is the library's own `name` read from the global environment:
/// `Record.FieldOrDefault(#shared, "name", fallback)`, `Record.Field(#shared, "name")` or
/// `#shared[name]`, possibly inside `try … otherwise fallback`. Connectors define such members
/// so that they also run where the library function is missing; where it exists (always, when
/// the connector is loaded) the member is the library function, so names resolve past it.
pub fn is_library_alias(name: &str, value: &Expr) -> bool {
    let mut value = value;
    // Parentheses and `try` around the read: bounded by the tree's depth.
    loop {
        value = match &value.kind {
            ExprKind::Parens(inner) => inner,
            ExprKind::Try(try_expr) => &try_expr.body,
            _ => break,
        };
    }
    let is_shared = |expr: &Expr| matches!(expr.kind, ExprKind::Intrinsic(Intrinsic::Shared));
    if let Some((callee, args)) = call_of(value)
        && matches!(callee, "Record.FieldOrDefault" | "Record.Field")
        && let [record, field, ..] = args
    {
        return is_shared(record) && field.as_text().is_some_and(|text| text == name);
    }
    if let ExprKind::Postfix { target, ops } = &value.kind
        && let [Postfix::Field(selector)] = ops.as_slice()
    {
        return is_shared(target) && selector.name.name == name;
    }
    false
}
