//! The home screen: who is due. Children grouped red, overdue, due this week and later, this
//! month's round on top, the case plans' actions due, a search by name, and a quick way to
//! add a child or start a visit.
//!
//! It stays quick with hundreds of children: the statuses read last are drawn at once
//! ([`DueListCache`]) while storage is read again; the due list is built once per read
//! ([`DueList::build`]); a search filters that list without reading storage; lines are plain
//! markup with one click handler for the whole list; and long groups show their first
//! [`GROUP_PAGE`] lines with a "show more". `scripts/bench-due-list.sh` measures it.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use tongxing_core::case_plan::{actions_due, DueAction, DUE_SOON_DAYS};
use tongxing_core::schedule::{Cadence, ChildStatus, DueGroup, DueList, MonthProgress};
use tongxing_core::Lang;
use uuid::Uuid;
use wasm_bindgen::JsCast;

use crate::components::{
    due_entry_row, DueActions, InAppHint, InAppHintKind, JoinBanner, Loading, MonthProgressBar, SearchBox, START_VISIT,
};
use crate::context::{use_lang, Db};
use crate::ids::new_uuid;
use crate::screen_state::DueListCache;
use crate::storage::StorageError;
use crate::sync::{BrowserClock, SyncDriver};

/// How many lines of a group are drawn before "show more": a phone lays out a few hundred
/// lines of Chinese text slowly, and a screen shows about eight.
pub const GROUP_PAGE: usize = 50;

/// The due list at `/`.
#[component]
pub fn DueListPage() -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>().get();
    let cache = use_context::<DueListCache>().unwrap_or_default();
    let statuses = RwSignal::new(cache.0.get_value());
    let problem = RwSignal::new(None::<StorageError>);
    let actions = RwSignal::new(Vec::<DueAction>::new());
    // Kept here so that a redraw with fresher data keeps what the worker typed and opened.
    let query = RwSignal::new(String::new());
    let limits = RwSignal::new([GROUP_PAGE; DueGroup::ALL.len()]);
    // Read now, and again whenever the phone's records change (a save, a send, or what a
    // pull brought from the server: another worker's visits).
    let sync = expect_context::<SyncDriver>();
    Effect::new(move |_| {
        sync.changes.track();
        let db = db.clone();
        leptos::task::spawn_local(async move {
            match db.child_statuses().await {
                Ok(fresh) => {
                    if statuses.try_with_untracked(|shown| shown.as_ref() != Some(&fresh)).unwrap_or(false) {
                        cache.0.set_value(Some(fresh.clone()));
                        statuses.try_set(Some(fresh));
                    }
                }
                Err(error) => {
                    problem.try_set(Some(error));
                }
            }
            if let Ok(plans) = db.case_plans().await {
                let within = chrono::Duration::days(DUE_SOON_DAYS);
                actions.try_set(actions_due(&plans, BrowserClock::local_now(), within));
            }
        });
    });

    view! {
        <section class="page due-list-page">
            <JoinBanner />
            <InAppHint kind=InAppHintKind::Storage />
            {move || problem.get().map(|error| view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> })}
            <DueActions due=actions statuses />
            {move || match statuses.get() {
                Some(statuses) => view! { <DueBoard statuses query limits /> }.into_any(),
                None => view! { <Loading /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn DueBoard(
    statuses: Vec<ChildStatus>,
    query: RwSignal<String>,
    /// How many lines each group draws, by the group's index in `DueGroup::ALL`.
    limits: RwSignal<[usize; DueGroup::ALL.len()]>,
) -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let today = BrowserClock::local_now().date_naive();
    let progress = MonthProgress::of(&statuses, today);
    let list = StoredValue::new(DueList::build(&statuses, today, &Cadence::standard()));
    let no_children = statuses.is_empty();
    drop(statuses);
    let shown = Memo::new(move |_| {
        let query = query.get();
        list.with_value(|list| if query.trim().is_empty() { list.clone() } else { list.search(&query) })
    });

    // One handler for every "visit" button of the list.
    let start_visit = move |ev: leptos::ev::MouseEvent| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let Ok(Some(button)) = target.closest(&format!("[data-testid={START_VISIT}]")) else { return };
        let Some(child) = button.get_attribute("data-child-id").and_then(|id| Uuid::parse_str(&id).ok()) else {
            return;
        };
        ev.prevent_default();
        navigate(&format!("/visits/{}?child={child}", new_uuid()), Default::default());
    };

    let groups = move || {
        let lang = lang.get();
        let current = limits.get();
        shown.with(|list| {
            DueGroup::ALL
                .into_iter()
                .enumerate()
                .map(|(index, group)| {
                    let entries = list.group(group);
                    let limit = current[index];
                    let more = entries.len().saturating_sub(limit);
                    let show_more = move |_| limits.update(|l| l[index] += GROUP_PAGE);
                    view! {
                        <section class=format!("due-group due-{}", group.code()) data-testid=format!("due-group-{}", group.code()) data-count=entries.len().to_string()>
                            <h2>{group.label(lang)} <span class="count">{entries.len()}</span></h2>
                            {if entries.is_empty() {
                                view! { <p class="muted none">{lang.pick("无", "None")}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="due-entries">
                                        {entries.iter().take(limit).map(|entry| due_entry_row(entry, today, lang)).collect_view()}
                                    </ul>
                                }
                                .into_any()
                            }}
                            {(more > 0).then(|| view! {
                                <button type="button" class="secondary show-more" data-testid=format!("show-more-{}", group.code()) on:click=show_more>
                                    {match lang {
                                        Lang::ZhCn => format!("显示更多（还有 {more} 名）"),
                                        Lang::En => format!("Show more ({more} more)"),
                                    }}
                                </button>
                            })}
                        </section>
                    }
                })
                .collect_view()
        })
    };
    let no_match = move || !query.with(|q| q.trim().is_empty()) && shown.with(DueList::is_empty);

    view! {
        <MonthProgressBar progress />
        <div class="due-actions">
            <A href="/children/new" attr:class="button add-child" attr:data-testid="add-child">
                {move || lang.get().pick("＋ 新增儿童", "+ Add child")}
            </A>
        </div>
        {if no_children {
            view! {
                <p class="empty" data-testid="due-empty">
                    {move || lang.get().pick(
                        "还没有儿童档案。先新增您负责走访的儿童，这里就会列出谁该走访了。",
                        "No children yet. Add the children you visit, and this list will show who is due.",
                    )}
                </p>
            }
            .into_any()
        } else {
            view! {
                <SearchBox query prompt=("按姓名搜索", "Search by name") testid="due-search" class="due-search" />
                <Show when=no_match>
                    <p class="empty" data-testid="due-no-match">{move || lang.get().pick("没有找到这个名字", "No child of that name")}</p>
                </Show>
                <div class="due-list" data-testid="due-list" data-ready="true" on:click=start_visit>
                    {groups}
                </div>
            }
            .into_any()
        }}
    }
}
