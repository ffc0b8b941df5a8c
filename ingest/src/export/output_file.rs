//! An export's file: written beside its destination and renamed into place once complete
//! and synced, so that a half-written export never stands under its name (an interrupted
//! one leaves nothing behind).

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use tempfile::TempPath;

/// A file being written, not yet in place.
#[derive(Debug)]
pub struct PendingFile {
    temp: TempPath,
    destination: PathBuf,
}

/// Creates a temporary file in the folder of `destination`, for [`PendingFile::commit`] to
/// put in its place. Dropped without a commit, the temporary file is removed.
pub fn create_beside(destination: &Path) -> io::Result<(File, PendingFile)> {
    let folder = destination.parent().filter(|folder| !folder.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let (file, temp) = tempfile::Builder::new().prefix(".tongxing-export-").tempfile_in(folder)?.into_parts();
    Ok((file, PendingFile { temp, destination: destination.to_owned() }))
}

impl PendingFile {
    /// Syncs `file` (the one [`create_beside`] gave, fully written) and renames it into place.
    pub fn commit(self, file: File) -> io::Result<()> {
        file.sync_all()?;
        drop(file);
        self.temp.persist(&self.destination).map_err(|error| error.error)?;
        Ok(())
    }

    /// Where it goes.
    pub fn destination(&self) -> &Path {
        &self.destination
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn the_file_appears_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let destination = dir.path().join("visits.csv");
        let (mut file, pending) = create_beside(&destination).unwrap();
        file.write_all(b"id\n").unwrap();
        assert!(!destination.exists());
        pending.commit(file).unwrap();
        assert_eq!(std::fs::read(&destination).unwrap(), b"id\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file left");

        let (file, pending) = create_beside(&dir.path().join("other.csv")).unwrap();
        drop((file, pending));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "an abandoned file is removed");
    }
}
