//! A photo being received in pieces. Its row in `photo_uploads` says how large the photo is
//! and how many of its bytes are durably staged. In the folder, its file `partial/<sha256>`
//! holds those bytes, and after a crash perhaps a tail that was never synced, which the next
//! piece cuts off; in a bucket, its pieces are objects ([`super::bucket`]). The row is
//! written only after the bytes are synced or written to the bucket, so it never counts a
//! byte that could be lost.

use std::io;

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AnyPool};
use tongxing_core::worker::Place;

use super::{PhotoError, PhotoHash, PhotoStore};
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
    /// The upload of `hash` under way, if any. One whose partial file is missing or shorter
    /// than its row says (a crash between the two, or a cleanup by another process) is
    /// dropped, so that the phone starts over rather than the server claiming bytes it lacks.
    /// (A bucket's pieces are written before they are counted; they are checked when the
    /// photo is whole.)
    pub async fn find(
        pool: &AnyPool,
        store: &PhotoStore,
        hash: &PhotoHash,
    ) -> Result<Option<PartialUpload>, PhotoError> {
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
        if store.bucket().is_some() {
            return Ok(Some(upload));
        }
        let on_disk = match tokio::fs::metadata(store.partial_path_of(hash)).await {
            Ok(metadata) => metadata.len(),
            Err(error) if error.kind() == io::ErrorKind::NotFound => 0,
            Err(error) => return Err(error.into()),
        };
        if on_disk < upload.received {
            let (sha256, received) = (hash.as_str(), upload.received);
            tracing::warn!(sha256, received, on_disk, "a partial upload lacks bytes its row counts; it starts over");
            PartialUpload::drop_upload(pool, store, hash).await?;
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

    /// Notes that the bytes up to `received` are durably staged, where `held` were: `false`
    /// when the upload is gone (a cleanup by another process removed it meanwhile) or another
    /// request counted other bytes meanwhile (a piece sent again to another server).
    pub async fn record(
        pool: &AnyPool,
        hash: &PhotoHash,
        held: u64,
        received: u64,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let what = || format!("bytes of photo {hash}");
        let updated =
            sqlx::query("UPDATE photo_uploads SET received = $1, updated_at = $2 WHERE sha256 = $3 AND received = $4")
                .bind(db::column_count(received, what)?)
                .bind(db::timestamp(now))
                .bind(hash.as_str())
                .bind(db::column_count(held, what)?)
                .execute(pool)
                .await?;
        Ok(updated.rows_affected() == 1)
    }

    /// Forgets the upload of `hash` and removes its staged bytes.
    pub async fn drop_upload(pool: &AnyPool, store: &PhotoStore, hash: &PhotoHash) -> Result<(), PhotoError> {
        sqlx::query("DELETE FROM photo_uploads WHERE sha256 = $1")
            .bind(hash.as_str())
            .execute(pool)
            .await
            .map_err(StorageError::from)?;
        store.drop_staged(hash).await
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
        let store = PhotoStore::open(dir.path(), 1 << 20, None).await.unwrap();
        let hash = PhotoHash::of_bytes(b"photo");
        let file = store.partial_path_of(&hash);
        let place = Place { township: "石门镇".into(), village: "桃源村".into() };
        PartialUpload::start(&pool, &hash, 1000, &place, Utc::now()).await.unwrap();
        assert!(PartialUpload::record(&pool, &hash, 0, 100, Utc::now()).await.unwrap());
        assert!(!PartialUpload::record(&pool, &hash, 50, 150, Utc::now()).await.unwrap(), "counted from 100, not 50");
        std::fs::write(&file, vec![7; 100]).unwrap();
        assert_eq!(
            PartialUpload::find(&pool, &store, &hash).await.unwrap(),
            Some(PartialUpload { size: 1000, received: 100 })
        );

        std::fs::write(&file, vec![7; 99]).unwrap();

        assert_eq!(PartialUpload::find(&pool, &store, &hash).await.unwrap(), None);
        assert!(!file.exists(), "the file goes with the row");
        assert!(!PartialUpload::record(&pool, &hash, 0, 100, Utc::now()).await.unwrap(), "the row is gone");
    }
}
