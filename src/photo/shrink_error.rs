//! Why a photo could not be shrunk, as a sentence for the worker.

use tongxing_core::photo::MAX_BYTES;
use tongxing_core::Lang;
use wasm_bindgen::JsValue;

use crate::js_error::describe;

/// A photo that could not be shrunk. None of these harms the visit it was meant for: the
/// photo is simply not added.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ShrinkError {
    /// The browser cannot decode the file: not an image, damaged, empty, or a format it
    /// cannot read.
    #[error("the photo cannot be decoded: {0}")]
    Undecodable(String),
    /// A HEIC/HEIF photo (core's [`tongxing_core::photo::is_heif`]) the browser cannot decode,
    /// as most Android browsers cannot: the camera can be set to save JPEG instead.
    #[error("the photo is HEIC, which this browser cannot decode")]
    Heic,
    /// Every size and quality of the plan gave a JPEG heavier than the limit.
    #[error("the photo still weighs {bytes} bytes after shrinking, over the limit of {MAX_BYTES}")]
    TooHeavy { bytes: u64 },
    /// The browser failed at something it should manage (no canvas, out of memory, no JPEG
    /// encoder), with its own words for it.
    #[error("the browser failed while shrinking the photo: {0}")]
    Browser(String),
}

impl ShrinkError {
    /// A sentence for the worker (no technical detail).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ShrinkError::Undecodable(_) => lang.pick(
                "无法读取这张照片，请换一张或重新拍摄。本次走访记录不受影响。",
                "This photo cannot be read. Choose another one or take it again. The visit record is not affected.",
            ),
            ShrinkError::Heic => lang.pick(
                "这张照片是 HEIC 格式，手机浏览器读不了。请在相机设置里把照片格式改为「兼容性最佳」或 JPEG 后重拍，或换一张照片。本次走访记录不受影响。",
                "This photo is in the HEIC format, which the phone's browser cannot read. Set the camera to save \"Most compatible\" or JPEG photos and take it again, or choose another one. The visit record is not affected.",
            ),
            ShrinkError::TooHeavy { .. } => lang.pick(
                "这张照片压缩后仍然太大，请换一张或重新拍摄。本次走访记录不受影响。",
                "This photo is still too large after shrinking. Choose another one or take it again. The visit record is not affected.",
            ),
            ShrinkError::Browser(_) => lang.pick(
                "手机浏览器处理这张照片时出错，请关闭其他应用后重试。本次走访记录不受影响。",
                "The phone's browser failed while processing this photo. Close other apps and try again. The visit record is not affected.",
            ),
        }
        .to_owned()
    }

    /// A browser failure, with what the browser said (`Name: message` for an exception).
    pub(super) fn browser(error: JsValue) -> ShrinkError {
        ShrinkError::Browser(describe(&error))
    }
}
