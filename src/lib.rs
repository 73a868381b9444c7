//! mezcheck validates Power Query custom connector packages (`.mez`, `.pqx`, project folders
//! and bare M files) against the certification requirements.
//!
//! Data moves one way: [`package`] reads bytes into a package, [`model`] says what the package
//! means, [`rules`] turn that into [`diagnostic`]s, and [`output`] renders a [`diagnostic::Report`].

pub mod config;
pub mod diagnostic;
pub mod model;
pub mod output;
pub mod package;
pub mod rules;
pub mod source;
pub mod syntax;
#[doc(hidden)]
pub mod testing;

use std::collections::BTreeMap;

use config::Config;
use diagnostic::PackageReport;
use model::Model;
use model::connector::Connector;
use package::Package;
use rules::{ALL, CheckOptions, Context, Scope};

/// Checks one package with every enabled rule.
pub fn check_package(package: Package, config: &Config) -> PackageReport {
    let model = Model::build(package);
    let mut diagnostics = run_rules(&model, config);
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
    PackageReport::new(
        package.path,
        package.kind,
        sources,
        entry_paths,
        diagnostics,
    )
}

/// Runs every enabled rule over a built model.
fn run_rules(model: &Model, config: &Config) -> Vec<diagnostic::Diagnostic> {
    let connector = Connector::build(model);
    let readable = model.is_readable();
    let options = CheckOptions::from_config(config);
    let mut diagnostics = Vec::new();
    for rule in ALL {
        let Some(severity) = config.severity(rule) else {
            continue;
        };
        if rule.scope == Scope::Content && !readable {
            continue;
        }
        let mut cx =
            Context::new(&connector, rule, severity, &mut diagnostics).with_options(options);
        (rule.check)(&mut cx);
    }
    diagnostics
}

/// Describes the connector of a package, for `mezcheck info`.
pub fn describe_package(package: Package) -> model::info::ExtensionInfo {
    let model = Model::build(package);
    let connector = Connector::build(&model);
    model::info::extension_info(&connector)
}
