//! The server's recovery key: 256 random bits in a file of their own (`--recovery-key-file`,
//! by default `recovery.key` in the data directory), never in the database and never logged.
//! The data keys that phones leave for a recovery are sealed under it (core's
//! [`vault::seal`], AES-256-GCM), each bound to its device and vault, so that a sealed key
//! copied to another row, or read with another key file, does not open.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tongxing_core::vault::{self, DataKey, Place, SealProblem, IV_BYTES, KEY_BYTES};
use tongxing_core::wire::HexKey;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::store::private_files;
use crate::store::workers::secret::{self, NoRandomness};

/// The key file's name in the data directory, unless `--recovery-key-file` names another.
pub const RECOVERY_KEY_FILE: &str = "recovery.key";

/// The "store" a sealed data key is bound to (its key there: the device and the vault).
const SEALED_IN: &str = "recovery_keys";

/// The server's recovery key, held in memory while the server runs; never printed.
#[derive(Clone)]
pub struct ServerKey(Arc<DataKey>);

/// Whether the key file was there or made now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFile {
    /// Read from the file that was there.
    Read,
    /// Made now, with fresh random bytes: data keys sealed under an earlier file do not open.
    Made,
}

/// Why the server's recovery key could not be had; the server does not start without it.
#[derive(Debug, thiserror::Error)]
pub enum ServerKeyError {
    #[error("cannot read the recovery key file {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error(
        "the recovery key file {path} holds {length} bytes, not {KEY_BYTES}: put the right file back, or move it \
         away for the server to make a new one (the data keys phones left for a recovery until then no longer open)"
    )]
    WrongLength { path: PathBuf, length: u64 },
    #[error("cannot create the recovery key file {path}: {source}")]
    Create { path: PathBuf, source: io::Error },
    #[error(transparent)]
    NoRandomness(#[from] NoRandomness),
}

/// Why a data key could not be sealed or opened.
#[derive(Debug, thiserror::Error)]
pub enum SealedKeyError {
    #[error(transparent)]
    NoRandomness(#[from] NoRandomness),
    /// Sealed under another key file, for another device or vault, or changed.
    #[error("a data key left for a recovery does not open under this recovery key: {0}")]
    Sealed(#[from] SealProblem),
    /// It opened, but what it held is not a data key.
    #[error("a data key left for a recovery opened, but holds no key")]
    NotAKey,
}

impl ServerKey {
    /// The key of the file at `path`; when there is none, a new key of random bytes is
    /// written there, `0600` (the folder must exist). A file that cannot be read or is not
    /// [`KEY_BYTES`] long is refused.
    pub fn load_or_create(path: &Path) -> Result<(ServerKey, KeyFile), ServerKeyError> {
        match read(path) {
            Err(ServerKeyError::Read { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
                match create(path) {
                    Ok(key) => Ok((key, KeyFile::Made)),
                    // Another process made it meanwhile: that one is the key.
                    Err(ServerKeyError::Create { source, .. }) if source.kind() == io::ErrorKind::AlreadyExists => {
                        read(path).map(|key| (key, KeyFile::Read))
                    }
                    Err(error) => Err(error),
                }
            }
            other => other.map(|key| (key, KeyFile::Read)),
        }
    }

    /// A key of these bytes (tests).
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> ServerKey {
        ServerKey(Arc::new(DataKey::from_bytes(bytes)))
    }

    /// `key`, the data key of `vault` on `device`, sealed for the database.
    pub fn seal(&self, device: Uuid, vault: Uuid, key: &HexKey) -> Result<Vec<u8>, SealedKeyError> {
        let iv = secret::random_bytes::<IV_BYTES>()?;
        let plain = Zeroizing::new(String::from(key.clone()));
        Ok(vault::seal(&self.0, iv, Place::new(SEALED_IN, &place_key(device, vault)), plain.as_bytes())?)
    }

    /// The data key of `vault` on `device` that [`ServerKey::seal`] sealed as `sealed`.
    pub fn open(&self, device: Uuid, vault: Uuid, sealed: &[u8]) -> Result<HexKey, SealedKeyError> {
        let mut plain = Zeroizing::new(vault::open(&self.0, Place::new(SEALED_IN, &place_key(device, vault)), sealed)?);
        let text = String::from_utf8(std::mem::take(&mut *plain)).map_err(|_| SealedKeyError::NotAKey)?;
        // Wipes the text it reads.
        HexKey::try_from(text).map_err(|_| SealedKeyError::NotAKey)
    }
}

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey(…)")
    }
}

/// Where a sealed data key belongs: its device and its vault.
fn place_key(device: Uuid, vault: Uuid) -> String {
    format!("{device}/{vault}")
}

/// The key of the file at `path`, which must be [`KEY_BYTES`] long.
fn read(path: &Path) -> Result<ServerKey, ServerKeyError> {
    let unreadable = |source| ServerKeyError::Read { path: path.to_owned(), source };
    let mut file = File::open(path).map_err(unreadable)?;
    let metadata = file.metadata().map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(unreadable(io::Error::new(io::ErrorKind::InvalidInput, "not a file")));
    }
    let length = metadata.len();
    if length != KEY_BYTES as u64 {
        return Err(ServerKeyError::WrongLength { path: path.to_owned(), length });
    }
    let mut bytes = Zeroizing::new([0u8; KEY_BYTES]);
    file.read_exact(&mut *bytes).map_err(unreadable)?;
    warn_if_others_may_read(path, &file);
    Ok(ServerKey::from_bytes(*bytes))
}

/// Writes a new key of random bytes at `path`, whole or not at all: into a temporary file
/// beside it, synced, then put in place unless a file is there already.
fn create(path: &Path) -> Result<ServerKey, ServerKeyError> {
    let failed = |source| ServerKeyError::Create { path: path.to_owned(), source };
    let bytes = Zeroizing::new(secret::random_bytes::<KEY_BYTES>()?);
    let folder = path.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // tempfile makes its files `0600`.
    let mut file = tempfile::Builder::new().prefix(".recovery-key-").tempfile_in(folder).map_err(failed)?;
    file.write_all(&*bytes).map_err(failed)?;
    file.as_file().sync_all().map_err(failed)?;
    file.persist_noclobber(path).map_err(|error| failed(error.error))?;
    private_files::make_private_if_present(path).map_err(failed)?;
    // The new name survives a power cut.
    if let Err(error) = File::open(folder).and_then(|folder| folder.sync_all()) {
        tracing::warn!(%error, "cannot sync the recovery key's folder");
    }
    tracing::info!(path = %path.display(), "made a new recovery key file; keep it apart from the database's backups");
    Ok(ServerKey::from_bytes(*bytes))
}

/// Says so in the log when other accounts of the machine may read the key file.
#[cfg(unix)]
fn warn_if_others_may_read(path: &Path, file: &File) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(metadata) = file.metadata() {
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            tracing::warn!(path = %path.display(), mode = format!("{mode:o}"), "other accounts may read the recovery key file; make it 0600");
        }
    }
}

#[cfg(not(unix))]
fn warn_if_others_may_read(_path: &Path, _file: &File) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_key(byte: u8) -> HexKey {
        HexKey::new(DataKey::from_bytes([byte; KEY_BYTES]))
    }

    #[test]
    fn a_sealed_key_opens_only_for_its_device_and_vault_under_its_server_key() {
        let server = ServerKey::from_bytes([7; KEY_BYTES]);
        let (device, vault) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let sealed = server.seal(device, vault, &data_key(0xab)).unwrap();
        assert!(!sealed.windows(KEY_BYTES).any(|w| w == [0xab; KEY_BYTES]), "the key's bytes are not in the clear");
        assert!(!sealed.windows(8).any(|w| w == b"abababab"), "nor its hex");
        assert!(server.open(device, vault, &sealed).unwrap() == data_key(0xab));

        let other_device = Uuid::from_u128(3);
        assert!(matches!(server.open(other_device, vault, &sealed), Err(SealedKeyError::Sealed(SealProblem::Refused))));
        assert!(matches!(server.open(device, other_device, &sealed), Err(SealedKeyError::Sealed(_))));
        let other_server = ServerKey::from_bytes([8; KEY_BYTES]);
        assert!(matches!(other_server.open(device, vault, &sealed), Err(SealedKeyError::Sealed(_))));
        assert_ne!(server.seal(device, vault, &data_key(0xab)).unwrap(), sealed, "a fresh IV every time");
        assert_eq!(format!("{server:?}"), "ServerKey(…)");
    }

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_made_once_0600_and_read_back() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(RECOVERY_KEY_FILE);
        let (made, how) = ServerKey::load_or_create(&path).unwrap();
        assert_eq!(how, KeyFile::Made);
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read(&path).unwrap().len(), KEY_BYTES);
        let (read, how) = ServerKey::load_or_create(&path).unwrap();
        assert_eq!(how, KeyFile::Read);
        let (device, vault) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let sealed = made.seal(device, vault, &data_key(1)).unwrap();
        assert!(read.open(device, vault, &sealed).unwrap() == data_key(1), "the same key");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file left");
    }

    #[test]
    fn a_key_file_of_the_wrong_length_or_in_no_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(RECOVERY_KEY_FILE);
        std::fs::write(&path, b"short").unwrap();
        let error = ServerKey::load_or_create(&path).unwrap_err();
        assert!(matches!(error, ServerKeyError::WrongLength { length: 5, .. }), "{error}");
        assert!(error.to_string().contains("not 32"), "{error}");
        assert_eq!(std::fs::read(&path).unwrap(), b"short", "left as it was");

        let nowhere = dir.path().join("absent").join(RECOVERY_KEY_FILE);
        let error = ServerKey::load_or_create(&nowhere).unwrap_err();
        assert!(matches!(error, ServerKeyError::Create { .. }), "{error}");
        let folder = ServerKey::load_or_create(dir.path()).unwrap_err();
        assert!(matches!(folder, ServerKeyError::Read { .. }), "{folder}");
    }
}
