//! "结对 Paired with" as the one who pairs sees it (a director on her phone, a supervisor in
//! the oversight app): the pairings that hold for a child, by name and role, 结束结对 on each,
//! and 结对 opening a picker of the village's love mothers and volunteers. Where the lines
//! come from, where the picker's list is read and where a pairing is saved are the caller's.

use leptos::prelude::*;
use tongxing_core::pairing::{pickable, PairedWith, Pairing};
use tongxing_core::wire::VillageWorker;
use tongxing_core::Lang;
use uuid::Uuid;

use crate::context::use_lang;
use crate::ids::new_uuid;
use crate::sync::BrowserClock;

/// Where the picker is.
#[derive(Debug, Clone, PartialEq)]
pub enum Picker {
    Closed,
    Loading,
    Ready(Vec<VillageWorker>),
    /// The list could not be read: a stable code (for tests and styles) and the sentence.
    Problem {
        code: &'static str,
        message: String,
    },
}

/// The section: `rows` as they stand; `open` reads the picker's list into `picker`; `save`
/// keeps a pairing set (with the worker picked) or ended; `problem` says why a save failed.
/// Drawn whole by one closure, with one kind of button: a small piece of the app.
#[component]
pub fn PairingControls(
    child: Uuid,
    #[prop(into)] rows: Signal<Vec<PairedWith>>,
    picker: RwSignal<Picker>,
    open: Callback<()>,
    save: Callback<(Pairing, Option<VillageWorker>)>,
    #[prop(into)] problem: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    move || {
        let lang = lang.get();
        let rows = rows.get();
        let held: Vec<Pairing> = rows.iter().map(|row| row.pairing.clone()).collect();
        let lines = rows.into_iter().map(|row| {
            let ending = row.pairing.clone();
            let end = Callback::new(move |()| {
                let question = lang.pick(
                    "确定结束这个结对吗？她的手机将不再收到这名儿童的档案。",
                    "End this pairing? Her phone will no longer receive this child's file.",
                );
                if window().confirm_with_message(question).unwrap_or(false) {
                    save.run((ending.ended(BrowserClock::local_now()), None));
                }
            });
            view! {
                <li class="pairing" data-testid="pairing" data-worker-id=row.pairing.worker_id.to_string()>
                    <span class="pairing-name">{worker_label(row.worker.as_ref(), lang)}</span>
                    {button("end-pairing", lang.pick("结束结对", "End pairing").to_owned(), end)}
                </li>
            }
        });
        let picking = match picker.get() {
            Picker::Closed => vec![button("pair-worker", lang.pick("结对", "Pair").to_owned(), open)],
            Picker::Loading => vec![view! { <crate::components::Loading /> }.into_any()],
            Picker::Problem { code, message } => vec![
                view! { <p class="error" role="alert" data-testid="pairing-picker-problem" data-problem=code>{message}</p> }.into_any(),
                button("pair-worker", lang.pick("再试一次", "Try again").to_owned(), open),
            ],
            Picker::Ready(workers) => {
                let mut offered: Vec<AnyView> = pickable(&workers, &held, child)
                    .into_iter()
                    .map(|worker| {
                        // One id per offer: a second tap saves the same pairing again.
                        let (id, worker) = (new_uuid(), worker.clone());
                        let label = worker_label(Some(&worker), lang);
                        let pick = Callback::new(move |()| {
                            save.run((Pairing::new(id, child, worker.id, BrowserClock::local_now()), Some(worker.clone())))
                        });
                        button("pairing-choice", label, pick)
                    })
                    .collect();
                if offered.is_empty() {
                    let none = lang.pick("本村没有可以结对的爱心妈妈或志愿者（她们要先加入）", "No love mother or volunteer of the village to pair (they join first)");
                    offered.push(view! { <p class="muted">{none}</p> }.into_any());
                }
                offered.push(button("pairing-picker-close", lang.pick("取消", "Cancel").to_owned(), Callback::new(move |()| picker.set(Picker::Closed))));
                vec![view! { <div class="pairing-picker" data-testid="pairing-picker">{offered}</div> }.into_any()]
            }
        };
        let empty = held.is_empty().then(|| {
            view! { <p class="muted" data-testid="pairings-empty">{lang.pick("还没有结对的爱心妈妈或志愿者", "No love mother or volunteer is paired yet")}</p> }
        });
        view! {
            <section class="child-pairings" data-testid="child-pairings">
                <h2>{lang.pick("结对", "Paired with")}</h2>
                {empty}
                <ul class="records pairings">{lines.collect_view()}</ul>
                {problem.get().map(|sentence| view! { <p class="error" role="alert" data-testid="pairing-problem">{sentence}</p> })}
                {picking}
            </section>
        }
    }
}

/// The section's one kind of button.
fn button(testid: &'static str, label: String, run: Callback<()>) -> AnyView {
    view! { <button type="button" class="secondary" data-testid=testid on:click=move |_| run.run(())>{label}</button> }
        .into_any()
}

/// `赵妈妈（爱心妈妈）`; a worker whose name has not reached this phone yet says so.
fn worker_label(worker: Option<&VillageWorker>, lang: Lang) -> String {
    match worker {
        Some(worker) => format!("{}（{}）", worker.name, worker.role.label(lang)),
        None => lang.pick("（名字还没有同步）", "(name not synced yet)").to_owned(),
    }
}
