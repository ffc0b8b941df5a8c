//! The county's key pair for unsent-records files (core's [`tongxing_core::unsent_file`]):
//! derived from 32 random bytes in a key file of its own (`--county-key-file`, by default
//! `county.key` in the data directory), never in the database and never logged. The server
//! publishes its public half to phones; `tongxing-ingest import` opens files with it.

use std::path::Path;

use tongxing_core::unsent_file::CountySecret;

use super::key_file::{self, KeyFile, KeyFileError};

/// The key file's name in the data directory, unless `--county-key-file` names another.
pub const COUNTY_KEY_FILE: &str = "county.key";

const WHAT: &str = "county key";

/// The county's key pair from the file at `path`, made there with random bytes when absent.
pub fn load_or_create(path: &Path) -> Result<(CountySecret, KeyFile), KeyFileError> {
    let (seed, file) = key_file::load_or_create(path, WHAT)?;
    Ok((CountySecret::from_seed(&seed), file))
}

/// The county's key pair from the file at `path`, which must be there (a new key would
/// open no file a phone made).
pub fn load(path: &Path) -> Result<CountySecret, KeyFileError> {
    key_file::load(path, WHAT).map(|seed| CountySecret::from_seed(&seed))
}
