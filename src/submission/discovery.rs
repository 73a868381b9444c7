//! Discovery next to the input: the input's folder and its `docs/`
//! subfolder are listed, candidate articles are read and parsed to see which qualify (an H1
//! and a table with a Release State row), and the changelog is the first of the accepted
//! names. Only the chosen article is registered in the source database.

use std::path::{Path, PathBuf};

use super::{
    Candidate, Choice, Found, Lookup, MAX_CANDIDATES, Unusable, load_changelog, markdown, prepare,
    read_document, register_article, summary,
};
use crate::source::{Decoded, SourceDb};

/// Names (case-insensitive prefixes) of Markdown files that are never the article.
const NOT_ARTICLES: &[&str] = &[
    "readme",
    "changelog",
    "changes",
    "history",
    "contributing",
    "license",
    "security",
    "support",
    "code_of_conduct",
];
/// Changelog file names, case-insensitive.
const CHANGELOG_NAMES: &[&str] = &["changelog.md", "changes.md"];

/// The input's folder and its `docs/` subfolder, with how each is shown.
pub(super) fn search_folders(lookup: &Lookup) -> Vec<(PathBuf, String)> {
    let Some(dir) = &lookup.dir else {
        return Vec::new();
    };
    let mut folders = vec![(dir.clone(), lookup.display_dir.clone())];
    let docs = dir.join("docs");
    if docs.is_dir() {
        folders.push((docs, format!("{}docs/", lookup.display_dir)));
    }
    folders
}

/// Files of a folder (with the overlaid ones not yet on disk), sorted by name, that pass
/// `keep` (lowercased name).
fn files_in(dir: &Path, lookup: &Lookup, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let on_disk = std::fs::read_dir(dir).into_iter().flatten();
    let mut names: Vec<String> = on_disk
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .chain(lookup.overlay.iter().flat_map(|o| o.names_in(dir)))
        .filter(|name| keep(&name.to_lowercase()))
        .collect();
    names.sort();
    names.dedup();
    names
}

fn is_article_candidate(lower: &str) -> bool {
    lower.ends_with(".md") && !NOT_ARTICLES.iter().any(|prefix| lower.starts_with(prefix))
}

/// A candidate article read and parsed but not yet registered.
type Parsed = (
    String,
    String,
    String,
    Result<(Decoded, markdown::Outline), Unusable>,
);

pub(super) fn find_article(
    folders: &[(PathBuf, String)],
    lookup: &Lookup,
    sources: &mut SourceDb,
    found: &mut Found,
) {
    let mut parsed: Vec<Parsed> = Vec::new();
    for (dir, shown_dir) in folders {
        for name in files_in(dir, lookup, is_article_candidate) {
            if parsed.len() >= MAX_CANDIDATES {
                break;
            }
            let shown = format!("{shown_dir}{name}");
            let relative = format!(
                "{}{name}",
                shown_dir
                    .strip_prefix(&lookup.display_dir)
                    .unwrap_or_default()
            );
            let article = read_document(&dir.join(&name), lookup)
                .and_then(|bytes| prepare(&bytes))
                .map(|decoded| {
                    let outline = markdown::parse(&decoded.text);
                    (decoded, outline)
                });
            parsed.push((shown, relative, name, article));
        }
    }
    let qualifies = |article: &Result<(Decoded, markdown::Outline), Unusable>| {
        article
            .as_ref()
            .is_ok_and(|(_, o)| o.h1s().next().is_some() && summary::has_release_state_row(o))
    };
    let search = &mut found.article_search;
    search.candidates = parsed
        .iter()
        .map(|(path, _, _, a)| Candidate {
            path: path.clone(),
            qualifies: qualifies(a),
        })
        .collect();
    let qualifying: Vec<usize> = (0..parsed.len())
        .filter(|&i| search.candidates[i].qualifies)
        .collect();
    let chosen = match qualifying.as_slice() {
        [] if parsed.len() == 1 => Some((0, Choice::OnlyCandidate)),
        [] => None,
        [only] => Some((*only, Choice::Only)),
        several => Some(prefer(several, &parsed, lookup)),
    };
    let Some((index, choice)) = chosen else {
        return;
    };
    search.choice = choice;
    let (path, relative, _, article) = parsed.swap_remove(index);
    match article {
        Ok((decoded, outline)) => {
            found.article = Some(register_article(
                sources, &relative, &path, decoded, outline,
            ))
        }
        Err(problem) => search.unusable = Some(problem),
    }
    search.chosen = Some(path);
}

/// Among several qualifying articles, the one named after the connector, else the first.
fn prefer(qualifying: &[usize], parsed: &[Parsed], lookup: &Lookup) -> (usize, Choice) {
    for (stem, name) in &lookup.preferred_stems {
        let named = qualifying
            .iter()
            .find(|&&i| parsed[i].2.to_lowercase().strip_suffix(".md") == Some(stem.as_str()));
        if let Some(&index) = named {
            return (index, Choice::Named { name: name.clone() });
        }
    }
    (
        qualifying[0],
        Choice::First {
            qualifying: qualifying.len(),
        },
    )
}

pub(super) fn find_changelog(
    folders: &[(PathBuf, String)],
    lookup: &Lookup,
    sources: &mut SourceDb,
    found: &mut Found,
) {
    let search = &mut found.changelog_search;
    let mut names = Vec::new();
    for (dir, shown_dir) in folders {
        for name in files_in(dir, lookup, |lower| CHANGELOG_NAMES.contains(&lower)) {
            names.push((dir.join(&name), format!("{shown_dir}{name}"), name));
        }
    }
    search.candidates = names
        .iter()
        .map(|(_, shown, _)| Candidate {
            path: shown.clone(),
            qualifies: true,
        })
        .collect();
    let Some((path, shown, name)) = names.into_iter().next() else {
        return;
    };
    search.choice = Choice::Only;
    search.chosen = Some(shown.clone());
    let relative = if shown.ends_with(&format!("docs/{name}")) {
        format!("docs/{name}")
    } else {
        name
    };
    match read_document(&path, lookup)
        .and_then(|bytes| load_changelog(sources, &relative, &shown, &bytes, true))
    {
        Ok(doc) => found.changelog = Some(doc),
        Err(problem) => search.unusable = Some(problem),
    }
}
