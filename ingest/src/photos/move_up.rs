//! Moving a county's photo folder up into a province's bucket (`tongxing-ingest
//! migrate-to`): every photo the county's `photos` table notes, read from the folder,
//! checked against its name (its SHA-256) and its noted size, written to the bucket, and
//! looked at there once written. A photo the bucket holds already at its size is not sent
//! again, so the move can run again after a cut.

use futures_util::{StreamExt, TryStreamExt};
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use super::{PhotoBucket, PhotoHash, PhotoStore};
use crate::store::db::{self, StorageError};

/// Photos sent to the bucket at once.
const AT_ONCE: usize = 8;

/// What moving the photos did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhotosMoved {
    /// Written to the bucket now.
    pub copied: u64,
    /// In the bucket already, at their size.
    pub already_there: u64,
    /// The bytes written now.
    pub bytes: u64,
    /// Noted by the county but missing from its folder: lost before the move.
    pub missing: Vec<PhotoHash>,
}

/// Why the photos could not be moved.
#[derive(Debug, thiserror::Error)]
pub enum MovePhotosError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("cannot reach the photo bucket: {0}")]
    Bucket(#[from] object_store::Error),
    #[error("cannot read the photo {hash} from the folder: {source}")]
    Read { hash: PhotoHash, source: std::io::Error },
    #[error("the photo {hash} in the folder is damaged: its bytes are not the photo its name says")]
    Damaged { hash: PhotoHash },
    #[error("the photo {hash} is {found} bytes in the bucket after it was written, not {expected}")]
    NotWhole { hash: PhotoHash, expected: u64, found: u64 },
}

/// What became of one photo.
enum Moved {
    Copied(u64),
    AlreadyThere,
    Missing(PhotoHash),
}

/// Writes every photo that `source` notes from `folder` to `bucket`.
pub async fn move_photos(
    source: &AnyPool,
    folder: &PhotoStore,
    bucket: &PhotoBucket,
) -> Result<PhotosMoved, MovePhotosError> {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT sha256, bytes FROM photos ORDER BY sha256")
        .fetch_all(source)
        .await
        .map_err(StorageError::from)?;
    let mut noted = Vec::with_capacity(rows.len());
    for (sha256, bytes) in rows {
        let hash = PhotoHash::parse(&sha256)
            .map_err(|error| StorageError::Corrupt { what: format!("photo {sha256}"), detail: error.to_string() })?;
        let bytes = db::count(bytes, || format!("photo {hash}"))?;
        noted.push((hash, bytes));
    }
    let outcomes: Vec<Moved> = futures_util::stream::iter(noted)
        .map(|(hash, bytes)| move_one(folder, bucket, hash, bytes))
        .buffer_unordered(AT_ONCE)
        .try_collect()
        .await?;
    let mut moved = PhotosMoved::default();
    for outcome in outcomes {
        match outcome {
            Moved::Copied(bytes) => {
                moved.copied += 1;
                moved.bytes += bytes;
            }
            Moved::AlreadyThere => moved.already_there += 1,
            Moved::Missing(hash) => moved.missing.push(hash),
        }
    }
    moved.missing.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    Ok(moved)
}

async fn move_one(
    folder: &PhotoStore,
    bucket: &PhotoBucket,
    hash: PhotoHash,
    expected: u64,
) -> Result<Moved, MovePhotosError> {
    if bucket.size_of(&hash).await? == Some(expected) {
        return Ok(Moved::AlreadyThere);
    }
    let contents = match tokio::fs::read(folder.path_of(&hash)).await {
        Ok(contents) => contents,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Moved::Missing(hash)),
        Err(source) => return Err(MovePhotosError::Read { hash, source }),
    };
    if contents.len() as u64 != expected || PhotoHash::of_digest(&Sha256::digest(&contents)) != hash {
        return Err(MovePhotosError::Damaged { hash });
    }
    bucket.put_photo(&hash, contents.into()).await?;
    match bucket.size_of(&hash).await? {
        Some(found) if found == expected => Ok(Moved::Copied(expected)),
        found => Err(MovePhotosError::NotWhole { hash, expected, found: found.unwrap_or(0) }),
    }
}
