//! Shrinking photos on the phone, with the browser's own decoder and JPEG encoder, before
//! they are stored: long side about 1600 px, near 250 KB, never above 350 KB
//! (`tongxing_core::photo::ShrinkPlan` decides the sizes and qualities).
//!
//! - The browser decodes the photo with its EXIF orientation applied, so a photo taken
//!   with the phone turned is stored upright.
//! - The canvas encoder writes no EXIF, so the shrunk JPEG carries no GPS position, camera
//!   or time: nothing but pixels leaves the phone.
//! - Only the shrunk bytes come back; the original is never stored or sent.
//! - One photo is decoded at a time: a decoded 12 MP photo takes about 48 MB, and a 2 GB
//!   phone must never hold several. Callers shrink the files a worker picks one after the
//!   other, awaiting each.

mod decoded_image;
mod jpeg_canvas;
mod shrink;
mod shrink_error;
mod shrunk_photo;

pub use jpeg_canvas::JPEG;
pub use shrink::shrink;
pub use shrink_error::ShrinkError;
pub use shrunk_photo::ShrunkPhoto;
