//! `serve`: runs the server; `app-headers`: prints the headers a static host must send
//! with the built app.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Args;
use sqlx::AnyPool;
use tongxing_core::wire::DEFAULT_KEEP_SENT_VISIT_DAYS;

use super::cleanup::PhotoGraceArg;
use super::DataDirArg;
use crate::http::api::door::{
    DEFAULT_STRANGERS_IN_FLIGHT, DEFAULT_STRANGER_RATE_BURST, DEFAULT_STRANGER_RATE_PER_SECOND,
};
use crate::http::config::{
    AllowedServers, CorsOrigins, ServeConfig, DEFAULT_DAILY_UPLOAD_BYTES, DEFAULT_MAX_IN_FLIGHT,
};
use crate::http::rate_limits::{RateLimit, DEFAULT_RATE_BURST, DEFAULT_RATE_PER_SECOND};
use crate::http::response_headers::{app_headers, content_security_policy};
use crate::http::server::{shutdown_signal, Server};
use crate::http::static_app::StaticApp;
use crate::photos::DEFAULT_MAX_PHOTO_BYTES;
use crate::store::workers::first_run::{self, FirstRun};
use crate::store::workers::invites;

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

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "TONGXING_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Where to serve the operator's Prometheus metrics (/metrics) and health and readiness
    /// checks (/healthz, /readyz), such as 127.0.0.1:9464; unset, they are not served. Keep
    /// it off the public network.
    #[arg(long, env = "TONGXING_METRICS_ADDR")]
    pub metrics_addr: Option<String>,
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
    /// The file of the server's recovery key (32 bytes), made `0600` with random bytes when
    /// absent; it seals the data keys phones leave for a PIN's recovery. Default:
    /// recovery.key in the data directory. Keep it out of the database's backups.
    #[arg(long, env = "TONGXING_RECOVERY_KEY_FILE")]
    pub recovery_key_file: Option<PathBuf>,
    /// The file of the county's key (32 bytes), made `0600` with random bytes when absent;
    /// phones write their unsent records to a file only it opens (`import`). Default:
    /// county.key in the data directory. Keep it, apart from the database's backups.
    #[arg(long, env = "TONGXING_COUNTY_KEY_FILE")]
    pub county_key_file: Option<PathBuf>,
    /// Days a sent visit's answers stay on a phone after the server confirmed it (its
    /// summary stays; opened again, it is read from the server), 1 to 3650.
    #[arg(long, env = "TONGXING_KEEP_SENT_VISIT_DAYS", default_value_t = DEFAULT_KEEP_SENT_VISIT_DAYS,
          value_parser = clap::value_parser!(u16).range(1..=3650))]
    pub keep_sent_visit_days: u16,
    /// Ask for a passphrase of at least this many characters (8 to 64) instead of a
    /// six-digit PIN; phones with a weaker PIN ask their worker for a new one at once.
    #[arg(long, env = "TONGXING_PASSPHRASE_MIN_CHARS", value_parser = clap::value_parser!(u8).range(8..=64))]
    pub passphrase_min_chars: Option<u8>,
}

impl ServeArgs {
    pub fn into_config(self) -> ServeConfig {
        ServeConfig {
            addr: self.addr,
            metrics_addr: self.metrics_addr,
            data_dir: self.data.data_dir,
            database_url: self.data.database_url,
            photo_store: self.data.photo_store,
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
            recovery_key_file: self.recovery_key_file,
            county_key_file: self.county_key_file,
            keep_sent_visit_days: self.keep_sent_visit_days,
            passphrase_min_chars: self.passphrase_min_chars,
        }
    }
}

/// `serve`: binds, prints the first run's link while no county administrator has joined,
/// says where it listens, and runs until SIGINT or SIGTERM.
pub(super) async fn run_serve(args: ServeArgs) -> anyhow::Result<()> {
    let config = args.into_config();
    let server = Server::bind(&config).await?;
    let addr = server.local_addr()?;
    let app_url = match config.app_url.clone() {
        Some(url) => url,
        None => own_url(addr)?,
    };
    for line in first_run_lines(server.pool(), &app_url, Utc::now()).await? {
        println!("{line}");
    }
    // Scripts and tests wait for this line.
    println!("listening on http://{addr}");
    server.run_until(shutdown_signal()).await?;
    Ok(())
}

/// The server's own address as the app's, when `--app-url` is not given: the address
/// listened on, this machine's loopback for an address of every interface.
fn own_url(addr: SocketAddr) -> anyhow::Result<url::Url> {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    Ok(url::Url::parse(&format!("http://{}/", SocketAddr::new(ip, addr.port())))?)
}

/// What the start prints for the first run: nothing once a county administrator has joined;
/// otherwise the one-time link for the first (the only place it is ever written), after a
/// line saying so when it replaces an unused link of an earlier start. The log names
/// neither the code nor the link.
pub async fn first_run_lines(pool: &AnyPool, app_url: &url::Url, now: DateTime<Utc>) -> anyhow::Result<Vec<String>> {
    let FirstRun::Invite { invite, replaced } = first_run::prepare(pool, now).await? else {
        return Ok(Vec::new());
    };
    tracing::info!(invite = %invite.id, replaced, "first-run invite made for the county's first administrator");
    let mut lines = Vec::new();
    if replaced > 0 {
        lines.push(
            "The first-run link printed at an earlier start was never used and no longer works; use this one. \
             (之前启动时打印的首次链接未被使用，已失效；请使用下面这个。)"
                .to_owned(),
        );
    }
    let link = invites::link(app_url, &invite.code, None);
    lines.push(format!(
        "No county administrator has joined yet. Open this one-time link on the administrator's phone \
         (县级管理员首次加入，一次有效，{} 前): {link}",
        invite.expires_at.format("%Y-%m-%d")
    ));
    Ok(lines)
}

/// `app-headers`: one `Name: value` a line.
pub(super) fn run_app_headers(args: &AppHeadersArgs) -> anyhow::Result<()> {
    let app = StaticApp::new(&args.static_dir)?;
    let policy = content_security_policy(&args.allowed_servers.0, app.script_hashes());
    for (name, value) in app_headers(&policy) {
        println!("{name}: {value}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

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
        assert_eq!(
            config.recovery_key_path(),
            PathBuf::from("/tmp/x/recovery.key"),
            "in the data directory unless told"
        );
        let cli = Cli::try_parse_from([
            "tongxing-ingest",
            "serve",
            "--max-photo-bytes",
            "500000",
            "--photo-grace-hours",
            "48",
            "--recovery-key-file",
            "/etc/tongxing/recovery.key",
        ])
        .unwrap();
        let Command::Serve(args) = cli.command else { panic!("not serve") };
        let config = args.into_config();
        assert_eq!((config.max_photo_bytes, config.photo_grace_hours), (500_000, 48));
        assert_eq!(config.recovery_key_path(), PathBuf::from("/etc/tongxing/recovery.key"));
    }
}
