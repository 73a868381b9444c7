//! Checks across the packages of one run: the same section name or `shared` member name in
//! more than one package (PQ114). Each package's report carries the names it defines and the
//! suppressions that may silence such findings; [`check`] runs once every report is built, in
//! path order, so the result never depends on how many packages were checked in parallel.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, PackageReport};
use crate::model::connector::Connector;
use crate::package::PackageKind;
use crate::rules::document::{GlobalKind, GlobalName};
use crate::rules::suppression::PendingSuppression;
use crate::rules::{Rule, stamp};

/// What a package contributes to the checks across packages.
#[derive(Debug, Default)]
pub struct AcrossPackages {
    /// The section name and every `shared` member name, where they are defined.
    pub globals: Vec<GlobalName>,
    /// Source suppressions naming a rule whose findings may come from [`check`].
    pub suppressions: Vec<PendingSuppression>,
}

/// The global names of a connector: its section name and `shared` members.
pub fn global_names(connector: &Connector<'_>) -> Vec<GlobalName> {
    let Some(section) = &connector.section else {
        return Vec::new();
    };
    let document = section.document;
    let mut names = Vec::new();
    if !document.name.name.is_empty() {
        names.push(GlobalName {
            what: GlobalKind::Section,
            name: document.name.name.to_string(),
            file: section.file,
            span: document.name.span,
        });
    }
    for member in document.members.iter().filter(|m| m.shared.is_some()) {
        names.push(GlobalName {
            what: GlobalKind::SharedMember,
            name: member.name.name.to_string(),
            file: section.file,
            span: member.name.span,
        });
    }
    names
}

/// Adds the findings across packages to their reports. `configs[i]` is the configuration of
/// `reports[i]`.
pub fn check(packages: &mut [(&mut PackageReport, &mut AcrossPackages)], configs: &[&Config]) {
    let mut order: Vec<usize> = (0..packages.len().min(configs.len())).collect();
    order.sort_by(|&a, &b| {
        packages
            .get(a)
            .map(|(r, _)| &r.path)
            .cmp(&packages.get(b).map(|(r, _)| &r.path))
            .then(a.cmp(&b))
    });
    // (kind, name) → packages defining it, in path order, each with its first definition.
    let mut defined: BTreeMap<(GlobalKind, &str), Vec<(usize, &GlobalName)>> = BTreeMap::new();
    for &index in &order {
        let Some((_, across)) = packages.get(index) else {
            continue;
        };
        for global in &across.globals {
            let packages = defined.entry((global.what, &global.name)).or_default();
            if !packages.iter().any(|(other, _)| *other == index) {
                packages.push((index, global));
            }
        }
    }
    let mut found: Vec<(usize, GlobalName, Vec<String>)> = Vec::new();
    for definers in defined.values().filter(|definers| definers.len() > 1) {
        for (index, global) in definers {
            let others: Vec<String> = definers
                .iter()
                .filter(|(other, _)| other != index)
                .filter(|(other, _)| !same_connector(packages, *index, *other))
                .filter_map(|(other, _)| packages.get(*other).map(|(r, _)| r.path.clone()))
                .collect();
            if !others.is_empty() {
                found.push((*index, (*global).clone(), others));
            }
        }
    }
    for (index, global, others) in found {
        let (Some((report, across)), Some(config)) = (packages.get_mut(index), configs.get(index))
        else {
            continue;
        };
        let rule = &crate::rules::document::DUPLICATE_NAME;
        let Some(severity) = config.severity(rule) else {
            continue;
        };
        let entry = report.sources.get(global.file).name.clone();
        if config.ignored_for_entry(rule, &entry) || suppressed(report, across, rule, &global) {
            continue;
        }
        let finding = crate::rules::document::duplicate_names_across_packages(&global, &others);
        report.insert(stamp(rule, severity, finding));
    }
}

/// Whether two packages are one connector built twice: `X.mez` and `X.pqx` of the same name
/// in the same folder (the signed package made from the unsigned one).
fn same_connector(
    packages: &[(&mut PackageReport, &mut AcrossPackages)],
    a: usize,
    b: usize,
) -> bool {
    let (Some((a, _)), Some((b, _))) = (packages.get(a), packages.get(b)) else {
        return false;
    };
    let kinds = [a.kind, b.kind];
    let stem = |path: &str| {
        let path = std::path::Path::new(path);
        (
            path.parent().map(std::path::Path::to_path_buf),
            path.file_stem().map(|s| s.to_ascii_lowercase()),
        )
    };
    kinds.contains(&PackageKind::Mez)
        && kinds.contains(&PackageKind::Pqx)
        && stem(&a.path) == stem(&b.path)
}

/// Whether a source suppression silences a finding at `global`; withdraws the PQ099 finding
/// that called the suppression unused.
fn suppressed(
    report: &mut PackageReport,
    across: &mut AcrossPackages,
    rule: &'static Rule,
    global: &GlobalName,
) -> bool {
    let line = report
        .sources
        .get(global.file)
        .line_col(global.span.start)
        .line;
    let mut withdrawn = Vec::new();
    let mut any = false;
    for pending in across.suppressions.iter_mut().filter(|s| {
        s.rule.code == rule.code && s.file == global.file && s.line.is_none_or(|l| l == line)
    }) {
        any = true;
        if pending.reported_unused {
            pending.reported_unused = false;
            withdrawn.push((pending.file, pending.code_span));
        }
    }
    report.retract(|d: &Diagnostic| {
        d.rule.code == crate::rules::package::UNUSED_SUPPRESSION.code
            && d.primary
                .as_ref()
                .is_some_and(|l| withdrawn.contains(&(l.file, l.span)))
    });
    any
}
