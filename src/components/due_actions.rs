//! "待办措施" on the due list: the actions of the phone's open case plans still planned or
//! applied for, due within [`DUE_SOON_DAYS`] days or past due (core's [`actions_due`]), the
//! soonest first, each opening its plan.

use leptos::prelude::*;
use tongxing_core::case_plan::{action_kind, DueAction};
#[cfg(doc)]
use tongxing_core::case_plan::{actions_due, DUE_SOON_DAYS};
use tongxing_core::schedule::ChildStatus;

use crate::context::use_lang;

/// The actions due (`due`), with the children's names from `statuses`.
#[component]
pub fn DueActions(
    #[prop(into)] due: Signal<Vec<DueAction>>,
    #[prop(into)] statuses: Signal<Option<Vec<ChildStatus>>>,
) -> impl IntoView {
    let lang = use_lang();
    move || {
        let lang = lang.get();
        due.with(|due| {
            (!due.is_empty()).then(|| {
                let lines = statuses.with(|statuses| {
                    due.iter()
                        .map(|line| {
                            let name = statuses
                                .iter()
                                .flatten()
                                .find(|status| status.child_id == line.child_id)
                                .map(|status| status.name.clone())
                                .unwrap_or_default();
                            let what = action_kind(&line.action.kind)
                                .map_or(line.action.kind.clone(), |kind| kind.label.get(lang).to_owned());
                            let when = line.action.due.format("%m-%d").to_string();
                            let late = line.overdue.then(|| lang.pick("已逾期 ", "overdue "));
                            view! {
                                <li class="due-entry" data-testid="due-action" data-overdue=line.overdue.to_string()>
                                    <a class="due-main" href=format!("/plans/{}", line.plan_id)>
                                        <span class="name">{name}</span>
                                        <span class="meta">{what} " · " {late} {when}</span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()
                });
                view! {
                    <section class="due-group due-overdue" data-testid="due-actions" data-count=due.len().to_string()>
                        <h2>{lang.pick("待办措施", "Actions due")} <span class="count">{due.len()}</span></h2>
                        <ul class="due-entries">{lines}</ul>
                    </section>
                }
            })
        })
    }
}
