//! The `mezcheck` binary: parse the command line, run, map the outcome to an exit code.

// Text from input is cut with `get`, never by indexing: a byte offset inside a character
// panics.
#![cfg_attr(not(test), deny(clippy::string_slice))]

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
