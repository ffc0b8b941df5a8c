//! Logs: to standard error, filtered by `TONGXING_LOG`, else `RUST_LOG`, else `info`.

use tracing_subscriber::EnvFilter;

/// The filter from `TONGXING_LOG`, else `RUST_LOG`, else `default`.
pub fn env_filter(default: &str) -> EnvFilter {
    EnvFilter::try_from_env("TONGXING_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new(default))
}

/// Sends logs to standard error (standard output carries the listening line and exports).
pub fn init_logging() {
    tracing_subscriber::fmt().with_env_filter(env_filter("info")).with_writer(std::io::stderr).init();
}
