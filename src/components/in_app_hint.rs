//! One line where a chat app's browser (WeChat's, WeCom's: core's [`InAppBrowser`]) gets in
//! the way: under a supervisor's download, that it will not be saved here and that a
//! one-time link will; under the unsent-records file, that it may not be saved; on a
//! worker's first screen, that unsent records may be cleared. Nothing anywhere else.

use leptos::prelude::*;
use tongxing_core::in_app_browser::InAppBrowser;
use tongxing_core::Lang;

use crate::context::use_lang;

/// What the line is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InAppHintKind {
    Export,
    SaveFile,
    Storage,
}

/// The chat app whose browser shows the page, if any.
pub fn in_app_browser() -> Option<InAppBrowser> {
    InAppBrowser::of(&window().navigator().user_agent().unwrap_or_default())
}

/// The line, inside a chat app's browser only.
#[component]
pub fn InAppHint(kind: InAppHintKind) -> impl IntoView {
    let lang = use_lang();
    in_app_browser().map(|browser| {
        let (code, text): (_, fn(InAppBrowser, Lang) -> String) = match kind {
            InAppHintKind::Export => ("export", InAppBrowser::export_hint),
            InAppHintKind::SaveFile => ("save_file", InAppBrowser::save_file_hint),
            InAppHintKind::Storage => ("storage", InAppBrowser::storage_hint),
        };
        view! { <p class="warning" data-testid="in-app-hint" data-kind=code>{move || text(browser, lang.get())}</p> }
    })
}
