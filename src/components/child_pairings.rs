//! "结对 Paired with", on a child's page: the love mothers and volunteers paired with the
//! child, as the phone holds them (offline too). On a director's phone, a button opens the
//! picker of her village's love mothers and volunteers (read from the server: it needs a
//! connection), and each pairing can be ended; both are saved on the phone and sent by the
//! outbox like any record. A love mother's phone says only that the child is paired with her.

use leptos::prelude::*;
use tongxing_core::outbox::Clock;
use tongxing_core::pairing::{pickable, Pairing};
use tongxing_core::village_workers::{self, WorkersReadProblem};
use tongxing_core::wire::VillageWorker;
use tongxing_core::{Lang, Worker};
use uuid::Uuid;

use crate::context::{use_enrolled, use_lang, Db};
use crate::ids::new_uuid;
use crate::storage::{enrolment, PairingRow, Settings, StorageError};
use crate::sync::{BrowserClock, HttpTransport, SyncDriver};

/// Where the picker is.
#[derive(Debug, Clone, PartialEq)]
enum Picker {
    Closed,
    Loading,
    Ready(Vec<VillageWorker>),
    Problem(WorkersReadProblem),
}

/// The child's pairings, and a director's controls.
#[component]
pub fn ChildPairings(child: Uuid) -> impl IntoView {
    let lang = use_lang();
    let db = expect_context::<Db>();
    let sync = expect_context::<SyncDriver>();
    let me = use_enrolled();
    let saved = RwSignal::new(0_u32);
    let rows = LocalResource::new(move || {
        // Pairings arrive with a pull and leave with a save.
        sync.changes.track();
        saved.track();
        let db = db.get();
        async move { db.pairings_of(child).await }
    });
    let picker = RwSignal::new(Picker::Closed);
    let problem = RwSignal::new(None::<StorageError>);

    let save = move |pairing: Pairing, worker: Option<VillageWorker>| {
        let db = db.get();
        leptos::task::spawn_local(async move {
            match db.save_pairing(&pairing, worker.as_ref(), BrowserClock.now()).await {
                Ok(_) => {
                    problem.set(None);
                    picker.set(Picker::Closed);
                    saved.update(|n| *n += 1);
                    sync.saved();
                }
                Err(error) => problem.set(Some(error)),
            }
        });
    };
    let open_picker = move |_| {
        picker.set(Picker::Loading);
        leptos::task::spawn_local(async move { picker.set(read_workers().await) });
    };

    move || {
        let lang = lang.get();
        let Some(worker) = me.get() else { return ().into_any() };
        let rows = match rows.get() {
            Some(Ok(rows)) => rows,
            Some(Err(error)) => {
                return view! { <p class="error" role="alert">{error.message(lang)}</p> }.into_any();
            }
            None => return ().into_any(),
        };
        if !worker.role.pairs_workers() {
            return paired_with_me(&rows, &worker, lang).into_any();
        }
        let held: Vec<Pairing> = rows.iter().map(|row| row.pairing.clone()).collect();
        view! {
            <section class="child-pairings" data-testid="child-pairings">
                <h2>{lang.pick("结对", "Paired with")}</h2>
                {if rows.is_empty() {
                    view! { <p class="muted" data-testid="pairings-empty">{lang.pick("还没有结对的爱心妈妈或志愿者", "No love mother or volunteer is paired yet")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="records pairings">
                            {rows.into_iter().map(|row| {
                                let held = row.pairing.clone();
                                let end = move |_| {
                                    let question = lang.pick("确定结束这个结对吗？她的手机将不再收到这名儿童的档案。", "End this pairing? Her phone will no longer receive this child's file.");
                                    if window().confirm_with_message(question).unwrap_or(false) {
                                        save(held.ended(BrowserClock::local_now()), None);
                                    }
                                };
                                view! {
                                    <li class="pairing" data-testid="pairing" data-worker-id=row.pairing.worker_id.to_string()>
                                        <span class="pairing-name">{worker_label(row.worker.as_ref(), lang)}</span>
                                        <button type="button" class="secondary" data-testid="end-pairing" on:click=end>
                                            {lang.pick("结束结对", "End pairing")}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                {move || problem.get().map(|error| view! { <p class="error" role="alert">{error.message(lang)}</p> })}
                {move || match picker.get() {
                    Picker::Closed => view! {
                        <button type="button" class="secondary" data-testid="pair-worker" on:click=open_picker>
                            {lang.pick("结对", "Pair")}
                        </button>
                    }.into_any(),
                    Picker::Loading => view! { <crate::components::Loading /> }.into_any(),
                    Picker::Problem(why) => view! {
                        <p class="error" role="alert" data-testid="pairing-picker-problem" data-problem=why.code()>{why.message(lang)}</p>
                        <button type="button" class="secondary" data-testid="pair-worker" on:click=open_picker>
                            {lang.pick("再试一次", "Try again")}
                        </button>
                    }.into_any(),
                    Picker::Ready(workers) => {
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
                                            save(Pairing::new(id, child, worker.id, BrowserClock::local_now()), Some(worker.clone()))
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
                }}
            </section>
        }
        .into_any()
    }
}

/// A love mother's or volunteer's phone: whether the child is paired with her.
fn paired_with_me(rows: &[PairingRow], me: &Worker, lang: Lang) -> impl IntoView {
    rows.iter().any(|row| row.pairing.worker_id == me.id).then(|| {
        view! { <p class="muted" data-testid="paired-with-me">{lang.pick("与你结对", "Paired with you")}</p> }
    })
}

/// `赵妈妈（爱心妈妈）`; a worker the phone knows no name of yet is "a worker".
fn worker_label(worker: Option<&VillageWorker>, lang: Lang) -> String {
    match worker {
        Some(worker) => format!("{}（{}）", worker.name, worker.role.label(lang)),
        None => lang.pick("（名字还没有同步）", "(name not synced yet)").to_owned(),
    }
}

/// The village's love mothers and volunteers, from the server the phone joined.
async fn read_workers() -> Picker {
    let Some(enrolled) = enrolment::load() else { return Picker::Problem(WorkersReadProblem::MustRejoin) };
    let transport = HttpTransport::new(enrolled.server.clone(), Some(&enrolled), Settings::load().lang);
    match village_workers::read_workers(transport.get(&village_workers::path()).await) {
        Ok(workers) => Picker::Ready(workers),
        Err(problem) => Picker::Problem(problem),
    }
}
