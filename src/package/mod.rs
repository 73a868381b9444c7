//! Reading connector packages: `.mez` and `.pqx` archives, unpacked project folders and bare
//! M files all become the same [`Package`], an in-memory list of entries plus the facts noticed
//! while reading (an unsafe name, an oversized entry, a corrupt archive).
//!
//! This layer enforces every size limit and never panics on input, but it does not parse M and
//! knows no rule ids: rules turn the recorded [`Fact`]s into findings.

mod archive;
pub mod content_types;
pub mod discover;
mod folder;
pub mod overlay;
pub mod png;
pub mod resx;
pub mod write;
pub mod xml;

use std::path::{Path, PathBuf};

pub use archive::read_archive;
pub use folder::{read_project_folder, read_project_folder_with};
pub use overlay::Overlay;

/// The production limit, or a small one in fuzz builds (`--cfg fuzzing`): the fuzzer's time and
/// memory limits then flag a slow or hungry path on inputs small enough to find quickly.
const fn limit(production: u64, fuzzing: u64) -> u64 {
    if cfg!(fuzzing) { fuzzing } else { production }
}

/// Largest `.mez`/`.pqx` file read from disk or standard input. Real packages are kilobytes to a
/// few megabytes, so this leaves two orders of magnitude of room.
pub const MAX_PACKAGE_FILE_BYTES: u64 = limit(64 * 1024 * 1024, 1024 * 1024);
/// Entries per archive; real packages hold about ten.
pub const MAX_ENTRIES: usize = limit(1024, 64) as usize;
/// One M source entry (`.pq`, `.m`, `.pqm`), declared and actual size; the largest real module
/// seen is about 3 MB.
pub const MAX_M_ENTRY_BYTES: u64 = limit(16 * 1024 * 1024, 256 * 1024);
/// One XML entry (`.resx`, `[Content_Types].xml`, `.rels`, signature parts).
pub const MAX_XML_ENTRY_BYTES: u64 = limit(4 * 1024 * 1024, 64 * 1024);
/// One PNG icon; real icons are a few kilobytes.
pub const MAX_PNG_ENTRY_BYTES: u64 = limit(1024 * 1024, 64 * 1024);
/// Any other entry.
pub const MAX_OTHER_ENTRY_BYTES: u64 = limit(16 * 1024 * 1024, 256 * 1024);
/// Inflated bytes per package in total, whatever each entry claims.
pub const MAX_TOTAL_BYTES: u64 = limit(64 * 1024 * 1024, 1024 * 1024);

/// The size limit for one entry, by its name.
pub fn entry_limit(name: &str) -> u64 {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, ext)| ext);
    match ext {
        "pq" | "m" | "pqm" => MAX_M_ENTRY_BYTES,
        "resx" | "xml" | "rels" | "psdsxs" | "psdsor" => MAX_XML_ENTRY_BYTES,
        "png" => MAX_PNG_ENTRY_BYTES,
        _ => MAX_OTHER_ENTRY_BYTES,
    }
}

/// What kind of input a package came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageKind {
    Mez,
    Pqx,
    Folder,
    File,
}

/// A connector package in memory, whatever it was read from.
#[derive(Debug)]
pub struct Package {
    /// The path as reported to users (relative to the working directory when possible).
    pub path: String,
    pub kind: PackageKind,
    /// Entries in the order they were found; archives keep their order, folders sort by name.
    pub entries: Vec<Entry>,
    /// What was noticed while reading, in the order it was noticed.
    pub facts: Vec<Fact>,
    /// The folder in which the submission documents are looked for.
    pub docs_dir: Option<PathBuf>,
    /// Unsaved text in place of files on disk (an editor's buffers), for the submission
    /// documents next to the package as for its own files.
    pub overlay: Option<std::sync::Arc<Overlay>>,
}

/// How an entry relates to the package the build tools would produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Packing {
    /// Inside an archive, or a file the SDK build packs from a project folder.
    Content,
    /// A project-folder root file that MSBuild does not pack but `MakePQX compile` would.
    MakePqxOnly,
    /// A project-folder file below the root: never packed, kept so references to it can be named.
    Subfolder,
}

/// One file of a package.
#[derive(Debug)]
pub struct Entry {
    /// The entry name in the archive, or the path relative to the project folder with `/`.
    pub name: String,
    /// An openable path on disk, when the entry is a real file.
    pub disk_path: Option<String>,
    pub packing: Packing,
    /// The entry's bytes; empty when it was not read (see `read`).
    pub data: Vec<u8>,
    /// Whether `data` holds the whole entry: false for directories, encrypted, oversized or
    /// unreadable entries, which are described by a [`Fact`].
    pub read: bool,
}

impl Entry {
    pub fn extension(&self) -> String {
        file_extension(&self.name)
    }

    /// True when the name has no folder part.
    pub fn is_root(&self) -> bool {
        !self.name.contains(['/', '\\'])
    }

    pub fn is_content(&self) -> bool {
        self.packing == Packing::Content
    }
}

/// Something noticed while reading a package. Each maps to one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fact {
    /// The input could not be read as a package at all (PQ001).
    Unreadable { reason: String },
    /// One entry could not be inflated or failed its CRC check (PQ001).
    CorruptEntry { name: String, reason: String },
    /// A directory entry (PQ003).
    DirectoryEntry { name: String },
    /// An absolute name or one with a `..` segment (PQ008).
    UnsafeName { name: String, reason: UnsafeName },
    /// Two entries with the same name, exactly or ignoring case (PQ008).
    DuplicateName {
        name: String,
        case_only_of: Option<String>,
    },
    /// An encrypted entry (PQ008).
    Encrypted { name: String },
    /// A compression method other than stored or deflate (PQ008).
    UnsupportedCompression { name: String, method: String },
    /// An entry whose declared or actual size is over its limit (PQ008).
    EntryTooLarge {
        name: String,
        size: u64,
        limit: u64,
        declared: bool,
    },
    /// The package file itself, or its inflated total, is over the limit (PQ008).
    PackageTooLarge {
        size: u64,
        limit: u64,
        what: &'static str,
    },
    /// More entries than [`MAX_ENTRIES`] (PQ008).
    TooManyEntries { count: u64, limit: usize },
    /// Entries whose compressed data overlap (PQ008).
    OverlappingEntries,
    /// A `.zip`, `.mez` or `.pqx` inside the package, never opened (PQ008).
    NestedArchive { name: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsafeName {
    Absolute,
    ParentSegment,
}

/// Why a path could not be read at all: a tool failure (exit 2), not a finding.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: no such file or directory")]
    NotFound { path: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// The lowercase extension of a file name, without the dot (`""` when none).
pub fn file_extension(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
}

/// The file stem of a path without folders or extension (`Contoso` for `x/Contoso.mez`).
pub fn file_stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.rsplit_once('.').map_or(base, |(stem, _)| stem)
}

/// True for names of section documents: `*.pq` or `*.m`, but not test queries.
pub fn is_section_document_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".pq") || lower.ends_with(".m"))
        && !lower.ends_with(".query.pq")
        && !lower.ends_with(".test.pq")
}

/// Reads one input path as a package: an archive, a project folder or a bare M file.
/// Content problems become facts; only a path that cannot be opened at all is an error.
pub fn load(path: &Path, display: &str) -> Result<Package, LoadError> {
    let metadata = std::fs::metadata(path).map_err(|source| io_error(display, source))?;
    if metadata.is_dir() {
        return read_project_folder(path, display);
    }
    let kind = kind_of_file(display);
    if matches!(kind, PackageKind::Mez | PackageKind::Pqx) {
        let bytes = read_capped(path, MAX_PACKAGE_FILE_BYTES).map_err(|e| io_error(display, e))?;
        let mut package = archive_package(bytes, display, kind);
        package.docs_dir = Some(parent_dir(path));
        return Ok(package);
    }
    folder::read_bare_file(path, display)
}

/// The folder a file is in; `.` for a bare file name.
pub(crate) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `Mez` or `Pqx` by extension; anything else is a bare file.
pub fn kind_of_file(name: &str) -> PackageKind {
    match file_extension(name).as_str() {
        "mez" => PackageKind::Mez,
        "pqx" => PackageKind::Pqx,
        _ => PackageKind::File,
    }
}

fn io_error(display: &str, source: std::io::Error) -> LoadError {
    if source.kind() == std::io::ErrorKind::NotFound {
        LoadError::NotFound {
            path: display.to_owned(),
        }
    } else {
        LoadError::Io {
            path: display.to_owned(),
            source,
        }
    }
}

/// The bytes of a file, or its size when it is over `limit` (never read past `limit + 1`).
pub(crate) enum Capped {
    Whole(Vec<u8>),
    TooLarge(u64),
}

pub(crate) fn read_capped(path: &Path, limit: u64) -> std::io::Result<Capped> {
    let file = std::fs::File::open(path)?;
    let declared = file.metadata().map(|m| m.len()).unwrap_or(0);
    if declared > limit {
        return Ok(Capped::TooLarge(declared));
    }
    read_capped_from(file, limit)
}

pub(crate) fn read_capped_from(reader: impl std::io::Read, limit: u64) -> std::io::Result<Capped> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Capped::TooLarge(bytes.len() as u64));
    }
    Ok(Capped::Whole(bytes))
}

/// Reads a `.mez`/`.pqx` from a stream (standard input), at most [`MAX_PACKAGE_FILE_BYTES`].
pub fn load_reader(reader: impl std::io::Read, display: &str) -> std::io::Result<Package> {
    let is_m_text = matches!(file_extension(display).as_str(), "pq" | "m" | "pqm");
    // M text is at most one M file; anything else is read as an archive, as before.
    let limit = if is_m_text {
        entry_limit(display)
    } else {
        MAX_PACKAGE_FILE_BYTES
    };
    let bytes = read_capped_from(reader, limit)?;
    let mut package = match kind_of_file(display) {
        PackageKind::Pqx => archive_package(bytes, display, PackageKind::Pqx),
        _ if is_m_text => folder::bare_file_from(bytes, display),
        _ => archive_package(bytes, display, PackageKind::Mez),
    };
    // Documents are looked for next to the name given, as for the file itself.
    package.docs_dir = Some(parent_dir(Path::new(display)));
    Ok(package)
}

/// An archive package from bytes read under the package file limit.
fn archive_package(bytes: Capped, display: &str, kind: PackageKind) -> Package {
    match bytes {
        Capped::Whole(bytes) => read_archive(&bytes, display, kind),
        Capped::TooLarge(size) => Package {
            path: display.to_owned(),
            kind,
            entries: Vec::new(),
            overlay: None,
            facts: vec![Fact::PackageTooLarge {
                size,
                limit: MAX_PACKAGE_FILE_BYTES,
                what: "package file",
            }],
            docs_dir: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Section documents are `.pq`/`.m` files other than test queries, in any case.
    #[test]
    fn section_document_names() {
        assert!(is_section_document_name("Contoso.pq"));
        assert!(is_section_document_name("Contoso.M"));
        assert!(!is_section_document_name("Contoso.query.pq"));
        assert!(!is_section_document_name("Contoso.test.pq"));
        assert!(!is_section_document_name("Contoso.pqm"));
    }

    /// Limits follow the entry's extension.
    #[test]
    fn entry_limits_by_kind() {
        assert_eq!(entry_limit("a/b/X.PQ"), MAX_M_ENTRY_BYTES);
        assert_eq!(entry_limit("resources.resx"), MAX_XML_ENTRY_BYTES);
        assert_eq!(entry_limit("X16.png"), MAX_PNG_ENTRY_BYTES);
        assert_eq!(entry_limit("client_id"), MAX_OTHER_ENTRY_BYTES);
    }

    #[test]
    fn stems_and_extensions() {
        assert_eq!(file_stem("x/Product API.mez"), "Product API");
        assert_eq!(file_extension("x.y/Name"), "");
        assert_eq!(file_extension("A.Query.PQ"), "pq");
    }
}
