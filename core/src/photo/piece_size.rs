//! How big the next piece of a photo is: sized to the link as measured, so that a piece takes
//! about [`PIECE_TARGET_MS`] to send. On a link that drops every few seconds most pieces then
//! arrive before the next drop, and a cut loses little; on a fast link a photo goes in a few
//! requests. A cut piece halves the next one.

/// The smallest piece: headers stay a small share even on 2G.
pub const PIECE_MIN: u64 = 16 * 1024;
/// The largest piece.
pub const PIECE_MAX: u64 = 512 * 1024;
/// How long a piece should take, in milliseconds.
pub const PIECE_TARGET_MS: u64 = 3_000;

/// The next piece's size after a piece of `sent` bytes that took `elapsed_ms` from asking to
/// the server's answer (`confirmed`) or was cut (`!confirmed`), when this one was `current`.
/// It grows at most twofold at a time, and shrinks at once to what the link carried.
pub fn next_piece_bytes(current: u64, sent: u64, elapsed_ms: u64, confirmed: bool) -> u64 {
    let current = current.clamp(PIECE_MIN, PIECE_MAX);
    if !confirmed {
        return (current / 2).max(PIECE_MIN);
    }
    let fits = sent.saturating_mul(PIECE_TARGET_MS) / elapsed_ms.max(1);
    fits.min(current.saturating_mul(2)).clamp(PIECE_MIN, PIECE_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIB: u64 = 1024;

    #[test]
    fn a_piece_takes_about_three_seconds_on_the_link_measured() {
        // 2G, about 25 KiB/s up: a 64 KiB piece took 2.6 s; the next one carries 3 s of it.
        assert_eq!(next_piece_bytes(64 * KIB, 64 * KIB, 2_600, true), 64 * KIB * 3_000 / 2_600);
        // A slow piece: 64 KiB in 8 s, the next one 24 KiB.
        assert_eq!(next_piece_bytes(64 * KIB, 64 * KIB, 8_000, true), 24 * KIB);
        // Never under the floor, however slow.
        assert_eq!(next_piece_bytes(16 * KIB, 16 * KIB, 60_000, true), PIECE_MIN);
    }

    #[test]
    fn a_fast_link_grows_pieces_twofold_at_most_up_to_the_ceiling() {
        assert_eq!(next_piece_bytes(64 * KIB, 64 * KIB, 50, true), 128 * KIB);
        assert_eq!(next_piece_bytes(384 * KIB, 384 * KIB, 50, true), PIECE_MAX);
        assert_eq!(next_piece_bytes(PIECE_MAX, PIECE_MAX, 0, true), PIECE_MAX, "an instant answer");
    }

    #[test]
    fn a_cut_piece_halves_the_next() {
        assert_eq!(next_piece_bytes(64 * KIB, 64 * KIB, 9_000, false), 32 * KIB);
        assert_eq!(next_piece_bytes(20 * KIB, 20 * KIB, 9_000, false), PIECE_MIN);
        assert_eq!(next_piece_bytes(0, 0, 0, false), PIECE_MIN, "a size from an older build");
    }
}
