//! The only user of the `zip` crate: turns archive bytes into a [`Package`], enforcing the
//! entry-count, per-entry and whole-package limits on both declared and actual sizes.
//!
//! zip keeps one of two same-named entries and says only that duplicates exist, so the central
//! directory's names are also listed here directly, to name every duplicate.

use std::io::Cursor;

use zip::{CompressionMethod, ZipArchive};

use super::{
    Capped, Entry, Fact, MAX_ENTRIES, MAX_TOTAL_BYTES, Package, PackageKind, Packing, UnsafeName,
    entry_limit, file_extension, read_capped_from,
};

/// Reads `.mez`/`.pqx` bytes. Never fails: an unreadable archive is a package with a fact.
pub fn read_archive(bytes: &[u8], display: &str, kind: PackageKind) -> Package {
    let mut package = Package {
        path: display.to_owned(),
        kind,
        entries: Vec::new(),
        facts: Vec::new(),
        docs_dir: None,
        overlay: None,
    };
    let raw_names = match central_directory::scan(bytes) {
        Ok(names) => names,
        Err(central_directory::ScanError::TooManyEntries(count)) => {
            package.facts.push(Fact::TooManyEntries {
                count,
                limit: MAX_ENTRIES,
            });
            return package;
        }
        Err(central_directory::ScanError::NotZip(reason)) => {
            package.facts.push(Fact::Unreadable { reason });
            return package;
        }
    };
    let mut archive = match ZipArchive::new(Cursor::new(bytes)) {
        Ok(archive) => archive,
        Err(error) => {
            package.facts.push(Fact::Unreadable {
                reason: format!("not a readable ZIP archive ({error})"),
            });
            return package;
        }
    };
    if archive.has_overlapping_files().unwrap_or(true) {
        package.facts.push(Fact::OverlappingEntries);
    }
    report_duplicates(&raw_names, &mut package.facts);
    let mut budget = MAX_TOTAL_BYTES;
    for index in 0..archive.len() {
        if let Some(entry) = read_entry(&mut archive, index, &mut budget, &mut package.facts) {
            package.entries.push(entry);
        }
        if budget == 0 {
            break;
        }
    }
    package
}

/// Reads one entry, recording why it was not read when it was not.
fn read_entry(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    budget: &mut u64,
    facts: &mut Vec<Fact>,
) -> Option<Entry> {
    let (name, is_dir, encrypted, method, declared) = match archive.by_index_raw(index) {
        Ok(file) => (
            file.name().map_or_else(
                |_| String::from_utf8_lossy(file.name_raw()).into_owned(),
                |name| name.into_owned(),
            ),
            file.is_dir(),
            file.encrypted(),
            file.compression(),
            file.size(),
        ),
        Err(error) => {
            facts.push(Fact::Unreadable {
                reason: format!("entry {index} cannot be read ({error})"),
            });
            return None;
        }
    };
    let mut entry = Entry {
        name: name.clone(),
        disk_path: None,
        packing: Packing::Content,
        data: Vec::new(),
        read: false,
    };
    if is_dir {
        facts.push(Fact::DirectoryEntry { name });
        return None;
    }
    if let Some(reason) = unsafe_name(&name) {
        facts.push(Fact::UnsafeName { name, reason });
        return Some(entry);
    }
    if encrypted {
        facts.push(Fact::Encrypted { name });
        return Some(entry);
    }
    if !matches!(
        method,
        CompressionMethod::Stored | CompressionMethod::Deflated
    ) {
        facts.push(Fact::UnsupportedCompression {
            name,
            method: method_name(method),
        });
        return Some(entry);
    }
    if matches!(file_extension(&name).as_str(), "zip" | "mez" | "pqx") {
        facts.push(Fact::NestedArchive { name });
        return Some(entry);
    }
    let limit = entry_limit(&name);
    if declared > limit {
        facts.push(Fact::EntryTooLarge {
            name,
            size: declared,
            limit,
            declared: true,
        });
        return Some(entry);
    }
    let cap = limit.min(*budget);
    let file = match archive.by_index(index) {
        Ok(file) => file,
        Err(error) => {
            facts.push(Fact::CorruptEntry {
                name,
                reason: error.to_string(),
            });
            return Some(entry);
        }
    };
    match read_capped_from(file, cap) {
        Ok(Capped::Whole(data)) => {
            *budget -= data.len() as u64;
            entry.data = data;
            entry.read = true;
        }
        Ok(Capped::TooLarge(size)) if cap < limit => {
            *budget = 0;
            facts.push(Fact::PackageTooLarge {
                size: MAX_TOTAL_BYTES - cap + size,
                limit: MAX_TOTAL_BYTES,
                what: "inflated content",
            });
        }
        Ok(Capped::TooLarge(size)) => facts.push(Fact::EntryTooLarge {
            name,
            size,
            limit,
            declared: false,
        }),
        Err(error) => facts.push(Fact::CorruptEntry {
            name,
            reason: error.to_string(),
        }),
    }
    Some(entry)
}

/// A compression method as users know it: `12 (Bzip2)`.
fn method_name(method: CompressionMethod) -> String {
    // With only deflate compiled in, zip exposes other methods' numbers solely through the
    // deprecated `Unsupported` variant.
    #[allow(deprecated)]
    let CompressionMethod::Unsupported(number) = method else {
        return format!("{method:?}");
    };
    format!("{number} ({})", CompressionMethod::name_from_u16(number))
}

/// Why a name is unsafe to extract: absolute (`/x`, `\x`, `C:x`) or with a `..` segment.
fn unsafe_name(name: &str) -> Option<UnsafeName> {
    let bytes = name.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if name.starts_with(['/', '\\']) || drive {
        return Some(UnsafeName::Absolute);
    }
    if name.split(['/', '\\']).any(|segment| segment == "..") {
        return Some(UnsafeName::ParentSegment);
    }
    None
}

/// One fact per repeated name: exact repeats, then names equal ignoring ASCII case.
fn report_duplicates(names: &[String], facts: &mut Vec<Fact>) {
    let mut seen: Vec<&str> = Vec::with_capacity(names.len());
    for name in names {
        if seen.contains(&name.as_str()) {
            facts.push(Fact::DuplicateName {
                name: name.clone(),
                case_only_of: None,
            });
        } else if let Some(other) = seen.iter().find(|s| s.eq_ignore_ascii_case(name)) {
            facts.push(Fact::DuplicateName {
                name: name.clone(),
                case_only_of: Some((*other).to_owned()),
            });
        }
        seen.push(name);
    }
}

/// A minimal reader of the end-of-central-directory record and the central directory's names,
/// so that entry counts are checked before zip allocates for them and duplicates can be named.
mod central_directory {
    use super::MAX_ENTRIES;

    const EOCD_SIGNATURE: u32 = 0x0605_4b50;
    const ZIP64_LOCATOR_SIGNATURE: u32 = 0x0706_4b50;
    const ZIP64_EOCD_SIGNATURE: u32 = 0x0606_4b50;
    const CENTRAL_HEADER_SIGNATURE: u32 = 0x0201_4b50;
    const EOCD_LEN: usize = 22;
    const MAX_COMMENT: usize = 0xFFFF;

    pub enum ScanError {
        NotZip(String),
        TooManyEntries(u64),
    }

    pub fn scan(bytes: &[u8]) -> Result<Vec<String>, ScanError> {
        let eocd = find_eocd(bytes).ok_or_else(|| {
            ScanError::NotZip("not a ZIP archive (no end-of-central-directory record)".into())
        })?;
        let mut count = u64::from(u16_at(bytes, eocd + 10).unwrap_or(0));
        let mut offset = u64::from(u32_at(bytes, eocd + 16).unwrap_or(0));
        if (count == 0xFFFF || offset == 0xFFFF_FFFF)
            && let Some((count64, offset64)) = zip64_directory(bytes, eocd)
        {
            (count, offset) = (count64, offset64);
        }
        if count > MAX_ENTRIES as u64 {
            return Err(ScanError::TooManyEntries(count));
        }
        let mut names = Vec::with_capacity(count as usize);
        let mut at = usize::try_from(offset).unwrap_or(usize::MAX);
        for _ in 0..count {
            if u32_at(bytes, at) != Some(CENTRAL_HEADER_SIGNATURE) {
                // zip reports the precise problem; names are only for naming duplicates.
                break;
            }
            let (Some(name_len), Some(extra_len), Some(comment_len)) = (
                u16_at(bytes, at + 28),
                u16_at(bytes, at + 30),
                u16_at(bytes, at + 32),
            ) else {
                break;
            };
            let start = at + 46;
            let Some(raw) = bytes.get(start..start + usize::from(name_len)) else {
                break;
            };
            names.push(String::from_utf8_lossy(raw).into_owned());
            at = start + usize::from(name_len) + usize::from(extra_len) + usize::from(comment_len);
        }
        Ok(names)
    }

    fn find_eocd(bytes: &[u8]) -> Option<usize> {
        let last = bytes.len().checked_sub(EOCD_LEN)?;
        let first = last.saturating_sub(MAX_COMMENT);
        (first..=last)
            .rev()
            .find(|&at| u32_at(bytes, at) == Some(EOCD_SIGNATURE))
    }

    fn zip64_directory(bytes: &[u8], eocd: usize) -> Option<(u64, u64)> {
        let locator = eocd.checked_sub(20)?;
        if u32_at(bytes, locator)? != ZIP64_LOCATOR_SIGNATURE {
            return None;
        }
        let record = usize::try_from(u64_at(bytes, locator + 8)?).ok()?;
        if u32_at(bytes, record)? != ZIP64_EOCD_SIGNATURE {
            return None;
        }
        Some((u64_at(bytes, record + 32)?, u64_at(bytes, record + 48)?))
    }

    fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
        Some(u16::from_le_bytes(
            bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
        ))
    }

    fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
        Some(u32::from_le_bytes(
            bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
        ))
    }

    fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
        Some(u64::from_le_bytes(
            bytes.get(at..at.checked_add(8)?)?.try_into().ok()?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Absolute names, drive letters and `..` segments are unsafe; dots inside names are not.
    #[test]
    fn unsafe_names() {
        assert_eq!(unsafe_name("/etc/passwd"), Some(UnsafeName::Absolute));
        assert_eq!(unsafe_name("C:evil.pq"), Some(UnsafeName::Absolute));
        assert_eq!(unsafe_name("a/../b.pq"), Some(UnsafeName::ParentSegment));
        assert_eq!(unsafe_name("..\\b.pq"), Some(UnsafeName::ParentSegment));
        assert_eq!(unsafe_name("a..b.pq"), None);
    }

    /// Random bytes are one unreadable fact and no entries.
    #[test]
    fn random_bytes_are_unreadable() {
        let package = read_archive(b"not a zip at all", "x.mez", PackageKind::Mez);
        assert!(package.entries.is_empty());
        assert!(matches!(
            package.facts.as_slice(),
            [Fact::Unreadable { .. }]
        ));
    }
}
