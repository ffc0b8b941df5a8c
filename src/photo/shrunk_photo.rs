//! A photo as the phone keeps it after shrinking.

use tongxing_core::photo::PhotoHash;

/// A shrunk photo: a JPEG with no EXIF, upright, at most `MAX_BYTES`.
#[derive(Debug, Clone)]
pub struct ShrunkPhoto {
    /// The JPEG file.
    pub bytes: Vec<u8>,
    /// The same JPEG as a Blob of type `image/jpeg` (the encoder's own, whose contents
    /// `bytes` were read from), for IndexedDB and for showing it.
    pub blob: web_sys::Blob,
    /// The SHA-256 of `bytes`: the photo's name on the phone and on the server.
    pub hash: PhotoHash,
    /// Its size in pixels, as it is shown.
    pub width: u32,
    pub height: u32,
}
