//! One child's file (一童一档) with every visit, newest first, and the visits begun but not
//! saved: the place to start a visit or correct the file.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params};

use crate::components::{draft_row, visit_summary_row, ChildCasePlans, ChildPairings, ChildSummary, Loading};
use crate::context::{use_lang, Db};
use crate::ids::new_uuid;
use crate::route_params::AddressIds;
use crate::screen_state::{open_child, OpenedChild};
use crate::sync::{BrowserClock, SyncDriver};

/// What the page shows: which file, or why none. It changes rarely; the file's facts, visits
/// and drafts change whenever a delivery does, and only they are drawn anew then, so that a
/// tap on the page's buttons is never lost under a redraw.
#[derive(Debug, Clone, PartialEq)]
enum Shown {
    Loading,
    Found(uuid::Uuid),
    Missing,
    Failed(crate::storage::StorageError),
}

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
    let latest = RwSignal::new(None::<OpenedChild>);
    let shown = RwSignal::new(Shown::Loading);
    Effect::new(move |_| {
        let Some(loaded) = file.get() else { return };
        let next = match loaded {
            Ok(Some(opened)) => {
                let id = opened.facts.child.id;
                latest.set(Some(opened));
                Shown::Found(id)
            }
            Ok(None) => Shown::Missing,
            Err(error) => Shown::Failed(error),
        };
        shown.maybe_update(|shown| {
            let changed = *shown != next;
            *shown = next;
            changed
        });
    });

    move || match shown.get() {
        Shown::Loading => view! { <Loading /> }.into_any(),
        Shown::Found(_) => view! { <ChildFileView file=latest /> }.into_any(),
        Shown::Missing => view! { <crate::pages::NotFoundPage home="/" /> }.into_any(),
        Shown::Failed(error) => {
            view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> }.into_any()
        }
    }
}

/// The file as last read (`file`): its buttons drawn once, its facts and lists anew as it
/// changes.
#[component]
fn ChildFileView(file: RwSignal<Option<OpenedChild>>) -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let today = BrowserClock::local_now().date_naive();
    let Some(id) = file.with_untracked(|opened| opened.as_ref().map(|opened| opened.facts.child.id)) else {
        return ().into_any();
    };
    let start_visit = move |_| navigate(&format!("/visits/{}?child={id}", new_uuid()), Default::default());
    let pairings =
        Signal::derive(move || file.with(|opened| opened.as_ref().map(|o| o.pairings.clone()).unwrap_or_default()));
    let plans =
        Signal::derive(move || file.with(|opened| opened.as_ref().map(|o| o.plans.clone()).unwrap_or_default()));
    let summaries = Signal::derive(move || {
        file.with(|opened| {
            opened.as_ref().map(|o| o.visits.iter().map(|row| row.summary.clone()).collect()).unwrap_or_default()
        })
    });

    view! {
        <article class="page child-page" data-testid="child-page" data-child-id=id.to_string()>
            {move || file.with(|opened| opened.as_ref().map(|opened| view! { <ChildSummary facts=opened.facts.clone() today /> }))}
            <div class="child-actions">
                <button type="button" class="primary" data-testid="start-visit" on:click=start_visit>
                    {move || lang.get().pick("走访", "New visit")}
                </button>
                <A href=format!("/children/{id}/edit") attr:class="button secondary-button" attr:data-testid="edit-child">
                    {move || lang.get().pick("编辑档案", "Edit")}
                </A>
            </div>
            <ChildPairings child=id rows=pairings />
            <ChildCasePlans child=id plans visits=summaries />
            {move || {
                let lang = lang.get();
                file.with(|opened| {
                    let Some(OpenedChild { facts, visits, drafts, .. }) = opened else { return ().into_any() };
                    let name = facts.child.name.clone();
                    view! {
                        {(!drafts.is_empty()).then(|| view! {
                            <h2>{lang.pick("未保存的走访", "Visits not saved yet")}</h2>
                            <ul class="records drafts" data-testid="child-drafts">
                                {drafts.iter().map(|d| draft_row(d, Some(name.clone()), lang)).collect_view()}
                            </ul>
                        })}
                        <h2>{lang.pick("走访记录", "Visits")}</h2>
                        {if visits.is_empty() {
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
                    .into_any()
                })
            }}
        </article>
    }
    .into_any()
}
