//! Photo notes: what a visit says about its photos, how the phone shrinks them, and how it
//! sends them in pieces that resume where they stopped.

mod heif;
mod photo_hash;
mod photo_note;
mod photo_release;
mod piece_size;
mod shrink_plan;
mod storage_space;
mod upload_piece;

pub use heif::{is_heif, HEIF_HEAD_BYTES};
pub use photo_hash::{BadPhotoHash, PhotoHash};
pub use photo_note::{PhotoNote, CAPTION_MAX_CHARS};
pub use photo_release::photos_to_release;
pub use piece_size::{next_piece_bytes, PIECE_MAX, PIECE_MIN, PIECE_TARGET_MS};
pub use shrink_plan::{ShrinkPlan, ShrinkStep, LONG_SIDE, MAX_BYTES, TARGET_BYTES};
pub use storage_space::{SpaceVerdict, LOW_BYTES, RESERVE_BYTES};
pub use upload_piece::{BadContentRange, UploadPiece, PIECE_BYTES};
