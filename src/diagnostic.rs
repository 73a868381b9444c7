//! Diagnostics: what rules write and every output format reads. Plain data plus the sort order,
//! the per-file cap and the location arithmetic all emitters share; no rendering here.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::package::PackageKind;
use crate::source::{FileId, LineCol, SourceDb, Span};

/// Findings kept per file (entry) before the rest are summarised in one line.
pub const MAX_FINDINGS_PER_FILE: usize = 200;

/// How serious a finding is. Ordered: `Review < Info < Warning < Error`.
///
/// `Review` is not a rule's severity: it is the level of a value a rule could not check
/// statically (computed at run time), which a person should look at. It is never a defect:
/// `--fail-on` does not count it, `--severity` does not change it, and `--unverified hide`
/// leaves it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Review,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Review => "review",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a rule matters for certification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Priority {
    /// Loadability, syntax, certification and security musts.
    P1,
    /// Recommendations and advisories.
    P2,
}

/// What a rule needs from a package.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// Only the input's name and what reading it recorded: runs even on unreadable packages.
    Input,
    /// The package's content: skipped when the package could not be read at all.
    Content,
}

/// What a diagnostic says about its rule: the stable code and name, the default severity,
/// the priority, what the rule needs, and its explanation. Diagnostics and every output name a
/// rule by this alone; how rules run belongs to [`crate::rules`].
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub default_severity: Severity,
    pub priority: Priority,
    pub needs: Needs,
    /// The rule's doc comment as written: Markdown with the headings `## What it checks`,
    /// `## Why it matters` and `## Example`, each line led by a space.
    pub doc_comment: &'static str,
}

impl RuleMeta {
    /// The first paragraph of "What it checks": one short sentence, used by the rules table,
    /// SARIF and `rule --all`.
    pub fn summary(&self) -> String {
        self.section("What it checks")
            .split("\n\n")
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The text under a `## heading` of the explanation, trimmed.
    pub fn section(&self, heading: &str) -> String {
        let explanation = self.explanation();
        let marker = format!("## {heading}\n");
        let Some(start) = explanation.find(&marker) else {
            return String::new();
        };
        let body = explanation.get(start + marker.len()..).unwrap_or_default();
        let end = body.find("\n## ").unwrap_or(body.len());
        body.get(..end).unwrap_or_default().trim().to_owned()
    }

    /// The explanation `mezcheck rule` prints: the doc comment without the leading space of
    /// each line.
    pub fn explanation(&self) -> String {
        self.doc_comment
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned()
    }
}

/// A span in one stored file, with an optional short noun phrase (`declared here`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: Option<String>,
}

/// An exact edit that resolves a finding, for editors to offer: the rule knows the text to
/// write, not only a hint in its help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the edit does, imperative (`replace with `LearnMoreUrl``).
    pub title: String,
    pub edits: Vec<Edit>,
}

/// Replace `span` of `file` with `replacement` (an empty span inserts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub file: FileId,
    pub span: Span,
    pub replacement: String,
}

/// What a rule reports, before the rule and severity are stamped on by the rule context.
#[derive(Clone, Debug, Default)]
pub struct Finding {
    pub message: String,
    /// The entry the finding is about, when it has no primary label (a missing icon, a
    /// duplicate entry). With a primary label the entry is that label's file.
    pub entry: Option<String>,
    pub primary: Option<Label>,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(message: impl Into<String>) -> Self {
        Finding {
            message: message.into(),
            ..Finding::default()
        }
    }

    pub fn entry(mut self, name: impl Into<String>) -> Self {
        self.entry = Some(name.into());
        self
    }

    pub fn primary(mut self, file: FileId, span: Span) -> Self {
        self.primary = Some(Label {
            file,
            span,
            message: None,
        });
        self
    }

    pub fn primary_label(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.primary = Some(Label {
            file,
            span,
            message: Some(message.into()),
        });
        self
    }

    pub fn secondary(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            file,
            span,
            message: Some(message.into()),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// The exact edit that resolves the finding: `span` of `file` becomes `replacement`.
    pub fn fix(
        mut self,
        title: impl Into<String>,
        file: FileId,
        span: Span,
        replacement: impl Into<String>,
    ) -> Self {
        self.fix = Some(Fix {
            title: title.into(),
            edits: vec![Edit {
                file,
                span,
                replacement: replacement.into(),
            }],
        });
        self
    }
}

/// A finding stamped with its rule and effective severity.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub entry: Option<String>,
    pub primary: Option<Label>,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    /// An exact edit that resolves it, when the rule knows one (editors offer it).
    pub fix: Option<Fix>,
}

/// Where a diagnostic points, resolved for output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// What one-line formats print: an openable path, `package!entry`, or the package path.
    pub display: String,
    /// A path an editor can open, when there is one.
    pub file: Option<String>,
    pub entry: Option<String>,
    /// Start and end line/column of the primary span.
    pub range: Option<(LineCol, LineCol)>,
    /// The primary span, clamped to the file, as byte offsets into the file on disk (a UTF-8
    /// byte order mark included).
    pub byte_span: Option<Span>,
}

/// Lines of findings that were not shown because a file had too many.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Omitted {
    pub entry: Option<String>,
    pub count: usize,
}

/// The findings of one package, sorted and capped, with the texts they point into.
#[derive(Debug)]
pub struct PackageReport {
    pub path: String,
    pub kind: PackageKind,
    pub sources: SourceDb,
    /// Entry name → openable path, for folders and bare files.
    pub entry_paths: BTreeMap<String, String>,
    pub diagnostics: Vec<Diagnostic>,
    pub omitted: Vec<Omitted>,
    /// Counts of every finding, including omitted ones.
    pub counts: Counts,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Values that could not be checked statically ([`Severity::Review`]): not findings.
    pub reviews: usize,
}

impl Counts {
    pub fn add(&mut self, severity: Severity) {
        self.add_many(severity, 1);
    }

    pub fn add_many(&mut self, severity: Severity, count: usize) {
        match severity {
            Severity::Error => self.errors += count,
            Severity::Warning => self.warnings += count,
            Severity::Info => self.infos += count,
            Severity::Review => self.reviews += count,
        }
    }

    fn remove(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors = self.errors.saturating_sub(1),
            Severity::Warning => self.warnings = self.warnings.saturating_sub(1),
            Severity::Info => self.infos = self.infos.saturating_sub(1),
            Severity::Review => self.reviews = self.reviews.saturating_sub(1),
        }
    }

    pub fn merge(&mut self, other: Counts) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.reviews += other.reviews;
    }

    /// Findings: errors, warnings and infos, not the values to review.
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    /// Whether any finding is at or above `level`. Values to review are never counted.
    pub fn any_at_least(&self, level: Severity) -> bool {
        match level {
            Severity::Error => self.errors > 0,
            Severity::Warning => self.errors + self.warnings > 0,
            Severity::Info | Severity::Review => self.total() > 0,
        }
    }
}

impl PackageReport {
    /// Sorts the diagnostics (package-level first, then entry, span, code, message), counts them
    /// and keeps at most [`MAX_FINDINGS_PER_FILE`] per entry.
    pub fn new(
        path: String,
        kind: PackageKind,
        sources: SourceDb,
        entry_paths: BTreeMap<String, String>,
        mut diagnostics: Vec<Diagnostic>,
    ) -> Self {
        for diagnostic in &mut diagnostics {
            if let Some(label) = &diagnostic.primary {
                diagnostic.entry = Some(sources.get(label.file).name.clone());
            }
        }
        diagnostics.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
        diagnostics.dedup_by(|a, b| sort_key(a) == sort_key(b));
        let mut counts = Counts::default();
        let mut omitted: Vec<Omitted> = Vec::new();
        let mut kept = Vec::with_capacity(diagnostics.len());
        let mut per_entry: BTreeMap<Option<String>, usize> = BTreeMap::new();
        for diagnostic in diagnostics {
            counts.add(diagnostic.severity);
            let seen = per_entry.entry(diagnostic.entry.clone()).or_default();
            *seen += 1;
            if *seen <= MAX_FINDINGS_PER_FILE {
                kept.push(diagnostic);
            } else if let Some(last) = omitted.last_mut().filter(|o| o.entry == diagnostic.entry) {
                last.count += 1;
            } else {
                omitted.push(Omitted {
                    entry: diagnostic.entry.clone(),
                    count: 1,
                });
            }
        }
        PackageReport {
            path,
            kind,
            sources,
            entry_paths,
            diagnostics: kept,
            omitted,
            counts,
        }
    }

    /// Adds a diagnostic found after the report was built (a check across packages), keeping
    /// the sort order, the counts and the per-file cap.
    pub fn insert(&mut self, mut diagnostic: Diagnostic) {
        if let Some(label) = &diagnostic.primary {
            diagnostic.entry = Some(self.sources.get(label.file).name.clone());
        }
        let key = sort_key(&diagnostic);
        let at = self
            .diagnostics
            .partition_point(|kept| sort_key(kept) < key);
        if self
            .diagnostics
            .get(at)
            .is_some_and(|kept| sort_key(kept) == key)
        {
            return;
        }
        self.counts.add(diagnostic.severity);
        let shown = self
            .diagnostics
            .iter()
            .filter(|kept| kept.entry == diagnostic.entry)
            .count();
        if shown < MAX_FINDINGS_PER_FILE {
            self.diagnostics.insert(at, diagnostic);
        } else if let Some(omitted) = self
            .omitted
            .iter_mut()
            .find(|o| o.entry == diagnostic.entry)
        {
            omitted.count += 1;
        } else {
            self.omitted.push(Omitted {
                entry: diagnostic.entry,
                count: 1,
            });
        }
    }

    /// Counts `count` findings of `entry` that are not shown (past the per-file cap when
    /// they were reported).
    pub fn omit(&mut self, entry: Option<String>, severity: Severity, count: usize) {
        self.counts.add_many(severity, count);
        match self.omitted.iter_mut().find(|o| o.entry == entry) {
            Some(omitted) => omitted.count += count,
            None => self.omitted.push(Omitted { entry, count }),
        }
    }

    /// Removes the shown diagnostics `remove` selects, updating the counts.
    pub fn retract(&mut self, mut remove: impl FnMut(&Diagnostic) -> bool) {
        let counts = &mut self.counts;
        self.diagnostics.retain(|diagnostic| {
            let removed = remove(diagnostic);
            if removed {
                counts.remove(diagnostic.severity);
            }
            !removed
        });
    }

    /// Resolves where a diagnostic points.
    pub fn location(&self, diagnostic: &Diagnostic) -> Location {
        let entry = diagnostic.entry.clone();
        let source = diagnostic
            .primary
            .as_ref()
            .map(|l| (self.sources.get(l.file), l.span));
        let file = source
            .and_then(|(file, _)| file.path.clone())
            .or_else(|| {
                entry
                    .as_ref()
                    .and_then(|e| self.entry_paths.get(e).cloned())
            })
            .or_else(|| {
                (entry.is_none() && matches!(self.kind, PackageKind::Folder | PackageKind::File))
                    .then(|| self.path.clone())
            });
        let display = match (&file, &entry) {
            (Some(file), _) => file.clone(),
            (None, Some(entry)) => format!("{}!{entry}", self.path),
            (None, None) => self.path.clone(),
        };
        let (range, byte_span) = match source {
            Some((file, span)) => {
                let span = file.clamp(span);
                let range = (file.line_col(span.start), file.line_col(span.end));
                let on_disk = Span::new(span.start + file.bom_len, span.end + file.bom_len);
                (Some(range), Some(on_disk))
            }
            None => (None, None),
        };
        Location {
            display,
            file,
            entry,
            range,
            byte_span,
        }
    }

    /// The fingerprints of the package's findings, in order: 16 hex digits each, stable when
    /// lines move and unique within the package. A finding is known by its code, its entry,
    /// its message and the whitespace-normalised text of its primary span; findings alike in
    /// all of these (one name flagged at several places) are told apart by their rank among
    /// them, in report order.
    pub fn fingerprints(&self) -> Vec<String> {
        let mut seen: HashMap<u64, u64> = HashMap::new();
        self.diagnostics
            .iter()
            .map(|diagnostic| {
                let snippet = match &diagnostic.primary {
                    Some(label) => self.sources.get(label.file).slice(label.span),
                    None => "",
                };
                let normalised: Vec<&str> = snippet.split_whitespace().collect();
                let key = format!(
                    "{}\u{0}{}\u{0}{}\u{0}{}",
                    diagnostic.rule.code,
                    diagnostic.entry.as_deref().unwrap_or_default(),
                    diagnostic.message,
                    normalised.join(" ")
                );
                let base = fnv1a64(key.as_bytes());
                let rank = seen.entry(base).or_insert(0);
                let fingerprint = match *rank {
                    0 => base,
                    rank => fnv1a64(format!("{base:016x}\u{0}{rank}").as_bytes()),
                };
                *rank += 1;
                format!("{fingerprint:016x}")
            })
            .collect()
    }
}

/// Package-level first, then entry, span, code and message.
type SortKey<'a> = (bool, Option<&'a str>, Option<(u32, u32)>, &'a str, &'a str);

fn sort_key(d: &Diagnostic) -> SortKey<'_> {
    (
        d.entry.is_some() || d.primary.is_some(),
        d.entry.as_deref(),
        d.primary.as_ref().map(|l| (l.span.start, l.span.end)),
        d.rule.code,
        d.message.as_str(),
    )
}

/// FNV-1a, 64 bits: tiny, stable across platforms and versions, enough for fingerprints.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Every package's report, in input order (sorted by path).
#[derive(Debug, Default)]
pub struct Report {
    pub packages: Vec<PackageReport>,
}

impl Report {
    pub fn new(mut packages: Vec<PackageReport>) -> Self {
        packages.sort_by(|a, b| a.path.cmp(&b.path));
        Report { packages }
    }

    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for package in &self.packages {
            counts.merge(package.counts);
        }
        counts
    }
}
