//! Putting a checked, synced file into place under its photo name, so that the name survives
//! a power cut.

use std::io;
use std::path::Path;

use super::PhotoOutcome;

/// Renames the synced file to `target` unless a file is there already, then syncs the
/// folders. Two requests racing with the same photo cannot both create it: the rename
/// refuses to replace, so one is `Created` and the other `Held`, and both answer only once
/// the name is synced. The file is removed when it is not used.
pub fn put_in_place(file: tempfile::TempPath, target: &Path) -> io::Result<PhotoOutcome> {
    let shard = target.parent().ok_or_else(|| io::Error::other("a photo path has a folder"))?;
    let photos = shard.parent().ok_or_else(|| io::Error::other("a photo folder has a parent"))?;
    if !shard.exists() {
        crate::store::private_files::create_private_dir_all(shard)?;
        sync_dir(photos)?;
    }
    let outcome = match file.persist_noclobber(target) {
        Ok(()) => PhotoOutcome::Created,
        // The file is removed when the error (which holds it) is dropped.
        Err(error) if error.error.kind() == io::ErrorKind::AlreadyExists => PhotoOutcome::Held,
        Err(error) => return Err(error.error),
    };
    sync_dir(shard)?;
    Ok(outcome)
}

/// A temp file in `folder` holding `bytes`, synced, to be put in place.
pub fn synced_temp_file(folder: &Path, prefix: &str, bytes: &[u8]) -> io::Result<tempfile::TempPath> {
    let mut file = tempfile::Builder::new().prefix(prefix).tempfile_in(folder)?;
    io::Write::write_all(&mut file, bytes)?;
    file.as_file().sync_all()?;
    Ok(file.into_temp_path())
}

/// Removes `path`; one that is gone already is fine.
pub fn remove_if_present(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

#[cfg(unix)]
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
pub fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(()) // folders cannot be opened for syncing on Windows; renames there are journaled
}
