//! `GET /api/v1/county-key`: the county's public key, which a phone keeps to write its
//! unsent records into a file only the county's server opens (core's [`crate::unsent_file`]).

use serde::{Deserialize, Serialize};

use crate::unsent_file::CountyKey;

/// The county's public key for unsent-records files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountyKeyReply {
    /// An X25519 public key, 64 hex digits (HPKE, RFC 9180: DHKEM(X25519, HKDF-SHA256),
    /// HKDF-SHA256, AES-256-GCM).
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9a-f]{64}$"))]
    pub key: CountyKey,
}
