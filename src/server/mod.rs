//! `mezcheck server`: a Language Server Protocol server over standard input and output.
//!
//! Three threads besides the main loop: a reader that frames messages (see [`transport`]), a
//! writer that sends them, and a checking thread (see [`worker`]). The main loop keeps the open
//! buffers, answers requests at once, and after [`DEBOUNCE`] without edits hands the checking
//! thread a job with a new generation number; results of an older generation are dropped, so
//! a check that typing overtook is never shown. Diagnostics go to open documents only: a file
//! that closes, or whose problems are fixed, gets an empty list.
//!
//! It does not format, complete or navigate M: that is the M language service's job.

mod actions;
mod convert;
mod transport;
mod worker;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notify, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionParams,
    CodeActionProviderCapability, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidChangeWorkspaceFoldersParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, ExecuteCommandOptions,
    ExecuteCommandParams, FileSystemWatcher, GlobPattern, HoverParams, HoverProviderCapability,
    InitializeParams, InitializeResult, MessageType, PositionEncodingKind,
    PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions, ServerCapabilities,
    ServerInfo, ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri, WorkspaceFoldersServerCapabilities,
    WorkspaceServerCapabilities,
};
use mezcheck::config::{FileConfig, Overrides};
use mezcheck::package::Overlay;
use serde::Deserialize;

use convert::{Encoding, LineIndex, uri_to_path};

/// Quiet time after the last edit before a check starts: long enough that a burst of
/// keystrokes makes one check, short enough that findings follow typing.
const DEBOUNCE: Duration = Duration::from_millis(100);
/// Bytes re-indexed while applying one `didChange`, at most (see `Server::change`).
const MAX_CHANGE_WORK_BYTES: usize = 1 << 30;
/// Files whose changes (on disk or in a buffer) can change what a project's check finds.
const WATCHED_EXTENSIONS: &[&str] = &["pq", "pqm", "m", "resx", "png", "proj", "mproj", "md"];
/// The glob the client is asked to watch.
const WATCH_GLOB: &str = "**/{*.pq,*.pqm,*.m,*.resx,*.png,*.proj,*.mproj,*.md,mezcheck.toml}";

const EXIT_CLEAN: u8 = 0;
const EXIT_WITHOUT_SHUTDOWN: u8 = 1;

/// Arguments of `mezcheck server`.
#[derive(clap::Args)]
pub struct ServerArgs {
    /// Talk over standard input and output (the only transport; accepted for clients that
    /// pass it)
    #[arg(long)]
    stdio: bool,
}

/// What the main loop waits for.
pub enum Event {
    Frame(transport::Frame),
    /// Standard input ended or failed.
    Closed,
    Checked(worker::Outcome),
}

/// What the writer thread sends.
enum Outgoing {
    Message(Message),
    Error {
        id: serde_json::Value,
        code: i32,
        message: String,
    },
}

/// The `initializationOptions` the server reads; every field is optional, and settings of the
/// client's other features are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct InitOptions {
    select: Option<Vec<String>>,
    extend_select: Vec<String>,
    ignore: Vec<String>,
    severity: BTreeMap<String, String>,
}

/// Runs the server until `exit` or the end of standard input; returns the exit code.
pub fn run(args: &ServerArgs) -> u8 {
    let _ = args.stdio;
    let (events, incoming) = mpsc::channel::<Event>();
    let (out, outgoing) = mpsc::channel::<Outgoing>();
    let (jobs, job_queue) = mpsc::channel::<worker::Job>();
    let reader_events = events.clone();
    let reader = std::thread::Builder::new()
        .name("mezcheck-read".to_owned())
        .spawn(move || read_loop(&reader_events));
    let writer = std::thread::Builder::new()
        .name("mezcheck-write".to_owned())
        .spawn(move || write_loop(&outgoing));
    let checker = worker::spawn(job_queue, events);
    let (Ok(_reader), Ok(writer), Ok(_checker)) = (reader, writer, checker) else {
        eprintln!("mezcheck: cannot start the server's threads");
        return EXIT_WITHOUT_SHUTDOWN;
    };
    let mut server = Server::new(out, jobs);
    let code = server.main_loop(&incoming);
    drop(server);
    let _ = writer.join();
    code
}

fn read_loop(events: &Sender<Event>) {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    loop {
        match transport::read_frame(&mut input) {
            Ok(transport::Frame::Closed) | Err(_) => {
                let _ = events.send(Event::Closed);
                return;
            }
            Ok(frame) => {
                if events.send(Event::Frame(frame)).is_err() {
                    return;
                }
            }
        }
    }
}

fn write_loop(outgoing: &Receiver<Outgoing>) {
    let stdout = std::io::stdout();
    let mut output = stdout.lock();
    for message in outgoing {
        let written = match &message {
            Outgoing::Message(message) => transport::write_message(&mut output, message),
            Outgoing::Error { id, code, message } => {
                transport::write_error(&mut output, id, *code, message)
            }
        };
        if written.is_err() {
            return;
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lifecycle {
    Uninitialized,
    Running,
    ShuttingDown,
}

/// An open document.
struct Document {
    uri: Uri,
    version: i32,
    text: String,
    lines: LineIndex,
}

struct Server {
    out: Sender<Outgoing>,
    jobs: Sender<worker::Job>,
    lifecycle: Lifecycle,
    encoding: Encoding,
    capabilities: ClientCapabilities,
    workspace_folders: Vec<PathBuf>,
    overrides: Overrides,
    documents: BTreeMap<PathBuf, Document>,
    /// The last version and list published per document, so they are not sent again.
    published: HashMap<Uri, (i32, Vec<lsp_types::Diagnostic>)>,
    generation: u64,
    check_at: Option<Instant>,
    /// Problems already shown, so a broken configuration is not announced at every keystroke.
    shown_problems: Vec<String>,
    next_request: i32,
}

impl Server {
    fn new(out: Sender<Outgoing>, jobs: Sender<worker::Job>) -> Self {
        Server {
            out,
            jobs,
            lifecycle: Lifecycle::Uninitialized,
            encoding: Encoding::Utf16,
            capabilities: ClientCapabilities::default(),
            workspace_folders: Vec::new(),
            overrides: Overrides::default(),
            documents: BTreeMap::new(),
            published: HashMap::new(),
            generation: 0,
            check_at: None,
            shown_problems: Vec::new(),
            next_request: 0,
        }
    }

    fn main_loop(&mut self, incoming: &Receiver<Event>) -> u8 {
        loop {
            let event = match self.check_at {
                Some(at) => {
                    match incoming.recv_timeout(at.saturating_duration_since(Instant::now())) {
                        Ok(event) => event,
                        Err(RecvTimeoutError::Timeout) => {
                            self.start_check();
                            continue;
                        }
                        Err(RecvTimeoutError::Disconnected) => return EXIT_WITHOUT_SHUTDOWN,
                    }
                }
                None => match incoming.recv() {
                    Ok(event) => event,
                    Err(_) => return EXIT_WITHOUT_SHUTDOWN,
                },
            };
            match event {
                Event::Frame(transport::Frame::Message(message)) => {
                    if let Some(code) = self.handle(message) {
                        return code;
                    }
                }
                Event::Frame(transport::Frame::Invalid { id, code, message }) => {
                    self.send(Outgoing::Error { id, code, message });
                }
                Event::Frame(transport::Frame::Closed) | Event::Closed => {
                    return match self.lifecycle {
                        Lifecycle::ShuttingDown => EXIT_CLEAN,
                        _ => EXIT_WITHOUT_SHUTDOWN,
                    };
                }
                Event::Checked(outcome) => self.publish(outcome),
            }
        }
    }

    /// Handles one message; `Some(code)` when the server must exit.
    fn handle(&mut self, message: Message) -> Option<u8> {
        match message {
            Message::Request(request) => {
                self.request(request);
                None
            }
            Message::Notification(notification) if notification.method == notify::Exit::METHOD => {
                Some(match self.lifecycle {
                    Lifecycle::ShuttingDown => EXIT_CLEAN,
                    _ => EXIT_WITHOUT_SHUTDOWN,
                })
            }
            Message::Notification(notification) => {
                if self.lifecycle == Lifecycle::Running {
                    self.notification(notification);
                }
                None
            }
            // Answers to the server's own requests (the watcher registration) need nothing.
            Message::Response(_) => None,
        }
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        match (self.lifecycle, request.method.as_str()) {
            (Lifecycle::Uninitialized, req::Initialize::METHOD) => self.initialize(request),
            (Lifecycle::Uninitialized, _) => self.error(
                id,
                ErrorCode::ServerNotInitialized,
                "the server is not initialized",
            ),
            (Lifecycle::ShuttingDown, _) => {
                self.error(id, ErrorCode::InvalidRequest, "the server is shutting down")
            }
            (Lifecycle::Running, req::Initialize::METHOD) => self.error(
                id,
                ErrorCode::InvalidRequest,
                "the server is already initialized",
            ),
            (Lifecycle::Running, req::Shutdown::METHOD) => {
                self.lifecycle = Lifecycle::ShuttingDown;
                self.check_at = None;
                self.respond(id, serde_json::Value::Null);
            }
            (Lifecycle::Running, req::CodeActionRequest::METHOD) => {
                self.with_params(request, |server, params| server.code_action(params))
            }
            (Lifecycle::Running, req::HoverRequest::METHOD) => {
                self.with_params(request, |server, params| server.hover(params))
            }
            (Lifecycle::Running, req::ExecuteCommand::METHOD) => {
                self.with_params(request, |server, params| server.execute_command(params))
            }
            (Lifecycle::Running, _) => self.error(
                id,
                ErrorCode::MethodNotFound,
                &format!("unknown method `{}`", request.method),
            ),
        }
    }

    /// Reads a request's parameters and answers with the handler's result, or with an
    /// invalid-params error.
    fn with_params<P: serde::de::DeserializeOwned, R: serde::Serialize>(
        &mut self,
        request: Request,
        handler: impl FnOnce(&mut Self, P) -> R,
    ) {
        match serde_json::from_value::<P>(request.params) {
            Ok(params) => {
                let result = handler(self, params);
                self.respond(request.id, result);
            }
            Err(error) => self.error(
                request.id,
                ErrorCode::InvalidParams,
                &format!("invalid parameters: {error}"),
            ),
        }
    }

    fn initialize(&mut self, request: Request) {
        let params: InitializeParams = match serde_json::from_value(request.params) {
            Ok(params) => params,
            Err(error) => {
                return self.error(
                    request.id,
                    ErrorCode::InvalidParams,
                    &format!("invalid initialize parameters: {error}"),
                );
            }
        };
        let offers_utf8 = params
            .capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_ref())
            .is_some_and(|encodings| encodings.contains(&PositionEncodingKind::UTF8));
        self.encoding = if offers_utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        self.workspace_folders = initial_folders(&params);
        self.overrides = self.init_overrides(params.initialization_options);
        self.capabilities = params.capabilities;
        let result = InitializeResult {
            capabilities: capabilities(self.encoding),
            server_info: Some(ServerInfo {
                name: "mezcheck".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
        };
        self.lifecycle = Lifecycle::Running;
        self.respond(request.id, result);
    }

    /// The client's select/ignore/severity overrides, or none (with a message) when they are
    /// not valid.
    fn init_overrides(&mut self, options: Option<serde_json::Value>) -> Overrides {
        let options = match options {
            None | Some(serde_json::Value::Null) => return Overrides::default(),
            Some(value) => serde_json::from_value::<InitOptions>(value).map_err(|e| e.to_string()),
        };
        let overrides = options.map(|options| Overrides {
            select: options.select,
            extend_select: options.extend_select,
            ignore: options.ignore,
            severity: options.severity.into_iter().collect(),
            ..Overrides::default()
        });
        let checked = overrides.and_then(|overrides| {
            mezcheck::rules::selection::resolve(&FileConfig::default(), &overrides)
                .map(|_| overrides)
                .map_err(|e| e.to_string())
        });
        match checked {
            Ok(overrides) => overrides,
            Err(error) => {
                self.show(
                    MessageType::ERROR,
                    format!("mezcheck: initialization options ignored: {error}"),
                );
                Overrides::default()
            }
        }
    }

    fn notification(&mut self, notification: Notification) {
        let method = notification.method.clone();
        let params = notification.params;
        match method.as_str() {
            notify::Initialized::METHOD => self.register_watchers(),
            notify::DidOpenTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidOpenTextDocumentParams>(params) {
                    self.open(params);
                }
            }
            notify::DidChangeTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidChangeTextDocumentParams>(params) {
                    self.change(params);
                }
            }
            notify::DidCloseTextDocument::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidCloseTextDocumentParams>(params) {
                    self.close(params);
                }
            }
            notify::DidSaveTextDocument::METHOD => self.schedule(),
            notify::DidChangeWatchedFiles::METHOD => {
                if let Ok(params) = serde_json::from_value::<DidChangeWatchedFilesParams>(params)
                    && params.changes.iter().any(|change| is_watched(&change.uri))
                {
                    self.schedule();
                }
            }
            notify::DidChangeWorkspaceFolders::METHOD => {
                if let Ok(params) =
                    serde_json::from_value::<DidChangeWorkspaceFoldersParams>(params)
                {
                    let removed: Vec<PathBuf> = params
                        .event
                        .removed
                        .iter()
                        .filter_map(|folder| uri_to_path(&folder.uri))
                        .collect();
                    self.workspace_folders.retain(|f| !removed.contains(f));
                    self.workspace_folders.extend(
                        params
                            .event
                            .added
                            .iter()
                            .filter_map(|folder| uri_to_path(&folder.uri)),
                    );
                    self.schedule();
                }
            }
            // `$/cancelRequest`, `$/setTrace`, configuration changes: nothing to do, every
            // request is answered at once and the configuration is read from its file.
            _ => {}
        }
    }

    fn open(&mut self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        let Some(path) = uri_to_path(&document.uri).filter(|path| is_watched_path(path)) else {
            return;
        };
        self.documents.insert(
            path,
            Document {
                lines: LineIndex::new(&document.text),
                uri: document.uri,
                version: document.version,
                text: document.text,
            },
        );
        self.schedule();
    }

    fn change(&mut self, params: DidChangeTextDocumentParams) {
        let Some(path) = uri_to_path(&params.text_document.uri) else {
            return;
        };
        let encoding = self.encoding;
        let Some(document) = self.documents.get_mut(&path) else {
            return;
        };
        // Each change re-indexes the lines of the whole text: past this much work in one
        // notification, the buffer is dropped (its file on disk is checked) rather than let
        // one message cost quadratic time.
        let mut work = 0usize;
        for change in params.content_changes {
            work = work.saturating_add(document.text.len() + change.text.len());
            if work > MAX_CHANGE_WORK_BYTES {
                self.documents.remove(&path);
                self.show(
                    MessageType::WARNING,
                    format!(
                        "mezcheck: one edit of {} changes too much at once to follow; reopen the file",
                        path.display()
                    ),
                );
                self.schedule();
                return;
            }
            match change.range {
                Some(range) => {
                    let start = document.lines.offset(&document.text, range.start, encoding);
                    let end = document
                        .lines
                        .offset(&document.text, range.end, encoding)
                        .max(start);
                    document.text.replace_range(start..end, &change.text);
                }
                None => document.text = change.text,
            }
            document.lines = LineIndex::new(&document.text);
        }
        document.version = params.text_document.version;
        self.schedule();
    }

    fn close(&mut self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if let Some(path) = uri_to_path(&uri) {
            self.documents.remove(&path);
        }
        if self
            .published
            .remove(&uri)
            .is_some_and(|(_, shown)| !shown.is_empty())
        {
            self.send_diagnostics(uri, Vec::new(), None);
        }
        // Other open files may have relied on the buffer's unsaved text.
        self.schedule();
    }

    /// A check after the debounce. Any result still on its way is already stale: it was made
    /// from older text, so the generation moves now, not when the check starts.
    fn schedule(&mut self) {
        if self.lifecycle == Lifecycle::Running {
            self.generation += 1;
            self.check_at = Some(Instant::now() + DEBOUNCE);
        }
    }

    fn start_check(&mut self) {
        self.check_at = None;
        let mut overlay = Overlay::new();
        for (path, document) in &self.documents {
            overlay.insert(path.clone(), document.text.as_bytes());
        }
        let job = worker::Job {
            generation: self.generation,
            documents: self.documents.keys().cloned().collect(),
            workspace_folders: self.workspace_folders.clone(),
            overlay: Arc::new(overlay),
            overrides: self.overrides.clone(),
            encoding: self.encoding,
        };
        let _ = self.jobs.send(job);
    }

    fn publish(&mut self, outcome: worker::Outcome) {
        if outcome.generation != self.generation || self.lifecycle != Lifecycle::Running {
            return;
        }
        let mut covered = Vec::new();
        for project in outcome.projects {
            if let Some(problem) = project.problem
                && !self.shown_problems.contains(&problem)
            {
                self.show(MessageType::ERROR, format!("mezcheck: {problem}"));
                self.shown_problems.push(problem);
            }
            let Some(mut diagnostics) = project.diagnostics else {
                covered.extend(project.documents);
                continue;
            };
            for path in project.documents {
                let found = diagnostics.remove(&path).unwrap_or_default();
                self.update(&path, found);
                covered.push(path);
            }
        }
        // Open documents in no connector project show nothing.
        let outside: Vec<PathBuf> = self
            .documents
            .keys()
            .filter(|path| !covered.contains(path))
            .cloned()
            .collect();
        for path in outside {
            self.update(&path, Vec::new());
        }
    }

    /// Publishes a document's diagnostics unless it already shows exactly these for its
    /// version.
    fn update(&mut self, path: &PathBuf, mut diagnostics: Vec<lsp_types::Diagnostic>) {
        let Some(document) = self.documents.get(path) else {
            return;
        };
        let uri = document.uri.clone();
        let version = document.version;
        // Each diagnostic says which text it was made from: its code actions are offered only
        // while the document is still that text.
        for diagnostic in &mut diagnostics {
            if let Some(serde_json::Value::Object(data)) = &mut diagnostic.data {
                data.insert("version".to_owned(), version.into());
            }
        }
        // Each version is published once, empty or not, so the client knows which text the
        // list is about; a re-check of the same version sends only a changed list.
        let unchanged = self
            .published
            .get(&uri)
            .is_some_and(|(shown_version, shown)| {
                *shown_version == version && *shown == diagnostics
            });
        if unchanged {
            return;
        }
        self.published
            .insert(uri.clone(), (version, diagnostics.clone()));
        self.send_diagnostics(uri, diagnostics, Some(version));
    }

    fn send_diagnostics(
        &self,
        uri: Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.notify(notify::PublishDiagnostics::METHOD, params);
    }

    fn code_action(&mut self, params: CodeActionParams) -> Vec<lsp_types::CodeActionOrCommand> {
        let Some(document) =
            uri_to_path(&params.text_document.uri).and_then(|path| self.documents.get(&path))
        else {
            return Vec::new();
        };
        let text = actions::Text {
            uri: &document.uri,
            text: &document.text,
            lines: &document.lines,
            encoding: self.encoding,
        };
        // Edits made from older text would land in the wrong place: a diagnostic of another
        // version gets none (its replacement is on its way).
        let current: Vec<lsp_types::Diagnostic> = (params.context.diagnostics.into_iter())
            .filter(|d| {
                d.data
                    .as_ref()
                    .and_then(|data| data.get("version"))
                    .and_then(serde_json::Value::as_i64)
                    .is_some_and(|v| v == i64::from(document.version))
            })
            .collect();
        actions::code_actions(&text, &current)
    }

    fn hover(&mut self, params: HoverParams) -> Option<lsp_types::Hover> {
        let position = params.text_document_position_params;
        let path = uri_to_path(&position.text_document.uri)?;
        let document = self.documents.get(&path)?;
        let text = actions::Text {
            uri: &document.uri,
            text: &document.text,
            lines: &document.lines,
            encoding: self.encoding,
        };
        actions::hover(&text, position.position)
    }

    /// `mezcheck.explainRule [CODE]`: answers with the rule's explanation (Markdown) and shows
    /// its first line.
    fn execute_command(&mut self, params: ExecuteCommandParams) -> Option<String> {
        if params.command != worker::EXPLAIN_COMMAND {
            return None;
        }
        let code = params.arguments.first()?.as_str()?.to_owned();
        let explanation = actions::explanation(&code);
        if let Some(rule) = mezcheck::rules::find(&code) {
            self.show(
                MessageType::INFO,
                format!(
                    "{} {}: {} (`mezcheck rule {}` explains it)",
                    rule.code,
                    rule.name,
                    rule.summary(),
                    rule.code
                ),
            );
        }
        Some(explanation)
    }

    /// Asks the client to report changes of the files a check reads, when it can watch them.
    fn register_watchers(&mut self) {
        let dynamic = self
            .capabilities
            .workspace
            .as_ref()
            .and_then(|workspace| workspace.did_change_watched_files.as_ref())
            .and_then(|watched| watched.dynamic_registration)
            .unwrap_or(false);
        if !dynamic {
            return;
        }
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String(WATCH_GLOB.to_owned()),
                kind: None,
            }],
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "mezcheck-watched-files".to_owned(),
                method: notify::DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_request += 1;
        let request = Request::new(
            RequestId::from(format!("mezcheck-{}", self.next_request)),
            req::RegisterCapability::METHOD.to_owned(),
            params,
        );
        self.send(Outgoing::Message(Message::Request(request)));
    }

    fn show(&self, kind: MessageType, message: String) {
        self.notify(
            notify::ShowMessage::METHOD,
            ShowMessageParams { typ: kind, message },
        );
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        let notification = Notification::new(method.to_owned(), params);
        self.send(Outgoing::Message(Message::Notification(notification)));
    }

    fn respond(&self, id: RequestId, result: impl serde::Serialize) {
        let response = match serde_json::to_value(result) {
            Ok(value) => Response {
                id,
                response_result: Ok(value),
            },
            Err(error) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("cannot encode the result: {error}"),
            ),
        };
        self.send(Outgoing::Message(Message::Response(response)));
    }

    fn error(&self, id: RequestId, code: ErrorCode, message: &str) {
        let response = Response::new_err(id, code as i32, message.to_owned());
        self.send(Outgoing::Message(Message::Response(response)));
    }

    fn send(&self, message: Outgoing) {
        let _ = self.out.send(message);
    }
}

/// The server's capabilities: incremental sync, quick fixes, hover and the explain command.
fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![worker::EXPLAIN_COMMAND.to_owned()],
            ..ExecuteCommandOptions::default()
        }),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(lsp_types::OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

/// The workspace folders of `initialize`, or its deprecated root URI.
#[allow(deprecated)]
fn initial_folders(params: &InitializeParams) -> Vec<PathBuf> {
    match &params.workspace_folders {
        Some(folders) => folders
            .iter()
            .filter_map(|folder| uri_to_path(&folder.uri))
            .collect(),
        None => params
            .root_uri
            .as_ref()
            .and_then(uri_to_path)
            .into_iter()
            .collect(),
    }
}

fn is_watched(uri: &Uri) -> bool {
    uri_to_path(uri).is_some_and(|path| {
        is_watched_path(&path)
            || path
                .file_name()
                .is_some_and(|name| name == mezcheck::config::CONFIG_FILE_NAME)
    })
}

fn is_watched_path(path: &std::path::Path) -> bool {
    let extension = mezcheck::package::file_extension(&path.to_string_lossy());
    WATCHED_EXTENSIONS.contains(&extension.as_str())
}
