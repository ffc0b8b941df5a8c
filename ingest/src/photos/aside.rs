//! A photo set aside by the cleanup while its row's removal commits: moved to
//! `tmp/removing-<sha256>` in the folder, or to `removing/<sha256>` in a bucket
//! ([`super::bucket`]); then put back if the commit failed, or deleted once it is done. The
//! cleanup ([`super::cleanup`]) runs the same steps on either.

use std::io;
use std::path::{Path, PathBuf};

use super::{placing, PhotoError, PhotoHash, PhotoStore};

/// The name prefix, in `tmp/`, of a photo file set aside to be removed.
const REMOVING_PREFIX: &str = "removing-";

impl PhotoStore {
    /// Where the folder sets the photo `hash` aside.
    pub(crate) fn aside_path_of(&self, hash: &PhotoHash) -> PathBuf {
        self.tmp.join(format!("{REMOVING_PREFIX}{hash}"))
    }

    /// Sets the photo `hash` aside; `false` when it was not there.
    pub(crate) async fn set_aside(&self, hash: &PhotoHash) -> Result<bool, PhotoError> {
        if let Some(bucket) = &self.bucket {
            return Ok(bucket.set_aside(hash).await?);
        }
        let file = self.path_of(hash);
        match std::fs::rename(&file, self.aside_path_of(hash)) {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(at(&file, error).into()),
        }
    }

    /// Puts the photo `hash` set aside back in its place (its folder made again if it went
    /// meanwhile).
    pub(crate) async fn put_back(&self, hash: &PhotoHash) -> Result<(), PhotoError> {
        if let Some(bucket) = &self.bucket {
            return Ok(bucket.put_back(hash).await?);
        }
        let (aside, file) = (self.aside_path_of(hash), self.path_of(hash));
        if let Some(shard) = file.parent() {
            crate::store::private_files::create_private_dir_all(shard).map_err(|error| at(shard, error))?;
        }
        std::fs::rename(&aside, &file).map_err(|error| at(&aside, error).into())
    }

    /// Deletes the photo `hash` set aside; one gone already is fine.
    pub(crate) async fn delete_aside(&self, hash: &PhotoHash) -> Result<(), PhotoError> {
        if let Some(bucket) = &self.bucket {
            return Ok(bucket.delete_aside(hash).await?);
        }
        let aside = self.aside_path_of(hash);
        placing::remove_if_present(&aside).map_err(|error| at(&aside, error).into())
    }

    /// The photos set aside by a cleanup that stopped before its end.
    pub(crate) async fn set_aside_photos(&self) -> Result<Vec<PhotoHash>, PhotoError> {
        if let Some(bucket) = &self.bucket {
            return Ok(bucket.set_aside_photos().await?);
        }
        let entries = match std::fs::read_dir(&self.tmp) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(at(&self.tmp, error).into()),
        };
        let mut aside = Vec::new();
        for entry in entries {
            let name = entry.map_err(|error| at(&self.tmp, error))?.file_name();
            let hash =
                name.to_str().and_then(|n| n.strip_prefix(REMOVING_PREFIX)).and_then(|h| PhotoHash::parse(h).ok());
            aside.extend(hash);
        }
        Ok(aside)
    }

    /// Whether the photo `hash` is in its place.
    pub(crate) async fn holds(&self, hash: &PhotoHash) -> Result<bool, PhotoError> {
        match &self.bucket {
            Some(bucket) => Ok(bucket.holds(hash).await?),
            None => Ok(tokio::fs::try_exists(self.path_of(hash)).await?),
        }
    }
}

/// `error`, saying which file.
fn at(path: &Path, error: io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}
