//! What `serve` needs to know, whether it came from flags, the environment or a test.

use std::path::PathBuf;
use std::str::FromStr;

use axum::http::HeaderValue;

use crate::http::rate_limits::RateLimit;
use crate::store::county_key::COUNTY_KEY_FILE;
use crate::store::recovery::RECOVERY_KEY_FILE;

/// How many requests may be under way at once before more are refused with `503`.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 512;

/// How the server is run.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Where to listen, such as `127.0.0.1:8080`.
    pub addr: String,
    /// Where to serve the operator's `/metrics`, `/healthz` and `/readyz`, if anywhere.
    pub metrics_addr: Option<String>,
    /// Where the database and the photos are kept.
    pub data_dir: PathBuf,
    /// The database, when it is not SQLite's in the data directory (`postgres://…`).
    pub database_url: Option<url::Url>,
    /// The bucket of the photos, when they are not in the data directory (`s3://…`).
    pub photo_store: Option<url::Url>,
    /// The largest photo taken, in bytes.
    pub max_photo_bytes: u64,
    /// How long a photo no visit names (counted from when it was received) and an upload in
    /// pieces left untouched are kept before they are removed, in hours.
    pub photo_grace_hours: u64,
    /// The built app to serve at `/`, if any.
    pub static_dir: Option<PathBuf>,
    /// Which web origins may call the API from a browser.
    pub cors_origins: CorsOrigins,
    /// Where the app is served, for the links of invites made through the API.
    pub app_url: Option<url::Url>,
    /// How many calls each device may make.
    pub rate_limit: RateLimit,
    /// How many API requests may be under way at once; more get `503` with `Retry-After`.
    pub max_in_flight: usize,
    /// The servers the app may talk to besides its own origin (its `connect-src`).
    pub allowed_servers: AllowedServers,
    /// How many bytes of photos (whole or in pieces) each device may send a day.
    pub daily_upload_bytes: u64,
    /// How many requests without a valid device token may be under way at once.
    pub strangers_in_flight: usize,
    /// How many calls without a valid device token each client address may make.
    pub stranger_rate: RateLimit,
    /// Whether a reverse proxy is in front: each client is then known by the last address
    /// of `X-Forwarded-For`.
    pub behind_proxy: bool,
    /// The file of the server's recovery key, which seals the data keys phones leave for a
    /// PIN's recovery; `recovery.key` in the data directory when not given.
    pub recovery_key_file: Option<PathBuf>,
    /// The file of the county's key for unsent-records files; `county.key` in the data
    /// directory when not given.
    pub county_key_file: Option<PathBuf>,
    /// Days a sent visit's answers stay on a phone (core's `CountyPolicy`).
    pub keep_sent_visit_days: u16,
    /// `None`: six-digit PINs; else passphrases of at least this many characters.
    pub passphrase_min_chars: Option<u8>,
}

impl ServeConfig {
    /// Where the server's recovery key is kept: `recovery_key_file`, else
    /// [`RECOVERY_KEY_FILE`] in the data directory.
    pub fn recovery_key_path(&self) -> PathBuf {
        self.recovery_key_file.clone().unwrap_or_else(|| self.data_dir.join(RECOVERY_KEY_FILE))
    }

    /// Where the county's key is kept: `county_key_file`, else [`COUNTY_KEY_FILE`] in the
    /// data directory.
    pub fn county_key_path(&self) -> PathBuf {
        county_key_path(self.county_key_file.as_deref(), &self.data_dir)
    }
}

/// The county's key file: `given`, else [`COUNTY_KEY_FILE`] in `data_dir` (`serve` and
/// `import` read the same).
pub fn county_key_path(given: Option<&std::path::Path>, data_dir: &std::path::Path) -> PathBuf {
    given.map_or_else(|| data_dir.join(COUNTY_KEY_FILE), std::path::Path::to_path_buf)
}

/// The photo bytes each device may send a day, by default: 200 MiB, some 400 shrunk photos.
pub const DEFAULT_DAILY_UPLOAD_BYTES: u64 = 200 * 1024 * 1024;

impl Default for ServeConfig {
    /// The defaults of `tongxing-ingest serve` (README, "Configuration").
    fn default() -> ServeConfig {
        ServeConfig {
            addr: "127.0.0.1:8080".to_owned(),
            metrics_addr: None,
            data_dir: PathBuf::from("./data"),
            database_url: None,
            photo_store: None,
            max_photo_bytes: crate::photos::DEFAULT_MAX_PHOTO_BYTES,
            photo_grace_hours: crate::photos::cleanup::DEFAULT_PHOTO_GRACE_HOURS,
            static_dir: None,
            cors_origins: CorsOrigins::Any,
            app_url: None,
            rate_limit: RateLimit::default(),
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            allowed_servers: AllowedServers::default(),
            daily_upload_bytes: DEFAULT_DAILY_UPLOAD_BYTES,
            strangers_in_flight: crate::http::api::door::DEFAULT_STRANGERS_IN_FLIGHT,
            stranger_rate: crate::http::api::door::default_stranger_rate(),
            behind_proxy: false,
            recovery_key_file: None,
            county_key_file: None,
            keep_sent_visit_days: tongxing_core::wire::DEFAULT_KEEP_SENT_VISIT_DAYS,
            passphrase_min_chars: None,
        }
    }
}

/// The servers the app may call besides its own origin, from `TONGXING_ALLOWED_SERVERS`
/// (the list the app was built with): comma-separated origins such as
/// `https://tx.example.gov.cn`; none by default.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AllowedServers(pub Vec<HeaderValue>);

impl FromStr for AllowedServers {
    type Err = BadOrigin;

    fn from_str(text: &str) -> Result<AllowedServers, BadOrigin> {
        text.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(parse_origin)
            .collect::<Result<_, _>>()
            .map(AllowedServers)
    }
}

/// The web origins allowed to call the API from a browser, from `TONGXING_CORS_ORIGINS`:
/// none but the server's own (the default, or an empty setting: the app served by this
/// server, `--static-dir`, needs no CORS), a comma-separated list such as
/// `https://app.example.org,http://localhost:8081` (an app hosted elsewhere), or `*` (any
/// page on the web, only when asked for).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CorsOrigins {
    /// Only pages of the server's own origin, which browsers let call it without CORS.
    #[default]
    SameOrigin,
    Any,
    List(Vec<HeaderValue>),
}

/// Why a list of origins was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a web origin such as https://app.example.org (scheme, host and port only)")]
pub struct BadOrigin(pub String);

impl FromStr for CorsOrigins {
    type Err = BadOrigin;

    fn from_str(text: &str) -> Result<CorsOrigins, BadOrigin> {
        let parts: Vec<&str> = text.split(',').map(str::trim).filter(|part| !part.is_empty()).collect();
        if parts.is_empty() {
            return Ok(CorsOrigins::SameOrigin);
        }
        if parts == ["*"] {
            return Ok(CorsOrigins::Any);
        }
        parts.into_iter().map(parse_origin).collect::<Result<_, _>>().map(CorsOrigins::List)
    }
}

/// An origin is `scheme://host[:port]` with nothing after it; browsers send it exactly so.
pub fn parse_origin(text: &str) -> Result<HeaderValue, BadOrigin> {
    let bad = || BadOrigin(text.to_owned());
    let origin = text.strip_suffix('/').unwrap_or(text);
    let (scheme, host) = origin.split_once("://").ok_or_else(bad)?;
    if !matches!(scheme, "http" | "https") || host.is_empty() || host.contains(['/', '?', '#', '*', ' ']) {
        return Err(bad());
    }
    HeaderValue::from_str(origin).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_other_origin_by_default_and_any_only_with_star() {
        assert_eq!("*".parse::<CorsOrigins>(), Ok(CorsOrigins::Any));
        assert_eq!("".parse::<CorsOrigins>(), Ok(CorsOrigins::SameOrigin));
        assert_eq!(" , ".parse::<CorsOrigins>(), Ok(CorsOrigins::SameOrigin));
        assert_eq!(CorsOrigins::default(), CorsOrigins::SameOrigin);
    }

    #[test]
    fn a_list_of_origins() {
        let parsed: CorsOrigins = "https://app.example.org, http://localhost:8081/".parse().unwrap();
        assert_eq!(
            parsed,
            CorsOrigins::List(vec![
                HeaderValue::from_static("https://app.example.org"),
                HeaderValue::from_static("http://localhost:8081"),
            ])
        );
    }

    #[test]
    fn refuses_what_is_not_an_origin() {
        assert!("app.example.org".parse::<CorsOrigins>().is_err());
        assert!("https://app.example.org/path".parse::<CorsOrigins>().is_err());
        assert!("ftp://app.example.org".parse::<CorsOrigins>().is_err());
        assert!("https://ok.example.org,*".parse::<CorsOrigins>().is_err());
    }

    #[test]
    fn allowed_servers_are_origins_and_never_any() {
        assert_eq!("".parse::<AllowedServers>(), Ok(AllowedServers::default()));
        assert_eq!(
            "https://tx.example.gov.cn, http://localhost:8080/".parse::<AllowedServers>(),
            Ok(AllowedServers(vec![
                HeaderValue::from_static("https://tx.example.gov.cn"),
                HeaderValue::from_static("http://localhost:8080"),
            ]))
        );
        assert!("*".parse::<AllowedServers>().is_err());
        assert!("https://tx.example.gov.cn/api".parse::<AllowedServers>().is_err());
        assert!("tx.example.gov.cn".parse::<AllowedServers>().is_err());
    }
}
