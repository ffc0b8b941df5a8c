//! What a JavaScript failure says, as text for logs, `Display` and error details.

use wasm_bindgen::{JsCast, JsValue};

/// `Name: message` for an exception, the text of a thrown string, else its debug form.
pub fn describe(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.to_string()),
        None => error.as_string().unwrap_or_else(|| format!("{error:?}")),
    }
}
