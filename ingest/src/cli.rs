//! The command line: `serve`, `export` and `migrate`, each flag also read from a
//! `TONGXING_*` environment variable.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{CorsOrigins, ServeConfig};
use crate::export::{ExportFormat, ExportWhat, Revisions};
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
    /// Writes the visits or children's files held to standard output or a file.
    Export(ExportArgs),
    /// Creates or upgrades the database, then exits.
    Migrate(DataDirArg),
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
}

impl ServeArgs {
    pub fn into_config(self) -> ServeConfig {
        ServeConfig {
            addr: self.addr,
            data_dir: self.data.data_dir,
            static_dir: self.static_dir,
            cors_origins: self.cors_origins,
            max_photo_bytes: self.max_photo_bytes,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub data: DataDirArg,
    /// The output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: ExportFormat,
    /// The file to write; standard output when not given.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Which records: home visits or children's files.
    #[arg(long, value_enum, default_value = "visits")]
    pub what: ExportWhat,
    /// Every revision ever received, not only the newest of each record.
    #[arg(long)]
    pub history: bool,
    /// The conflicts instead: what arrived with a revision already held but other content,
    /// kept aside for a person to reconcile.
    #[arg(long, conflicts_with = "history")]
    pub conflicts: bool,
}

impl ExportArgs {
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
        let cli = Cli::try_parse_from(["tongxing-ingest", "serve", "--max-photo-bytes", "500000"]).unwrap();
        let Command::Serve(args) = cli.command else { panic!("not serve") };
        assert_eq!(args.into_config().max_photo_bytes, 500_000);
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
        assert!(Cli::try_parse_from(["tongxing-ingest", "export", "--what", "photos"]).is_err());
    }
}
