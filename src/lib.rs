//! mezcheck validates Power Query custom connector packages (`.mez`, `.pqx`, project folders
//! and bare M files) against the certification requirements.
//!
//! Data moves one way: [`package`] reads bytes into a package, [`model`] says what the package
//! means, [`rules`] turn that into [`diagnostic`]s, and [`output`] renders a [`diagnostic::Report`].

// Text from input is cut with `get`, never by indexing: a byte offset inside a character
// panics.
#![cfg_attr(not(test), deny(clippy::string_slice))]

pub mod baseline;
pub mod config;
pub mod dates;
pub mod diagnostic;
pub mod library;
pub mod model;
pub mod names;
pub mod output;
pub mod package;
pub mod rules;
pub mod signature;
pub mod source;
pub mod submission;
pub mod suggest;
pub mod syntax;
#[doc(hidden)]
pub mod testing;

use std::collections::BTreeMap;
use std::sync::Arc;

use config::{Config, Unverified};
use diagnostic::PackageReport;
use diagnostic::{Needs, Severity};
use model::Model;
use model::connector::Connector;
use model::products::checklist::ChecklistItem;
use model::products::info::ExtensionInfo;
use package::Package;
use rules::across::AcrossPackages;
use rules::{ALL, Context};
use submission::SubmissionOptions;

/// Checks one package with every enabled rule, then applies the suppressions in its M source
/// and the configuration's `[per-entry-ignores]`. Findings that need several packages come
/// from [`check_packages`].
///
/// ```
/// use mezcheck::config::Config;
/// use mezcheck::package::{PackageKind, read_archive};
///
/// let package = read_archive(b"not a zip archive", "Contoso.mez", PackageKind::Mez);
/// let report = mezcheck::check_package(package, &Config::default()).report;
/// assert_eq!(report.diagnostics[0].rule.code, "PQ001");
/// assert_eq!(report.counts.errors, 1);
/// ```
pub fn check_package(package: Package, config: &Config) -> Checked {
    check_release(package, config, None)
}

/// [`check_package`] for a release whose previous version is described by `previous`: the
/// changelog rules then compare the two (`mezcheck check --previous OLD`).
pub fn check_release(
    package: Package,
    config: &Config,
    previous: Option<Arc<ExtensionInfo>>,
) -> Checked {
    let options = submission_options(config);
    let (model, found) = Model::build_then(package, &options, RunRules(config, previous));
    finish(model, found, config)
}

/// The rules, run on the connector that building the model made.
struct RunRules<'c>(&'c Config, Option<Arc<ExtensionInfo>>);

impl model::Then for RunRules<'_> {
    type Output = Found;
    fn shared<'a>(&self) -> rules::Shared<'a> {
        rules::Shared::with_previous(self.1.clone())
    }
    fn then<'a>(
        self,
        model: &'a Model,
        connector: &'a Connector<'a>,
        shared: &'a rules::Shared<'a>,
    ) -> Found {
        check_connector(model, connector, shared, self.0)
    }
}

/// Checks a package model already built (with its submission documents attached), as
/// [`check_package`] does after building it.
pub fn check_model(model: Model, config: &Config) -> Checked {
    let found = {
        let connector = Connector::build(&model);
        let shared = rules::Shared::default();
        check_connector(&model, &connector, &shared, config)
    };
    finish(model, found, config)
}

/// What the rules found in one package, before the per-entry ignores.
struct Found {
    diagnostics: Vec<diagnostic::Diagnostic>,
    overflow: Vec<rules::Overflow>,
    across: AcrossPackages,
    checklist: Vec<ChecklistItem>,
}

/// Runs the rules on a connector and applies the suppressions in its M source.
fn check_connector<'a>(
    model: &Model,
    connector: &'a Connector<'a>,
    shared: &'a rules::Shared<'a>,
    config: &Config,
) -> Found {
    let (mut diagnostics, mut overflow) = run_rules(connector, shared, config);
    let mut suppressions = rules::suppression::collect(model);
    suppressions.apply(&mut diagnostics, &model.sources);
    overflow.retain(|o| {
        !o.file
            .is_some_and(|file| suppressions.covers_file(o.rule, file))
    });
    let (unused, pending) = suppressions.finish(config);
    diagnostics.extend(unused);
    let across = AcrossPackages {
        globals: rules::across::global_names(connector),
        suppressions: pending,
    };
    let checklist = if config.checklist {
        let facts = shared.facts(connector);
        model::products::checklist::checklist(model, facts)
    } else {
        Vec::new()
    };
    Found {
        diagnostics,
        overflow,
        across,
        checklist,
    }
}

/// The package's report: the findings with the configuration's per-entry ignores applied.
fn finish(model: Model, found: Found, config: &Config) -> Checked {
    let Found {
        mut diagnostics,
        overflow,
        across,
        checklist,
    } = found;
    let Model {
        package, sources, ..
    } = model;
    diagnostics.retain(|d| {
        let entry = d
            .primary
            .as_ref()
            .map(|l| sources.get(l.file).name.as_str())
            .or(d.entry.as_deref());
        !entry.is_some_and(|entry| config.ignored_for_entry(d.rule, entry))
    });
    let entry_paths: BTreeMap<String, String> = package
        .entries
        .iter()
        .filter_map(|e| Some((e.name.clone(), e.disk_path.clone()?)))
        .collect();
    let mut report = PackageReport::new(
        package.path,
        package.kind,
        sources,
        entry_paths,
        diagnostics,
    );
    for past_cap in overflow {
        let entry = match past_cap.file {
            Some(file) => Some(report.sources.get(file).name.clone()),
            None => past_cap.entry,
        };
        if entry
            .as_deref()
            .is_some_and(|entry| config.ignored_for_entry(past_cap.rule, entry))
        {
            continue;
        }
        report.omit(entry, past_cap.severity, past_cap.count);
    }
    Checked {
        report,
        across,
        checklist,
    }
}

/// What checking one package gives: its findings, what the checks across packages need from
/// it, and its manual certification checklist (empty unless the configuration asks for it).
#[derive(Debug)]
pub struct Checked {
    pub report: PackageReport,
    pub across: AcrossPackages,
    pub checklist: Vec<ChecklistItem>,
}

/// Adds the findings that compare the packages of one run (the same section or `shared` name
/// in several packages, PQ114). `configs[i]` is the configuration of `checked[i]`; the result
/// does not depend on the order of `checked`.
pub fn check_packages(checked: &mut [Checked], configs: &[&Config]) {
    let mut packages: Vec<(&mut PackageReport, &mut AcrossPackages)> = checked
        .iter_mut()
        .map(|c| (&mut c.report, &mut c.across))
        .collect();
    rules::across::check(&mut packages, configs);
}

/// How the submission documents are found and judged under `config`: they are looked for only
/// when a documentation or changelog rule (8xx, 9xx) runs, or the checklist is asked for.
pub fn submission_options(config: &Config) -> SubmissionOptions {
    SubmissionOptions {
        article: config.docs.clone(),
        changelog: config.changelog.clone(),
        initial_release: config.initial_release,
        discover: config.checklist
            || ALL.iter().any(|rule| {
                (rule.code.starts_with("PQ8") || rule.code.starts_with("PQ9"))
                    && config.severity(rule).is_some()
            }),
    }
}

/// Runs every enabled rule over a connector model.
/// The rules a bare test query gets: it is read, and it parses.
const QUERY_RULES: &[&str] = &["PQ001", "PQ100", "PQ099"];

fn run_rules<'a>(
    connector: &'a Connector<'a>,
    shared: &'a rules::Shared<'a>,
    config: &Config,
) -> (Vec<diagnostic::Diagnostic>, Vec<rules::Overflow>) {
    let model = connector.model;
    let readable = model.is_readable();
    // A test query on its own (`Kestrel.query.pq`) is no package: only its syntax and
    // whether it can be read are checked.
    let query_only = model.is_bare_test_query();
    let mut diagnostics = Vec::new();
    let mut overflow = Vec::new();
    for rule in ALL {
        let Some(severity) = config.severity(rule) else {
            continue;
        };
        if query_only && !QUERY_RULES.contains(&rule.code) {
            continue;
        }
        if rule.needs == Needs::Content && !readable {
            continue;
        }
        let mut cx = Context::new(connector, shared, rule, severity);
        (rule.check)(&mut cx);
        let (found, past_cap) = cx.finish();
        let shown =
            |level: Severity| level != Severity::Review || config.unverified == Unverified::Show;
        diagnostics.extend(found.into_iter().filter(|d| shown(d.severity)));
        overflow.extend(past_cap.into_iter().filter(|o| shown(o.severity)));
    }
    (diagnostics, overflow)
}

/// Describes the connector of a package, for `mezcheck info`.
pub fn describe_package(package: Package) -> model::products::info::ExtensionInfo {
    let model = Model::build(package);
    let connector = Connector::build(&model);
    model::products::info::extension_info(&connector)
}
