//! Device tokens checked lately: most calls of an enrolled phone find their worker here,
//! without a read of the database.
//!
//! A token is remembered only as [`devices::authenticate`] accepted it, for at most
//! [`REMEMBERED_FOR`], and everything remembered is forgotten the moment any device's
//! standing changes (revoked, its token renewed, its old token ended), in this process or
//! another one on the same database (`tongxing-ingest revoke`, an import). Every such change
//! marks the database's *devices marker*, a file beside it ([`devices_changed`]); each call
//! reads the marker's size and time (one `stat`, no read of the database) and forgets all it
//! remembers when they moved. A token remembered from a read made before a change, but
//! written down after it, is not kept: the marker is read again before it is.
//! So a revoked phone's next call gets `401`, as `SECURITY.md` promises.
//!
//! Only accepted tokens are remembered: an unknown or revoked one is read from the database
//! each time (such calls take the strangers' places at the door, which limit them).

use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::AnyPool;
use tongxing_core::Worker;

use super::devices::{self, AuthError};
use super::secret;
use crate::store::db::Engine;
use crate::store::private_files;

/// How long an accepted token is taken on trust (unless a device changes first): short
/// beside the hour in which a device's "last seen" is written again.
pub const REMEMBERED_FOR: TimeDelta = TimeDelta::minutes(10);
/// The most tokens remembered; past it, everything is forgotten and remembered afresh.
const REMEMBERED_MAX: usize = 100_000;

/// The devices marker's size and modification time: changes when any device's does.
type MarkerVersion = Option<(u64, SystemTime)>;

/// The tokens one server process has accepted lately, and the worker each names.
#[derive(Debug)]
pub struct KnownTokens {
    /// `None`: a database with no marker; every call reads it.
    marker: Option<PathBuf>,
    remembered: Mutex<Remembered>,
}

#[derive(Debug, Default)]
struct Remembered {
    /// The marker as it was when these were remembered.
    version: MarkerVersion,
    workers: HashMap<String, Known>,
}

#[derive(Debug)]
struct Known {
    worker: Worker,
    until: DateTime<Utc>,
}

impl KnownTokens {
    /// Nothing remembered yet, for the database `pool` opened.
    pub fn new(pool: &AnyPool) -> KnownTokens {
        let marker = marker_path(pool);
        let version = marker.as_deref().and_then(version);
        KnownTokens { remembered: Mutex::new(Remembered { version, ..Remembered::default() }), marker }
    }

    /// The worker whose phone holds `token`, as [`devices::authenticate`] finds her: from
    /// what this process remembers when it may, from the database otherwise.
    pub async fn authenticate(&self, pool: &AnyPool, token: &str, now: DateTime<Utc>) -> Result<Worker, AuthError> {
        let Some(marker) = self.marker.as_deref() else {
            return devices::authenticate(pool, token, now).await;
        };
        let hash = secret::hash(token);
        let before = version(marker);
        if let Some(worker) = self.remembered(&hash, before, now) {
            return Ok(worker);
        }
        let worker = devices::authenticate(pool, token, now).await?;
        self.remember(hash, &worker, before, version(marker), now);
        Ok(worker)
    }

    /// Remembers `worker` for the token hashed `hash`, read from the database while the
    /// marker was `read_at` and found `now_at` since: only if no device changed meanwhile.
    fn remember(
        &self,
        hash: String,
        worker: &Worker,
        read_at: MarkerVersion,
        now_at: MarkerVersion,
        now: DateTime<Utc>,
    ) {
        if now_at != read_at {
            return;
        }
        let mut remembered = self.lock();
        if remembered.version == now_at {
            if remembered.workers.len() >= REMEMBERED_MAX {
                remembered.workers.clear();
            }
            remembered.workers.insert(hash, Known { worker: worker.clone(), until: now + REMEMBERED_FOR });
        }
    }

    /// The worker remembered for the token hashed `hash`, unless the marker moved from
    /// what was remembered (then everything is forgotten) or she was remembered too long ago.
    fn remembered(&self, hash: &str, marker: MarkerVersion, now: DateTime<Utc>) -> Option<Worker> {
        let mut remembered = self.lock();
        if remembered.version != marker {
            remembered.workers.clear();
            remembered.version = marker;
            return None;
        }
        remembered.workers.get(hash).filter(|known| now < known.until).map(|known| known.worker.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Remembered> {
        // What is remembered stays whole under any panic: a map insert or clear.
        self.remembered.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Marks that a device's standing changed in the database `pool` opened, for every process
/// that remembers tokens of it ([`KnownTokens`]). Called after the change is committed. A
/// byte is added to the marker and its time set; when the disk is full, the time alone
/// (which needs no space) still tells.
pub fn devices_changed(pool: &AnyPool) {
    let Some(marker) = marker_path(pool) else { return };
    let marked = private_files::private_file_options().append(true).create(true).open(&marker).and_then(|mut file| {
        let grown = file.write_all(b".");
        let touched = File::set_modified(&file, SystemTime::now());
        grown.or(touched)
    });
    if let Err(error) = marked {
        // Unreachable short of a broken data directory, where the database itself fails.
        tracing::error!(%error, "cannot mark that a device changed; tokens remembered elsewhere stay for minutes");
    }
}

/// The marker beside the database file; `None` for a database that is not a file.
fn marker_path(pool: &AnyPool) -> Option<PathBuf> {
    if Engine::of_pool(pool) != Engine::Sqlite {
        return None;
    }
    let options = SqliteConnectOptions::try_from(&*pool.connect_options()).ok()?;
    let database = options.get_filename();
    let mut name = database.file_name()?.to_os_string();
    name.push("-devices");
    Some(database.with_file_name(name))
}

fn version(marker: &Path) -> MarkerVersion {
    std::fs::metadata(marker).ok().and_then(|meta| Some((meta.len(), meta.modified().ok()?)))
}

#[cfg(test)]
mod tests {
    use tongxing_core::fixtures::sample_director;
    use tongxing_core::wire::RevokedAs;

    use super::*;
    use crate::store::audit::Reader;
    use crate::store::db;
    use crate::store::workers::devices::enrol_for_test;

    const COUNTY: Reader<'static> = Reader { device: None, name: "county" };

    fn token(worker: &Worker) -> String {
        format!("test-token-{}", worker.id)
    }

    /// A database with the sample director's phone enrolled, and nothing remembered.
    async fn enrolled() -> (tempfile::TempDir, AnyPool, Worker, KnownTokens) {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open(dir.path()).await.unwrap();
        let worker = sample_director();
        enrol_for_test(&pool, &worker).await;
        let known = KnownTokens::new(&pool);
        (dir, pool, worker, known)
    }

    fn marker_version(known: &KnownTokens) -> MarkerVersion {
        version(known.marker.as_deref().expect("a marker"))
    }

    /// Renames the device's worker behind the cache's back: what a read of the database
    /// would find, and what a remembered token would not.
    async fn rename(pool: &AnyPool, worker: &Worker, name: &str) {
        sqlx::query("UPDATE devices SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(worker.id.to_string())
            .execute(pool)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn an_accepted_token_is_remembered_until_a_device_changes_or_time_passes() {
        let (_dir, pool, worker, known) = enrolled().await;
        let now = Utc::now();
        assert_eq!(known.authenticate(&pool, &token(&worker), now).await.unwrap().name, worker.name);

        rename(&pool, &worker, "改名后").await;
        let remembered = known.authenticate(&pool, &token(&worker), now).await.unwrap();
        assert_eq!(remembered.name, worker.name, "no read of the database");
        let later = now + REMEMBERED_FOR;
        assert_eq!(known.authenticate(&pool, &token(&worker), later).await.unwrap().name, "改名后", "read again");

        rename(&pool, &worker, "又改名").await;
        devices_changed(&pool);
        assert_eq!(known.authenticate(&pool, &token(&worker), later).await.unwrap().name, "又改名", "forgotten");
    }

    #[tokio::test]
    async fn a_phone_revoked_by_another_process_is_refused_at_its_next_call() {
        let (dir, pool, worker, known) = enrolled().await;
        let now = Utc::now();
        known.authenticate(&pool, &token(&worker), now).await.unwrap();

        // `tongxing-ingest revoke`: its own connection to the same file.
        let cli = db::open_existing(dir.path()).await.unwrap();
        devices::revoke(&cli, worker.id, RevokedAs::Lost, None, &COUNTY, now).await.unwrap();
        cli.close().await;
        let refused = known.authenticate(&pool, &token(&worker), now).await;
        assert!(matches!(refused, Err(AuthError::Revoked(RevokedAs::Lost))), "{refused:?}");
        // An unknown token is never remembered: each call reads the database.
        assert!(matches!(known.authenticate(&pool, "a-guess", now).await, Err(AuthError::Unknown)));
    }

    #[tokio::test]
    async fn after_a_renewal_the_old_token_ends_when_the_new_one_is_first_used() {
        let (_dir, pool, worker, known) = enrolled().await;
        let now = Utc::now();
        let old = token(&worker);
        known.authenticate(&pool, &old, now).await.unwrap();

        let new = devices::rotate_token(&pool, &worker, &old, now).await.unwrap().expect("renewed");
        assert_eq!(known.authenticate(&pool, &old, now).await.unwrap(), worker, "until the new one is used");
        assert_eq!(known.authenticate(&pool, &new, now).await.unwrap(), worker);
        assert!(matches!(known.authenticate(&pool, &old, now).await, Err(AuthError::Unknown)));
    }

    #[tokio::test]
    async fn a_token_read_before_a_change_is_not_remembered_after_it() {
        let (_dir, pool, worker, known) = enrolled().await;
        let now = Utc::now();
        let hash = secret::hash(&token(&worker));
        // Read from the database while the marker stood at `before`; a device changed before
        // the worker read could be written down.
        let before = marker_version(&known);
        devices_changed(&pool);
        let after = marker_version(&known);
        assert_ne!(before, after, "a change is a new version, however soon");
        // Another call has seen the change meanwhile.
        assert!(known.remembered(&hash, after, now).is_none());
        known.remember(hash.clone(), &worker, before, after, now);
        assert!(known.remembered(&hash, after, now).is_none(), "not remembered");
        // Read and written down with no change between: remembered.
        known.remember(hash.clone(), &worker, after, after, now);
        assert_eq!(known.remembered(&hash, after, now), Some(worker));
    }
}
