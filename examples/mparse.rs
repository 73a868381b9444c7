//! Parses M files and prints a tree dump, verdicts or a throughput summary.
//!
//! `mparse --dump FILE`, `mparse --verdicts PATH...` (one JSON line per file),
//! `mparse --summary PATH...` (bytes, seconds and MB/s of the parse loop).

use std::path::{Path, PathBuf};
use std::time::Instant;

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for entry in entries {
            collect(&entry, out);
        }
    } else if path
        .extension()
        .is_some_and(|ext| ext == "pq" || ext == "pqm" || ext == "m")
    {
        out.push(path.to_owned());
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().cloned().unwrap_or_default();
    let mut files = Vec::new();
    for arg in args.iter().skip(1) {
        collect(Path::new(arg), &mut files);
    }
    let texts: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter_map(|path| {
            std::fs::read(&path)
                .ok()
                .map(|bytes| (path, String::from_utf8_lossy(&bytes).into_owned()))
        })
        .collect();
    match mode.as_str() {
        "--dump" => {
            for (_, text) in &texts {
                let parse = mezcheck::syntax::parse(text);
                print!("{}", mezcheck::syntax::dump::dump(&parse));
                for error in &parse.errors {
                    println!("error {:?}: {}", error.span, error.message);
                }
            }
        }
        "--verdicts" => {
            for (path, text) in &texts {
                let parse = mezcheck::syntax::parse(text);
                let first = parse
                    .errors
                    .first()
                    .map(|e| format!("{:?} {}", e.span, e.message))
                    .unwrap_or_default();
                println!(
                    "{}\t{}\t{}",
                    if parse.errors.is_empty() {
                        "ok"
                    } else {
                        "error"
                    },
                    path.display(),
                    first
                );
            }
        }
        _ => {
            let bytes: usize = texts.iter().map(|(_, text)| text.len()).sum();
            let start = Instant::now();
            let mut n_errors = 0;
            for (_, text) in &texts {
                n_errors += mezcheck::syntax::parse(text).errors.len();
            }
            let seconds = start.elapsed().as_secs_f64();
            println!(
                "files={} bytes={bytes} seconds={seconds:.4} MB/s={:.1} errors={n_errors}",
                texts.len(),
                bytes as f64 / 1e6 / seconds
            );
        }
    }
}
