//! Unsaved text in place of files on disk: an editor's open buffers, keyed by their path, read
//! instead of the file when a project folder is read. A path in the overlay that does not exist
//! on disk yet is read as if it did. The overlay does not watch files or know editors; it is
//! plain data handed to [`super::read_project_folder_with`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Capped, read_capped};

/// File contents by path, consulted before the disk.
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl Overlay {
    pub fn new() -> Self {
        Overlay::default()
    }

    /// Puts `bytes` in place of the file at `path` (as the project folder reader joins it:
    /// the folder given, then the file name).
    pub fn insert(&mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    pub fn get(&self, path: &Path) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Names of the overlaid files directly in `dir`.
    pub(crate) fn names_in<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = String> + 'a {
        self.files
            .keys()
            .filter(move |path| path.parent() == Some(dir))
            .filter_map(|path| Some(path.file_name()?.to_string_lossy().into_owned()))
    }

    /// The overlaid bytes of `path` under `limit`, else the file on disk.
    pub(crate) fn read_capped(&self, path: &Path, limit: u64) -> std::io::Result<Capped> {
        match self.files.get(path) {
            Some(bytes) if bytes.len() as u64 > limit => Ok(Capped::TooLarge(bytes.len() as u64)),
            Some(bytes) => Ok(Capped::Whole(bytes.clone())),
            None => read_capped(path, limit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Overlaid text wins over the disk, is capped like a file, and lists new files by name.
    #[test]
    fn overlaid_text_wins() {
        let dir = tempfile::tempdir().expect("temp dir");
        let on_disk = dir.path().join("A.pq");
        std::fs::write(&on_disk, "section A;").expect("write");
        let mut overlay = Overlay::new();
        assert!(overlay.is_empty());
        assert!(matches!(
            overlay.read_capped(&on_disk, 100),
            Ok(Capped::Whole(bytes)) if bytes == b"section A;"
        ));
        overlay.insert(&on_disk, "section B;");
        overlay.insert(dir.path().join("new.pqm"), "1");
        assert!(matches!(
            overlay.read_capped(&on_disk, 100),
            Ok(Capped::Whole(bytes)) if bytes == b"section B;"
        ));
        assert!(matches!(
            overlay.read_capped(&on_disk, 4),
            Ok(Capped::TooLarge(10))
        ));
        let names: Vec<String> = overlay.names_in(dir.path()).collect();
        assert_eq!(names, ["A.pq", "new.pqm"]);
        assert_eq!(overlay.get(&on_disk), Some(&b"section B;"[..]));
    }
}
