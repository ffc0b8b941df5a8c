//! The township's lists as read so far, a page at a time.

use leptos::prelude::*;
use tongxing_core::wire::ListFilter;
use tongxing_core::Lang;

use super::{child_listing_row, visit_listing_row, Loading};
use crate::context::use_lang;
use crate::screen_state::TownshipState;

/// The township's children as read so far.
#[component]
pub fn ChildLines(state: TownshipState) -> impl IntoView {
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
pub fn VisitLines(state: TownshipState) -> impl IntoView {
    let lang = use_lang();
    let list = state.visits.pages;
    let lines = move || {
        let lang = lang.get();
        list.with(|list| list.items.iter().map(|listing| visit_listing_row(listing, true, lang)).collect_view())
    };
    view! {
        <p class="muted list-count" data-testid="visits-total">{move || count_text(list.with(|l| (l.items.len(), l.total)), lang.get())}</p>
        <ul class="records township-visits" data-testid="township-visits">{lines}</ul>
        <MoreButton state loading=state.visits.asking remaining=state.visits.remaining() />
    }
}

/// "More (N more)" while the server holds more; "Loading…" while a page is read.
#[component]
fn MoreButton(
    state: TownshipState,
    loading: RwSignal<Option<ListFilter>>,
    remaining: Signal<Option<u64>>,
) -> impl IntoView {
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
