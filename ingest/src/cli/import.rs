//! `import`: a phone's unsent-records file, stored as if the phone had sent it (see
//! [`crate::unsent_import`]); prints what came of each kind, and every refusal.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use clap::Args;

use super::DataDirArg;
use crate::http::config::county_key_path;
use crate::photos::{PhotoStore, DEFAULT_MAX_PHOTO_BYTES};
use crate::store::audit::{self, Reader};
use crate::store::county_key;
use crate::store::group_commit::GroupCommit;
use crate::unsent_import::{import_unsent, FileCame, ImportReport};

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub data: DataDirArg,
    /// The county's key file the server publishes the public half of (as `serve` has it);
    /// default: county.key in the data directory.
    #[arg(long, env = "TONGXING_COUNTY_KEY_FILE")]
    pub county_key_file: Option<PathBuf>,
    /// The largest photo taken, in bytes (as `serve` has it).
    #[arg(long, env = "TONGXING_MAX_PHOTO_BYTES", default_value_t = DEFAULT_MAX_PHOTO_BYTES)]
    pub max_photo_bytes: u64,
    /// The file a phone saved (`….tongxing`).
    pub file: PathBuf,
}

/// Opens the database, the photo folder and the county's key, and imports the file.
pub(super) async fn run_import(args: &ImportArgs) -> anyhow::Result<()> {
    let secret = county_key::load(&county_key_path(args.county_key_file.as_deref(), &args.data.data_dir))?;
    let input = File::open(&args.file)
        .map_err(|error| anyhow::anyhow!("cannot open the file {}: {error}", args.file.display()))?;
    let pool = args.data.open_existing().await?;
    let photos = PhotoStore::open(&args.data.data_dir, args.max_photo_bytes, args.data.bucket()?).await?;
    let writes = GroupCommit::start(pool.clone());
    let name = audit::command_line_name();
    let imported = import_unsent(
        &pool,
        &writes,
        &photos,
        &secret,
        BufReader::new(input),
        &Reader { device: None, name: &name },
        FileCame::ByTheCounty,
    )
    .await;
    drop(writes);
    pool.close().await;
    let report = imported?;
    for line in report_lines(&report) {
        println!("{line}");
    }
    match report.refused.len() {
        0 => Ok(()),
        refused => {
            anyhow::bail!("{refused} of the file's records or photos were refused (listed above); the rest are stored")
        }
    }
}

/// What the import did, a line each.
fn report_lines(report: &ImportReport) -> Vec<String> {
    let made = report.made_at.map(|at| at.to_rfc3339()).unwrap_or_default();
    let mut lines = vec![format!("device {} ({}), file made {made}", report.device, report.worker_name)];
    if report.revoked_left {
        lines.push("the device was revoked as its worker's who left: its records are taken as hers".to_owned());
    }
    lines.push(format!("photos: {} new, {} held already", report.photos_new, report.photos_held));
    lines.push(format!(
        "records: {} new, {} updated, {} unchanged (held already), {} kept aside as conflicts",
        report.created, report.updated, report.unchanged, report.conflicts
    ));
    lines.extend(report.refused.iter().map(|refused| format!("refused: {refused}")));
    lines
}
