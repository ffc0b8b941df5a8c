//! The SQLite database in the data directory: opening it with settings that make a commit
//! durable, migrating it, and sorting its errors into what a phone can act on.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::Digest;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, ConnectOptions};

use crate::store::private_files;

/// The schema's migrations for SQLite, `ingest/migrations`, embedded at compile time.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");
/// The same schema for PostgreSQL, `ingest/migrations-postgres`.
pub static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations-postgres");

/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "tongxing.db";

/// How long a statement waits for another connection's write lock before it gives up busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a request waits for a free connection before it gives up busy.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections in the pool. SQLite allows one writer at a time anyway; the rest serve reads.
const MAX_CONNECTIONS: u32 = 8;

// SQLite primary result codes (https://www.sqlite.org/rescode.html); sqlx reports the
// extended code, whose low byte is the primary one.
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
const SQLITE_FULL: i32 = 13;

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot create the data directory {path}: {source}")]
    CreateDir { path: PathBuf, source: std::io::Error },
    #[error("there is no database at {0}; is the data directory right?")]
    Missing(PathBuf),
    #[error("cannot open the database {path}: {source}")]
    Connect { path: PathBuf, source: sqlx::Error },
    #[error("cannot migrate the database {path}: {source}")]
    Migrate { path: PathBuf, source: sqlx::migrate::MigrateError },
    #[error("cannot connect to the PostgreSQL database at {host}: {source}")]
    ConnectPostgres { host: String, source: sqlx::Error },
    #[error("cannot migrate the PostgreSQL database at {host}: {source}")]
    MigratePostgres { host: String, source: sqlx::migrate::MigrateError },
    #[error("the database URL must begin sqlite:// or postgres://, not {0}://")]
    UnknownEngine(String),
}

/// A failed read or write, sorted by what the caller can do about it.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// Locked by another writer for longer than the busy timeout, or no free connection.
    #[error("database busy: {0}")]
    Busy(sqlx::Error),
    /// The disk (or the database's size limit) is full.
    #[error("database disk full: {0}")]
    DiskFull(sqlx::Error),
    /// Anything else the database reported.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// A stored body that is no longer a valid record.
    #[error("stored {what} is not readable: {detail}")]
    Corrupt { what: String, detail: String },
}

/// PostgreSQL's error codes (SQLSTATE) that mean "try again later": a lock not had within
/// `lock_timeout` (another writer), a transaction that lost a race, too many connections.
const POSTGRES_BUSY: [&str; 5] = ["55P03", "40001", "40P01", "53300", "57014"];
/// PostgreSQL's "disk full".
const POSTGRES_DISK_FULL: &str = "53100";

impl From<sqlx::Error> for StorageError {
    fn from(error: sqlx::Error) -> StorageError {
        if let sqlx::Error::Database(db) = &error {
            let code = db.code();
            if code.as_deref().is_some_and(|code| POSTGRES_BUSY.contains(&code)) {
                return StorageError::Busy(error);
            }
            if code.as_deref() == Some(POSTGRES_DISK_FULL) {
                return StorageError::DiskFull(error);
            }
        }
        let primary_code = match &error {
            sqlx::Error::Database(db) => db.code().and_then(|code| code.parse::<i32>().ok()).map(|code| code & 0xff),
            _ => None,
        };
        match (&error, primary_code) {
            (_, Some(SQLITE_BUSY | SQLITE_LOCKED)) | (sqlx::Error::PoolTimedOut, _) => StorageError::Busy(error),
            (_, Some(SQLITE_FULL)) => StorageError::DiskFull(error),
            (sqlx::Error::Io(io), _) if io.kind() == std::io::ErrorKind::StorageFull => StorageError::DiskFull(error),
            _ => StorageError::Database(error),
        }
    }
}

/// Which database engine a pool or connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The advisory lock a PostgreSQL write transaction takes first ([`begin_write`]): any number
/// of the server's instances write one at a time, as SQLite's writers do.
const WRITE_LOCK: i64 = 0x746f_6e67_7869_6e67; // "tongxing"

impl Engine {
    /// The engine behind `pool`.
    pub fn of_pool(pool: &AnyPool) -> Engine {
        if pool.connect_options().database_url.scheme().starts_with("postgres") {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }

    /// The engine behind `conn`.
    pub fn of(conn: &sqlx::AnyConnection) -> Engine {
        if conn.backend_name() == "PostgreSQL" {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }
}

/// Begins a transaction that writes, holding the database's write lock until it ends, so that
/// what it reads stays as it read it until it commits: SQLite's `BEGIN IMMEDIATE`; on
/// PostgreSQL, a transaction that first takes the write lock shared by every instance.
pub async fn begin_write(pool: &AnyPool) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    match Engine::of_pool(pool) {
        Engine::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Engine::Postgres => {
            let mut tx = pool.begin().await?;
            take_write_lock(&mut tx).await?;
            Ok(tx)
        }
    }
}

/// [`begin_write`] on a connection of the caller's.
pub async fn begin_write_on(conn: &mut sqlx::AnyConnection) -> Result<sqlx::Transaction<'_, sqlx::Any>, sqlx::Error> {
    use sqlx::Connection;
    match Engine::of(conn) {
        Engine::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await,
        Engine::Postgres => {
            let mut tx = conn.begin().await?;
            take_write_lock(&mut tx).await?;
            Ok(tx)
        }
    }
}

/// The turn of the photo cleanup ([`try_turn`]): one server at a time removes what no visit
/// needs.
pub const PHOTO_CLEANUP_TURN: i64 = 0x746f_6e67_7068_6f74; // "tongphot"

/// A turn held by one server alone among all those on the database, until released or
/// dropped.
pub struct Turn {
    /// PostgreSQL: the connection holding the session's advisory lock, closed when the turn
    /// is dropped, which releases it (whatever way the holder ends).
    held_on: Option<(sqlx::pool::PoolConnection<sqlx::Any>, i64)>,
}

impl Turn {
    /// Gives the turn back now, for the next pass or server to have at once. (Dropped
    /// instead, it is given back when its connection has closed, a moment later.)
    pub async fn release(mut self) {
        if let Some((mut conn, key)) = self.held_on.take() {
            if let Err(error) = sqlx::query("SELECT pg_advisory_unlock($1)").bind(key).execute(&mut *conn).await {
                tracing::warn!(%error, "cannot give a turn back; it goes when its connection closes");
            }
        }
    }
}

/// The turn `key`, if no other server has it now: PostgreSQL's advisory lock. On SQLite, where
/// one server has the file, always had.
pub async fn try_turn(pool: &AnyPool, key: i64) -> Result<Option<Turn>, StorageError> {
    match Engine::of_pool(pool) {
        Engine::Sqlite => Ok(Some(Turn { held_on: None })),
        Engine::Postgres => {
            let mut conn = pool.acquire().await?;
            conn.close_on_drop();
            let Flag(had) =
                sqlx::query_scalar("SELECT pg_try_advisory_lock($1)").bind(key).fetch_one(&mut *conn).await?;
            Ok(had.then_some(Turn { held_on: Some((conn, key)) }))
        }
    }
}

async fn take_write_lock(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(conn).await?;
    Ok(())
}

/// A yes or no the database answers (`EXISTS`, a comparison, a flag column): SQLite answers
/// an integer, 0 or 1; PostgreSQL a boolean. sqlx's `Any` driver decodes a `bool` from the
/// latter only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

impl sqlx::Type<sqlx::Any> for Flag {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <bool as sqlx::Type<sqlx::Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <bool as sqlx::Type<sqlx::Any>>::compatible(ty) || <i64 as sqlx::Type<sqlx::Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for Flag {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Flag, sqlx::error::BoxDynError> {
        use sqlx::ValueRef;
        if value.type_info().kind == sqlx::any::AnyTypeInfoKind::Bool {
            <bool as sqlx::Decode<sqlx::Any>>::decode(value).map(Flag)
        } else {
            <i64 as sqlx::Decode<sqlx::Any>>::decode(value).map(|number| Flag(number != 0))
        }
    }
}

/// A time as the tables keep it: RFC 3339 in UTC with milliseconds, so that times compare
/// as text in their order (`2026-11-20T02:15:00.000Z`).
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A count kept in an `INTEGER` column (bytes, revisions), which is never negative when
/// the server wrote it.
pub fn count(value: i64, what: impl FnOnce() -> String) -> Result<u64, StorageError> {
    u64::try_from(value).map_err(|_| StorageError::Corrupt { what: what(), detail: format!("negative count {value}") })
}

/// A count to keep in an `INTEGER` column.
pub fn column_count(value: u64, what: impl FnOnce() -> String) -> Result<i64, StorageError> {
    i64::try_from(value).map_err(|_| StorageError::Corrupt {
        what: what(),
        detail: format!("{value} is more than the database can count"),
    })
}

/// The database file of a data directory.
pub fn database_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DATABASE_FILE)
}

/// Opens the database of `data_dir`, creating the directory and the file if they are
/// missing, and brings its schema up to date.
pub async fn open(data_dir: &Path) -> Result<AnyPool, OpenError> {
    let create = |source| OpenError::CreateDir { path: data_dir.to_owned(), source };
    private_files::create_private_dir_all(data_dir).map_err(create)?;
    // The file is made here, `0600`, before SQLite opens it: SQLite gives its `-wal` and
    // `-shm` files the database file's mode.
    let path = database_path(data_dir);
    private_files::private_file_options().append(true).create(true).open(&path).map_err(create)?;
    for file in [path.clone(), sidecar(&path, "-wal"), sidecar(&path, "-shm")] {
        private_files::make_private_if_present(&file).map_err(create)?;
    }
    connect(&path, true).await
}

/// Opens the database `url` names (`postgres://user:password@host/database`), or, without
/// one, SQLite's in `data_dir` ([`open`]), and brings its schema up to date.
pub async fn open_at(data_dir: &Path, url: Option<&url::Url>) -> Result<AnyPool, OpenError> {
    open_engine(data_dir, url, Create::IfMissing).await
}

/// As [`open_at`], for a database that must exist already (for reading it, as export and the
/// other commands beside a server do): SQLite's [`open_existing`].
pub async fn open_existing_at(data_dir: &Path, url: Option<&url::Url>) -> Result<AnyPool, OpenError> {
    open_engine(data_dir, url, Create::Never).await
}

async fn open_engine(data_dir: &Path, url: Option<&url::Url>, create: Create) -> Result<AnyPool, OpenError> {
    match url {
        None => {}
        Some(url) if url.scheme() == "sqlite" => {}
        Some(url) if url.scheme().starts_with("postgres") => {
            if create == Create::IfMissing {
                // The data directory keeps the keys and the photo folder whichever the database.
                private_files::create_private_dir_all(data_dir)
                    .map_err(|source| OpenError::CreateDir { path: data_dir.to_owned(), source })?;
            }
            return open_postgres(&database_of(url, data_dir, create).await?).await;
        }
        Some(url) => return Err(OpenError::UnknownEngine(url.scheme().to_owned())),
    }
    match create {
        Create::IfMissing => open(data_dir).await,
        Create::Never => open_existing(data_dir).await,
    }
}

/// The name of the database of `data_dir` on a server shared by many data directories:
/// `tongxing_` and the start of the SHA-256 of the directory's path.
pub fn database_name_of(data_dir: &Path) -> String {
    let path = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_owned());
    let digest = sha2::Sha256::digest(path.as_os_str().as_encoded_bytes());
    format!("tongxing_{}", &hex::encode(digest)[..16])
}

/// The database `url` names; a URL that names none (`postgres://user@host:5432/`) gives each
/// data directory a database of its own on that server, `tongxing_` and the start of the
/// SHA-256 of the directory's path, made the first time (many counties on one server, or
/// the test suite's data directories).
async fn database_of(url: &url::Url, data_dir: &Path, create: Create) -> Result<url::Url, OpenError> {
    if !url.path().trim_start_matches('/').is_empty() {
        return Ok(url.clone());
    }
    let host = url.host_str().unwrap_or("localhost").to_owned();
    let name = database_name_of(data_dir);
    let mut server = url.clone();
    server.set_path("/postgres");
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(server.as_str())
        .await
        .map_err(|source| OpenError::ConnectPostgres { host: host.clone(), source })?;
    if create == Create::IfMissing {
        // The name is ours (hex digits): safe to write into the statement.
        let made = sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await;
        const DUPLICATE_DATABASE: &str = "42P04";
        match made {
            Ok(_) => {}
            Err(sqlx::Error::Database(error)) if error.code().as_deref() == Some(DUPLICATE_DATABASE) => {}
            Err(source) => return Err(OpenError::ConnectPostgres { host, source }),
        }
    } else {
        let held: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
            .bind(&name)
            .fetch_optional(&mut conn)
            .await
            .map_err(|source| OpenError::ConnectPostgres { host: host.clone(), source })?;
        if held.is_none() {
            return Err(OpenError::Missing(data_dir.to_owned()));
        }
    }
    let _ = sqlx::Connection::close(conn).await;
    let mut named = url.clone();
    named.set_path(&format!("/{name}"));
    Ok(named)
}

/// Whether [`database_of`] makes a data directory's database that is not there yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Create {
    IfMissing,
    Never,
}

/// Connects to the PostgreSQL database `url` names and brings its schema up to date.
async fn open_postgres(url: &url::Url) -> Result<AnyPool, OpenError> {
    sqlx::any::install_default_drivers();
    // The host alone names it in errors and logs: the URL may carry a password.
    let host = url.host_str().unwrap_or("localhost").to_owned();
    let pool = AnyPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .after_connect(|conn, _meta| Box::pin(async move { lock_timeout(conn).await }))
        .before_acquire(|conn, _meta| Box::pin(async move { out_of_any_transaction(conn).await }))
        .connect(url.as_str())
        .await
        .map_err(|source| OpenError::ConnectPostgres { host: host.clone(), source })?;
    POSTGRES_MIGRATOR.run(&pool).await.map_err(|source| OpenError::MigratePostgres { host, source })?;
    Ok(pool)
}

/// `tongxing.db-wal` beside `tongxing.db`.
fn sidecar(database: &Path, suffix: &str) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The environment variable that runs the test suite on PostgreSQL: a server's URL naming
/// no database (`postgres://tongxing@127.0.0.1:5432/`), on which each test's data directory
/// gets a database of its own. Unset, the tests use SQLite.
pub const TEST_DATABASE_URL: &str = "TONGXING_TEST_DATABASE_URL";

/// The database a test's data directory opens: SQLite's when the directory holds it (a test
/// of SQLite's own files), else on the server of [`TEST_DATABASE_URL`] when it is set, else
/// SQLite's.
pub async fn open_for_test(data_dir: &Path) -> Result<AnyPool, OpenError> {
    let sqlite_held = database_path(data_dir).exists();
    let url = std::env::var(TEST_DATABASE_URL).ok().filter(|_| !sqlite_held).and_then(|url| url::Url::parse(&url).ok());
    open_at(data_dir, url.as_ref()).await
}

/// Opens the database of `data_dir`, which must exist already (for reading it, as export
/// does), and brings its schema up to date.
pub async fn open_existing(data_dir: &Path) -> Result<AnyPool, OpenError> {
    let path = database_path(data_dir);
    if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Err(OpenError::Missing(path));
    }
    connect(&path, false).await
}

async fn connect(path: &Path, create: bool) -> Result<AnyPool, OpenError> {
    sqlx::any::install_default_drivers();
    let url = SqliteConnectOptions::new().filename(path).create_if_missing(create).to_url_lossy();
    let options =
        AnyConnectOptions::from_url(&url).map_err(|source| OpenError::Connect { path: path.to_owned(), source })?;
    let pool = AnyPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .after_connect(|conn, _meta| Box::pin(async move { durable_settings(conn).await }))
        .before_acquire(|conn, _meta| Box::pin(async move { out_of_any_transaction(conn).await }))
        .connect_with(options)
        .await
        .map_err(|source| OpenError::Connect { path: path.to_owned(), source })?;
    MIGRATOR.run(&pool).await.map_err(|source| OpenError::Migrate { path: path.to_owned(), source })?;
    Ok(pool)
}

/// Each new connection's settings. WAL lets readers go on while one writer commits; with
/// `synchronous = FULL`, each commit is synced to disk before it returns, so a `2xx` means the
/// visit survives a power cut.
async fn durable_settings(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    use sqlx::Executor;
    let settings = format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {};",
        BUSY_TIMEOUT.as_millis()
    );
    conn.execute(sqlx::AssertSqlSafe(settings)).await?;
    Ok(())
}

/// How long a PostgreSQL statement waits for a lock (the write lock of [`begin_write`]) before
/// it gives up busy, as SQLite's busy timeout.
async fn lock_timeout(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    use sqlx::Executor;
    conn.execute(sqlx::AssertSqlSafe(format!("SET lock_timeout = {}", BUSY_TIMEOUT.as_millis()))).await?;
    Ok(())
}

/// Whether a pooled connection may be handed out: not if it is still inside a transaction.
///
/// When the disk fills up, SQLite can roll a transaction back by itself as its `COMMIT`
/// fails; the `ROLLBACK` that sqlx then sends fails too ("no transaction is active"), and
/// sqlx goes on counting the connection as inside a transaction, so every later `BEGIN` on
/// it would fail. Such a connection is closed instead (and a fresh one opened). The query
/// first lets the connection finish a rollback still queued from a dropped transaction.
async fn out_of_any_transaction(conn: &mut sqlx::AnyConnection) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    if sqlx::query("SELECT 1").execute(&mut *conn).await.is_err() {
        return Ok(false);
    }
    let usable = !conn.is_in_transaction();
    if !usable {
        tracing::warn!("closing a database connection left inside a failed transaction");
    }
    Ok(usable)
}

/// Checks that the database answers, for the health check.
pub async fn ping(pool: &AnyPool) -> Result<(), StorageError> {
    sqlx::query("SELECT 1").execute(pool).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Migration 0021 rebuilds `invites` and `devices` (with foreign keys off, as SQLite's
    /// manual says): a database of 0019 with phones, their invites and audit rows keeps every
    /// row and reference, foreign keys stay on, and the county's role is then taken.
    #[tokio::test]
    async fn the_county_migration_keeps_every_invite_phone_and_reference() {
        let dir = tempfile::tempdir().unwrap();
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("old.db"))
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .foreign_keys(true);
        let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(2).connect_with(options).await.unwrap();
        MIGRATOR.run_to(19, &pool).await.unwrap();
        let hash = |n: u8| format!("{n:064x}");
        for (n, role, township, village) in [(1, "supervisor", "石门镇", ""), (2, "director", "石门镇", "桃源村")]
        {
            sqlx::query(
                "INSERT INTO invites (code_hash, role, township, village, invited_by, made_by, created_at, expires_at, \
                 max_uses, uses, id) VALUES ($1, $2, $3, $4, '县民政局', NULL, '2026-11-01T00:00:00Z', '2026-11-08T00:00:00Z', 1, 1, $5)",
            )
            .bind(hash(n))
            .bind(role)
            .bind(township)
            .bind(village)
            .bind(format!("00000000-0000-4000-8000-00000000000{n}"))
            .execute(&pool)
            .await
            .unwrap();
            sqlx::query(
                "INSERT INTO devices (id, token_hash, name, phone, role, township, village, invite, enrolled_at, revoked_as) \
                 VALUES ($1, $2, '王', '13800000000', $3, $4, $5, $6, '2026-11-01T00:00:00Z', NULL)",
            )
            .bind(format!("device-{n}"))
            .bind(hash(n + 10))
            .bind(role)
            .bind(township)
            .bind(village)
            .bind(hash(n))
            .execute(&pool)
            .await
            .unwrap();
            sqlx::query("INSERT INTO audit_log (at, device_id, actor, action, subject) VALUES ('2026-11-01T00:00:00Z', $1, '王', 'enroll', 'x')")
                .bind(format!("device-{n}"))
                .execute(&pool)
                .await
                .unwrap();
        }
        MIGRATOR.run(&pool).await.unwrap();
        let count = |table: &'static str| {
            let pool = pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        assert_eq!((count("invites").await, count("devices").await, count("audit_log").await), (2, 2, 2));
        let broken: Vec<(String, i64, String, i64)> =
            sqlx::query_as("PRAGMA foreign_key_check").fetch_all(&pool).await.unwrap();
        assert!(broken.is_empty(), "{broken:?}");
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&pool).await.unwrap();
        assert_eq!(foreign_keys, 1);
        let joined: String = sqlx::query_scalar(
            "SELECT i.role FROM devices d JOIN invites i ON i.code_hash = d.invite WHERE d.id = 'device-2'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(joined, "director");
        sqlx::query(
            "INSERT INTO invites (code_hash, role, township, village, invited_by, created_at, expires_at, max_uses, id, first_run) \
             VALUES ($1, 'county', '', '', '童行服务器', '2026-11-01T00:00:00Z', '2026-11-08T00:00:00Z', 1, 'x', 1)",
        )
        .bind(hash(9))
        .execute(&pool)
        .await
        .unwrap();
        let refused = sqlx::query(
            "INSERT INTO invites (code_hash, role, township, village, invited_by, created_at, expires_at, max_uses, id) \
             VALUES ($1, 'supervisor', '', '', 'x', '2026-11-01T00:00:00Z', '2026-11-08T00:00:00Z', 1, 'y')",
        )
        .bind(hash(8))
        .execute(&pool)
        .await;
        assert!(refused.is_err(), "a township's invite still needs its township");
        let orphan = sqlx::query("INSERT INTO audit_log (at, device_id, actor, action, subject) VALUES ('t', 'no-such-device', 'x', 'x', 'x')")
            .execute(&pool)
            .await;
        assert!(orphan.is_err(), "foreign keys are enforced again");
    }

    #[tokio::test]
    async fn opening_creates_the_directory_with_a_durable_wal_database() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("nested").join("data");
        let pool = open(&data_dir).await.unwrap();
        assert!(database_path(&data_dir).exists());
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&pool).await.unwrap();
        assert_eq!(journal, "wal");
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&pool).await.unwrap();
        assert_eq!(synchronous, 2, "FULL");
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&pool).await.unwrap();
        assert_eq!(foreign_keys, 1);
        ping(&pool).await.unwrap();
    }

    #[tokio::test]
    async fn opening_an_existing_database_refuses_a_wrong_directory() {
        let dir = tempfile::tempdir().unwrap();
        let error = open_existing(dir.path()).await.unwrap_err();
        assert!(matches!(error, OpenError::Missing(_)), "{error}");
        assert!(!database_path(dir.path()).exists(), "nothing was created");
        open(dir.path()).await.unwrap().close().await;
        open_existing(dir.path()).await.unwrap().close().await;
    }

    #[tokio::test]
    async fn a_write_lock_held_too_long_is_busy() {
        use sqlx::{ConnectOptions, Connection};
        let dir = tempfile::tempdir().unwrap();
        let pool = open(dir.path()).await.unwrap();
        let _writer = pool.begin_with("BEGIN IMMEDIATE").await.unwrap();
        let mut impatient = SqliteConnectOptions::new()
            .filename(database_path(dir.path()))
            .busy_timeout(Duration::ZERO)
            .connect()
            .await
            .unwrap();
        let error = impatient.begin_with("BEGIN IMMEDIATE").await.map(|_| ()).unwrap_err();
        assert!(matches!(StorageError::from(error), StorageError::Busy(_)));
    }

    #[test]
    fn a_pool_timeout_is_busy() {
        assert!(matches!(StorageError::from(sqlx::Error::PoolTimedOut), StorageError::Busy(_)));
        assert!(matches!(StorageError::from(sqlx::Error::RowNotFound), StorageError::Database(_)));
    }
}
