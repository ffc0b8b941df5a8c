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
    /// cannot read (HEIC, in most Android browsers).
    #[error("the photo cannot be decoded: {0}")]
    Undecodable(String),
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
