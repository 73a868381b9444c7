//! 8xx: the submission's user documentation article. Every rule but PQ800 is silent when no
//! article could be read (PQ800 says why); cross-checks against the connector are skipped
//! while the fact they need is unknown.

mod auth_types_mismatch;
mod docs_placeholder_text;
mod incomplete_capabilities_section;
mod incomplete_summary_table;
mod invalid_docs_file_name;
mod missing_connection_instructions;
mod missing_docs_front_matter;
mod missing_docs_title;
mod missing_function_reference_row;
mod missing_prerequisites;
mod missing_support_note;
mod missing_user_docs;
mod release_state_mismatch;
mod undocumented_advanced_options;

pub(crate) use auth_types_mismatch::AUTH_TYPES_MISMATCH;
pub(crate) use docs_placeholder_text::DOCS_PLACEHOLDER_TEXT;
pub(crate) use incomplete_capabilities_section::INCOMPLETE_CAPABILITIES_SECTION;
pub(crate) use incomplete_summary_table::INCOMPLETE_SUMMARY_TABLE;
pub(crate) use invalid_docs_file_name::INVALID_DOCS_FILE_NAME;
pub(crate) use missing_connection_instructions::MISSING_CONNECTION_INSTRUCTIONS;
pub(crate) use missing_docs_front_matter::MISSING_DOCS_FRONT_MATTER;
pub(crate) use missing_docs_title::MISSING_DOCS_TITLE;
pub(crate) use missing_function_reference_row::MISSING_FUNCTION_REFERENCE_ROW;
pub(crate) use missing_prerequisites::MISSING_PREREQUISITES;
pub(crate) use missing_support_note::MISSING_SUPPORT_NOTE;
pub(crate) use missing_user_docs::MISSING_USER_DOCS;
pub(crate) use release_state_mismatch::RELEASE_STATE_MISMATCH;
pub(crate) use undocumented_advanced_options::UNDOCUMENTED_ADVANCED_OPTIONS;

use crate::diagnostic::Finding;
use crate::model::Model;
use crate::rules::Context;
use crate::source::Span;
use crate::submission::markdown::{BlockKind, Table};
use crate::submission::summary::summary_table;
use crate::submission::{Article, Choice};

/// The article and its text, when one could be read.
pub(super) fn article<'a>(cx: &Context<'a>) -> Option<(&'a Article, &'a str)> {
    let model = cx.model();
    let article = model.article.as_ref()?;
    Some((article, model.sources.get(article.file).text.as_str()))
}

/// Where a finding about something missing from the whole article points: the title line,
/// else the start of the file.
pub(super) fn anchor(article: &Article) -> Span {
    article
        .outline
        .h1s()
        .next()
        .map_or(Span::empty(0), |h| h.span)
}

/// The first block after the first H1, HTML comments skipped: where the support note belongs.
pub(super) fn block_after_title(
    article: &Article,
) -> Option<(usize, &crate::submission::markdown::Block)> {
    let outline = &article.outline;
    let title = outline
        .blocks
        .iter()
        .position(|b| matches!(b.kind, BlockKind::Heading(i) if outline.headings[i].level == 1))?;
    outline
        .blocks
        .iter()
        .enumerate()
        .skip(title + 1)
        .find(|(_, b)| b.kind != BlockKind::Comment)
}

/// The summary table: the first table after the support note (or the title, or the start).
pub(super) fn summary(article: &Article) -> Option<&Table> {
    let after = match block_after_title(article) {
        Some((_, block)) if matches!(block.kind, BlockKind::BlockQuote(_)) => block.span.end,
        _ => anchor(article).end,
    };
    summary_table(&article.outline, after)
}

/// The line that contains `offset`, without its line break.
pub(crate) fn line_at(text: &str, offset: u32) -> Span {
    let offset = crate::source::floor_char_boundary(text, offset as usize);
    let (before, after) = text.split_at_checked(offset).unwrap_or((text, ""));
    let start = before.rfind('\n').map_or(0, |n| n + 1);
    let end = after.find(['\n', '\r']).map_or(text.len(), |n| offset + n);
    Span::from_range(start..end)
}

/// Reports a finding about the article, noting how the file was chosen when that was a guess.
pub(super) fn report(cx: &mut Context<'_>, finding: Finding) {
    let finding = match choice_note(cx.model()) {
        Some(note) => finding.note(note),
        None => finding,
    };
    cx.report(finding);
}

fn choice_note(model: &Model) -> Option<String> {
    let search = &model.article_search;
    let chosen = search.chosen.as_deref()?;
    match &search.choice {
        Choice::First { qualifying } => Some(format!(
            "checked `{chosen}`, the first of {qualifying} files that look like the article; give another with `--docs`"
        )),
        Choice::OnlyCandidate => Some(format!(
            "checked `{chosen}`, the only Markdown file found next to the package"
        )),
        _ => None,
    }
}

/// Byte ranges of whole-word, case-sensitive occurrences of `words` in `text`.
pub(crate) fn find_words(
    text: &str,
    words: &[&'static str],
) -> Vec<(std::ops::Range<usize>, &'static str)> {
    let mut found = Vec::new();
    for word in words {
        for (start, _) in text.match_indices(word) {
            let end = start + word.len();
            if is_word_boundary(text, start, end) {
                found.push((start..end, *word));
            }
        }
    }
    found.sort_by_key(|(range, _)| range.start);
    found
}

/// Whether `start..end` is not glued to letters, digits or `_` on either side.
pub(crate) fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|t| t.chars().next_back());
    let after = text.get(end..).and_then(|t| t.chars().next());
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    !glued(before) && !glued(after)
}

/// Whether `phrase` (lowercase) occurs in `text` (lowercased here) as whole words.
pub(crate) fn contains_phrase(text: &str, phrase: &str) -> bool {
    let lower = text.to_lowercase();
    lower
        .match_indices(phrase)
        .any(|(start, _)| is_word_boundary(&lower, start, start + phrase.len()))
}

/// `a`, `a` and `b`, `a`, `b` and `c`, with each in backticks.
pub(crate) fn code_list(items: &[impl AsRef<str>]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{}`", i.as_ref())).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Fixture, RuleCase};

    /// Words match whole and case-sensitively; phrases match whole words in any case.
    #[test]
    fn word_matching() {
        let found: Vec<_> = find_words("TODO: fix TODOS and XXX_ but XXX.", &["TODO", "XXX"])
            .into_iter()
            .map(|(r, _)| r.start)
            .collect();
        assert_eq!(found, [0, 29]);
        assert!(contains_phrase("Uses an API Key.", "key"));
        assert!(!contains_phrase("Keycloak", "key"));
        assert_eq!(code_list(&["a", "b", "c"]), "`a`, `b` and `c`");
    }

    /// The clean sample folder's documents are discovered with their real paths.
    #[test]
    fn clean_sample_folder_is_discovered() {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/clean");
        let package =
            crate::package::read_project_folder(std::path::Path::new(folder), "samples/clean")
                .expect("sample");
        let model = crate::model::Model::build(package);
        let article = model.article.as_ref().expect("article found");
        assert_eq!(
            model.sources.get(article.file).path.as_deref(),
            Some("samples/clean/kestrel.md")
        );
        let changelog = model.changelog.as_ref().expect("changelog found");
        assert_eq!(
            model.sources.get(changelog.file).path.as_deref(),
            Some("samples/clean/CHANGELOG.md")
        );
    }

    /// Every 8xx and 9xx rule passes on the clean sample, packed with its article and
    /// changelog next to it and as a project folder holding them.
    #[test]
    fn clean_sample_passes_every_document_rule() {
        for rule in crate::rules::ALL
            .iter()
            .copied()
            .filter(|r| r.code.starts_with("PQ8") || r.code.starts_with("PQ9"))
        {
            let failing = RuleCase::new(rule)
                .pass([Fixture::kestrel(), Fixture::kestrel().as_folder()])
                .run();
            assert_eq!(failing, "", "{}", rule.code);
        }
    }
}

#[cfg(test)]
#[path = "cases_tests.rs"]
mod cases_tests;
