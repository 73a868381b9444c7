//! The package commands: `verify` (signatures of `.pqx` files), `pack` (a project folder into
//! a `.mez` or unsigned `.pqx`) and `sign` (a `.mez` or `.pqx` into a signed `.pqx`).

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};

use mezcheck::package::{Fact, Package, PackageKind};
use mezcheck::signature::{Depth, verify};

use super::{EXIT_CLEAN, EXIT_FINDINGS, ignore_broken_pipe};

#[derive(Args)]
pub struct VerifyArgs {
    /// Signed .pqx packages
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format (json uses the field names of MakePQX verify, plus mezcheck's)
    #[arg(long, value_enum, default_value = "text")]
    output_format: TextOrJson,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

/// `mezcheck verify`: exit 0 when every package's signatures are valid, 1 when one is not.
pub fn verify_command(args: VerifyArgs) -> Result<u8> {
    let mut reports = Vec::new();
    for path in &args.paths {
        let display = path.display().to_string();
        if mezcheck::package::kind_of_file(&display) != PackageKind::Pqx || path.is_dir() {
            bail!("{display}: `verify` reads signed .pqx packages");
        }
        let package = mezcheck::package::load(path, &display)?;
        let verification = verify(&package, Depth::Full);
        reports.push(mezcheck::output::verify::verify_report(
            &display,
            unreadable(&package),
            &verification,
        ));
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = mezcheck::output::verify::render_verify(
        &reports,
        args.output_format == TextOrJson::Json,
        &mut out,
    )
    .and_then(|()| out.flush());
    ignore_broken_pipe(written).context("cannot write to standard output")?;
    Ok(if reports.iter().all(|r| r.valid) {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    })
}

/// Why a package could not be read at all, when it could not.
fn unreadable(package: &Package) -> Option<String> {
    package.facts.iter().find_map(|fact| match fact {
        Fact::Unreadable { reason } => Some(reason.clone()),
        Fact::TooManyEntries { count, limit } => {
            Some(format!("{count} entries, more than the limit of {limit}"))
        }
        Fact::PackageTooLarge {
            size,
            limit,
            what: "package file",
        } => Some(format!("{size} bytes, more than the limit of {limit}")),
        _ => None,
    })
}
