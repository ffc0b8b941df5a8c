//! The children's files on this phone (一童一档), by name: search, open a file, add a child.

use leptos::prelude::*;
use leptos_router::components::A;
use tongxing_core::search_query::SearchQuery;
use tongxing_core::Lang;

use crate::components::{Loading, SearchBox, SyncStateLabel};
use crate::context::{use_lang, Db};
use crate::storage::ChildRow;
use crate::sync::{BrowserClock, SyncDriver};

/// How many files are drawn before "show more".
const PAGE: usize = 100;

/// The registry at `/children`.
#[component]
pub fn ChildListPage() -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let sync = expect_context::<SyncDriver>();
    let rows = LocalResource::new(move || {
        sync.changes.track();
        let db = db.get();
        async move { db.children_with_state().await }
    });

    view! {
        <section class="page child-list-page">
            <h1>{move || lang.get().pick("儿童档案", "Children")}</h1>
            <A href="/children/new" attr:class="button add-child" attr:data-testid="add-child">
                {move || lang.get().pick("＋ 新增儿童", "+ Add child")}
            </A>
            <Transition fallback=move || view! { <Loading /> }>
                {move || {
                    rows.get()
                        .map(|loaded| match loaded {
                            Ok(rows) => view! { <ChildRows rows /> }.into_any(),
                            Err(error) => view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> }.into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn ChildRows(rows: Vec<ChildRow>) -> impl IntoView {
    let lang = use_lang();
    let today = BrowserClock::local_now().date_naive();
    let empty = rows.is_empty();
    let rows = StoredValue::new(rows);
    let query = RwSignal::new(String::new());
    let limit = RwSignal::new(PAGE);

    let list = move || {
        let lang = lang.get();
        let query = SearchQuery::new(&query.get());
        let shown = limit.get();
        rows.with_value(|rows| {
            let kept: Vec<&ChildRow> = rows
                .iter()
                .filter(|r| query.matches(&r.child.name) || query.matches(&r.child.village))
                .collect();
            let more = kept.len().saturating_sub(shown);
            view! {
                <ul class="records children" data-testid="child-list">
                    {kept.iter().take(shown).map(|row| child_line(row, today, lang)).collect_view()}
                </ul>
                {(more > 0).then(|| view! {
                    <button type="button" class="secondary show-more" data-testid="show-more-children" on:click=move |_| limit.update(|l| *l += PAGE)>
                        {match lang {
                            Lang::ZhCn => format!("显示更多（还有 {more} 名）"),
                            Lang::En => format!("Show more ({more} more)"),
                        }}
                    </button>
                })}
            }
        })
    };

    view! {
        {if empty {
            view! {
                <p class="empty" data-testid="children-empty">
                    {move || lang.get().pick("还没有儿童档案。", "No children's files yet.")}
                </p>
            }
            .into_any()
        } else {
            view! {
                <SearchBox
                    query
                    prompt=("按姓名或村搜索", "Search by name or village")
                    testid="child-search"
                    class="due-search"
                    on_change=move |()| limit.set(PAGE)
                />
                {list}
            }
            .into_any()
        }}
    }
}

fn child_line(row: &ChildRow, today: chrono::NaiveDate, lang: Lang) -> impl IntoView {
    let child = &row.child;
    let age = child.age_on(today);
    let meta = match lang {
        Lang::ZhCn => format!("{} · {age} 岁 · {}", child.sex.label(lang), child.village),
        Lang::En => format!("{} · {age} · {}", child.sex.label(lang), child.village),
    };
    view! {
        <li class="record child-record" data-testid="child-item" data-child-id=child.id.to_string()>
            <a href=format!("/children/{}", child.id)>
                <span class="name">{child.name.clone()}</span>
                <span class="meta">{meta}</span>
                <SyncStateLabel entry=row.entry.clone() />
            </a>
        </li>
    }
}
