//! One outbox run at a time across every tab of the app, with the Web Locks API where the
//! browser has it. The lock is released by the browser if the tab dies.

use std::future::Future;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

const LOCK_NAME: &str = "tongxing-outbox";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = LockManager)]
    type LockManager;

    #[wasm_bindgen(method, js_name = request)]
    fn request_with_options(
        this: &LockManager,
        name: &str,
        options: &Object,
        callback: &Closure<dyn FnMut(JsValue) -> Promise>,
    ) -> Promise;
}

/// Runs `work` while holding the outbox lock. Returns `None` without running it when
/// another tab holds the lock. Browsers without Web Locks run it at once (this tab's own
/// guard still keeps one run at a time here; the server dedupes any overlap between tabs).
pub async fn with_outbox_lock<F, T>(work: F) -> Option<T>
where
    F: Future<Output = T> + 'static,
    T: 'static,
{
    let Some(locks) = lock_manager() else {
        return Some(work.await);
    };
    let slot: std::rc::Rc<std::cell::RefCell<Option<T>>> = Default::default();
    let work = std::cell::RefCell::new(Some(work));
    let result = slot.clone();
    let callback = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |lock: JsValue| {
        let work = work.borrow_mut().take();
        let result = result.clone();
        future_to_promise(async move {
            if let (false, Some(work)) = (lock.is_null(), work) {
                *result.borrow_mut() = Some(work.await);
            }
            Ok(JsValue::UNDEFINED)
        })
    });
    let options = Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let held = locks.request_with_options(LOCK_NAME, &options, &callback);
    let _ = JsFuture::from(held).await;
    drop(callback);
    slot.take()
}

fn lock_manager() -> Option<LockManager> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    if locks.is_undefined() || locks.is_null() {
        None
    } else {
        Some(locks.unchecked_into())
    }
}
