//! What checking costs next to parsing: on a large generated connector package, the time to
//! parse its M alone, to build the package and connector models (which includes parsing), and
//! to run every rule (`check_package`). The certification rules should stay within 2× the
//! parse time; the models should add less than the parse time itself.
//!
//! `cargo bench --bench check` prints one line per stage with the best of several rounds.
//! `-- MB` sets the size of the generated section document (default 4); `-- --write DIR MB`
//! writes the generated project folder instead, to time `mezcheck check` on it.

use std::fmt::Write;
use std::time::{Duration, Instant};

use mezcheck::config::Config;
use mezcheck::model::Model;
use mezcheck::model::connector::Connector;
use mezcheck::package::{PackageKind, read_archive};
use mezcheck::testing::zip_bytes;

const ROUNDS: usize = 5;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let megabytes: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(4);
    let section = generate(megabytes * 1024 * 1024);
    let resx = resources();
    if let Some(at) = args.iter().position(|a| a == "--write") {
        let dir = std::path::PathBuf::from(args.get(at + 1).map_or("/tmp/falcon", String::as_str));
        let written = std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(dir.join("Falcon.pq"), &section))
            .and_then(|()| std::fs::write(dir.join("resources.resx"), &resx));
        match written {
            Ok(()) => println!("wrote {} bytes of M to {}", section.len(), dir.display()),
            Err(error) => eprintln!("cannot write {}: {error}", dir.display()),
        }
        return;
    }
    let archive = zip_bytes(&[
        ("Falcon.pq", section.as_bytes()),
        ("resources.resx", resx.as_bytes()),
    ]);
    let package = || read_archive(&archive, "Falcon.mez", PackageKind::Mez);
    let mb = section.len() as f64 / 1e6;

    let parse = best(|| {
        let parse = mezcheck::syntax::parse(&section);
        assert!(
            parse.errors.is_empty(),
            "the generated connector parses: {:?}",
            parse.errors.first()
        );
    });
    let read = best(|| drop(package()));
    let model = best(|| {
        let model = Model::build(package());
        let connector = Connector::build(&model);
        assert_eq!(connector.data_sources().len(), 1);
    });
    if args.iter().any(|a| a == "--per-rule") {
        per_rule(&package);
        return;
    }
    let config = Config::default();
    let check = best(|| {
        let report = mezcheck::check_package(package(), &config).report;
        std::hint::black_box(report.counts);
    });
    let line = |stage: &str, time: Duration| {
        let ratio = time.as_secs_f64() / parse.as_secs_f64();
        println!(
            "{stage:<28} {:>9.2} ms  {:>7.1} MB/s  {ratio:>5.2}× parse",
            ms(time),
            mb / time.as_secs_f64()
        );
    };
    println!(
        "generated connector: {mb:.1} MB of M, {} bytes of archive",
        archive.len()
    );
    line("parse (syntax::parse)", parse);
    line("read archive", read);
    line("package + connector model", model);
    line("check_package (all rules)", check);
    println!(
        "model adds {:.2}× the parse time; rules add {:.2}× on top of the model",
        (model.as_secs_f64() - parse.as_secs_f64() - read.as_secs_f64()) / parse.as_secs_f64(),
        (check.as_secs_f64() - model.as_secs_f64()) / parse.as_secs_f64()
    );
}

/// Each rule alone, slowest first: the time of checking with only that rule selected, less the
/// time with no rule selected.
fn per_rule(package: &dyn Fn() -> mezcheck::package::Package) {
    use mezcheck::config::{FileConfig, Overrides};
    let only = |selection: &str| {
        let overrides = Overrides {
            select: Some(vec![selection.to_owned()]),
            ..Overrides::default()
        };
        mezcheck::rules::selection::resolve(&FileConfig::default(), &overrides)
            .expect("valid selection")
    };
    let none = mezcheck::rules::selection::resolve(
        &FileConfig::default(),
        &Overrides {
            ignore: vec!["ALL".to_owned()],
            ..Overrides::default()
        },
    )
    .expect("valid selection");
    let base = best(|| drop(mezcheck::check_package(package(), &none)));
    let mut times: Vec<(Duration, &str)> = mezcheck::rules::ALL
        .iter()
        .map(|rule| {
            let config = only(rule.code);
            (
                best(|| drop(mezcheck::check_package(package(), &config))).saturating_sub(base),
                rule.code,
            )
        })
        .collect();
    times.sort_by(|a, b| b.cmp(a));
    let all = best(|| drop(mezcheck::check_package(package(), &Config::default())));
    let sum: Duration = times.iter().map(|(t, _)| *t).sum();
    println!(
        "no rules: {:.2} ms; all rules: {:.2} ms; sum of rules alone: {:.2} ms",
        ms(base),
        ms(all),
        ms(sum)
    );
    for (time, code) in times.iter().take(20) {
        println!("{code} {:>8.2} ms", ms(*time));
    }
}

fn best(mut run: impl FnMut()) -> Duration {
    run();
    (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}

/// A connector shaped like real ones: one documented data source function, a Kind and
/// Publish record, then many helpers that page through a REST API, shape tables and build
/// navigation tables, until the document reaches `bytes`.
fn generate(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str(
        r#"[Version = "2.3.0"]
section Falcon;

[DataSource.Kind = "Falcon", Publish = "Falcon.Publish"]
shared Falcon.Contents = Value.ReplaceType(FalconImpl, FalconType);

FalconType = type function (
    url as (Uri.Type meta [
        Documentation.FieldCaption = Extension.LoadString("UrlCaption"),
        Documentation.FieldDescription = Extension.LoadString("UrlDescription")
    ])
) as table meta [
    Documentation.Name = Extension.LoadString("Title"),
    Documentation.LongDescription = Extension.LoadString("Description")
];

FalconImpl = (url as text) as table => Table0(ValidateUrl(url));

ValidateUrl = (url as text) as text =>
    if Uri.Parts(url)[Scheme] <> "https" then error Extension.LoadString("HttpsOnly") else url;

Falcon = [
    TestConnection = (dataSourcePath) => { "Falcon.Contents", dataSourcePath },
    Authentication = [Key = [KeyLabel = Extension.LoadString("KeyLabel")]]
];

Falcon.Publish = [
    Beta = false,
    Category = "Online Services",
    ButtonText = { Extension.LoadString("Title"), Extension.LoadString("Description") },
    LearnMoreUrl = "https://falcon.example/"
];
"#,
    );
    let mut index = 0;
    while out.len() < bytes {
        helper(&mut out, index);
        index += 1;
    }
    out
}

fn helper(out: &mut String, index: usize) {
    let next = index + 1;
    let _ = write!(
        out,
        r#"
Table{index} = (url as text) as table =>
    let
        source = Web.Contents(url, [RelativePath = "items/{index}", Headers = [#"X-Api-Key" = Extension.CurrentCredential()[Key]], ManualCredentials = true]),
        json = Json.Document(source),
        rows = List.Transform(json[value], each [Id = _[id], Name = _[name], Score = _[score] * {index} + 1, Tags = Text.Combine(_[tags], ",")]),
        typed = Table.TransformColumnTypes(Table.FromRecords(rows), {{{{"Id", Int64.Type}}, {{"Name", type text}}, {{"Score", type number}}}}),
        filtered = Table.SelectRows(typed, each [Score] > {index} and not Text.StartsWith([Name], "tmp") or [Id] = null),
        nav = #table({{"Name", "Key", "Data", "ItemKind", "ItemName", "IsLeaf"}}, {{{{"Items{index}", "i{index}", filtered, "Table", "Table", true}}}}),
        more = if {index} < 0 then Table{next}(url) else nav
    in
        more;
"#
    );
}

fn resources() -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="utf-8"?><root><resheader name="resmimetype"><value>text/microsoft-resx</value></resheader><resheader name="version"><value>2.0</value></resheader><resheader name="reader"><value>System.Resources.ResXResourceReader</value></resheader><resheader name="writer"><value>System.Resources.ResXResourceWriter</value></resheader>"#,
    );
    for (key, value) in [
        ("UrlCaption", "Service URL"),
        ("UrlDescription", "The address of the Falcon service"),
        ("Title", "Falcon"),
        ("Description", "Connect to Falcon"),
        ("HttpsOnly", "Only HTTPS addresses are supported"),
        ("KeyLabel", "API key"),
    ] {
        let _ = write!(
            out,
            r#"<data name="{key}" xml:space="preserve"><value>{value}</value></data>"#
        );
    }
    out.push_str("</root>");
    out
}
