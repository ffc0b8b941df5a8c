//! Tongxing (童行): the phone app for child-welfare home visits. Thin views and browser
//! glue over `tongxing-core`.

pub mod apps;
pub mod components;
pub mod context;
pub mod ids;
pub mod js_error;
pub mod pages;
pub mod photo;
pub mod route_params;
pub mod saved_file;
pub mod screen_state;
pub mod storage;
pub mod sync;
pub mod township_client;
pub mod trusted_servers;
pub mod vault;

use std::time::Duration;

use leptos::prelude::*;
use tongxing_core::phone_app::PhoneApp;

/// Starts the field app: opens the phone's first database (where every worker's vault has
/// its durable copy), then mounts the app behind its lock, which opens the unlocked
/// worker's own database
/// (or, if storage cannot be used, a screen that says so). A phone joined as a supervisor
/// goes to hers, unless it came to join again. `app` is the field app as its binary loads
/// it behind the lock, `screens` its screens loaded after the due list.
pub fn start_field(app: apps::AppPiece, screens: apps::ScreenPiece) {
    let joining = window().location().pathname().is_ok_and(|path| path.ends_with("/join"));
    if !joining && apps::open_own_app(PhoneApp::Field, storage::enrolment::role()) {
        return;
    }
    ask_for_persistent_storage();
    // Leptos sets up its executor when mounting; until then, wasm-bindgen's runs this.
    wasm_bindgen_futures::spawn_local(async move {
        let opened = match storage::Database::open().await {
            // A vault that `localStorage` lost (a killed browser) comes back from its copy.
            Ok(db) => db.reconcile_vaults().await.map(|()| db),
            Err(error) => Err(error),
        };
        match opened {
            Ok(db) => mount_to_body(move || {
                // The app is fetched while she types her PIN, its other screens after it.
                apps::provide_language();
                apps::provide_piece(app, None, Duration::ZERO);
                apps::provide_piece(screens, Some(app.fetch), SCREENS_AFTER);
                view! { <apps::VaultGate kept=db.clone() here=PhoneApp::Field app=open_field_app /> }
            }),
            Err(error) => mount_to_body(move || view! { <pages::StorageUnavailablePage error=error.clone() /> }),
        }
    });
}

/// How long after the app behind the lock is in that the field app's other screens are
/// fetched: the app and then her home screen's first calls have the link first. (Fetched
/// three seconds after the start, on 2G they shared it with the app's own piece.)
const SCREENS_AFTER: Duration = Duration::from_secs(1);

/// The field app over the phone's database, once the vault is open.
fn open_field_app(db: storage::Database) -> AnyView {
    provide_context(context::Db(StoredValue::new_local(db)));
    view! { <apps::LazyScreenView screen=apps::AppScreen::App /> }.into_any()
}

/// Starts the oversight app behind its lock; a phone not joined as a supervisor goes to the
/// field app. It keeps nothing in the database, so it never opens it. `piece` is the app
/// itself, which its binary loads while she types her PIN.
pub fn start_oversight(piece: apps::AppPiece) {
    if apps::open_own_app(PhoneApp::Oversight, storage::enrolment::role()) {
        return;
    }
    mount_to_body(move || {
        apps::provide_language();
        apps::provide_piece(piece, None, Duration::ZERO);
        view! { <apps::VaultGate kept=apps::EnrolmentOnly here=PhoneApp::Oversight app=|_| view! { <apps::LazyScreenView screen=apps::AppScreen::App /> }.into_any() /> }
    });
}

/// Asks the browser not to evict the app's storage under pressure: case files that have
/// not been sent yet exist nowhere else. The browser may say no; the app works either way.
fn ask_for_persistent_storage() {
    let Some(window) = web_sys::window() else { return };
    if let Ok(promise) = window.navigator().storage().persist() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}
