//! Choosing the child a visit is about.

use leptos::prelude::*;
use leptos_router::components::A;
use tongxing_core::child::Child;
use tongxing_core::search_query::SearchQuery;
use uuid::Uuid;

use crate::components::SearchBox;
use crate::context::use_lang;

/// Every child on the phone, searchable by name (`data-testid="child-picker"`, each
/// `child-option`), and a link to add a new child that brings the worker back to this visit
/// (`add-child`, to `/children/new?visit=<visit id>`).
#[component]
pub fn ChildPicker(
    /// The children to choose from.
    children: Vec<Child>,
    /// The visit being recorded, for the way back from adding a child.
    visit_id: Uuid,
    /// Called with the chosen child's id.
    on_choose: Callback<Uuid>,
) -> impl IntoView {
    let lang = use_lang();
    let search = RwSignal::new(String::new());
    let count = children.len();
    let children = StoredValue::new(children);
    let matching = move || {
        let needle = search.with(|s| SearchQuery::new(s));
        children.with_value(|all| all.iter().filter(|c| needle.matches(&c.name)).cloned().collect::<Vec<_>>())
    };
    let options = move || {
        let found = matching();
        if found.is_empty() && count > 0 {
            return view! { <p class="empty" data-testid="child-none-found">{move || lang.get().pick("没有找到这个名字", "No child by that name")}</p> }
                .into_any();
        }
        let items = found
            .into_iter()
            .map(|child| {
                let id = child.id;
                let detail = if child.village.trim().is_empty() { String::new() } else { format!(" · {}", child.village) };
                view! {
                    <li>
                        <button type="button" class="child-option" data-testid="child-option" data-id=id.to_string() on:click=move |_| on_choose.run(id)>
                            <span class="name">{child.name.clone()}</span>
                            <span class="meta">{detail}</span>
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="child-options">{items}</ul> }.into_any()
    };
    view! {
        <section class="child-picker" data-testid="child-picker">
            <h2>{move || lang.get().pick("这次走访的是哪个孩子？", "Which child is this visit about?")}</h2>
            <Show when=move || { count > 0 }>
                <SearchBox query=search prompt=("按姓名查找", "Search by name") testid="child-search" class="child-search" />
            </Show>
            <Show when=move || { count == 0 }>
                <p class="empty">{move || lang.get().pick("手机上还没有儿童档案。", "There are no children on this phone yet.")}</p>
            </Show>
            {options}
            <A href=format!("/children/new?visit={visit_id}") attr:class="button add-child" attr:data-testid="add-child">
                {move || lang.get().pick("＋ 新增儿童", "+ Add a child")}
            </A>
        </section>
    }
}
