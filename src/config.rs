//! The configuration of a run as plain data: `mezcheck.toml` as written ([`FileConfig`]), the
//! command line ([`Overrides`]) and the result of merging them ([`Config`]). Which rules a
//! selector names is the rules layer's business: `rules::selection` turns the first two into
//! the third.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{RuleMeta, Severity};

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
    #[error(
        "invalid fail-on `{value}`: expected error, warning or info (values to review never fail a run)"
    )]
    InvalidFailOn { value: String },
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
    pub unverified: Option<Unverified>,
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
    pub unverified: Option<Unverified>,
    pub initial_release: bool,
    pub docs: Option<PathBuf>,
    pub changelog: Option<PathBuf>,
    pub checklist: bool,
}

/// Whether values that could not be checked statically ([`Severity::Review`]) are reported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unverified {
    #[default]
    Show,
    Hide,
}

/// The resolved configuration for some packages: which rules run at which severity, and how
/// the submission documents are found.
#[derive(Clone, Debug)]
pub struct Config {
    /// Rules whose severity differs from their default, by code; `None` = off.
    pub severities: HashMap<&'static str, Option<Severity>>,
    pub fail_on: Severity,
    pub unverified: Unverified,
    pub initial_release: bool,
    pub docs: Option<PathBuf>,
    pub changelog: Option<PathBuf>,
    /// Whether to add the manual certification checklist to each report.
    pub checklist: bool,
    /// `[per-entry-ignores]`: entry names matching the glob skip the rules with these codes.
    pub per_entry_ignores: Vec<(globset::GlobMatcher, Vec<&'static str>)>,
}

impl Default for Config {
    /// Every rule at its default severity.
    fn default() -> Self {
        Config {
            severities: HashMap::new(),
            fail_on: Severity::Error,
            unverified: Unverified::Show,
            initial_release: false,
            docs: None,
            changelog: None,
            checklist: false,
            per_entry_ignores: Vec::new(),
        }
    }
}

impl Config {
    /// The effective severity of a rule, `None` when it is off.
    pub fn severity(&self, rule: &RuleMeta) -> Option<Severity> {
        match self.severities.get(rule.code) {
            Some(set) => *set,
            None => Some(rule.default_severity),
        }
    }

    /// Whether `[per-entry-ignores]` silences this rule for this entry name.
    pub fn ignored_for_entry(&self, rule: &RuleMeta, entry: &str) -> bool {
        self.per_entry_ignores
            .iter()
            .any(|(glob, codes)| codes.contains(&rule.code) && glob.is_match(entry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unknown keys in mezcheck.toml are errors naming the key.
    #[test]
    fn unknown_keys_are_named() {
        let error = toml::from_str::<FileConfig>("selct = [\"ALL\"]").expect_err("unknown key");
        assert!(error.message().contains("selct"), "{}", error.message());
    }
}
