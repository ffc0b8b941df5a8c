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
    let end = move |held: Pairing| {
        let question = lang.get_untracked().pick(
            "确定结束这个结对吗？她的手机将不再收到这名儿童的档案。",
            "End this pairing? Her phone will no longer receive this child's file.",
        );
        if window().confirm_with_message(question).unwrap_or(false) {
            save.run((held.ended(BrowserClock::local_now()), None));
        }
    };
    view! {
        <section class="child-pairings" data-testid="child-pairings">
            <h2>{move || lang.get().pick("结对", "Paired with")}</h2>
            {move || {
                let lang = lang.get();
                let rows = rows.get();
                if rows.is_empty() {
                    return view! { <p class="muted" data-testid="pairings-empty">{lang.pick("还没有结对的爱心妈妈或志愿者", "No love mother or volunteer is paired yet")}</p> }.into_any();
                }
                view! {
                    <ul class="records pairings">
                        {rows.into_iter().map(|row| {
                            let held = row.pairing.clone();
                            view! {
                                <li class="pairing" data-testid="pairing" data-worker-id=row.pairing.worker_id.to_string()>
                                    <span class="pairing-name">{worker_label(row.worker.as_ref(), lang)}</span>
                                    <button type="button" class="secondary" data-testid="end-pairing" on:click=move |_| end(held.clone())>
                                        {lang.pick("结束结对", "End pairing")}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {move || problem.get().map(|sentence| view! { <p class="error" role="alert" data-testid="pairing-problem">{sentence}</p> })}
            {move || {
                let lang = lang.get();
                let open_button = move |label: &'static str| view! {
                    <button type="button" class="secondary" data-testid="pair-worker" on:click=move |_| open.run(())>{label}</button>
                };
                match picker.get() {
                    Picker::Closed => open_button(lang.pick("结对", "Pair")).into_any(),
                    Picker::Loading => view! { <crate::components::Loading /> }.into_any(),
                    Picker::Problem { code, message } => view! {
                        <p class="error" role="alert" data-testid="pairing-picker-problem" data-problem=code>{message}</p>
                        {open_button(lang.pick("再试一次", "Try again"))}
                    }.into_any(),
                    Picker::Ready(workers) => {
                        let held: Vec<Pairing> = rows.with(|rows| rows.iter().map(|row| row.pairing.clone()).collect());
                        let offered: Vec<VillageWorker> = pickable(&workers, &held, child).into_iter().cloned().collect();
                        view! {
                            <div class="pairing-picker" data-testid="pairing-picker">
                                {offered.is_empty().then(|| view! {
                                    <p class="muted">{lang.pick("本村没有可以结对的爱心妈妈或志愿者（她们要先加入）", "No love mother or volunteer of the village to pair (they join first)")}</p>
                                })}
                                <ul class="records">
                                    {offered.into_iter().map(|worker| {
                                        // One id per offer: a second tap saves the same pairing again.
                                        let id = new_uuid();
                                        let label = worker_label(Some(&worker), lang);
                                        let pick = move |_| {
                                            save.run((Pairing::new(id, child, worker.id, BrowserClock::local_now()), Some(worker.clone())))
                                        };
                                        view! {
                                            <li><button type="button" class="secondary" data-testid="pairing-choice" on:click=pick>{label}</button></li>
                                        }
                                    }).collect_view()}
                                </ul>
                                <button type="button" class="secondary" data-testid="pairing-picker-close" on:click=move |_| picker.set(Picker::Closed)>
                                    {lang.pick("取消", "Cancel")}
                                </button>
                            </div>
                        }.into_any()
                    }
                }
            }}
        </section>
    }
}

/// `赵妈妈（爱心妈妈）`; a worker whose name has not reached this phone yet says so.
fn worker_label(worker: Option<&VillageWorker>, lang: Lang) -> String {
    match worker {
        Some(worker) => format!("{}（{}）", worker.name, worker.role.label(lang)),
        None => lang.pick("（名字还没有同步）", "(name not synced yet)").to_owned(),
    }
}
