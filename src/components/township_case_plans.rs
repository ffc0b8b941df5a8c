//! "帮扶计划" on a child's file in the oversight app: the child's plans as the server holds
//! them; the supervisor opens one in place to change, approve or close it, online (her app
//! keeps no records): the plan goes straight to the server, kept as of the child's village,
//! so the village's phones receive it.

use leptos::prelude::*;
use tongxing_core::case_plan::CasePlan;
use uuid::Uuid;

use super::{case_plan_row, CasePlanEditor};
use crate::context::use_lang;
use crate::township_client::TownshipClient;

/// The child's plans (`plans`, the newest first), kept up to date with what she sends.
#[component]
pub fn TownshipCasePlans(plans: Vec<CasePlan>) -> impl IntoView {
    let lang = use_lang();
    let held = RwSignal::new(plans);
    let opened = RwSignal::new(None::<Uuid>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let on_save = Callback::new(move |next: CasePlan| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match TownshipClient::new().put_case_plan(&next).await {
                Ok(()) => {
                    problem.set(None);
                    opened.set(None);
                    held.update(|plans| {
                        plans.retain(|plan| plan.id != next.id);
                        plans.insert(0, next);
                    });
                }
                Err(why) => problem.set(Some(why.message(lang.get_untracked()))),
            }
            busy.try_set(false);
        });
    });
    view! {
        {move || held.with(|plans| (!plans.is_empty()).then(|| view! { <h2>{lang.get().pick("帮扶计划", "Case plans")}</h2> }))}
        <ul class="records" data-testid="child-plan-list">
            {move || {
                let lang = lang.get();
                held.with(|plans| plans.iter().map(|plan| {
                    let id = plan.id;
                    case_plan_row(plan, None, Some(Callback::new(move |()| opened.set(Some(id)))), lang)
                }).collect_view())
            }}
        </ul>
        {move || opened.get().and_then(|id| held.with_untracked(|plans| plans.iter().find(|p| p.id == id).cloned())).map(|plan| {
            let held = Some(plan.clone());
            view! { <CasePlanEditor plan held approver=true on_save problem busy /> }
        })}
    }
}
