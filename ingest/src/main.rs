//! `tongxing-ingest`: wires the command line to the library.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::Utc;
use clap::Parser;
use sqlx::SqlitePool;
use tongxing_ingest::child_archive::child_archive;
use tongxing_ingest::cli::{CleanupArgs, Cli, Command, ExportArgs, ExportJob};
use tongxing_ingest::export::ExportRequest;
use tongxing_ingest::photo_cleanup::{cleanup_photos, grace_of_hours};
use tongxing_ingest::photo_export::{export_photos, PhotoGrouping};
use tongxing_ingest::photo_store::{PhotoStore, DEFAULT_MAX_PHOTO_BYTES};
use tongxing_ingest::response_headers::{app_headers, content_security_policy};
use tongxing_ingest::static_app::StaticApp;
use tongxing_ingest::{audit_log, db, export, openapi, output_file, shutdown_signal, telemetry, worker_cli, Server};
use uuid::Uuid;

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
        Command::Invites(args) => worker_cli::run_invites(&args).await?,
        Command::RevokeInvite(args) => worker_cli::run_revoke_invite(&args).await?,
        Command::Audit(args) => worker_cli::run_audit(&args).await?,
        Command::Openapi => print!("{}", openapi::document_json()?),
        Command::AppHeaders(args) => {
            let app = StaticApp::new(&args.static_dir)?;
            let policy = content_security_policy(&args.allowed_servers.0, app.script_hashes());
            for (name, value) in app_headers(&policy) {
                println!("{name}: {value}");
            }
        }
        Command::Migrate(args) => {
            let pool = db::open(&args.data_dir).await?;
            pool.close().await;
            eprintln!("the database in {} is up to date", args.data_dir.display());
        }
    }
    Ok(())
}

async fn run_export(args: &ExportArgs) -> anyhow::Result<()> {
    let data_dir = &args.data.data_dir;
    match args.job()? {
        ExportJob::Records { request, output } => export_records(data_dir, &request, output.as_deref()).await,
        ExportJob::Photos { by, out } => export_photo_zip(data_dir, by, out).await,
        ExportJob::ChildFile { child, out } => export_child_file(data_dir, child, &out).await,
    }
}

/// Notes the export in the audit log; nothing is handed out unless this succeeds.
async fn audit(pool: &SqlitePool, action: &str, subject: &str, child: Option<Uuid>) -> anyhow::Result<()> {
    let name = audit_log::command_line_name();
    let reader = audit_log::Reader { device: None, name: &name };
    audit_log::record(pool, &reader, action, subject, child, Utc::now())
        .await
        .context("cannot note the export in the audit log, so nothing was exported")
}

async fn export_records(data_dir: &Path, request: &ExportRequest, output: Option<&Path>) -> anyhow::Result<()> {
    let pool = db::open_existing(data_dir).await?;
    request.selection.check()?;
    audit(&pool, request.audit_action(), &request.audit_subject(), None).await?;
    let count = match output {
        Some(path) => {
            let (file, pending) =
                output_file::create_beside(path).with_context(|| format!("cannot create {}", path.display()))?;
            let (out, count) = export::export(&pool, request, BufWriter::new(file)).await?;
            let file = out.into_inner().map_err(std::io::IntoInnerError::into_error)?;
            pending.commit(file).with_context(|| format!("cannot write {}", path.display()))?;
            count
        }
        None => {
            let (mut out, count) = export::export(&pool, request, BufWriter::new(std::io::stdout())).await?;
            out.flush()?;
            count
        }
    };
    pool.close().await;
    tracing::info!(count, "exported");
    Ok(())
}

async fn export_photo_zip(data_dir: &Path, by: PhotoGrouping, out: PathBuf) -> anyhow::Result<()> {
    let pool = db::open_existing(data_dir).await?;
    let store = PhotoStore::at(data_dir, DEFAULT_MAX_PHOTO_BYTES);
    let subject = match by {
        PhotoGrouping::Child => "by child",
        PhotoGrouping::Month => "by month",
    };
    audit(&pool, audit_log::EXPORT_PHOTOS, subject, None).await?;
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

async fn export_child_file(data_dir: &Path, child: Uuid, out: &Path) -> anyhow::Result<()> {
    let pool = db::open_existing(data_dir).await?;
    let store = PhotoStore::at(data_dir, DEFAULT_MAX_PHOTO_BYTES);
    let (file, pending) =
        output_file::create_beside(out).with_context(|| format!("cannot create {}", out.display()))?;
    let (zip, written) = child_archive(&pool, &store, child, BufWriter::new(file)).await?;
    let file = zip.into_inner().map_err(std::io::IntoInnerError::into_error)?;
    audit(&pool, audit_log::EXPORT_CHILD_FILE, &child.to_string(), Some(child)).await?;
    pool.close().await;
    pending.commit(file).with_context(|| format!("cannot write {}", out.display()))?;
    if written.missing_photos > 0 {
        tracing::warn!(missing = written.missing_photos, "some photos named by visits are not on the server");
    }
    eprintln!(
        "exported the file of {} ({} visits, {} photos) to {}",
        written.folder,
        written.visits,
        written.photos,
        out.display()
    );
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
