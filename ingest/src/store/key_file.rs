//! The server's secret key files: 32 random bytes each, in a file of their own, never in the
//! database and never logged. The recovery key ([`super::recovery::ServerKey`]) and the
//! county key ([`super::county_key`]) are kept so. A file is made `0600` with fresh random
//! bytes when absent, whole or not at all.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::store::private_files;
use crate::store::workers::secret::{self, NoRandomness};

/// The length of every key file.
pub const KEY_FILE_BYTES: usize = 32;

/// Whether the key file was there or made now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFile {
    /// Read from the file that was there.
    Read,
    /// Made now, with fresh random bytes: what was sealed under an earlier file does not open.
    Made,
}

/// Why a key could not be had; the server does not start without its keys.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("cannot read the {what} file {path}: {source}")]
    Read { what: &'static str, path: PathBuf, source: io::Error },
    #[error(
        "the {what} file {path} holds {length} bytes, not {KEY_FILE_BYTES}: put the right file back, or move it away \
         for the server to make a new one (what was sealed under the old one until then no longer opens)"
    )]
    WrongLength { what: &'static str, path: PathBuf, length: u64 },
    #[error("cannot create the {what} file {path}: {source}")]
    Create { what: &'static str, path: PathBuf, source: io::Error },
    #[error("the {what} file {path} is not there")]
    Absent { what: &'static str, path: PathBuf },
    #[error(transparent)]
    NoRandomness(#[from] NoRandomness),
}

/// The bytes of the key file at `path` (`what` names it in messages and the log); when there
/// is none, a new file of random bytes is written there (the folder must exist). A file
/// that cannot be read or is not [`KEY_FILE_BYTES`] long is refused.
pub fn load_or_create(
    path: &Path,
    what: &'static str,
) -> Result<(Zeroizing<[u8; KEY_FILE_BYTES]>, KeyFile), KeyFileError> {
    match load(path, what) {
        Err(KeyFileError::Absent { .. }) => match create(path, what) {
            Ok(key) => Ok((key, KeyFile::Made)),
            // Another process made it meanwhile: that one is the key.
            Err(KeyFileError::Create { source, .. }) if source.kind() == io::ErrorKind::AlreadyExists => {
                load(path, what).map(|key| (key, KeyFile::Read))
            }
            Err(error) => Err(error),
        },
        other => other.map(|key| (key, KeyFile::Read)),
    }
}

/// The bytes of the key file at `path`, which must be there and [`KEY_FILE_BYTES`] long.
pub fn load(path: &Path, what: &'static str) -> Result<Zeroizing<[u8; KEY_FILE_BYTES]>, KeyFileError> {
    let unreadable = |source: io::Error| match source.kind() {
        io::ErrorKind::NotFound => KeyFileError::Absent { what, path: path.to_owned() },
        _ => KeyFileError::Read { what, path: path.to_owned(), source },
    };
    let mut file = File::open(path).map_err(unreadable)?;
    let metadata = file.metadata().map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(unreadable(io::Error::new(io::ErrorKind::InvalidInput, "not a file")));
    }
    let length = metadata.len();
    if length != KEY_FILE_BYTES as u64 {
        return Err(KeyFileError::WrongLength { what, path: path.to_owned(), length });
    }
    let mut bytes = Zeroizing::new([0u8; KEY_FILE_BYTES]);
    file.read_exact(&mut *bytes).map_err(unreadable)?;
    warn_if_others_may_read(path, &file, what);
    Ok(bytes)
}

/// Writes a new key of random bytes at `path`: into a temporary file beside it, synced,
/// then put in place unless a file is there already.
fn create(path: &Path, what: &'static str) -> Result<Zeroizing<[u8; KEY_FILE_BYTES]>, KeyFileError> {
    let failed = |source| KeyFileError::Create { what, path: path.to_owned(), source };
    let bytes = Zeroizing::new(secret::random_bytes::<KEY_FILE_BYTES>()?);
    let folder = path.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // tempfile makes its files `0600`.
    let mut file = tempfile::Builder::new().prefix(".key-").tempfile_in(folder).map_err(failed)?;
    file.write_all(&*bytes).map_err(failed)?;
    file.as_file().sync_all().map_err(failed)?;
    file.persist_noclobber(path).map_err(|error| failed(error.error))?;
    private_files::make_private_if_present(path).map_err(failed)?;
    // The new name survives a power cut.
    if let Err(error) = File::open(folder).and_then(|folder| folder.sync_all()) {
        tracing::warn!(%error, what, "cannot sync a key file's folder");
    }
    tracing::info!(path = %path.display(), what, "made a new key file; keep it apart from the database's backups");
    Ok(bytes)
}

/// Says so in the log when other accounts of the machine may read the key file.
#[cfg(unix)]
fn warn_if_others_may_read(path: &Path, file: &File, what: &'static str) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(metadata) = file.metadata() {
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            tracing::warn!(path = %path.display(), what, mode = format!("{mode:o}"), "other accounts may read a key file; make it 0600");
        }
    }
}

#[cfg(not(unix))]
fn warn_if_others_may_read(_path: &Path, _file: &File, _what: &'static str) {}

#[cfg(test)]
mod tests {
    use super::*;

    const WHAT: &str = "test key";

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_made_once_0600_and_read_back() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.key");
        let (made, how) = load_or_create(&path, WHAT).unwrap();
        assert_eq!(how, KeyFile::Made);
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read(&path).unwrap(), made.to_vec());
        let (read, how) = load_or_create(&path, WHAT).unwrap();
        assert_eq!((how, *read), (KeyFile::Read, *made));
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file left");
    }

    #[test]
    fn a_key_file_of_the_wrong_length_absent_or_in_no_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.key");
        assert!(matches!(load(&path, WHAT), Err(KeyFileError::Absent { .. })));
        std::fs::write(&path, b"short").unwrap();
        let error = load_or_create(&path, WHAT).unwrap_err();
        assert!(matches!(error, KeyFileError::WrongLength { length: 5, .. }), "{error}");
        assert!(error.to_string().contains("the test key file") && error.to_string().contains("not 32"), "{error}");
        assert_eq!(std::fs::read(&path).unwrap(), b"short", "left as it was");

        let nowhere = dir.path().join("absent").join("test.key");
        let error = load_or_create(&nowhere, WHAT).unwrap_err();
        assert!(matches!(error, KeyFileError::Create { .. }), "{error}");
        let folder = load_or_create(dir.path(), WHAT).unwrap_err();
        assert!(matches!(folder, KeyFileError::Read { .. }), "{folder}");
    }
}
