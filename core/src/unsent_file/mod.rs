//! The unsent-records file: the escape hatch for a phone that will never be online again.
//!
//! The phone writes every record it has not delivered, with its photos, into one file
//! encrypted to the county's public key ([`CountyKey`], which the server publishes and the
//! phone keeps); the county's server takes it with `tongxing-ingest import`, as if the phone
//! had sent each record, so that a record already delivered, or a file imported twice,
//! is stored once.
//!
//! The encryption is HPKE (RFC 9180) in base mode with DHKEM(X25519, HKDF-SHA256),
//! HKDF-SHA256 and AES-256-GCM, from the `hpke` crate. The file is:
//!
//! ```text
//! "TONGXING-UNSENT1"            16 bytes, the format and its version
//! enc                           32 bytes, HPKE's encapsulated key
//! frame*                        u32 big-endian length, then that many bytes sealed by
//!                               the HPKE context (its nonce counts the frames), with the
//!                               magic as associated data
//! ```
//!
//! The first frame is the [`UnsentManifest`] (the device, when, how many records and photos,
//! and the device's proof); each other is one [`UnsentItem`]. As the manifest is sealed and
//! says how many frames follow, and each frame's nonce is its place, frames cannot be
//! dropped, reordered, repeated, added or cut off without the reader refusing the file.

mod background_file;
mod county_key;
mod device_proof;
mod reader;
mod unsent_item;
mod unsent_work;
mod writer;

pub use background_file::{background_file, BackgroundFile, Waiting, BACKGROUND_SYNC_TAG};
pub use county_key::{CountyKey, CountySecret};
pub use device_proof::DeviceProof;
/// The adapter that makes a fallible generator (the browser's, the system's) the one a
/// writer takes.
pub use hpke::rand_core::UnwrapErr;
pub use reader::{UnsentFileProblem, UnsentFileReader};
pub use unsent_item::{UnsentItem, UnsentManifest};
pub use unsent_work::{file_name, photos_named, records_to_write};
pub use writer::{UnsentFileWriter, WriteProblem};

use hpke::aead::AesGcm256;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;

/// The first bytes of every unsent-records file.
pub const MAGIC: &[u8; 16] = b"TONGXING-UNSENT1";
/// The length of HPKE's encapsulated key for X25519.
pub const ENC_BYTES: usize = 32;
/// The largest frame a reader accepts: above the largest photo the server takes.
pub const MAX_FRAME_BYTES: u32 = 64 * 1024 * 1024;
/// The extension of the file a phone saves.
pub const FILE_EXTENSION: &str = "tongxing";

/// HPKE's `info`: binds every file to this use and version.
const INFO: &[u8] = b"tongxing unsent records v1";

type Kem = X25519HkdfSha256;
type Kdf = HkdfSha256;
type Aead = AesGcm256;

#[cfg(test)]
mod tests;
