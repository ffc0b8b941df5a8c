//! The child's case plans (帮扶计划) as lines of her file: what kind, where it stands, how
//! many actions wait and the soonest due, each opening the plan. The same lines in both apps.

use leptos::prelude::*;
use tongxing_core::case_plan::CasePlan;
use tongxing_core::Lang;

/// One plan's line, opening `href` (the field app's page) or calling `on_open` (the
/// supervisor's, which opens it in place).
pub fn case_plan_row(
    plan: &CasePlan,
    href: Option<String>,
    on_open: Option<Callback<()>>,
    lang: Lang,
) -> impl IntoView {
    let kind = if plan.is_report_follow_up() {
        lang.pick("强制报告后续处置", "After the mandatory report")
    } else {
        lang.pick("帮扶计划", "Case plan")
    };
    let pending: Vec<_> = plan.actions.iter().filter(|a| a.status.is_pending()).collect();
    let next = pending.iter().map(|a| a.due).min();
    let waiting = match lang {
        Lang::ZhCn => format!("{} 项待办", pending.len()),
        Lang::En => format!("{} to do", pending.len()),
    };
    let next = next.filter(|_| plan.is_open()).map(|due| {
        let label = lang.pick("最近时限 ", "next due ");
        format!("{label}{}", due.format("%m-%d"))
    });
    let body = view! {
        <span class="name">{kind}</span>
        <span class="meta">{plan.state().label(lang)} " · " {waiting} " " {next}</span>
    };
    let id = plan.id.to_string();
    match (href, on_open) {
        (Some(href), _) => {
            view! { <li class="record" data-testid="case-plan-row" data-plan-id=id><a href=href>{body}</a></li> }
                .into_any()
        }
        (None, Some(open)) => view! {
            <li class="record" data-testid="case-plan-row" data-plan-id=id>
                <button type="button" class="link-button" on:click=move |_| open.run(())>{body}</button>
            </li>
        }
        .into_any(),
        (None, None) => view! { <li class="record" data-testid="case-plan-row" data-plan-id=id>{body}</li> }.into_any(),
    }
}
