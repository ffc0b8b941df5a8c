//! The supervisor's "to reconcile" list (待核对): her township's children's files that two
//! phones changed in the same field to different values, the second edit kept aside. Each
//! shows the differing fields side by side (core's `supervision::differences`), who sent
//! each version, and two buttons: keep the file as it stands, or take the other phone's
//! version. Her pick becomes the file's next revision, which every phone of the child
//! receives; the list is read again.

use leptos::prelude::*;
use tongxing_core::supervision::{differences, TownshipProblem, TownshipRequest};
use tongxing_core::wire::{Reconcile, ReconcileChoice, ToReconcile};
use tongxing_core::Lang;

use super::{Loading, ProblemNotice};
use crate::context::use_lang;
use crate::township_client::TownshipClient;

/// What the tab holds.
#[derive(Clone, Copy)]
struct ReconcileState {
    items: RwSignal<Option<Vec<ToReconcile>>>,
    problem: RwSignal<Option<TownshipProblem>>,
    /// The kept-aside edit whose pick is under way.
    busy: RwSignal<Option<i64>>,
}

impl ReconcileState {
    fn load(self) {
        self.problem.set(None);
        leptos::task::spawn_local(async move {
            match TownshipClient::new().read::<Vec<ToReconcile>>(&TownshipRequest::ToReconcile).await {
                Ok(items) => drop(self.items.try_set(Some(items))),
                Err(problem) => drop(self.problem.try_set(Some(problem))),
            }
        });
    }

    /// Keeps `keep` of the file with the kept-aside edit `id`, as it stood at `held_revision`,
    /// then reads the list again (a file changed since it was read is refused, and the list
    /// read again shows it as it is now).
    fn pick(self, id: i64, held_revision: u32, keep: ReconcileChoice) {
        if self.busy.get_untracked().is_some() {
            return;
        }
        let pick = Reconcile { keep, held_revision };
        self.busy.set(Some(id));
        self.problem.set(None);
        leptos::task::spawn_local(async move {
            let outcome = TownshipClient::new().reconcile(id, &pick).await;
            self.busy.try_set(None);
            if let Err(problem) = outcome {
                self.problem.try_set(Some(problem));
            }
            self.load();
        });
    }
}

/// The list.
#[component]
pub fn TownshipReconcile() -> impl IntoView {
    let lang = use_lang();
    let state = ReconcileState { items: RwSignal::new(None), problem: RwSignal::new(None), busy: RwSignal::new(None) };
    state.load();
    view! {
        <div class="township-reconcile" data-testid="township-reconcile">
            {move || state.problem.get().map(|problem| view! { <ProblemNotice problem /> })}
            <p class="muted">{move || lang.get().pick(
                "两部手机把同一份档案的同一项改成了不同的内容：请看两份，选一份保留。您选的会成为这份档案的新版本，发到照看这名儿童的每部手机。",
                "Two phones changed the same field of a child's file differently: look at both and keep one. Your choice becomes the file's next version, sent to every phone that cares for the child.",
            )}</p>
            {move || {
                let lang = lang.get();
                state.items.with(|items| match items {
                    None => view! { <Loading /> }.into_any(),
                    Some(items) if items.is_empty() => view! {
                        <p class="muted" data-testid="reconcile-empty">{lang.pick("没有需要核对的档案。", "No file to reconcile.")}</p>
                    }
                    .into_any(),
                    Some(items) => view! {
                        <ul class="records" data-testid="reconcile-list">
                            {items.iter().map(|item| reconcile_item(state, item, lang)).collect_view()}
                        </ul>
                    }
                    .into_any(),
                })
            }}
        </div>
    }
}

/// One file: its name, the two versions field by field, and the two picks.
fn reconcile_item(state: ReconcileState, item: &ToReconcile, lang: Lang) -> impl IntoView {
    let by = |name: &Option<String>| name.clone().unwrap_or_else(|| lang.pick("（不详）", "(unknown)").to_owned());
    let (held_by, kept_aside_by) = (by(&item.held_by), by(&item.kept_aside_by));
    let rows = differences(item, lang)
        .into_iter()
        .map(|line| {
            view! {
                <tr data-field=line.field>
                    <th scope="row">{line.label}</th>
                    <td data-testid="reconcile-held">{line.held}</td>
                    <td data-testid="reconcile-kept-aside">{line.kept_aside}</td>
                </tr>
            }
        })
        .collect_view();
    let (id, held_revision) = (item.id, item.held.revision);
    let busy = move || state.busy.get() == Some(id);
    view! {
        <li class="reconcile-item" data-testid="reconcile-item">
            <h3>{item.held.name.clone()}</h3>
            <table class="reconcile-versions">
                <thead>
                    <tr>
                        <th></th>
                        <th>{format!("{}（{held_by}）", lang.pick("现在的", "As it stands"))}</th>
                        <th>{format!("{}（{kept_aside_by}）", lang.pick("另一份", "The other"))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <div class="reconcile-actions">
                <button type="button" class="secondary" data-testid="reconcile-keep-held" disabled=busy
                    on:click=move |_| state.pick(id, held_revision, ReconcileChoice::Held)>
                    {lang.pick("保留现在的", "Keep as it stands")}
                </button>
                <button type="button" class="primary" data-testid="reconcile-take-other" disabled=busy
                    on:click=move |_| state.pick(id, held_revision, ReconcileChoice::KeptAside)>
                    {lang.pick("采用另一份", "Take the other")}
                </button>
            </div>
        </li>
    }
}
