//! The screen shown when the phone's storage cannot be opened: nothing can be recorded
//! safely, so the app says so instead of pretending.

use leptos::prelude::*;

use crate::storage::Settings;
use crate::storage::StorageError;

/// Explains that storage is unavailable, in both languages.
#[component]
pub fn StorageUnavailablePage(error: StorageError) -> impl IntoView {
    let lang = Settings::load().lang;
    view! {
        <section class="page fatal" data-testid="storage-unavailable">
            <h1>{lang.pick("无法保存数据", "Data cannot be saved")}</h1>
            <p>{error.message(lang)}</p>
            <p class="detail">{error.to_string()}</p>
        </section>
    }
}
