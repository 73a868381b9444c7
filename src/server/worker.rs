//! The checking thread. It takes the newest job (older queued ones are superseded unchecked),
//! finds the connector project of each open document, reads each project with the open
//! buffers overlaid, checks it under the same limits and panic guard as `mezcheck check`, and
//! turns the findings into protocol diagnostics by file. The main loop publishes a result only
//! if no newer job was made meanwhile, so a check that typing overtook is dropped.

use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};

use lsp_types::{
    CodeDescription, Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    DiagnosticTag, Location, NumberOrString, Range, Uri,
};
use mezcheck::config::{Config, FileConfig, Overrides};
use mezcheck::diagnostic::{Diagnostic, PackageReport, Severity};
use mezcheck::package::{Overlay, discover::is_project_folder, is_section_document_name};
use mezcheck::source::{FileId, SourceFile};
use serde_json::json;

use super::convert::{Encoding, LineIndex, path_to_uri};

/// Stack of the checking thread: as large as the main thread's on Linux, so deep (but
/// in-limit) models are walked as `mezcheck check` walks them.
const WORKER_STACK_BYTES: usize = 16 * 1024 * 1024;
/// The command `codeDescription` links to: it answers with the rule's explanation.
pub const EXPLAIN_COMMAND: &str = "mezcheck.explainRule";
/// Rules whose findings mark text that can go (editors fade it).
const UNNECESSARY_RULES: &[&str] = &["PQ099", "PQ407"];

/// What to check: the open documents (their text is in the overlay) and where to look for
/// projects.
pub struct Job {
    pub generation: u64,
    pub documents: Vec<PathBuf>,
    pub workspace_folders: Vec<PathBuf>,
    pub overlay: Arc<Overlay>,
    pub overrides: Overrides,
    pub encoding: Encoding,
}

/// What one job found.
pub struct Outcome {
    pub generation: u64,
    pub projects: Vec<ProjectOutcome>,
}

/// One project's diagnostics by file, for the open documents of that project.
pub struct ProjectOutcome {
    pub documents: Vec<PathBuf>,
    /// `None` when the check could not run (a panic); the documents then keep what they show.
    pub diagnostics: Option<BTreeMap<PathBuf, Vec<LspDiagnostic>>>,
    /// A problem to show the user once (invalid configuration, an internal error).
    pub problem: Option<String>,
}

/// Starts the checking thread; it ends when `jobs` is dropped.
pub fn spawn(
    jobs: Receiver<Job>,
    done: Sender<super::Event>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("mezcheck-check".to_owned())
        .stack_size(WORKER_STACK_BYTES)
        .spawn(move || {
            while let Ok(mut job) = jobs.recv() {
                while let Ok(newer) = jobs.try_recv() {
                    job = newer;
                }
                let outcome = run(&job);
                if done.send(super::Event::Checked(outcome)).is_err() {
                    return;
                }
            }
        })
}

fn run(job: &Job) -> Outcome {
    let mut by_root: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for document in &job.documents {
        if let Some(root) = project_root(document, &job.workspace_folders) {
            by_root.entry(root).or_default().push(document.clone());
        }
    }
    let projects = by_root
        .into_iter()
        .map(|(root, documents)| check_project(root, documents, job))
        .collect();
    Outcome {
        generation: job.generation,
        projects,
    }
}

/// The connector project a file belongs to: the deepest workspace folder holding it that is a
/// project, else its own folder, else (for `docs/` files) the folder above.
pub fn project_root(path: &Path, workspace_folders: &[PathBuf]) -> Option<PathBuf> {
    let in_workspace = workspace_folders
        .iter()
        .filter(|folder| path.starts_with(folder) && is_project_folder(folder))
        .max_by_key(|folder| folder.components().count());
    if let Some(folder) = in_workspace {
        return Some(folder.clone());
    }
    let parent = path.parent()?;
    if is_project_folder(parent) {
        return Some(parent.to_path_buf());
    }
    let grandparent = parent.parent()?;
    let in_docs = parent
        .file_name()
        .is_some_and(|name| name.eq_ignore_ascii_case("docs"));
    (in_docs && is_project_folder(grandparent)).then(|| grandparent.to_path_buf())
}

fn check_project(root: PathBuf, documents: Vec<PathBuf>, job: &Job) -> ProjectOutcome {
    let (config, problem) = match project_config(&root, &job.overrides) {
        Ok(config) => (config, None),
        Err(message) => (
            mezcheck::rules::selection::resolve(&FileConfig::default(), &job.overrides)
                .unwrap_or_default(),
            Some(message),
        ),
    };
    let display = root.to_string_lossy().into_owned();
    let checked = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let package = mezcheck::package::read_project_folder_with(&root, &display, &job.overlay)
            .map_err(|error| error.to_string())?;
        let mut checked = [mezcheck::check_package(package, &config)];
        mezcheck::check_packages(&mut checked, &[&config]);
        let [checked] = checked;
        Ok::<_, String>(by_file(&checked.report, job.encoding))
    }));
    match checked {
        Ok(Ok(diagnostics)) => ProjectOutcome {
            documents,
            diagnostics: Some(diagnostics),
            problem,
        },
        // The folder went away or cannot be listed: nothing to show there.
        Ok(Err(_)) => ProjectOutcome {
            documents,
            diagnostics: Some(BTreeMap::new()),
            problem,
        },
        Err(_) => ProjectOutcome {
            problem: Some(format!(
                "internal error while checking {display}, please report it with the project"
            )),
            documents,
            diagnostics: None,
        },
    }
}

/// `mezcheck.toml` found from the project upwards, as `mezcheck check` finds it, with the
/// client's initialization options over it. Read at every check, so edits apply at once.
fn project_config(root: &Path, overrides: &Overrides) -> Result<Config, String> {
    let file_config = match FileConfig::discover(root) {
        Some(path) => FileConfig::load(&path).map_err(|error| error.to_string())?,
        None => FileConfig::default(),
    };
    mezcheck::rules::selection::resolve(&file_config, overrides).map_err(|e| e.to_string())
}

/// The report's findings as protocol diagnostics, by the file they are shown on.
fn by_file(report: &PackageReport, encoding: Encoding) -> BTreeMap<PathBuf, Vec<LspDiagnostic>> {
    let mut converter = Converter {
        report,
        encoding,
        lines: HashMap::new(),
        section: section_document(report),
    };
    let mut out: BTreeMap<PathBuf, Vec<LspDiagnostic>> = BTreeMap::new();
    for diagnostic in &report.diagnostics {
        if let Some((path, converted)) = converter.convert(diagnostic) {
            out.entry(path).or_default().push(converted);
        }
    }
    for omitted in &report.omitted {
        let file = omitted
            .entry
            .as_deref()
            .and_then(|entry| report.sources.find(entry))
            .or(converter.section);
        if let Some((path, range)) = file.and_then(|file| converter.first_line(file)) {
            out.entry(path).or_default().push(LspDiagnostic {
                range,
                severity: Some(DiagnosticSeverity::INFORMATION),
                source: Some("mezcheck".to_owned()),
                message: format!("{} more findings not shown", omitted.count),
                ..LspDiagnostic::default()
            });
        }
    }
    out
}

/// The root section document's file, where findings about the package as a whole are shown.
fn section_document(report: &PackageReport) -> Option<FileId> {
    report
        .sources
        .iter()
        .find(|(_, file)| !file.name.contains('/') && is_section_document_name(&file.name))
        .map(|(id, _)| id)
}

struct Converter<'r> {
    report: &'r PackageReport,
    encoding: Encoding,
    lines: HashMap<FileId, LineIndex>,
    section: Option<FileId>,
}

impl Converter<'_> {
    fn convert(&mut self, diagnostic: &Diagnostic) -> Option<(PathBuf, LspDiagnostic)> {
        let mut related = Vec::new();
        let (file, range) = match &diagnostic.primary {
            Some(label) => (label.file, self.range(label.file, label.span)?),
            None => {
                let entry_file = diagnostic
                    .entry
                    .as_deref()
                    .and_then(|entry| self.report.sources.find(entry));
                let file = entry_file.or(self.section)?;
                if entry_file.is_none()
                    && let Some(location) = self.entry_location(diagnostic.entry.as_deref())
                {
                    related.push(DiagnosticRelatedInformation {
                        location,
                        message: "the entry this is about".to_owned(),
                    });
                }
                let (_, range) = self.first_line(file)?;
                (file, range)
            }
        };
        let path = self.path(file)?;
        for label in &diagnostic.secondary {
            let (Some(uri), Some(range)) = (
                self.path(label.file).and_then(|p| path_to_uri(&p)),
                self.range(label.file, label.span),
            ) else {
                continue;
            };
            related.push(DiagnosticRelatedInformation {
                location: Location { uri, range },
                message: label
                    .message
                    .clone()
                    .unwrap_or_else(|| "related".to_owned()),
            });
        }
        let code = diagnostic.rule.code;
        let suppressible = diagnostic.primary.is_some()
            && code != "PQ099"
            && matches!(
                mezcheck::package::file_extension(&path.to_string_lossy()).as_str(),
                "pq" | "pqm" | "m"
            );
        let data = json!({
            "suppress": suppressible,
            "fix": diagnostic.fix.as_ref().and_then(|fix| self.fix(fix)),
        });
        let converted = LspDiagnostic {
            range,
            severity: Some(match diagnostic.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Info => DiagnosticSeverity::INFORMATION,
                // A value that could not be checked statically: something to look at, not a
                // defect.
                Severity::Review => DiagnosticSeverity::HINT,
            }),
            code: Some(NumberOrString::String(code.to_owned())),
            code_description: explain_uri(code).map(|href| CodeDescription { href }),
            source: Some("mezcheck".to_owned()),
            message: message(diagnostic),
            related_information: (!related.is_empty()).then_some(related),
            tags: UNNECESSARY_RULES
                .contains(&code)
                .then(|| vec![DiagnosticTag::UNNECESSARY]),
            data: Some(data),
        };
        Some((path, converted))
    }

    fn fix(&mut self, fix: &mezcheck::diagnostic::Fix) -> Option<serde_json::Value> {
        let mut edits = Vec::new();
        for edit in &fix.edits {
            let uri = path_to_uri(&self.path(edit.file)?)?;
            let range = self.range(edit.file, edit.span)?;
            edits.push(json!({ "uri": uri, "range": range, "newText": edit.replacement }));
        }
        Some(json!({ "title": fix.title, "edits": edits }))
    }

    fn source(&self, file: FileId) -> &SourceFile {
        self.report.sources.get(file)
    }

    fn path(&self, file: FileId) -> Option<PathBuf> {
        self.source(file).path.as_deref().map(PathBuf::from)
    }

    fn range(&mut self, file: FileId, span: mezcheck::source::Span) -> Option<Range> {
        let source = self.report.sources.get(file);
        let span = source.clamp(span);
        let lines = self
            .lines
            .entry(file)
            .or_insert_with(|| LineIndex::new(&source.text));
        Some(lines.range(
            &source.text,
            span.start as usize,
            span.end as usize,
            self.encoding,
        ))
    }

    /// The first line of a file, where findings without a place go.
    fn first_line(&mut self, file: FileId) -> Option<(PathBuf, Range)> {
        let path = self.path(file)?;
        let source = self.report.sources.get(file);
        let lines = self
            .lines
            .entry(file)
            .or_insert_with(|| LineIndex::new(&source.text));
        let line = lines.line_range(&source.text, 0).unwrap_or(0..0);
        let range = lines.range(&source.text, line.start, line.end, self.encoding);
        Some((path, range))
    }

    /// The file an entry without text (an icon) is, for related information.
    fn entry_location(&self, entry: Option<&str>) -> Option<Location> {
        let disk_path = self.report.entry_paths.get(entry?)?;
        Some(Location {
            uri: path_to_uri(Path::new(disk_path))?,
            range: Range::default(),
        })
    }
}

/// The message with the help and notes under it: editors show no other place for them.
fn message(diagnostic: &Diagnostic) -> String {
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    for note in &diagnostic.notes {
        text.push_str("\nnote: ");
        text.push_str(note);
    }
    text
}

/// `command:mezcheck.explainRule?["PQ100"]`: a link clients that run server commands follow.
pub fn explain_uri(code: &str) -> Option<Uri> {
    format!("command:{EXPLAIN_COMMAND}?%5B%22{code}%22%5D")
        .parse()
        .ok()
}
