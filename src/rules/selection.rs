//! Which rules a configuration runs and at which severity: selectors (`ALL`, a code, a code
//! prefix such as `PQ7`, a rule name) resolved against the registry, and the merge of
//! `mezcheck.toml` with the command line into a [`Config`].

use std::collections::HashMap;

use super::{ALL, Rule};
use crate::config::{Config, ConfigError, FileConfig, Overrides};
use crate::diagnostic::Severity;

/// Merges a file configuration (if any) and the command line, which wins.
pub fn resolve(file: &FileConfig, cli: &Overrides) -> Result<Config, ConfigError> {
    let select = cli.select.as_ref().or(file.select.as_ref());
    let mut enabled = vec![select.is_none(); ALL.len()];
    for selector in select.into_iter().flatten() {
        mark(&mut enabled, selector, true)?;
    }
    for selector in file
        .extend_select
        .iter()
        .flatten()
        .chain(&cli.extend_select)
    {
        mark(&mut enabled, selector, true)?;
    }
    for selector in file.ignore.iter().flatten().chain(&cli.ignore) {
        mark(&mut enabled, selector, false)?;
    }
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
            if rules.iter().any(|r| std::ptr::eq(*r, *rule)) && (enabled[index] || level.is_some())
            {
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
    Ok(Config {
        severities,
        fail_on: cli.fail_on.or(file.fail_on).unwrap_or(Severity::Error),
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
}
