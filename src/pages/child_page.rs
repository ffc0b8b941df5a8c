//! One child's file (一童一档) with every visit, newest first, and the visits begun but not
//! saved: the place to start a visit or correct the file.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params};

use crate::components::{draft_row, visit_summary_row, ChildSummary, Loading};
use crate::context::{use_lang, Db};
use crate::ids::new_uuid;
use crate::route_params::AddressIds;
use crate::screen_state::{open_child, OpenedChild};
use crate::sync::{BrowserClock, SyncDriver};

/// The child's page at `/children/:id`.
#[component]
pub fn ChildPage() -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let sync = expect_context::<SyncDriver>();
    let params = use_params::<AddressIds>();
    let id = move || params.get().ok().and_then(|p| p.id);
    let file = LocalResource::new(move || {
        // Delivery states change as the outbox runs.
        sync.changes.track();
        let (id, db) = (id(), db.get());
        async move {
            match id {
                Some(id) => open_child(&db, id).await,
                None => Ok(None),
            }
        }
    });

    view! {
        <Transition fallback=move || view! { <Loading /> }>
            {move || {
                file.get()
                    .map(|loaded| match loaded {
                        Ok(Some(file)) => view! { <ChildFileView file /> }.into_any(),
                        Ok(None) => view! { <crate::pages::NotFoundPage home="/" /> }.into_any(),
                        Err(error) => view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn ChildFileView(file: OpenedChild) -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let today = BrowserClock::local_now().date_naive();
    let OpenedChild { facts, visits, drafts } = file;
    let id = facts.child.id;
    let start_visit = move |_| navigate(&format!("/visits/{}?child={id}", new_uuid()), Default::default());
    let no_visits = visits.is_empty();
    let has_drafts = !drafts.is_empty();
    let name = facts.child.name.clone();

    view! {
        <article class="page child-page" data-testid="child-page" data-child-id=id.to_string()>
            <ChildSummary facts today />
            <div class="child-actions">
                <button type="button" class="primary" data-testid="start-visit" on:click=start_visit>
                    {move || lang.get().pick("走访", "New visit")}
                </button>
                <A href=format!("/children/{id}/edit") attr:class="button secondary-button" attr:data-testid="edit-child">
                    {move || lang.get().pick("编辑档案", "Edit")}
                </A>
            </div>
            {move || {
                let lang = lang.get();
                let name = name.clone();
                view! {
                    {has_drafts.then(|| view! {
                        <h2>{lang.pick("未保存的走访", "Visits not saved yet")}</h2>
                        <ul class="records drafts" data-testid="child-drafts">
                            {drafts.iter().map(|d| draft_row(d, Some(name.clone()), lang)).collect_view()}
                        </ul>
                    })}
                    <h2>{lang.pick("走访记录", "Visits")}</h2>
                    {if no_visits {
                        view! { <p class="muted" data-testid="history-empty">{lang.pick("还没有走访记录", "No visits yet")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="records history" data-testid="visit-history">
                                {visits.iter().cloned().map(|row| visit_summary_row(row, None, "history-visit", lang)).collect_view()}
                            </ul>
                        }
                        .into_any()
                    }}
                }
            }}
        </article>
    }
}
