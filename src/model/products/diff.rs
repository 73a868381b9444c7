//! `mezcheck diff OLD NEW`: what changed between two versions of a connector, as its users see
//! it. Compares the two [`ExtensionInfo`]s: the version, the data source kinds with their
//! authentication kinds and `TestConnection`, the shared functions with their parameters, the
//! Publish records and the functions that build navigation tables. Each change says whether
//! it breaks what users of the older version have (reports, saved credentials, refresh).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::info::{
    COMPUTED_FUNCTION_TYPE, DataSourceInfo, ExtensionInfo, MemberInfo, ParameterInfo,
};

/// The version of the `diff` JSON document.
pub const DIFF_JSON_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct ConnectorDiff {
    pub version: u32,
    pub old: Side,
    pub new: Side,
    /// How the version moved: `major`, `minor`, `patch`, `same`, `lower`, or `unknown` when a
    /// version is missing or not made of numbers.
    pub version_change: VersionChange,
    pub changes: Vec<Change>,
    /// What a release should not do: breaking changes without a major version bump, a version
    /// that did not move or went down.
    pub problems: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Side {
    pub source: String,
    pub section: Option<String>,
    #[serde(rename = "connector_version")]
    pub version: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VersionChange {
    Major,
    Minor,
    Patch,
    Same,
    Lower,
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// `kind`, `authentication`, `test-connection`, `function`, `parameter`, `publish` or
    /// `navigation`.
    pub area: &'static str,
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// What changed, such as ``parameter `url` of `Contoso.Contents` ``.
    pub subject: String,
    /// How it changed, for `changed`: ``optional → required``.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Whether users of the older version lose something: a function, a parameter that
    /// becomes required, a credential kind, an entry point.
    pub breaking: bool,
}

impl ConnectorDiff {
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }
}

/// Compares two descriptions of a connector.
pub fn diff(old: &ExtensionInfo, new: &ExtensionInfo) -> ConnectorDiff {
    let mut changes = Vec::new();
    kinds(&old.data_sources, &new.data_sources, &mut changes);
    functions(&old.members, &new.members, &mut changes);
    publish(&old.publish_records, &new.publish_records, &mut changes);
    navigation(&old.navigation_tables, &new.navigation_tables, &mut changes);
    changes.sort_by(|a, b| {
        (b.breaking.cmp(&a.breaking))
            .then(a.area.cmp(b.area))
            .then(a.subject.cmp(&b.subject))
            .then(a.change.cmp(b.change))
    });
    let version_change = version_change(old.version.as_deref(), new.version.as_deref());
    let mut problems = Vec::new();
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".to_owned());
    match version_change {
        VersionChange::Same => problems.push(format!(
            "the version did not move: {} in both",
            shown(&new.version)
        )),
        VersionChange::Lower => problems.push(format!(
            "the version went down: {} → {}",
            shown(&old.version),
            shown(&new.version)
        )),
        _ => {}
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    if breaking > 0 && matches!(version_change, VersionChange::Minor | VersionChange::Patch) {
        problems.push(format!(
            "{breaking} breaking change{} without a major version bump: {} → {}",
            if breaking == 1 { "" } else { "s" },
            shown(&old.version),
            shown(&new.version)
        ));
    }
    ConnectorDiff {
        version: DIFF_JSON_VERSION,
        old: side(old),
        new: side(new),
        version_change,
        changes,
        problems,
    }
}

fn side(info: &ExtensionInfo) -> Side {
    Side {
        source: info.source.clone(),
        section: info.library_id.clone(),
        version: info.version.clone(),
    }
}

/// Compares dotted numeric versions (`1.2.0`, `1.10.3.4`); missing parts count as 0.
pub fn version_change(old: Option<&str>, new: Option<&str>) -> VersionChange {
    let parse = |v: &str| -> Option<Vec<u64>> {
        v.trim()
            .trim_start_matches(['v', 'V'])
            .split('.')
            .map(|part| part.parse().ok())
            .collect()
    };
    let (Some(old), Some(new)) = (old.and_then(parse), new.and_then(parse)) else {
        return VersionChange::Unknown;
    };
    let width = old.len().max(new.len());
    let at = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
    for index in 0..width {
        match at(&new, index).cmp(&at(&old, index)) {
            Ordering::Equal => continue,
            Ordering::Less => return VersionChange::Lower,
            Ordering::Greater => {
                return match index {
                    0 => VersionChange::Major,
                    1 => VersionChange::Minor,
                    _ => VersionChange::Patch,
                };
            }
        }
    }
    VersionChange::Same
}

fn change(
    area: &'static str,
    change: &'static str,
    subject: String,
    detail: Option<String>,
    breaking: bool,
) -> Change {
    Change {
        area,
        change,
        subject,
        detail,
        breaking,
    }
}

fn kinds(old: &[DataSourceInfo], new: &[DataSourceInfo], out: &mut Vec<Change>) {
    let by_kind = |list: &'_ [DataSourceInfo]| -> BTreeMap<String, usize> {
        (list.iter().enumerate())
            .map(|(index, ds)| (ds.data_source_kind.clone(), index))
            .collect()
    };
    let (old_kinds, new_kinds) = (by_kind(old), by_kind(new));
    for (kind, &index) in &old_kinds {
        let Some(&new_index) = new_kinds.get(kind) else {
            // Saved credentials and reports name the kind: they stop working.
            out.push(change(
                "kind",
                "removed",
                format!("data source kind `{kind}`"),
                None,
                true,
            ));
            continue;
        };
        if let (Some(before), Some(after)) = (old.get(index), new.get(new_index)) {
            kind_details(kind, before, after, out);
        }
    }
    for kind in new_kinds.keys().filter(|k| !old_kinds.contains_key(*k)) {
        out.push(change(
            "kind",
            "added",
            format!("data source kind `{kind}`"),
            None,
            false,
        ));
    }
}

fn kind_details(kind: &str, old: &DataSourceInfo, new: &DataSourceInfo, out: &mut Vec<Change>) {
    // A Kind record built at run time says nothing about its fields: not compared.
    if !old.record_resolved || !new.record_resolved {
        return;
    }
    // A computed `Authentication` record says nothing about its kinds: not compared.
    if old.authentication_computed.is_none() && new.authentication_computed.is_none() {
        let auth = |ds: &DataSourceInfo| -> BTreeSet<String> {
            (ds.authentication_infos.iter())
                .map(|a| a.kind.clone())
                .collect()
        };
        let (before, after) = (auth(old), auth(new));
        for removed in before.difference(&after) {
            out.push(change(
                "authentication",
                "removed",
                format!("authentication `{removed}` of `{kind}`"),
                None,
                true,
            ));
        }
        for added in after.difference(&before) {
            out.push(change(
                "authentication",
                "added",
                format!("authentication `{added}` of `{kind}`"),
                None,
                false,
            ));
        }
    }
    match (old.has_test_connection, new.has_test_connection) {
        // Without TestConnection, the gateway can no longer refresh the reports.
        (true, false) => out.push(change(
            "test-connection",
            "removed",
            format!("`TestConnection` of `{kind}`"),
            None,
            true,
        )),
        (false, true) => out.push(change(
            "test-connection",
            "added",
            format!("`TestConnection` of `{kind}`"),
            None,
            false,
        )),
        _ => {}
    }
}

fn is_function(member: &MemberInfo) -> bool {
    member.type_text.starts_with("function")
}

/// Whether a function's parameters are known: not when its shape is computed.
fn has_known_parameters(member: &MemberInfo) -> bool {
    is_function(member) && member.type_text != COMPUTED_FUNCTION_TYPE
}

fn functions(old: &[MemberInfo], new: &[MemberInfo], out: &mut Vec<Change>) {
    let by_name = |list: &'_ [MemberInfo]| -> BTreeMap<String, usize> {
        (list.iter().enumerate())
            .filter(|(_, m)| is_function(m))
            .map(|(index, m)| (m.name.clone(), index))
            .collect()
    };
    let (before, after) = (by_name(old), by_name(new));
    for (name, &index) in &before {
        let Some(&new_index) = after.get(name) else {
            // Still a shared member but not seen as a function: its value is built at run
            // time, which says nothing about whether it is one.
            if !new.iter().any(|m| &m.name == name) {
                out.push(change(
                    "function",
                    "removed",
                    format!("function `{name}`"),
                    None,
                    true,
                ));
            }
            continue;
        };
        if let (Some(old_member), Some(new_member)) = (old.get(index), new.get(new_index))
            && has_known_parameters(old_member)
            && has_known_parameters(new_member)
        {
            parameters(
                name,
                &old_member.function_parameters,
                &new_member.function_parameters,
                out,
            );
        }
    }
    for name in after.keys().filter(|n| !before.contains_key(*n)) {
        out.push(change(
            "function",
            "added",
            format!("function `{name}`"),
            None,
            false,
        ));
    }
}

fn parameters(function: &str, old: &[ParameterInfo], new: &[ParameterInfo], out: &mut Vec<Change>) {
    let subject = |name: &str| format!("parameter `{name}` of `{function}`");
    let find = |list: &'_ [ParameterInfo], name: &str| -> Option<usize> {
        list.iter().position(|p| p.name == name)
    };
    for (position, param) in old.iter().enumerate() {
        let Some(new_position) = find(new, &param.name) else {
            out.push(change(
                "parameter",
                "removed",
                subject(&param.name),
                None,
                true,
            ));
            continue;
        };
        let Some(now) = new.get(new_position) else {
            continue;
        };
        if param.is_required != now.is_required {
            let (from, to, breaking) = if now.is_required {
                ("optional", "required", true)
            } else {
                ("required", "optional", false)
            };
            out.push(change(
                "parameter",
                "changed",
                subject(&param.name),
                Some(format!("{from} → {to}")),
                breaking,
            ));
        }
        if param.type_text != now.type_text {
            out.push(change(
                "parameter",
                "changed",
                subject(&param.name),
                Some(format!("type {} → {}", param.type_text, now.type_text)),
                narrows(&param.type_text, &now.type_text),
            ));
        }
        if position != new_position {
            // M passes arguments by position: a parameter that moved receives another's value.
            out.push(change(
                "parameter",
                "changed",
                subject(&param.name),
                Some(format!("position {} → {}", position + 1, new_position + 1)),
                true,
            ));
        }
    }
    for param in new.iter().filter(|p| find(old, &p.name).is_none()) {
        out.push(change(
            "parameter",
            "added",
            subject(&param.name),
            Some(
                if param.is_required {
                    "required"
                } else {
                    "optional"
                }
                .to_owned(),
            ),
            param.is_required,
        ));
    }
}

/// Whether a parameter's new type accepts less than the old one: another type, or `nullable`
/// dropped. Documentation metadata (`Uri.Type` is text) and widening to `nullable` or `any`
/// do not break callers.
fn narrows(old: &str, new: &str) -> bool {
    let (old_nullable, old_base) = base_type(old);
    let (new_nullable, new_base) = base_type(new);
    if new_base == "any" {
        return false;
    }
    old_base != new_base || (old_nullable && !new_nullable)
}

/// `(nullable, primitive)` of a type name, with the library's type facets (`Uri.Type`,
/// `Int64.Type`) read as the primitive type they describe.
fn base_type(name: &str) -> (bool, &str) {
    let (nullable, name) = match name.strip_prefix("nullable ") {
        Some(rest) => (true, rest),
        None => (false, name),
    };
    let primitive = match name {
        "Uri.Type" | "Text.Type" | "Character.Type" | "Guid.Type" | "Password.Type" => "text",
        "Number.Type" | "Int8.Type" | "Int16.Type" | "Int32.Type" | "Int64.Type"
        | "Single.Type" | "Double.Type" | "Decimal.Type" | "Currency.Type" | "Percentage.Type"
        | "Byte.Type" => "number",
        "Date.Type" => "date",
        "DateTime.Type" => "datetime",
        "DateTimeZone.Type" => "datetimezone",
        "Duration.Type" => "duration",
        "Time.Type" => "time",
        "Logical.Type" => "logical",
        "Binary.Type" => "binary",
        "Table.Type" => "table",
        "List.Type" => "list",
        "Record.Type" => "record",
        "Function.Type" => "function",
        "Any.Type" => "any",
        "None.Type" => "none",
        other => other,
    };
    (nullable, primitive)
}

fn publish(old: &BTreeMap<String, Value>, new: &BTreeMap<String, Value>, out: &mut Vec<Change>) {
    for (name, record) in old {
        let Some(now) = new.get(name) else {
            // The Get Data entry disappears.
            out.push(change(
                "publish",
                "removed",
                format!("Publish record `{name}`"),
                None,
                true,
            ));
            continue;
        };
        // A record built at run time has no fields to compare.
        if !record.is_object() || !now.is_object() {
            continue;
        }
        let fields = |value: &Value| -> BTreeMap<String, String> {
            (value.as_object().into_iter().flatten())
                .map(|(field, v)| (field.clone(), v.to_string()))
                .collect()
        };
        let (before, after) = (fields(record), fields(now));
        let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for field in names {
            let (was, is) = (before.get(field), after.get(field));
            if was != is {
                let show = |v: Option<&String>| v.cloned().unwrap_or_else(|| "absent".to_owned());
                out.push(change(
                    "publish",
                    "changed",
                    format!("`{field}` of Publish record `{name}`"),
                    Some(format!("{} → {}", show(was), show(is))),
                    false,
                ));
            }
        }
    }
    for name in new.keys().filter(|n| !old.contains_key(*n)) {
        out.push(change(
            "publish",
            "added",
            format!("Publish record `{name}`"),
            None,
            false,
        ));
    }
}

fn navigation(old: &[String], new: &[String], out: &mut Vec<Change>) {
    let (before, after): (BTreeSet<&String>, BTreeSet<&String>) =
        (old.iter().collect(), new.iter().collect());
    for removed in before.difference(&after) {
        out.push(change(
            "navigation",
            "removed",
            format!("navigation table built by `{removed}`"),
            None,
            true,
        ));
    }
    for added in after.difference(&before) {
        out.push(change(
            "navigation",
            "added",
            format!("navigation table built by `{added}`"),
            None,
            false,
        ));
    }
}

/// The human rendering: the version line, one line per change, then the problems.
pub fn render_text(diff: &ConnectorDiff) -> String {
    let mut out = String::new();
    let name = (diff.new.section.as_deref())
        .or(diff.old.section.as_deref())
        .unwrap_or("connector");
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "no version".to_owned());
    let moved = match diff.version_change {
        VersionChange::Major => "major",
        VersionChange::Minor => "minor",
        VersionChange::Patch => "patch",
        VersionChange::Same => "unchanged",
        VersionChange::Lower => "lower",
        VersionChange::Unknown => "not comparable",
    };
    out.push_str(&format!(
        "{name}: {} → {} ({moved})\n",
        shown(&diff.old.version),
        shown(&diff.new.version)
    ));
    if diff.changes.is_empty() {
        out.push_str(
            "  no changes to kinds, authentication, functions, Publish records or navigation\n",
        );
    }
    for c in &diff.changes {
        let sign = match c.change {
            "added" => '+',
            "removed" => '-',
            _ => '~',
        };
        let detail = c
            .detail
            .as_deref()
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        let breaking = if c.breaking { "  [breaking]" } else { "" };
        out.push_str(&format!(
            "  {sign} {} {}{detail}{breaking}\n",
            c.subject, c.change
        ));
    }
    for problem in &diff.problems {
        out.push_str(&format!("problem: {problem}\n"));
    }
    let breaking = diff.breaking();
    out.push_str(&format!(
        "{} change{}, {breaking} breaking, {} problem{}\n",
        diff.changes.len(),
        if diff.changes.len() == 1 { "" } else { "s" },
        diff.problems.len(),
        if diff.problems.len() == 1 { "" } else { "s" },
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::{VersionChange, narrows, version_change};

    /// Metadata and widening keep callers working; another type or dropping `nullable` does
    /// not.
    #[test]
    fn parameter_types_narrow_or_not() {
        for (old, new) in [
            ("text", "Uri.Type"),
            ("text", "nullable text"),
            ("number", "any"),
            ("Int64.Type", "nullable number"),
        ] {
            assert!(!narrows(old, new), "{old} → {new}");
        }
        for (old, new) in [
            ("text", "number"),
            ("nullable text", "text"),
            ("any", "text"),
        ] {
            assert!(narrows(old, new), "{old} → {new}");
        }
    }

    #[test]
    fn versions_compare_by_number() {
        let cases = [
            ("1.0.0", "2.0.0", VersionChange::Major),
            ("1.9.0", "1.10.0", VersionChange::Minor),
            ("1.2.3", "1.2.4", VersionChange::Patch),
            ("1.2.3.4", "1.2.3.5", VersionChange::Patch),
            ("1.2", "1.2.0", VersionChange::Same),
            ("2.0.0", "1.9.9", VersionChange::Lower),
            ("1.0.0", "next", VersionChange::Unknown),
        ];
        for (old, new, expected) in cases {
            assert_eq!(
                version_change(Some(old), Some(new)),
                expected,
                "{old} → {new}"
            );
        }
        assert_eq!(version_change(None, Some("1.0.0")), VersionChange::Unknown);
    }
}
