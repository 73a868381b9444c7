//! What a package means, built once per package and queried by every rule: which entry is the
//! section document, which are modules, resource files and OPC parts, with their decoded texts
//! registered in the package's [`SourceDb`]. It never reports; rules do.

pub mod connector;
pub mod eval;
pub mod flow;
pub mod products;
pub mod promote;

pub use products::facts::ConnectorFacts;

use rayon::prelude::*;

use crate::package::content_types::{CONTENT_TYPES_ENTRY, ContentTypes, parse_content_types};
use crate::package::resx::{Resx, parse_resx};
use crate::package::{
    Entry, Fact, Package, PackageKind, Packing, file_extension, is_section_document_name,
};
use crate::source::{DecodeProblem, FileId, SourceDb, SourceFile, decode};
use crate::submission::SubmissionOptions;
use crate::submission::{self, Article, ChangelogDoc, Lookup, Search};
use crate::syntax::{self, Parse};
use connector::Connector;
use flow::{Flow, Secrets};
use products::info::ExtensionInfo;
use std::cell::OnceCell;
use std::sync::Arc;

/// The part an entry plays in a connector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The one `.pq`/`.m` section document (several make PQ016).
    SectionDocument,
    /// A `.pqm` module: an M expression document.
    Module,
    /// A `*.query.pq` / `*.test.pq` test query given as a bare file.
    TestQuery,
    /// `resources.resx` or `resources.<culture>.resx`.
    Resources,
    /// `[Content_Types].xml`.
    ContentTypes,
    /// An OPC relationship or signature part of a `.pqx`.
    OpcPart,
    /// An icon, a data file, anything else.
    Other,
}

/// A text entry registered in the source database.
#[derive(Debug)]
pub struct TextEntry {
    pub entry: usize,
    pub file: FileId,
    pub role: Role,
    pub problem: Option<DecodeProblem>,
}

/// A parsed resource file.
#[derive(Debug)]
pub struct ResourceFile {
    pub entry: usize,
    pub file: FileId,
    /// `None` for the neutral `resources.resx`, else the culture (`es`, `pt-BR`).
    pub culture: Option<String>,
    pub resx: Resx,
}

/// A parsed M document: the section document, a module or a bare test query.
#[derive(Debug)]
pub struct MDocument {
    pub entry: usize,
    pub file: FileId,
    pub role: Role,
    pub parse: Parse,
}

/// The package model.
#[derive(Debug)]
pub struct Model {
    pub package: Package,
    /// Root `.pq`/`.m` entries that the section document loads as modules
    /// (`Extension.LoadFunction("Helper.pq")`): expression documents, not second section
    /// documents.
    pub loaded_as_modules: Vec<usize>,
    pub sources: SourceDb,
    pub texts: Vec<TextEntry>,
    pub resources: Vec<ResourceFile>,
    pub content_types: Option<(FileId, ContentTypes)>,
    /// Every M text entry, parsed, in entry order.
    pub documents: Vec<MDocument>,
    /// `--docs`, `--changelog` and `--initial-release`.
    pub options: SubmissionOptions,
    /// The user documentation article, when one was found (or given) and could be read.
    pub article: Option<Article>,
    /// The changelog, when one was found (or given) and could be read.
    pub changelog: Option<ChangelogDoc>,
    /// What article discovery saw, for PQ800 and notes.
    pub article_search: Search,
    /// What changelog discovery saw, for PQ901 and PQ905.
    pub changelog_search: Search,
}

/// What [`Model::build_then`] does with the finished model and its connector.
pub trait Then {
    type Output;
    /// The work shared by the rules, before any is done.
    fn shared<'a>(&self) -> Shared<'a> {
        Shared::default()
    }
    fn then<'a>(
        self,
        model: &'a Model,
        connector: &'a Connector<'a>,
        shared: &'a Shared<'a>,
    ) -> Self::Output;
}

/// Nothing: the model only.
impl Then for () {
    type Output = ();
    fn then<'a>(self, _: &'a Model, _: &'a Connector<'a>, _: &'a Shared<'a>) {}
}

/// Work shared by the rules of one package, done by the first rule that needs it: the flow
/// analysis with its caches, and the connector facts. (The walk over every expression is the
/// connector's.)
pub struct Shared<'a> {
    flow: OnceCell<Flow<'a, 'a>>,
    facts: OnceCell<ConnectorFacts>,
    /// The previous version of the connector (`check --previous`), to compare releases with.
    previous: Option<Arc<ExtensionInfo>>,
}

impl Default for Shared<'_> {
    fn default() -> Self {
        Shared::with_previous(None)
    }
}

impl<'a> Shared<'a> {
    pub fn with_previous(previous: Option<Arc<ExtensionInfo>>) -> Self {
        Shared {
            flow: OnceCell::new(),
            facts: OnceCell::new(),
            previous,
        }
    }

    /// The previous version of the connector, when the run was given one.
    pub fn previous(&self) -> Option<&ExtensionInfo> {
        self.previous.as_deref()
    }

    /// The connector facts the submission documents are compared with, made from the
    /// connector once.
    pub fn facts(&self, connector: &Connector<'_>) -> &ConnectorFacts {
        self.facts
            .get_or_init(|| ConnectorFacts::from_connector(connector))
    }

    /// The flow analysis of the connector with the `secrets` policy of the first caller.
    pub fn flow(&self, connector: &'a Connector<'a>, secrets: &'static Secrets) -> &Flow<'a, 'a> {
        self.flow.get_or_init(|| Flow::new(connector, secrets))
    }
}

impl Model {
    /// Whether the M documents might name `name`: their text contains it, or an escape
    /// (`#(…)`) that could spell it. Wherever a name is defined or used it is written out, so
    /// a rule looking for one name can skip every expression when this is false.
    pub fn may_mention(&self, name: &str) -> bool {
        let finder = memchr::memmem::Finder::new(name);
        self.documents.iter().any(|document| {
            let text = self.sources.get(document.file).text.as_bytes();
            finder.find(text).is_some() || memchr::memmem::find(text, b"#(").is_some()
        })
    }

    /// Builds the model with default submission options (discovery next to the input).
    pub fn build(package: Package) -> Model {
        Model::build_with(package, &SubmissionOptions::default())
    }

    /// Builds the model: parses the text entries (in a project folder, root files a literal
    /// `Extension.Contents` names become content first, see [`promote`]), then finds and
    /// parses the submission documents.
    pub fn build_with(package: Package, options: &SubmissionOptions) -> Model {
        Model::build_then(package, options, ()).0
    }

    /// [`Model::build_with`], then `then` with the model and its connector. The connector that
    /// decided which files are content is the one handed over, so the M documents are walked
    /// once for the promotion and the rules.
    pub fn build_then<T: Then>(
        package: Package,
        options: &SubmissionOptions,
        then: T,
    ) -> (Model, T::Output) {
        let mut model = Model::parse(package, options);
        let mut rounds = 0;
        // Root documents read as modules: decided once, after the promotions.
        let mut modules: Vec<usize> = Vec::new();
        let result = loop {
            if options.discover {
                model.find_submission_documents();
            }
            let connector = Connector::build(&model);
            let promoted = if modules.is_empty() && rounds < promote::MAX_PROMOTION_ROUNDS {
                promote::referenced_root_files(&model, &connector)
            } else {
                Vec::new()
            };
            let loaded = if promoted.is_empty() && modules.is_empty() {
                root_documents_loaded_as_modules(&model, &connector)
            } else {
                Vec::new()
            };
            if promoted.is_empty() && loaded.is_empty() {
                let shared = then.shared();
                break then.then(&model, &connector, &shared);
            }
            drop(connector);
            let Model { mut package, .. } = model;
            for index in promoted {
                if let Some(entry) = package.entries.get_mut(index) {
                    entry.packing = crate::package::Packing::Content;
                }
            }
            rounds += 1;
            if !loaded.is_empty() {
                modules = loaded;
            }
            model = Model::parse_with(package, options, modules.clone());
        };
        (model, result)
    }

    /// Registers and parses the text entries of a package.
    fn parse(package: Package, options: &SubmissionOptions) -> Model {
        Model::parse_with(package, options, Vec::new())
    }

    /// Registers and parses the text entries of a package, with these root documents read as
    /// modules.
    fn parse_with(
        package: Package,
        options: &SubmissionOptions,
        loaded_as_modules: Vec<usize>,
    ) -> Model {
        let mut model = Model {
            package,
            loaded_as_modules,
            sources: SourceDb::default(),
            texts: Vec::new(),
            resources: Vec::new(),
            content_types: None,
            documents: Vec::new(),
            options: options.clone(),
            article: None,
            changelog: None,
            article_search: Search::default(),
            changelog_search: Search::default(),
        };
        let mut m_sources = Vec::new();
        for index in 0..model.package.entries.len() {
            let entry = &model.package.entries[index];
            let role = model.role(index);
            if !entry.read || !is_text_role(role) {
                continue;
            }
            let decoded = decode(&entry.data);
            let problem = decoded.problem.clone();
            let file = model.sources.add(SourceFile::new(
                entry.name.clone(),
                entry.disk_path.clone(),
                decoded,
            ));
            model.texts.push(TextEntry {
                entry: index,
                file,
                role,
                problem,
            });
            let text = &model.sources.get(file).text;
            match role {
                Role::Resources => model.resources.push(ResourceFile {
                    entry: index,
                    file,
                    culture: resource_culture(&entry.name),
                    resx: parse_resx(text),
                }),
                Role::ContentTypes => model.content_types = Some((file, parse_content_types(text))),
                Role::SectionDocument | Role::TestQuery | Role::Module => {
                    m_sources.push((index, file, role));
                }
                _ => {}
            }
        }
        // The M documents of one package parse on all cores: a package may hold several
        // large modules.
        let sources = &model.sources;
        let parses: Vec<Parse> = m_sources
            .par_iter()
            .map(|&(_, file, role)| {
                let text = &sources.get(file).text;
                match role {
                    Role::Module => syntax::parse_expression_document(text),
                    _ => syntax::parse(text),
                }
            })
            .collect();
        model.documents = m_sources
            .into_iter()
            .zip(parses)
            .map(|((entry, file, role), parse)| MDocument {
                entry,
                file,
                role,
                parse,
            })
            .collect();
        model
    }

    /// Finds the article and changelog (after the facts, which name the preferred article).
    fn find_submission_documents(&mut self) {
        let lookup = Lookup {
            dir: self.package.docs_dir.clone(),
            display_dir: self.display_dir(),
            article: self.options.article.clone(),
            changelog: self.options.changelog.clone(),
            preferred_stems: self.preferred_article_stems(),
            overlay: self.package.overlay.clone(),
        };
        let found = submission::discover(&lookup, &mut self.sources);
        self.article = found.article;
        self.changelog = found.changelog;
        self.article_search = found.article_search;
        self.changelog_search = found.changelog_search;
    }

    /// How files next to the input are shown: `pkg/` for a folder `pkg`, `dist/` for
    /// `dist/X.mez`, nothing for the current folder.
    fn display_dir(&self) -> String {
        let path = self.package.path.trim_end_matches(['/', '\\']);
        let dir = match self.package.kind {
            PackageKind::Folder => path,
            _ => path.rsplit_once(['/', '\\']).map_or("", |(dir, _)| dir),
        };
        if dir.is_empty() || dir == "." {
            String::new()
        } else {
            format!("{dir}/")
        }
    }

    /// Article stems to prefer, as `(kebab-case stem, what it is named after)`: the first
    /// button text and the kinds, read straight from the section (discovery runs before the
    /// connector model), then the section document's name.
    fn preferred_article_stems(&self) -> Vec<(String, String)> {
        let mut names = self.declared_names();
        names.extend(
            self.section_documents()
                .map(|(_, e)| crate::package::file_stem(&e.name).to_owned()),
        );
        names
            .into_iter()
            .map(|name| (submission::kebab_case(&name), name))
            .filter(|(stem, _)| !stem.is_empty())
            .collect()
    }

    /// The literal first `ButtonText` items and the `DataSource.Kind` values of the section's
    /// shared members, without building the connector model.
    fn declared_names(&self) -> Vec<String> {
        let Some((file, section)) = self.documents.iter().find_map(|d| match &d.parse.document {
            syntax::Document::Section(section) if d.role == Role::SectionDocument => {
                Some((d.file, section))
            }
            _ => None,
        }) else {
            return Vec::new();
        };
        let env = eval::resolve::Env::root(file).with_section(file, &section.members, false);
        let resolver = eval::resolve::Resolver {
            resx: self.neutral_resources(),
        };
        let mut buttons = Vec::new();
        let mut kinds = Vec::new();
        let mut members = std::collections::HashMap::new();
        for member in &section.members {
            members.entry(&*member.name.name).or_insert(member);
        }
        for member in section.members.iter().filter(|m| m.shared.is_some()) {
            if let Some(kind) =
                connector::attribute(member, "DataSource.Kind").and_then(|f| f.value.as_text())
            {
                kinds.push(kind.to_owned());
            }
            let publish = connector::attribute(member, "Publish").and_then(|f| f.value.as_text());
            let button = publish
                .and_then(|name| members.get(name).copied())
                .and_then(|publish| resolver.record(&publish.value, &env))
                .and_then(|(fields, env)| {
                    let (items, env) =
                        resolver.list(&connector::field(fields, "ButtonText")?.value, &env)?;
                    resolver.text(items.first()?, &env).ok()
                });
            buttons.extend(button);
        }
        buttons.into_iter().chain(kinds).collect()
    }

    /// Whether the input could be read as a package at all (PQ001 otherwise).
    pub fn is_readable(&self) -> bool {
        !self
            .package
            .facts
            .iter()
            .any(|f| matches!(f, Fact::Unreadable { .. }))
            && !self.package.facts.iter().any(|f| {
                matches!(
                    f,
                    Fact::TooManyEntries { .. }
                        | Fact::PackageTooLarge {
                            what: "package file",
                            ..
                        }
                )
            })
    }

    /// Whether the input is a test query file on its own (`Kestrel.query.pq`), not a
    /// connector.
    pub fn is_bare_test_query(&self) -> bool {
        self.package.kind == PackageKind::File
            && self.documents.len() == 1
            && self.documents.iter().all(|d| d.role == Role::TestQuery)
    }

    /// The role of an entry by index.
    pub fn role(&self, entry: usize) -> Role {
        if self.loaded_as_modules.contains(&entry) {
            return Role::Module;
        }
        role_of(&self.package.entries[entry], self.package.kind)
    }

    /// The neutral `resources.resx`, parsed.
    pub fn neutral_resources(&self) -> Option<&Resx> {
        self.resources
            .iter()
            .find(|r| r.culture.is_none())
            .map(|r| &r.resx)
    }

    /// The package content entry with exactly this name.
    pub fn entry_named(&self, name: &str) -> Option<&Entry> {
        self.package
            .entries
            .iter()
            .find(|e| e.is_content() && e.name == name)
    }

    /// The parsed document of a file.
    pub fn document(&self, file: FileId) -> Option<&MDocument> {
        self.documents.iter().find(|d| d.file == file)
    }

    /// Entries that are section documents (root, content, `.pq`/`.m`, not test queries).
    pub fn section_documents(&self) -> impl Iterator<Item = (usize, &Entry)> {
        self.package
            .entries
            .iter()
            .enumerate()
            .filter(|(i, _)| self.role(*i) == Role::SectionDocument)
    }

    /// The text entry of an entry index, when it was decoded.
    pub fn text_of(&self, entry: usize) -> Option<&TextEntry> {
        self.texts.iter().find(|t| t.entry == entry)
    }

    /// Content entries whose names are in the package root.
    pub fn content_entries(&self) -> impl Iterator<Item = (usize, &Entry)> {
        self.package
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.is_content())
    }
}

fn role_of(entry: &Entry, kind: PackageKind) -> Role {
    let lower = entry.name.to_ascii_lowercase();
    // A `.pqm` in a project root that the project does not list is still packed by
    // `MakePQX compile`: it is a module of the built package, checked like the others.
    if entry.packing == Packing::MakePqxOnly && file_extension(&lower) == "pqm" {
        return Role::Module;
    }
    if !entry.is_content() {
        return Role::Other;
    }
    if kind == PackageKind::File && (lower.ends_with(".query.pq") || lower.ends_with(".test.pq")) {
        return Role::TestQuery;
    }
    if entry.is_root() && is_section_document_name(&entry.name) {
        return Role::SectionDocument;
    }
    if kind == PackageKind::Pqx && entry.name == CONTENT_TYPES_ENTRY {
        return Role::ContentTypes;
    }
    if kind == PackageKind::Pqx && is_opc_part(&lower) {
        return Role::OpcPart;
    }
    match file_extension(&lower).as_str() {
        "pqm" => Role::Module,
        "resx" if entry.is_root() && lower.starts_with("resources") => Role::Resources,
        _ => Role::Other,
    }
}

/// Root `.pq`/`.m` files of a project folder that parse as expressions (not sections) and that
/// a literal module load of the connector names, when another root document is a section
/// document: they are the connector's modules (a project may name its modules `.pq`).
fn root_documents_loaded_as_modules(model: &Model, connector: &Connector<'_>) -> Vec<usize> {
    let is_section = |d: &MDocument| matches!(d.parse.document, syntax::Document::Section(_));
    let candidates: Vec<usize> = model
        .documents
        .iter()
        .filter(|d| d.role == Role::SectionDocument && !is_section(d))
        .map(|d| d.entry)
        .collect();
    let has_section = model
        .documents
        .iter()
        .any(|d| d.role == Role::SectionDocument && is_section(d));
    // Only in project folders, where the project file decides what is compiled: a package
    // with two root `.pq` entries is refused by Desktop whatever they hold.
    if !has_section || model.package.kind != PackageKind::Folder {
        return Vec::new();
    }
    promote::named_by_contents(model, connector, candidates)
}

/// OPC bookkeeping parts: relationships, the signature origin and signatures.
pub fn is_opc_part(lower_name: &str) -> bool {
    lower_name.ends_with(".rels")
        || lower_name.starts_with("package/services/digital-signature/")
        || lower_name.ends_with(".psdsor")
        || lower_name.ends_with(".psdsxs")
}

fn is_text_role(role: Role) -> bool {
    !matches!(role, Role::Other)
}

/// `resources.es.resx` → `es`; `resources.resx` → `None`.
fn resource_culture(name: &str) -> Option<String> {
    let stem = name
        .strip_suffix(".resx")
        .or_else(|| name.strip_suffix(".RESX"))?;
    let (_, culture) = stem.split_once('.')?;
    Some(culture.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cultures() {
        assert_eq!(resource_culture("resources.resx"), None);
        assert_eq!(
            resource_culture("resources.pt-BR.resx").as_deref(),
            Some("pt-BR")
        );
    }
}
