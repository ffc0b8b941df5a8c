//! The running server: a listener, the router and the database, until told to stop.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use chrono::TimeDelta;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use sqlx::AnyPool;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower::ServiceExt;
use tower_http::timeout::RequestBodyTimeoutLayer;

use crate::http::api::door::Door;
use crate::http::config::ServeConfig;
use crate::http::metrics;
use crate::http::rate_limits::{RateLimits, FORGET_EVERY};
use crate::http::response_headers::content_security_policy;
use crate::http::static_app::{NoIndexHtml, StaticApp};
use crate::http::{router, AppState};
use crate::photos::bucket::BucketUrlError;
use crate::photos::cleanup::{self, clean_periodically};
use crate::photos::{PhotoBucket, PhotoStore};
use crate::store::county_key;
use crate::store::db::{self, OpenError};
use crate::store::group_commit::GroupCommit;
use crate::store::key_file::{KeyFile, KeyFileError};
use crate::store::recovery::{self, ServerKey};
use crate::store::workers::KnownTokens;
use tongxing_core::wire::CountyPolicy;

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
    #[error(transparent)]
    Database(#[from] OpenError),
    #[error(transparent)]
    Bucket(#[from] BucketUrlError),
    #[error("cannot prepare the photo folders in {path}: {source}")]
    Photos { path: std::path::PathBuf, source: std::io::Error },
    #[error(transparent)]
    StaticDir(#[from] NoIndexHtml),
    #[error(transparent)]
    Key(#[from] KeyFileError),
    #[error("the server failed: {0}")]
    Io(#[from] std::io::Error),
}

/// How long a request body may send nothing before the server stops waiting for it: a JSON
/// body is then refused with `408 body_timeout`, a photo with `400 incomplete_body` (a piece
/// keeps the bytes that came). Without it, a phone that lost its network without closing
/// (or a client that sends headers and then nothing) would hold its request open for ever.
pub const BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a client may take to send a request's line and headers before the connection is
/// closed: a client that sends half a request line and stalls holds nothing for long. (The
/// timer also runs while a kept-alive connection waits for its next request, so an idle
/// connection is closed after as long; clients open a new one.)
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(20);

/// A server that is listening and has its database open, not yet answering.
pub struct Server {
    listener: TcpListener,
    pool: AnyPool,
    photos: PhotoStore,
    photo_grace: TimeDelta,
    body_idle_timeout: Duration,
    header_read_timeout: Duration,
    router: axum::Router,
    rate_limits: RateLimits,
    door: Door,
    /// The operator's port (`/metrics`, `/healthz`, `/readyz`) and what it reads, if asked for.
    operator: Option<(TcpListener, AppState)>,
}

impl Server {
    /// Listens on `config.addr` and opens the database.
    pub async fn bind(config: &ServeConfig) -> Result<Server, ServeError> {
        let listener = TcpListener::bind(&config.addr)
            .await
            .map_err(|source| ServeError::Bind { addr: config.addr.clone(), source })?;
        Server::with_listener(listener, config).await
    }

    /// Uses `listener` (tests bind `127.0.0.1:0`) and opens the database.
    pub async fn with_listener(listener: TcpListener, config: &ServeConfig) -> Result<Server, ServeError> {
        let static_app = config.static_dir.as_deref().map(StaticApp::new).transpose()?;
        let pool = db::open_at(&config.data_dir, config.database_url.as_ref()).await?;
        let recovery_key = open_recovery_key(&pool, &config.recovery_key_path()).await?;
        let (county_secret, _) = county_key::load_or_create(&config.county_key_path())?;
        let county = CountyPolicy {
            key: county_secret.public(),
            keep_sent_visit_days: config.keep_sent_visit_days,
            pin_rule: config.passphrase_min_chars.into(),
        };
        let bucket = config.photo_store.as_ref().map(PhotoBucket::from_url).transpose()?;
        let photos = PhotoStore::open(&config.data_dir, config.max_photo_bytes, bucket)
            .await
            .map_err(|source| ServeError::Photos { path: config.data_dir.clone(), source })?;
        let rate_limits = RateLimits::new(config.rate_limit);
        let door = Door::with_proxy(
            config.max_in_flight,
            config.strangers_in_flight,
            config.stranger_rate,
            config.behind_proxy,
        );
        let policy = content_security_policy(
            &config.allowed_servers.0,
            static_app.as_ref().map_or(&[][..], StaticApp::script_hashes),
        );
        let state = AppState {
            pool: pool.clone(),
            known_tokens: Arc::new(KnownTokens::new(&pool)),
            writes: GroupCommit::start(pool.clone()),
            photos: photos.clone(),
            static_app,
            rate_limits: rate_limits.clone(),
            app_url: config.app_url.clone(),
            door: door.clone(),
            content_security_policy: policy,
            daily_upload_bytes: config.daily_upload_bytes,
            exports_under_way: Default::default(),
            download_links: Default::default(),
            recovery_key,
            county,
            county_secret,
        };
        let operator = match &config.metrics_addr {
            None => None,
            Some(addr) => {
                metrics::handle();
                let listener =
                    TcpListener::bind(addr).await.map_err(|source| ServeError::Bind { addr: addr.clone(), source })?;
                Some((listener, state.clone()))
            }
        };
        let router = router(state, &config.cors_origins);
        let photo_grace = cleanup::grace_of_hours(config.photo_grace_hours);
        Ok(Server {
            listener,
            pool,
            photos,
            photo_grace,
            body_idle_timeout: BODY_IDLE_TIMEOUT,
            header_read_timeout: HEADER_READ_TIMEOUT,
            router,
            rate_limits,
            door,
            operator,
        })
    }

    /// Waits `timeout` instead of [`BODY_IDLE_TIMEOUT`] for a request body that sends
    /// nothing (tests use a short one).
    pub fn with_body_idle_timeout(self, timeout: Duration) -> Server {
        Server { body_idle_timeout: timeout, ..self }
    }

    /// Waits `timeout` instead of [`HEADER_READ_TIMEOUT`] for a request's line and headers
    /// (tests use a short one).
    pub fn with_header_read_timeout(self, timeout: Duration) -> Server {
        Server { header_read_timeout: timeout, ..self }
    }

    /// The address actually listened on.
    pub fn local_addr(&self) -> Result<SocketAddr, ServeError> {
        Ok(self.listener.local_addr()?)
    }

    /// The address the operator's port listens on, if it was asked for.
    pub fn metrics_addr(&self) -> Result<Option<SocketAddr>, ServeError> {
        Ok(self.operator.as_ref().map(|(listener, _)| listener.local_addr()).transpose()?)
    }

    /// The database, for what the start does before answering (the first run's invite).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Answers requests until `shutdown` completes, lets the requests under way finish,
    /// then closes the database. Meanwhile the photo cleanup runs at start and then hourly.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), ServeError> {
        tracing::info!(addr = %self.listener.local_addr()?, "serving");
        let (stop_cleanup, cleanup_stopped) = oneshot::channel();
        let cleanup =
            tokio::spawn(clean_periodically(self.pool.clone(), self.photos, self.photo_grace, cleanup_stopped));
        let forget = tokio::spawn(forget_quiet_callers(self.rate_limits, self.door));
        let (stop_operator, operator_stopped) = oneshot::channel::<()>();
        let operator = self.operator.map(|(listener, state)| {
            let upkeep = tokio::spawn(metrics::keep_up());
            // The same accept loop as the phones' (its header-read timeout among the rest).
            if let Ok(addr) = listener.local_addr() {
                tracing::info!(%addr, "serving metrics, /healthz and /readyz");
            }
            let router = metrics::operator_router(state);
            let serving = tokio::spawn(serve_connections(listener, router, self.header_read_timeout, async {
                let _ = operator_stopped.await;
            }));
            (upkeep, serving)
        });
        let router = self.router.layer(RequestBodyTimeoutLayer::new(self.body_idle_timeout));
        let served = serve_connections(self.listener, router, self.header_read_timeout, shutdown).await;
        let _ = stop_operator.send(());
        if let Some((upkeep, serving)) = operator {
            upkeep.abort();
            match serving.await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => tracing::error!(%error, "the operator's port failed"),
                Err(error) => tracing::error!(%error, "the operator's port task failed"),
            }
        }
        // A pass under way finishes first, so that no removal is cut in half.
        let _ = stop_cleanup.send(());
        if let Err(error) = cleanup.await {
            tracing::error!(%error, "the photo cleanup task failed");
        }
        forget.abort();
        self.pool.close().await;
        tracing::info!("stopped");
        Ok(served?)
    }
}

/// The server's recovery key, read from `path` or made there; says so in the log when a key
/// is made while the database holds data keys sealed under another, which no longer open.
async fn open_recovery_key(pool: &AnyPool, path: &std::path::Path) -> Result<ServerKey, ServeError> {
    let (key, file) = ServerKey::load_or_create(path)?;
    if file == KeyFile::Made {
        match recovery::deposits::count(pool).await {
            Ok(0) => {}
            Ok(sealed) => tracing::warn!(
                path = %path.display(),
                sealed,
                "a new recovery key was made, but phones left data keys under another: they cannot be recovered until \
                 the old key file is put back"
            ),
            Err(error) => tracing::warn!(%error, "cannot count the data keys left for a recovery"),
        }
    }
    Ok(key)
}

/// Keeps the rate limiters' memory to the devices and addresses heard from lately.
async fn forget_quiet_callers(limits: RateLimits, door: Door) {
    let mut every = tokio::time::interval(FORGET_EVERY);
    loop {
        every.tick().await;
        limits.forget_quiet();
        door.forget_quiet();
    }
}

/// Accepts connections and answers each with `router` over HTTP/1.1 until `shutdown`
/// completes, then waits for the connections under way. Each request carries its client's
/// address (`ConnectInfo<SocketAddr>`); a client that has not sent a whole request head
/// within `header_read_timeout` is disconnected (hyper's own timer).
async fn serve_connections(
    listener: TcpListener,
    router: axum::Router,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(header_read_timeout);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, client) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = router.clone().map_request(move |mut request: axum::http::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(ConnectInfo(client));
            request
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "a connection ended with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// How long to wait after a failed `accept` before the next.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT: stopping"),
        () = terminate => tracing::info!("SIGTERM: stopping"),
    }
}
