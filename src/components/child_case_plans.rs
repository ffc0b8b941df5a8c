//! "帮扶计划" on a child's page of the field app: the plans the phone holds for her (offline
//! too), and a button for each plan she still lacks (core's [`plans_needed`]): a case plan
//! once a visit rates her red or yellow, a follow-up for each mandatory report.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use tongxing_core::case_plan::{plans_needed, CasePlan, PlanNeeded};
use tongxing_core::schedule::VisitSummary;
use uuid::Uuid;

use super::case_plan_row;
use crate::context::use_lang;
use crate::ids::new_uuid;

/// The child `child`'s plans and what she lacks, from her `plans` and `visits`.
#[component]
pub fn ChildCasePlans(
    child: Uuid,
    #[prop(into)] plans: Signal<Vec<CasePlan>>,
    #[prop(into)] visits: Signal<Vec<VisitSummary>>,
) -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let needed = move || visits.with(|visits| plans.with(|plans| plans_needed(visits, plans)));
    let start = move |needed: PlanNeeded| {
        let report = match needed {
            PlanNeeded::Report { visit_id } => format!("&visit={visit_id}"),
            PlanNeeded::Case => String::new(),
        };
        navigate(&format!("/plans/{}?child={child}{report}", new_uuid()), Default::default());
    };
    view! {
        <section class="child-plans" data-testid="child-plans">
            {move || {
                let lang = lang.get();
                let shown = plans.with(|plans| !plans.is_empty()) || !needed().is_empty();
                shown.then(|| view! { <h2>{lang.pick("帮扶计划", "Case plans")}</h2> })
            }}
            {move || needed().into_iter().map(|needed| {
                let start = start.clone();
                let (testid, zh, en) = match needed {
                    PlanNeeded::Case => ("start-case-plan", "制定帮扶计划", "Make a case plan"),
                    PlanNeeded::Report { .. } => ("start-report-follow-up", "开始强制报告后续处置", "Follow up the mandatory report"),
                };
                view! {
                    <button type="button" class="primary" data-testid=testid on:click=move |_| start(needed)>
                        {move || lang.get().pick(zh, en)}
                    </button>
                }
            }).collect_view()}
            <ul class="records" data-testid="child-plan-list">
                {move || {
                    let lang = lang.get();
                    plans.with(|plans| plans.iter().map(|plan| case_plan_row(plan, Some(format!("/plans/{}", plan.id)), None, lang)).collect_view())
                }}
            </ul>
        </section>
    }
}
