//! A screen for an address the app does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::context::use_lang;

/// "Page not found", with the way to `home`, the app's home screen.
#[component]
pub fn NotFoundPage(home: &'static str) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="page" data-testid="not-found">
            <h1>{move || lang.get().pick("找不到这个页面", "Page not found")}</h1>
            <A href=home attr:class="button">{move || lang.get().pick("返回首页", "Back to the start")}</A>
        </section>
    }
}
