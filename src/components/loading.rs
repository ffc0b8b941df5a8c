//! The line shown while something is read.

use leptos::prelude::*;

use crate::context::use_lang;

/// "正在读取…" ("Loading…"), in the interface language.
#[component]
pub fn Loading(
    /// A test id, where a test waits for this line.
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    view! { <p class="loading" data-testid=testid>{move || lang.get().pick("正在读取…", "Loading…")}</p> }
}
