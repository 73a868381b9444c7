//! The operators of the backward walk: `&`, `??`, `and`/`or` and comparisons, field and item
//! access, and function invocation.

use super::*;

impl<'f, 'c, 'a> Tracer<'f, 'c, 'a> {
    pub(super) fn binary(
        &mut self,
        expr: &'a Expr,
        first: &'a Expr,
        rest: &'a [BinaryRhs],
        cx: &Place<'a>,
    ) -> Vec<Abs<'a>> {
        let ops = || rest.iter().map(|r| r.op);
        if ops().all(|op| op == BinaryOp::Concatenate) {
            let parts: Vec<(&'a Expr, Place<'a>)> = std::iter::once(first)
                .chain(rest.iter().map(|r| &r.right))
                .map(|part| (part, cx.clone()))
                .collect();
            return self.concat(parts);
        }
        if ops().all(|op| op == BinaryOp::Coalesce) {
            let mut values = self.eval(first, cx);
            for rhs in rest {
                values.extend(self.eval(&rhs.right, cx));
            }
            return values;
        }
        if rest.first().is_some_and(|r| r.op == BinaryOp::As) {
            return self.eval(first, cx);
        }
        let _ = expr;
        Vec::new()
    }

    /// `a & b & c` (or the items of `Text.Combine`). Records merge. In [`Mode::Scheme`] only
    /// the leading texts matter: once they hold `://` the scheme is fixed.
    pub(in crate::model::flow) fn concat(
        &mut self,
        parts: Vec<(&'a Expr, Place<'a>)>,
    ) -> Vec<Abs<'a>> {
        let mut per_part = Vec::new();
        let mut prefix: Option<Origin> = None;
        let mut out = Vec::new();
        for (part, cx) in parts {
            let values = self.eval(part, &cx);
            if self.mode == Mode::Value {
                per_part.push(values);
                continue;
            }
            if let [Abs::Leaf(origin)] = values.as_slice()
                && let OriginKind::Text(text) = &origin.kind
            {
                let joined = match prefix.take() {
                    Some(joined) => join(joined, text, origin),
                    None => origin.clone(),
                };
                if has_host(&joined) {
                    out.push(Abs::Leaf(joined));
                    return out;
                }
                prefix = Some(joined);
                continue;
            }
            if let Some(joined) = prefix.take() {
                let fixed = is_text_with_scheme(&joined);
                out.push(Abs::Leaf(joined));
                if fixed {
                    return out;
                }
            }
            let transparent = !values.is_empty()
                && values.iter().all(|v| match v {
                    Abs::Leaf(o) => matches!(&o.kind, OriginKind::Text(t) if !t.contains("://")),
                    Abs::Record(_) | Abs::List(..) => true,
                    _ => false,
                });
            out.extend(values);
            if !transparent {
                return out;
            }
        }
        if self.mode == Mode::Value {
            return merge_records(per_part);
        }
        out.extend(prefix.map(Abs::Leaf));
        out
    }

    pub(super) fn postfix(
        &mut self,
        values: Vec<Abs<'a>>,
        op: &'a Postfix,
        target_span: Span,
        cx: &Place<'a>,
    ) -> Vec<Abs<'a>> {
        let mut out = Vec::new();
        match op {
            Postfix::Invoke { args, span } => {
                out.extend(self.invoke(values, args, target_span.cover(*span), cx));
            }
            Postfix::Field(selector) => {
                out.extend(self.field_of(values, &selector.name.name, selector.span, cx));
            }
            Postfix::Item { index, .. } => {
                let position = self.literal_index(index, cx);
                for value in values {
                    match value {
                        Abs::List(items, list_cx) => match position {
                            Some(position) => {
                                if let Some(item) = items.get(position) {
                                    out.extend(self.eval(item, &list_cx));
                                }
                            }
                            None => {
                                for item in items {
                                    out.extend(self.eval(item, &list_cx));
                                }
                            }
                        },
                        Abs::Leaf(origin) if !matches!(origin.kind, OriginKind::Text(_)) => {
                            out.push(Abs::Leaf(origin))
                        }
                        _ => {}
                    }
                }
            }
            Postfix::Projection(_) => {
                out = values
                    .into_iter()
                    .filter(|v| matches!(v, Abs::Record(_) | Abs::Leaf(_)))
                    .collect();
            }
        }
        out
    }

    /// The field `name` of `values`: `record[name]`, or `Record.Field(record, "name")`.
    pub(in crate::model::flow) fn field_of(
        &mut self,
        values: Vec<Abs<'a>>,
        name: &str,
        span: Span,
        cx: &Place<'a>,
    ) -> Vec<Abs<'a>> {
        let mut out = Vec::new();
        // A field of a record written in the connector is that field's value, not a secret
        // read from outside.
        let from_visible_record = values.iter().any(|v| matches!(v, Abs::Record(_)));
        for value in values {
            match value {
                Abs::Record(parts) => {
                    let found = parts.iter().rev().find_map(|part| {
                        let field = part.fields.iter().find(|f| f.name.name == *name)?;
                        Some((field, part.field_cx()))
                    });
                    if let Some((field, field_cx)) = found {
                        out.extend(self.eval(&field.value, &field_cx));
                    }
                }
                Abs::Leaf(origin) => match &origin.kind {
                    OriginKind::Credential
                        if self.flow.secrets.credential_metadata.contains(&name) => {}
                    OriginKind::Credential if self.mode == Mode::Scheme => out.push(leaf(
                        OriginKind::CredentialField(name.to_owned()),
                        origin.file,
                        origin.span,
                    )),
                    // A claim of a decoded token (`[tid]`, `[oid]`) is not the token.
                    OriginKind::Text(_)
                    | OriginKind::AuthorizationHeader
                    | OriginKind::DecodedCredential => {}
                    _ => out.push(Abs::Leaf(origin)),
                },
                _ => {}
            }
        }
        if !from_visible_record {
            self.sensitive(name, span, cx, &mut out);
        }
        out
    }

    /// Calls `values` (functions, library functions, unknown values) with `args`.
    pub(super) fn invoke(
        &mut self,
        values: Vec<Abs<'a>>,
        args: &'a [Expr],
        call_span: Span,
        cx: &Place<'a>,
    ) -> Vec<Abs<'a>> {
        let mut out = Vec::new();
        for value in values {
            match value {
                Abs::Function(function, closure) => {
                    out.extend(self.inline(function, &closure, args, cx, call_span))
                }
                Abs::Library(name) => out.extend(self.library(name, args, cx, call_span)),
                Abs::Leaf(origin) => match (self.mode, &origin.kind) {
                    (_, OriginKind::Text(_)) => {}
                    (Mode::Scheme, _) => out.push(leaf(
                        OriginKind::Unknown(
                            "the result of calling a function value that is not known".into(),
                        ),
                        cx.file(),
                        call_span,
                    )),
                    (Mode::Value, _) => {
                        for arg in args {
                            out.extend(self.eval(arg, cx));
                        }
                    }
                },
                Abs::Record(_) | Abs::List(..) => {}
            }
        }

        out
    }

    /// A literal list index: a number, possibly a field of a record of constants
    /// (`Index[apiUrl]` with `Index = [apiUrl = 1]`).
    pub(super) fn literal_index(&self, index: &'a Expr, cx: &Place<'a>) -> Option<usize> {
        let resolver = &self.flow.connector.resolver;
        let number = match resolver.resolve(index, &cx.env) {
            Resolved::Number(n) => n,
            _ => {
                let ExprKind::Postfix { target, ops } = &index.kind else {
                    return None;
                };
                let [Postfix::Field(selector)] = ops.as_slice() else {
                    return None;
                };
                let (fields, env) = resolver.record(target, &cx.env)?;
                let field = fields.iter().find(|f| f.name.name == selector.name.name)?;
                match resolver.resolve(&field.value, &env.with_record(cx.file(), fields)) {
                    Resolved::Number(n) => n,
                    _ => return None,
                }
            }
        };
        (number >= 0.0 && number.fract() == 0.0 && number < usize::MAX as f64)
            .then_some(number as usize)
    }

    /// A sensitive field access, in [`Mode::Value`].
    pub(super) fn sensitive(&self, name: &str, span: Span, cx: &Place<'a>, out: &mut Vec<Abs<'a>>) {
        if self.mode == Mode::Value && self.flow.secrets.fields.contains(&name) {
            out.push(leaf(
                OriginKind::SensitiveField(name.to_owned()),
                cx.file(),
                span,
            ));
        }
    }
}
