//! A photo being received in pieces. Its row in `photo_uploads` says how large the photo is
//! and how many of its bytes are synced to disk; its file `partial/<sha256>` holds those
//! bytes, and after a crash perhaps a tail that was never synced, which the next piece cuts
//! off. The row is written only after the file is synced, so it never counts a byte that
//! could be lost.

use std::io;
use std::path::Path;

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AnyPool};
use tongxing_core::worker::Place;

use super::{placing, PhotoError, PhotoHash};
use crate::store::db::{self, StorageError};

/// How far an upload in pieces has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialUpload {
    /// The whole photo's size, as its first piece said.
    pub size: u64,
    /// The bytes from its start that are synced to disk.
    pub received: u64,
}

impl PartialUpload {
    /// The upload of `hash` under way, if any. One whose file is missing or shorter than its
    /// row says (a crash between the two, or a cleanup by another process) is dropped, so
    /// that the phone starts over rather than the server claiming bytes it lacks.
    pub async fn find(pool: &AnyPool, hash: &PhotoHash, file: &Path) -> Result<Option<PartialUpload>, PhotoError> {
        let row: Option<(i64, i64)> = sqlx::query_as("SELECT size, received FROM photo_uploads WHERE sha256 = $1")
            .bind(hash.as_str())
            .fetch_optional(pool)
            .await
            .map_err(StorageError::from)?;
        let Some((size, received)) = row else {
            return Ok(None);
        };
        let what = || format!("upload of photo {hash}");
        let upload = PartialUpload { size: db::count(size, what)?, received: db::count(received, what)? };
        let on_disk = match tokio::fs::metadata(file).await {
            Ok(metadata) => metadata.len(),
            Err(error) if error.kind() == io::ErrorKind::NotFound => 0,
            Err(error) => return Err(error.into()),
        };
        if on_disk < upload.received {
            let (sha256, received) = (hash.as_str(), upload.received);
            tracing::warn!(sha256, received, on_disk, "a partial upload lacks bytes its row counts; it starts over");
            PartialUpload::drop_upload(pool, hash, file).await?;
            return Ok(None);
        }
        Ok(Some(upload))
    }

    /// Notes a new upload of a photo of `size` bytes by a phone of `place`, none of them
    /// received yet.
    pub async fn start(
        pool: &AnyPool,
        hash: &PhotoHash,
        size: u64,
        place: &Place,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let now = db::timestamp(now);
        sqlx::query(
            "INSERT INTO photo_uploads (sha256, size, received, started_at, updated_at, scope_township, scope_village) \
             VALUES ($1, $2, 0, $3, $4, $5, $6) \
             ON CONFLICT (sha256) DO UPDATE SET size = excluded.size, received = 0, \
             started_at = excluded.started_at, updated_at = excluded.updated_at, \
             scope_township = excluded.scope_township, scope_village = excluded.scope_village",
        )
        .bind(hash.as_str())
        .bind(db::column_count(size, || format!("size of photo {hash}"))?)
        .bind(&now)
        .bind(&now)
        .bind(&place.township)
        .bind(&place.village)
        .execute(pool)
        .await?;
        Ok(())
    }

    /// Notes that `received` bytes are synced to disk. `false` when the upload is gone (a
    /// cleanup by another process removed it meanwhile).
    pub async fn record(
        pool: &AnyPool,
        hash: &PhotoHash,
        received: u64,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let updated = sqlx::query("UPDATE photo_uploads SET received = $1, updated_at = $2 WHERE sha256 = $3")
            .bind(db::column_count(received, || format!("bytes of photo {hash}"))?)
            .bind(db::timestamp(now))
            .bind(hash.as_str())
            .execute(pool)
            .await?;
        Ok(updated.rows_affected() == 1)
    }

    /// Forgets the upload of `hash` and removes its file.
    pub async fn drop_upload(pool: &AnyPool, hash: &PhotoHash, file: &Path) -> Result<(), PhotoError> {
        sqlx::query("DELETE FROM photo_uploads WHERE sha256 = $1")
            .bind(hash.as_str())
            .execute(pool)
            .await
            .map_err(StorageError::from)?;
        let file = file.to_owned();
        tokio::task::spawn_blocking(move || placing::remove_if_present(&file))
            .await
            .map_err(|join| io::Error::other(format!("the file remover stopped: {join}")))??;
        Ok(())
    }

    /// Forgets the upload of `hash` in `conn`'s transaction, which keeps the photo whole.
    pub async fn forget(conn: &mut AnyConnection, hash: &PhotoHash) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM photo_uploads WHERE sha256 = $1").bind(hash.as_str()).execute(conn).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The row counts bytes the file lacks (the file was lost in a crash, or removed by a
    /// cleanup in another process): the upload starts over rather than claim them.
    #[tokio::test]
    async fn an_upload_whose_file_lacks_its_bytes_starts_over() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        let (hash, file) = (PhotoHash::of_bytes(b"photo"), dir.path().join("partial"));
        let place = Place { township: "石门镇".into(), village: "桃源村".into() };
        PartialUpload::start(&pool, &hash, 1000, &place, Utc::now()).await.unwrap();
        assert!(PartialUpload::record(&pool, &hash, 100, Utc::now()).await.unwrap());
        std::fs::write(&file, vec![7; 100]).unwrap();
        assert_eq!(
            PartialUpload::find(&pool, &hash, &file).await.unwrap(),
            Some(PartialUpload { size: 1000, received: 100 })
        );

        std::fs::write(&file, vec![7; 99]).unwrap();

        assert_eq!(PartialUpload::find(&pool, &hash, &file).await.unwrap(), None);
        assert!(!file.exists(), "the file goes with the row");
        assert!(!PartialUpload::record(&pool, &hash, 100, Utc::now()).await.unwrap(), "the row is gone");
    }
}
