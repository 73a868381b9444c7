//! The connector as the certification rules see it, built once per package from the syntax
//! trees: the section and its members, every call of a name, data source functions and their
//! shapes, Kind and Publish records, icons, and the entries and strings the code references.
//! It borrows the [`Model`]'s trees; values that cannot be resolved statically are recorded
//! as computed, never guessed.

pub mod credentials;
pub mod kind;
pub mod modules;
pub mod navigation;
pub mod params;
pub mod reach;
pub mod tables;
pub mod test_connection;

use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::OnceCell;

use crate::model::eval::follow::{Visit, seek};
use crate::model::eval::resolve::{Computed, Definition, Env, Resolved, Resolver, call_of};
use crate::model::eval::walk::walk;
use crate::model::{Model, Role};
use crate::package::png::{PngProblem, PngSize};
use crate::source::{FileId, Span};
use crate::syntax::Document;
use crate::syntax::ast::{Expr, ExprKind, Field, Function, SectionDocument, SectionMember};

pub use crate::model::eval::shape::{FunctionShape, ParamInfo};

/// The literal texts a value takes, each with the file and span that supplied it.
pub type LiteralTexts = Vec<(Result<String, Computed>, FileId, Span)>;

/// A set of expression kinds, so a rule that looks at a few kinds of expressions visits only
/// those ([`Connector::for_each_expr_of`]) instead of reading every node of the walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kinds(u16);

impl Kinds {
    pub const IDENT: Kinds = Kinds(1);
    /// Text literals.
    pub const TEXT: Kinds = Kinds(1 << 1);
    pub const RECORD: Kinds = Kinds(1 << 2);
    pub const LET: Kinds = Kinds(1 << 3);
    pub const FUNCTION: Kinds = Kinds(1 << 4);
    /// `type …` expressions.
    pub const TYPE: Kinds = Kinds(1 << 5);
    pub const META: Kinds = Kinds(1 << 6);
    /// `f(x)`: invocations of a callee expression.
    pub const INVOKE: Kinds = Kinds(1 << 7);
    pub const IF: Kinds = Kinds(1 << 8);
    /// `try …` expressions.
    pub const TRY: Kinds = Kinds(1 << 9);
    const OTHER: Kinds = Kinds(1 << 10);
    /// How many kinds there are: one bit each.
    const COUNT: usize = 11;

    /// Both sets.
    pub const fn or(self, other: Kinds) -> Kinds {
        Kinds(self.0 | other.0)
    }

    fn of(expr: &Expr) -> Kinds {
        match &expr.kind {
            ExprKind::Ident(_) => Kinds::IDENT,
            ExprKind::Literal(crate::syntax::ast::Literal::Text(_)) => Kinds::TEXT,
            ExprKind::Record(_) => Kinds::RECORD,
            ExprKind::Let(_) => Kinds::LET,
            ExprKind::Function(_) => Kinds::FUNCTION,
            ExprKind::Type(_) => Kinds::TYPE,
            ExprKind::Meta { .. } => Kinds::META,
            ExprKind::Invoke { .. } => Kinds::INVOKE,
            ExprKind::If(_) => Kinds::IF,
            ExprKind::Try(_) => Kinds::TRY,
            _ => Kinds::OTHER,
        }
    }

    /// The position of a single kind's bit.
    fn bit(self) -> usize {
        self.0.trailing_zeros() as usize
    }

    fn contains_bit(self, bit: usize) -> bool {
        self.0 & (1 << bit) != 0
    }
}

/// Bytes of M source per expression node, to reserve the walk's lists.
const BYTES_PER_NODE: usize = 16;
/// At most this many nodes are reserved ahead; past it the lists grow as needed.
const MAX_RESERVED_NODES: usize = 4 << 20;

/// The shared walk: every expression, the scope it is in (an index into `scopes`: most
/// expressions share their parent's environment, which is stored once) and its kind.
struct Walked<'a> {
    exprs: Vec<&'a Expr>,
    scope_of: Vec<u32>,
    scopes: Vec<(Env<'a>, FileId)>,
    /// For each kind's bit, the positions of its expressions in walk order: a rule that asks
    /// for `try` expressions reads those only, not every node.
    by_kind: [Vec<u32>; Kinds::COUNT],
}

/// The connector model of one package.
pub struct Connector<'a> {
    pub model: &'a Model,
    pub resolver: Resolver<'a>,
    /// The section document, when the package has one that parsed as a section.
    pub section: Option<Section<'a>>,
    // Each analysis is made the first time a rule asks for it, so a run that checks only the
    // syntax never walks the trees for calls, data sources or references.
    calls: OnceCell<Vec<Call<'a>>>,
    data_sources: OnceCell<Vec<DataSourceFunction<'a>>>,
    kinds_and_publishes: OnceCell<(Vec<KindRecord<'a>>, Vec<PublishRecord<'a>>)>,
    references: OnceCell<References>,
    /// Section members by name and by ASCII-lowercased name, and data sources by Kind: rules
    /// look these up once per Kind or Publish record, which a hostile section has thousands of.
    members: OnceCell<MemberIndex<'a>>,
    kind_index: OnceCell<FxHashMap<String, Vec<usize>>>,
    walked: OnceCell<Walked<'a>>,
}

/// The section document.
pub struct Section<'a> {
    pub document: &'a SectionDocument,
    pub file: FileId,
    /// The environment of member values: the section's members.
    pub env: Env<'a>,
}

/// One call `name(args)` of a plain or dotted name.
#[derive(Clone)]
pub struct Call<'a> {
    pub name: &'a str,
    /// What the called name refers to here; `External` for library functions.
    pub callee: Definition<'a>,
    pub args: &'a [Expr],
    /// The whole call expression.
    pub expr: &'a Expr,
    pub env: Env<'a>,
    pub file: FileId,
}

impl Call<'_> {
    /// A call of the library function `name`, not of a connector definition with that name.
    pub fn is_library(&self, name: &str) -> bool {
        self.name == name && self.callee.is_external()
    }
}

/// A `shared` member with a literal `DataSource.Kind` attribute.
pub struct DataSourceFunction<'a> {
    pub member: &'a SectionMember,
    pub file: FileId,
    pub kind: String,
    /// The `DataSource.Kind` attribute field.
    pub kind_span: Span,
    /// The `Publish` attribute's value and field span.
    pub publish: Option<(String, Span)>,
    /// Parameters and documentation, or why they could not be determined.
    pub shape: Result<FunctionShape<'a>, Computed>,
}

impl DataSourceFunction<'_> {
    pub fn name(&self) -> &str {
        &self.member.name.name
    }
}

/// The Kind record of a data source kind.
pub struct KindRecord<'a> {
    pub name: String,
    /// The member named like the Kind, if any.
    pub member: Option<&'a SectionMember>,
    /// The section document, where the member is.
    pub section_file: FileId,
    /// The record's fields, when the member is a record expression (through names).
    pub fields: Option<(&'a [Field], Env<'a>)>,
    pub authentication: Vec<AuthKind<'a>>,
}

/// One authentication kind of a Kind record (`Key = [KeyLabel = …]`).
pub struct AuthKind<'a> {
    pub field: &'a Field,
    /// The kind's record fields, when its value is a record.
    pub fields: Option<(&'a [Field], Env<'a>)>,
}

impl AuthKind<'_> {
    pub fn kind(&self) -> &str {
        &self.field.name.name
    }
}

/// A Publish record.
pub struct PublishRecord<'a> {
    pub name: String,
    pub member: Option<&'a SectionMember>,
    pub fields: Option<(&'a [Field], Env<'a>)>,
    /// The attribute that names it first.
    pub named_at: Span,
}

/// An icon named in an icon record list.
#[derive(Clone, Debug)]
pub struct Icon {
    /// `Icon16` or `Icon32`.
    pub list: String,
    pub position: usize,
    pub entry: String,
    pub span: Span,
    pub file: FileId,
    /// The image size, or why it could not be read; `None` when the entry does not exist.
    pub size: Option<Result<PngSize, PngProblem>>,
}

/// `Extension.Contents(x)`.
#[derive(Clone, Debug)]
pub struct ContentsReference {
    pub file: FileId,
    /// The argument (at the call site that supplied it, for helper parameters).
    pub span: Span,
    /// The literal entry name, or why it is computed.
    pub target: Result<String, Computed>,
    /// The `Extension.Contents` call inside a helper, when the target came through a parameter.
    pub via: Option<(FileId, Span)>,
}

/// `Extension.LoadString(k)`.
#[derive(Clone, Debug)]
pub struct StringReference {
    pub file: FileId,
    pub span: Span,
    pub key: Result<String, Computed>,
}

/// A module load and the entry it loads.
#[derive(Clone, Debug)]
pub struct ModuleLoad {
    pub file: FileId,
    /// The `Expression.Evaluate` call.
    pub span: Span,
    pub target: Result<String, Computed>,
    /// Whether `Expression.Evaluate` was given an environment (second argument).
    pub has_environment: bool,
    /// The `Expression.Evaluate` call, which differs from `span` when the target came through a
    /// helper parameter.
    pub evaluate: (FileId, Span),
}

#[derive(Default)]
struct MemberIndex<'a> {
    by_name: FxHashMap<&'a str, &'a SectionMember>,
    by_folded: FxHashMap<String, Vec<&'a SectionMember>>,
}

/// What the calls of `Extension.Contents`, `Extension.LoadString` and `Expression.Evaluate`
/// name.
struct References {
    contents: Vec<ContentsReference>,
    strings: Vec<StringReference>,
    module_loads: Vec<ModuleLoad>,
}

/// Extension functions that take or produce package content.
pub const EXTENSION_CONTENTS: &str = "Extension.Contents";
pub use crate::model::eval::resolve::EXTENSION_LOAD_STRING;

impl<'a> Connector<'a> {
    /// Builds the connector model from the parsed documents of `model`.
    pub fn build(model: &'a Model) -> Connector<'a> {
        let resolver = Resolver {
            resx: model.neutral_resources(),
        };
        let section =
            model
                .documents
                .iter()
                .find_map(|doc| match (&doc.parse.document, doc.role) {
                    (Document::Section(section), Role::SectionDocument) => {
                        let env =
                            Env::root(doc.file).with_section(doc.file, &section.members, false);
                        Some(Section {
                            document: section,
                            file: doc.file,
                            env,
                        })
                    }
                    _ => None,
                });
        Connector {
            model,
            resolver,
            section,
            calls: OnceCell::new(),
            data_sources: OnceCell::new(),
            kinds_and_publishes: OnceCell::new(),
            references: OnceCell::new(),
            members: OnceCell::new(),
            kind_index: OnceCell::new(),
            walked: OnceCell::new(),
        }
    }

    /// Every invocation of a name in the section document and modules, in document order.
    pub fn calls(&self) -> &[Call<'a>] {
        self.calls.get_or_init(|| self.collect_calls())
    }

    /// The `shared` members with a `DataSource.Kind` attribute.
    pub fn data_sources(&self) -> &[DataSourceFunction<'a>] {
        self.data_sources
            .get_or_init(|| self.collect_data_sources())
    }

    /// One per distinct Kind named by a data source function, in order of first use.
    pub fn kinds(&self) -> &[KindRecord<'a>] {
        &self
            .kinds_and_publishes
            .get_or_init(|| self.collect_kinds_and_publishes())
            .0
    }

    /// One per distinct Publish record named by a data source function.
    pub fn publishes(&self) -> &[PublishRecord<'a>] {
        &self
            .kinds_and_publishes
            .get_or_init(|| self.collect_kinds_and_publishes())
            .1
    }

    /// `Extension.Contents` references, expanded through helper parameters.
    pub fn contents(&self) -> &[ContentsReference] {
        &self.references().contents
    }

    /// `Extension.LoadString` references.
    pub fn strings(&self) -> &[StringReference] {
        &self.references().strings
    }

    /// `Expression.Evaluate(Text.FromBinary(Extension.Contents(x)), env)` module loads.
    pub fn module_loads(&self) -> &[ModuleLoad] {
        &self.references().module_loads
    }

    /// The first section member named `name`.
    pub fn member(&self, name: &str) -> Option<&'a SectionMember> {
        self.member_index().by_name.get(name).copied()
    }

    /// A section member whose name differs from `name` only in ASCII letter case.
    pub fn case_variant(&self, name: &str) -> Option<&'a SectionMember> {
        self.member_index()
            .by_folded
            .get(&name.to_ascii_lowercase())?
            .iter()
            .copied()
            .find(|m| m.name.name != name)
    }

    /// The data source functions of the Kind `kind`, in section order.
    pub fn data_sources_of_kind<'s>(
        &'s self,
        kind: &str,
    ) -> impl Iterator<Item = &'s DataSourceFunction<'a>> + 's {
        let index = self.kind_index.get_or_init(|| {
            let mut index: FxHashMap<String, Vec<usize>> = FxHashMap::default();
            for (position, data_source) in self.data_sources().iter().enumerate() {
                index
                    .entry(data_source.kind.clone())
                    .or_default()
                    .push(position);
            }
            index
        });
        let positions = index.get(kind).map_or(&[][..], Vec::as_slice);
        positions
            .iter()
            .filter_map(|&position| self.data_sources().get(position))
    }

    fn member_index(&self) -> &MemberIndex<'a> {
        self.members.get_or_init(|| {
            let mut index = MemberIndex::default();
            if let Some(section) = &self.section {
                for member in &section.document.members {
                    index.by_name.entry(&*member.name.name).or_insert(member);
                    index
                        .by_folded
                        .entry(member.name.name.to_ascii_lowercase())
                        .or_default()
                        .push(member);
                }
            }
            index
        })
    }

    fn references(&self) -> &References {
        self.references.get_or_init(|| self.collect_references())
    }

    /// Every expression of every M document with its environment and file, in walk order:
    /// one walk, made the first time it is needed, that the model's analyses and the rules
    /// share instead of walking the trees again.
    fn walked(&self) -> &Walked<'a> {
        self.walked.get_or_init(|| {
            // About one expression per 20 bytes of M: reserved once, not grown by copies.
            let bytes: usize = (self.model.documents.iter())
                .map(|doc| self.model.sources.get(doc.file).text.len())
                .sum();
            let estimate = (bytes / BYTES_PER_NODE).min(MAX_RESERVED_NODES);
            let mut walked = Walked {
                exprs: Vec::with_capacity(estimate),
                scope_of: Vec::with_capacity(estimate),
                scopes: Vec::new(),
                by_kind: Default::default(),
            };
            for (root, env, file) in self.roots() {
                walk(root, &env, file, &mut |expr, env| {
                    let same = walked
                        .scopes
                        .last()
                        .is_some_and(|(last, last_file)| *last_file == file && last.same(env));
                    if !same {
                        walked.scopes.push((env.clone(), file));
                    }
                    let scope = u32::try_from(walked.scopes.len() - 1).unwrap_or(u32::MAX);
                    let position = u32::try_from(walked.exprs.len()).unwrap_or(u32::MAX);
                    walked.exprs.push(expr);
                    walked.scope_of.push(scope);
                    if let Some(list) = walked.by_kind.get_mut(Kinds::of(expr).bit()) {
                        list.push(position);
                    }
                });
            }
            walked
        })
    }

    /// Every expression of every M document with its environment.
    pub fn for_each_expr(&self, mut visit: impl FnMut(&'a Expr, &Env<'a>, FileId)) {
        let walked = self.walked();
        for (expr, &scope) in walked.exprs.iter().zip(&walked.scope_of) {
            if let Some((env, file)) = walked.scopes.get(scope as usize) {
                visit(expr, env, *file);
            }
        }
    }

    /// Every expression of one of the `kinds`, in walk order, with its environment.
    pub fn for_each_expr_of(
        &self,
        kinds: Kinds,
        mut visit: impl FnMut(&'a Expr, &Env<'a>, FileId),
    ) {
        let walked = self.walked();
        let mut lists: Vec<&[u32]> = (walked.by_kind.iter().enumerate())
            .filter(|(bit, list)| kinds.contains_bit(*bit) && !list.is_empty())
            .map(|(_, list)| list.as_slice())
            .collect();
        let mut visit_at = |index: u32| {
            let scope = walked
                .scope_of
                .get(index as usize)
                .copied()
                .unwrap_or(u32::MAX);
            if let (Some(expr), Some((env, file))) = (
                walked.exprs.get(index as usize),
                walked.scopes.get(scope as usize),
            ) {
                visit(expr, env, *file);
            }
        };
        if let [list] = lists.as_slice() {
            list.iter().for_each(|&index| visit_at(index));
            return;
        }
        // Merged in walk order: the next position is the smallest head among the lists.
        while let Some(head) = lists.iter().filter_map(|list| list.first()).min().copied() {
            for list in &mut lists {
                if list.first() == Some(&head) {
                    *list = list.get(1..).unwrap_or_default();
                }
            }
            visit_at(head);
        }
    }

    /// The root expressions to walk: section member values (and attribute records) and module
    /// bodies, with their environments.
    fn roots(&self) -> Vec<(&'a Expr, Env<'a>, FileId)> {
        let mut roots = Vec::new();
        for doc in &self.model.documents {
            match &doc.parse.document {
                Document::Section(section) => {
                    let env = Env::root(doc.file).with_section(doc.file, &section.members, false);
                    roots.extend(
                        section
                            .members
                            .iter()
                            .map(|m| (&m.value, env.clone(), doc.file)),
                    );
                }
                Document::Expression(expr) => {
                    let mut env = Env::root(doc.file);
                    if let Some(section) = &self.section {
                        env = env
                            .with_section(section.file, &section.document.members, true)
                            .in_file(doc.file);
                    }
                    roots.push((expr, env, doc.file));
                }
            }
        }
        roots
    }

    /// Every call of a name, with the callee resolved where it is called.
    fn collect_calls(&self) -> Vec<Call<'a>> {
        let mut calls = Vec::new();
        self.for_each_expr_of(Kinds::INVOKE, |expr, env, file| {
            if let Some((name, args)) = call_of(expr) {
                let at = expr.as_call().map_or(expr.span, |(callee, _)| callee.span);
                let callee = env.lookup_at(name, at);
                calls.push(Call {
                    name,
                    callee,
                    args,
                    expr,
                    env: env.clone(),
                    file,
                });
            }
        });
        calls
    }

    /// Calls of the library function `name` (not shadowed by a connector definition).
    pub fn library_calls<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Call<'a>> + 's {
        self.calls()
            .iter()
            .filter(move |call| call.is_library(name))
    }

    /// Calls whose callee is the function expression `function`. A module calling a section
    /// member that is not `shared` counts too: literal values follow every call in the section
    /// document and modules, and loaders called from modules are common.
    pub fn calls_of(&self, function: &Function) -> Vec<&Call<'a>> {
        self.calls()
            .iter()
            .filter(|call| {
                let callee = match (&call.callee, &self.section) {
                    (Definition::External, Some(section)) if call.file != section.file => {
                        section.env.lookup(call.name)
                    }
                    (callee, _) => callee.clone(),
                };
                match callee {
                    Definition::Value { expr, env, .. } => {
                        matches!(self.resolver.resolve(expr, &env), Resolved::Function(f, _) if std::ptr::eq(f, function))
                    }
                    _ => false,
                }
            })
            .collect()
    }

    /// The literal texts a value takes: itself when literal, or, for a parameter of a helper
    /// whose every call passes a literal, the literal at each call with the call's span (none
    /// when the helper is never called).
    pub fn literal_texts(&self, expr: &'a Expr, env: &Env<'a>) -> LiteralTexts {
        let file = env.file();
        match self.resolver.resolve(expr, env) {
            Resolved::Text(text) => vec![(Ok(text), file, expr.span)],
            Resolved::Param { function, index } => {
                // A parameter of a function that is never called takes no value at all.
                self.calls_of(function)
                    .into_iter()
                    .map(|call| match call.args.get(index) {
                        Some(arg) => (self.resolver.text(arg, &call.env), call.file, arg.span),
                        None => {
                            let computed = Computed {
                                span: call.expr.span,
                                reason: "the argument is missing".into(),
                            };
                            (Err(computed), call.file, call.expr.span)
                        }
                    })
                    .collect()
            }
            Resolved::Computed(computed) => vec![(Err(computed), file, expr.span)],
            other => {
                let computed = Computed {
                    span: expr.span,
                    reason: format!("{} is not text", other.describe()),
                };
                vec![(Err(computed), file, expr.span)]
            }
        }
    }

    fn collect_data_sources(&self) -> Vec<DataSourceFunction<'a>> {
        let mut data_sources = Vec::new();
        let Some(section) = &self.section else {
            return data_sources;
        };
        for member in &section.document.members {
            if member.shared.is_none() {
                continue;
            }
            let Some(kind_field) = attribute(member, "DataSource.Kind") else {
                continue;
            };
            let Some(kind) = kind_field.value.as_text() else {
                continue;
            };
            let publish = attribute(member, "Publish").and_then(|field| {
                field
                    .value
                    .as_text()
                    .map(|text| (text.to_owned(), field.span))
            });
            let shape = crate::model::eval::shape::function_shape(&member.value, &section.env);
            data_sources.push(DataSourceFunction {
                member,
                file: section.file,
                kind: kind.to_owned(),
                kind_span: kind_field.span,
                publish,
                shape,
            });
        }
        data_sources
    }

    fn collect_kinds_and_publishes(&self) -> (Vec<KindRecord<'a>>, Vec<PublishRecord<'a>>) {
        let (mut kinds, mut publishes) = (Vec::new(), Vec::new());
        let Some(section) = &self.section else {
            return (kinds, publishes);
        };
        // Hash lookups: a section may declare thousands of data sources and Kinds.
        let mut members: FxHashMap<&str, &SectionMember> = FxHashMap::default();
        for member in &section.document.members {
            members.entry(&*member.name.name).or_insert(member);
        }
        let mut seen_kinds = FxHashSet::default();
        let mut seen_publishes = FxHashSet::default();
        for data_source in self.data_sources() {
            if seen_kinds.insert(data_source.kind.as_str()) {
                let member = members.get(data_source.kind.as_str()).copied();
                let fields = member.and_then(|m| self.resolver.record(&m.value, &section.env));
                let authentication = fields
                    .as_ref()
                    .and_then(|(fields, env)| {
                        let auth = fields.iter().find(|f| f.name.name == "Authentication")?;
                        let (kinds, env) = self.resolver.record(&auth.value, env)?;
                        Some(
                            kinds
                                .iter()
                                .map(|field| AuthKind {
                                    field,
                                    fields: self.resolver.record(&field.value, &env),
                                })
                                .collect(),
                        )
                    })
                    .unwrap_or_default();
                kinds.push(KindRecord {
                    name: data_source.kind.clone(),
                    member,
                    section_file: section.file,
                    fields,
                    authentication,
                });
            }
            if let Some((name, span)) = &data_source.publish
                && seen_publishes.insert(name.as_str())
            {
                let member = members.get(name.as_str()).copied();
                let fields = member.and_then(|m| self.resolver.record(&m.value, &section.env));
                publishes.push(PublishRecord {
                    name: name.clone(),
                    member,
                    fields,
                    named_at: *span,
                });
            }
        }
        (kinds, publishes)
    }

    fn collect_references(&self) -> References {
        let mut contents = Vec::new();
        let mut strings = Vec::new();
        let mut module_loads = Vec::new();
        for call in self.calls() {
            let first = call.args.first();
            if call.is_library(EXTENSION_CONTENTS) {
                let Some(arg) = first else { continue };
                for (target, file, span) in self.literal_texts(arg, &call.env) {
                    let via = (file != call.file || span != arg.span)
                        .then_some((call.file, call.expr.span));
                    contents.push(ContentsReference {
                        file,
                        span,
                        target,
                        via,
                    });
                }
            } else if call.is_library(EXTENSION_LOAD_STRING) {
                let Some(arg) = first else { continue };
                for (key, file, span) in self.literal_texts(arg, &call.env) {
                    strings.push(StringReference { file, span, key });
                }
            } else if call.is_library("Expression.Evaluate")
                && let Some(arg) = first
                && let Some(targets) = self.module_targets(arg, &call.env)
            {
                for (target, file, span) in targets {
                    let span = if file == call.file && span == arg.span {
                        call.expr.span
                    } else {
                        span
                    };
                    module_loads.push(ModuleLoad {
                        file,
                        span,
                        target,
                        has_environment: call.args.len() > 1,
                        evaluate: (call.file, call.expr.span),
                    });
                }
            }
        }
        References {
            contents,
            strings,
            module_loads,
        }
    }

    /// When `expr` is (through names, `try` and parentheses) `Text.FromBinary(Extension.Contents(x))`,
    /// the literal values of `x`.
    pub fn module_targets(&self, expr: &'a Expr, env: &Env<'a>) -> Option<LiteralTexts> {
        let (binary, env) = self.follow_module_text(expr, env)?;
        let (contents, env) = self.follow_call(binary.first()?, &env, EXTENSION_CONTENTS)?;
        Some(self.literal_texts(contents.first()?, &env))
    }

    /// Follows `expr` like [`Self::follow_call`] to `Text.FromBinary(…)`, also through
    /// `Text.Replace(text, "placeholder", "literal")`: literal text filled into module text
    /// leaves it module text.
    /// One step towards the value of `expr`: into the module a load returns
    /// ([`modules::loaded_module`]), or [`Resolver::step`].
    pub fn step(&self, expr: &'a Expr, env: &Env<'a>) -> Option<(&'a Expr, Env<'a>)> {
        if matches!(
            expr.kind,
            ExprKind::Invoke { .. } | ExprKind::Postfix { .. }
        ) && let Some(next) = modules::loaded_module(self, expr, env)
        {
            return Some(next);
        }
        self.resolver.step(expr, env)
    }

    /// [`seek`] with [`Connector::step`]: the follower for values a module may hold.
    pub fn seek<T>(
        &self,
        expr: &'a Expr,
        env: &Env<'a>,
        visit: impl FnMut(&'a Expr, &Env<'a>) -> Visit<'a, T>,
    ) -> Option<T> {
        seek(expr, env, |expr, env| self.step(expr, env), visit)
    }

    fn follow_module_text(&self, expr: &'a Expr, env: &Env<'a>) -> Option<(&'a [Expr], Env<'a>)> {
        self.resolver
            .seek(expr, env, |expr, env| match call_of(expr) {
                Some((callee, args)) if env.lookup(callee).is_external() => match (callee, args) {
                    ("Text.FromBinary", _) => Visit::Found((args, env.clone())),
                    ("Text.Replace", [text, placeholder, value])
                        if self.resolver.text(placeholder, env).is_ok()
                            && self.resolver.text(value, env).is_ok() =>
                    {
                        Visit::Into(text, env.clone())
                    }
                    _ => Visit::Step,
                },
                _ => Visit::Step,
            })
    }

    /// Follows names, parentheses, `try`, calls of connector functions and fields of records
    /// ([`Resolver::step`]) to a library call of `name`; returns its arguments.
    fn follow_call(
        &self,
        expr: &'a Expr,
        env: &Env<'a>,
        name: &str,
    ) -> Option<(&'a [Expr], Env<'a>)> {
        self.resolver.library_call_of(expr, env, name)
    }

    /// The icons named by the icon records of every Publish record, with their pixel sizes.
    pub fn icons(&self) -> Vec<Icon> {
        let mut icons = Vec::new();
        for publish in self.publishes() {
            let Some((fields, env)) = &publish.fields else {
                continue;
            };
            for image in ["SourceImage", "SourceTypeImage"] {
                let Some(field) = fields.iter().find(|f| f.name.name == image) else {
                    continue;
                };
                let Some((lists, env)) = self.resolver.record(&field.value, env) else {
                    continue;
                };
                for list_field in lists
                    .iter()
                    .filter(|f| matches!(&*f.name.name, "Icon16" | "Icon32"))
                {
                    let Some((items, env)) = self.resolver.list(&list_field.value, &env) else {
                        continue;
                    };
                    for (position, item) in items.iter().enumerate() {
                        let Some((name, args)) = call_of(item) else {
                            continue;
                        };
                        let Some(arg) = args.first().filter(|_| name == EXTENSION_CONTENTS) else {
                            continue;
                        };
                        let Ok(entry) = self.resolver.text(arg, &env) else {
                            continue;
                        };
                        if icons.iter().any(|i: &Icon| {
                            i.list == *list_field.name.name
                                && i.position == position
                                && i.entry == entry
                        }) {
                            continue;
                        }
                        let size = self
                            .model
                            .entry_named(&entry)
                            .map(|e| crate::package::png::png_size(&e.data));
                        let file = env.file();
                        icons.push(Icon {
                            list: list_field.name.name.to_string(),
                            position,
                            entry,
                            span: arg.span,
                            file,
                            size,
                        });
                    }
                }
            }
        }
        icons
    }
}

/// A literal attribute field of a member.
pub fn attribute<'a>(member: &'a SectionMember, name: &str) -> Option<&'a Field> {
    member
        .attributes
        .as_ref()?
        .fields
        .iter()
        .find(|f| f.name.name == name)
}

/// The member with exactly this name.
pub fn find_member<'a>(section: &'a SectionDocument, name: &str) -> Option<&'a SectionMember> {
    section.members.iter().find(|m| m.name.name == name)
}

/// A field of a record by name.
pub fn field<'a>(fields: &'a [Field], name: &str) -> Option<&'a Field> {
    fields.iter().find(|f| f.name.name == name)
}
