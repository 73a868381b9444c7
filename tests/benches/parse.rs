//! Parse throughput of the M parser, in MB/s, on a large generated connector and on every
//! `.pq`/`.pqm`/`.m` file under `samples/`.
//!
//! `cargo bench --bench parse` runs the default report. Extra modes, for comparisons with the
//! reference parser and for scaling and memory measurements (run the built bench binary):
//! `-- --write DIR MB` writes the generated corpus (files of about 1 MB) to `DIR`;
//! `-- --files PATH...` parses files from disk; `-- --scaling` parses 1, 4, 16 and 64 MB;
//! `-- --write-single FILE MB` writes one file of `MB` MiB; `-- --once MB` generates and
//! parses once; `-- --verdicts PATH...` prints one JSON line per file (accepted or not, and
//! where the first error is), for `peer.sh --verdicts` to compare with the reference parser.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use mezcheck::syntax::parse;

/// The allocator of the `mezcheck` binary, so the figures are those of the product.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .collect();
    match args.first().map(String::as_str) {
        Some("--write") => write_corpus(&args),
        Some("--files") => {
            let files = args
                .iter()
                .skip(1)
                .flat_map(|arg| collect(Path::new(arg)))
                .collect();
            report_files("files", files, 3);
        }
        Some("--verdicts") => verdicts(&args),
        Some("--scaling") => scaling(),
        Some("--write-single") => write_single(&args),
        Some("--hostile") => hostile(),
        Some("--once") => once(&args),
        _ => default_report(),
    }
}

fn default_report() {
    let corpus = generate(8 << 20);
    report("generated connector", &[corpus], 5);
    hostile();
    let samples = collect(Path::new("samples"));
    if samples.is_empty() {
        println!("samples/: no M files");
    } else {
        report_files("samples/", samples, 5);
    }
}

fn report_files(label: &str, files: Vec<PathBuf>, rounds: usize) {
    let texts: Vec<String> = files
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    report(&format!("{label} ({} files)", texts.len()), &texts, rounds);
}

/// Parses all `texts` `rounds` times (after one warm-up) and prints best and mean MB/s.
fn report(label: &str, texts: &[String], rounds: usize) {
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut errors = 0;
    for text in texts {
        errors += parse(text).errors.len();
    }
    let mut seconds = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let start = Instant::now();
        for text in texts {
            std::hint::black_box(parse(text));
        }
        seconds.push(start.elapsed().as_secs_f64());
    }
    let best = seconds.iter().copied().fold(f64::INFINITY, f64::min);
    let mean = seconds.iter().sum::<f64>() / seconds.len().max(1) as f64;
    let mb = bytes as f64 / 1e6;
    println!(
        "{label}: {mb:.2} MB, best {:.1} MB/s, mean {:.1} MB/s, {errors} errors",
        mb / best,
        mb / mean
    );
}

/// One JSON line per file: `{"file", "ok", "line", "column", "message"}`, with the first
/// error's 1-based line and UTF-16 column, as the reference harness reports them.
fn verdicts(args: &[String]) {
    let files: Vec<PathBuf> = args
        .iter()
        .skip(1)
        .flat_map(|arg| collect(Path::new(arg)))
        .collect();
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let parse = parse(&text);
        let mut line = serde_json::json!({
            "file": path.display().to_string(),
            "ok": parse.errors.is_empty(),
            "errors": parse.errors.len(),
        });
        if let Some(error) = parse.errors.first() {
            let offset = (error.span.start as usize).min(text.len());
            let before = text.get(..offset).unwrap_or_default();
            let line_start = before.rfind('\n').map_or(0, |n| n + 1);
            let column = before
                .get(line_start..)
                .map_or(0, |s| s.encode_utf16().count());
            line["line"] = (before.matches('\n').count() + 1).into();
            line["column"] = (column + 1).into();
            line["message"] = error.message.clone().into();
            line["offset"] = offset.into();
        }
        println!("{line}");
    }
}

fn scaling() {
    for mb in [1, 4, 16, 64] {
        let corpus = generate(mb << 20);
        report(&format!("scaling {mb:>2} MiB"), &[corpus], 3);
    }
}

fn once(args: &[String]) {
    let mb: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(8);
    let corpus = generate(mb << 20);
    let start = Instant::now();
    let parse = parse(&corpus);
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{mb} MiB once: {:.1} MB/s, {} errors",
        corpus.len() as f64 / 1e6 / seconds,
        parse.errors.len()
    );
}

fn write_corpus(args: &[String]) {
    let dir = PathBuf::from(args.get(1).map_or("/tmp/corpus", String::as_str));
    let mb: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(8);
    let _ = std::fs::create_dir_all(&dir);
    for index in 0..mb {
        let text = generate_seeded(1 << 20, index as u64 + 1);
        let path = dir.join(format!("Gen{index:03}.pq"));
        if let Err(error) = std::fs::write(&path, text) {
            eprintln!("cannot write {}: {error}", path.display());
        }
    }
    println!("wrote {mb} files of about 1 MiB to {}", dir.display());
}

/// Time to the outcome for each hostile input of the robustness notes.
fn hostile() {
    const DEEP: usize = 100_000;
    let cases: Vec<(&str, String)> = vec![
        ("100k (", "(".repeat(DEEP)),
        ("100k [a=", "[a=".repeat(DEEP)),
        ("100k {", "{".repeat(DEEP)),
        ("100k - (flat)", format!("{}1", "- ".repeat(DEEP))),
        ("100k each", "each ".repeat(DEEP)),
        ("100k f(", "f(".repeat(DEEP)),
        (
            "100k function types",
            format!("type {}", "function (x as ".repeat(DEEP)),
        ),
        ("200k-term + chain", format!("1{}", " + 1".repeat(199_999))),
        ("1 MiB line", format!("{{{}1}}", "1, ".repeat(350_000))),
        (
            "4 MB of comments",
            format!("1 {}+ 1", "/* */".repeat(800_000)),
        ),
        (
            "binary junk",
            (0..1_000_000u32)
                .map(|i| char::from_u32((i * 7919) % 0x3000).unwrap_or('?'))
                .collect(),
        ),
        (
            "NUL-interleaved",
            "section S; A = 1;"
                .chars()
                .flat_map(|c| [c, '\0'])
                .collect::<String>()
                .repeat(30_000),
        ),
    ];
    for (label, text) in cases {
        let start = Instant::now();
        let parse = parse(&text);
        let outcome = parse
            .errors
            .first()
            .map_or_else(|| "no error".to_owned(), |e| e.message.clone());
        println!(
            "hostile {label}: {:.3} s, {} errors, first: {outcome}",
            start.elapsed().as_secs_f64(),
            parse.errors.len()
        );
    }
}

fn write_single(args: &[String]) {
    let path = PathBuf::from(args.get(1).map_or("/tmp/corpus.pq", String::as_str));
    let mb: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(8);
    if let Err(error) = std::fs::write(&path, generate(mb << 20)) {
        eprintln!("cannot write {}: {error}", path.display());
    }
}

fn collect(path: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .collect();
        entries.sort();
        for entry in entries {
            out.extend(collect(&entry));
        }
    } else if path
        .extension()
        .is_some_and(|ext| ext == "pq" || ext == "pqm" || ext == "m")
    {
        out.push(path.to_owned());
    }
    out
}

fn generate(bytes: usize) -> String {
    generate_seeded(bytes, 1)
}

/// A deterministic, realistic section document of about `bytes` bytes: data source kinds
/// with publish records, documented function types with `meta`, `let` bodies with `each`,
/// `try`, records, lists and long literal tables.
fn generate_seeded(bytes: usize, seed: u64) -> String {
    let mut rng = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut next = move |n: u64| {
        rng = rng
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (rng >> 33) % n.max(1)
    };
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str(
        "// Generated connector for parser benchmarks.\n[Version = \"1.0.0\"]\nsection Gen;\n",
    );
    let mut member = 0u64;
    while out.len() < bytes {
        member += 1;
        let id = seed * 1_000_000 + member;
        match next(4) {
            0 => data_source(&mut out, id),
            1 => implementation(&mut out, id, next(60)),
            2 => literal_table(&mut out, id, 20 + next(40)),
            _ => helpers(&mut out, id),
        }
    }
    out
}

fn data_source(out: &mut String, id: u64) {
    let _ = write!(
        out,
        r#"
[DataSource.Kind = "Gen{id}", Publish = "Gen{id}.Publish"]
shared Gen{id}.Contents = Value.ReplaceType(GenImpl{id}, GenType{id});

GenType{id} = type function (
    url as (Uri.Type meta [Documentation.FieldCaption = "URL", Documentation.SampleValues = {{"https://example.com/{id}"}}]),
    optional options as (type nullable [Timeout = number, #"Page Size" = number] meta [Documentation.FieldCaption = "Options"])
) as table meta [Documentation.Name = "Gen {id}", Documentation.LongDescription = "Reads data set {id}."];

Gen{id} = [
    TestConnection = (dataSourcePath) => {{ "Gen{id}.Contents", dataSourcePath }},
    Authentication = [Key = [KeyLabel = Extension.LoadString("KeyLabel")], Implicit = []],
    Label = Extension.LoadString("DataSourceLabel")
];

Gen{id}.Publish = [
    Beta = true,
    Category = "Other",
    ButtonText = {{ Extension.LoadString("ButtonTitle"), Extension.LoadString("ButtonHelp") }},
    SourceImage = [Icon16 = {{ Extension.Contents("Gen16.png"), Extension.Contents("Gen20.png") }}]
];
"#
    );
}

fn implementation(out: &mut String, id: u64, minutes: u64) {
    let _ = write!(
        out,
        r#"
GenImpl{id} = (url as text, optional options as nullable record) as table =>
    let
        // fetch and shape the data
        Source = Json.Document(Web.Contents(url, [Headers = [#"Content-Type" = "application/json"], Timeout = #duration(0, 0, {minutes}, 0)])),
        Rows = Table.FromRecords(Source[value]?, {{"Id", "Name", "Price", "Qty"}}, MissingField.UseNull),
        Typed = Table.TransformColumnTypes(Rows, {{{{"Id", Int64.Type}}, {{"Price", type number}}, {{"Qty", type number}}}}),
        Added = Table.AddColumn(Typed, "Total", each [Price] * [Qty] ?? 0, type number),
        Filtered = Table.SelectRows(Added, each [Total] > {minutes} and not ([Name] = null or Text.StartsWith([Name], "x"))),
        Paged = List.Generate(() => [n = 0, page = null], each [n] < 10, each [n = [n] + 1, page = try Web.Contents(url & "?p=" & Text.From([n])) otherwise null], each [page]),
        Checked = try Filtered catch (e) => error Error.Record("Gen.Failed", e[Message]),
        Result = if List.Count(Paged) > 0 then Checked else error "No rows in {id}"
    in
        Result meta [Source = "Gen {id}"];
"#
    );
}

fn literal_table(out: &mut String, id: u64, rows: u64) {
    let _ = write!(
        out,
        "\nGenTable{id} = #table(type table [Code = text, Value = number, Flag = logical], {{"
    );
    for row in 0..rows {
        let sep = if row + 1 == rows { "" } else { "," };
        let _ = write!(
            out,
            "\n    {{\"C{row:04}\", {}.{:02}, {}}}{sep}",
            row * 7 % 1000,
            row % 100,
            row % 2 == 0
        );
    }
    out.push_str("\n});\n");
}

fn helpers(out: &mut String, id: u64) {
    let _ = write!(
        out,
        r#"
Gen{id}.Helpers = [
    Pager = (getNextPage as function) as table =>
        let
            listOfPages = List.Generate(() => getNextPage(null), (lastPage) => lastPage <> null, (lastPage) => getNextPage(lastPage)),
            tableOfPages = Table.FromList(listOfPages, Splitter.SplitByNothing(), {{"Column1"}}),
            firstRow = tableOfPages{{0}}?
        in
            if (firstRow = null) then Table.FromRows({{}}) else Value.ReplaceType(tableOfPages, Value.Type(firstRow[Column1])),
    Schema = type table [Id = Int64.Type, Name = text, optional Note = nullable text],
    Ranges = {{1..10, 0x1F, .5, 1.5e3}},
    Label = "helper #(0041) {id} ""quoted"""
];
"#
    );
}
