//! The command line: `serve`, `export`, `cleanup-photos`, `migrate`, `invite`, `invites`,
//! `revoke-invite`, `devices` and `revoke` for enrolment, `audit`, each setting also read from a `TONGXING_*`
//! environment variable.

use std::num::NonZeroU32;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use tongxing_core::RiskColour;
use uuid::Uuid;

use crate::api::door::{DEFAULT_STRANGERS_IN_FLIGHT, DEFAULT_STRANGER_RATE_BURST, DEFAULT_STRANGER_RATE_PER_SECOND};
use crate::config::{AllowedServers, CorsOrigins, ServeConfig, DEFAULT_DAILY_UPLOAD_BYTES, DEFAULT_MAX_IN_FLIGHT};
use tongxing_core::export::ExportFormat;
use tongxing_core::record_filter::RecordFilter;

use crate::export::{ExportRequest, ExportWhat};
use crate::photo_cleanup::DEFAULT_PHOTO_GRACE_HOURS;
use crate::photo_export::PhotoGrouping;
use crate::photo_store::DEFAULT_MAX_PHOTO_BYTES;
use crate::rate_limits::{RateLimit, DEFAULT_RATE_BURST, DEFAULT_RATE_PER_SECOND};
use crate::store::reads::{Revisions, Selection, SelectionError};
pub use crate::worker_cli::{AuditArgs, DevicesArgs, InviteArgs, InvitesArgs, RevokeArgs, RevokeInviteArgs};

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
    /// Creates or upgrades the database, then exits.
    Migrate(DataDirArg),
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
    /// Revokes an enrolled phone: its token gets 401 from now on, and its invites stop working.
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

/// The built app whose headers to print.
#[derive(Debug, Args)]
pub struct AppHeadersArgs {
    /// The built app (`dist/`): its `index.html` names the inline script the policy allows.
    #[arg(long, env = "TONGXING_STATIC_DIR", default_value = "./dist")]
    pub static_dir: PathBuf,
    /// Servers the app may call besides its own origin (as the app was built with).
    #[arg(long, env = "TONGXING_ALLOWED_SERVERS", default_value = "")]
    pub allowed_servers: AllowedServers,
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
    /// Other web origins whose pages may call the API, comma-separated (an app hosted
    /// elsewhere), or `*` for any page on the web. Unset: none, only the server's own origin
    /// (the app served with --static-dir).
    #[arg(long, env = "TONGXING_CORS_ORIGINS")]
    pub cors_origins: Option<CorsOrigins>,
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
    /// Servers the app may call besides its own origin (comma-separated origins, as the app
    /// was built with); they go into the app's Content-Security-Policy.
    #[arg(long, env = "TONGXING_ALLOWED_SERVERS", default_value = "")]
    pub allowed_servers: AllowedServers,
    /// Bytes of photos (whole or in pieces) each device may send a day; more get 429
    /// quota_exceeded until the next day (UTC).
    #[arg(long, env = "TONGXING_DAILY_UPLOAD_BYTES", default_value_t = DEFAULT_DAILY_UPLOAD_BYTES)]
    pub daily_upload_bytes: u64,
    /// Requests without a valid device token (joining, invite links, bad tokens) under way
    /// at once; more get 503 with Retry-After. Enrolled phones have their own places.
    #[arg(long, env = "TONGXING_STRANGERS_IN_FLIGHT", default_value_t = DEFAULT_STRANGERS_IN_FLIGHT)]
    pub strangers_in_flight: usize,
    /// Calls without a valid device token each client address may keep up a second.
    #[arg(long, env = "TONGXING_STRANGER_RATE_PER_SECOND", default_value_t = NonZeroU32::new(DEFAULT_STRANGER_RATE_PER_SECOND).unwrap_or(NonZeroU32::MIN))]
    pub stranger_rate_per_second: NonZeroU32,
    /// Calls without a valid device token each client address may make at once.
    #[arg(long, env = "TONGXING_STRANGER_RATE_BURST", default_value_t = NonZeroU32::new(DEFAULT_STRANGER_RATE_BURST).unwrap_or(NonZeroU32::MIN))]
    pub stranger_rate_burst: NonZeroU32,
    /// A reverse proxy is in front (nginx, Caddy): each client is known by the last address
    /// of X-Forwarded-For, which the proxy must set, for the strangers' per-address limit.
    #[arg(long, env = "TONGXING_BEHIND_PROXY")]
    pub behind_proxy: bool,
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
            cors_origins: self.cors_origins.unwrap_or_default(),
            max_photo_bytes: self.max_photo_bytes,
            photo_grace_hours: self.grace.photo_grace_hours,
            app_url: self.app_url,
            rate_limit: RateLimit { per_second: self.rate_per_second, burst: self.rate_burst },
            max_in_flight: self.max_in_flight.max(1),
            allowed_servers: self.allowed_servers,
            daily_upload_bytes: self.daily_upload_bytes,
            strangers_in_flight: self.strangers_in_flight.max(1),
            stranger_rate: RateLimit { per_second: self.stranger_rate_per_second, burst: self.stranger_rate_burst },
            behind_proxy: self.behind_proxy,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub data: DataDirArg,
    /// The output format of records (photos and a child's file are always a zip file).
    #[arg(long, default_value = "jsonl", value_parser = parse_format, value_name = "jsonl|json|csv|xlsx|csv-codes")]
    pub format: ExportFormat,
    /// The file to write; standard output when not given (XLSX, photos and a child's file
    /// need a file).
    #[arg(short, long, visible_alias = "out")]
    pub output: Option<PathBuf>,
    /// What: home visits, children's files, the visits' photos, or one child's whole file.
    #[arg(long, value_enum, default_value = "visits")]
    pub what: ExportWhat,
    /// With `--what photos`: a folder per child or per month of the visit.
    #[arg(long, value_enum)]
    pub by: Option<PhotoGrouping>,
    /// With `--what child-file`: the child's id.
    #[arg(long)]
    pub child: Option<Uuid>,
    /// Every revision ever received, not only the newest of each record.
    #[arg(long)]
    pub history: bool,
    /// The conflicts instead: what arrived with a revision already held but other content,
    /// kept aside for a person to reconcile.
    #[arg(long, conflicts_with = "history")]
    pub conflicts: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Which records: by place, colour and visit dates (see `store::reads::Selection`).
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Only records of this township or street office (乡镇/街道).
    #[arg(long)]
    pub township: Option<String>,
    /// Only records of this village or residents' committee (村/居).
    #[arg(long)]
    pub village: Option<String>,
    /// Only visits of this risk colour (children: whose latest visit has it).
    #[arg(long, alias = "color", value_parser = parse_colour, value_name = "red|yellow|blue|green")]
    pub colour: Option<RiskColour>,
    /// Only visits on or after this day, YYYY-MM-DD (children: whose latest visit is).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<NaiveDate>,
    /// Only visits on or before this day, YYYY-MM-DD (children: whose latest visit is).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<NaiveDate>,
}

impl FilterArgs {
    /// The newest revisions of the records the flags pick.
    pub fn selection(&self) -> Selection {
        let records = RecordFilter { village: self.village.clone(), colour: self.colour, from: self.from, to: self.to };
        Selection { township: self.township.clone(), records, ..Selection::all() }
    }
}

/// `--format`: jsonl (newline-delimited JSON, as the app sends each record), json (one
/// array), csv (readable, for Excel), xlsx (a readable workbook) or csv-codes (codes, for
/// scripts).
fn parse_format(text: &str) -> Result<ExportFormat, String> {
    ExportFormat::from_code(text.trim())
        .ok_or_else(|| format!("`{text}` is not a format: use jsonl, json, csv, xlsx or csv-codes"))
}

fn parse_colour(text: &str) -> Result<RiskColour, String> {
    RiskColour::from_code(text.trim())
        .ok_or_else(|| format!("`{text}` is not a risk colour: use red, yellow, blue or green"))
}

/// What `export` was asked to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportJob {
    /// Records, to `output` or standard output.
    Records { request: ExportRequest, output: Option<PathBuf> },
    /// The visits' photos, to the zip file `out`.
    Photos { by: PhotoGrouping, out: PathBuf },
    /// One child's whole file, to the zip file `out`.
    ChildFile { child: Uuid, out: PathBuf },
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
    #[error("an Excel workbook is not for a terminal: give --out <file.xlsx>")]
    XlsxNeedsAFile,
    #[error("a child's file is exported as one zip file: give --out <file.zip>")]
    ChildFileNeedsAFile,
    #[error("whose file? give --child <the child's id>")]
    ChildFileNeedsAChild,
    #[error("--child picks the child of --what child-file")]
    ChildIsForChildFile,
    #[error("a child's file holds every revision already; --history and --conflicts are for records")]
    ChildFileHasNoRevisions,
    #[error("--township, --village, --colour, --from and --to pick visits or children, not {0}")]
    FiltersAreForRecords(&'static str),
    #[error(transparent)]
    Filter(#[from] SelectionError),
}

impl ExportArgs {
    /// The export asked for, or why the flags do not go together.
    pub fn job(&self) -> Result<ExportJob, BadExportArgs> {
        if self.by.is_some() && self.what != ExportWhat::Photos {
            return Err(BadExportArgs::ByIsForPhotos);
        }
        if self.child.is_some() && self.what != ExportWhat::ChildFile {
            return Err(BadExportArgs::ChildIsForChildFile);
        }
        let selection = Selection { revisions: self.revisions(), ..self.filter.selection() };
        if let Some(what) = self.what.records() {
            selection.check()?;
            if self.format.is_binary() && self.output.is_none() {
                return Err(BadExportArgs::XlsxNeedsAFile);
            }
            let request = ExportRequest { what, format: self.format, selection };
            return Ok(ExportJob::Records { request, output: self.output.clone() });
        }
        let zip_of = if self.what == ExportWhat::Photos { "photos" } else { "a child's file" };
        if self.filter.selection() != Selection::all() {
            return Err(BadExportArgs::FiltersAreForRecords(zip_of));
        }
        if self.what == ExportWhat::Photos {
            if self.history || self.conflicts {
                return Err(BadExportArgs::PhotosHaveNoRevisions);
            }
            let out = self.output.clone().ok_or(BadExportArgs::PhotosNeedAFile)?;
            return Ok(ExportJob::Photos { by: self.by.unwrap_or_default(), out });
        }
        if self.history || self.conflicts {
            return Err(BadExportArgs::ChildFileHasNoRevisions);
        }
        let child = self.child.ok_or(BadExportArgs::ChildFileNeedsAChild)?;
        let out = self.output.clone().ok_or(BadExportArgs::ChildFileNeedsAFile)?;
        Ok(ExportJob::ChildFile { child, out })
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
    use tongxing_core::RecordKind;

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
        assert!(matches!(
            export_job(&["--out", "v.jsonl"]),
            Ok(ExportJob::Records { request: ExportRequest { what: RecordKind::Visit, .. }, .. })
        ));
        assert_eq!(
            export_job(&["--what", "photos", "--out", "p.zip", "--township", "石桥镇"]),
            Err(BadExportArgs::FiltersAreForRecords("photos"))
        );
    }

    #[test]
    fn export_filtered_records_in_any_format() {
        let job = export_job(&[
            "--what",
            "children",
            "--format",
            "xlsx",
            "--out",
            "c.xlsx",
            "--township",
            "石桥镇",
            "--village",
            "石桥村",
            "--colour",
            "red",
            "--from",
            "2026-10-01",
            "--to",
            "2026-11-30",
        ]);
        let Ok(ExportJob::Records { request, output }) = job else { panic!("{job:?}") };
        assert_eq!(output, Some(PathBuf::from("c.xlsx")));
        assert_eq!(
            (request.what, request.format, request.selection.revisions),
            (RecordKind::Child, ExportFormat::Xlsx, Revisions::Current)
        );
        assert_eq!(
            request.selection,
            Selection {
                township: Some("石桥镇".into()),
                records: RecordFilter {
                    village: Some("石桥村".into()),
                    colour: Some(RiskColour::Red),
                    from: NaiveDate::from_ymd_opt(2026, 10, 1),
                    to: NaiveDate::from_ymd_opt(2026, 11, 30),
                },
                ..Selection::all()
            }
        );
        for format in ["json", "csv", "csv-codes", "jsonl"] {
            assert!(matches!(export_job(&["--format", format]), Ok(ExportJob::Records { .. })), "{format} to stdout");
        }
        assert_eq!(export_job(&["--format", "xlsx"]), Err(BadExportArgs::XlsxNeedsAFile));
        assert!(matches!(
            export_job(&["--from", "2026-11-02", "--to", "2026-11-01"]),
            Err(BadExportArgs::Filter(SelectionError::FromAfterTo { .. }))
        ));
        assert!(Cli::try_parse_from(["tongxing-ingest", "export", "--colour", "purple"]).is_err());
        assert!(Cli::try_parse_from(["tongxing-ingest", "export", "--from", "20/11/2026"]).is_err());
        assert!(Cli::try_parse_from(["tongxing-ingest", "export", "--color", "green"]).is_ok(), "either spelling");
    }

    #[test]
    fn export_one_child_s_file_to_a_zip() {
        let id = "0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a";
        assert_eq!(
            export_job(&["--what", "child-file", "--child", id, "--out", "c.zip"]),
            Ok(ExportJob::ChildFile { child: Uuid::parse_str(id).unwrap(), out: PathBuf::from("c.zip") })
        );
        assert_eq!(export_job(&["--what", "child-file", "--out", "c.zip"]), Err(BadExportArgs::ChildFileNeedsAChild));
        assert_eq!(export_job(&["--what", "child-file", "--child", id]), Err(BadExportArgs::ChildFileNeedsAFile));
        assert_eq!(export_job(&["--child", id]), Err(BadExportArgs::ChildIsForChildFile));
        assert_eq!(
            export_job(&["--what", "child-file", "--child", id, "--out", "c.zip", "--history"]),
            Err(BadExportArgs::ChildFileHasNoRevisions)
        );
        assert_eq!(
            export_job(&["--what", "child-file", "--child", id, "--out", "c.zip", "--colour", "red"]),
            Err(BadExportArgs::FiltersAreForRecords("a child's file"))
        );
        assert!(Cli::try_parse_from(["tongxing-ingest", "export", "--what", "child-file", "--child", "not-a-uuid"])
            .is_err());
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
