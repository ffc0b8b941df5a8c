//! A photo sent in pieces: `PUT /api/v1/photos/{sha256}` with `Content-Range: bytes
//! <first>-<last>/<size>`, each piece starting where the server's confirmed bytes end.

use std::ops::Range;

/// The bytes of a photo's first piece, before the link is measured (then
/// [`super::next_piece_bytes`]): small enough that a cut on a slow link loses little and the
/// indicator moves, large enough that headers stay a small share.
pub const PIECE_BYTES: u64 = 64 * 1024;

/// One piece of a photo of `size` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadPiece {
    /// The bytes, as offsets into the photo.
    pub range: Range<u64>,
    /// The whole photo's size.
    pub size: u64,
}

/// Why a `Content-Range` header cannot be read as a piece.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Content-Range must be `bytes <first>-<last>/<size>` with first ≤ last < size")]
pub struct BadContentRange;

impl UploadPiece {
    /// The piece after the first `received` bytes of a photo of `size` bytes, or `None`
    /// when the server has them all.
    pub fn after(received: u64, size: u64) -> Option<UploadPiece> {
        UploadPiece::sized(received, size, PIECE_BYTES)
    }

    /// The same, with pieces of `bytes` (at least one).
    pub fn sized(received: u64, size: u64, bytes: u64) -> Option<UploadPiece> {
        (received < size)
            .then(|| UploadPiece { range: received..received.saturating_add(bytes.max(1)).min(size), size })
    }

    /// Its `Content-Range` header value (the last byte is inclusive, as HTTP says).
    pub fn content_range(&self) -> String {
        format!("bytes {}-{}/{}", self.range.start, self.range.end - 1, self.size)
    }

    /// Reads a `Content-Range` header value.
    pub fn parse_content_range(value: &str) -> Result<UploadPiece, BadContentRange> {
        let rest = value.trim().strip_prefix("bytes ").ok_or(BadContentRange)?;
        let (span, size) = rest.split_once('/').ok_or(BadContentRange)?;
        let (first, last) = span.split_once('-').ok_or(BadContentRange)?;
        let number = |t: &str| -> Result<u64, BadContentRange> {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(BadContentRange);
            }
            t.parse().map_err(|_| BadContentRange)
        };
        let (first, last, size) = (number(first)?, number(last)?, number(size)?);
        if first > last || last >= size {
            return Err(BadContentRange);
        }
        Ok(UploadPiece { range: first..last + 1, size })
    }

    /// Its length in bytes.
    pub fn len(&self) -> u64 {
        self.range.end - self.range.start
    }

    /// Whether it has no bytes (never, for a piece made by [`UploadPiece::after`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether it ends the photo.
    pub fn is_last(&self) -> bool {
        self.range.end == self.size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_walk_the_photo_from_where_the_server_stopped() {
        let size = 150_000;
        let first = UploadPiece::after(0, size).unwrap();
        assert_eq!(first.range, 0..PIECE_BYTES);
        assert!(!first.is_last());
        let resumed = UploadPiece::after(70_001, size).unwrap();
        assert_eq!(resumed.range, 70_001..70_001 + PIECE_BYTES);
        let last = UploadPiece::after(140_000, size).unwrap();
        assert_eq!((last.range.clone(), last.is_last(), last.len()), (140_000..150_000, true, 10_000));
        assert_eq!(UploadPiece::after(size, size), None);
    }

    #[test]
    fn content_range_round_trips() {
        let piece = UploadPiece::after(65_536, 100_000).unwrap();
        assert_eq!(piece.content_range(), "bytes 65536-99999/100000");
        assert_eq!(UploadPiece::parse_content_range(&piece.content_range()), Ok(piece));
        assert_eq!(UploadPiece::parse_content_range("bytes 0-0/1").map(|p| p.len()), Ok(1));
    }

    #[test]
    fn unreadable_ranges_are_refused() {
        for bad in [
            "",
            "bytes",
            "bytes 0-9",
            "bytes 9-0/10",
            "bytes 0-10/10",
            "bytes -1-5/10",
            "bytes 0-5/*",
            "bytes */10",
            "items 0-5/10",
            "bytes 0-5/99999999999999999999999",
            "bytes +0-5/10",
            "bytes 0 -5/10",
        ] {
            assert_eq!(UploadPiece::parse_content_range(bad), Err(BadContentRange), "{bad:?}");
        }
    }
}
