//! The command line: clap arguments, the `check` and `rule` commands, configuration lookup,
//! parallel checking with a panic net, and exit codes (0 clean, 1 findings, 2 usage errors).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use mezcheck::baseline::{Applied, Baseline};
use mezcheck::config::{Config, FileConfig, Overrides, Unverified};
use mezcheck::diagnostic::{MAX_FINDINGS_PER_FILE, PackageReport, Report, Severity};
use mezcheck::model::products::checklist::ChecklistItem;
use mezcheck::output::{Format, RenderOptions, RuleFormat};
use mezcheck::package::discover::{Input, discover};
use mezcheck::rules;

mod signing;

const EXIT_CLEAN: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_INTERNAL: u8 = 101;

#[derive(Parser)]
#[command(
    name = "mezcheck",
    version,
    about = "Validate Power Query custom connector packages against the certification requirements"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check packages, project folders or M files (the default command)
    Check(Box<CheckArgs>),
    /// Describe connectors: data source kinds, sign-in, functions, Get Data entry, icons
    Info(InfoArgs),
    /// Compare two versions of a connector: kinds, authentication, functions, Publish, navigation
    Diff(DiffArgs),
    /// Explain a rule, or list every rule with --all
    Rule(RuleArgs),
    /// Verify the digital signatures of .pqx packages
    Verify(signing::VerifyArgs),
    /// Build a .mez or unsigned .pqx from a project folder, as the SDK build would
    Pack(signing::PackArgs),
    /// Sign a .mez or .pqx into a signed .pqx
    Sign(signing::SignArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(CompletionsArgs),
    /// Run the language server over standard input and output, for editors
    Server(crate::server::ServerArgs),
}

#[derive(Args)]
struct CompletionsArgs {
    /// The shell to complete for
    shell: clap_complete::Shell,
}

#[derive(Args)]
struct InfoArgs {
    /// .mez/.pqx files, project folders, .pq/.m files, folders of packages, or - for stdin
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format (json uses the field names of PQTest info)
    #[arg(long, value_enum, default_value = "text")]
    output_format: InfoOutputFormat,
    /// Name of the package read from standard input (-)
    #[arg(long)]
    stdin_filename: Option<String>,
}

#[derive(Args)]
struct DiffArgs {
    /// The older version: a .mez/.pqx file, a project folder or a .pq/.m file
    old: PathBuf,
    /// The newer version
    new: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    output_format: InfoOutputFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum InfoOutputFormat {
    Text,
    Json,
}

#[derive(Args)]
struct CheckArgs {
    /// .mez/.pqx files, project folders, .pq/.m/.pqm files, folders of packages, or - for stdin
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(
        long,
        value_enum,
        env = "MEZCHECK_OUTPUT_FORMAT",
        default_value = "full"
    )]
    output_format: OutputFormat,
    /// Write the report to this file instead of standard output
    #[arg(short = 'o', long)]
    output_file: Option<PathBuf>,
    /// Rules to run: codes, code prefixes, names or ALL (comma-separated)
    #[arg(long, value_delimiter = ',')]
    select: Option<Vec<String>>,
    /// Rules to skip (comma-separated)
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Rules to run in addition to the selection (comma-separated)
    #[arg(long, value_delimiter = ',')]
    extend_select: Vec<String>,
    /// Override a rule's severity: CODE=error|warning|info|off (repeatable)
    #[arg(long, value_name = "CODE=LEVEL")]
    severity: Vec<String>,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum)]
    fail_on: Option<Level>,
    /// Report values that could not be checked statically (level `review`), or leave them out;
    /// they never fail a run
    #[arg(long, value_enum, value_name = "WHEN")]
    unverified: Option<UnverifiedChoice>,
    /// Exit 0 even when there are findings (usage errors still exit 2)
    #[arg(long)]
    exit_zero: bool,
    /// Report only findings this baseline file does not record
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record this run's findings in a baseline file (before --baseline filters them)
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// The previous release of the connector (package, folder or M file): the version and
    /// breaking changes are compared with it, as `mezcheck diff` does
    #[arg(long, value_name = "PATH")]
    previous: Option<PathBuf>,
    /// Use this configuration file instead of looking for mezcheck.toml
    #[arg(long, conflicts_with = "isolated")]
    config: Option<PathBuf>,
    /// Ignore configuration files
    #[arg(long)]
    isolated: bool,
    /// When to colour the output
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorChoice,
    /// Name of the package read from standard input (-)
    #[arg(long)]
    stdin_filename: Option<String>,
    /// Print counts per rule instead of findings
    #[arg(long)]
    statistics: bool,
    /// Packages checked in parallel (default: number of CPUs)
    #[arg(short = 'j', long)]
    jobs: Option<usize>,
    /// Do not print the summary line
    #[arg(short, long)]
    quiet: bool,
    /// This is a first submission: Publish.Beta must be true and no changelog is needed
    #[arg(long)]
    initial_release: bool,
    /// The submission's user documentation article (instead of looking next to the input)
    #[arg(long, value_name = "PATH")]
    docs: Option<PathBuf>,
    /// The submission's changelog (instead of looking next to the input)
    #[arg(long, value_name = "PATH")]
    changelog: Option<PathBuf>,
    /// Also print the certification items no tool can check, after the findings
    #[arg(long)]
    checklist: bool,
}

#[derive(Args)]
struct RuleArgs {
    /// A rule code (PQ211) or name (missing-test-connection)
    #[arg(required_unless_present = "all")]
    rule: Option<String>,
    /// List every rule
    #[arg(long, conflicts_with = "rule")]
    all: bool,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    output_format: RuleOutputFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Full,
    Concise,
    Msbuild,
    Json,
    JsonLines,
    Sarif,
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum RuleOutputFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum UnverifiedChoice {
    Show,
    Hide,
}

#[derive(Clone, Copy, ValueEnum)]
enum Level {
    Error,
    Warning,
    Info,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Parses the command line (inserting the default `check` command) and runs it.
pub fn run() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some((typed, command)) = args
        .get(1)
        .and_then(|a| a.to_str())
        .and_then(|first| mistyped_command(first).map(|command| (first, command)))
    {
        eprintln!(
            "mezcheck: `{typed}` is neither a command nor a file or folder; did you mean `{command}`?"
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let cli = match Cli::try_parse_from(with_default_command(args)) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_CLEAN
            });
        }
    };
    let outcome = match cli.command {
        Command::Check(args) => check(*args),
        Command::Info(args) => info(args),
        Command::Diff(args) => diff(args),
        Command::Rule(args) => rule(args),
        Command::Verify(args) => signing::verify_command(args),
        Command::Pack(args) => signing::pack_command(args),
        Command::Sign(args) => signing::sign_command(args),
        Command::Completions(args) => completions(args),
        Command::Server(args) => {
            // A panic while checking is reported in one line, as `check` does; the server
            // goes on.
            let _quiet_panics = install_panic_hook();
            Ok(crate::server::run(&args))
        }
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("mezcheck: {error:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// The commands, for `mezcheck X.mez` (a path, not a command) and for suggestions.
const COMMANDS: &[&str] = &[
    "check",
    "info",
    "diff",
    "rule",
    "verify",
    "pack",
    "sign",
    "completions",
    "server",
    "help",
];

/// The command `first` looks like a typo of: a bare word (no path separator or extension),
/// not an existing file or folder, a few edits from a command name.
fn mistyped_command(first: &str) -> Option<&'static str> {
    if COMMANDS.contains(&first)
        || first.starts_with('-')
        || first.contains(['/', '\\', '.'])
        || std::path::Path::new(first).exists()
    {
        return None;
    }
    let allowance = |command: &str| if command.len() <= 4 { 1 } else { 2 };
    mezcheck::suggest::nearest(first, COMMANDS.iter().copied(), true, allowance)
}

/// `mezcheck X.mez` means `mezcheck check X.mez`.
fn with_default_command(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let first = args.get(1).and_then(|a| a.to_str()).map(str::to_owned);
    let is_command = first.as_deref().is_some_and(|a| {
        COMMANDS.contains(&a) || matches!(a, "-h" | "--help" | "-V" | "--version")
    });
    if !is_command {
        args.insert(1.min(args.len()), "check".into());
    }
    args
}

/// The inputs under `paths`; folders without packages among them are warned about.
fn discover_inputs(paths: &[PathBuf]) -> Result<Vec<mezcheck::package::discover::Input>> {
    let discovered = discover(paths)?;
    for empty in &discovered.empty {
        eprintln!("mezcheck: warning: {empty}; skipped");
    }
    Ok(discovered.inputs)
}

/// `mezcheck completions SHELL`: the completion script on standard output.
fn completions(args: CompletionsArgs) -> Result<u8> {
    use clap::CommandFactory;
    let mut command = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut command, "mezcheck", &mut out);
    out.flush()?;
    Ok(EXIT_CLEAN)
}

/// Describes the one connector at `path` (a package, project folder or M file).
fn describe_one(path: &Path) -> Result<mezcheck::model::products::info::ExtensionInfo> {
    let inputs = discover_inputs(&[path.to_path_buf()])?;
    let input = match inputs.as_slice() {
        [input] => input,
        [] => bail!("{}: no connector found", path.display()),
        _ => bail!(
            "{}: holds {} packages; name one connector",
            path.display(),
            inputs.len()
        ),
    };
    let package = mezcheck::package::load(&input.path, &input.display)?;
    Ok(mezcheck::describe_package(package))
}

/// `mezcheck diff OLD NEW`: exits 1 when the release has a problem (breaking changes without a
/// major version bump, a version that did not move or went down).
fn diff(args: DiffArgs) -> Result<u8> {
    use mezcheck::model::products::diff;
    let old = describe_one(&args.old)?;
    let new = describe_one(&args.new)?;
    let compared = diff::diff(&old, &new);
    let text = match args.output_format {
        InfoOutputFormat::Text => diff::render_text(&compared),
        InfoOutputFormat::Json => {
            let mut text = serde_json::to_string_pretty(&compared)?;
            text.push('\n');
            text
        }
    };
    let mut out = std::io::stdout().lock();
    ignore_broken_pipe(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
        .context("cannot write to standard output")?;
    Ok(if compared.problems.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    })
}

fn info(args: InfoArgs) -> Result<u8> {
    let (stdin_requested, paths): (Vec<_>, Vec<_>) =
        args.paths.into_iter().partition(|p| p.as_os_str() == "-");
    let inputs = if paths.is_empty() {
        Vec::new()
    } else {
        discover_inputs(&paths)?
    };
    let mut infos = Vec::new();
    // A package that cannot be read is described as far as it goes, and the run exits 1.
    let mut unreadable = false;
    let is_unreadable = |package: &mezcheck::package::Package| {
        package
            .facts
            .iter()
            .any(|fact| matches!(fact, mezcheck::package::Fact::Unreadable { .. }))
    };
    for input in inputs {
        let package = mezcheck::package::load(&input.path, &input.display)?;
        unreadable |= is_unreadable(&package);
        infos.push(mezcheck::describe_package(package));
    }
    if !stdin_requested.is_empty() {
        let name = args
            .stdin_filename
            .unwrap_or_else(|| "stdin.mez".to_owned());
        let package = mezcheck::package::load_reader(std::io::stdin().lock(), &name)
            .context("cannot read standard input")?;
        unreadable |= is_unreadable(&package);
        infos.push(mezcheck::describe_package(package));
    }
    let format = match args.output_format {
        InfoOutputFormat::Text => mezcheck::output::info::InfoFormat::Text,
        InfoOutputFormat::Json => mezcheck::output::info::InfoFormat::Json,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written =
        mezcheck::output::info::render_info(&infos, format, &mut out).and_then(|()| out.flush());
    ignore_broken_pipe(written).context("cannot write to standard output")?;
    Ok(if unreadable {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

fn rule(args: RuleArgs) -> Result<u8> {
    let format = match args.output_format {
        RuleOutputFormat::Text => RuleFormat::Text,
        RuleOutputFormat::Json => RuleFormat::Json,
        RuleOutputFormat::Markdown => RuleFormat::Markdown,
    };
    let mut out = std::io::stdout().lock();
    let written = if args.all {
        mezcheck::output::render_rule_list(rules::ALL, format, &mut out)
    } else {
        let wanted = args.rule.unwrap_or_default();
        let found =
            mezcheck::rules::selection::resolve_selector(&wanted).map_err(|e| anyhow!(e))?;
        match found.as_slice() {
            [rule] => mezcheck::output::render_rule(rule, format, &mut out),
            _ => mezcheck::output::render_rule_list(&found, format, &mut out),
        }
    };
    ignore_broken_pipe(written.and_then(|()| out.flush()))?;
    Ok(EXIT_CLEAN)
}

/// What `--baseline` left out and what it no longer finds, for standard error.
fn baseline_notes(applied: &Applied, path: &Path) -> Vec<String> {
    let mut lines = Vec::new();
    let plural = |count: usize, one: &str, many: &str| {
        format!("{count} {}", if count == 1 { one } else { many })
    };
    if applied.known > 0 {
        lines.push(format!(
            "{} recorded in the baseline {} not shown",
            plural(applied.known, "finding", "findings"),
            path.display()
        ));
    }
    if applied.fixed > 0 {
        lines.push(format!(
            "{} of the baseline {} no longer found: fixed; remove {} with --write-baseline {}",
            plural(applied.fixed, "finding", "findings"),
            path.display(),
            if applied.fixed == 1 { "it" } else { "them" },
            path.display()
        ));
    }
    if applied.uncounted > 0 {
        lines.push(format!(
            "{} past the limit of {MAX_FINDINGS_PER_FILE} per file are counted but not listed, so the baseline cannot match them",
            plural(applied.uncounted, "finding", "findings"),
        ));
    }
    lines
}

fn check(args: CheckArgs) -> Result<u8> {
    for (flag, path) in [("--docs", &args.docs), ("--changelog", &args.changelog)] {
        if let Some(path) = path
            && !path.is_file()
        {
            bail!("{flag} {}: no such file", path.display());
        }
    }
    let overrides = overrides(&args)?;
    let baseline = match &args.baseline {
        Some(path) => Some(Baseline::load(path)?),
        None => None,
    };
    let previous = match &args.previous {
        Some(path) => Some(std::sync::Arc::new(describe_one(path)?)),
        None => None,
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (stdin_requested, paths): (Vec<_>, Vec<_>) =
        paths.into_iter().partition(|p| p.as_os_str() == "-");
    let inputs = discover_inputs(&paths)?;
    let configs = ConfigCache::new(&args, overrides);
    let mut jobs: Vec<Job> = Vec::new();
    for input in inputs {
        let config = configs.for_path(&input.path)?;
        jobs.push(Job {
            source: Source::Path(input),
            config,
            previous: previous.clone(),
        });
    }
    if !stdin_requested.is_empty() {
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| "stdin.mez".to_owned());
        let config = configs.for_path(Path::new(&name))?;
        jobs.push(Job {
            source: Source::Stdin(name),
            config,
            previous: previous.clone(),
        });
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let progress = Progress::new(
        jobs.len(),
        progress_wanted(
            std::io::stderr().is_terminal(),
            args.quiet,
            jobs.len(),
            |name| std::env::var_os(name),
        ),
    );
    let quiet_hook = install_panic_hook();
    let results: Vec<JobResult> = pool.install(|| {
        jobs.par_iter()
            .with_max_len(1)
            .map(|job| {
                let result = run_job(job);
                progress.tick();
                result
            })
            .collect()
    });
    progress.finish();
    drop(quiet_hook);
    let mut exit = EXIT_CLEAN;
    let mut reports = Vec::new();
    let mut report_configs = Vec::new();
    for (result, job) in results.into_iter().zip(&jobs) {
        match result {
            JobResult::Checked(checked) => {
                reports.push(*checked);
                report_configs.push(&*job.config);
            }
            JobResult::LoadError(message) => bail!(message),
            JobResult::Panicked(name) => {
                eprintln!(
                    "mezcheck: internal error while checking {name}, please report it with the package"
                );
                exit = EXIT_INTERNAL;
            }
        }
    }
    mezcheck::check_packages(&mut reports, &report_configs);
    if let Some(path) = &args.write_baseline {
        let recorded = Baseline::record(reports.iter().map(|checked| &checked.report));
        std::fs::write(path, recorded.to_json())
            .with_context(|| format!("cannot write the baseline {}", path.display()))?;
        let unlisted: usize = (reports.iter())
            .flat_map(|checked| &checked.report.omitted)
            .map(|omitted| omitted.count)
            .sum();
        if unlisted > 0 {
            eprintln!(
                "mezcheck: warning: {unlisted} findings past the limit of {MAX_FINDINGS_PER_FILE} per file are counted but not listed, so the baseline cannot record them"
            );
        }
    }
    let applied = baseline.map(|baseline| {
        let mut packages: Vec<&mut PackageReport> = reports
            .iter_mut()
            .map(|checked| &mut checked.report)
            .collect();
        // A recorded finding counts as fixed only if this run could have made it: its rule
        // ran for the package, and a value to review is shown.
        baseline.apply(&mut packages, |index, known| {
            let Some(config) = report_configs.get(index) else {
                return false;
            };
            let ran = rules::find(&known.code).is_some_and(|rule| config.severity(rule).is_some());
            ran && (known.severity != Severity::Review || config.unverified == Unverified::Show)
        })
    });
    if reports
        .iter()
        .zip(&report_configs)
        .any(|(checked, config)| checked.report.counts.any_at_least(config.fail_on))
    {
        exit = exit.max(EXIT_FINDINGS);
    }
    let mut checklists = Vec::new();
    let reports = reports
        .into_iter()
        .map(|checked| {
            checklists.push((checked.report.path.clone(), checked.checklist));
            checked.report
        })
        .collect();
    let report = Report::new(reports);
    write_report(&report, &checklists, &args)?;
    if let (Some(applied), Some(path)) = (applied, &args.baseline)
        && !args.quiet
    {
        for line in baseline_notes(&applied, path) {
            eprintln!("mezcheck: {line}");
        }
    }
    if args.exit_zero && exit == EXIT_FINDINGS {
        exit = EXIT_CLEAN;
    }
    Ok(exit)
}

fn write_report(
    report: &Report,
    checklists: &[(String, Vec<ChecklistItem>)],
    args: &CheckArgs,
) -> Result<()> {
    let format = match args.output_format {
        OutputFormat::Full => Format::Full,
        OutputFormat::Concise => Format::Concise,
        OutputFormat::Msbuild => Format::Msbuild,
        OutputFormat::Json => Format::Json,
        OutputFormat::JsonLines => Format::JsonLines,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::Github => Format::Github,
    };
    let to_terminal = args.output_file.is_none() && std::io::stdout().is_terminal();
    let options = RenderOptions {
        color: use_color(args.color, to_terminal),
        quiet: args.quiet,
        statistics: args.statistics,
    };
    match &args.output_file {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            mezcheck::output::render(report, format, &options, &mut out)
                .and_then(|()| render_checklist(checklists, format, &mut out))
                .and_then(|()| out.flush())
                .with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let written = mezcheck::output::render(report, format, &options, &mut out)
                .and_then(|()| render_checklist(checklists, format, &mut out))
                .and_then(|()| out.flush());
            ignore_broken_pipe(written).context("cannot write to standard output")
        }
    }
}

/// The checklist follows the findings in the human format; every other format is read by
/// machines (`concise` too, one finding per line), so there it goes to standard error.
fn render_checklist(
    checklists: &[(String, Vec<ChecklistItem>)],
    format: Format,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Full => mezcheck::output::checklist::render_checklist(checklists, out),
        _ => {
            mezcheck::output::checklist::render_checklist(checklists, &mut std::io::stderr().lock())
        }
    }
}

/// `NO_COLOR`, `CLICOLOR_FORCE`, `TERM=dumb` and `CLICOLOR` decide in `auto`; never colour off a
/// terminal.
fn use_color(choice: ColorChoice, to_terminal: bool) -> bool {
    color_from(choice, to_terminal, |name| std::env::var_os(name))
}

/// [`use_color`] with the environment given as a lookup.
fn color_from(
    choice: ColorChoice,
    to_terminal: bool,
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> bool {
    let set = |name: &str| var(name).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE") => true,
        ColorChoice::Auto if var("TERM").is_some_and(|term| term == "dumb") => false,
        ColorChoice::Auto => to_terminal && var("CLICOLOR").is_none_or(|v| v != "0"),
    }
}

/// Runs with fewer packages than this show no progress line: they end before one helps.
const PROGRESS_MIN_PACKAGES: usize = 20;
/// Least time between two updates of the progress line.
const PROGRESS_INTERVAL: std::time::Duration = std::time::Duration::from_millis(100);

/// Whether a run shows its progress on standard error: only on a terminal, outside CI
/// (`CI` set), without `--quiet` or `TERM=dumb`, and for runs of many packages. Pipes and CI
/// logs never get it.
fn progress_wanted(
    stderr_is_terminal: bool,
    quiet: bool,
    packages: usize,
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> bool {
    let in_ci = var("CI").is_some_and(|v| !v.is_empty() && v != "0" && v != "false");
    stderr_is_terminal
        && !quiet
        && !in_ci
        && packages >= PROGRESS_MIN_PACKAGES
        && var("TERM").is_none_or(|term| term != "dumb")
}

/// `checked 12/387 packages`, rewritten in place on standard error while the workers run.
struct Progress {
    total: usize,
    shown: bool,
    done: std::sync::atomic::AtomicUsize,
    last: std::sync::Mutex<Option<std::time::Instant>>,
}

impl Progress {
    fn new(total: usize, shown: bool) -> Progress {
        Progress {
            total,
            shown,
            done: std::sync::atomic::AtomicUsize::new(0),
            last: std::sync::Mutex::new(None),
        }
    }

    fn tick(&self) {
        let done = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if !self.shown {
            return;
        }
        // Another worker is writing: this update is skipped, a later one shows the count.
        let Ok(mut last) = self.last.try_lock() else {
            return;
        };
        if last.is_some_and(|at| at.elapsed() < PROGRESS_INTERVAL) && done < self.total {
            return;
        }
        *last = Some(std::time::Instant::now());
        eprint!("\r\x1b[2Kchecked {done}/{} packages", self.total);
    }

    fn finish(&self) {
        if self.shown {
            eprint!("\r\x1b[2K");
        }
    }
}

/// A closed pipe (`mezcheck … | head`) ends output quietly.
fn ignore_broken_pipe(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn overrides(args: &CheckArgs) -> Result<Overrides> {
    let mut severity = Vec::new();
    for item in &args.severity {
        let (code, level) = item.split_once('=').ok_or_else(|| {
            anyhow!("invalid --severity `{item}`: expected CODE=LEVEL, e.g. PQ305=error")
        })?;
        severity.push((code.trim().to_owned(), level.trim().to_owned()));
    }
    Ok(Overrides {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
        severity,
        initial_release: args.initial_release,
        docs: args.docs.clone(),
        changelog: args.changelog.clone(),
        checklist: args.checklist,
        unverified: args.unverified.map(|choice| match choice {
            UnverifiedChoice::Show => Unverified::Show,
            UnverifiedChoice::Hide => Unverified::Hide,
        }),
        fail_on: args.fail_on.map(|level| match level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Info,
        }),
    })
}

/// Resolved configurations by config file, so each file is read and checked once.
struct ConfigCache {
    explicit: Option<PathBuf>,
    isolated: bool,
    overrides: Overrides,
    resolved: std::sync::Mutex<BTreeMap<Option<PathBuf>, std::sync::Arc<Config>>>,
}

impl ConfigCache {
    fn new(args: &CheckArgs, overrides: Overrides) -> Self {
        ConfigCache {
            explicit: args.config.clone(),
            isolated: args.isolated,
            overrides,
            resolved: std::sync::Mutex::new(BTreeMap::new()),
        }
    }

    fn for_path(&self, path: &Path) -> Result<std::sync::Arc<Config>> {
        let file = match (&self.explicit, self.isolated) {
            (Some(explicit), _) => Some(explicit.clone()),
            (None, true) => None,
            (None, false) => FileConfig::discover(path),
        };
        let mut resolved = self
            .resolved
            .lock()
            .map_err(|_| anyhow!("configuration cache poisoned"))?;
        if let Some(config) = resolved.get(&file) {
            return Ok(config.clone());
        }
        let file_config = match &file {
            Some(path) => FileConfig::load(path)?,
            None => FileConfig::default(),
        };
        let config = std::sync::Arc::new(mezcheck::rules::selection::resolve(
            &file_config,
            &self.overrides,
        )?);
        resolved.insert(file, config.clone());
        Ok(config)
    }
}

enum Source {
    Path(Input),
    Stdin(String),
}

struct Job {
    source: Source,
    config: std::sync::Arc<Config>,
    /// The previous release to compare with (`--previous`).
    previous: Option<std::sync::Arc<mezcheck::model::products::info::ExtensionInfo>>,
}

enum JobResult {
    Checked(Box<mezcheck::Checked>),
    LoadError(String),
    Panicked(String),
}

/// Loads and checks one package under `catch_unwind`, so a bug in one rule cannot stop the run.
fn run_job(job: &Job) -> JobResult {
    let name = match &job.source {
        Source::Path(input) => input.display.clone(),
        Source::Stdin(name) => name.clone(),
    };
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let package = match &job.source {
            Source::Path(input) => {
                mezcheck::package::load(&input.path, &input.display).map_err(|e| e.to_string())
            }
            Source::Stdin(name) => mezcheck::package::load_reader(std::io::stdin().lock(), name)
                .map_err(|e| format!("cannot read standard input: {e}")),
        }?;
        Ok(mezcheck::check_release(
            package,
            &job.config,
            job.previous.clone(),
        ))
    }));
    match outcome {
        Ok(Ok(report)) => JobResult::Checked(Box::new(report)),
        Ok(Err(message)) => JobResult::LoadError(message),
        Err(_) => JobResult::Panicked(name),
    }
}

/// While checking, a panic prints our one line instead of the default backtrace message.
fn install_panic_hook() -> PanicHookGuard {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("mezcheck: bug: panic{location}");
    }));
    PanicHookGuard {
        previous: Some(previous),
    }
}

type PanicHook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send + 'static>;

struct PanicHookGuard {
    previous: Option<PanicHook>,
}

impl Drop for PanicHookGuard {
    fn drop(&mut self) {
        if let Some(previous) = self.previous.take() {
            std::panic::set_hook(previous);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ColorChoice, color_from, progress_wanted};

    /// An environment of these variables only.
    fn env(
        pairs: &'static [(&'static str, &'static str)],
    ) -> impl Fn(&str) -> Option<std::ffi::OsString> {
        move |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| std::ffi::OsString::from(value))
        }
    }

    /// Progress shows on a terminal for long runs only, never in CI, pipes, `--quiet` or
    /// `TERM=dumb`.
    #[test]
    fn progress_only_where_it_helps() {
        assert!(progress_wanted(true, false, 100, env(&[])));
        assert!(!progress_wanted(false, false, 100, env(&[])), "a pipe");
        assert!(!progress_wanted(true, true, 100, env(&[])), "--quiet");
        assert!(!progress_wanted(true, false, 3, env(&[])), "a short run");
        assert!(!progress_wanted(true, false, 100, env(&[("CI", "true")])));
        assert!(progress_wanted(true, false, 100, env(&[("CI", "false")])));
        assert!(!progress_wanted(true, false, 100, env(&[("TERM", "dumb")])));
    }

    /// `auto` colours a terminal unless `NO_COLOR`, `TERM=dumb` or `CLICOLOR=0` say not to;
    /// `CLICOLOR_FORCE` colours anything unless `NO_COLOR` is set.
    #[test]
    fn colour_choice() {
        assert!(color_from(ColorChoice::Auto, true, env(&[])));
        assert!(!color_from(ColorChoice::Auto, false, env(&[])));
        assert!(!color_from(
            ColorChoice::Auto,
            true,
            env(&[("TERM", "dumb")])
        ));
        assert!(!color_from(
            ColorChoice::Auto,
            true,
            env(&[("NO_COLOR", "1")])
        ));
        assert!(!color_from(
            ColorChoice::Auto,
            true,
            env(&[("CLICOLOR", "0")])
        ));
        assert!(color_from(
            ColorChoice::Auto,
            false,
            env(&[("CLICOLOR_FORCE", "1")])
        ));
        assert!(color_from(
            ColorChoice::Always,
            false,
            env(&[("TERM", "dumb")])
        ));
    }
}
