//! Baselines: the findings a connector already had when mezcheck was adopted, recorded by
//! fingerprint (`--write-baseline FILE`), so that later runs (`--baseline FILE`) report only
//! new findings, count the known ones, and say which recorded ones are gone.
//!
//! A finding is known when its package path and its fingerprint are in the baseline. The
//! fingerprint does not depend on the line (see [`PackageReport::fingerprints`]), so moving
//! code does not make a known finding new.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{PackageReport, Severity};

/// The version of the baseline file format.
pub const BASELINE_VERSION: u32 = 1;

/// A baseline file larger than this is refused rather than read.
pub const MAX_BASELINE_BYTES: u64 = 64 << 20;

/// A baseline file: the recorded findings, sorted so that the file diffs well.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Known>,
}

/// One recorded finding. `code`, `entry` and `message` are for the people who read the file;
/// only the package and the fingerprint decide whether a finding is known.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Known {
    pub package: String,
    pub fingerprint: String,
    pub code: String,
    /// `error`, `warning`, `info` or `review`.
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    pub message: String,
}

/// Why a baseline could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{path}: {message}")]
    Read { path: String, message: String },
    #[error("{path}: larger than {MAX_BASELINE_BYTES} bytes")]
    TooLarge { path: String },
    #[error("{path}: baseline version {found}, expected {BASELINE_VERSION}")]
    Version { path: String, found: u32 },
}

/// What applying a baseline to a run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Findings of this run that the baseline knows, left out of the report.
    pub known: usize,
    /// Recorded findings of the packages of this run that the run no longer finds: fixed,
    /// and removable from the baseline. Only findings the run could have made count: of rules
    /// that ran, and values to review only when they are shown.
    pub fixed: usize,
    /// Findings past the per-file cap ([`crate::diagnostic::MAX_FINDINGS_PER_FILE`]): counted
    /// but never listed, so neither recorded nor matched.
    pub uncounted: usize,
}

impl Baseline {
    /// The findings of these reports, values to review included.
    pub fn record<'a>(reports: impl IntoIterator<Item = &'a PackageReport>) -> Baseline {
        let mut findings = Vec::new();
        for report in reports {
            let package = package_key(&report.path);
            for (diagnostic, fingerprint) in report.diagnostics.iter().zip(report.fingerprints()) {
                findings.push(Known {
                    package: package.clone(),
                    fingerprint,
                    code: diagnostic.rule.code.to_owned(),
                    severity: diagnostic.severity,
                    entry: diagnostic.entry.clone(),
                    message: diagnostic.message.clone(),
                });
            }
        }
        findings.sort();
        Baseline {
            version: BASELINE_VERSION,
            findings,
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let display = path.display().to_string();
        let read_error = |e: &dyn std::fmt::Display| BaselineError::Read {
            path: display.clone(),
            message: e.to_string(),
        };
        let size = std::fs::metadata(path).map_err(|e| read_error(&e))?.len();
        if size > MAX_BASELINE_BYTES {
            return Err(BaselineError::TooLarge { path: display });
        }
        let bytes = std::fs::read(path).map_err(|e| read_error(&e))?;
        let baseline: Baseline = serde_json::from_slice(&bytes).map_err(|e| read_error(&e))?;
        if baseline.version != BASELINE_VERSION {
            return Err(BaselineError::Version {
                path: display,
                found: baseline.version,
            });
        }
        Ok(baseline)
    }

    /// The baseline as written to a file: pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Removes the known findings from the reports (their counts follow, so `--fail-on` sees
    /// only new findings) and counts what was known and what was fixed. `could_find(i, k)`
    /// says whether the run of `reports[i]` could have made the recorded finding `k` (its rule
    /// ran, and a value to review is shown): the others are not counted as fixed.
    pub fn apply(
        &self,
        reports: &mut [&mut PackageReport],
        could_find: impl Fn(usize, &Known) -> bool,
    ) -> Applied {
        let recorded: HashSet<(&str, &str)> = (self.findings.iter())
            .map(|k| (k.package.as_str(), k.fingerprint.as_str()))
            .collect();
        let mut applied = Applied::default();
        let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
        let mut checked: BTreeMap<String, usize> = BTreeMap::new();
        for (position, report) in reports.iter_mut().enumerate() {
            let package = package_key(&report.path);
            applied.uncounted += report.omitted.iter().map(|o| o.count).sum::<usize>();
            let fingerprints = report.fingerprints();
            let known: Vec<bool> = (fingerprints.iter())
                .map(|f| recorded.contains(&(package.as_str(), f.as_str())))
                .collect();
            applied.known += known.iter().filter(|&&k| k).count();
            for (fingerprint, _) in fingerprints.into_iter().zip(&known).filter(|(_, k)| **k) {
                seen.insert((package.clone(), fingerprint));
            }
            let mut next = 0;
            report.retract(|_| {
                let is_known = known.get(next).copied().unwrap_or(false);
                next += 1;
                is_known
            });
            checked.insert(package, position);
        }
        applied.fixed = (self.findings.iter())
            .filter(|k| checked.get(&k.package).is_some_and(|&i| could_find(i, k)))
            .filter(|k| !seen.contains(&(k.package.clone(), k.fingerprint.clone())))
            .count();
        applied
    }
}

/// A package path as recorded: forward slashes, without a leading `./`, so that a baseline
/// written on Windows works on Linux and the reverse.
fn package_key(path: &str) -> String {
    let path = path.replace('\\', "/");
    path.strip_prefix("./").unwrap_or(&path).to_owned()
}

#[cfg(test)]
mod tests {
    use super::package_key;

    #[test]
    fn package_keys_are_portable() {
        assert_eq!(package_key(".\\dist\\Contoso.mez"), "dist/Contoso.mez");
        assert_eq!(package_key("./Contoso"), "Contoso");
        assert_eq!(package_key("Contoso.mez"), "Contoso.mez");
    }
}
