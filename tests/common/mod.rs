//! Shared helpers for the integration tests: running the built binary and writing packages.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository root (tests run with it as the working directory).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn sample(name: &str) -> PathBuf {
    root().join("samples").join(name)
}

/// Runs `mezcheck` with the arguments, in the repository root, without colour or config
/// from the environment.
pub fn mezcheck(args: &[&str]) -> Output {
    mezcheck_in(&root(), args)
}

pub fn mezcheck_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mezcheck"))
        .args(args)
        .current_dir(dir)
        .env_remove("MEZCHECK_OUTPUT_FORMAT")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the mezcheck binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

/// Writes bytes to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write test file");
    path
}

/// The codes of a `concise` report, one per finding, in order.
pub fn codes(concise: &str) -> Vec<String> {
    concise
        .lines()
        .filter_map(|line| {
            line.split(": ")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
        })
        .filter(|code| code.starts_with("PQ"))
        .map(str::to_owned)
        .collect()
}

/// Puts the clean sample's article and changelog in `dir`, as a submission keeps them next to
/// the package.
pub fn write_submission_documents(dir: &Path) {
    for name in ["kestrel.md", "CHANGELOG.md"] {
        std::fs::copy(sample("clean").join(name), dir.join(name))
            .expect("copy submission document");
    }
}
