//! Project folders and bare files: the package the SDK build would produce from an author's
//! folder. Content is the section document, root `.pqm`, `.png` and `resources*.resx` files, or
//! exactly the `MezContent` items of a `.proj` (the `Compile` items of a legacy `.mproj`) when
//! there is one. Other root files are kept as files `MakePQX compile` would pack; files below the
//! root are listed by name only, so references to them can be reported.

use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{
    Capped, Entry, Fact, LoadError, MAX_ENTRIES, MAX_TOTAL_BYTES, MAX_XML_ENTRY_BYTES, Overlay,
    Package, PackageKind, Packing, entry_limit, file_extension, io_error, is_section_document_name,
};

/// How deep below a project folder files are listed.
pub const MAX_SUBFOLDER_DEPTH: usize = 8;

/// Reads an unpacked connector project.
pub fn read_project_folder(root: &Path, display: &str) -> Result<Package, LoadError> {
    read_project_folder_with(root, display, &Overlay::new())
}

/// Reads an unpacked connector project with the files of `overlay` in place of those on disk
/// (an editor's unsaved buffers); overlaid files the disk does not have yet are read too.
pub fn read_project_folder_with(
    root: &Path,
    display: &str,
    overlay: &Overlay,
) -> Result<Package, LoadError> {
    let mut package = Package {
        path: display.to_owned(),
        kind: PackageKind::Folder,
        entries: Vec::new(),
        facts: Vec::new(),
        docs_dir: Some(root.to_path_buf()),
        overlay: (!overlay.is_empty()).then(|| std::sync::Arc::new(overlay.clone())),
    };
    let mut root_files = list_root_files(root).map_err(|e| io_error(display, e))?;
    root_files.extend(overlay.names_in(root));
    root_files.sort();
    root_files.dedup();
    let declared_content = project_content_list(root, &root_files, overlay);
    let mut budget = MAX_TOTAL_BYTES;
    for name in &root_files {
        let Some(packing) = root_packing(name, declared_content.as_deref()) else {
            continue;
        };
        if package.entries.len() >= MAX_ENTRIES {
            package.facts.push(Fact::TooManyEntries {
                count: root_files.len() as u64,
                limit: MAX_ENTRIES,
            });
            break;
        }
        let path = root.join(name);
        let entry = read_file_entry(
            overlay,
            &path,
            name,
            join_display(display, name),
            packing,
            &mut budget,
            &mut package.facts,
        );
        package.entries.push(entry);
    }
    let mut below = Vec::new();
    list_subfolder_files(root, "", 0, &mut below);
    for name in below {
        package.entries.push(Entry {
            disk_path: Some(join_display(display, &name)),
            name,
            packing: Packing::Subfolder,
            data: Vec::new(),
            read: false,
        });
    }
    Ok(package)
}

/// Reads a bare `.pq`, `.m`, `.pqm` or `.query.pq` file as a package of one entry.
pub fn read_bare_file(path: &Path, display: &str) -> Result<Package, LoadError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| display.to_owned());
    let mut facts = Vec::new();
    let mut budget = MAX_TOTAL_BYTES;
    std::fs::File::open(path).map_err(|e| io_error(display, e))?;
    let entry = read_file_entry(
        &Overlay::new(),
        path,
        &name,
        display.to_owned(),
        Packing::Content,
        &mut budget,
        &mut facts,
    );
    Ok(Package {
        path: display.to_owned(),
        kind: PackageKind::File,
        entries: vec![entry],
        facts,
        docs_dir: Some(super::parent_dir(path)),
        overlay: None,
    })
}

/// A bare M file read from elsewhere (standard input) as a package of one entry, as
/// [`read_bare_file`] reads one from disk.
pub fn bare_file_from(bytes: Capped, display: &str) -> Package {
    let name = Path::new(display)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| display.to_owned());
    let mut entry = Entry {
        name: name.clone(),
        disk_path: Some(display.to_owned()),
        packing: Packing::Content,
        data: Vec::new(),
        read: false,
    };
    let mut facts = Vec::new();
    match bytes {
        Capped::Whole(data) => {
            entry.data = data;
            entry.read = true;
        }
        Capped::TooLarge(size) => facts.push(Fact::EntryTooLarge {
            limit: entry_limit(&name),
            name,
            size,
            declared: false,
        }),
    }
    Package {
        path: display.to_owned(),
        kind: PackageKind::File,
        entries: vec![entry],
        facts,
        docs_dir: None,
        overlay: None,
    }
}

/// Whether (and how) a root file belongs to the package; `None` for files that never do.
fn root_packing(name: &str, declared: Option<&[String]>) -> Option<Packing> {
    let lower = name.to_ascii_lowercase();
    let never = lower.starts_with('.')
        || lower.ends_with(".query.pq")
        || lower.ends_with(".test.pq")
        || matches!(file_extension(&lower).as_str(), "proj" | "mproj" | "md");
    if never {
        return None;
    }
    let content = match declared {
        Some(items) => items.iter().any(|item| item.eq_ignore_ascii_case(name)),
        None => {
            is_section_document_name(name)
                || matches!(file_extension(&lower).as_str(), "pqm" | "png")
                || (lower.starts_with("resources") && lower.ends_with(".resx"))
        }
    };
    Some(if content {
        Packing::Content
    } else {
        Packing::MakePqxOnly
    })
}

fn read_file_entry(
    overlay: &Overlay,
    path: &Path,
    name: &str,
    disk_path: String,
    packing: Packing,
    budget: &mut u64,
    facts: &mut Vec<Fact>,
) -> Entry {
    let mut entry = Entry {
        name: name.to_owned(),
        disk_path: Some(disk_path),
        packing,
        data: Vec::new(),
        read: false,
    };
    let limit = entry_limit(name);
    match overlay.read_capped(path, limit.min(*budget)) {
        Ok(Capped::Whole(data)) => {
            *budget = budget.saturating_sub(data.len() as u64);
            entry.data = data;
            entry.read = true;
        }
        Ok(Capped::TooLarge(size)) if size > limit => facts.push(Fact::EntryTooLarge {
            name: name.to_owned(),
            size,
            limit,
            declared: false,
        }),
        Ok(Capped::TooLarge(size)) => facts.push(Fact::PackageTooLarge {
            size: MAX_TOTAL_BYTES - *budget + size,
            limit: MAX_TOTAL_BYTES,
            what: "package content",
        }),
        Err(error) => facts.push(Fact::Unreadable {
            reason: format!("`{name}` cannot be read ({error})"),
        }),
    }
    entry
}

fn list_root_files(root: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for dir_entry in std::fs::read_dir(root)? {
        let dir_entry = dir_entry?;
        if dir_entry.file_type().is_ok_and(|t| t.is_file()) {
            names.push(dir_entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// Files below the root, by relative name, skipping build output, editor folders and dot-folders.
fn list_subfolder_files(dir: &Path, prefix: &str, depth: usize, out: &mut Vec<String>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let mut children: Vec<_> = read.filter_map(Result::ok).collect();
    children.sort_by_key(|c| c.file_name());
    for child in children {
        let name = child.file_name().to_string_lossy().into_owned();
        let Ok(file_type) = child.file_type() else {
            continue;
        };
        let relative = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        if file_type.is_dir() {
            let skipped = name.starts_with('.')
                || matches!(name.as_str(), "bin" | "obj" | "node_modules" | "target");
            if !skipped && depth < MAX_SUBFOLDER_DEPTH {
                list_subfolder_files(&child.path(), &relative, depth + 1, out);
            }
        } else if depth > 0 && file_type.is_file() && out.len() < MAX_ENTRIES {
            out.push(relative);
        }
    }
    if depth == 0 {
        out.retain(|name| name.contains('/'));
    }
}

fn join_display(display: &str, name: &str) -> String {
    let trimmed = display.trim_end_matches(['/', '\\']);
    if trimmed.is_empty() || trimmed == "." {
        name.to_owned()
    } else {
        format!("{trimmed}/{name}")
    }
}

/// The package content a `.proj` (`MezContent` items) or legacy `.mproj` (`Compile` items)
/// declares, by bare file name; `None` when there is no such project file or it lists nothing.
fn project_content_list(
    root: &Path,
    root_files: &[String],
    overlay: &Overlay,
) -> Option<Vec<String>> {
    let project = root_files
        .iter()
        .find(|n| file_extension(n) == "proj")
        .map(|n| (n, "MezContent"))
        .or_else(|| {
            root_files
                .iter()
                .find(|n| file_extension(n) == "mproj")
                .map(|n| (n, "Compile"))
        })?;
    let Ok(Capped::Whole(bytes)) = overlay.read_capped(&root.join(project.0), MAX_XML_ENTRY_BYTES)
    else {
        return None;
    };
    let includes = item_includes(&bytes, project.1);
    let project_name = super::file_stem(project.0);
    let mut names = Vec::new();
    for include in includes.iter().flat_map(|i| i.split(';')) {
        let include = include
            .trim()
            .replace('\\', "/")
            .replace("$(MSBuildProjectName)", project_name)
            .replace("$(ProjectName)", project_name);
        if include.is_empty() {
            continue;
        }
        if include.contains("$(") {
            // An MSBuild property we cannot evaluate: the list is not reliable, so the SDK
            // template's content rules apply instead.
            return None;
        }
        let bare = include.rsplit('/').next().unwrap_or(&include).to_owned();
        if include.contains(['*', '?']) {
            let Ok(glob) = globset::Glob::new(&bare) else {
                continue;
            };
            let matcher = glob.compile_matcher();
            names.extend(
                root_files
                    .iter()
                    .filter(|f| matcher.is_match(f.as_str()))
                    .cloned(),
            );
        } else {
            names.push(bare);
        }
    }
    (!names.is_empty()).then_some(names)
}

/// The `Include` attributes of every element with local name `item` (XML depth-limited).
fn item_includes(bytes: &[u8], item: &str) -> Vec<String> {
    let mut reader = Reader::from_reader(bytes);
    let mut includes = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == item => {
                for attr in e.attributes().flatten() {
                    if attr.key.local_name().as_ref() == "Include"
                        && let Ok(value) = attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    {
                        includes.push(value.into_owned());
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    includes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without a project file, the SDK template's content rules apply; other root files are
    /// what MakePQX would add; project and test files never belong.
    #[test]
    fn default_root_packing() {
        assert_eq!(root_packing("Kestrel.pq", None), Some(Packing::Content));
        assert_eq!(root_packing("Kestrel16.png", None), Some(Packing::Content));
        assert_eq!(
            root_packing("resources.de.resx", None),
            Some(Packing::Content)
        );
        assert_eq!(
            root_packing("client_secret", None),
            Some(Packing::MakePqxOnly)
        );
        assert_eq!(root_packing("Kestrel.query.pq", None), None);
        assert_eq!(root_packing("Kestrel.proj", None), None);
        assert_eq!(root_packing("kestrel.md", None), None);
        assert_eq!(root_packing(".gitignore", None), None);
    }

    /// A `.proj` MezContent list is authoritative.
    #[test]
    fn declared_content_wins() {
        let declared = vec!["Kestrel.pq".to_owned()];
        assert_eq!(
            root_packing("Kestrel.pq", Some(&declared)),
            Some(Packing::Content)
        );
        assert_eq!(
            root_packing("Extra.png", Some(&declared)),
            Some(Packing::MakePqxOnly)
        );
    }

    /// `$(MSBuildProjectName)` in an item is the project file's name; other properties make the
    /// list unreliable, and the default content rules apply.
    #[test]
    fn project_properties_in_items() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = [
            "Wren.pq".to_owned(),
            "Wren.proj".to_owned(),
            "Wren16.png".to_owned(),
        ];
        std::fs::write(dir.path().join("Wren.proj"), r#"<Project><ItemGroup><MezContent Include="$(MSBuildProjectName).pq" /><MezContent Include="*.png" /></ItemGroup></Project>"#).expect("write");
        assert_eq!(
            project_content_list(dir.path(), &files, &Overlay::new()),
            Some(vec!["Wren.pq".to_owned(), "Wren16.png".to_owned()])
        );
        std::fs::write(dir.path().join("Wren.proj"), r#"<Project><ItemGroup><MezContent Include="$(OutDir)Wren.pq" /></ItemGroup></Project>"#).expect("write");
        assert_eq!(
            project_content_list(dir.path(), &files, &Overlay::new()),
            None
        );
    }

    /// MezContent items are read with quick-xml, including `;`-joined lists.
    #[test]
    fn reads_mez_content_items() {
        let xml = br#"<Project><ItemGroup><MezContent Include="A.pq;B.png" /><MezContent Include="resources.resx"></MezContent><None Include="x" /></ItemGroup></Project>"#;
        assert_eq!(
            item_includes(xml, "MezContent"),
            vec!["A.pq;B.png", "resources.resx"]
        );
    }
}
