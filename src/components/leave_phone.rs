//! "Leave this phone", in settings: for a worker handing her phone on or leaving the job.
//! Refused while any record in her space has not reached the server (core's
//! `Summary::may_leave`); otherwise, once confirmed, everything Tongxing keeps of her here
//! is deleted (`storage::leave_phone`) and the app starts again: at the lock screen of the
//! others who share the phone, or as on a new phone.

use leptos::prelude::*;
use tongxing_core::phone_app::PhoneApp;

use crate::context::{use_lang, Db};
use crate::storage::{self, StorageError};

/// The section and its button.
#[component]
pub fn LeavePhone() -> impl IntoView {
    let lang = use_lang();
    // The field app's database; the oversight app keeps none.
    let db = use_context::<Db>().map(|db| db.0);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let leave = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let lang = lang.get_untracked();
            let db = db.map(|db| db.get_value());
            let outcome: Result<bool, String> = async {
                if let Some(db) = &db {
                    db.may_leave().await.map_err(|e| e.message(lang))?.map_err(|refused| refused.message(lang))?;
                }
                let question = lang.pick(
                    "确定离开这部手机吗？您在本机上的全部记录、照片和密码都会被删除（它们已经保存在服务器上）。其他工作人员在这部手机上的记录不受影响。",
                    "Leave this phone? Your records, photos and PIN on it are deleted (they are all on the server). Other workers' records on this phone stay.",
                );
                if !window().confirm_with_message(question).unwrap_or(false) {
                    return Ok(false);
                }
                storage::leave_phone(db.as_ref()).await.map_err(|e: StorageError| e.message(lang))?;
                Ok(true)
            }
            .await;
            busy.set(false);
            match outcome {
                Ok(true) => {
                    let _ = window().location().replace(PhoneApp::Field.root());
                }
                Ok(false) => {}
                Err(sentence) => problem.set(Some(sentence)),
            }
        });
    };
    view! {
        <section class="leave-phone" data-testid="leave-phone">
            <h2>{move || lang.get().pick("离开这部手机", "Leave this phone")}</h2>
            <p class="hint">
                {move || lang.get().pick(
                    "把手机交给别人、或不再做这项工作时：您的记录全部上传后，删除您在本机上的记录、照片和密码。",
                    "When handing the phone on, or leaving the job: once every record of yours is sent, delete your records, photos and PIN from this phone.",
                )}
            </p>
            {move || problem.get().map(|sentence| view! { <p class="error" role="alert" data-testid="leave-phone-problem">{sentence}</p> })}
            <button type="button" class="secondary" data-testid="leave-phone-start" disabled=move || busy.get() on:click=leave>
                {move || lang.get().pick("离开这部手机", "Leave this phone")}
            </button>
        </section>
    }
}
