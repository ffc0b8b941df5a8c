//! A case plan (帮扶计划) or a mandatory report's follow-up, to fill in and change: the needs
//! found, the actions (what, who, by when, where each stands), the review date, then saving
//! (a supervisor may approve as she saves) or closing with a reason. The same screen in both
//! apps; what a save makes of the plan (its revision, its approval) is core's
//! ([`saved`]), and so are its checks, shown before anything is sent.

use leptos::prelude::*;
use tongxing_core::case_plan::{
    end_of_day, kinds_in, label_of, needs, saved, ActionGroup, ActionStatus, CasePlan, PlanSave, PlanState,
};
use tongxing_core::form::parse_date;
use tongxing_core::{FieldErrors, Lang};
use uuid::Uuid;

use crate::context::use_lang;
use crate::ids::new_uuid;
use crate::sync::BrowserClock;

/// The plan `plan` as the phone or the server holds it (`held`: `None` for a new one), and
/// what happens to its next revision (`on_save`).
#[component]
pub fn CasePlanEditor(
    plan: CasePlan,
    held: Option<CasePlan>,
    /// Whether the person may approve (a supervisor).
    approver: bool,
    on_save: Callback<CasePlan>,
    /// Why the last save did not go through, in the interface language.
    #[prop(into)]
    problem: Signal<Option<String>>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let draft = RwSignal::new(plan);
    let errors = RwSignal::new(FieldErrors::new());
    let closing = RwSignal::new(false);
    let held = StoredValue::new(held);

    let send = move |how: PlanSave| {
        let now = BrowserClock::local_now();
        let next = held.with_value(|held| saved(held.as_ref(), draft.get_untracked(), how, now));
        match next.validate_for(next.id) {
            Ok(()) => {
                errors.set(FieldErrors::new());
                on_save.run(next);
            }
            Err(found) => errors.set(found),
        }
    };
    let state = move || draft.with(CasePlan::state);
    let is_report = draft.with_untracked(CasePlan::is_report_follow_up);

    view! {
        <section class="case-plan" data-testid="case-plan-editor">
            <h2>
                {move || if is_report { lang.get().pick("强制报告后续处置", "After the mandatory report") } else { lang.get().pick("帮扶计划", "Case plan") }}
                " · "
                <span data-testid="plan-state">{move || state().label(lang.get())}</span>
            </h2>
            {(!is_report).then(|| view! { <NeedsPicker draft /> })}
            <h3>{move || lang.get().pick("帮扶措施", "Actions")}</h3>
            <ul class="records plan-actions" data-testid="plan-actions">
                <For each=move || draft.with(|plan| plan.actions.iter().map(|a| a.id).collect::<Vec<_>>()) key=|id| *id let:id>
                    <ActionRow draft id />
                </For>
            </ul>
            <AddAction draft />
            <div class="field">
                <label class="field-label" for="plan-review">{move || lang.get().pick("复核日期", "Review on")}</label>
                <input id="plan-review" type="date" class="date-input" data-testid="plan-review"
                    prop:value=draft.with_untracked(|p| p.review_date.map(|d| d.to_string()).unwrap_or_default())
                    on:change=move |ev| draft.update(|p| p.review_date = parse_date(&event_target_value(&ev))) />
            </div>
            <PlanErrors draft errors />
            {move || problem.get().map(|text| view! { <p class="error" role="alert" data-testid="plan-problem">{text}</p> })}
            {move || (state() != PlanState::Closed).then(|| view! {
                <div class="child-actions">
                    <button type="button" class="primary" data-testid="plan-save" disabled=move || busy.get()
                        on:click=move |_| send(PlanSave::Keep)>
                        {move || lang.get().pick("保存", "Save")}
                    </button>
                    {approver.then(|| view! {
                        <button type="button" class="primary" data-testid="plan-approve" disabled=move || busy.get()
                            on:click=move |_| send(PlanSave::Approve)>
                            {move || lang.get().pick("审核通过", "Approve")}
                        </button>
                    })}
                    <button type="button" class="secondary-button" data-testid="plan-close-open"
                        on:click=move |_| closing.update(|open| *open = !*open)>
                        {move || lang.get().pick("结案", "Close the case")}
                    </button>
                </div>
            })}
            {move || (closing.get() && state() != PlanState::Closed).then(|| view! { <CloseCase draft busy on_close=Callback::new(send) /> })}
            {move || draft.with(|plan| plan.closed.as_ref().map(|closed| {
                let reason = label_of(plan.closing_choices(), &closed.reason, lang.get()).to_owned();
                view! { <p class="muted" data-testid="plan-closed">{reason} " " {closed.note.clone()}</p> }
            }))}
        </section>
    }
}

/// The needs found, as chips to tap, and a line about them.
#[component]
fn NeedsPicker(draft: RwSignal<CasePlan>) -> impl IntoView {
    let lang = use_lang();
    let toggle = move |code: &'static str| {
        draft.update(|plan| match plan.needs.iter().position(|need| need == code) {
            Some(at) => {
                plan.needs.remove(at);
            }
            None => plan.needs.push(code.to_owned()),
        })
    };
    view! {
        <fieldset class="field" data-testid="plan-needs">
            <legend class="field-label">{move || lang.get().pick("发现的需求", "Needs found")}</legend>
            <div class="filters">
                {needs().iter().map(|need| {
                    let code: &'static str = need.code.as_str();
                    let chosen = move || draft.with(|plan| plan.needs.iter().any(|n| n == code));
                    view! {
                        <button type="button" class="filter" class:chosen=chosen aria-pressed=move || chosen().to_string()
                            data-testid=format!("need-{code}") on:click=move |_| toggle(code)>
                            {move || need.label.get(lang.get()).to_owned()}
                        </button>
                    }
                }).collect_view()}
            </div>
            <textarea data-testid="plan-needs-note" rows="2"
                placeholder=move || lang.get().pick("需求说明（选填）", "About the needs (optional)")
                prop:value=draft.with_untracked(|p| p.needs_note.clone())
                on:input=move |ev| draft.update(|p| p.needs_note = event_target_value(&ev))></textarea>
        </fieldset>
    }
}

/// One action: what, who does it, by when, where it stands.
#[component]
fn ActionRow(draft: RwSignal<CasePlan>, id: Uuid) -> impl IntoView {
    let lang = use_lang();
    let read = move |f: fn(&tongxing_core::case_plan::CaseAction) -> String| {
        draft.with_untracked(|plan| plan.actions.iter().find(|a| a.id == id).map(f).unwrap_or_default())
    };
    let edit = move |change: Box<dyn FnOnce(&mut tongxing_core::case_plan::CaseAction)>| {
        draft.update(|plan| {
            if let Some(action) = plan.actions.iter_mut().find(|a| a.id == id) {
                change(action);
            }
        })
    };
    let kind = read(|a| a.kind.clone());
    let fixed = tongxing_core::case_plan::action_kind(&kind).is_some_and(|k| k.group == ActionGroup::ReportStep);
    let label = move || {
        tongxing_core::case_plan::action_kind(&kind)
            .map_or_else(|| kind.clone(), |k| k.label.get(lang.get()).to_owned())
    };
    let overdue = move || {
        let now = BrowserClock::local_now();
        draft.with(|plan| plan.actions.iter().any(|a| a.id == id && a.status.is_pending() && a.due < now))
    };
    let due_text = move || {
        draft.with(|plan| {
            plan.actions
                .iter()
                .find(|a| a.id == id)
                .map(|a| a.due.format("%m-%d %H:%M").to_string())
                .unwrap_or_default()
        })
    };
    view! {
        <li class="field plan-action" data-testid="plan-action" data-kind=read(|a| a.kind.clone())>
            <div class="due-main">
                <span class="name">{label}</span>
                {move || overdue().then(|| view! { <span class="warning" data-testid="action-overdue">{lang.get().pick("已逾期", "overdue")}</span> })}
            </div>
            <input type="text" maxlength="200" data-testid="action-note"
                placeholder=move || lang.get().pick("说明", "Note")
                prop:value=read(|a| a.note.clone())
                on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |a| a.note = v)) } />
            <input type="text" maxlength="50" data-testid="action-by"
                placeholder=move || lang.get().pick("负责人", "Who does it")
                prop:value=read(|a| a.by_whom.clone())
                on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |a| a.by_whom = v)) } />
            {if fixed {
                view! { <span class="meta" data-testid="action-due">{move || lang.get().pick("时限 ", "Due ")} {due_text}</span> }.into_any()
            } else {
                view! {
                    <input type="date" class="date-input" data-testid="action-due"
                        prop:value=read(|a| a.due.date_naive().to_string())
                        on:change=move |ev| {
                            if let Some(day) = parse_date(&event_target_value(&ev)) {
                                let offset = *BrowserClock::local_now().offset();
                                edit(Box::new(move |a| a.due = end_of_day(day, offset)));
                            }
                        } />
                }.into_any()
            }}
            <select data-testid="action-status"
                on:change=move |ev| {
                    if let Some(status) = ActionStatus::from_code(&event_target_value(&ev)) {
                        edit(Box::new(move |a| a.status = status));
                    }
                }>
                {move || {
                    let lang = lang.get();
                    let now = read(|a| a.status.code().to_owned());
                    ActionStatus::ALL.map(|status| view! {
                        <option value=status.code() selected=now == status.code()>{status.label(lang)}</option>
                    }).collect_view()
                }}
            </select>
        </li>
    }
}

/// A new action, picked by kind.
#[component]
fn AddAction(draft: RwSignal<CasePlan>) -> impl IntoView {
    let lang = use_lang();
    let picked = RwSignal::new(String::new());
    let add = move |_| {
        let kind = picked.get_untracked();
        if kind.is_empty() {
            return;
        }
        draft.update(|plan| *plan = plan.with_action(&kind, new_uuid(), BrowserClock::local_now()));
    };
    view! {
        <div class="field add-action">
            <select data-testid="add-action-kind" on:change=move |ev| picked.set(event_target_value(&ev))>
                <option value="">{move || lang.get().pick("选择要添加的措施…", "Pick an action to add…")}</option>
                {move || {
                    let lang = lang.get();
                    ActionGroup::PICKED.map(|group| view! {
                        <optgroup label=group.label(lang)>
                            {kinds_in(group).map(|kind| view! { <option value=kind.code>{kind.label.get(lang).to_owned()}</option> }).collect_view()}
                        </optgroup>
                    }).collect_view()
                }}
            </select>
            <button type="button" class="secondary-button" data-testid="add-action" on:click=add>
                {move || lang.get().pick("添加措施", "Add")}
            </button>
        </div>
    }
}

/// Why the case is closed, then closing it.
#[component]
fn CloseCase(
    draft: RwSignal<CasePlan>,
    #[prop(into)] busy: Signal<bool>,
    on_close: Callback<PlanSave>,
) -> impl IntoView {
    let lang = use_lang();
    let reason = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let choices = draft.with_untracked(CasePlan::closing_choices);
    view! {
        <fieldset class="field" data-testid="plan-close">
            <legend class="field-label">
                {move || if draft.with(CasePlan::is_report_follow_up) { lang.get().pick("处置结果", "Outcome") } else { lang.get().pick("结案原因", "Why the case is closed") }}
            </legend>
            <select data-testid="close-reason" on:change=move |ev| reason.set(event_target_value(&ev))>
                <option value="">{move || lang.get().pick("请选择…", "Choose…")}</option>
                {move || choices.iter().map(|choice| view! { <option value=choice.code.clone()>{choice.label.get(lang.get()).to_owned()}</option> }).collect_view()}
            </select>
            <textarea rows="2" data-testid="close-note" placeholder=move || lang.get().pick("说明", "Note")
                on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            <button type="button" class="primary" data-testid="plan-close-confirm" disabled=move || busy.get()
                on:click=move |_| on_close.run(PlanSave::Close { reason: reason.get_untracked(), note: note.get_untracked() })>
                {move || lang.get().pick("确认结案", "Close the case")}
            </button>
        </fieldset>
    }
}

/// What stops the plan being saved, each named.
#[component]
fn PlanErrors(draft: RwSignal<CasePlan>, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let lang = use_lang();
    move || {
        errors.with(|found| {
            (!found.is_empty()).then(|| {
                let lang: Lang = lang.get();
                let lines = draft.with_untracked(|plan| {
                    found
                        .iter()
                        .map(|(field, error)| format!("{}：{}", plan.field_label(field, lang), error.message(lang)))
                        .collect::<Vec<_>>()
                });
                view! {
                    <ul class="form-errors error" role="alert" data-testid="plan-errors">
                        {lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                    </ul>
                }
            })
        })
    }
}
