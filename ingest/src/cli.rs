//! The command line: `serve`, `export`, `cleanup-photos`, `migrate`, and `invite`,
//! `devices` and `revoke` for enrolment, each setting also read from a `TONGXING_*`
//! environment variable.

use std::num::NonZeroU32;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{CorsOrigins, ServeConfig, DEFAULT_MAX_IN_FLIGHT};
use crate::rate_limits::{RateLimit, DEFAULT_RATE_BURST, DEFAULT_RATE_PER_SECOND};
pub use crate::worker_cli::{DevicesArgs, InviteArgs, RevokeArgs};
use crate::export::{ExportFormat, ExportWhat, Revisions};
use crate::photo_cleanup::DEFAULT_PHOTO_GRACE_HOURS;
use crate::photo_export::PhotoGrouping;
use crate::photo_store::DEFAULT_MAX_PHOTO_BYTES;

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
    /// Writes the visits or children's files held to standard output or a file, or the
    /// visits' photos to a zip file.
    Export(ExportArgs),
    /// Removes the photos no visit names and the uploads in pieces left untouched, once
    /// their grace period has passed, and prints what it removed (the server does this at
    /// start and then hourly).
    CleanupPhotos(CleanupArgs),
    /// Creates or upgrades the database, then exits.
    Migrate(DataDirArg),
    /// Makes an invite for a role and a place and prints its link (a `code=` for the app's
    /// join screen).
    Invite(InviteArgs),
    /// Lists the enrolled phones.
    Devices(DevicesArgs),
    /// Revokes an enrolled phone: its token gets 401 from now on.
    Revoke(RevokeArgs),
    /// Prints the OpenAPI document of the API (as checked in as `ingest/openapi.json`).
    Openapi,
}

/// Where the data is kept.
#[derive(Debug, Args)]
pub struct DataDirArg {
    /// The data directory; the database is `tongxing.db` inside it.
    #[arg(long, env = "TONGXING_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "TONGXING_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    #[command(flatten)]
    pub data: DataDirArg,
    /// The built app (Trunk's dist/) to serve at `/`; without it only the API is served.
    #[arg(long, env = "TONGXING_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
    /// The web origins that may call the API: `*` for any, or a comma-separated list.
    #[arg(long, env = "TONGXING_CORS_ORIGINS", default_value = "*")]
    pub cors_origins: CorsOrigins,
    /// The largest photo taken, in bytes; larger ones are refused with 413.
    #[arg(long, env = "TONGXING_MAX_PHOTO_BYTES", default_value_t = DEFAULT_MAX_PHOTO_BYTES)]
    pub max_photo_bytes: u64,
    #[command(flatten)]
    pub grace: PhotoGraceArg,
    /// Where the app is served, for the links of invites that supervisors make.
    #[arg(long, env = "TONGXING_APP_URL")]
    pub app_url: Option<url::Url>,
    /// Calls a second each device may keep up; more get 429 with Retry-After.
    #[arg(long, env = "TONGXING_RATE_PER_SECOND", default_value_t = NonZeroU32::new(DEFAULT_RATE_PER_SECOND).unwrap_or(NonZeroU32::MIN))]
    pub rate_per_second: NonZeroU32,
    /// Calls each device may make at once after a quiet spell.
    #[arg(long, env = "TONGXING_RATE_BURST", default_value_t = NonZeroU32::new(DEFAULT_RATE_BURST).unwrap_or(NonZeroU32::MIN))]
    pub rate_burst: NonZeroU32,
    /// API requests under way at once; more get 503 with Retry-After.
    #[arg(long, env = "TONGXING_MAX_IN_FLIGHT", default_value_t = DEFAULT_MAX_IN_FLIGHT)]
    pub max_in_flight: usize,
}

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

impl ServeArgs {
    pub fn into_config(self) -> ServeConfig {
        ServeConfig {
            addr: self.addr,
            data_dir: self.data.data_dir,
            static_dir: self.static_dir,
            cors_origins: self.cors_origins,
            max_photo_bytes: self.max_photo_bytes,
            photo_grace_hours: self.grace.photo_grace_hours,
            app_url: self.app_url,
            rate_limit: RateLimit { per_second: self.rate_per_second, burst: self.rate_burst },
            max_in_flight: self.max_in_flight.max(1),
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub data: DataDirArg,
    /// The output format of records (photos are always a zip file).
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: ExportFormat,
    /// The file to write; standard output when not given (photos need a file).
    #[arg(short, long, visible_alias = "out")]
    pub output: Option<PathBuf>,
    /// What: home visits, children's files, or the visits' photos.
    #[arg(long, value_enum, default_value = "visits")]
    pub what: ExportWhat,
    /// With `--what photos`: a folder per child or per month of the visit.
    #[arg(long, value_enum)]
    pub by: Option<PhotoGrouping>,
    /// Every revision ever received, not only the newest of each record.
    #[arg(long)]
    pub history: bool,
    /// The conflicts instead: what arrived with a revision already held but other content,
    /// kept aside for a person to reconcile.
    #[arg(long, conflicts_with = "history")]
    pub conflicts: bool,
}

/// What `export` was asked to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportJob {
    /// Records, to `output` or standard output.
    Records { what: ExportWhat, format: ExportFormat, revisions: Revisions, output: Option<PathBuf> },
    /// The visits' photos, to the zip file `out`.
    Photos { by: PhotoGrouping, out: PathBuf },
}

/// Flags of `export` that do not go together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadExportArgs {
    #[error("photos are exported as one zip file: give --out <file.zip>")]
    PhotosNeedAFile,
    #[error("--by sorts photos into folders: use it with --what photos")]
    ByIsForPhotos,
    #[error("photos are exported for the newest revision of each visit; --history and --conflicts are for records")]
    PhotosHaveNoRevisions,
}

impl ExportArgs {
    /// The export asked for, or why the flags do not go together.
    pub fn job(&self) -> Result<ExportJob, BadExportArgs> {
        if self.what != ExportWhat::Photos {
            if self.by.is_some() {
                return Err(BadExportArgs::ByIsForPhotos);
            }
            return Ok(ExportJob::Records {
                what: self.what,
                format: self.format,
                revisions: self.revisions(),
                output: self.output.clone(),
            });
        }
        if self.history || self.conflicts {
            return Err(BadExportArgs::PhotosHaveNoRevisions);
        }
        let out = self.output.clone().ok_or(BadExportArgs::PhotosNeedAFile)?;
        Ok(ExportJob::Photos { by: self.by.unwrap_or_default(), out })
    }

    pub fn revisions(&self) -> Revisions {
        if self.conflicts {
            Revisions::Conflicts
        } else if self.history {
            Revisions::All
        } else {
            Revisions::Current
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serve_flags() {
        let cli = Cli::try_parse_from([
            "tongxing-ingest",
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--data-dir",
            "/tmp/x",
            "--static-dir",
            "dist",
            "--cors-origins",
            "https://a.example.org",
        ])
        .unwrap();
        let Command::Serve(args) = cli.command else { panic!("not serve") };
        let config = args.into_config();
        assert_eq!(config.addr, "127.0.0.1:0");
        assert_eq!(config.data_dir, PathBuf::from("/tmp/x"));
        assert_eq!(config.static_dir, Some(PathBuf::from("dist")));
        assert!(matches!(config.cors_origins, CorsOrigins::List(ref list) if list.len() == 1));
        assert_eq!(config.max_photo_bytes, DEFAULT_MAX_PHOTO_BYTES, "10 MiB unless told");
        assert_eq!(config.photo_grace_hours, 168, "a week unless told");
        let cli = Cli::try_parse_from([
            "tongxing-ingest",
            "serve",
            "--max-photo-bytes",
            "500000",
            "--photo-grace-hours",
            "48",
        ])
        .unwrap();
        let Command::Serve(args) = cli.command else { panic!("not serve") };
        let config = args.into_config();
        assert_eq!((config.max_photo_bytes, config.photo_grace_hours), (500_000, 48));
    }

    #[test]
    fn export_flags() {
        let cli =
            Cli::try_parse_from(["tongxing-ingest", "export", "--format", "csv", "--history", "-o", "v.csv"]).unwrap();
        let Command::Export(args) = cli.command else { panic!("not export") };
        assert_eq!(args.format, ExportFormat::Csv);
        assert_eq!(args.revisions(), Revisions::All);
        assert_eq!(args.output, Some(PathBuf::from("v.csv")));
        assert_eq!(args.what, ExportWhat::Visits, "visits by default");
        assert!(Cli::try_parse_from(["tongxing-ingest", "export", "--format", "xml"]).is_err());
    }

    #[test]
    fn export_children_and_conflicts() {
        let cli = Cli::try_parse_from(["tongxing-ingest", "export", "--what", "children", "--conflicts"]).unwrap();
        let Command::Export(args) = cli.command else { panic!("not export") };
        assert_eq!(args.what, ExportWhat::Children);
        assert_eq!(args.format, ExportFormat::Jsonl);
        assert_eq!(args.revisions(), Revisions::Conflicts);
        assert!(Cli::try_parse_from(["tongxing-ingest", "export", "--history", "--conflicts"]).is_err());
    }

    fn export_job(args: &[&str]) -> Result<ExportJob, BadExportArgs> {
        let cli = Cli::try_parse_from(["tongxing-ingest", "export"].iter().chain(args)).unwrap();
        let Command::Export(args) = cli.command else { panic!("not export") };
        args.job()
    }

    #[test]
    fn export_photos_to_a_zip_by_child_or_month() {
        assert_eq!(
            export_job(&["--what", "photos", "--out", "p.zip"]),
            Ok(ExportJob::Photos { by: PhotoGrouping::Child, out: PathBuf::from("p.zip") }),
            "by child unless told"
        );
        assert_eq!(
            export_job(&["--what", "photos", "-o", "p.zip", "--by", "month"]),
            Ok(ExportJob::Photos { by: PhotoGrouping::Month, out: PathBuf::from("p.zip") })
        );
        assert_eq!(export_job(&["--what", "photos"]), Err(BadExportArgs::PhotosNeedAFile));
        assert_eq!(
            export_job(&["--what", "photos", "--out", "p.zip", "--history"]),
            Err(BadExportArgs::PhotosHaveNoRevisions)
        );
        assert_eq!(export_job(&["--by", "month"]), Err(BadExportArgs::ByIsForPhotos));
        assert!(matches!(export_job(&["--out", "v.jsonl"]), Ok(ExportJob::Records { what: ExportWhat::Visits, .. })));
    }

    #[test]
    fn cleanup_photos_flags() {
        let cli =
            Cli::try_parse_from(["tongxing-ingest", "cleanup-photos", "--data-dir", "/d", "--photo-grace-hours", "0"])
                .unwrap();
        let Command::CleanupPhotos(args) = cli.command else { panic!("not cleanup-photos") };
        assert_eq!((args.data.data_dir, args.grace.photo_grace_hours), (PathBuf::from("/d"), 0));
    }
}
