//! A compact, indented, one-node-per-line dump of the syntax tree, for snapshot tests and
//! debugging: `Kind start..end details`, children indented by two spaces.
//!
//! It shows decoded names and values, not the source text, so a snapshot also checks
//! decoding. It is not a pretty-printer and cannot be parsed back.

use std::fmt::Write;

use super::ast::*;
use super::{Document, Parse};
use crate::source::Span;

/// The dump of a whole parse result's document.
pub fn dump(parse: &Parse) -> String {
    let mut dumper = Dumper::default();
    match &parse.document {
        Document::Section(section) => dumper.section(section),
        Document::Expression(expr) => dumper.expr(expr),
    }
    dumper.out
}

/// The dump of one expression.
pub fn dump_expr(expr: &Expr) -> String {
    let mut dumper = Dumper::default();
    dumper.expr(expr);
    dumper.out
}

#[derive(Default)]
struct Dumper {
    out: String,
    indent: usize,
}

fn ident(ident: &Ident) -> String {
    let quoted = if ident.quoted { "#" } else { "" };
    format!("{quoted}`{}`", ident.name.escape_debug())
}

impl Dumper {
    fn line(&mut self, label: &str, span: Span, details: &str) {
        let pad = "  ".repeat(self.indent);
        let sep = if details.is_empty() { "" } else { " " };
        let _ = writeln!(
            self.out,
            "{pad}{label} {}..{}{sep}{details}",
            span.start, span.end
        );
    }

    fn nested(&mut self, body: impl FnOnce(&mut Self)) {
        self.indent += 1;
        body(self);
        self.indent -= 1;
    }

    fn section(&mut self, section: &SectionDocument) {
        self.line(
            "Section",
            section.span,
            &format!("name={}", ident(&section.name)),
        );
        self.nested(|d| {
            if let Some(attributes) = &section.attributes {
                d.record("Attributes", attributes);
            }
            for member in &section.members {
                let shared = if member.shared.is_some() {
                    "shared "
                } else {
                    ""
                };
                d.line(
                    "Member",
                    member.span,
                    &format!("{shared}name={}", ident(&member.name)),
                );
                d.nested(|d| {
                    if let Some(attributes) = &member.attributes {
                        d.record("Attributes", attributes);
                    }
                    d.expr(&member.value);
                });
            }
        });
    }

    fn record(&mut self, label: &str, record: &Record) {
        self.line(label, record.span, "");
        self.nested(|d| d.fields(&record.fields));
    }

    fn fields(&mut self, fields: &[Field]) {
        for field in fields {
            self.line("Field", field.span, &ident(&field.name));
            self.nested(|d| d.expr(&field.value));
        }
    }

    fn exprs(&mut self, exprs: &[Expr]) {
        for expr in exprs {
            self.expr(expr);
        }
    }

    fn expr(&mut self, expr: &Expr) {
        let span = expr.span;
        match &expr.kind {
            ExprKind::Missing => self.line("Missing", span, ""),
            ExprKind::Literal(literal) => self.literal(literal, span),
            ExprKind::Ident(name) => self.line("Ident", span, &ident(name)),
            ExprKind::Inclusive(name) => self.line("Inclusive", span, &ident(name)),
            ExprKind::SectionAccess(access) => {
                let SectionAccess { section, member } = access.as_ref();
                self.line(
                    "SectionAccess",
                    span,
                    &format!("{}!{}", ident(section), ident(member)),
                );
            }
            ExprKind::Intrinsic(intrinsic) => {
                self.line("Intrinsic", span, &format!("{intrinsic:?}"))
            }
            ExprKind::NotImplemented => self.line("NotImplemented", span, ""),
            ExprKind::Parens(inner) => self.node("Parens", span, "", |d| d.expr(inner)),
            ExprKind::List(items) => self.node("List", span, "", |d| d.exprs(items)),
            ExprKind::Range(bounds) => self.node("Range", span, "", |d| d.exprs(bounds.as_slice())),
            ExprKind::Record(fields) => self.node("Record", span, "", |d| d.fields(fields)),
            ExprKind::ImplicitField(selector) => self.selector("ImplicitField", selector),
            ExprKind::ImplicitProjection(projection) => {
                self.projection("ImplicitProjection", projection)
            }
            ExprKind::Invoke { callee, args } => self.node("Call", span, "", |d| {
                d.expr(callee);
                d.exprs(args);
            }),
            ExprKind::Postfix { target, ops } => self.node("Postfix", span, "", |d| {
                d.expr(target);
                for op in ops {
                    d.postfix(op);
                }
            }),
            ExprKind::Unary { ops, operand } => {
                let ops: Vec<&str> = ops.iter().map(|(op, _)| unary_op(*op)).collect();
                self.node("Unary", span, &ops.join(" "), |d| d.expr(operand));
            }
            ExprKind::Binary { first, rest } => self.node("Binary", span, "", |d| {
                d.expr(first);
                for rhs in rest {
                    d.line("Op", rhs.op_span, binary_op(rhs.op));
                    d.expr(&rhs.right);
                }
            }),
            ExprKind::Meta { value, meta } => self.node("Meta", span, "", |d| {
                d.expr(value);
                d.expr(meta);
            }),
            _ => self.keyword_expr(expr),
        }
    }

    fn keyword_expr(&mut self, expr: &Expr) {
        let span = expr.span;
        match &expr.kind {
            ExprKind::Type(ty) => self.node("Type", span, "", |d| d.ty(ty)),
            ExprKind::Each(body) => self.node("Each", span, "", |d| d.expr(body)),
            ExprKind::Function(function) => self.node("Function", span, "", |d| {
                d.params(&function.params);
                if let Some(return_type) = &function.return_type {
                    d.node("Returns", return_type.span, "", |d| d.ty(return_type));
                }
                d.expr(&function.body);
            }),
            ExprKind::Let(let_) => self.node("Let", span, "", |d| {
                for binding in &let_.bindings {
                    d.node("Binding", binding.span, &ident(&binding.name), |d| {
                        d.expr(&binding.value)
                    });
                }
                d.expr(&let_.body);
            }),
            ExprKind::If(if_) => self.node("If", span, "", |d| {
                d.expr(&if_.condition);
                d.expr(&if_.then_branch);
                d.expr(&if_.else_branch);
            }),
            ExprKind::Error(value) => self.node("Error", span, "", |d| d.expr(value)),
            ExprKind::Try(try_) => self.node("Try", span, "", |d| {
                d.expr(&try_.body);
                match &try_.handler {
                    Some(TryHandler::Otherwise(fallback)) => {
                        d.node("Otherwise", fallback.span, "", |d| d.expr(fallback))
                    }
                    Some(TryHandler::Catch { param, body, span }) => {
                        let param = param.as_ref().map_or_else(|| "()".to_owned(), ident);
                        d.node("Catch", *span, &param, |d| d.expr(body));
                    }
                    None => {}
                }
            }),
            _ => self.line("?", span, ""),
        }
    }

    fn node(&mut self, label: &str, span: Span, details: &str, body: impl FnOnce(&mut Self)) {
        self.line(label, span, details);
        self.nested(body);
    }

    fn literal(&mut self, literal: &Literal, span: Span) {
        let (label, details) = match literal {
            Literal::Number(value) => ("Number", format!("{value}")),
            Literal::Text(text) => ("Text", format!("{:?}", text.as_str())),
            Literal::Verbatim(text) => ("Verbatim", format!("{:?}", text.as_str())),
            Literal::Logical(value) => ("Logical", format!("{value}")),
            Literal::Null => ("Null", String::new()),
            Literal::Infinity => ("Infinity", String::new()),
            Literal::Nan => ("Nan", String::new()),
        };
        self.line(label, span, &details);
    }

    fn postfix(&mut self, op: &Postfix) {
        match op {
            Postfix::Invoke { args, span } => self.node("Invoke", *span, "", |d| d.exprs(args)),
            Postfix::Item {
                index,
                optional,
                span,
            } => {
                self.node(
                    "Item",
                    *span,
                    if *optional { "optional" } else { "" },
                    |d| d.expr(index),
                );
            }
            Postfix::Field(selector) => self.selector("Field", selector),
            Postfix::Projection(projection) => self.projection("Projection", projection),
        }
    }

    fn selector(&mut self, label: &str, selector: &FieldSelector) {
        let optional = if selector.optional { " optional" } else { "" };
        self.line(
            label,
            selector.span,
            &format!("{}{optional}", ident(&selector.name)),
        );
    }

    fn projection(&mut self, label: &str, projection: &Projection) {
        let names: Vec<String> = projection.fields.iter().map(ident).collect();
        let optional = if projection.optional { " optional" } else { "" };
        self.line(
            label,
            projection.span,
            &format!("[{}]{optional}", names.join(", ")),
        );
    }

    fn params(&mut self, params: &[Param]) {
        for param in params {
            let optional = if param.optional { "optional " } else { "" };
            self.node(
                "Param",
                param.span,
                &format!("{optional}{}", ident(&param.name)),
                |d| {
                    if let Some(ty) = &param.ty {
                        d.ty(ty);
                    }
                },
            );
        }
    }

    fn ty(&mut self, ty: &Type) {
        let span = ty.span;
        match &ty.kind {
            TypeKind::Primitive(primitive) => self.line("Primitive", span, primitive.name()),
            TypeKind::Nullable(inner) => self.node("Nullable", span, "", |d| d.ty(inner)),
            TypeKind::Record { fields, open } => {
                self.node("RecordType", span, if *open { "open" } else { "" }, |d| {
                    for field in fields {
                        let optional = if field.optional { "optional " } else { "" };
                        d.node(
                            "FieldSpec",
                            field.span,
                            &format!("{optional}{}", ident(&field.name)),
                            |d| {
                                if let Some(ty) = &field.ty {
                                    d.ty(ty);
                                }
                            },
                        );
                    }
                })
            }
            TypeKind::List(item) => self.node("ListType", span, "", |d| d.ty(item)),
            TypeKind::Function(function) => self.node("FunctionType", span, "", |d| {
                d.params(&function.params);
                d.node("Returns", function.return_type.span, "", |d| {
                    d.ty(&function.return_type)
                });
            }),
            TypeKind::Table(row) => self.node("TableType", span, "", |d| d.ty(row)),
            TypeKind::Expr(expr) => self.node("TypeExpr", span, "", |d| d.expr(expr)),
        }
    }
}

fn unary_op(op: UnaryOp) -> &'static str {
    match op {
        UnaryOp::Plus => "+",
        UnaryOp::Minus => "-",
        UnaryOp::Not => "not",
    }
}

fn binary_op(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Coalesce => "??",
        BinaryOp::Or => "or",
        BinaryOp::And => "and",
        BinaryOp::Is => "is",
        BinaryOp::As => "as",
        BinaryOp::Equal => "=",
        BinaryOp::NotEqual => "<>",
        BinaryOp::Less => "<",
        BinaryOp::LessEqual => "<=",
        BinaryOp::Greater => ">",
        BinaryOp::GreaterEqual => ">=",
        BinaryOp::Add => "+",
        BinaryOp::Subtract => "-",
        BinaryOp::Concatenate => "&",
        BinaryOp::Multiply => "*",
        BinaryOp::Divide => "/",
    }
}
