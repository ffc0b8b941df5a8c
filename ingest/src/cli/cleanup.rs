//! `cleanup-photos`: removes what no visit needs once its grace period has passed.

use chrono::Utc;
use clap::Args;

use super::DataDirArg;
use crate::photos::cleanup::{cleanup_photos, grace_of_hours, DEFAULT_PHOTO_GRACE_HOURS};

/// How long what no visit needs is kept.
#[derive(Debug, Args)]
pub struct PhotoGraceArg {
    /// Hours a photo no visit names is kept after it was received, and an upload in pieces
    /// after its last piece, before they are removed.
    #[arg(long, env = "TONGXING_PHOTO_GRACE_HOURS", default_value_t = DEFAULT_PHOTO_GRACE_HOURS)]
    pub photo_grace_hours: u64,
}

#[derive(Debug, Args)]
pub struct CleanupArgs {
    #[command(flatten)]
    pub data: DataDirArg,
    #[command(flatten)]
    pub grace: PhotoGraceArg,
}

/// Prints what it removed.
pub(super) async fn run_cleanup(args: &CleanupArgs) -> anyhow::Result<()> {
    let pool = args.data.open_existing().await?;
    // Beside a running server: nothing in the data directory is created or cleared.
    let store = args.data.photos_as_they_are()?;
    let report = cleanup_photos(&pool, &store, Utc::now(), grace_of_hours(args.grace.photo_grace_hours)).await?;
    pool.close().await;
    for line in report.lines() {
        println!("{line}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use clap::Parser;

    use crate::cli::{Cli, Command};

    #[test]
    fn cleanup_photos_flags() {
        let cli =
            Cli::try_parse_from(["tongxing-ingest", "cleanup-photos", "--data-dir", "/d", "--photo-grace-hours", "0"])
                .unwrap();
        let Command::CleanupPhotos(args) = cli.command else { panic!("not cleanup-photos") };
        assert_eq!((args.data.data_dir, args.grace.photo_grace_hours), (PathBuf::from("/d"), 0));
    }
}
