//! The typed M syntax tree: every node carries the byte span of its source.
//!
//! Operator chains are flat (one [`ExprKind::Binary`] per precedence level holding all its
//! operands, one [`ExprKind::Postfix`] holding a whole `f(x)[a]{0}` chain, one
//! [`ExprKind::Unary`] holding `- - not x`), so tree depth stays bounded by the parser's
//! nesting limit however long the input. Names and text values are decoded and owned, so the
//! tree outlives the source text. It holds no tokens, trivia or parse machinery.

use std::fmt;

use crate::source::Span;

/// A compact owned string: up to 24 bytes inline, longer ones on the heap. Names are compared
/// constantly by the model, so reading one must cost nothing beyond the pointer arithmetic.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Name(compact_str::CompactString);

impl Name {
    pub fn new(text: &str) -> Name {
        Name(compact_str::CompactString::new(text))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name(compact_str::CompactString::from(text))
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An identifier: regular or dotted (`Table.AddColumn`, one name), quoted (`#"a b"`, decoded,
/// `quoted` set) or, in field positions, generalized (`Base Line`, the source text).
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: Name,
    pub quoted: bool,
    pub span: Span,
}

/// A section document: `[attrs] section Name; members`.
#[derive(Clone, Debug, PartialEq)]
pub struct SectionDocument {
    pub attributes: Option<Record>,
    pub name: Ident,
    pub members: Vec<SectionMember>,
    pub span: Span,
}

/// `[attrs] shared Name = value;`
#[derive(Clone, Debug, PartialEq)]
pub struct SectionMember {
    pub attributes: Option<Record>,
    /// The span of the `shared` keyword, when present.
    pub shared: Option<Span>,
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

/// A record literal or record expression: `[a = 1, b = 2]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub fields: Vec<Field>,
    pub span: Span,
}

/// `name = value` in a record; `name` is a generalized or quoted identifier.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

/// An expression and its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// Every expression form.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// Placeholder where an expression failed to parse (an error was recorded).
    Missing,
    Literal(Literal),
    Ident(Ident),
    /// `@name`, the inclusive identifier reference.
    Inclusive(Box<Ident>),
    /// `Section!member`.
    SectionAccess(Box<SectionAccess>),
    /// `#date`, `#table`, `#shared`, … used as values or invoked.
    Intrinsic(Intrinsic),
    /// `...`
    NotImplemented,
    Parens(Box<Expr>),
    /// `{a, b, c..d}`; range items are [`ExprKind::Range`].
    List(Vec<Expr>),
    /// `a..b`, only as a list item.
    Range(Box<[Expr; 2]>),
    Record(Vec<Field>),
    /// `[field]` or `[field]?` on the implicit `_`.
    ImplicitField(Box<FieldSelector>),
    /// `[[a], [b]]` or `[[a]]?` on the implicit `_`.
    ImplicitProjection(Box<Projection>),
    /// `callee(args)`: a primary followed by exactly one invocation (the common case, kept
    /// compact). Longer chains such as `f(x)[a]` or `f(1)(2)` are [`ExprKind::Postfix`].
    Invoke {
        callee: Box<Expr>,
        args: Vec<Expr>,
    },
    /// A primary followed by item and field accesses and invocations, in source order (any
    /// chain except a single invocation).
    Postfix {
        target: Box<Expr>,
        ops: Vec<Postfix>,
    },
    /// Prefix operators (outermost first) applied to `operand`.
    Unary {
        ops: Vec<(UnaryOp, Span)>,
        operand: Box<Expr>,
    },
    /// One precedence level: `first op right op right …`, left-associative. For `is`/`as`
    /// the right operands are [`ExprKind::Type`] nodes holding the primitive type.
    Binary {
        first: Box<Expr>,
        rest: Vec<BinaryRhs>,
    },
    /// `value meta record`.
    Meta {
        value: Box<Expr>,
        meta: Box<Expr>,
    },
    /// `type T` (and the type operand of `is` / `as`).
    Type(Box<Type>),
    /// `each body`.
    Each(Box<Expr>),
    Function(Box<Function>),
    Let(Box<Let>),
    If(Box<If>),
    /// `error value`.
    Error(Box<Expr>),
    Try(Box<Try>),
}

/// `section!member`.
#[derive(Clone, Debug, PartialEq)]
pub struct SectionAccess {
    pub section: Ident,
    pub member: Ident,
}

/// Literal values, decoded.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Number(f64),
    Text(Name),
    /// `#!"…"`: the code as typed.
    Verbatim(Name),
    Logical(bool),
    Null,
    Infinity,
    Nan,
}

/// Hash keywords that are values or constructor functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intrinsic {
    Binary,
    Date,
    DateTime,
    DateTimeZone,
    Duration,
    Table,
    Time,
    Shared,
    Sections,
}

/// One step of a postfix chain.
#[derive(Clone, Debug, PartialEq)]
pub enum Postfix {
    /// `(args)`; `span` covers the parentheses.
    Invoke {
        args: Vec<Expr>,
        span: Span,
    },
    /// `{index}` or `{index}?`.
    Item {
        index: Box<Expr>,
        optional: bool,
        span: Span,
    },
    Field(FieldSelector),
    Projection(Projection),
}

/// `[name]` or `[name]?`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldSelector {
    pub name: Ident,
    pub optional: bool,
    pub span: Span,
}

/// `[[a], [b]]` or `[[a]]?`.
#[derive(Clone, Debug, PartialEq)]
pub struct Projection {
    pub fields: Vec<Ident>,
    pub optional: bool,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Plus,
    Minus,
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Coalesce,
    Or,
    And,
    Is,
    As,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Add,
    Subtract,
    Concatenate,
    Multiply,
    Divide,
}

/// `op right` in a [`ExprKind::Binary`] chain.
#[derive(Clone, Debug, PartialEq)]
pub struct BinaryRhs {
    pub op: BinaryOp,
    pub op_span: Span,
    pub right: Expr,
}

/// `(params) as T => body`; also the value of `each` after desugaring is *not* done here.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub params: Vec<Param>,
    pub return_type: Option<Type>,
    pub body: Expr,
}

/// `optional name as T` in a function expression or function type.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub optional: bool,
    pub ty: Option<Type>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Let {
    pub bindings: Vec<Binding>,
    pub body: Expr,
}

/// `name = value` in a `let`.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct If {
    pub condition: Expr,
    pub then_branch: Expr,
    pub else_branch: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Try {
    pub body: Expr,
    pub handler: Option<TryHandler>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TryHandler {
    Otherwise(Expr),
    /// `catch (param) => body` or `catch () => body`; `span` starts at `catch`.
    Catch {
        param: Option<Ident>,
        body: Expr,
        span: Span,
    },
}

/// A type and its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Type {
    pub kind: TypeKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    Primitive(PrimitiveType),
    Nullable(Box<Type>),
    /// `[a = T, optional b, ...]`; `open` when it ends with `...`.
    Record {
        fields: Vec<FieldSpec>,
        open: bool,
    },
    List(Box<Type>),
    Function(Box<FunctionType>),
    /// `table [fields]` (row is a `Record` type) or `table rowTypeExpression` (row is `Expr`).
    Table(Box<Type>),
    /// A primary expression in type position: `{(record)}`, `table rowType`.
    Expr(Box<Expr>),
}

/// `optional name = T` in a record or table type.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldSpec {
    pub optional: bool,
    pub name: Ident,
    pub ty: Option<Type>,
    pub span: Span,
}

/// `function (params) as T`; every parameter has a type.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionType {
    pub params: Vec<Param>,
    pub return_type: Type,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrimitiveType {
    /// `action`: the type of `Action.*` values; not in the 2016 specification text, but a
    /// primitive type of the engine and of the reference parser.
    Action,
    Any,
    AnyNonNull,
    Binary,
    Date,
    DateTime,
    DateTimeZone,
    Duration,
    Function,
    List,
    Logical,
    None,
    Null,
    Number,
    Record,
    Table,
    Text,
    Time,
    Type,
}

const PRIMITIVE_NAMES: &[(&str, PrimitiveType)] = &[
    ("action", PrimitiveType::Action),
    ("any", PrimitiveType::Any),
    ("anynonnull", PrimitiveType::AnyNonNull),
    ("binary", PrimitiveType::Binary),
    ("date", PrimitiveType::Date),
    ("datetime", PrimitiveType::DateTime),
    ("datetimezone", PrimitiveType::DateTimeZone),
    ("duration", PrimitiveType::Duration),
    ("function", PrimitiveType::Function),
    ("list", PrimitiveType::List),
    ("logical", PrimitiveType::Logical),
    ("none", PrimitiveType::None),
    ("null", PrimitiveType::Null),
    ("number", PrimitiveType::Number),
    ("record", PrimitiveType::Record),
    ("table", PrimitiveType::Table),
    ("text", PrimitiveType::Text),
    ("time", PrimitiveType::Time),
    ("type", PrimitiveType::Type),
];

impl PrimitiveType {
    /// Every primitive type name, as written in M.
    pub const NAMES: [&'static str; PRIMITIVE_NAMES.len()] = {
        let mut names = [""; PRIMITIVE_NAMES.len()];
        let mut index = 0;
        while index < PRIMITIVE_NAMES.len() {
            names[index] = PRIMITIVE_NAMES[index].0;
            index += 1;
        }
        names
    };

    pub fn from_name(name: &str) -> Option<PrimitiveType> {
        PRIMITIVE_NAMES
            .iter()
            .find(|(text, _)| *text == name)
            .map(|(_, ty)| *ty)
    }

    pub fn name(self) -> &'static str {
        PRIMITIVE_NAMES
            .iter()
            .find(|(_, ty)| *ty == self)
            .map_or("any", |(text, _)| text)
    }
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }

    /// `callee(args)` when this is exactly one invocation of a primary.
    pub fn as_call(&self) -> Option<(&Expr, &[Expr])> {
        match &self.kind {
            ExprKind::Invoke { callee, args } => Some((callee, args)),
            _ => None,
        }
    }

    /// The identifier this expression is, if it is a plain (or quoted) identifier.
    pub fn as_ident(&self) -> Option<&Ident> {
        match &self.kind {
            ExprKind::Ident(ident) => Some(ident),
            _ => None,
        }
    }

    /// The decoded value of a text literal.
    pub fn as_text(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Literal(Literal::Text(text)) => Some(text),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Node sizes are budgeted: peak memory is at most ten times the input.
    #[test]
    fn node_sizes() {
        assert!(
            std::mem::size_of::<Expr>() <= 56,
            "{}",
            std::mem::size_of::<Expr>()
        );
        assert_eq!(std::mem::size_of::<Name>(), 24);
    }

    /// Short names are inline, long ones on the heap; both read back the same.
    #[test]
    fn names_round_trip() {
        let long = "Table.AddColumnWithAVeryLongName";
        assert_eq!(Name::new("Table.AddColumn").as_str(), "Table.AddColumn");
        assert_eq!(Name::new(long).as_str(), long);
        assert_eq!(Name::from(long.to_owned()), Name::new(long));
    }
}
