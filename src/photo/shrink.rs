//! The shrinking of one photo: decode, paint at the plan's size, encode until the plan
//! accepts the result.

use js_sys::Uint8Array;
use tongxing_core::photo::{is_heif, PhotoHash, ShrinkPlan, HEIF_HEAD_BYTES};
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

use super::decoded_image::DecodedImage;
use super::jpeg_canvas::JpegCanvas;
use super::{ShrinkError, ShrunkPhoto};

/// Shrinks the photo in `source` (a `File` from a file input, or any Blob) to a JPEG of
/// at most `MAX_BYTES`, upright and without EXIF.
///
/// Memory: at most one decoded image is held at any time, and only until it is painted on
/// the shrunk canvas (the canvas then holds about 8 MB). Lower qualities re-encode that
/// canvas. Should the plan ask for a smaller size (only for a photo full of fine detail),
/// the canvas is released and the photo decoded once more, never twice at once. Shrink
/// several photos one after the other, awaiting each, never together.
///
/// ```no_run
/// # async fn picked(file: web_sys::File) -> Result<(), tongxing::photo::ShrinkError> {
/// let photo = tongxing::photo::shrink(&file).await?;
/// assert!(photo.bytes.len() as u64 <= tongxing_core::photo::MAX_BYTES);
/// # Ok(()) }
/// ```
pub async fn shrink(source: &Blob) -> Result<ShrunkPhoto, ShrinkError> {
    let image = match DecodedImage::decode(source).await {
        Err(ShrinkError::Undecodable(why)) => return Err(undecodable(source, why).await),
        decoded => decoded?,
    };
    let (width, height) = image.size();
    let plan = ShrinkPlan::new(width, height);
    let mut step = plan.first();
    let mut canvas = JpegCanvas::painted(&image, step.width, step.height)?;
    drop(image);
    loop {
        let jpeg = canvas.encode(step.quality).await?;
        let size = jpeg.size() as u64;
        match plan.next(step, size) {
            Some(next) => {
                if canvas.size() != (next.width, next.height) {
                    drop(canvas); // before the photo is decoded again
                    let image = DecodedImage::decode(source).await?;
                    canvas = JpegCanvas::painted(&image, next.width, next.height)?;
                }
                step = next;
            }
            None if ShrinkPlan::accepts(size) => {
                drop(canvas);
                let bytes = read(&jpeg).await?;
                let hash = PhotoHash::of_bytes(&bytes);
                return Ok(ShrunkPhoto { bytes, blob: jpeg, hash, width: step.width, height: step.height });
            }
            None => return Err(ShrinkError::TooHeavy { bytes: size }),
        }
    }
}

/// Why a photo the browser could not decode was refused: a HEIC photo is named as one.
async fn undecodable(source: &Blob, why: String) -> ShrinkError {
    let head = match source.slice_with_i32_and_i32(0, HEIF_HEAD_BYTES as i32) {
        Ok(head) => read(&head).await.unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    if is_heif(&head) {
        ShrinkError::Heic
    } else {
        ShrinkError::Undecodable(why)
    }
}

/// The bytes of `blob`.
async fn read(blob: &Blob) -> Result<Vec<u8>, ShrinkError> {
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(ShrinkError::browser)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
