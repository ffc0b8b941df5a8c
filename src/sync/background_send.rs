//! Background Sync on the phone (where the browser has it): after each run of the outbox,
//! the file of what still waits (core's [`background_file`]: made again only when that
//! changed, gone once nothing waits) is kept for the service worker, and the sync tag
//! registered, so that the browser wakes the service worker when the connection returns and
//! it sends the file (`public/sw-background-send.js`), with no page of the app open. The
//! outbox sends on the next open as ever; the server keeps each record once.

use std::cell::RefCell;

use tongxing_core::outbox::OutboxStore;
use tongxing_core::unsent_file::{background_file, BackgroundFile, Waiting, BACKGROUND_SYNC_TAG};
use tongxing_core::wire::UNSENT_FILES_PATH;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::BrowserClock;
use crate::js_error::describe;
use crate::storage::{background_file as kept_file, enrolment, Database, OutboxDb, UnsentFileError};

/// What the file kept for the service worker holds, as this page last made it.
#[derive(Default)]
pub struct KeptForBackground(RefCell<Option<Waiting>>);

/// After a run: keeps the file for the service worker as what waits now asks.
pub async fn after_run(db: &Database, kept: &KeptForBackground) {
    if !background_sync_supported() {
        return;
    }
    let Some(enrolled) = enrolment::load() else { return };
    let entries = match OutboxDb(db.clone()).entries().await {
        Ok(entries) => entries,
        Err(problem) => return leptos::logging::warn!("background file: {problem}"),
    };
    let waiting = Waiting::of(&entries, &enrolled.owner());
    let step = background_file(waiting, kept.0.borrow().as_ref());
    let device = enrolled.worker.id;
    let outcome = match step {
        // The tag again (the browser forgets one it gave up on): nothing is made.
        BackgroundFile::Keep if kept.0.borrow().is_some() => {
            register_or_say().await;
            Ok(())
        }
        BackgroundFile::Keep => Ok(()),
        BackgroundFile::Remove => kept_file::remove(device).await.map(|()| drop(kept.0.borrow_mut().take())),
        BackgroundFile::Make(waiting) => match db.unsent_file(&enrolled, BrowserClock::local_now()).await {
            Ok(file) => {
                let url = format!("{}{UNSENT_FILES_PATH}", enrolled.server.as_str());
                let made = BrowserClock::local_now().timestamp_millis() as f64;
                let kept_now = kept_file::keep(device, &url, &file.blob, made).await;
                if kept_now.is_ok() {
                    *kept.0.borrow_mut() = Some(waiting);
                    register_or_say().await;
                }
                kept_now
            }
            Err(UnsentFileError::NothingUnsent) => kept_file::remove(device).await,
            // No county key yet (the phone has not reached its server): the outbox sends.
            Err(UnsentFileError::NoCountyKey) => Ok(()),
            Err(problem) => return leptos::logging::warn!("background file: {problem}"),
        },
    };
    if let Err(problem) = outcome {
        leptos::logging::warn!("background file: {problem}");
    }
}

/// Registers the sync tag; a browser that refuses is only noted (the app sends on its next
/// open).
async fn register_or_say() {
    if let Err(error) = register_sync().await {
        leptos::logging::warn!("background sync not registered: {}", describe(&error));
    }
}

/// Whether the browser wakes a service worker for a sync tag (`SyncManager`).
fn background_sync_supported() -> bool {
    let Some(window) = web_sys::window() else { return false };
    js_sys::Reflect::has(&window, &"SyncManager".into()).unwrap_or(false)
        && js_sys::Reflect::has(&window.navigator(), &"serviceWorker".into()).unwrap_or(false)
}

/// `(await navigator.serviceWorker.getRegistration()).sync.register(tag)`. Not `ready`:
/// that waits for ever on a page whose service worker never installed (the connection went
/// before its script came), and the outbox run that awaits this would never end.
async fn register_sync() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let registration = JsFuture::from(window.navigator().service_worker().get_registration()).await?;
    if registration.is_undefined() {
        return Err(JsValue::from_str("no service worker yet"));
    }
    let sync = js_sys::Reflect::get(&registration, &"sync".into())?;
    let register: js_sys::Function = js_sys::Reflect::get(&sync, &"register".into())?.dyn_into()?;
    JsFuture::from(js_sys::Promise::from(register.call1(&sync, &BACKGROUND_SYNC_TAG.into())?)).await?;
    Ok(())
}
