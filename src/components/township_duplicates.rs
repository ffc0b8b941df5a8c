//! The supervisor's "may be one child" list (可能重复, 一童一档): pairs of her township's
//! children's files with the same ID number or, without one, the same name, birth date and
//! village, as the server flags them when files are stored. Each file says who registered
//! it and opens to read; she checks them and tells the directors which to keep.

use leptos::prelude::*;
use tongxing_core::phone_app::PhoneApp;
use tongxing_core::supervision::{TownshipProblem, TownshipRequest};
use tongxing_core::wire::{DuplicateFile, PossibleDuplicate};
use tongxing_core::Lang;

use super::{Loading, ProblemNotice};
use crate::context::use_lang;
use crate::township_client::TownshipClient;

/// The list.
#[component]
pub fn TownshipDuplicates() -> impl IntoView {
    let lang = use_lang();
    let pairs = RwSignal::new(None::<Vec<PossibleDuplicate>>);
    let problem = RwSignal::new(None::<TownshipProblem>);
    leptos::task::spawn_local(async move {
        match TownshipClient::new().read::<Vec<PossibleDuplicate>>(&TownshipRequest::PossibleDuplicates).await {
            Ok(read) => drop(pairs.try_set(Some(read))),
            Err(refused) => drop(problem.try_set(Some(refused))),
        }
    });
    view! {
        <div class="township-duplicates" data-testid="township-duplicates">
            {move || problem.get().map(|problem| view! { <ProblemNotice problem /> })}
            <p class="muted">{move || lang.get().pick(
                "这些档案可能是同一名儿童登记了两次。请打开两份档案核实，并告诉登记的工作人员保留哪一份。",
                "These files may be one child registered twice. Open both to check, and tell the workers who registered them which to keep.",
            )}</p>
            {move || {
                let lang = lang.get();
                pairs.with(|pairs| match pairs {
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
                                    {file_line(&pair.first, lang)}
                                    {file_line(&pair.second, lang)}
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

/// One of the two files: who the child is, who registered it, and the way to read it.
fn file_line(file: &DuplicateFile, lang: Lang) -> impl IntoView {
    let by = file.registered_by.clone().unwrap_or_else(|| lang.pick("不详", "unknown").to_owned());
    view! {
        <a class="duplicate-file" data-testid="duplicate-file" href=PhoneApp::township_child_path(&file.id.to_string())>
            <strong>{file.name.clone()}</strong>
            <span class="meta">{format!("{} · {}", file.village, file.birth_date)}</span>
            <span class="meta" data-testid="duplicate-registered-by">{format!("{}{by}", lang.pick("登记人：", "Registered by "))}</span>
        </a>
    }
}
