//! One line where a chat app's browser (WeChat's, WeCom's: core's [`InAppBrowser`]) gets in
//! the way: under a download, that it will not be saved here and how to open the page in the
//! phone's browser; on a worker's first screen, that unsent records may be cleared. Nothing
//! anywhere else.

use leptos::prelude::*;
use tongxing_core::in_app_browser::InAppBrowser;

use crate::context::use_lang;

/// What the line is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InAppHintKind {
    Download,
    Storage,
}

/// The line, inside a chat app's browser only.
#[component]
pub fn InAppHint(kind: InAppHintKind) -> impl IntoView {
    let lang = use_lang();
    let agent = window().navigator().user_agent().unwrap_or_default();
    InAppBrowser::of(&agent).map(|browser| {
        let (code, text) = match kind {
            InAppHintKind::Download => ("download", InAppBrowser::download_hint as fn(InAppBrowser, _) -> String),
            InAppHintKind::Storage => ("storage", InAppBrowser::storage_hint as fn(InAppBrowser, _) -> String),
        };
        view! { <p class="warning" data-testid="in-app-hint" data-kind=code>{move || text(browser, lang.get())}</p> }
    })
}
