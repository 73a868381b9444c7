//! PQ705: a tracing or debug switch left on.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::Role;
use crate::model::connector::Kinds;
use crate::model::eval::follow::{Visit, seek};
use crate::model::eval::resolve::{Definition, Env, Resolved, step_through};
use crate::names::name_words;
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::Document;
use crate::syntax::ast::{Expr, ExprKind, Field};

/// Name words that make a member a tracing or debug switch.
const FLAG_WORDS: &[&str] = &["trace", "tracing", "debug", "verbose", "logging"];

declare_rule! {
    /// ## What it checks
    /// A switch that turns the connector's own tracing or debug output on is left on.
    ///
    /// A section member, or a member of a module (a field of the record the module evaluates
    /// to, or a variable of its outer `let`), whose name words include `trace`, `tracing`,
    /// `debug`, `verbose` or `logging` (`EnableTraceOutput`, `DebugMode`), whose value resolves
    /// to `true`, and which the code reads somewhere. Plain `Diagnostics.Trace` calls are not
    /// findings: the engine writes their output only when the user turns tracing on, and
    /// Microsoft's own connectors call it unguarded (PQ706 covers what such calls must not
    /// contain).
    ///
    /// ## Why it matters
    /// A connector must not ship with its own tracing switched on: traces slow refreshes down
    /// and may write user data to logs. A certified connector once shipped with
    /// `EnableTraceOutput = true`.
    ///
    /// ## Example
    /// `EnableTraceOutput = true;` read by `if EnableTraceOutput then Diagnostics.Trace(…) else value`.
    ///
    /// Use instead: `EnableTraceOutput = false;`
    pub(crate) static TRACING_ENABLED = Rule {
        code: "PQ705",
        name: "tracing-enabled",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    // Each switch that is on: its name, where its value is, and the value itself (to find
    // the places that read it).
    let mut flags: Vec<(String, FileId, &Expr)> = Vec::new();
    if let Some(section) = &connector.section {
        for member in &section.document.members {
            if is_flag_name(&member.name.name) && is_on(connector, &member.value, &section.env) {
                flags.push((member.name.name.to_string(), section.file, &member.value));
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
                flags.push((name.to_owned(), document.file, value));
            }
        }
    }
    if flags.is_empty() {
        return;
    }
    // Where each switch is read: a name that resolves to its value.
    let mut reads: Vec<Option<(FileId, Span)>> = vec![None; flags.len()];
    cx.for_each_expr_of(Kinds::IDENT, |expr, env, file| {
        let ExprKind::Ident(ident) = &expr.kind else {
            return;
        };
        for (index, (name, _, value)) in flags.iter().enumerate() {
            if reads.get(index).is_some_and(Option::is_none)
                && ident.name.as_str() == name
                && let Definition::Value { expr: defined, .. } =
                    env.lookup_at(&ident.name, expr.span)
                && std::ptr::eq(defined, *value)
                && let Some(slot) = reads.get_mut(index)
            {
                *slot = Some((file, expr.span));
            }
        }
    });
    for ((name, file, value), read) in flags.into_iter().zip(reads) {
        let Some((read_file, read_span)) = read else {
            continue;
        };
        cx.report(
            Finding::new(format!("tracing is on: `{name}` is `true`"))
                .primary_label(file, value.span, "switch set here")
                .secondary(read_file, read_span, "read here")
                .help("set it to `false` before submission"),
        );
    }
}

fn is_flag_name(name: &str) -> bool {
    // A name holds a flag word only if its lower-case text contains it: most names are
    // rejected without being split into words.
    let lower = name.to_ascii_lowercase();
    if !FLAG_WORDS.iter().any(|word| lower.contains(word)) {
        return false;
    }
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
    seek(root, &env, step_through, |expr, env| {
        match &expr.kind {
            ExprKind::Let(let_expr) => {
                let inner = env.with_let(file, &let_expr.bindings);
                members.extend(
                    let_expr
                        .bindings
                        .iter()
                        .map(|b| (&*b.name.name, &b.value, inner.clone())),
                );
                return Visit::Into(&let_expr.body, inner);
            }
            ExprKind::Record(fields) => {
                let inner = env.with_record(file, fields);
                members.extend(
                    fields
                        .iter()
                        .map(|f: &'a Field| (&*f.name.name, &f.value, inner.clone())),
                );
            }
            ExprKind::Parens(_) | ExprKind::Ident(_) => return Visit::Step,
            _ => {}
        }
        Visit::<()>::Stop
    });
    members
}

#[cfg(test)]
mod tests {
    use super::TRACING_ENABLED;
    use crate::testing::{Fixture, RuleCase};

    /// A switch set to `false`, traces under it (either polarity), wrappers, unguarded
    /// `Diagnostics.Trace` calls, a switch that nothing reads, and names that only look like
    /// switches (`DiagnosticsEnabled`) pass; a switch left on and read, in the section and in
    /// a module, fails.
    #[test]
    fn tracing_enabled() {
        let cases = RuleCase::new(&TRACING_ENABLED)
            .pass([
                Fixture::kestrel(),
                Fixture::finch()
                    .members(
                        r#"EnableTraceOutput = false;
DebugLevel = 3;
UnusedDebugMode = true;
DiagnosticsEnabled = true;
Log = (value) => if EnableTraceOutput then Diagnostics.Trace(TraceLevel.Information, "v", value) else value;
Log2 = (value) => if (EnableTraceOutput <> true) then value else Diagnostics.Trace(TraceLevel.Information, "v", value);
Log3 = (value) => Diagnostics.Trace(TraceLevel.Information, "v", value, DiagnosticsEnabled);
Diagnostics.LogValue = if EnableTraceOutput then Diagnostics[LogValue] else (prefix, value) => value;
Diagnostics = Expression.Evaluate(Text.FromBinary(Extension.Contents("Diagnostics.pqm")), #shared);"#,
                    )
                    .entry(
                        "Diagnostics.pqm",
                        br#"[LogValue = (prefix, value) => Diagnostics.Trace(TraceLevel.Information, prefix, value), Verbose = false]"#,
                    ),
            ])
            .fail([Fixture::finch()
                .members(
                    r#"EnableTraceOutput = true;
Log = (value) => if EnableTraceOutput then Diagnostics.Trace(TraceLevel.Information, "v", value) else value;"#,
                )
                .entry(
                    "Helpers.pqm",
                    br#"let IsDebug = true in [Options = [Debug = IsDebug]]"#,
                )]);
        insta::assert_snapshot!(cases.run());
    }
}
