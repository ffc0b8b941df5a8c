//! Every visit on this phone: the ones begun but not saved, then every saved visit, newest
//! first, with whether it has reached the server (and, when the server refused it, why).

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::components::A;
use tongxing_core::outbox::EntryState;
use tongxing_core::{Lang, VisitDraft};
use uuid::Uuid;

use crate::components::{draft_row, visit_summary_row, Loading};
use crate::context::{use_lang, Db};
use crate::ids::new_uuid;
use crate::storage::{StorageError, VisitRow};
use crate::sync::SyncDriver;

/// How many visits are drawn before "show more".
const PAGE: usize = 100;

/// Which visits the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    All,
    /// Not yet on the server.
    Waiting,
    /// Refused by the server: the worker must look.
    NeedsAttention,
}

impl Filter {
    const ALL: [Filter; 3] = [Filter::All, Filter::Waiting, Filter::NeedsAttention];

    fn code(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Waiting => "waiting",
            Filter::NeedsAttention => "needs_attention",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        match self {
            Filter::All => lang.pick("全部", "All"),
            Filter::Waiting => lang.pick("未上传", "Not sent"),
            Filter::NeedsAttention => lang.pick("需要处理", "Needs attention"),
        }
    }

    fn keeps(self, row: &VisitRow) -> bool {
        let state = row.entry.as_ref().map(|e| e.state);
        match self {
            Filter::All => true,
            Filter::Waiting => !matches!(state, Some(EntryState::Sent)),
            Filter::NeedsAttention => matches!(state, Some(EntryState::NeedsAttention)),
        }
    }
}

/// What the list shows.
#[derive(Debug, Clone)]
struct Records {
    drafts: Vec<VisitDraft>,
    visits: Vec<VisitRow>,
    names: HashMap<Uuid, String>,
}

/// The list at `/visits`.
#[component]
pub fn VisitListPage() -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let sync = expect_context::<SyncDriver>();
    let records = LocalResource::new(move || {
        sync.changes.track();
        let db = db.get();
        async move {
            let drafts = db.drafts().await?;
            let visits = db.visit_rows().await?;
            let names = db.children().await?.into_iter().map(|c| (c.id, c.name)).collect();
            Ok::<_, StorageError>(Records { drafts, visits, names })
        }
    });

    view! {
        <section class="page visit-list">
            <h1>{move || lang.get().pick("走访记录", "Visits")}</h1>
            // A visit begun here asks which child it is about, and can add a new child.
            <A href=move || format!("/visits/{}", new_uuid()) attr:class="button new-visit" attr:data-testid="new-visit">
                {move || lang.get().pick("＋ 新走访", "+ New visit")}
            </A>
            <Transition fallback=move || view! { <Loading /> }>
                {move || {
                    records
                        .get()
                        .map(|loaded| match loaded {
                            Ok(records) => view! { <RecordLists records /> }.into_any(),
                            Err(error) => view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> }.into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn RecordLists(records: Records) -> impl IntoView {
    let lang = use_lang();
    let Records { drafts, visits, names } = records;
    let names = StoredValue::new(names);
    let visits = StoredValue::new(visits);
    let filter = RwSignal::new(Filter::All);
    let limit = RwSignal::new(PAGE);
    let empty = drafts.is_empty() && visits.with_value(Vec::is_empty);
    let counts = visits.with_value(|v| Filter::ALL.map(|f| v.iter().filter(|row| f.keeps(row)).count()));
    let name_of = move |id: Option<Uuid>| id.and_then(|id| names.with_value(|n| n.get(&id).cloned()));

    let drafts_view = move || {
        let lang = lang.get();
        (!drafts.is_empty()).then(|| {
            view! {
                <h2>{lang.pick("未保存的走访", "Visits not saved yet")}</h2>
                <ul class="records drafts" data-testid="draft-list">
                    {drafts.iter().map(|d| draft_row(d, name_of(d.child_id), lang)).collect_view()}
                </ul>
            }
        })
    };
    let visits_view = move || {
        let lang = lang.get();
        let filter = filter.get();
        let shown = limit.get();
        visits.with_value(|all| {
            let kept: Vec<&VisitRow> = all.iter().filter(|row| filter.keeps(row)).collect();
            let more = kept.len().saturating_sub(shown);
            view! {
                <ul class="records visits" data-testid="visit-list">
                    {kept
                        .iter()
                        .take(shown)
                        .map(|row| {
                            let name = name_of(Some(row.summary.child_id)).unwrap_or_else(|| lang.pick("（档案不在本机）", "(file not on this phone)").to_owned());
                            visit_summary_row((*row).clone(), Some(name), "visit-item", lang)
                        })
                        .collect_view()}
                </ul>
                {(more > 0).then(|| view! {
                    <button type="button" class="secondary show-more" data-testid="show-more-visits" on:click=move |_| limit.update(|l| *l += PAGE)>
                        {match lang {
                            Lang::ZhCn => format!("显示更多（还有 {more} 条）"),
                            Lang::En => format!("Show more ({more} more)"),
                        }}
                    </button>
                })}
            }
        })
    };

    view! {
        <Show when=move || empty>
            <p class="empty" data-testid="empty-list">
                {move || lang.get().pick("还没有走访记录。在“待访”里选一名儿童开始走访。", "No visits yet. Pick a child under “Due” to start one.")}
            </p>
        </Show>
        {drafts_view}
        <Show when=move || !visits.with_value(Vec::is_empty)>
            <h2>{move || lang.get().pick("已保存的走访", "Saved visits")}</h2>
            <div class="filters" role="group">
                {Filter::ALL
                    .into_iter()
                    .zip(counts)
                    .map(|(f, count)| view! {
                        <button
                            type="button"
                            class="filter"
                            class:chosen=move || filter.get() == f
                            aria-pressed=move || (filter.get() == f).to_string()
                            data-testid=format!("visit-filter-{}", f.code())
                            on:click=move |_| {
                                filter.set(f);
                                limit.set(PAGE);
                            }
                        >
                            {move || format!("{} {count}", f.label(lang.get()))}
                        </button>
                    })
                    .collect_view()}
            </div>
            {visits_view}
        </Show>
    }
}
