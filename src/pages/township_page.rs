//! The township supervisor's home screen (儿童督导员): her township's children and visits
//! from the server, filtered by village, colour and month or dates, a page at a time; exports
//! of what the filter shows; and invites for the directors, love mothers and volunteers of
//! her villages. Reading needs the network: nothing of other villages is kept on her phone.

use std::collections::HashMap;

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use tongxing_core::supervision::{ExportFormat, Listed, PagedList, RecordKind, TownshipProblem, TownshipQuery, TownshipRequest};
use tongxing_core::township_view::{ChildListing, ListFilter, VisitListing, PER_PAGE_MAX};
use tongxing_core::worker::Page;
use tongxing_core::Lang;
use uuid::Uuid;

use crate::context::{use_enrolled, use_lang};
use crate::components::{
    child_listing_row, visit_listing_row, ExportButton, InviteForm, Loading, ProblemNotice, TownshipFilter, TownshipPhones,
};
use crate::township_client::TownshipClient;

/// Which part of the screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TownshipTab {
    Children,
    Visits,
    Invite,
    /// The township's phones and invites, to revoke.
    Phones,
}

/// One list: the pages read, and the page being read.
pub struct ListState<T: Send + Sync + 'static> {
    pages: RwSignal<PagedList<T>>,
    /// The page asked for and not answered yet.
    asking: RwSignal<Option<ListFilter>>,
}

impl<T: Send + Sync + 'static> Clone for ListState<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for ListState<T> {}

impl<T: Listed + DeserializeOwned + Send + Sync + 'static> ListState<T> {
    fn new() -> ListState<T> {
        ListState { pages: RwSignal::new(PagedList::new(ListFilter::default())), asking: RwSignal::new(None) }
    }

    fn is_unread(&self) -> bool {
        self.pages.with_untracked(PagedList::is_unread)
    }

    /// Reads the next page (once, however often asked), reporting a failure to `problem`
    /// and handing the page to `then` before it is shown.
    fn load(self, kind: RecordKind, problem: RwSignal<Option<TownshipProblem>>, then: impl FnOnce(&Page<T>) + 'static) {
        let asked = self.pages.with_untracked(PagedList::next_page);
        if self.asking.with_untracked(|asking| asking.as_ref() == Some(&asked)) {
            return;
        }
        self.asking.set(Some(asked.clone()));
        problem.set(None);
        leptos::task::spawn_local(async move {
            let read = TownshipClient::new().read::<Page<T>>(&TownshipRequest::List { kind, filter: asked.clone() }).await;
            match read {
                Ok(page) => {
                    then(&page);
                    self.pages.try_update(|list| list.add(&asked, page));
                }
                Err(failed) => {
                    problem.try_set(Some(failed));
                }
            }
            self.asking.try_update(|asking| {
                if asking.as_ref() == Some(&asked) {
                    *asking = None;
                }
            });
        });
    }

    /// "More" while the server holds more and nothing is being read.
    fn remaining(self) -> Signal<Option<u64>> {
        Signal::derive(move || self.pages.with(|l| (!l.is_unread() && l.has_more()).then(|| l.remaining())))
    }
}

/// What the screen has read and been asked, kept for the app's lifetime so that coming back
/// from a child's file shows the same filter and pages.
#[derive(Clone, Copy)]
pub struct TownshipState {
    pub query: RwSignal<TownshipQuery>,
    pub tab: RwSignal<TownshipTab>,
    children: ListState<ChildListing>,
    visits: ListState<VisitListing>,
    /// Children's names by id, for the lines of visits (which name only the child's id).
    names: RwSignal<HashMap<Uuid, String>>,
    problem: RwSignal<Option<TownshipProblem>>,
    /// The device the lists were read as: joining again (another township) reads them anew.
    read_as: StoredValue<Option<Uuid>>,
}

impl TownshipState {
    /// Nothing read yet, for the app's context.
    pub fn new() -> TownshipState {
        TownshipState {
            query: RwSignal::new(TownshipQuery::default()),
            tab: RwSignal::new(TownshipTab::Children),
            children: ListState::new(),
            visits: ListState::new(),
            names: RwSignal::new(HashMap::new()),
            problem: RwSignal::new(None),
            read_as: StoredValue::new(None),
        }
    }

    /// Reads the lists again from their first page, with the filter as it is now (an
    /// unreadable filter keeps the lists as they are: its fields say what is wrong).
    pub fn refresh(self) {
        let Ok(filter) = self.query.with_untracked(TownshipQuery::filter) else { return };
        self.children.pages.set(PagedList::new(filter.clone()));
        self.visits.pages.set(PagedList::new(filter));
        self.load_more();
    }

    /// Reads the next page of the list shown (the first when it is unread).
    pub fn load_more(self) {
        match self.tab.get_untracked() {
            TownshipTab::Children => self.children.load(RecordKind::Children, self.problem, move |page| {
                self.names.update(|names| names.extend(page.items.iter().map(|l| (l.id, l.name.clone()))));
            }),
            TownshipTab::Visits => self.visits.load(RecordKind::Visits, self.problem, move |page| {
                let missing: Vec<Uuid> = self.names.with_untracked(|names| {
                    page.items.iter().map(|l| l.child_id).filter(|id| !names.contains_key(id)).collect()
                });
                if !missing.is_empty() {
                    self.look_up_names(missing);
                }
            }),
            TownshipTab::Invite | TownshipTab::Phones => {}
        }
    }

    /// Learns the names of `children` from the list of the township's children (of the
    /// filter's village, every colour and date), as many pages as it takes.
    fn look_up_names(self, mut children: Vec<Uuid>) {
        let village = self.query.with_untracked(|q| q.filter().ok().and_then(|f| f.village));
        leptos::task::spawn_local(async move {
            let client = TownshipClient::new();
            for page in 1.. {
                let filter = ListFilter { village: village.clone(), page: Some(page), per_page: Some(PER_PAGE_MAX), ..ListFilter::default() };
                let Ok(read) = client.read::<Page<ChildListing>>(&TownshipRequest::List { kind: RecordKind::Children, filter }).await else {
                    return;
                };
                let end = read.items.len() < PER_PAGE_MAX as usize;
                let updated = self.names.try_update(|names| {
                    for listing in read.items {
                        names.insert(listing.id, listing.name);
                    }
                    children.retain(|id| !names.contains_key(id));
                });
                if updated.is_none() || children.is_empty() || end {
                    return;
                }
            }
        });
    }
}

impl Default for TownshipState {
    fn default() -> TownshipState {
        TownshipState::new()
    }
}

/// The screen at `/` for a phone enrolled as a township supervisor.
#[component]
pub fn TownshipPage() -> impl IntoView {
    let lang = use_lang();
    let enrolled = use_enrolled();
    let state = expect_context::<TownshipState>();
    let device = enrolled.with_untracked(|w| w.as_ref().map(|w| w.id));
    if state.read_as.get_value() != device {
        state.read_as.set_value(device);
        state.names.set(HashMap::new());
        state.refresh();
    } else if state.children.is_unread() && !matches!(state.tab.get_untracked(), TownshipTab::Invite | TownshipTab::Phones) {
        state.refresh();
    }
    let show = move |tab: TownshipTab| {
        state.tab.set(tab);
        let unread = match tab {
            TownshipTab::Children => state.children.is_unread(),
            TownshipTab::Visits => state.visits.is_unread(),
            TownshipTab::Invite | TownshipTab::Phones => false,
        };
        if unread {
            state.load_more();
        }
    };
    let tab_button = move |tab: TownshipTab, testid: &'static str, zh: &'static str, en: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="township-tab"
                data-testid=testid
                class:chosen=move || state.tab.get() == tab
                aria-selected=move || if state.tab.get() == tab { "true" } else { "false" }
                on:click=move |_| show(tab)
            >
                {move || lang.get().pick(zh, en)}
            </button>
        }
    };
    let heading = move || {
        enrolled.with(|worker| {
            worker.as_ref().map(|w| (w.place.township.clone(), format!("{} · {}", w.role.label(lang.get()), w.name))).unwrap_or_default()
        })
    };
    // The filter as the calls use it; `None` while it cannot be read.
    let filter = Memo::new(move |_| state.query.with(|q| q.filter().ok()));
    let export = move |kind: RecordKind| {
        Signal::derive(move || filter.get().map(|filter| TownshipRequest::Export { kind, format: ExportFormat::Xlsx, filter }))
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
                {tab_button(TownshipTab::Children, "township-tab-children", "儿童", "Children")}
                {tab_button(TownshipTab::Visits, "township-tab-visits", "走访", "Visits")}
                {tab_button(TownshipTab::Invite, "township-tab-invite", "邀请", "Invite")}
                {tab_button(TownshipTab::Phones, "township-tab-phones", "手机", "Phones")}
            </div>
            <Show
                when=move || !matches!(state.tab.get(), TownshipTab::Invite | TownshipTab::Phones)
                fallback=move || match state.tab.get() {
                    TownshipTab::Phones => view! { <TownshipPhones /> }.into_any(),
                    _ => view! { <InviteForm /> }.into_any(),
                }
            >
                <TownshipFilter query=state.query on_change=Callback::new(move |()| state.refresh()) />
                <div class="township-actions">
                    <ExportButton request=export(RecordKind::Visits) testid="export-visits" label=("导出走访 Excel", "Export visits (Excel)") />
                    <ExportButton request=export(RecordKind::Children) testid="export-children" label=("导出儿童 Excel", "Export children (Excel)") />
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

/// The township's children as read so far.
#[component]
fn ChildLines(state: TownshipState) -> impl IntoView {
    let lang = use_lang();
    let list = state.children.pages;
    let lines = move || {
        let lang = lang.get();
        list.with(|list| list.items.iter().map(|listing| child_listing_row(listing, lang)).collect_view())
    };
    view! {
        <p class="muted list-count" data-testid="children-total">{move || count_text(list.with(|l| (l.items.len(), l.total)), lang.get())}</p>
        <ul class="records township-children" data-testid="township-children">{lines}</ul>
        <MoreButton state loading=state.children.asking remaining=state.children.remaining() />
    }
}

/// The township's visits as read so far, the latest first.
#[component]
fn VisitLines(state: TownshipState) -> impl IntoView {
    let lang = use_lang();
    let list = state.visits.pages;
    let lines = move || {
        let lang = lang.get();
        state.names.with(|names| {
            list.with(|list| {
                list.items
                    .iter()
                    .map(|listing| {
                        let name = names.get(&listing.child_id).map(String::as_str);
                        visit_listing_row(listing, name, true, lang)
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <p class="muted list-count" data-testid="visits-total">{move || count_text(list.with(|l| (l.items.len(), l.total)), lang.get())}</p>
        <ul class="records township-visits" data-testid="township-visits">{lines}</ul>
        <MoreButton state loading=state.visits.asking remaining=state.visits.remaining() />
    }
}

/// "More (N more)" while the server holds more; "Loading…" while a page is read.
#[component]
fn MoreButton(state: TownshipState, loading: RwSignal<Option<ListFilter>>, remaining: Signal<Option<u64>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        if loading.with(Option::is_some) {
            return Some(view! { <Loading testid="township-loading" /> }.into_any());
        }
        remaining.get().map(|more| {
            view! {
                <button type="button" class="secondary show-more" data-testid="township-more" on:click=move |_| state.load_more()>
                    {match lang.get() {
                        Lang::ZhCn => format!("更多（还有 {more} 条）"),
                        Lang::En => format!("More ({more} more)"),
                    }}
                </button>
            }
            .into_any()
        })
    }
}

/// "12 of 30 shown".
fn count_text((shown, total): (usize, u64), lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!("共 {total} 条，已显示 {shown} 条"),
        Lang::En => format!("{shown} of {total} shown"),
    }
}
