//! Credential values, as the security rules (PQ7xx) read them: expressions reading
//! `Extension.CurrentCredential()` directly or through variables and members bound to it
//! (`key = Extension.CurrentCredential()[Key]`, `credential = Extension.CurrentCredential()`
//! then `credential[Password]`, `Record.Field(credential, "Key")`).
//!
//! Only the value of an expression counts: the branches of an `if` but not its condition, a
//! `let` result and the variables it names, the items of lists and records, operands and
//! arguments. Function bodies are not entered (a function is not a credential value) and calls
//! of connector functions are not followed.
//!
//! Work is bounded by [`MAX_CREDENTIAL_VISITS`] expressions and [`MAX_DEFINITION_DEPTH`] nested
//! definitions per query; each definition is entered once.

use crate::model::connector::Connector;
use crate::model::eval::resolve::{Definition, Env, call_of};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Expr, ExprKind, Postfix, TryHandler};

/// Expressions visited by one query before it stops looking.
pub const MAX_CREDENTIAL_VISITS: usize = 4096;
/// Definitions followed inside one another (a name whose value names another, …).
pub const MAX_DEFINITION_DEPTH: usize = 16;

/// The credential function.
pub const CURRENT_CREDENTIAL: &str = "Extension.CurrentCredential";

/// Fields of the credential record that describe it rather than hold a secret.
const DESCRIPTIVE_FIELDS: &[&str] = &["AuthenticationKind", "EncryptConnection"];

/// One place where an expression reads the current credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialRead {
    /// The field read (`Key`, `Password`, `access_token`); `None` when the whole record is used.
    pub field: Option<String>,
    pub file: FileId,
    /// The `Extension.CurrentCredential()…` expression or the field access.
    pub span: Span,
}

/// Whether `expr` is a credential value: its value reads secret material of
/// `Extension.CurrentCredential()` (any field but `AuthenticationKind` and
/// `EncryptConnection`), directly or through names bound to it.
pub fn is_credential_value<'a>(connector: &Connector<'a>, expr: &'a Expr, env: &Env<'a>) -> bool {
    credential_reads(connector, expr, env)
        .iter()
        .any(|read| match &read.field {
            Some(field) => !DESCRIPTIVE_FIELDS.contains(&field.as_str()),
            None => true,
        })
}

/// Every read of the current credential that flows into the value of `expr`.
pub fn credential_reads<'a>(
    connector: &Connector<'a>,
    expr: &'a Expr,
    env: &Env<'a>,
) -> Vec<CredentialRead> {
    let mut search = Search {
        connector,
        visits: 0,
        entered: Vec::new(),
        reads: Vec::new(),
    };
    if search.value(expr, env, 0) {
        search.push(None, env, expr.span);
    }
    search.reads
}

struct Search<'c, 'a> {
    connector: &'c Connector<'a>,
    visits: usize,
    /// Definitions already entered, with whether their value is the credential record.
    entered: Vec<(*const Expr, bool)>,
    reads: Vec<CredentialRead>,
}

impl<'a> Search<'_, 'a> {
    fn push(&mut self, field: Option<String>, env: &Env<'a>, span: Span) {
        let read = CredentialRead {
            field,
            file: env.file(),
            span,
        };
        if !self.reads.contains(&read) {
            self.reads.push(read);
        }
    }

    /// Records the reads inside `expr`; returns whether its value is the credential record
    /// itself (so a field access on it reads that field).
    fn value(&mut self, expr: &'a Expr, env: &Env<'a>, depth: usize) -> bool {
        self.visits += 1;
        if self.visits > MAX_CREDENTIAL_VISITS {
            return false;
        }
        match &expr.kind {
            ExprKind::Parens(inner) => self.value(inner, env, depth),
            ExprKind::Meta { value, .. } => self.value(value, env, depth),
            ExprKind::Ident(ident) => self.definition(&ident.name, expr.span, env, depth),
            ExprKind::Postfix { target, ops } => self.postfix(expr, target, ops, env, depth),
            ExprKind::Invoke { callee, args } => {
                let current_credential = matches!(&callee.kind, ExprKind::Ident(ident)
                    if ident.name == CURRENT_CREDENTIAL && env.lookup(CURRENT_CREDENTIAL).is_external());
                if current_credential {
                    return true;
                }
                if let Some(record) = self.record_field(expr, env, depth) {
                    return record;
                }
                self.value(callee, env, depth);
                for arg in args {
                    self.consume(arg, env, depth);
                }
                false
            }
            ExprKind::Let(let_expr) => {
                let file = env.file();
                let inner = env.with_let(file, &let_expr.bindings);
                self.value(&let_expr.body, &inner, depth)
            }
            ExprKind::If(if_expr) => {
                let then_record = self.value(&if_expr.then_branch, env, depth);
                let else_record = self.value(&if_expr.else_branch, env, depth);
                then_record || else_record
            }
            ExprKind::Try(try_expr) => {
                let mut record = self.value(&try_expr.body, env, depth);
                match &try_expr.handler {
                    Some(TryHandler::Otherwise(handler)) => {
                        record |= self.value(handler, env, depth);
                    }
                    Some(TryHandler::Catch { .. }) | None => {}
                }
                record
            }
            ExprKind::Record(fields) => {
                let file = env.file();
                let inner = env.with_record(file, fields);
                for field in fields {
                    self.consume(&field.value, &inner, depth);
                }
                false
            }
            ExprKind::List(items) => {
                for item in items {
                    self.consume(item, env, depth);
                }
                false
            }
            ExprKind::Range(bounds) => {
                for bound in bounds.iter() {
                    self.consume(bound, env, depth);
                }
                false
            }
            ExprKind::Binary { first, rest } => {
                self.consume(first, env, depth);
                for part in rest {
                    self.consume(&part.right, env, depth);
                }
                false
            }
            ExprKind::Unary { operand, .. } => {
                self.consume(operand, env, depth);
                false
            }
            _ => false,
        }
    }

    /// Records the reads inside `expr`, counting a use of the whole credential record as a read.
    fn consume(&mut self, expr: &'a Expr, env: &Env<'a>, depth: usize) {
        if self.value(expr, env, depth) {
            self.push(None, env, expr.span);
        }
    }

    fn definition(&mut self, name: &str, at: Span, env: &Env<'a>, depth: usize) -> bool {
        let Definition::Value { expr, env, .. } = env.lookup_at(name, at) else {
            return false;
        };
        let key = expr as *const Expr;
        if let Some((_, record)) = self.entered.iter().find(|(k, _)| *k == key) {
            return *record;
        }
        if depth >= MAX_DEFINITION_DEPTH {
            return false;
        }
        // Entered before it is searched, so a cycle ends here.
        self.entered.push((key, false));
        let record = self.value(expr, &env, depth + 1);
        if let Some(entry) = self.entered.iter_mut().find(|(k, _)| *k == key) {
            entry.1 = record;
        }
        record
    }

    fn postfix(
        &mut self,
        expr: &'a Expr,
        target: &'a Expr,
        ops: &'a [Postfix],
        env: &Env<'a>,
        depth: usize,
    ) -> bool {
        let mut ops = ops.iter().peekable();
        let mut record = match &target.kind {
            ExprKind::Ident(ident)
                if ident.name == CURRENT_CREDENTIAL
                    && env.lookup(CURRENT_CREDENTIAL).is_external()
                    && matches!(ops.peek(), Some(Postfix::Invoke { .. })) =>
            {
                ops.next();
                true
            }
            _ => {
                if let Some(record) = self.record_field(expr, env, depth) {
                    return record;
                }
                self.value(target, env, depth)
            }
        };
        for op in ops {
            match op {
                Postfix::Field(selector) if record => {
                    let span = Span {
                        start: expr.span.start,
                        end: selector.span.end,
                    };
                    self.push(Some(selector.name.name.to_string()), env, span);
                    record = false;
                }
                Postfix::Invoke { args, .. } => {
                    for arg in args {
                        self.consume(arg, env, depth);
                    }
                    record = false;
                }
                Postfix::Item { index, .. } => {
                    self.consume(index, env, depth);
                    record = false;
                }
                Postfix::Field(_) | Postfix::Projection(_) => {}
            }
        }
        record
    }

    /// `Record.Field(credential, "Key")`: a read of that field. `None` when `expr` is not such
    /// a call.
    fn record_field(&mut self, expr: &'a Expr, env: &Env<'a>, depth: usize) -> Option<bool> {
        let (name, args) = call_of(expr)?;
        if name != "Record.Field" || !env.lookup(name).is_external() {
            return None;
        }
        let [record, field] = args else {
            return None;
        };
        if !self.value(record, env, depth) {
            self.consume(field, env, depth);
            return Some(false);
        }
        let field = self.connector.resolver.text(field, env).ok();
        self.push(field, env, expr.span);
        Some(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::model::connector::find_member;
    use crate::testing::archive;

    fn reads(source: &str, member: &str) -> (Vec<Option<String>>, bool) {
        let model = Model::build(archive("Wren.mez", &[("Wren.pq", source.as_bytes())]));
        let connector = Connector::build(&model);
        let section = connector.section.as_ref().expect("a section");
        let value = &find_member(section.document, member).expect("member").value;
        let fields = credential_reads(&connector, value, &section.env)
            .into_iter()
            .map(|r| r.field)
            .collect();
        let is_value = is_credential_value(&connector, value, &section.env);
        (fields, is_value)
    }

    /// Direct reads, reads through members and `let` variables, and `Record.Field`.
    #[test]
    fn reads_through_names() {
        let source = r#"section Wren;
            Credential = Extension.CurrentCredential();
            Direct = Extension.CurrentCredential()[Key];
            ViaMember = "Bearer " & Credential[Password];
            ViaLet = let c = Credential, k = c[Key] in [#"X-Key" = k];
            ViaRecordField = Record.Field(Credential, "Key");
            Whole = { Credential };
            Kind = Extension.CurrentCredential()[AuthenticationKind];"#;
        let key = || Some("Key".to_owned());
        assert_eq!(reads(source, "Direct"), (vec![key()], true));
        assert_eq!(
            reads(source, "ViaMember"),
            (vec![Some("Password".to_owned())], true)
        );
        assert_eq!(reads(source, "ViaLet"), (vec![key()], true));
        assert_eq!(reads(source, "ViaRecordField"), (vec![key()], true));
        assert_eq!(reads(source, "Whole"), (vec![None], true));
        assert_eq!(
            reads(source, "Kind"),
            (vec![Some("AuthenticationKind".to_owned())], false)
        );
    }

    /// Conditions, function bodies, shadowed names and cycles are not credential values.
    #[test]
    fn not_credential_values() {
        let source = r#"section Wren;
            Extension.Shadow = 1;
            Condition = if Extension.CurrentCredential()[Key] = "" then "a" else "b";
            Function = () => Extension.CurrentCredential()[Key];
            Literal = "Key";
            Loop = Loop2; Loop2 = Loop;
            Shadowed = let Extension.CurrentCredential = () => [Key = "k"] in Extension.CurrentCredential()[Key];"#;
        for member in ["Condition", "Function", "Literal", "Loop", "Shadowed"] {
            assert_eq!(reads(source, member), (vec![], false), "{member}");
        }
    }
}
