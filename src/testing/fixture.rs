//! The fixtures every rule test starts from, and the edits that turn one into a test case.
//!
//! - [`Fixture::finch`]: a small connector `Finch` with one line per member, so a member can be
//!   replaced or removed by name.
//! - [`Fixture::kestrel`]: the clean sample (`samples/clean`) with its article and changelog,
//!   on which every rule passes.
//! - [`Fixture::archive`] and [`Fixture::bytes`]: any entries, or any bytes.
//!
//! Each edit is recorded, so a snapshot shows what a failing case changed.

use std::path::Path;

/// The section document of [`Fixture::finch`]. One member per line.
pub const FINCH: &str = r#"[Version = "1.0.0"]
section Finch;

[DataSource.Kind = "Finch", Publish = "Finch.Publish"]
shared Finch.Contents = () => 1;

Finch = [Authentication = [Anonymous = []], Label = "Finch"];

Finch.Publish = [Beta = true, Category = "Other", ButtonText = {"Finch", "Finch data"}];
"#;

/// Which submission document a path given on the command line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Given {
    Article,
    Changelog,
}

/// How a fixture is handed to `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// A `.mez` or `.pqx` archive of the entries (or the raw bytes).
    Archive,
    /// An unpacked project folder holding the entries.
    Folder,
}

/// A package under test, with the submission documents next to it.
#[derive(Clone, Debug)]
pub struct Fixture {
    /// The package's file or folder name (`Finch.mez`).
    pub name: String,
    /// `(entry name, bytes)`, in archive order.
    pub entries: Vec<(String, Vec<u8>)>,
    /// The whole archive as given, instead of one built from `entries`.
    pub raw: Option<Vec<u8>>,
    pub layout: Layout,
    /// `(path relative to the package's folder, text)` of the article.
    pub article: Option<(String, String)>,
    /// `(path relative to the package's folder, text)` of the changelog.
    pub changelog: Option<(String, String)>,
    /// Checked as a first submission (`--initial-release`).
    pub initial_release: bool,
    /// Whether the article is given with `--docs` (instead of found next to the package).
    pub given_article: bool,
    /// Whether the changelog is given with `--changelog`.
    pub given_changelog: bool,
    /// A path given with `--docs` or `--changelog` that does not exist.
    pub missing_given: Option<(Given, String)>,
    /// What was changed from the base fixture.
    pub edits: Vec<String>,
}

impl Fixture {
    /// The connector `Finch` ([`FINCH`]) in `Finch.mez`.
    pub fn finch() -> Fixture {
        Fixture::archive("Finch.mez", &[("Finch.pq", FINCH.as_bytes())]).described("finch")
    }

    /// The clean sample connector `Kestrel` in `Kestrel.mez`, with `kestrel.md` and
    /// `CHANGELOG.md` next to it.
    pub fn kestrel() -> Fixture {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/clean");
        let entries = super::folder_entries(&folder);
        Fixture {
            name: "Kestrel.mez".into(),
            entries,
            raw: None,
            layout: Layout::Archive,
            article: Some(("kestrel.md".into(), super::KESTREL_ARTICLE.into())),
            changelog: Some(("CHANGELOG.md".into(), super::KESTREL_CHANGELOG.into())),
            initial_release: false,
            given_article: false,
            given_changelog: false,
            missing_given: None,
            edits: vec!["kestrel".into()],
        }
    }

    /// An archive `name` of these entries, without documents.
    pub fn archive(name: &str, entries: &[(&str, &[u8])]) -> Fixture {
        Fixture {
            name: name.into(),
            entries: entries
                .iter()
                .map(|(n, d)| ((*n).to_owned(), d.to_vec()))
                .collect(),
            raw: None,
            layout: Layout::Archive,
            article: None,
            changelog: None,
            initial_release: false,
            given_article: false,
            given_changelog: false,
            missing_given: None,
            edits: vec![format!("archive {name}")],
        }
    }

    /// A package file `name` holding exactly `bytes`.
    pub fn bytes(name: &str, bytes: &[u8]) -> Fixture {
        Fixture {
            raw: Some(bytes.to_vec()),
            edits: vec![format!("{name}: {} bytes", bytes.len())],
            ..Fixture::archive(name, &[])
        }
    }

    /// A connector whose section document `Finch.pq` is `source`, in `Finch.mez`.
    pub fn section(source: &str) -> Fixture {
        Fixture::archive("Finch.mez", &[("Finch.pq", source.as_bytes())]).described("section")
    }

    fn described(mut self, base: &str) -> Fixture {
        self.edits = vec![base.to_owned()];
        self
    }

    fn edit(mut self, what: String) -> Fixture {
        self.edits.push(what);
        self
    }

    /// The section document's entry: the one root `.pq`/`.m` entry that is not a test query.
    fn section_entry(&mut self) -> &mut (String, Vec<u8>) {
        self.entries
            .iter_mut()
            .find(|(name, _)| {
                !name.contains('/')
                    && (name.ends_with(".pq") || name.ends_with(".m"))
                    && !name.ends_with(".query.pq")
            })
            .expect("the fixture has a section document")
    }

    fn map_section(mut self, change: impl FnOnce(&str) -> String) -> Fixture {
        let entry = self.section_entry();
        let text = String::from_utf8(entry.1.clone()).expect("fixture source is UTF-8");
        entry.1 = change(&text).into_bytes();
        self
    }

    /// Replaces the first `from` in the section document with `to`.
    pub fn replace(self, from: &str, to: &str) -> Fixture {
        let what = format!("replace `{from}` with `{to}`");
        self.map_section(|text| {
            assert!(text.contains(from), "`{from}` is not in the fixture");
            text.replacen(from, to, 1)
        })
        .edit(what)
    }

    /// Sets the value of the one-line member `name` (`Finch.Publish`, `Finch`, …) to `value`.
    pub fn set(self, name: &str, value: &str) -> Fixture {
        let what = format!("{name} = {value}");
        self.map_section(|text| {
            let (line, rest) = member_line(text, name);
            let keep_head = rest
                .find(" = ")
                .and_then(|at| rest.get(..at + 3))
                .expect("a member line");
            let before = line.get(..line.len() - rest.len()).unwrap_or_default();
            text.replacen(line, &format!("{before}{keep_head}{value};"), 1)
        })
        .edit(what)
    }

    /// Removes the one-line member `name`.
    pub fn remove(self, name: &str) -> Fixture {
        let what = format!("without {name}");
        self.map_section(|text| {
            let (line, _) = member_line(text, name);
            text.replacen(&format!("{line}\n"), "", 1)
        })
        .edit(what)
    }

    /// Adds members (or any text) at the end of the section document.
    pub fn members(self, members: &str) -> Fixture {
        let what = format!("add `{members}`");
        self.map_section(|text| format!("{text}\n{members}\n"))
            .edit(what)
    }

    /// Adds or replaces an entry.
    pub fn entry(mut self, name: &str, bytes: &[u8]) -> Fixture {
        self.entries.retain(|(n, _)| n != name);
        self.entries.push((name.to_owned(), bytes.to_vec()));
        self.edit(format!("entry {name}"))
    }

    /// Removes an entry.
    pub fn without(mut self, name: &str) -> Fixture {
        let before = self.entries.len();
        self.entries.retain(|(n, _)| n != name);
        assert!(self.entries.len() < before, "no entry {name} to remove");
        self.edit(format!("without {name}"))
    }

    /// Names the package file or folder `name`.
    pub fn named(mut self, name: &str) -> Fixture {
        self.name = name.to_owned();
        self.edit(format!("named {name}"))
    }

    /// Checks the entries as an unpacked project folder.
    pub fn as_folder(mut self) -> Fixture {
        self.layout = Layout::Folder;
        self.edit("as a project folder".into())
    }

    /// Puts the article at `path` (relative to the package's folder) with this text.
    pub fn article(mut self, path: &str, text: &str) -> Fixture {
        self.article = Some((path.to_owned(), text.to_owned()));
        self.edit(format!("article {path}: {}", preview(text)))
    }

    /// Replaces the first `from` in the article with `to`.
    pub fn replace_in_article(mut self, from: &str, to: &str) -> Fixture {
        let article = self.article.as_mut().expect("the fixture has an article");
        assert!(article.1.contains(from), "`{from}` is not in the article");
        article.1 = article.1.replacen(from, to, 1);
        self.edit(format!("article: replace `{from}` with `{to}`"))
    }

    pub fn no_article(mut self) -> Fixture {
        self.article = None;
        self.edit("no article".into())
    }

    /// Puts the changelog at `path` (relative to the package's folder) with this text.
    pub fn changelog(mut self, path: &str, text: &str) -> Fixture {
        self.changelog = Some((path.to_owned(), text.to_owned()));
        self.edit(format!("changelog {path}: {}", preview(text)))
    }

    /// Replaces the first `from` in the changelog with `to`.
    pub fn replace_in_changelog(mut self, from: &str, to: &str) -> Fixture {
        let changelog = self
            .changelog
            .as_mut()
            .expect("the fixture has a changelog");
        assert!(
            changelog.1.contains(from),
            "`{from}` is not in the changelog"
        );
        changelog.1 = changelog.1.replacen(from, to, 1);
        self.edit(format!("changelog: replace `{from}` with `{to}`"))
    }

    pub fn no_changelog(mut self) -> Fixture {
        self.changelog = None;
        self.edit("no changelog".into())
    }

    /// Passes the article with `--docs`, at the path it has.
    pub fn given_article(mut self) -> Fixture {
        self.given_article = true;
        self.edit("article given with --docs".into())
    }

    /// Passes the changelog with `--changelog`, at the path it has.
    pub fn given_changelog(mut self) -> Fixture {
        self.given_changelog = true;
        self.edit("changelog given with --changelog".into())
    }

    /// Passes a path that does not exist with `--docs` or `--changelog`.
    pub fn given_missing(mut self, which: Given, path: &str) -> Fixture {
        self.missing_given = Some((which, path.to_owned()));
        self.edit(format!("missing {path} given as the {which:?}"))
    }

    /// Checks the package as a first submission.
    pub fn initial_release(mut self) -> Fixture {
        self.initial_release = true;
        self.edit("initial release".into())
    }

    /// One line saying what this case is.
    pub fn description(&self) -> String {
        self.edits.join("; ").replace('\n', "⏎")
    }

    /// The paths to give with `--docs` and `--changelog`, for a fixture written under `dir`.
    pub fn given_paths(
        &self,
        dir: &Path,
    ) -> (Option<std::path::PathBuf>, Option<std::path::PathBuf>) {
        let documents_dir = self.documents_dir(dir);
        let mut article = self
            .article
            .as_ref()
            .filter(|_| self.given_article)
            .map(|(path, _)| documents_dir.join(path));
        let mut changelog = self
            .changelog
            .as_ref()
            .filter(|_| self.given_changelog)
            .map(|(path, _)| documents_dir.join(path));
        match &self.missing_given {
            Some((Given::Article, path)) => article = Some(documents_dir.join(path)),
            Some((Given::Changelog, path)) => changelog = Some(documents_dir.join(path)),
            None => {}
        }
        (article, changelog)
    }

    fn documents_dir(&self, dir: &Path) -> std::path::PathBuf {
        match self.layout {
            Layout::Archive => dir.to_path_buf(),
            Layout::Folder => dir.join(&self.name),
        }
    }

    /// Writes the package and its documents under `dir`; returns the package's path.
    pub fn write_to(&self, dir: &Path) -> std::path::PathBuf {
        let path = dir.join(&self.name);
        match (&self.raw, self.layout) {
            (Some(raw), _) => std::fs::write(&path, raw).expect("write the package"),
            (None, Layout::Archive) => {
                let borrowed: Vec<(&str, &[u8])> = self
                    .entries
                    .iter()
                    .map(|(n, d)| (n.as_str(), d.as_slice()))
                    .collect();
                std::fs::write(&path, super::zip_bytes(&borrowed)).expect("write the package");
            }
            (None, Layout::Folder) => {
                for (name, data) in &self.entries {
                    let file = path.join(name);
                    if let Some(parent) = file.parent() {
                        std::fs::create_dir_all(parent).expect("create the folder");
                    }
                    std::fs::write(file, data).expect("write an entry");
                }
            }
        }
        let documents_dir = self.documents_dir(dir);
        for (relative, text) in self.article.iter().chain(&self.changelog) {
            let file = documents_dir.join(relative);
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent).expect("create the documents' folder");
            }
            std::fs::write(file, text).expect("write a document");
        }
        path
    }
}

/// A text in one line, cut after 80 characters.
fn preview(text: &str) -> String {
    let mut shown: String = text.chars().take(80).collect();
    if text.chars().nth(80).is_some() {
        shown.push('…');
    }
    format!("{shown:?}")
}

/// The line defining the one-line member `name`, and the same line from the name on.
fn member_line<'t>(text: &'t str, name: &str) -> (&'t str, &'t str) {
    text.lines()
        .find_map(|line| {
            let from = line.find(&format!("{name} = "))?;
            let head = line.get(..from)?;
            let is_member = head.trim().is_empty() || head.trim() == "shared";
            is_member.then_some((line, line.get(from..)?))
        })
        .unwrap_or_else(|| panic!("no one-line member `{name}` in the fixture"))
}
