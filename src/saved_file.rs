//! Saving a file the app made (an export, an unsent-records file) into the phone's
//! downloads: a Blob URL and a click on an `<a download>`.

use wasm_bindgen::{JsCast, JsValue};

/// Saves `blob` as `file_name`.
pub fn save_blob(blob: &web_sys::Blob, file_name: &str) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = leptos::prelude::document();
    let link = document.create_element("a")?;
    link.set_attribute("href", &url)?;
    link.set_attribute("download", file_name)?;
    link.set_attribute("hidden", "")?;
    let body = document.body().ok_or_else(|| JsValue::from_str("no body"))?;
    body.append_child(&link)?;
    link.unchecked_ref::<web_sys::HtmlElement>().click();
    link.remove();
    // The browser has taken the file once the click is handled; the URL is let go later,
    // since some in-app browsers read it after the event.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
