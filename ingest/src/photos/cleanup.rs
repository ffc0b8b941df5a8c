//! Removing what no visit needs: a photo that no stored visit revision (current, history or
//! conflict) names, once a grace period has passed since it was received (a phone sends a
//! visit's photos before the visit, sometimes days before), and an upload in pieces left
//! untouched for longer than the grace period. A photo a visit names is never removed.
//!
//! A photo is removed under the database's write lock, as a visit is stored and a photo is
//! kept: its row goes and its file (or object) is set aside in one transaction, and it is
//! deleted only once that is committed ([`super::aside`], the same steps in the folder and in
//! a bucket). A move aside that a crash left behind is undone or finished by the next pass.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::AnyPool;
use tokio::sync::oneshot;

use crate::photos::{PhotoError, PhotoHash, PhotoStore};
use crate::store::db::{self, StorageError};

/// How long an unneeded photo or upload is kept unless configured otherwise: 7 days.
pub const DEFAULT_PHOTO_GRACE_HOURS: u64 = 7 * 24;
/// How often the server looks for what to remove, after once at start.
pub const CLEANUP_INTERVAL: Duration = Duration::from_secs(60 * 60);

/// A photo removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedPhoto {
    pub hash: PhotoHash,
    pub bytes: u64,
    /// When it was received, as the `photos` table has it.
    pub received_at: String,
}

/// An upload in pieces removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedUpload {
    pub hash: PhotoHash,
    pub received: u64,
    pub size: u64,
    /// When its last piece came, as the `photo_uploads` table has it.
    pub updated_at: String,
}

/// What one pass removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanupReport {
    pub photos: Vec<RemovedPhoto>,
    pub uploads: Vec<RemovedUpload>,
}

impl CleanupReport {
    /// The bytes of the photos removed.
    pub fn photo_bytes(&self) -> u64 {
        self.photos.iter().map(|photo| photo.bytes).sum()
    }

    /// One line per thing removed, then a summary line, for the command line.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .photos
            .iter()
            .map(|p| format!("removed photo {} ({} bytes, received {})", p.hash, p.bytes, p.received_at))
            .collect();
        lines.extend(self.uploads.iter().map(|u| {
            format!(
                "removed partial upload {} ({} of {} bytes, last piece {})",
                u.hash, u.received, u.size, u.updated_at
            )
        }));
        lines.push(format!(
            "removed {} ({} bytes) and {}",
            counted(self.photos.len(), "photo"),
            self.photo_bytes(),
            counted(self.uploads.len(), "partial upload")
        ));
        lines
    }
}

/// Why a pass stopped.
#[derive(Debug, thiserror::Error)]
pub enum CleanupError {
    #[error("cannot read or change the photo tables: {0}")]
    Storage(#[from] StorageError),
    #[error("cannot set a photo aside, put it back or remove it: {0}")]
    Photos(#[from] PhotoError),
    /// Another server on the same database is cleaning up now (PostgreSQL).
    #[error("another server is removing the photos no visit needs now; try again later")]
    UnderWayElsewhere,
}

impl From<sqlx::Error> for CleanupError {
    fn from(error: sqlx::Error) -> CleanupError {
        CleanupError::Storage(error.into())
    }
}

/// The grace period of `hours`, as the pass takes it.
pub fn grace_of_hours(hours: u64) -> TimeDelta {
    i64::try_from(hours).ok().and_then(TimeDelta::try_hours).unwrap_or(TimeDelta::MAX)
}

/// Removes, as of `now`, every photo no stored visit names that was received more than
/// `grace` ago, and every upload in pieces untouched for more than `grace`.
pub async fn cleanup_photos(
    pool: &AnyPool,
    store: &PhotoStore,
    now: DateTime<Utc>,
    grace: TimeDelta,
) -> Result<CleanupReport, CleanupError> {
    // One server at a time, however many share the database.
    let Some(turn) = db::try_turn(pool, db::PHOTO_CLEANUP_TURN).await? else {
        return Err(CleanupError::UnderWayElsewhere);
    };
    let pass = cleanup_in_turn(pool, store, now, grace).await;
    turn.release().await;
    pass
}

/// [`cleanup_photos`] once its turn is had.
async fn cleanup_in_turn(
    pool: &AnyPool,
    store: &PhotoStore,
    now: DateTime<Utc>,
    grace: TimeDelta,
) -> Result<CleanupReport, CleanupError> {
    finish_interrupted_removals(pool, store).await?;
    // A grace reaching before any date removes nothing.
    let Some(cutoff) = now.checked_sub_signed(grace).map(db::timestamp) else {
        return Ok(CleanupReport::default());
    };
    let mut report = CleanupReport::default();

    let photos: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT sha256, bytes, received_at FROM photos AS p WHERE received_at < $1 \
         AND NOT EXISTS (SELECT 1 FROM visit_photos AS v WHERE v.sha256 = p.sha256) ORDER BY received_at",
    )
    .bind(&cutoff)
    .fetch_all(pool)
    .await?;
    for (sha256, bytes, received_at) in photos {
        let hash = parse_hash(&sha256)?;
        if remove_photo(pool, store, &hash, &cutoff).await? {
            let bytes = db::count(bytes, || format!("photo {hash}"))?;
            report.photos.push(RemovedPhoto { hash, bytes, received_at });
        }
    }

    let uploads: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT sha256, received, size, updated_at FROM photo_uploads WHERE updated_at < $1 ORDER BY updated_at",
    )
    .bind(&cutoff)
    .fetch_all(pool)
    .await?;
    for (sha256, received, size, updated_at) in uploads {
        let hash = parse_hash(&sha256)?;
        if remove_upload(pool, store, &hash, &cutoff).await? {
            let what = || format!("upload of photo {hash}");
            let (received, size) = (db::count(received, what)?, db::count(size, what)?);
            report.uploads.push(RemovedUpload { hash, received, size, updated_at });
        }
    }
    Ok(report)
}

/// Runs [`cleanup_photos`] at once and then every [`CLEANUP_INTERVAL`] until `stop` (a pass
/// under way is finished first), logging what it removed.
pub async fn clean_periodically(pool: AnyPool, store: PhotoStore, grace: TimeDelta, mut stop: oneshot::Receiver<()>) {
    let mut every = tokio::time::interval(CLEANUP_INTERVAL);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = &mut stop => return,
        }
        match cleanup_photos(&pool, &store, Utc::now(), grace).await {
            Ok(report) if report.photos.is_empty() && report.uploads.is_empty() => {
                tracing::debug!("photo cleanup: nothing to remove");
            }
            Ok(report) => tracing::info!(
                photos = report.photos.len(),
                bytes = report.photo_bytes(),
                uploads = report.uploads.len(),
                "photo cleanup removed what no visit needs"
            ),
            Err(CleanupError::UnderWayElsewhere) => tracing::info!("photo cleanup: another server has its turn"),
            Err(error) => tracing::error!(%error, "photo cleanup failed; it tries again in an hour"),
        }
    }
}

/// Removes the photo `hash` if it is still unneeded and older than `cutoff` (it may have
/// been named by a visit since it was listed). `false` when it was kept.
async fn remove_photo(
    pool: &AnyPool,
    store: &PhotoStore,
    hash: &PhotoHash,
    cutoff: &str,
) -> Result<bool, CleanupError> {
    let _turn = store.lock(hash).await;
    let mut tx = db::begin_write(pool).await?;
    let deleted = sqlx::query(
        "DELETE FROM photos WHERE sha256 = $1 AND received_at < $2 \
         AND NOT EXISTS (SELECT 1 FROM visit_photos WHERE visit_photos.sha256 = photos.sha256)",
    )
    .bind(hash.as_str())
    .bind(cutoff)
    .execute(&mut *tx)
    .await?;
    if deleted.rows_affected() == 0 {
        return Ok(false);
    }
    let moved = store.set_aside(hash).await?;
    if let Err(error) = tx.commit().await {
        if moved {
            if let Err(back) = store.put_back(hash).await {
                tracing::error!(error = %back, sha256 = %hash, "cannot put a photo back; the next cleanup will");
            }
        }
        return Err(error.into());
    }
    store.delete_aside(hash).await?;
    Ok(true)
}

/// Removes the upload in pieces of `hash` if it is still untouched since before `cutoff`.
async fn remove_upload(
    pool: &AnyPool,
    store: &PhotoStore,
    hash: &PhotoHash,
    cutoff: &str,
) -> Result<bool, CleanupError> {
    let _turn = store.lock(hash).await;
    let deleted = sqlx::query("DELETE FROM photo_uploads WHERE sha256 = $1 AND updated_at < $2")
        .bind(hash.as_str())
        .bind(cutoff)
        .execute(pool)
        .await?;
    if deleted.rows_affected() == 0 {
        return Ok(false);
    }
    store.drop_staged(hash).await?;
    Ok(true)
}

/// A photo moved aside by a pass that stopped before its end: moved back if its row is
/// still there (the removal was not committed), else deleted.
async fn finish_interrupted_removals(pool: &AnyPool, store: &PhotoStore) -> Result<(), CleanupError> {
    for hash in store.set_aside_photos().await? {
        let _turn = store.lock(&hash).await;
        let still_held = PhotoStore::held_bytes(pool, &hash).await?.is_some();
        if still_held && !store.holds(&hash).await? {
            store.put_back(&hash).await?;
        } else {
            store.delete_aside(&hash).await?;
        }
        tracing::info!(sha256 = %hash, restored = still_held, "finished a photo removal that was cut short");
    }
    Ok(())
}

fn counted(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

fn parse_hash(text: &str) -> Result<PhotoHash, CleanupError> {
    PhotoHash::parse(text).map_err(|error| {
        CleanupError::Storage(StorageError::Corrupt { what: format!("photo {text}"), detail: error.to_string() })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pass cut short between moving a photo aside and committing leaves the row and the
    /// file aside: the next pass moves it back. A file aside whose row is gone is deleted.
    #[tokio::test]
    async fn a_removal_cut_short_is_undone_or_finished() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        let store = PhotoStore::open(dir.path(), 1024, None).await.unwrap();
        let (kept, removed) = (PhotoHash::of_bytes(b"kept"), PhotoHash::of_bytes(b"removed"));
        sqlx::query("INSERT INTO photos (sha256, bytes, content_type, received_at) VALUES ($1, 4, 'image/jpeg', $2)")
            .bind(kept.as_str())
            .bind(db::timestamp(Utc::now()))
            .execute(&pool)
            .await
            .unwrap();
        std::fs::write(store.aside_path_of(&kept), b"kept").unwrap();
        std::fs::write(store.aside_path_of(&removed), b"removed").unwrap();

        let report = cleanup_photos(&pool, &store, Utc::now(), TimeDelta::days(7)).await.unwrap();

        assert_eq!(report, CleanupReport::default(), "nothing new was removed");
        assert_eq!(std::fs::read(store.path_of(&kept)).unwrap(), b"kept", "moved back: its row is there");
        assert!(std::fs::read_dir(store.tmp_dir()).unwrap().next().is_none(), "nothing is left aside");
    }

    /// In a bucket as in the folder: an old photo no visit names goes with its row, a recent
    /// one stays, and a photo set aside by a pass cut short is put back while its row is
    /// there and deleted once it is not.
    #[tokio::test]
    async fn in_a_bucket_a_removal_is_whole_and_one_cut_short_is_undone_or_finished() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        let bucket = crate::photos::PhotoBucket::in_memory();
        let store = PhotoStore::open(dir.path(), 1024, Some(bucket.clone())).await.unwrap();
        let [unneeded, recent, aside_kept, aside_gone] =
            [b"unneeded".as_slice(), b"recent", b"aside kept", b"aside gone"].map(PhotoHash::of_bytes);
        let long_ago = Utc::now() - TimeDelta::days(30);
        for hash in [&unneeded, &recent, &aside_kept, &aside_gone] {
            bucket.put_photo(hash, hash.as_str().as_bytes().to_vec().into()).await.unwrap();
        }
        for (hash, received) in [(&unneeded, long_ago), (&recent, Utc::now()), (&aside_kept, Utc::now())] {
            sqlx::query(
                "INSERT INTO photos (sha256, bytes, content_type, received_at) VALUES ($1, 64, 'image/jpeg', $2)",
            )
            .bind(hash.as_str())
            .bind(db::timestamp(received))
            .execute(&pool)
            .await
            .unwrap();
        }
        assert!(bucket.set_aside(&aside_kept).await.unwrap() && bucket.set_aside(&aside_gone).await.unwrap());

        let report = cleanup_photos(&pool, &store, Utc::now(), TimeDelta::days(7)).await.unwrap();

        let removed: Vec<_> = report.photos.iter().map(|photo| photo.hash.clone()).collect();
        assert_eq!(removed, std::slice::from_ref(&unneeded));
        assert!(!bucket.holds(&unneeded).await.unwrap());
        assert!(PhotoStore::held_bytes(&pool, &unneeded).await.unwrap().is_none(), "its row went with it");
        assert!(bucket.holds(&recent).await.unwrap(), "within its grace");
        assert!(bucket.holds(&aside_kept).await.unwrap(), "put back: its row is there");
        assert!(!bucket.holds(&aside_gone).await.unwrap(), "its row was gone: deleted");
        assert!(bucket.set_aside_photos().await.unwrap().is_empty(), "nothing is left aside");
    }

    /// One server at a time: while another holds the cleanup's turn (PostgreSQL's advisory
    /// lock, which every server on the database shares), a pass removes nothing and says so;
    /// on SQLite, one server's alone, the turn is always had.
    #[tokio::test]
    async fn a_pass_waits_for_its_turn_among_the_servers_of_one_database() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        let store = PhotoStore::open(dir.path(), 1024, None).await.unwrap();
        let unneeded = PhotoHash::of_bytes(b"unneeded");
        let long_ago = Utc::now() - TimeDelta::days(30);
        sqlx::query("INSERT INTO photos (sha256, bytes, content_type, received_at) VALUES ($1, 8, 'image/jpeg', $2)")
            .bind(unneeded.as_str())
            .bind(db::timestamp(long_ago))
            .execute(&pool)
            .await
            .unwrap();
        std::fs::create_dir_all(store.path_of(&unneeded).parent().unwrap()).unwrap();
        std::fs::write(store.path_of(&unneeded), b"unneeded").unwrap();

        let another_server = db::try_turn(&pool, db::PHOTO_CLEANUP_TURN).await.unwrap().expect("the first takes it");
        let pass = cleanup_photos(&pool, &store, Utc::now(), TimeDelta::days(7)).await;
        match db::Engine::of_pool(&pool) {
            db::Engine::Postgres => {
                assert!(matches!(pass, Err(CleanupError::UnderWayElsewhere)), "{pass:?}");
                assert!(store.path_of(&unneeded).exists(), "nothing removed meanwhile");
            }
            db::Engine::Sqlite => assert_eq!(pass.unwrap().photos.len(), 1),
        }
        another_server.release().await;
        let pass = cleanup_photos(&pool, &store, Utc::now(), TimeDelta::days(7)).await.unwrap();
        assert!(!store.path_of(&unneeded).exists(), "removed in its turn");
        assert!(pass.photos.len() <= 1);
    }

    #[test]
    fn a_grace_of_hours_never_overflows() {
        assert_eq!(grace_of_hours(168), TimeDelta::days(7));
        assert_eq!(grace_of_hours(u64::MAX), TimeDelta::MAX);
        assert!(Utc::now().checked_sub_signed(grace_of_hours(u64::MAX)).is_none(), "then nothing is removed");
    }

    #[test]
    fn the_report_lists_each_removal_then_sums_up() {
        let hash = PhotoHash::of_bytes(b"x");
        let report = CleanupReport {
            photos: vec![RemovedPhoto { hash: hash.clone(), bytes: 10, received_at: "t".into() }],
            uploads: vec![RemovedUpload { hash, received: 3, size: 9, updated_at: "u".into() }],
        };
        let lines = report.lines();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("removed photo ") && lines[1].contains("3 of 9 bytes"));
        assert_eq!(lines[2], "removed 1 photo (10 bytes) and 1 partial upload");
        assert_eq!(CleanupReport::default().lines(), ["removed 0 photos (0 bytes) and 0 partial uploads"]);
    }
}
