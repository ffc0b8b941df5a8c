//! `migrate-to`: moves a county's SQLite database and photo folder up into a province's
//! PostgreSQL and bucket ([`crate::store::move_up`], [`crate::photos::move_up`]).

use std::path::PathBuf;

use anyhow::Context;
use chrono::Utc;
use clap::Args;

use crate::photos::move_up::move_photos;
use crate::photos::{PhotoBucket, PhotoStore, DEFAULT_MAX_PHOTO_BYTES};
use crate::store::county_key::COUNTY_KEY_FILE;
use crate::store::move_up::move_records;
use crate::store::recovery::RECOVERY_KEY_FILE;
use crate::store::{audit, db};

/// The county's data directory, and where it goes.
#[derive(Debug, Args)]
pub struct MigrateToArgs {
    /// The county's data directory: its SQLite database (`tongxing.db`) and photo folder.
    #[arg(long, env = "TONGXING_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The province's PostgreSQL database, named:
    /// postgres://user:password@host:port/database (keep the password in the environment).
    #[arg(long, env = "TONGXING_DATABASE_URL", hide_env_values = true)]
    pub database_url: url::Url,
    /// The province's bucket: s3://bucket/prefix, reached as the AWS_* environment says.
    #[arg(long, env = "TONGXING_PHOTO_STORE")]
    pub photo_store: url::Url,
}

/// Photos first, then the records that name them; prints a line a table and a summary.
pub(super) async fn run_migrate_to(args: &MigrateToArgs) -> anyhow::Result<()> {
    if args.database_url.path().trim_start_matches('/').is_empty() {
        anyhow::bail!("name the province's database in --database-url: postgres://user@host:5432/database");
    }
    let bucket = PhotoBucket::from_url(&args.photo_store)?;
    let source = db::open_existing(&args.data_dir).await?;
    let target = db::open_at(&args.data_dir, Some(&args.database_url)).await?;
    let host = args.database_url.host_str().unwrap_or("localhost");
    let subject = format!("to {host}{} and {}", args.database_url.path(), args.photo_store);
    let name = audit::command_line_name();
    audit::record(&source, &audit::Reader { device: None, name: &name }, audit::MOVE_UP, &subject, None, Utc::now())
        .await
        .context("cannot note the move in the audit log, so nothing was moved")?;

    let folder = PhotoStore::at(&args.data_dir, DEFAULT_MAX_PHOTO_BYTES);
    let photos = move_photos(&source, &folder, &bucket).await?;
    println!(
        "photos: {} written ({} bytes), {} in the bucket already, {} missing from the folder",
        photos.copied,
        photos.bytes,
        photos.already_there,
        photos.missing.len()
    );
    for hash in &photos.missing {
        println!("  missing before the move: photo {hash}");
    }

    let tables = move_records(&source, &target, |table| {
        let how = if table.already_there { "there already" } else { "copied and checked" };
        let removed = if table.removed > 0 {
            format!(", {} no longer the county's removed", table.removed)
        } else {
            String::new()
        };
        println!("{:<28} {:>9} rows, {how}{removed}", table.table, table.rows);
    })
    .await?;
    source.close().await;
    target.close().await;
    let rows: u64 = tables.iter().map(|table| table.rows).sum();
    println!(
        "moved: {rows} rows in {} tables, counts and digests equal on both sides; {} photos in the bucket",
        tables.len(),
        photos.copied + photos.already_there
    );
    println!(
        "next: give the province's servers this county's {COUNTY_KEY_FILE} and {RECOVERY_KEY_FILE} \
         (--county-key-file, --recovery-key-file), then point the county's app at the province's address"
    );
    Ok(())
}
