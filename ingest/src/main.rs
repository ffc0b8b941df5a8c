//! `tongxing-ingest`: wires the command line to the library.

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::Context;
use clap::Parser;
use tongxing_ingest::cli::{Cli, Command, ExportArgs};
use tongxing_ingest::{db, export, shutdown_signal, telemetry, Server};

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
        Command::Migrate(args) => {
            let pool = db::open(&args.data_dir).await?;
            pool.close().await;
            eprintln!("the database in {} is up to date", args.data_dir.display());
        }
    }
    Ok(())
}

async fn run_export(args: &ExportArgs) -> anyhow::Result<()> {
    let pool = db::open_existing(&args.data.data_dir).await?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => {
            Box::new(BufWriter::new(File::create(path).with_context(|| format!("cannot create {}", path.display()))?))
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let count = export::export_what(&pool, args.what, args.format, args.revisions(), &mut out).await?;
    out.flush()?;
    drop(out);
    pool.close().await;
    tracing::info!(count, "exported");
    Ok(())
}
