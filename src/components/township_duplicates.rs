//! The supervisor's "may be one child" list (可能重复, 一童一档): pairs of her township's
//! children's files with the same ID number or, without one, the same name, birth date and
//! village, as the server flags them when files are stored. Each file says who registered
//! it and opens to read. Once she has checked both, she keeps one: the other's visits and
//! pairings move to it, every phone of the child receives the merge, and the list is read
//! again.

use leptos::prelude::*;
use tongxing_core::phone_app::PhoneApp;
use tongxing_core::supervision::{TownshipProblem, TownshipRequest};
use tongxing_core::wire::{DuplicateFile, MergeChildren, MergedChildren, PossibleDuplicate};
use tongxing_core::Lang;

use super::{Loading, ProblemNotice};
use crate::context::use_lang;
use crate::township_client::TownshipClient;

/// What the tab holds.
#[derive(Clone, Copy)]
struct DuplicatesState {
    pairs: RwSignal<Option<Vec<PossibleDuplicate>>>,
    problem: RwSignal<Option<TownshipProblem>>,
    /// The merge she asked for, waiting for her to confirm it, or under way.
    asked: RwSignal<Option<MergeChildren>>,
    busy: RwSignal<bool>,
    /// What the last merge moved.
    merged: RwSignal<Option<MergedChildren>>,
}

impl DuplicatesState {
    fn load(self) {
        leptos::task::spawn_local(async move {
            match TownshipClient::new().read::<Vec<PossibleDuplicate>>(&TownshipRequest::PossibleDuplicates).await {
                Ok(read) => drop(self.pairs.try_set(Some(read))),
                Err(refused) => drop(self.problem.try_set(Some(refused))),
            }
        });
    }

    /// Merges the files she confirmed, then reads the list again.
    fn merge(self) {
        let Some(pick) = self.asked.get_untracked() else { return };
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.problem.set(None);
        leptos::task::spawn_local(async move {
            let outcome = TownshipClient::new().merge(&pick).await;
            self.busy.try_set(false);
            self.asked.try_set(None);
            match outcome {
                Ok(merged) => drop(self.merged.try_set(Some(merged))),
                Err(problem) => drop(self.problem.try_set(Some(problem))),
            }
            self.load();
        });
    }
}

/// The list.
#[component]
pub fn TownshipDuplicates() -> impl IntoView {
    let lang = use_lang();
    let state = DuplicatesState {
        pairs: RwSignal::new(None),
        problem: RwSignal::new(None),
        asked: RwSignal::new(None),
        busy: RwSignal::new(false),
        merged: RwSignal::new(None),
    };
    state.load();
    view! {
        <div class="township-duplicates" data-testid="township-duplicates">
            {move || state.problem.get().map(|problem| view! { <ProblemNotice problem /> })}
            {move || state.merged.get().map(|merged| view! {
                <p class="notice" role="status" data-testid="duplicates-merged">{lang.get().pick(
                    &format!("已合并：{} 次走访、{} 个结对已并入保留的档案。", merged.visits, merged.pairings),
                    &format!("Merged: {} visits and {} pairings moved to the file kept.", merged.visits, merged.pairings),
                ).to_owned()}</p>
            })}
            <p class="muted">{move || lang.get().pick(
                "这些档案可能是同一名儿童登记了两次。请打开两份档案核实，再选保留哪一份：另一份的走访和结对会并入它，照看这名儿童的每部手机都会收到。",
                "These files may be one child registered twice. Open both to check, then choose which to keep: the other's visits and pairings move to it, and every phone that cares for the child receives it.",
            )}</p>
            {move || {
                let lang = lang.get();
                state.pairs.with(|pairs| match pairs {
                    None => view! { <Loading /> }.into_any(),
                    Some(pairs) if pairs.is_empty() => view! {
                        <p class="muted" data-testid="duplicates-empty">{lang.pick("没有可能重复的档案。", "No files that may be one child.")}</p>
                    }
                    .into_any(),
                    Some(pairs) => view! {
                        <ul class="records" data-testid="duplicate-list">
                            {pairs.iter().map(|pair| view! {
                                <li class="duplicate-pair" data-testid="duplicate-pair" data-reason=pair.reason.code()>
                                    <p class="meta">{pair.reason.label(lang)}</p>
                                    {file_line(state, &pair.first, &pair.second, lang)}
                                    {file_line(state, &pair.second, &pair.first, lang)}
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                })
            }}
        </div>
    }
}

/// One of the two files: who the child is, who registered it, the way to read it, and the
/// way to keep it (`other` merged into it), confirmed before it is sent.
fn file_line(state: DuplicatesState, file: &DuplicateFile, other: &DuplicateFile, lang: Lang) -> impl IntoView {
    let by = file.registered_by.clone().unwrap_or_else(|| lang.pick("不详", "unknown").to_owned());
    let pick = MergeChildren { keep: file.id, merge: other.id };
    let asked = move || state.asked.get() == Some(pick);
    let question = lang
        .pick(
            &format!("把另一份档案（{}，{}）的走访和结对并入这份，并移除另一份？", other.name, other.village),
            &format!(
                "Move the visits and pairings of the other file ({}, {}) to this one, and remove the other?",
                other.name, other.village
            ),
        )
        .to_owned();
    view! {
        <div class="duplicate-file-row">
            <a class="duplicate-file" data-testid="duplicate-file" href=PhoneApp::township_child_path(&file.id.to_string())>
                <strong>{file.name.clone()}</strong>
                <span class="meta">{format!("{} · {}", file.village, file.birth_date)}</span>
                <span class="meta" data-testid="duplicate-registered-by">{format!("{}{by}", lang.pick("登记人：", "Registered by "))}</span>
            </a>
            {move || if asked() {
                view! {
                    <div class="confirm" data-testid="duplicate-confirm">
                        <p>{question.clone()}</p>
                        <button type="button" class="primary" data-testid="duplicate-merge" disabled=move || state.busy.get()
                            on:click=move |_| state.merge()>
                            {lang.pick("合并", "Merge")}
                        </button>
                        <button type="button" class="secondary" disabled=move || state.busy.get()
                            on:click=move |_| state.asked.set(None)>
                            {lang.pick("取消", "Cancel")}
                        </button>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <button type="button" class="secondary" data-testid="duplicate-keep"
                        on:click=move |_| { state.merged.set(None); state.asked.set(Some(pick)); }>
                        {lang.pick("保留这份", "Keep this one")}
                    </button>
                }
                .into_any()
            }}
        </div>
    }
}
