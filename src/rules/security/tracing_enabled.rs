//! PQ705: tracing left on.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::Role;
use crate::model::names::name_words;
use crate::model::resolve::{Definition, Env, Resolved};
use crate::model::walk::walk;
use crate::rules::{Context, Priority, Scope};
use crate::source::{FileId, Span};
use crate::syntax::Document;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Field, Literal, UnaryOp};

/// Name words that make a member a trace flag.
const FLAG_WORDS: &[&str] = &["trace", "tracing", "debug", "diagnostics", "logging"];

/// Steps taken through parentheses, `let` results and names while reading a module's members.
const MAX_MODULE_STEPS: usize = 64;

declare_rule! {
    /// ## What it checks
    /// A trace flag is left on, or `Diagnostics.Trace` is called whatever the flag says.
    ///
    /// Two checks. A section member, or a member of a module (a field of the record the module
    /// evaluates to, or a variable of its outer `let`), whose name words include `trace`,
    /// `tracing`, `debug`, `diagnostics` or `logging` (`EnableTraceOutput`, `DebugMode`) and
    /// whose value is the literal `true`. And, in the section document, a call of the library
    /// function `Diagnostics.Trace` (not shadowed by a member) that is not inside the branch
    /// of an `if` taken when such a flag is on (`if EnableTraceOutput then … else …`, or the
    /// `else` of `if not EnableTraceOutput then …`). Wrappers such as
    /// `Diagnostics.LogValue = if EnableTraceOutput then Diagnostics[LogValue] else (p, v) => v`
    /// are fine.
    ///
    /// ## Why it matters
    /// Tracing must be off before submission: traces slow refreshes down and may write user
    /// data to logs. A certified connector once shipped with its trace flag on.
    ///
    /// ## Example
    /// `EnableTraceOutput = true;`
    ///
    /// Use instead: `EnableTraceOutput = false;`, and trace only under
    /// `if EnableTraceOutput then Diagnostics.Trace(…) else value`.
    pub(crate) static TRACING_ENABLED = Rule {
        code: "PQ705",
        name: "tracing-enabled",
        default_severity: Severity::Error,
        priority: Priority::P1,
        scope: Scope::Content,
        check,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    let mut flags: Vec<(String, FileId, Span)> = Vec::new();
    if let Some(section) = &connector.section {
        for member in &section.document.members {
            if is_on(connector, &member.value, &section.env) && is_flag_name(&member.name.name) {
                flags.push((
                    member.name.name.to_string(),
                    section.file,
                    member.value.span,
                ));
            }
        }
    }
    for document in cx
        .model()
        .documents
        .iter()
        .filter(|d| d.role == Role::Module)
    {
        let Document::Expression(root) = &document.parse.document else {
            continue;
        };
        let mut env = Env::root(document.file);
        if let Some(section) = &connector.section {
            env = env.with_section(section.file, &section.document.members, true);
        }
        for (name, value, env) in module_members(root, env, document.file) {
            if is_flag_name(name) && is_on(connector, value, &env) {
                flags.push((name.to_owned(), document.file, value.span));
            }
        }
    }
    for (name, file, span) in flags {
        cx.report(
            Finding::new(format!("tracing is on: `{name}` is `true`"))
                .primary_label(file, span, "trace flag set here")
                .help("set it to `false` before submission"),
        );
    }
    let Some(section) = &connector.section else {
        return;
    };
    let regions = enabled_regions(cx, section.file);
    for call in connector.library_calls("Diagnostics.Trace") {
        if call.file != section.file
            || regions
                .iter()
                .any(|r| r.start <= call.expr.span.start && call.expr.span.end <= r.end)
        {
            continue;
        }
        let span = match &call.expr.kind {
            ExprKind::Postfix { target, .. } => target.span,
            ExprKind::Invoke { callee, .. } => callee.span,
            _ => call.expr.span,
        };
        cx.report(
            Finding::new("`Diagnostics.Trace` is called whether or not tracing is enabled")
                .primary_label(call.file, span, "unguarded trace")
                .help("call it only when a trace flag such as `EnableTraceOutput` is on, or remove it before submission"),
        );
    }
}

fn is_flag_name(name: &str) -> bool {
    name_words(name)
        .iter()
        .any(|w| FLAG_WORDS.contains(&w.to_lowercase().as_str()))
}

fn is_on<'a>(
    connector: &crate::model::connector::Connector<'a>,
    value: &'a Expr,
    env: &Env<'a>,
) -> bool {
    matches!(
        connector.resolver.resolve(value, env),
        Resolved::Logical(true)
    )
}

/// The members of a module: the variables of its outer `let`s and the fields of the record
/// it evaluates to, each with the environment of its value.
fn module_members<'a>(
    root: &'a Expr,
    env: Env<'a>,
    file: FileId,
) -> Vec<(&'a str, &'a Expr, Env<'a>)> {
    let mut members = Vec::new();
    let mut current = (root, env);
    for _ in 0..MAX_MODULE_STEPS {
        let (expr, env) = current;
        match &expr.kind {
            ExprKind::Parens(inner) => current = (inner, env),
            ExprKind::Let(let_expr) => {
                let inner = env.with_let(file, &let_expr.bindings);
                members.extend(
                    let_expr
                        .bindings
                        .iter()
                        .map(|b| (&*b.name.name, &b.value, inner.clone())),
                );
                current = (&let_expr.body, inner);
            }
            ExprKind::Ident(ident) => match env.lookup(&ident.name) {
                Definition::Value { expr, env, .. } => current = (expr, env),
                _ => break,
            },
            ExprKind::Record(fields) => {
                let inner = env.with_record(file, fields);
                members.extend(
                    fields
                        .iter()
                        .map(|f: &'a Field| (&*f.name.name, &f.value, inner.clone())),
                );
                break;
            }
            _ => break,
        }
    }
    members
}

/// The branches of the section document's `if`s that run when a trace flag is on.
fn enabled_regions(cx: &Context<'_>, section: FileId) -> Vec<Span> {
    let mut regions = Vec::new();
    cx.for_each_expr(|expr, env, file| {
        let ExprKind::If(if_expr) = &expr.kind else {
            return;
        };
        if file != section || !reads_flag(&if_expr.condition, env, file) {
            return;
        }
        regions.push(if then_is_enabled(&if_expr.condition) {
            if_expr.then_branch.span
        } else {
            if_expr.else_branch.span
        });
    });
    regions
}

/// Whether the condition reads a name defined in the connector whose words make it a flag.
fn reads_flag<'a>(condition: &'a Expr, env: &Env<'a>, file: FileId) -> bool {
    let mut found = false;
    walk(condition, env, file, &mut |expr, env| {
        if let ExprKind::Ident(ident) = &expr.kind
            && is_flag_name(&ident.name)
            && matches!(env.lookup(&ident.name), Definition::Value { .. })
        {
            found = true;
        }
    });
    found
}

/// Whether the `then` branch runs when the flag is on: `Flag`, `Flag = true`; not for
/// `not Flag`, `Flag <> true`, `Flag = false`. Other conditions count as `then`.
fn then_is_enabled(condition: &Expr) -> bool {
    match &condition.kind {
        ExprKind::Parens(inner) => then_is_enabled(inner),
        ExprKind::Unary { ops, operand } => {
            let negations = ops.iter().filter(|(op, _)| *op == UnaryOp::Not).count();
            then_is_enabled(operand) == (negations % 2 == 0)
        }
        ExprKind::Binary { first, rest } => match rest.as_slice() {
            [rhs] if matches!(rhs.op, BinaryOp::Equal | BinaryOp::NotEqual) => {
                let literal = logical(&rhs.right).or_else(|| logical(first));
                match literal {
                    Some(value) => (rhs.op == BinaryOp::Equal) == value,
                    None => true,
                }
            }
            _ => true,
        },
        _ => true,
    }
}

fn logical(expr: &Expr) -> Option<bool> {
    match &expr.kind {
        ExprKind::Literal(Literal::Logical(value)) => Some(*value),
        ExprKind::Parens(inner) => logical(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::TRACING_ENABLED;
    use crate::testing::{archive, listing, run_rule};

    /// A flag set to `false`, traces under the flag (either polarity), wrappers, and traces in
    /// modules pass.
    #[test]
    fn tracing_off_passes() {
        let document = r#"section Contoso;
EnableTraceOutput = false;
DebugLevel = 3;
Log = (value) => if EnableTraceOutput then Diagnostics.Trace(TraceLevel.Information, "v", value) else value;
Log2 = (value) => if (EnableTraceOutput <> true) then value else Diagnostics.Trace(TraceLevel.Information, "v", value);
Diagnostics.LogValue = if EnableTraceOutput then Diagnostics[LogValue] else (prefix, value) => value;
Diagnostics = Expression.Evaluate(Text.FromBinary(Extension.Contents("Diagnostics.pqm")), #shared);"#;
        let module = br#"[LogValue = (prefix, value) => Diagnostics.Trace(TraceLevel.Information, prefix, value), Verbose = false]"#;
        let pass = archive(
            "Contoso.mez",
            &[
                ("Contoso.pq", document.as_bytes()),
                ("Diagnostics.pqm", module),
            ],
        );
        assert_eq!(listing(&run_rule(&TRACING_ENABLED, pass)), "");
    }

    /// A flag left on (in the section and in a module) and an unguarded trace fail.
    #[test]
    fn tracing_on_fails() {
        let document = r#"section Contoso;
EnableTraceOutput = true;
Log = (value) => Diagnostics.Trace(TraceLevel.Information, "v", value);"#;
        let module = br#"let IsDebug = true in [DiagnosticsEnabled = IsDebug]"#;
        let fail = archive(
            "Contoso.mez",
            &[("Contoso.pq", document.as_bytes()), ("Helpers.pqm", module)],
        );
        insta::assert_snapshot!(listing(&run_rule(&TRACING_ENABLED, fail)));
    }
}
