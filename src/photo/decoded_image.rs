//! A photo decoded by the browser, upright, released as soon as it is dropped.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, HtmlImageElement, ImageBitmap, ImageBitmapOptions, ImageOrientation, Url};

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
///
/// Where the browser has no `createImageBitmap` (Safari before 15, older WebViews), it is
/// an `<img>` never put in the page, decoded from an object URL of the photo, which such
/// engines also draw upright (`image-orientation: from-image` is their default).
pub(super) enum DecodedImage {
    Bitmap(ImageBitmap),
    Element(HtmlImageElement, String),
}

impl DecodedImage {
    /// Decodes `source` with its EXIF orientation applied.
    pub(super) async fn decode(source: &Blob) -> Result<DecodedImage, ShrinkError> {
        let window = web_sys::window().ok_or_else(|| ShrinkError::Browser("no window".into()))?;
        let has_bitmaps =
            js_sys::Reflect::get(&window, &JsValue::from_str("createImageBitmap")).is_ok_and(|f| f.is_function());
        if !has_bitmaps {
            return DecodedImage::decode_element(source).await;
        }
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
            .map(DecodedImage::Bitmap)
            .map_err(|_| ShrinkError::Browser("createImageBitmap gave no ImageBitmap".into()))
    }

    /// Decodes `source` through an `<img>` (`HTMLImageElement.decode()`).
    async fn decode_element(source: &Blob) -> Result<DecodedImage, ShrinkError> {
        let url = Url::create_object_url_with_blob(source).map_err(ShrinkError::browser)?;
        let image = HtmlImageElement::new().map_err(ShrinkError::browser)?;
        // Made now, so that the object URL is revoked whatever happens next.
        let decoded = DecodedImage::Element(image.clone(), url.clone());
        image.set_src(&url);
        JsFuture::from(image.decode()).await.map_err(|error| ShrinkError::Undecodable(describe(&error)))?;
        Ok(decoded)
    }

    /// The upright size.
    pub(super) fn size(&self) -> (u32, u32) {
        match self {
            DecodedImage::Bitmap(bitmap) => (bitmap.width(), bitmap.height()),
            DecodedImage::Element(image, _) => (image.natural_width(), image.natural_height()),
        }
    }
}

impl Drop for DecodedImage {
    fn drop(&mut self) {
        match self {
            DecodedImage::Bitmap(bitmap) => bitmap.close(),
            DecodedImage::Element(image, url) => {
                image.set_src("");
                let _ = Url::revoke_object_url(url);
            }
        }
    }
}
