//! PQ602: the `Table.ToNavigationTable` helper or its calls do not match the SDK's.
use super::HELPER_PARAMETERS;
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::Connector;
use crate::model::connector::navigation::{
    NAVIGATION_HELPER, NavigationHelper, navigation_calls, navigation_helpers,
};
use crate::model::eval::follow::follow;
use crate::model::eval::resolve::{Definition, Env, call_of};
use crate::model::eval::walk::walk;
use crate::rules::{Context, Priority};
use crate::syntax::ast::{ExprKind, Function};

declare_rule! {
    /// ## What it checks
    /// A `Table.ToNavigationTable` definition or call does not match the SDK helper.
    ///
    /// A `Table.ToNavigationTable` defined in the section document or a module must be a
    /// function of 7 parameters (table, keyColumns, nameColumn, dataColumn, itemKindColumn,
    /// itemNameColumn, isLeafColumn) that calls `Type.AddTableKey` and attaches
    /// `NavigationTable.NameColumn`, `NavigationTable.DataColumn`,
    /// `NavigationTable.ItemKindColumn`, `NavigationTable.IsLeafColumn` and
    /// `Preview.DelayColumn` metadata (in its body or the connector functions it calls). Every
    /// call must pass 7 arguments.
    ///
    /// ## Why it matters
    /// The navigator reads exactly this metadata; a helper that misses some of it shows a
    /// table without icons, expansion or previews, or no navigator at all.
    ///
    /// ## Example
    /// A helper `(table, keyColumns, nameColumn, dataColumn) => …` that attaches only
    /// `NavigationTable.NameColumn` and `NavigationTable.DataColumn`.
    ///
    /// Use instead: copy `Table.ToNavigationTable` from the SDK's helper functions and pass
    /// all seven arguments.
    pub(crate) static MALFORMED_NAVIGATION_HELPER = Rule {
        code: "PQ602",
        name: "malformed-navigation-helper",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

/// The metadata fields the navigator reads.
const REQUIRED_METADATA: [&str; 5] = [
    "NavigationTable.NameColumn",
    "NavigationTable.DataColumn",
    "NavigationTable.ItemKindColumn",
    "NavigationTable.IsLeafColumn",
    "Preview.DelayColumn",
];

/// Connector functions followed from the helper's body when looking for its metadata.
const MAX_CALLED_FUNCTIONS: usize = 16;

const HELP: &str = "copy `Table.ToNavigationTable` from the SDK's helper functions";

fn check(cx: &mut Context<'_>) {
    let connector = cx.connector();
    for helper in navigation_helpers(connector) {
        check_helper(cx, connector, &helper);
    }
    for call in navigation_calls(connector) {
        if call.args.len() != HELPER_PARAMETERS.len() {
            cx.report(
                Finding::new(format!(
                    "`{NAVIGATION_HELPER}` is called with {} argument{}, not {}",
                    call.args.len(),
                    if call.args.len() == 1 { "" } else { "s" },
                    HELPER_PARAMETERS.len()
                ))
                .primary(call.file, call.expr.span)
                .help(format!("pass {}", HELPER_PARAMETERS.join(", "))),
            );
        }
    }
}

fn check_helper<'a>(
    cx: &mut Context<'_>,
    connector: &Connector<'a>,
    helper: &NavigationHelper<'a>,
) {
    let (file, span) = match helper.name {
        Some((file, span)) if file == helper.file => (file, span),
        _ => (helper.file, helper.head_span()),
    };
    let locate = |finding: Finding| {
        let finding = finding.primary(file, span).help(HELP);
        match helper.name {
            Some((name_file, name_span)) if name_file != file => {
                finding.secondary(name_file, name_span, "loaded here")
            }
            _ => finding,
        }
    };
    let n_params = helper.function.params.len();
    if n_params != HELPER_PARAMETERS.len() {
        cx.report(locate(Finding::new(format!(
            "`{NAVIGATION_HELPER}` takes {n_params} parameter{}, not {}",
            if n_params == 1 { "" } else { "s" },
            HELPER_PARAMETERS.len()
        ))));
    }
    let facts = body_facts(connector, helper);
    if !facts.adds_key {
        cx.report(locate(Finding::new(format!(
            "`{NAVIGATION_HELPER}` does not call `Type.AddTableKey`"
        ))));
    }
    let missing: Vec<String> = REQUIRED_METADATA
        .iter()
        .filter(|name| !facts.fields.iter().any(|f| f == *name))
        .map(|name| format!("`{name}`"))
        .collect();
    if !missing.is_empty() {
        cx.report(locate(Finding::new(format!(
            "`{NAVIGATION_HELPER}` does not attach {}",
            missing.join(", ")
        ))));
    }
}

/// What the helper's body (and the connector functions it calls) does.
#[derive(Default)]
struct BodyFacts {
    adds_key: bool,
    /// Field names of the records and `meta` records it builds.
    fields: Vec<String>,
}

fn body_facts<'a>(connector: &Connector<'a>, helper: &NavigationHelper<'a>) -> BodyFacts {
    let mut facts = BodyFacts::default();
    let mut pending: Vec<(&'a Function, Env<'a>)> = vec![(helper.function, helper.env.clone())];
    let mut visited: Vec<*const Function> = Vec::new();
    while let Some((function, env)) = pending.pop() {
        if visited.contains(&std::ptr::from_ref(function)) || visited.len() > MAX_CALLED_FUNCTIONS {
            continue;
        }
        visited.push(std::ptr::from_ref(function));
        let file = env.file();
        let inner = env.with_params(file, function);
        walk(&function.body, &inner, file, &mut |expr, env| {
            match &expr.kind {
                ExprKind::Record(fields) => facts
                    .fields
                    .extend(fields.iter().map(|f| f.name.name.to_string())),
                ExprKind::Meta { meta, .. } => {
                    if let Some((fields, _)) = connector.resolver.record(meta, env) {
                        facts
                            .fields
                            .extend(fields.iter().map(|f| f.name.name.to_string()));
                    }
                }
                _ => {}
            }
            let Some((name, _)) = call_of(expr) else {
                return;
            };
            if name == "Type.AddTableKey" {
                facts.adds_key = true;
            }
            if let Definition::Value {
                expr: callee,
                env: callee_env,
                ..
            } = env.lookup(name)
            {
                let (callee, callee_env) = follow(callee, &callee_env);
                if let ExprKind::Function(called) = &callee.kind {
                    pending.push((called, callee_env));
                }
            }
        });
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::MALFORMED_NAVIGATION_HELPER as RULE;
    use crate::rules::navigation::HELPER;
    use crate::testing::{Fixture, RuleCase};

    const CALL: &str = r#"Table.ToNavigationTable(#table({"Name"}, {}), {"Name"}, "Name", "Data", "ItemKind", "ItemName", "IsLeaf")"#;

    /// Finch returning `call`, with `helper` defining `Table.ToNavigationTable`.
    fn navigation(call: &str, helper: &str) -> Fixture {
        Fixture::finch()
            .set("Finch.Contents", &format!("() => {call}"))
            .members(helper)
    }

    /// The SDK helper passes, inline or loaded from a module, and so does one that builds its
    /// metadata in a function it calls. A four-parameter helper without the key and some
    /// metadata, and a short call, fail.
    #[test]
    fn malformed_navigation_helper() {
        let module = HELPER
            .trim_start_matches("Table.ToNavigationTable = ")
            .trim_end_matches(';');
        let loaded = navigation(
            CALL,
            "Table.ToNavigationTable = Expression.Evaluate(Text.FromBinary(Extension.Contents(\"Table.ToNavigationTable.pqm\")), #shared);",
        )
        .entry("Table.ToNavigationTable.pqm", module.as_bytes());
        let delegated = "Table.ToNavigationTable = (table, keyColumns, nameColumn, dataColumn, itemKindColumn, itemNameColumn, isLeafColumn) => Value.ReplaceType(table, NavType(table, keyColumns));\nNavType = (table, keys) => Type.AddTableKey(Value.Type(table), keys, true) meta [NavigationTable.NameColumn = \"Name\", NavigationTable.DataColumn = \"Data\", NavigationTable.ItemKindColumn = \"ItemKind\", NavigationTable.IsLeafColumn = \"IsLeaf\", Preview.DelayColumn = \"ItemName\"];";
        let short = "Table.ToNavigationTable = (table, keyColumns, nameColumn, dataColumn) => Value.ReplaceType(table, Value.Type(table) meta [NavigationTable.NameColumn = nameColumn, NavigationTable.DataColumn = dataColumn]);";
        let cases = RuleCase::new(&RULE)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                navigation(CALL, HELPER),
                loaded,
                navigation(CALL, delegated),
            ])
            .fail([navigation(
                r#"Table.ToNavigationTable(#table({"Name"}, {}), {"Name"}, "Name", "Data")"#,
                short,
            )]);
        insta::assert_snapshot!(cases.run());
    }
}
