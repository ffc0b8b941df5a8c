//! Throwing away a visit's draft (or the changes to a saved visit), after asking.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use crate::context::{use_lang, Db};
use crate::storage::StorageError;
use crate::sync::SyncDriver;

/// "Discard draft" ("Discard changes" for a saved visit): asks, removes the draft of
/// `visit_id`, and goes home; a storage failure goes to `storage_problem`.
#[component]
pub fn DiscardDraftButton(
    visit_id: Uuid,
    is_revision: bool,
    storage_problem: RwSignal<Option<StorageError>>,
) -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let sync = expect_context::<SyncDriver>();
    let navigate = use_navigate();
    let discard = move |_| {
        let question = if is_revision {
            lang.get_untracked().pick(
                "放弃这次的修改？已保存的记录不受影响。",
                "Discard these changes? The saved visit stays as it was.",
            )
        } else {
            lang.get_untracked()
                .pick("放弃这份草稿？填写的内容将被删除。", "Discard this draft? What you typed will be deleted.")
        };
        if !window().confirm_with_message(question).unwrap_or(false) {
            return;
        }
        let (db, navigate) = (db.get(), navigate.clone());
        leptos::task::spawn_local(async move {
            match db.discard_draft(visit_id).await {
                Ok(()) => {
                    sync.saved();
                    navigate("/", Default::default());
                }
                Err(problem) => storage_problem.set(Some(problem)),
            }
        });
    };
    view! {
        <button type="button" class="secondary" data-testid="discard-draft" on:click=discard>
            {move || if is_revision { lang.get().pick("放弃修改", "Discard changes") } else { lang.get().pick("放弃草稿", "Discard draft") }}
        </button>
    }
}
