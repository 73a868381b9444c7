//! Tests of document discovery on real folders written to a temporary directory.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

const QUALIFYING: &str =
    "# Contoso\n\n| Item | Description |\n|-|-|\n| Release State | Preview |\n";

/// A fresh folder under the system temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(files: &[(&str, &[u8])]) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("mezcheck-docs-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (name, data) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("create test folder");
            std::fs::write(path, data).expect("write test file");
        }
        std::fs::create_dir_all(&dir).expect("create test folder");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn lookup(dir: &TempDir) -> Lookup {
    Lookup {
        dir: Some(dir.path().to_path_buf()),
        display_dir: "pkg/".into(),
        ..Lookup::default()
    }
}

/// The one qualifying article is used; README and CHANGELOG are not candidates.
#[test]
fn one_qualifying_article() {
    let dir = TempDir::new(&[
        ("contoso.md", QUALIFYING.as_bytes()),
        ("notes.md", b"# Notes\n"),
        ("README.md", QUALIFYING.as_bytes()),
        ("CHANGELOG.md", b"## 1.0.0\n- first\n"),
    ]);
    let mut sources = SourceDb::default();
    let found = discover(&lookup(&dir), &mut sources);
    let search = &found.article_search;
    let candidates: Vec<(&str, bool)> = search
        .candidates
        .iter()
        .map(|c| (c.path.as_str(), c.qualifies))
        .collect();
    assert_eq!(
        candidates,
        [("pkg/contoso.md", true), ("pkg/notes.md", false)]
    );
    assert_eq!(
        (search.choice.clone(), search.chosen.as_deref()),
        (Choice::Only, Some("pkg/contoso.md"))
    );
    let article = found.article.expect("article");
    assert_eq!(sources.get(article.file).name, "contoso.md");
    assert_eq!(
        sources.get(article.file).path.as_deref(),
        Some("pkg/contoso.md")
    );
    let changelog = found.changelog.expect("changelog");
    assert_eq!(changelog.changelog.entries.len(), 1);
    assert_eq!(
        found.changelog_search.chosen.as_deref(),
        Some("pkg/CHANGELOG.md")
    );
}

/// Among several qualifying articles the one named after the connector wins, else the first.
#[test]
fn preferred_name() {
    let dir = TempDir::new(&[
        ("a.md", QUALIFYING.as_bytes()),
        ("kestrel-analytics.md", QUALIFYING.as_bytes()),
    ]);
    let mut named = lookup(&dir);
    named.preferred_stems = vec![("kestrel-analytics".into(), "Kestrel Analytics".into())];
    let found = discover(&named, &mut SourceDb::default());
    assert_eq!(
        found.article_search.choice,
        Choice::Named {
            name: "Kestrel Analytics".into()
        }
    );
    assert_eq!(
        found.article_search.chosen.as_deref(),
        Some("pkg/kestrel-analytics.md")
    );
    let found = discover(&lookup(&dir), &mut SourceDb::default());
    assert_eq!(found.article_search.choice, Choice::First { qualifying: 2 });
    assert_eq!(found.article_search.chosen.as_deref(), Some("pkg/a.md"));
}

/// Several candidates and none qualifies: nothing is used. One candidate: it is used anyway.
#[test]
fn nothing_qualifies() {
    let dir = TempDir::new(&[("a.md", b"text"), ("b.md", b"# B")]);
    let found = discover(&lookup(&dir), &mut SourceDb::default());
    assert!(found.article.is_none());
    assert_eq!(found.article_search.candidates.len(), 2);
    let dir = TempDir::new(&[("docs/only.md", b"text"), ("docs/changes.md", b"")]);
    let mut sources = SourceDb::default();
    let found = discover(&lookup(&dir), &mut sources);
    assert_eq!(found.article_search.choice, Choice::OnlyCandidate);
    let article = found.article.expect("article");
    assert_eq!(sources.get(article.file).name, "docs/only.md");
    assert_eq!(article.file_name, "only.md");
    assert_eq!(found.article_search.searched, ["pkg/", "pkg/docs/"]);
    assert_eq!(
        found.changelog_search.chosen.as_deref(),
        Some("pkg/docs/changes.md")
    );
}

/// Given paths win; unreadable, over-large and binary files are recorded, not read.
#[test]
fn given_and_unusable() {
    let big = vec![b'a'; MAX_DOCUMENT_BYTES as usize + 1];
    let dir = TempDir::new(&[
        ("big.md", &big),
        ("bin.md", b"\x00\x01\x02\x03"),
        ("CHANGELOG.md", &big),
        ("log.txt", b"1.0 - first\n"),
    ]);
    let mut given = lookup(&dir);
    given.article = Some(dir.path().join("missing.md"));
    given.changelog = Some(dir.path().join("log.txt"));
    let found = discover(&given, &mut SourceDb::default());
    assert!(matches!(
        found.article_search.unusable,
        Some(Unusable::Unreadable { .. })
    ));
    assert_eq!(found.article_search.choice, Choice::Given);
    assert_eq!(
        found
            .changelog
            .expect("plain-text changelog")
            .changelog
            .entries
            .len(),
        1
    );
    let found = discover(&lookup(&dir), &mut SourceDb::default());
    assert_eq!(found.article_search.candidates.len(), 2);
    assert!(found.article.is_none());
    assert_eq!(
        found.changelog_search.unusable,
        Some(Unusable::TooLarge {
            size: MAX_DOCUMENT_BYTES + 1
        })
    );
    let mut sources = SourceDb::default();
    assert_eq!(
        load_article(&mut sources, "x.md", "x.md", b"\x00\x00").err(),
        Some(Unusable::Binary)
    );
    assert!(load_article(&mut sources, "x.md", "x.md", b"ok \xff\xfe bad utf-8").is_ok());
}

/// Kebab-case follows name words.
#[test]
fn kebab() {
    assert_eq!(kebab_case("Kestrel Analytics"), "kestrel-analytics");
    assert_eq!(kebab_case("HiveLLAP"), "hive-llap");
    assert_eq!(kebab_case("ACMEConnector"), "acme-connector");
}
