//! A photo decoded by the browser, upright, released as soon as it is dropped.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ImageBitmap, ImageBitmapOptions, ImageOrientation};

use super::shrink_error::ShrinkError;
use crate::js_error::describe;

/// A decoded image: 4 bytes a pixel (48 MB at 12 MP), held by the browser outside the wasm
/// heap. Dropping it calls `ImageBitmap.close()`, which frees that memory at once instead of
/// whenever the garbage collector comes by.
///
/// It is decoded at full size. Asking `createImageBitmap` to resize while decoding would
/// need the size first and saves nothing in Chromium, which decodes at full size and then
/// scales (measured on a 12 MP JPEG: renderer peak +70 MB with `resizeWidth`/`resizeHeight`,
/// +72 MB without).
pub(super) struct DecodedImage(ImageBitmap);

impl DecodedImage {
    /// Decodes `source` with its EXIF orientation applied.
    pub(super) async fn decode(source: &Blob) -> Result<DecodedImage, ShrinkError> {
        let window = web_sys::window().ok_or_else(|| ShrinkError::Browser("no window".into()))?;
        let options = ImageBitmapOptions::new();
        options.set_image_orientation(ImageOrientation::FromImage);
        let promise = window.create_image_bitmap_with_blob_and_image_bitmap_options(source, &options);
        let decoded = match JsFuture::from(promise.map_err(ShrinkError::browser)?).await {
            // Engines from before the spec renamed the value (Chromium until about 2023, and
            // WeChat's builds of it) know only "none" and "flipY", so they refuse
            // "from-image" with a TypeError. Their default, "none", also follows the EXIF
            // orientation: decode again with it.
            Err(error) if error.is_instance_of::<js_sys::TypeError>() => {
                let promise = window.create_image_bitmap_with_blob(source).map_err(ShrinkError::browser)?;
                JsFuture::from(promise).await
            }
            decoded => decoded,
        };
        let bitmap = decoded.map_err(|error| ShrinkError::Undecodable(describe(&error)))?;
        bitmap
            .dyn_into::<ImageBitmap>()
            .map(DecodedImage)
            .map_err(|_| ShrinkError::Browser("createImageBitmap gave no ImageBitmap".into()))
    }

    pub(super) fn bitmap(&self) -> &ImageBitmap {
        &self.0
    }

    /// The upright size.
    pub(super) fn size(&self) -> (u32, u32) {
        (self.0.width(), self.0.height())
    }
}

impl Drop for DecodedImage {
    fn drop(&mut self) {
        self.0.close();
    }
}
