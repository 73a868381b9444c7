//! Which rules a configuration runs and at which severity: selectors (`ALL`, a code, a code
//! prefix such as `PQ7`, a rule name) resolved against the registry, and the merge of
//! `mezcheck.toml` with the command line into a [`Config`].

use std::collections::HashMap;

use super::{ALL, Rule};
use crate::config::{Config, ConfigError, FileConfig, Overrides};
use crate::diagnostic::Severity;

/// Merges a file configuration (if any) and the command line, which wins.
pub fn resolve(file: &FileConfig, cli: &Overrides) -> Result<Config, ConfigError> {
    // Two layers, the file then the command line. In each, `select` replaces the selection
    // so far, `extend-select` adds to it and `ignore` removes from it; so `--select PQ015`
    // runs PQ015 even when the file ignores it.
    let mut enabled = vec![true; ALL.len()];
    let layers = [
        (
            file.select.as_ref(),
            file.extend_select.as_deref().unwrap_or_default(),
            file.ignore.as_deref().unwrap_or_default(),
        ),
        (
            cli.select.as_ref(),
            cli.extend_select.as_slice(),
            cli.ignore.as_slice(),
        ),
    ];
    for (select, extend, ignore) in layers {
        if let Some(select) = select {
            enabled.fill(false);
            for selector in select {
                mark(&mut enabled, selector, true)?;
            }
        }
        for selector in extend {
            mark(&mut enabled, selector, true)?;
        }
        for selector in ignore {
            mark(&mut enabled, selector, false)?;
        }
    }
    // Severities change the level of the rules that run, file first, then the command line;
    // they never turn a rule on (`--ignore PQ211 --severity PQ211=warning` runs no PQ211).
    let mut severities: Vec<Option<Severity>> = ALL
        .iter()
        .zip(&enabled)
        .map(|(rule, on)| on.then_some(rule.default_severity))
        .collect();
    let file_severities = file
        .severity
        .iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()));
    for (selector, level) in file_severities.chain(cli.severity.iter().cloned()) {
        let level = parse_level(&selector, &level)?;
        let rules = resolve_selector(&selector)?;
        for (index, rule) in ALL.iter().enumerate() {
            if enabled[index] && rules.iter().any(|r| std::ptr::eq(*r, *rule)) {
                severities[index] = level;
            }
        }
    }
    let mut per_entry_ignores = Vec::new();
    for (pattern, selectors) in file.per_entry_ignores.iter().flatten() {
        let glob = globset::Glob::new(pattern).map_err(|e| ConfigError::Glob {
            pattern: pattern.clone(),
            message: e.kind().to_string(),
        })?;
        let mut codes = Vec::new();
        for selector in selectors {
            codes.extend(resolve_selector(selector)?.iter().map(|rule| rule.code));
        }
        per_entry_ignores.push((glob.compile_matcher(), codes));
    }
    let severities: HashMap<&'static str, Option<Severity>> = ALL
        .iter()
        .zip(severities)
        .filter(|(rule, severity)| *severity != Some(rule.default_severity))
        .map(|(rule, severity)| (rule.code, severity))
        .collect();
    let fail_on = cli.fail_on.or(file.fail_on).unwrap_or(Severity::Error);
    if fail_on == Severity::Review {
        // Values to review are not findings: they never fail a run.
        return Err(ConfigError::InvalidFailOn {
            value: fail_on.to_string(),
        });
    }
    Ok(Config {
        severities,
        fail_on,
        unverified: cli.unverified.or(file.unverified).unwrap_or_default(),
        initial_release: cli.initial_release || file.initial_release.unwrap_or(false),
        docs: cli.docs.clone().or_else(|| file.docs.clone()),
        changelog: cli.changelog.clone().or_else(|| file.changelog.clone()),
        checklist: cli.checklist,
        per_entry_ignores,
    })
}

fn mark(enabled: &mut [bool], selector: &str, on: bool) -> Result<(), ConfigError> {
    let rules = resolve_selector(selector)?;
    for (index, rule) in ALL.iter().enumerate() {
        if rules.iter().any(|r| std::ptr::eq(*r, *rule)) {
            enabled[index] = on;
        }
    }
    Ok(())
}

fn parse_level(code: &str, value: &str) -> Result<Option<Severity>, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "error" => Ok(Some(Severity::Error)),
        "warning" => Ok(Some(Severity::Warning)),
        "info" => Ok(Some(Severity::Info)),
        "off" => Ok(None),
        _ => Err(ConfigError::InvalidSeverity {
            code: code.to_owned(),
            value: value.to_owned(),
        }),
    }
}

/// The rules a selector names: `ALL`, a code, a code prefix (`PQ7`, `PQ21`) or a rule name.
pub fn resolve_selector(selector: &str) -> Result<Vec<&'static Rule>, ConfigError> {
    let selector = selector.trim();
    if selector.eq_ignore_ascii_case("ALL") {
        return Ok(ALL.to_vec());
    }
    let upper = selector.to_ascii_uppercase();
    let by_code: Vec<_> = ALL
        .iter()
        .copied()
        .filter(|r| r.code.starts_with(&upper))
        .collect();
    let is_code_prefix = upper.starts_with("PQ")
        && upper
            .get(2..)
            .is_some_and(|digits| digits.chars().all(|c| c.is_ascii_digit()))
        && upper.len() <= 5;
    if is_code_prefix && !by_code.is_empty() {
        return Ok(by_code);
    }
    if let Some(rule) = ALL
        .iter()
        .copied()
        .find(|r| r.name.eq_ignore_ascii_case(selector))
    {
        return Ok(vec![rule]);
    }
    Err(ConfigError::UnknownSelector {
        selector: selector.to_owned(),
        suggestion: suggest(selector),
    })
}

/// The closest rule code or name, for "did you mean".
fn suggest(selector: &str) -> Option<String> {
    let names = ALL.iter().flat_map(|r| [r.code, r.name]);
    crate::suggest::nearest(selector, names, true, crate::suggest::quarter_of_name)
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{FileConfig, Overrides};

    /// Codes, prefixes, names and ALL select rules; unknown selectors suggest the nearest.
    #[test]
    fn selectors() {
        assert_eq!(resolve_selector("PQ001").map(|r| r.len()).ok(), Some(1));
        assert!(
            resolve_selector("pq0")
                .map(|r| r.len() > 1)
                .unwrap_or(false)
        );
        assert_eq!(
            resolve_selector("unreadable-package")
                .map(|r| r[0].code)
                .ok(),
            Some("PQ001")
        );
        match resolve_selector("unreadable-pakage") {
            Err(ConfigError::UnknownSelector { suggestion, .. }) => {
                assert_eq!(suggestion.as_deref(), Some("unreadable-package"))
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(resolve_selector("PQ999").is_err());
    }

    /// Select, ignore and severity overrides compose; the command line wins.
    #[test]
    fn resolution() {
        let file = FileConfig {
            ignore: Some(vec!["PQ014".into()]),
            severity: Some([("PQ004".to_owned(), "error".to_owned())].into()),
            ..FileConfig::default()
        };
        let cli = Overrides {
            severity: vec![("PQ015".into(), "off".into())],
            ..Overrides::default()
        };
        let config = resolve(&file, &cli).expect("valid");
        let rule = |code| super::super::find(code).expect("rule");
        assert_eq!(config.severity(rule("PQ014")), None);
        assert_eq!(config.severity(rule("PQ015")), None);
        assert_eq!(config.severity(rule("PQ004")), Some(Severity::Error));
        assert_eq!(config.severity(rule("PQ001")), Some(Severity::Error));
        let only = Overrides {
            select: Some(vec!["PQ00".into()]),
            ..Overrides::default()
        };
        let config = resolve(&FileConfig::default(), &only).expect("valid");
        assert_eq!(config.severity(rule("PQ014")), None);
    }

    /// The issue cases: `--ignore` wins over `--severity`, `--severity` turns nothing on, and
    /// the command line's `--select` wins over the file's `ignore`.
    #[test]
    fn precedence() {
        let rule = |code| super::super::find(code).expect("rule");
        let cli = |select: Option<&str>, ignore: &[&str], severity: &[(&str, &str)]| Overrides {
            select: select.map(|s| vec![s.to_owned()]),
            ignore: ignore.iter().map(|s| (*s).to_owned()).collect(),
            severity: severity
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ..Overrides::default()
        };
        let none = FileConfig::default();
        let ignored =
            resolve(&none, &cli(None, &["PQ211"], &[("PQ211", "warning")])).expect("valid");
        assert_eq!(ignored.severity(rule("PQ211")), None);
        let selected =
            resolve(&none, &cli(Some("PQ015"), &[], &[("PQ211", "warning")])).expect("valid");
        assert_eq!(selected.severity(rule("PQ211")), None);
        assert_eq!(selected.severity(rule("PQ015")), Some(Severity::Warning));
        let file = FileConfig {
            ignore: Some(vec!["PQ015".into()]),
            ..FileConfig::default()
        };
        let over_file = resolve(&file, &cli(Some("PQ015"), &[], &[])).expect("valid");
        assert_eq!(over_file.severity(rule("PQ015")), Some(Severity::Warning));
        let file_only = resolve(&file, &Overrides::default()).expect("valid");
        assert_eq!(file_only.severity(rule("PQ015")), None);
    }
}
