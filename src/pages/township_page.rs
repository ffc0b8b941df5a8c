//! The township supervisor's home screen (儿童督导员): her township's children and visits
//! from the server, filtered by village, colour and month or dates, a page at a time; exports
//! of what the filter shows; and invites for the directors, love mothers and volunteers of
//! her villages. Reading needs the network: nothing of other villages is kept on her phone.

use leptos::prelude::*;
use tongxing_core::export::{ExportFormat, ExportQuery};
use tongxing_core::supervision::TownshipRequest;
use tongxing_core::RecordKind;

use crate::components::{
    ChildLines, ExportButton, InviteForm, ProblemNotice, TownshipDuplicates, TownshipFilter, TownshipPhones,
    TownshipReconcile, TownshipTodayTab, VisitLines,
};
use crate::context::{use_enrolled, use_lang};
use crate::screen_state::{TownshipState, TownshipTab};

/// The screen at `/` for a phone enrolled as a township supervisor.
#[component]
pub fn TownshipPage() -> impl IntoView {
    let lang = use_lang();
    let enrolled = use_enrolled();
    let state = expect_context::<TownshipState>();
    state.open_as(enrolled.with_untracked(|w| w.as_ref().map(|w| w.id)));
    let tab_button = move |tab: TownshipTab, testid: &'static str, zh: &'static str, en: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="township-tab"
                data-testid=testid
                class:chosen=move || state.tab.get() == tab
                aria-selected=move || if state.tab.get() == tab { "true" } else { "false" }
                on:click=move |_| state.show(tab)
            >
                {move || lang.get().pick(zh, en)}
            </button>
        }
    };
    let heading = move || {
        enrolled.with(|worker| {
            worker
                .as_ref()
                .map(|w| (w.place.township.clone(), format!("{} · {}", w.role.label(lang.get()), w.name)))
                .unwrap_or_default()
        })
    };
    // The filter as the calls use it; `None` while it cannot be read.
    let filter = Memo::new(move |_| state.query.with(|q| q.filter().ok()));
    let export = move |kind: RecordKind| {
        Signal::derive(move || {
            filter
                .get()
                .map(|records| TownshipRequest::Export { kind, query: ExportQuery::new(ExportFormat::Xlsx, records) })
        })
    };

    view! {
        <section class="page township-page" data-testid="township-page">
            <div class="township-head">
                <h1 data-testid="township-name">{move || heading().0}</h1>
                <button type="button" class="secondary-button" data-testid="township-refresh" on:click=move |_| state.refresh()>
                    {move || lang.get().pick("刷新", "Refresh")}
                </button>
            </div>
            <p class="muted township-who" data-testid="township-who">{move || heading().1}</p>
            <div class="township-tabs" role="tablist">
                {tab_button(TownshipTab::Today, "township-tab-today", "今日", "Today")}
                {tab_button(TownshipTab::Children, "township-tab-children", "儿童", "Children")}
                {tab_button(TownshipTab::Visits, "township-tab-visits", "走访", "Visits")}
                {tab_button(TownshipTab::Invite, "township-tab-invite", "邀请", "Invite")}
                {tab_button(TownshipTab::Phones, "township-tab-phones", "手机", "Phones")}
                {tab_button(TownshipTab::Reconcile, "township-tab-reconcile", "核对", "Reconcile")}
                {tab_button(TownshipTab::Duplicates, "township-tab-duplicates", "重复", "Duplicates")}
            </div>
            <Show
                when=move || state.tab.get().is_list()
                fallback=move || match state.tab.get() {
                    TownshipTab::Today => view! { <TownshipTodayTab /> }.into_any(),
                    TownshipTab::Phones => view! { <TownshipPhones /> }.into_any(),
                    TownshipTab::Reconcile => view! { <TownshipReconcile /> }.into_any(),
                    TownshipTab::Duplicates => view! { <TownshipDuplicates /> }.into_any(),
                    _ => view! { <InviteForm /> }.into_any(),
                }
            >
                <TownshipFilter query=state.query on_change=Callback::new(move |()| state.refresh()) />
                <div class="township-actions">
                    <ExportButton request=export(RecordKind::Visit) testid="export-visits" label=("导出走访 Excel", "Export visits (Excel)") />
                    <ExportButton request=export(RecordKind::Child) testid="export-children" label=("导出儿童 Excel", "Export children (Excel)") />
                </div>
                {move || state.problem.get().map(|problem| view! { <ProblemNotice problem /> })}
                {move || match state.tab.get() {
                    TownshipTab::Visits => view! { <VisitLines state /> }.into_any(),
                    _ => view! { <ChildLines state /> }.into_any(),
                }}
            </Show>
        </section>
    }
}
