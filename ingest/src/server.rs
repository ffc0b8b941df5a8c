//! The running server: a listener, the router and the database, until told to stop.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use chrono::TimeDelta;
use sqlx::SqlitePool;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower_http::timeout::RequestBodyTimeoutLayer;

use crate::config::ServeConfig;
use crate::db::{self, OpenError};
use crate::group_commit::GroupCommit;
use crate::photo_cleanup::{self, clean_periodically};
use crate::photo_store::PhotoStore;
use crate::rate_limits::{RateLimits, FORGET_EVERY};
use crate::static_app::{NoIndexHtml, StaticApp};
use crate::{router, AppState};

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Database(#[from] OpenError),
    #[error("cannot prepare the photo folders in {path}: {source}")]
    Photos {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    StaticDir(#[from] NoIndexHtml),
    #[error("the server failed: {0}")]
    Io(#[from] std::io::Error),
}

/// How long a request body may send nothing before the server stops waiting for it: a JSON
/// body is then refused with `408 body_timeout`, a photo with `400 incomplete_body` (a piece
/// keeps the bytes that came). Without it, a phone that lost its network without closing
/// (or a client that sends headers and then nothing) would hold its request open for ever.
pub const BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// A server that is listening and has its database open, not yet answering.
pub struct Server {
    listener: TcpListener,
    pool: SqlitePool,
    photos: PhotoStore,
    photo_grace: TimeDelta,
    body_idle_timeout: Duration,
    router: axum::Router,
    rate_limits: RateLimits,
}

impl Server {
    /// Listens on `config.addr` and opens the database.
    pub async fn bind(config: &ServeConfig) -> Result<Server, ServeError> {
        let listener =
            TcpListener::bind(&config.addr)
                .await
                .map_err(|source| ServeError::Bind {
                    addr: config.addr.clone(),
                    source,
                })?;
        Server::with_listener(listener, config).await
    }

    /// Uses `listener` (tests bind `127.0.0.1:0`) and opens the database.
    pub async fn with_listener(
        listener: TcpListener,
        config: &ServeConfig,
    ) -> Result<Server, ServeError> {
        let static_app = config
            .static_dir
            .as_deref()
            .map(StaticApp::new)
            .transpose()?;
        let pool = db::open(&config.data_dir).await?;
        let photos = PhotoStore::open(&config.data_dir, config.max_photo_bytes)
            .await
            .map_err(|source| ServeError::Photos {
                path: config.data_dir.clone(),
                source,
            })?;
        let rate_limits = RateLimits::new(config.rate_limit);
        let state = AppState {
            pool: pool.clone(),
            writes: GroupCommit::start(pool.clone()),
            photos: photos.clone(),
            static_app,
            rate_limits: rate_limits.clone(),
            app_url: config.app_url.clone(),
        };
        let router = router(state, &config.cors_origins, config.max_in_flight);
        let photo_grace = photo_cleanup::grace_of_hours(config.photo_grace_hours);
        Ok(Server {
            listener,
            pool,
            photos,
            photo_grace,
            body_idle_timeout: BODY_IDLE_TIMEOUT,
            router,
            rate_limits,
        })
    }

    /// Waits `timeout` instead of [`BODY_IDLE_TIMEOUT`] for a request body that sends
    /// nothing (tests use a short one).
    pub fn with_body_idle_timeout(self, timeout: Duration) -> Server {
        Server {
            body_idle_timeout: timeout,
            ..self
        }
    }

    /// The address actually listened on.
    pub fn local_addr(&self) -> Result<SocketAddr, ServeError> {
        Ok(self.listener.local_addr()?)
    }

    /// Answers requests until `shutdown` completes, lets the requests under way finish,
    /// then closes the database. Meanwhile the photo cleanup runs at start and then hourly.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        tracing::info!(addr = %self.listener.local_addr()?, "serving");
        let (stop_cleanup, cleanup_stopped) = oneshot::channel();
        let cleanup = tokio::spawn(clean_periodically(
            self.pool.clone(),
            self.photos,
            self.photo_grace,
            cleanup_stopped,
        ));
        let forget = tokio::spawn(forget_quiet_devices(self.rate_limits));
        let router = self
            .router
            .layer(RequestBodyTimeoutLayer::new(self.body_idle_timeout));
        let served = axum::serve(self.listener, router)
            .with_graceful_shutdown(shutdown)
            .await;
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

/// Keeps the rate limiter's memory to the devices heard from lately.
async fn forget_quiet_devices(limits: RateLimits) {
    let mut every = tokio::time::interval(FORGET_EVERY);
    loop {
        every.tick().await;
        limits.forget_quiet();
    }
}

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
