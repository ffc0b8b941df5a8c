//! `tongxing-ingest`: wires the command line to the library.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::Utc;
use clap::Parser;
use tongxing_ingest::cli::{CleanupArgs, Cli, Command, ExportArgs, ExportJob};
use tongxing_ingest::export::{ExportFormat, ExportWhat, Revisions};
use tongxing_ingest::photo_cleanup::{cleanup_photos, grace_of_hours};
use tongxing_ingest::photo_export::{export_photos, PhotoGrouping};
use tongxing_ingest::photo_store::{PhotoStore, DEFAULT_MAX_PHOTO_BYTES};
use tongxing_ingest::{db, export, openapi, shutdown_signal, telemetry, worker_cli, Server};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    telemetry::init_logging();
    match cli.command {
        Command::Serve(args) => {
            let server = Server::bind(&args.into_config()).await?;
            // Scripts and tests wait for this line.
            println!("listening on http://{}", server.local_addr()?);
            server.run_until(shutdown_signal()).await?;
        }
        Command::Export(args) => run_export(&args).await?,
        Command::CleanupPhotos(args) => run_cleanup(&args).await?,
        Command::Invite(args) => worker_cli::run_invite(&args).await?,
        Command::Devices(args) => worker_cli::run_devices(&args).await?,
        Command::Revoke(args) => worker_cli::run_revoke(&args).await?,
        Command::Openapi => print!("{}", openapi::document_json()?),
        Command::Migrate(args) => {
            let pool = db::open(&args.data_dir).await?;
            pool.close().await;
            eprintln!("the database in {} is up to date", args.data_dir.display());
        }
    }
    Ok(())
}

async fn run_export(args: &ExportArgs) -> anyhow::Result<()> {
    match args.job()? {
        ExportJob::Records { what, format, revisions, output } => {
            export_records(&args.data.data_dir, what, format, revisions, output.as_deref()).await
        }
        ExportJob::Photos { by, out } => export_photo_zip(&args.data.data_dir, by, out).await,
    }
}

async fn export_records(
    data_dir: &Path,
    what: ExportWhat,
    format: ExportFormat,
    revisions: Revisions,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let pool = db::open_existing(data_dir).await?;
    let mut out: Box<dyn Write> = match output {
        Some(path) => {
            Box::new(BufWriter::new(File::create(path).with_context(|| format!("cannot create {}", path.display()))?))
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let count = export::export_what(&pool, what, format, revisions, &mut out).await?;
    out.flush()?;
    drop(out);
    pool.close().await;
    tracing::info!(count, "exported");
    Ok(())
}

async fn export_photo_zip(data_dir: &Path, by: PhotoGrouping, out: PathBuf) -> anyhow::Result<()> {
    let pool = db::open_existing(data_dir).await?;
    let store = PhotoStore::at(data_dir, DEFAULT_MAX_PHOTO_BYTES);
    let written = export_photos(&pool, &store, by, &out)
        .await
        .with_context(|| format!("cannot export the photos to {}", out.display()))?;
    pool.close().await;
    if written.missing > 0 {
        tracing::warn!(
            missing = written.missing,
            "some photos named by visits are not on the server; their rows have no file"
        );
    }
    eprintln!("exported {} photos ({} notes) to {}", written.files, written.notes, out.display());
    Ok(())
}

async fn run_cleanup(args: &CleanupArgs) -> anyhow::Result<()> {
    let data_dir = &args.data.data_dir;
    let pool = db::open_existing(data_dir).await?;
    // Beside a running server: nothing in the data directory is created or cleared.
    let store = PhotoStore::at(data_dir, DEFAULT_MAX_PHOTO_BYTES);
    let report = cleanup_photos(&pool, &store, Utc::now(), grace_of_hours(args.grace.photo_grace_hours)).await?;
    pool.close().await;
    for line in report.lines() {
        println!("{line}");
    }
    Ok(())
}
