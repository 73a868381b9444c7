//! Which rules run and how severe they are: `--select`/`--ignore`/`--severity` and
//! `mezcheck.toml`, resolved once per configuration into plain data that is passed down.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::rules::{ALL, Rule};

/// The configuration file name looked for from each input upwards.
pub const CONFIG_FILE_NAME: &str = "mezcheck.toml";

/// A usage or configuration error (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("unknown rule selector `{selector}`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownSelector {
        selector: String,
        suggestion: Option<String>,
    },
    #[error("invalid severity `{value}` for `{code}`: expected error, warning, info or off")]
    InvalidSeverity { code: String, value: String },
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error("invalid glob `{pattern}` in per-entry-ignores: {message}")]
    Glob { pattern: String, message: String },
}

/// The `mezcheck.toml` file as written. Unknown keys are errors that name the key.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    pub select: Option<Vec<String>>,
    pub extend_select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub fail_on: Option<Severity>,
    pub initial_release: Option<bool>,
    pub docs: Option<PathBuf>,
    pub changelog: Option<PathBuf>,
    pub severity: Option<BTreeMap<String, String>>,
    pub per_entry_ignores: Option<BTreeMap<String, Vec<String>>>,
}

impl FileConfig {
    /// Reads a config file; relative `docs`/`changelog` paths are resolved against its folder.
    pub fn load(path: &Path) -> Result<FileConfig, ConfigError> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::File {
            path: display.clone(),
            message: e.to_string(),
        })?;
        let mut config: FileConfig = toml::from_str(&text).map_err(|e| ConfigError::File {
            path: display,
            message: e.message().to_owned(),
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        config.docs = config.docs.map(|p| base.join(p));
        config.changelog = config.changelog.map(|p| base.join(p));
        Ok(config)
    }

    /// The closest `mezcheck.toml` at or above `start`.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let absolute = std::path::absolute(start).ok()?;
        let first = if absolute.is_dir() {
            Some(absolute.as_path())
        } else {
            absolute.parent()
        };
        first?
            .ancestors()
            .map(|dir| dir.join(CONFIG_FILE_NAME))
            .find(|candidate| candidate.is_file())
    }
}

/// Options given on the command line; they take precedence over the file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: Vec<(String, String)>,
    pub fail_on: Option<Severity>,
    pub initial_release: bool,
    pub docs: Option<PathBuf>,
    pub changelog: Option<PathBuf>,
    pub checklist: bool,
}

/// The resolved configuration for some packages.
#[derive(Clone, Debug)]
pub struct Config {
    /// Effective severity per rule, by index in [`ALL`]; `None` = off.
    severities: Vec<Option<Severity>>,
    pub fail_on: Severity,
    pub initial_release: bool,
    pub docs: Option<PathBuf>,
    pub changelog: Option<PathBuf>,
    /// Whether to add the manual certification checklist to each report.
    pub checklist: bool,
    per_entry_ignores: Vec<(globset::GlobMatcher, Vec<&'static Rule>)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            severities: ALL.iter().map(|r| Some(r.default_severity)).collect(),
            fail_on: Severity::Error,
            initial_release: false,
            docs: None,
            changelog: None,
            checklist: false,
            per_entry_ignores: Vec::new(),
        }
    }
}

impl Config {
    /// Merges a file config (if any) and the command line.
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
                if rules.iter().any(|r| std::ptr::eq(*r, *rule))
                    && (enabled[index] || level.is_some())
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
            let mut rules = Vec::new();
            for selector in selectors {
                rules.extend(resolve_selector(selector)?);
            }
            per_entry_ignores.push((glob.compile_matcher(), rules));
        }
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

    /// The effective severity of a rule, `None` when it is off.
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        ALL.iter()
            .position(|r| std::ptr::eq(*r, rule))
            .and_then(|index| self.severities[index])
    }

    /// Whether `[per-entry-ignores]` silences this rule for this entry name.
    pub fn ignored_for_entry(&self, rule: &Rule, entry: &str) -> bool {
        self.per_entry_ignores.iter().any(|(glob, rules)| {
            glob.is_match(entry) && rules.iter().any(|r| std::ptr::eq(*r, rule))
        })
    }
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
        let config = Config::resolve(&file, &cli).expect("valid");
        let rule = |code| crate::rules::find(code).expect("rule");
        assert_eq!(config.severity(rule("PQ014")), None);
        assert_eq!(config.severity(rule("PQ015")), None);
        assert_eq!(config.severity(rule("PQ004")), Some(Severity::Error));
        assert_eq!(config.severity(rule("PQ001")), Some(Severity::Error));
        let only = Overrides {
            select: Some(vec!["PQ00".into()]),
            ..Overrides::default()
        };
        let config = Config::resolve(&FileConfig::default(), &only).expect("valid");
        assert_eq!(config.severity(rule("PQ014")), None);
    }

    /// Unknown keys in mezcheck.toml are errors naming the key.
    #[test]
    fn unknown_keys_are_named() {
        let error = toml::from_str::<FileConfig>("selct = [\"ALL\"]").expect_err("unknown key");
        assert!(error.message().contains("selct"), "{}", error.message());
    }
}
