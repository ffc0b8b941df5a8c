//! One child's whole file (一童一档) as the server holds it, for the township supervisor to
//! read (not to change): the details, every visit (the latest first), and "导出档案", the
//! file with its photos as one zip; the child's pairings (结对), which she may set and end
//! here; and her case plans, which she approves or changes here.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params;
use tongxing_core::phone_app::PhoneApp;
use tongxing_core::schedule::{Cadence, ChildStatus, VisitSummary};
use tongxing_core::supervision::{TownshipProblem, TownshipRequest};
use tongxing_core::wire::{ChildFile, VisitListing};

use crate::components::{
    visit_listing_row, ChildFacts, ChildSummary, ExportButton, Loading, ProblemNotice, TownshipCasePlans,
    TownshipChildPairings,
};
use crate::context::use_lang;
use crate::route_params::AddressIds;
use crate::sync::BrowserClock;
use crate::township_client::TownshipClient;

/// The screen at `/oversight/children/:id`.
#[component]
pub fn TownshipChildPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params::<AddressIds>();
    let id = move || params.get().ok().and_then(|p| p.id);
    // `None` while the file is read.
    let file = RwSignal::new(None::<Result<ChildFile, TownshipProblem>>);
    Effect::new(move |_| {
        let id = id();
        file.set(None);
        leptos::task::spawn_local(async move {
            let read = match id {
                Some(id) => TownshipClient::new().read::<ChildFile>(&TownshipRequest::ChildFile(id)).await,
                None => Err(TownshipProblem::NotFound),
            };
            file.try_set(Some(read));
        });
    });

    view! {
        <article class="page township-child-page" data-testid="township-child-page">
            <A href=PhoneApp::OVERSIGHT_ROOT attr:class="back-link" attr:data-testid="township-back">{move || lang.get().pick("← 返回乡镇列表", "← Back to the township")}</A>
            {move || match file.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Ok(file)) => view! { <FileView file /> }.into_any(),
                Some(Err(problem)) => view! { <ProblemNotice problem /> }.into_any(),
            }}
        </article>
    }
}

#[component]
fn FileView(file: ChildFile) -> impl IntoView {
    let lang = use_lang();
    let today = BrowserClock::local_now().date_naive();
    let ChildFile { child, village, township, mut visits, pairings, paired_workers, case_plans } = file;
    let child_id = child.id;
    let summaries: Vec<VisitSummary> = visits.iter().map(VisitSummary::of).collect();
    visits.sort_by_key(|visit| std::cmp::Reverse(VisitSummary::of(visit).recency()));
    let status = ChildStatus::of(&child, summaries.iter());
    let due = status.due(&Cadence::standard());
    let archive = TownshipRequest::Archive(child.id);
    let place = format!("{township} {village}");
    let no_visits = visits.is_empty();

    view! {
        <ChildSummary facts=ChildFacts { child, status, due, entry: None } today on_server=true />
        <p class="muted" data-testid="file-place">{place}</p>
        <ExportButton request=Signal::stored(Some(archive)) testid="export-archive" label=("导出档案", "Export the file") township=township.clone() />
        <TownshipChildPairings child=child_id village=village.clone() pairings workers=paired_workers />
        <TownshipCasePlans plans=case_plans />
        <h2>{move || lang.get().pick("走访记录", "Visits")}</h2>
        {move || {
            let lang = lang.get();
            if no_visits {
                view! { <p class="muted" data-testid="history-empty">{lang.pick("还没有走访记录", "No visits yet")}</p> }.into_any()
            } else {
                view! {
                    <ul class="records history" data-testid="file-visits">
                        {visits.iter().map(|visit| visit_listing_row(&VisitListing::of(visit, None, village.as_str()), false, lang)).collect_view()}
                    </ul>
                }
                .into_any()
            }
        }}
    }
}
