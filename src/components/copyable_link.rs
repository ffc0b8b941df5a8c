//! A link to hand on: shown whole in a field a tap selects, with a copy button that uses the
//! clipboard where the browser has one and otherwise selects the link for a long press
//! (WeChat's browser and other old ones). Used for invite links and one-time download links.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::context::use_lang;

/// The link, its copy button and what copying did. `name` makes the test ids
/// (`{name}-link`, `{name}-copy`, `{name}-copied`) and the field's id; `copied` is what to
/// do once copied, zh-CN then English.
#[component]
pub fn CopyableLink(name: &'static str, link: String, copied: (&'static str, &'static str)) -> impl IntoView {
    let lang = use_lang();
    let done = RwSignal::new(None::<bool>);
    let field_id = format!("{name}_link");
    let text = link.clone();
    let selected = field_id.clone();
    let copy = move |_| {
        let written = write_to_clipboard(&text);
        let selected = selected.clone();
        leptos::task::spawn_local(async move {
            let copied = match written {
                Some(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
                None => false,
            };
            if !copied {
                if let Some(input) =
                    document().get_element_by_id(&selected).and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    let _ = input.focus();
                    input.select();
                }
            }
            done.try_set(Some(copied));
        });
    };
    view! {
        // A tap on the link selects all of it.
        <input id=field_id type="text" readonly=true class="invite-link" data-testid=format!("{name}-link") value=link onfocus="this.select()" />
        <button type="button" class="primary" data-testid=format!("{name}-copy") on:click=copy>
            {move || lang.get().pick("复制链接", "Copy link")}
        </button>
        {move || done.get().map(|copied_now| view! {
            <p class="hint" role="status" data-testid=format!("{name}-copied") data-copied=if copied_now { "true" } else { "false" }>
                {move || match (copied_now, lang.get()) {
                    (true, lang) => lang.pick(copied.0, copied.1),
                    (false, lang) => lang.pick("已选中链接，请长按后选择“复制”。", "The link is selected: press and hold it, then choose Copy."),
                }}
            </p>
        })}
    }
}

/// Starts putting `text` on the clipboard where the browser offers
/// `navigator.clipboard.writeText` (looked up, not assumed: in-app browsers may lack it).
fn write_to_clipboard(text: &str) -> Option<js_sys::Promise> {
    let navigator = JsValue::from(window().navigator());
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).ok().filter(|c| c.is_object())?;
    let write =
        js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")).ok()?.dyn_into::<js_sys::Function>().ok()?;
    write.call1(&clipboard, &JsValue::from_str(text)).ok()?.dyn_into::<js_sys::Promise>().ok()
}
