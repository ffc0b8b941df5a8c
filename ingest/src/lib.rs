//! `tongxing-ingest`: the server that receives what phones send (DESIGN.md, "The wire
//! contract"), keeps it in SQLite, and exports it.
//!
//! Its rooms: [`http`] answers requests, [`store`] keeps records (the database, storing,
//! group commit, reading, the audit log, workers and invites), [`photos`] keeps photo
//! bytes, [`export`] writes files for people, and [`cli`] is the command line; `main.rs`
//! only wires the command line to [`cli::run`]. Tests start the same [`Server`] on
//! `127.0.0.1:0`.

pub mod cli;
pub mod export;
pub mod http;
pub mod photos;
pub mod store;
pub mod unsent_import;

pub use http::config::{CorsOrigins, ServeConfig};
pub use http::error::ApiError;
pub use http::server::{shutdown_signal, ServeError, Server};
