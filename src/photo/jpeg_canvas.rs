//! A canvas that paints a decoded photo at its shrunk size and encodes it as JPEG: an
//! `OffscreenCanvas` where the browser has one with a 2D context, else a `<canvas>` that is
//! never put in the page.

use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageEncodeOptions, OffscreenCanvas,
    OffscreenCanvasRenderingContext2d,
};

use super::decoded_image::DecodedImage;
use super::shrink_error::ShrinkError;

/// The media type of every stored photo.
pub const JPEG: &str = "image/jpeg";

/// A canvas of one size. Dropping it sets it to 0 × 0, which frees its pixels at once.
pub(super) enum JpegCanvas {
    Offscreen(OffscreenCanvas, OffscreenCanvasRenderingContext2d),
    Element(HtmlCanvasElement, CanvasRenderingContext2d),
}

impl JpegCanvas {
    /// A canvas of `width` × `height` with `image` painted over all of it.
    pub(super) fn painted(image: &DecodedImage, width: u32, height: u32) -> Result<JpegCanvas, ShrinkError> {
        let canvas = match JpegCanvas::offscreen(width, height) {
            Some(canvas) => canvas,
            None => JpegCanvas::element(width, height)?,
        };
        canvas.paint(image)?;
        Ok(canvas)
    }

    /// `None` where `OffscreenCanvas` is missing or has no 2D context (Chromium before 69).
    fn offscreen(width: u32, height: u32) -> Option<JpegCanvas> {
        let canvas = OffscreenCanvas::new(width, height).ok()?;
        let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(JpegCanvas::Offscreen(canvas, context))
    }

    fn element(width: u32, height: u32) -> Result<JpegCanvas, ShrinkError> {
        let document =
            web_sys::window().and_then(|w| w.document()).ok_or_else(|| ShrinkError::Browser("no document".into()))?;
        let canvas: HtmlCanvasElement = document
            .create_element("canvas")
            .map_err(ShrinkError::browser)?
            .dyn_into()
            .map_err(|_| ShrinkError::Browser("no canvas element".into()))?;
        canvas.set_width(width);
        canvas.set_height(height);
        let context = canvas
            .get_context("2d")
            .map_err(ShrinkError::browser)?
            .and_then(|c| c.dyn_into().ok())
            .ok_or_else(|| ShrinkError::Browser("no 2D canvas context (out of memory?)".into()))?;
        Ok(JpegCanvas::Element(canvas, context))
    }

    /// Its size in pixels.
    pub(super) fn size(&self) -> (u32, u32) {
        match self {
            JpegCanvas::Offscreen(canvas, _) => (canvas.width(), canvas.height()),
            JpegCanvas::Element(canvas, _) => (canvas.width(), canvas.height()),
        }
    }

    /// Paints `image` over the whole canvas, on white (JPEG has no transparency: a
    /// transparent PNG would otherwise turn black).
    ///
    /// Smoothing is set to "high": Chromium then filters over all the pixels it shrinks
    /// (mipmaps) instead of sampling four of them. Measured on a 12 MP photo drawn at
    /// 1600 × 1200, JPEG quality 0.78: 249 KB with "high", 283 KB with the default "low",
    /// whose aliasing adds false detail.
    fn paint(&self, image: &DecodedImage) -> Result<(), ShrinkError> {
        let (width, height) = self.size();
        let (w, h) = (f64::from(width), f64::from(height));
        // The same on both kinds of context, which share no Rust type.
        macro_rules! paint_on {
            ($context:expr) => {{
                let context = $context;
                context.set_fill_style_str("#fff");
                context.fill_rect(0.0, 0.0, w, h);
                smooth_high(context);
                match image {
                    DecodedImage::Bitmap(bitmap) => {
                        context.draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, w, h)
                    }
                    DecodedImage::Element(element, _) => {
                        context.draw_image_with_html_image_element_and_dw_and_dh(element, 0.0, 0.0, w, h)
                    }
                }
            }};
        }
        let painted = match self {
            JpegCanvas::Offscreen(_, context) => paint_on!(context),
            JpegCanvas::Element(_, context) => paint_on!(context),
        };
        painted.map_err(ShrinkError::browser)
    }

    /// The canvas as a JPEG at `quality` (0 to 1).
    pub(super) async fn encode(&self, quality: f64) -> Result<Blob, ShrinkError> {
        let promise = match self {
            JpegCanvas::Offscreen(canvas, _) => {
                let options = ImageEncodeOptions::new();
                options.set_type(JPEG);
                options.set_quality(quality);
                canvas.convert_to_blob_with_options(&options).map_err(ShrinkError::browser)?
            }
            // `toBlob` calls back with the Blob, or with null when it cannot encode.
            JpegCanvas::Element(canvas, _) => Promise::new(&mut |resolve, reject| {
                if let Err(error) =
                    canvas.to_blob_with_type_and_encoder_options(&resolve, JPEG, &JsValue::from(quality))
                {
                    let _ = reject.call1(&JsValue::UNDEFINED, &error);
                }
            }),
        };
        let blob: Blob = JsFuture::from(promise)
            .await
            .map_err(ShrinkError::browser)?
            .dyn_into()
            .map_err(|_| ShrinkError::Browser("the canvas could not be encoded (out of memory?)".into()))?;
        // A browser that cannot write JPEG writes PNG instead, without saying so.
        if blob.type_() != JPEG {
            return Err(ShrinkError::Browser(format!("the browser encoded {:?}, not JPEG", blob.type_())));
        }
        Ok(blob)
    }
}

impl Drop for JpegCanvas {
    fn drop(&mut self) {
        match self {
            JpegCanvas::Offscreen(canvas, _) => {
                canvas.set_width(0);
                canvas.set_height(0);
            }
            JpegCanvas::Element(canvas, _) => {
                canvas.set_width(0);
                canvas.set_height(0);
            }
        }
    }
}

/// Sets `imageSmoothingQuality` to "high" (web-sys has no setter for it). Browsers
/// without it keep their default, which only makes the photo a little heavier.
fn smooth_high(context: &JsValue) {
    let _ = js_sys::Reflect::set(context, &JsValue::from_str("imageSmoothingQuality"), &JsValue::from_str("high"));
}
