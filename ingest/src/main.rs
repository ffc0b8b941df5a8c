//! `tongxing-ingest`: wires the command line to the library.

use clap::Parser;
use tongxing_ingest::cli::{self, Cli};
use tongxing_ingest::http::telemetry;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    telemetry::init_logging();
    cli::run(cli).await
}
