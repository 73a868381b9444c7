//! The package commands: `verify` (signatures of `.pqx` files), `pack` (a project folder into
//! a `.mez` or unsigned `.pqx`) and `sign` (a `.mez` or `.pqx` into a signed `.pqx`).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use clap::{Args, ValueEnum};

use mezcheck::diagnostic::{Report, Severity};
use mezcheck::output::{Format, RenderOptions};
use mezcheck::package::write::{self, Item};
use mezcheck::package::{Fact, Package, PackageKind};
use mezcheck::signature::crypto::{self, Hash};
use mezcheck::signature::keys::{self, Signer};
use mezcheck::signature::sign::SignOptions;
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

#[derive(Args)]
pub struct PackArgs {
    /// The connector's project folder
    folder: PathBuf,
    /// The package to write: X.mez, or X.pqx for an unsigned OPC package
    #[arg(short = 'o', long, value_name = "X.mez|X.pqx")]
    output: PathBuf,
}

/// `mezcheck pack`: the package the SDK build would produce from a project folder. A folder
/// whose package would have PQ0xx errors is refused with those findings (exit 1).
pub fn pack_command(args: PackArgs) -> Result<u8> {
    let kind = output_kind(&args.output, &[PackageKind::Mez, PackageKind::Pqx])?;
    if !args.folder.is_dir() {
        bail!("{}: not a project folder", args.folder.display());
    }
    let display = args.folder.display().to_string();
    let package = mezcheck::package::load(&args.folder, &display)?;
    let config = mezcheck::config::Config::default();
    let report = mezcheck::check_package(package, &config).report;
    let blocking: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule.code.starts_with("PQ0") && d.severity == Severity::Error)
        .cloned()
        .collect();
    if !blocking.is_empty() {
        let mut refused = report;
        refused.diagnostics = blocking;
        let options = RenderOptions {
            color: false,
            quiet: true,
            statistics: false,
        };
        let report = Report::new(vec![refused]);
        mezcheck::output::render(
            &report,
            Format::Full,
            &options,
            &mut std::io::stderr().lock(),
        )?;
        eprintln!("mezcheck: not packed: the package would have the errors above");
        return Ok(EXIT_FINDINGS);
    }
    let model = mezcheck::model::Model::build(mezcheck::package::load(&args.folder, &display)?);
    let content: Vec<&mezcheck::package::Entry> = model
        .package
        .entries
        .iter()
        .filter(|e| e.is_content())
        .collect();
    let names: Vec<&str> = content.iter().map(|e| e.name.as_str()).collect();
    let mut items: Vec<Item<'_>> = content.iter().map(|e| Item::deflated(e)).collect();
    let (types, _) = write::content_types(&names, None, false);
    if kind == PackageKind::Pqx {
        items.push(Item {
            name: mezcheck::package::content_types::CONTENT_TYPES_ENTRY,
            data: types.as_bytes(),
            deflate: false,
        });
    }
    let bytes = write::zip(&items, ZIP_EPOCH).context("cannot build the package")?;
    std::fs::write(&args.output, bytes)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!(
        "packed {} files into {}: {}",
        names.len(),
        args.output.display(),
        names.join(", ")
    );
    Ok(EXIT_CLEAN)
}

/// 1980-01-01, the earliest ZIP timestamp: packing the same folder gives the same bytes.
const ZIP_EPOCH: i64 = 315_532_800;

#[derive(Args)]
pub struct SignArgs {
    /// The package to sign: a .mez, or a .pqx (signed or not)
    input: PathBuf,
    /// The signed package to write (.pqx)
    #[arg(short = 'o', long, value_name = "X.pqx")]
    output: PathBuf,
    /// The RSA private key, PEM (PKCS#8 or PKCS#1)
    #[arg(
        long,
        requires = "cert",
        conflicts_with = "pfx",
        value_name = "KEY.pem"
    )]
    key: Option<PathBuf>,
    /// The signing certificate, PEM or DER
    #[arg(long, requires = "key", value_name = "CERT.pem")]
    cert: Option<PathBuf>,
    /// A PKCS#12 (.pfx/.p12) file with the key and certificate
    #[arg(long, value_name = "FILE.pfx", required_unless_present = "key")]
    pfx: Option<PathBuf>,
    /// The environment variable that holds the PKCS#12 password (unset means no password)
    #[arg(long, default_value = "MEZCHECK_PFX_PASSWORD", value_name = "NAME")]
    password_env: String,
    /// Digest and RSA hash: sha1 as MakePQX writes (and Desktop is seen to load), or sha256
    #[arg(long, value_enum, default_value = "sha1")]
    digest: DigestChoice,
    /// The SignatureTime to write, e.g. 2026-01-31T12:00:00Z (default: now), for reproducible output
    #[arg(long, value_name = "TIME")]
    signing_time: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DigestChoice {
    Sha1,
    Sha256,
}

/// `mezcheck sign`: writes the signed `.pqx`, then verifies it.
pub fn sign_command(args: SignArgs) -> Result<u8> {
    output_kind(&args.output, &[PackageKind::Pqx])?;
    let signer = load_signer(&args)?;
    let display = args.input.display().to_string();
    let input_kind = mezcheck::package::kind_of_file(&display);
    if !matches!(input_kind, PackageKind::Mez | PackageKind::Pqx) || args.input.is_dir() {
        bail!("{display}: `sign` signs a .mez or .pqx package (use `pack` for a folder)");
    }
    let package = mezcheck::package::load(&args.input, &display)?;
    let time = match &args.signing_time {
        Some(text) => crypto::parse_signing_time(text)
            .ok_or_else(|| anyhow!("--signing-time {text}: expected e.g. 2026-01-31T12:00:00Z"))?,
        None => crypto::now(),
    };
    let options = SignOptions {
        hash: match args.digest {
            DigestChoice::Sha1 => Hash::Sha1,
            DigestChoice::Sha256 => Hash::Sha256,
        },
        time,
    };
    let signed = mezcheck::signature::sign::sign(&package, &signer, options)?;
    std::fs::write(&args.output, &signed.bytes)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    let certificate = &signer.certificate;
    for replaced in &signed.replaced {
        eprintln!("replaced signature {replaced}");
    }
    eprintln!(
        "signed {} parts of {display} as `{}` (thumbprint {}) into {}",
        signed.parts.len(),
        certificate.subject,
        certificate.thumbprint,
        args.output.display()
    );
    if !certificate.valid_at(time) {
        eprintln!(
            "warning: the certificate is valid from {} to {}, not at the signing time {} (PQ017)",
            crypto::format_time(certificate.not_before),
            crypto::format_time(certificate.not_after),
            crypto::format_time(time)
        );
    }
    let written = mezcheck::package::read_archive(
        &signed.bytes,
        &args.output.display().to_string(),
        PackageKind::Pqx,
    );
    let verification = verify(&written, Depth::Full);
    let report = mezcheck::output::verify::verify_report(&display, None, &verification);
    if report.signature_status != "Success" {
        bail!(
            "the written signature does not verify ({})",
            report.signature_status
        );
    }
    Ok(EXIT_CLEAN)
}

fn load_signer(args: &SignArgs) -> Result<Signer> {
    let read = |path: &Path| {
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
    };
    match (&args.key, &args.cert, &args.pfx) {
        (Some(key), Some(cert), None) => Ok(keys::from_pem(&read(key)?, &read(cert)?)?),
        (None, None, Some(pfx)) => {
            let password = std::env::var(&args.password_env).unwrap_or_default();
            Ok(keys::from_pkcs12(&read(pfx)?, &password)?)
        }
        _ => bail!("give --key and --cert, or --pfx"),
    }
}
/// The output path's kind, or a usage error.
fn output_kind(path: &Path, allowed: &[PackageKind]) -> Result<PackageKind> {
    let kind = mezcheck::package::kind_of_file(&path.display().to_string());
    if !allowed.contains(&kind) {
        let names: Vec<&str> = allowed
            .iter()
            .map(|k| match k {
                PackageKind::Mez => ".mez",
                _ => ".pqx",
            })
            .collect();
        bail!(
            "{}: the output must end in {}",
            path.display(),
            names.join(" or ")
        );
    }
    Ok(kind)
}
