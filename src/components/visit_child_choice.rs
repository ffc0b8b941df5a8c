//! Which child a visit is about: their name and a way to choose another, or the list to
//! choose from.

use leptos::prelude::*;
use leptos_router::components::A;
use tongxing_core::child::Child;
use uuid::Uuid;

use super::{ChildPicker, Loading, CHILD_HEADER_ID};
use crate::context::{use_lang, Db};
use crate::storage::StorageError;

/// The visit's child (`child_id`, `None`: not chosen yet) with its error, or the list of
/// children while `picking`.
#[component]
pub fn VisitChildChoice(
    visit_id: Uuid,
    child_id: Memo<Option<Uuid>>,
    picking: RwSignal<bool>,
    on_choose: Callback<Uuid>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <section class="visit-child" id=CHILD_HEADER_ID class:has-error=move || error.with(Option::is_some)>
            {move || match (child_id.get(), picking.get()) {
                (Some(child), false) => view! { <ChildHeader child_id=child on_change=Callback::new(move |()| picking.set(true)) /> }.into_any(),
                (current, _) => view! { <ChildChooser visit_id current on_choose on_cancel=Callback::new(move |()| picking.set(false)) /> }.into_any(),
            }}
            {move || error.get().map(|text| view! { <p class="field-error" role="alert" data-testid="error-child_id">{text}</p> })}
        </section>
    }
}

/// The child the visit is about: their name, and a way to choose another.
#[component]
fn ChildHeader(child_id: Uuid, on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let child = LocalResource::new(move || {
        let db = db.get();
        async move { db.child(child_id).await }
    });
    let name = move || {
        child.get().map(|found| match found {
            Ok(Some(child)) => child.name,
            Ok(None) => {
                lang.get().pick("（本机没有这个儿童的档案）", "(this child's file is not on this phone)").to_owned()
            }
            Err(error) => error.message(lang.get()),
        })
    };
    view! {
        <p class="visit-child-line">
            <span class="visit-child-label">{move || lang.get().pick("走访儿童：", "Child: ")}</span>
            <A href=format!("/children/{child_id}") attr:class="visit-child-name" attr:data-testid="visit-child-name">
                <Suspense fallback=|| "…">{name}</Suspense>
            </A>
            <button type="button" class="change-child" data-testid="change-child" on:click=move |_| on_change.run(())>
                {move || lang.get().pick("更换", "Change")}
            </button>
        </p>
    }
}

/// The list of children to choose from, loaded when it is shown.
#[component]
fn ChildChooser(
    visit_id: Uuid,
    current: Option<Uuid>,
    on_choose: Callback<Uuid>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let children = LocalResource::new(move || {
        let db = db.get();
        async move { db.children().await }
    });
    view! {
        <Suspense fallback=move || view! { <Loading /> }>
            {move || {
                children
                    .get()
                    .map(|found: Result<Vec<Child>, StorageError>| match found {
                        Ok(children) => view! { <ChildPicker children visit_id on_choose /> }.into_any(),
                        Err(error) => view! { <p class="error" role="alert">{move || error.message(lang.get())}</p> }.into_any(),
                    })
            }}
        </Suspense>
        {current.map(|_| {
            view! {
                <button type="button" class="secondary" data-testid="keep-child" on:click=move |_| on_cancel.run(())>
                    {move || lang.get().pick("不更换", "Keep the child")}
                </button>
            }
        })}
    }
}
