//! The `mezcheck` binary: parse the command line, run, map the outcome to an exit code.

// Text from input is cut with `get`, never by indexing: a byte offset inside a character
// panics.
#![cfg_attr(not(test), deny(clippy::string_slice))]

mod cli;
mod server;

/// mimalloc, as ruff and oxc use: the syntax tree and the model are many small allocations,
/// and it allocates and frees them in about half the time of the system allocators.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
