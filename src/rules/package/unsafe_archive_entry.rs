//! PQ008: archive entries that are unsafe to extract or to read.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::package::{Fact, UnsafeName};
use crate::rules::{Context, Needs, Priority};

declare_rule! {
    /// ## What it checks
    /// An archive entry is unsafe: traversal, duplicate, encrypted, oversized, nested or compressed oddly.
    ///
    /// An absolute entry name (`/x`, `C:x`) or one with a `..` segment; two entries with the
    /// same name (exactly or ignoring case); an encrypted entry; a compression method other than
    /// stored or deflate; more than 1,024 entries; an entry over its size limit (16 MiB for M
    /// source and other files, 4 MiB for XML, 1 MiB for PNG, declared or actual); more than
    /// 64 MiB in all, or a package file over 64 MiB; entries whose data overlap; a nested
    /// archive (`.zip`, `.mez`, `.pqx`), which is reported and never opened. Reading stops at
    /// each limit.
    ///
    /// ## Why it matters
    /// These are path traversal, ambiguous content and ZIP bombs: a package that needs them is
    /// broken or hostile, and Power BI will not load it.
    ///
    /// ## Example
    /// An entry named `../../Startup/run.cmd`, or `Contoso.pq` twice with different content.
    ///
    /// Use instead: rebuild the package with the SDK; every entry once, at the root, deflated.
    pub(crate) static UNSAFE_ARCHIVE_ENTRY = Rule {
        code: "PQ008",
        name: "unsafe-archive-entry",
        default_severity: Severity::Error,
        priority: Priority::P1,
        needs: Needs::Input,
    };
}

fn check(cx: &mut Context<'_>) {
    let facts = cx.model().package.facts.clone();
    for fact in facts {
        if let Some(finding) = finding_for(fact) {
            cx.report(finding);
        }
    }
}

fn finding_for(fact: Fact) -> Option<Finding> {
    let finding = match fact {
        Fact::UnsafeName { name, reason } => {
            let why = match reason {
                UnsafeName::Absolute => "is an absolute path",
                UnsafeName::ParentSegment => "contains a `..` segment",
            };
            Finding::new(format!("entry name `{name}` {why}"))
                .entry(name)
                .help("entry names must be bare file names; this entry was not read")
        }
        Fact::DuplicateName {
            name,
            case_only_of: None,
        } => Finding::new(format!("entry `{name}` appears more than once"))
            .entry(name)
            .help("keep one entry per name; which copy a reader takes is undefined"),
        Fact::DuplicateName {
            name,
            case_only_of: Some(other),
        } => Finding::new(format!(
            "entries `{other}` and `{name}` differ only in case"
        ))
        .entry(name)
        .help("keep one of them; on Windows they are the same file"),
        Fact::Encrypted { name } => Finding::new(format!("entry `{name}` is encrypted"))
            .entry(name)
            .help("rebuild the package without a password"),
        Fact::UnsupportedCompression { name, method } => Finding::new(format!(
            "entry `{name}` uses unsupported compression method {method}"
        ))
        .entry(name)
        .help("packages use only stored or deflate entries"),
        Fact::EntryTooLarge {
            name,
            size,
            limit,
            declared,
        } => {
            let how = if declared {
                "declares"
            } else {
                "inflates to more than"
            };
            Finding::new(format!(
                "entry `{name}` {how} {} (limit {})",
                bytes(size),
                bytes(limit)
            ))
            .entry(name)
            .help("this is far larger than any real connector file; the entry was not read")
        }
        Fact::PackageTooLarge {
            size,
            limit,
            what: "package file",
        } => Finding::new(format!(
            "package file is {} (limit {})",
            bytes(size),
            bytes(limit)
        ))
        .help("real packages are a few megabytes; nothing was read"),
        Fact::PackageTooLarge { limit, what, .. } => {
            Finding::new(format!("{what} exceeds the {} limit", bytes(limit)))
                .help("reading stopped at the limit; real packages are a few megabytes")
        }
        Fact::TooManyEntries { count, limit } => {
            Finding::new(format!("package declares {count} entries (limit {limit})"))
                .help("real packages hold about ten entries; nothing was read")
        }
        Fact::OverlappingEntries => {
            Finding::new("entries share compressed data (overlapping entries)")
                .help("overlapping entries are a ZIP bomb technique; rebuild the package")
        }
        Fact::NestedArchive { name } => {
            Finding::new(format!("entry `{name}` is an archive inside the package"))
                .entry(name)
                .help("remove it; nested archives are never opened")
        }
        Fact::Unreadable { .. } | Fact::CorruptEntry { .. } | Fact::DirectoryEntry { .. } => {
            return None;
        }
    };
    Some(finding)
}

fn bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    const GIB: u64 = 1024 * MIB;
    if n >= GIB {
        format!("{:.1} GiB", n as f64 / GIB as f64)
    } else if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::UNSAFE_ARCHIVE_ENTRY;
    use crate::testing::{Fixture, RuleCase, fixture::FINCH};

    /// A clean archive passes; traversal, absolute, case-only duplicate and nested archive
    /// names fail.
    #[test]
    fn unsafe_archive_entry() {
        let cases = RuleCase::new(&UNSAFE_ARCHIVE_ENTRY)
            .pass([
                Fixture::finch().entry("Finch16.png", b""),
                Fixture::kestrel(),
            ])
            .fail([Fixture::finch()
                .entry("../evil.pq", b"x")
                .entry("/etc/passwd", b"x")
                .entry("FINCH.PQ", FINCH.as_bytes())
                .entry("inner.zip", b"PK")]);
        insta::assert_snapshot!(cases.run());
    }
}
