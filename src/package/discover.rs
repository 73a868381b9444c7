//! From the paths a user gives to the packages to check: archives, project folders, bare files,
//! and folders of packages searched recursively (respecting `.gitignore`).

use std::path::{Path, PathBuf};

use super::{PackageKind, file_extension, is_section_document_name, kind_of_file};

/// Deepest folder level searched below a folder of packages.
pub const MAX_DISCOVERY_DEPTH: usize = 16;

/// One package to check.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    pub path: PathBuf,
    /// The path as shown to users, with `/` separators.
    pub display: String,
}

/// Why the given paths cannot be checked (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{0}: no such file or directory")]
    NotFound(String),
    #[error(
        "{0}: not a connector package (expected a .mez, .pqx, .pq, .m or .pqm file, or a folder)"
    )]
    Unsupported(String),
    #[error("{0}: no connector packages found (no .mez or .pqx files and no project folders)")]
    Empty(String),
}

/// The inputs found, and the folders given that hold no package.
pub struct Discovered {
    pub inputs: Vec<Input>,
    /// Folders skipped because they hold no package: an error for the caller to show as a
    /// warning, so one empty folder does not stop a run over many.
    pub empty: Vec<DiscoverError>,
}

/// Expands user paths into package inputs, sorted and without duplicates. A folder holding
/// no package is an error when no path yields a package; otherwise it is listed in
/// [`Discovered::empty`].
pub fn discover(paths: &[PathBuf]) -> Result<Discovered, DiscoverError> {
    let mut empty = Vec::new();
    let mut inputs = Vec::new();
    for path in paths {
        let display = display_path(path);
        let metadata =
            std::fs::metadata(path).map_err(|_| DiscoverError::NotFound(display.clone()))?;
        if metadata.is_file() {
            if !is_checkable_file(&display) {
                return Err(DiscoverError::Unsupported(display));
            }
            inputs.push(Input {
                path: path.clone(),
                display,
            });
        } else if is_project_folder(path) {
            inputs.push(Input {
                path: path.clone(),
                display,
            });
        } else {
            let found = search_folder(path);
            if found.is_empty() {
                empty.push(display);
            }
            inputs.extend(found);
        }
    }
    if inputs.is_empty()
        && let Some(first) = empty.first()
    {
        return Err(DiscoverError::Empty(first.clone()));
    }
    inputs.sort();
    inputs.dedup_by(|a, b| a.display == b.display);
    drop_files_of_project_folders(&mut inputs);
    Ok(Discovered {
        inputs,
        empty: empty.into_iter().map(DiscoverError::Empty).collect(),
    })
}

/// Removes M files that sit at the root of a project folder also given (`check . Kestrel.pq`,
/// as editors and pre-commit hooks call it): the folder's check already reads them, and
/// checking them again would compare the connector with itself.
fn drop_files_of_project_folders(inputs: &mut Vec<Input>) {
    let canonical =
        |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let folders: Vec<PathBuf> = inputs
        .iter()
        .filter(|input| input.path.is_dir())
        .map(|input| canonical(&input.path))
        .collect();
    if folders.is_empty() {
        return;
    }
    inputs.retain(|input| {
        let is_m_file = !input.path.is_dir()
            && !matches!(
                kind_of_file(&input.display),
                PackageKind::Mez | PackageKind::Pqx
            );
        let in_folder = || {
            canonical(&input.path)
                .parent()
                .is_some_and(|parent| folders.iter().any(|folder| folder == parent))
        };
        !(is_m_file && in_folder())
    });
}

/// Files mezcheck reads when named explicitly.
pub fn is_checkable_file(name: &str) -> bool {
    matches!(kind_of_file(name), PackageKind::Mez | PackageKind::Pqx)
        || matches!(file_extension(name).as_str(), "pq" | "m" | "pqm")
}

/// A folder is a connector project when its root holds M source, a project file or resources.
pub fn is_project_folder(path: &Path) -> bool {
    let Ok(read) = std::fs::read_dir(path) else {
        return false;
    };
    read.filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .any(|e| {
            let name = e.file_name().to_string_lossy().to_ascii_lowercase();
            is_section_document_name(&name)
                || matches!(file_extension(&name).as_str(), "pqm" | "proj" | "mproj")
                || (name.starts_with("resources") && name.ends_with(".resx"))
        })
}

fn search_folder(root: &Path) -> Vec<Input> {
    let mut found = Vec::new();
    // The walk is depth first in path order, so a project folder's entries all follow it:
    // only the last one found can contain the current entry.
    let mut project_dir: Option<PathBuf> = None;
    let walker = ignore::WalkBuilder::new(root)
        .max_depth(Some(MAX_DISCOVERY_DEPTH))
        .follow_links(false)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    for entry in walker.filter_map(Result::ok) {
        let path = entry.path();
        if project_dir
            .as_ref()
            .is_some_and(|dir| path.starts_with(dir))
        {
            continue;
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        if is_dir && path != root && is_project_folder(path) {
            project_dir = Some(path.to_path_buf());
            found.push(Input {
                path: path.to_path_buf(),
                display: display_path(path),
            });
        } else if !is_dir
            && matches!(
                kind_of_file(&path.to_string_lossy()),
                PackageKind::Mez | PackageKind::Pqx
            )
        {
            found.push(Input {
                path: path.to_path_buf(),
                display: display_path(path),
            });
        }
    }
    found
}

/// A path as users see it: as given, `./` removed, `/` separators.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let trimmed = text.strip_prefix("./").unwrap_or(&text);
    let trimmed = if trimmed.len() > 1 {
        trimmed.trim_end_matches('/')
    } else {
        trimmed
    };
    if trimmed.is_empty() {
        ".".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths() {
        assert_eq!(display_path(Path::new("./samples/clean/")), "samples/clean");
        assert_eq!(display_path(Path::new(".")), ".");
        assert_eq!(display_path(Path::new("/")), "/");
    }

    #[test]
    fn checkable_files() {
        assert!(is_checkable_file("a/Kestrel.MEZ"));
        assert!(is_checkable_file("Kestrel.query.pq"));
        assert!(!is_checkable_file("notes.txt"));
    }
}
