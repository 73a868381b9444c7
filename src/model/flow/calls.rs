//! Calls in the query engine: connector functions followed into their bodies, and what each
//! library function passes on (its first argument, the base of `Uri.Combine`, the module an
//! `Expression.Evaluate` loads, or, for anything else, its arguments).

use super::requests::REQUEST_FUNCTIONS;
use super::trace::{Abs, Place, Tracer, leaf};
use super::{MAX_INLINE_DEPTH, Mode, Origin, OriginKind};
use crate::model::connector::modules::module_document;
use crate::model::eval::resolve::Resolved;
use crate::source::Span;
use crate::syntax::ast::{Expr, Function};

/// Library functions that return their first argument unchanged (for flow purposes).
const PASS_THROUGH: &[&str] = &[
    "Binary.Buffer",
    "List.Buffer",
    "Table.Buffer",
    "Value.ReplaceType",
    "Value.ReplaceMetadata",
    "Value.RemoveMetadata",
];

/// Library functions that parse a document: what they decode from a credential is a
/// document of claims, not the credential.
const DECODERS: &[&str] = &[
    "Json.Document",
    "Xml.Document",
    "Xml.Tables",
    "Csv.Document",
];

/// Library functions that keep the scheme of their first argument.
const SCHEME_PRESERVING: &[&str] = &[
    "Text.Trim",
    "Text.TrimStart",
    "Text.TrimEnd",
    "Text.Clean",
    "Text.Lower",
    "Text.From",
];

impl<'a> Tracer<'_, '_, 'a> {
    /// A call of a connector function: its body, with the arguments bound.
    pub(super) fn inline(
        &mut self,
        function: &'a Function,
        closure: &Place<'a>,
        args: &'a [Expr],
        cx: &Place<'a>,
        call_span: Span,
    ) -> Vec<Abs<'a>> {
        if closure.env.is_calling(function) || cx.env.is_calling(function) {
            // A recursive call: its results are those of the branches already followed.
            return Vec::new();
        }
        let depth = closure.env.call_depth().max(cx.env.call_depth()) + 1;
        if depth > MAX_INLINE_DEPTH {
            self.exhausted = true;
            return vec![leaf(
                OriginKind::Unknown("calls nested too deeply to follow".into()),
                cx.file(),
                call_span,
            )];
        }
        let body_cx = Place {
            env: closure
                .env
                .with_args(closure.file(), function, args, &cx.env),
            ambient: cx.ambient.clone(),
        };
        self.eval(&function.body, &body_cx)
    }

    pub(super) fn library(
        &mut self,
        name: &'a str,
        args: &'a [Expr],
        cx: &Place<'a>,
        call_span: Span,
    ) -> Vec<Abs<'a>> {
        if name == "Extension.CurrentCredential" {
            return vec![leaf(OriginKind::Credential, cx.file(), call_span)];
        }
        if REQUEST_FUNCTIONS.contains(&name) {
            return Vec::new();
        }
        if PASS_THROUGH.contains(&name) {
            return args.first().map_or_else(Vec::new, |arg| self.eval(arg, cx));
        }
        if name == "Diagnostics.Trace" {
            return self.trace_result(args, cx, call_span);
        }
        if name == "Expression.Evaluate"
            && let Some(values) = self.module(args, cx)
        {
            return values;
        }
        if let ("Record.Field" | "Record.FieldOrDefault", [record, field, ..]) = (name, args)
            && let Some(field) = field.as_text()
        {
            let values = self.eval(record, cx);
            return self.field_of(values, field, call_span, cx);
        }
        match self.mode {
            Mode::Value if DECODERS.contains(&name) => {
                let mut values = Vec::new();
                for arg in args {
                    for value in self.eval(arg, cx) {
                        values.push(match value {
                            Abs::Leaf(Origin {
                                kind: OriginKind::Credential | OriginKind::SensitiveField(_),
                                file,
                                span,
                            }) => leaf(OriginKind::DecodedCredential, file, span),
                            other => other,
                        });
                    }
                }
                values
            }
            Mode::Value => {
                let mut values = Vec::new();
                for arg in args {
                    values.extend(self.eval(arg, cx));
                }
                values
            }
            Mode::Scheme => self.scheme_library(name, args, cx),
        }
    }

    fn scheme_library(&mut self, name: &'a str, args: &'a [Expr], cx: &Place<'a>) -> Vec<Abs<'a>> {
        match (name, args) {
            ("Uri.Combine", [base, relative, ..]) => {
                let mut values = self.eval(base, cx);
                let relative = self.eval(relative, cx);
                values.extend(
                    self.flatten(relative, 0)
                        .into_iter()
                        .filter(|o| {
                            matches!(
                                o.kind,
                                OriginKind::DataSourceParam { .. } | OriginKind::Derived { .. }
                            )
                        })
                        .map(Abs::Leaf),
                );
                values
            }
            ("Text.Combine", [list, ..]) => {
                let mut values = Vec::new();
                for value in self.eval(list, cx) {
                    match value {
                        Abs::List(items, list_cx) => values.extend(
                            self.concat(items.iter().map(|i| (i, list_cx.clone())).collect()),
                        ),
                        Abs::Leaf(origin) => values.push(Abs::Leaf(origin)),
                        _ => {}
                    }
                }
                values
            }
            (name, [first, ..]) if SCHEME_PRESERVING.contains(&name) => self.eval(first, cx),
            _ => {
                let mut values = Vec::new();
                for arg in args {
                    let arg_values = self.eval(arg, cx);
                    for origin in self.flatten(arg_values, 0) {
                        let (file, span) = (origin.file, origin.span);
                        let kind = match origin.kind {
                            OriginKind::DataSourceParam { .. } => OriginKind::Derived {
                                function: name.to_owned(),
                                param: Box::new(origin),
                            },
                            kind @ OriginKind::Derived { .. } => kind,
                            _ => continue,
                        };
                        values.push(leaf(kind, file, span));
                    }
                }
                values
            }
        }
    }

    /// `Diagnostics.Trace(level, message, value, delayed)` returns `value`, or its result when
    /// `delayed` is `true`.
    fn trace_result(&mut self, args: &'a [Expr], cx: &Place<'a>, call_span: Span) -> Vec<Abs<'a>> {
        let Some(value) = args.get(2) else {
            return Vec::new();
        };
        let values = self.eval(value, cx);
        let delayed = args.get(3).is_some_and(|d| {
            matches!(
                self.flow.connector.resolver.resolve(d, &cx.env),
                Resolved::Logical(true)
            )
        });
        if !delayed {
            return values;
        }
        let mut out = Vec::new();
        for value in values {
            match value {
                Abs::Function(function, closure) => {
                    out.extend(self.inline(function, &closure, &[], cx, call_span))
                }
                other => out.push(other),
            }
        }
        out
    }

    /// `Expression.Evaluate(Text.FromBinary(Extension.Contents(x)), …)` with `x` literal: the
    /// value of the module `x`.
    fn module(&mut self, args: &'a [Expr], cx: &Place<'a>) -> Option<Vec<Abs<'a>>> {
        let (binary, binary_cx) = self.follow_call(args.first()?, cx, "Text.FromBinary")?;
        let (contents, contents_cx) =
            self.follow_call(binary.first()?, &binary_cx, "Extension.Contents")?;
        let name = contents.first()?;
        let want_text = std::mem::replace(&mut self.want_text, true);
        let names = self.eval(name, &contents_cx);
        self.want_text = want_text;
        let mut values = Vec::new();
        for name in names {
            let Abs::Leaf(Origin {
                kind: OriginKind::Text(name),
                ..
            }) = name
            else {
                return None;
            };
            let root = module_document(self.flow.connector, &name)?;
            let module_cx = Place {
                env: root.env,
                ambient: cx.ambient.clone(),
            };
            values.extend(self.eval(root.expr, &module_cx));
        }
        Some(values)
    }

    /// Follows `expr` ([`Resolver::step`](crate::model::eval::resolve::Resolver::step)) to a
    /// library call of `name`; its arguments and their place.
    fn follow_call(
        &mut self,
        expr: &'a Expr,
        cx: &Place<'a>,
        name: &str,
    ) -> Option<(&'a [Expr], Place<'a>)> {
        self.steps += 1;
        let (args, env) = self
            .flow
            .connector
            .resolver
            .library_call_of(expr, &cx.env, name)?;
        Some((
            args,
            Place {
                env,
                ambient: cx.ambient.clone(),
            },
        ))
    }
}
