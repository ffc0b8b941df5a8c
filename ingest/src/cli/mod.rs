//! The command line: `serve`, `export`, `cleanup-photos`, `retention`, `import`, `migrate`, `migrate-to`, `invite`, `invites`,
//! `revoke-invite`, `devices` and `revoke` for enrolment, `audit`, `openapi` and
//! `app-headers`, each setting also read from a `TONGXING_*` environment variable. Each
//! command is one `run_*` function; [`run`] picks it.

mod cleanup;
mod export;
mod import;
mod migrate_to;
mod retention;
mod serve;
mod workers;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::http::openapi;
use crate::photos::bucket::BucketUrlError;
use crate::photos::{PhotoBucket, PhotoStore, DEFAULT_MAX_PHOTO_BYTES};
use crate::store::db;
pub use cleanup::CleanupArgs;
pub use export::{BadExportArgs, ExportArgs, ExportJob, FilterArgs};
pub use import::ImportArgs;
pub use migrate_to::MigrateToArgs;
pub use retention::RetentionArgs;
pub use serve::{AppHeadersArgs, ServeArgs};
use sqlx::AnyPool;
pub use workers::{AuditArgs, DevicesArgs, InviteArgs, InvitesArgs, RevokeArgs, RevokeInviteArgs};

/// Tongxing's ingestion server: receives visits and children's files from phones and keeps them in SQLite.
#[derive(Debug, Parser)]
#[command(name = "tongxing-ingest", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the server until SIGINT or SIGTERM.
    Serve(ServeArgs),
    /// Writes the visits or children's files held to standard output or a file (readable
    /// CSV or XLSX in Chinese, or JSON for machines), or the visits' photos or one child's
    /// whole file to a zip file; notes each export in the audit log.
    Export(ExportArgs),
    /// Removes the photos no visit names and the uploads in pieces left untouched, once
    /// their grace period has passed, and prints what it removed (the server does this at
    /// start and then hourly).
    CleanupPhotos(CleanupArgs),
    /// Prints, per kind, what is safe to drop and kept no longer (invites, recoveries,
    /// reconciled conflicts, daily photo counts), and with `--apply` removes it and notes the
    /// counts in the audit log. Children's files, visits, photos and the audit log are never
    /// removed.
    Retention(RetentionArgs),
    /// Stores a phone's unsent-records file (saved on a phone that will never be online
    /// again, sealed to the county's key) as if the phone had sent each record: a record or
    /// photo held already is stored once. Prints what came of it, and every refusal.
    Import(ImportArgs),
    /// Creates or upgrades the database, then exits.
    Migrate(DataDirArg),
    /// Moves a county's SQLite database and photo folder up into a province's PostgreSQL
    /// and bucket, keeping every id, revision and audit entry, then checks each table's
    /// count and digest on both sides. Runs again after a cut or for what came meanwhile.
    MigrateTo(MigrateToArgs),
    /// Makes an invite for a role and a place and prints its link (a `code=` for the app's
    /// join screen).
    Invite(InviteArgs),
    /// Lists the invites (id, role, place, who made them, when, expiry, uses left, state),
    /// never their codes.
    Invites(InvitesArgs),
    /// Revokes an invite: its link gets 410 invite_revoked from now on.
    RevokeInvite(RevokeInviteArgs),
    /// Lists the enrolled phones.
    Devices(DevicesArgs),
    /// Revokes an enrolled phone, `--as left` (default) or `--as lost`: its token gets 401
    /// revoked or 401 revoked_lost from now on, and its invites stop working.
    Revoke(RevokeArgs),
    /// Prints the audit log (who read, exported, invited, enrolled, revoked or sent what),
    /// filtered by device, child, dates and action.
    Audit(AuditArgs),
    /// Prints the OpenAPI document of the API (as checked in as `ingest/openapi.json`).
    Openapi,
    /// Prints the headers a static host or CDN must send with the built app's files, one
    /// `Name: value` a line: the same as this server sends when it serves the app.
    AppHeaders(AppHeadersArgs),
}

/// Where the data is kept.
#[derive(Debug, Args)]
pub struct DataDirArg {
    /// The data directory; the database is `tongxing.db` inside it unless --database-url
    /// names another.
    #[arg(long, env = "TONGXING_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The database, when it is not SQLite's in the data directory:
    /// postgres://user:password@host:port/database (keep the password in the environment).
    #[arg(long, env = "TONGXING_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<url::Url>,
    /// Where the photos are kept, when not in the data directory's `photos/` folder:
    /// s3://bucket/prefix, an S3-compatible bucket reached as the AWS_* environment says
    /// (AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
    #[arg(long, env = "TONGXING_PHOTO_STORE")]
    pub photo_store: Option<url::Url>,
}

impl DataDirArg {
    /// Opens the database, creating SQLite's if it is missing, and brings its schema up to date.
    pub async fn open(&self) -> Result<AnyPool, db::OpenError> {
        db::open_at(&self.data_dir, self.database_url.as_ref()).await
    }

    /// Opens the database, which must exist already (SQLite's in the data directory).
    pub async fn open_existing(&self) -> Result<AnyPool, db::OpenError> {
        db::open_existing_at(&self.data_dir, self.database_url.as_ref()).await
    }

    /// The bucket of `--photo-store`, if one is named.
    pub fn bucket(&self) -> Result<Option<PhotoBucket>, BucketUrlError> {
        self.photo_store.as_ref().map(PhotoBucket::from_url).transpose()
    }

    /// The photo store as it is, for a command that runs beside a running server: nothing
    /// in the data directory is created or cleared.
    pub fn photos_as_they_are(&self) -> Result<PhotoStore, BucketUrlError> {
        Ok(PhotoStore::at(&self.data_dir, DEFAULT_MAX_PHOTO_BYTES).in_bucket(self.bucket()?))
    }
}

/// Runs the command asked for.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve::run_serve(args).await,
        Command::Export(args) => export::run_export(&args).await,
        Command::CleanupPhotos(args) => cleanup::run_cleanup(&args).await,
        Command::Retention(args) => retention::run_retention(&args).await,
        Command::Import(args) => import::run_import(&args).await,
        Command::Migrate(args) => run_migrate(&args).await,
        Command::MigrateTo(args) => migrate_to::run_migrate_to(&args).await,
        Command::Invite(args) => workers::run_invite(&args).await,
        Command::Invites(args) => workers::run_invites(&args).await,
        Command::RevokeInvite(args) => workers::run_revoke_invite(&args).await,
        Command::Devices(args) => workers::run_devices(&args).await,
        Command::Revoke(args) => workers::run_revoke(&args).await,
        Command::Audit(args) => workers::run_audit(&args).await,
        Command::Openapi => run_openapi(),
        Command::AppHeaders(args) => serve::run_app_headers(&args),
    }
}

/// `migrate`: creates or upgrades the database.
async fn run_migrate(args: &DataDirArg) -> anyhow::Result<()> {
    let pool = args.open().await?;
    pool.close().await;
    eprintln!("the database in {} is up to date", args.data_dir.display());
    Ok(())
}

/// `openapi`: prints the API's document.
fn run_openapi() -> anyhow::Result<()> {
    print!("{}", openapi::document_json()?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
