//! The submission documents besides the package: the user documentation article and the
//! changelog. This module finds them next to the input (see `discovery.rs`) or takes
//! the paths given with `--docs`/`--changelog`, reads them under a size cap, registers their
//! text in the package's [`SourceDb`] with their real paths, and parses them into
//! [`markdown::Outline`] and [`changelog::Changelog`].
//!
//! It records what it saw (folders searched, candidates, which one was used and why) so the
//! 8xx/9xx rules can explain a missing or surprising choice. It never reports: rules do.

pub mod changelog;
mod discovery;
pub mod front_matter;
pub mod markdown;
pub mod summary;

use std::path::{Path, PathBuf};

use std::sync::Arc;

use crate::package::{Capped, Overlay, read_capped};
use crate::source::{DecodeProblem, Decoded, FileId, SourceDb, SourceFile, decode};

/// How the submission documents are found and judged, taken from the configuration. The
/// default looks for them next to the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubmissionOptions {
    /// `--docs` or `docs =`: the article, instead of discovery.
    pub article: Option<PathBuf>,
    /// `--changelog` or `changelog =`: the changelog, instead of discovery.
    pub changelog: Option<PathBuf>,
    /// `--initial-release`: a first submission (no changelog needed, Release State Preview).
    pub initial_release: bool,
    /// Whether to look for the documents at all: only when a rule or the checklist reads them.
    pub discover: bool,
}

impl Default for SubmissionOptions {
    fn default() -> Self {
        SubmissionOptions {
            article: None,
            changelog: None,
            initial_release: false,
            discover: true,
        }
    }
}

/// Largest article or changelog read. Real ones are a few kilobytes; this bounds parsing time
/// and memory whatever the file holds.
pub const MAX_DOCUMENT_BYTES: u64 = 4 * 1024 * 1024;
/// Candidate articles read per folder search; a folder with more is not a connector project.
pub const MAX_CANDIDATES: usize = 32;

/// The parsed user documentation article.
#[derive(Clone, Debug)]
pub struct Article {
    pub file: FileId,
    /// The file name without folders (`kestrel.md`).
    pub file_name: String,
    pub outline: markdown::Outline,
}

/// The parsed changelog.
#[derive(Clone, Debug)]
pub struct ChangelogDoc {
    pub file: FileId,
    pub changelog: changelog::Changelog,
}

/// Why a chosen document could not be checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unusable {
    TooLarge {
        size: u64,
    },
    /// NUL bytes: a binary file, or UTF-16 without a byte order mark.
    Binary,
    /// Nothing but white space.
    Empty,
    Unreadable {
        reason: String,
    },
}

impl std::fmt::Display for Unusable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unusable::TooLarge { size } => write!(
                f,
                "it is {size} bytes, over the {MAX_DOCUMENT_BYTES}-byte limit"
            ),
            Unusable::Binary => f.write_str("it is not text (it contains NUL bytes)"),
            Unusable::Empty => f.write_str("it is empty"),
            Unusable::Unreadable { reason } => write!(f, "it cannot be read ({reason})"),
        }
    }
}

/// A file considered during discovery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The path as shown to users.
    pub path: String,
    /// For articles: has an H1 and a table with a Release State row.
    pub qualifies: bool,
}

/// How the document in use was chosen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Choice {
    /// Nothing was chosen.
    #[default]
    None,
    /// Given with `--docs`/`--changelog` or in `mezcheck.toml`.
    Given,
    /// The only qualifying candidate (or the only changelog name found).
    Only,
    /// Several qualified; this one's stem is the kebab-case of `name`.
    Named { name: String },
    /// Several qualified and none is named after the connector: the first in path order.
    First { qualifying: usize },
    /// No candidate qualified, but there was only one.
    OnlyCandidate,
}

/// What one discovery saw.
#[derive(Clone, Debug, Default)]
pub struct Search {
    /// Folders looked in, as shown to users.
    pub searched: Vec<String>,
    pub candidates: Vec<Candidate>,
    pub choice: Choice,
    /// The chosen path, when one was chosen.
    pub chosen: Option<String>,
    /// Why the chosen document could not be used.
    pub unusable: Option<Unusable>,
}

/// Where to look and what to prefer, from the package and the configuration.
#[derive(Clone, Debug, Default)]
pub struct Lookup {
    /// The folder next to the input (a project folder, or an archive's folder).
    pub dir: Option<PathBuf>,
    /// How paths in `dir` are shown (`pkg/` for a folder given as `pkg`).
    pub display_dir: String,
    pub article: Option<PathBuf>,
    pub changelog: Option<PathBuf>,
    /// Kebab-case stems preferred when several articles qualify, best first.
    pub preferred_stems: Vec<(String, String)>,
    /// Unsaved text in place of files on disk (an editor's buffers).
    pub overlay: Option<Arc<Overlay>>,
}

/// The documents found, plus what discovery saw.
#[derive(Clone, Debug, Default)]
pub struct Found {
    pub article: Option<Article>,
    pub changelog: Option<ChangelogDoc>,
    pub article_search: Search,
    pub changelog_search: Search,
}

/// Finds, reads and parses both documents.
pub fn discover(lookup: &Lookup, sources: &mut SourceDb) -> Found {
    let mut found = Found::default();
    let folders = discovery::search_folders(lookup);
    // The folder of an input given without one (`Contoso.mez`) is shown as `./`.
    found.article_search.searched = folders
        .iter()
        .map(|(_, shown)| {
            if shown.is_empty() {
                "./".to_owned()
            } else {
                shown.clone()
            }
        })
        .collect();
    found.changelog_search.searched = found.article_search.searched.clone();
    match &lookup.article {
        Some(path) => {
            let shown = path.display().to_string();
            found.article_search.choice = Choice::Given;
            found.article_search.chosen = Some(shown.clone());
            match read_document(path, lookup)
                .and_then(|bytes| load_article(sources, &shown, &shown, &bytes))
            {
                Ok(article) => found.article = Some(article),
                Err(problem) => found.article_search.unusable = Some(problem),
            }
        }
        None => discovery::find_article(&folders, lookup, sources, &mut found),
    }
    match &lookup.changelog {
        Some(path) => {
            let shown = path.display().to_string();
            found.changelog_search.choice = Choice::Given;
            found.changelog_search.chosen = Some(shown.clone());
            let markdown = matches!(
                crate::package::file_extension(&shown).as_str(),
                "md" | "markdown"
            );
            match read_document(path, lookup)
                .and_then(|bytes| load_changelog(sources, &shown, &shown, &bytes, markdown))
            {
                Ok(doc) => found.changelog = Some(doc),
                Err(problem) => found.changelog_search.unusable = Some(problem),
            }
        }
        None => discovery::find_changelog(&folders, lookup, sources, &mut found),
    }
    found
}

/// Registers an article's text and parses it. Over-large or binary text is [`Unusable`].
pub fn load_article(
    sources: &mut SourceDb,
    name: &str,
    path: &str,
    bytes: &[u8],
) -> Result<Article, Unusable> {
    let decoded = prepare(bytes)?;
    let outline = markdown::parse(&decoded.text);
    Ok(register_article(sources, name, path, decoded, outline))
}

/// Registers a changelog's text and finds its entries.
pub fn load_changelog(
    sources: &mut SourceDb,
    name: &str,
    path: &str,
    bytes: &[u8],
    markdown: bool,
) -> Result<ChangelogDoc, Unusable> {
    let decoded = prepare(bytes)?;
    let changelog = changelog::Changelog::parse(&decoded.text, markdown);
    let file = sources.add(SourceFile::new(
        name.to_owned(),
        Some(path.to_owned()),
        decoded,
    ));
    Ok(ChangelogDoc { file, changelog })
}

/// The kebab-case of a name (`Kestrel Analytics`, `KestrelAnalytics` → `kestrel-analytics`).
pub fn kebab_case(name: &str) -> String {
    let words = crate::names::name_words(name);
    words
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("-")
}

/// Decodes a document, refusing over-large and binary ones.
pub(super) fn prepare(bytes: &[u8]) -> Result<Decoded, Unusable> {
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(Unusable::TooLarge {
            size: bytes.len() as u64,
        });
    }
    let decoded = decode(bytes);
    if matches!(decoded.problem, Some(DecodeProblem::Nul { .. })) {
        return Err(Unusable::Binary);
    }
    if decoded.text.trim().is_empty() {
        return Err(Unusable::Empty);
    }
    Ok(decoded)
}

pub(super) fn register_article(
    sources: &mut SourceDb,
    name: &str,
    path: &str,
    decoded: Decoded,
    outline: markdown::Outline,
) -> Article {
    let file = sources.add(SourceFile::new(
        name.to_owned(),
        Some(path.to_owned()),
        decoded,
    ));
    let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name).to_owned();
    Article {
        file,
        file_name,
        outline,
    }
}

pub(super) fn read_document(path: &Path, lookup: &Lookup) -> Result<Vec<u8>, Unusable> {
    let read = match &lookup.overlay {
        Some(overlay) => overlay.read_capped(path, MAX_DOCUMENT_BYTES),
        None => read_capped(path, MAX_DOCUMENT_BYTES),
    };
    match read {
        Ok(Capped::Whole(bytes)) => Ok(bytes),
        Ok(Capped::TooLarge(size)) => Err(Unusable::TooLarge { size }),
        Err(error) => Err(Unusable::Unreadable {
            reason: io_reason(&error),
        }),
    }
}

/// Why a file cannot be read, in the same words on every system for the usual causes.
fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "it does not exist".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "it is a folder".to_owned(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
#[path = "discovery_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "robustness_tests.rs"]
mod robustness_tests;
