//! Tongxing (童行): the phone app for child-welfare home visits. Thin views and browser
//! glue over `tongxing-core`.

pub mod app;
pub mod components;
pub mod ids;
pub mod pages;
pub mod settings;
pub mod storage;
pub mod sync;

use leptos::prelude::*;

/// Opens the phone's database, then mounts the app (or, if storage cannot be used, a
/// screen that says so).
pub fn start() {
    // Leptos sets up its executor when mounting; until then, wasm-bindgen's runs this.
    wasm_bindgen_futures::spawn_local(async {
        match storage::Database::open().await {
            Ok(db) => mount_to_body(move || view! { <app::App db=db.clone() /> }),
            Err(error) => mount_to_body(move || view! { <pages::StorageUnavailablePage error=error.clone() /> }),
        }
    });
}
