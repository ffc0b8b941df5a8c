//! The supervisor's "today" (今日): her township at a glance, read from the server when
//! shown. Each village's round this month (the furthest behind first), the children overdue
//! or never visited, the red ones, the mandatory reports and where each one's follow-up
//! stands, the case plans' actions past due and the plans waiting for her approval, what
//! waits to be reconciled or may be one child, and the phones gone silent. A child's line
//! opens her file; a count opens the tab behind it.

use leptos::prelude::*;
use tongxing_core::case_plan::{action_kind, label_of, report_outcomes, ReportFollowUp};
use tongxing_core::phone_app::PhoneApp;
use tongxing_core::supervision::{TownshipProblem, TownshipRequest};
use tongxing_core::wire::{TodayChild, TownshipToday, VillageCoverage, SILENT_AFTER_DAYS};
use tongxing_core::Lang;

use super::{colour_badge, due_text, progress_bar, Loading, ProblemNotice};
use crate::context::use_lang;
use crate::screen_state::{TownshipState, TownshipTab};
use crate::township_client::TownshipClient;

/// The tab.
#[component]
pub fn TownshipTodayTab() -> impl IntoView {
    let lang = use_lang();
    let state = expect_context::<TownshipState>();
    let today = RwSignal::new(None::<TownshipToday>);
    let problem = RwSignal::new(None::<TownshipProblem>);
    // Read when shown, and again at each 刷新.
    Effect::new(move |_| {
        state.refreshes.track();
        problem.set(None);
        leptos::task::spawn_local(async move {
            match TownshipClient::new().read::<TownshipToday>(&TownshipRequest::Today).await {
                Ok(read) => drop(today.try_set(Some(read))),
                Err(refused) => drop(problem.try_set(Some(refused))),
            }
        });
    });
    view! {
        <div class="township-today" data-testid="township-today">
            {move || problem.get().map(|problem| view! { <ProblemNotice problem /> })}
            {move || {
                let lang = lang.get();
                today.with(|today| match today {
                    None => view! { <Loading /> }.into_any(),
                    Some(today) => figures(state, today, lang).into_any(),
                })
            }}
        </div>
    }
}

fn figures(state: TownshipState, today: &TownshipToday, lang: Lang) -> impl IntoView {
    let waiting = [
        (
            today.to_reconcile,
            TownshipTab::Reconcile,
            "today-to-reconcile",
            lang.pick("份档案待核对", " files to reconcile"),
        ),
        (
            today.possible_duplicates,
            TownshipTab::Duplicates,
            "today-duplicates",
            lang.pick("对档案可能重复", " pairs of files that may be one child"),
        ),
    ];
    view! {
        <h2>{lang.pick("本月走访", "This month's round")}</h2>
        {today.coverage.is_empty().then(|| view! {
            <p class="muted" data-testid="today-none">{lang.pick("乡镇里还没有儿童档案。", "No children's files in the township yet.")}</p>
        })}
        <ul class="records today-coverage" data-testid="today-coverage">
            {today.coverage.iter().map(|village| coverage_line(village, lang)).collect_view()}
        </ul>
        {child_section("today-overdue", lang.pick("已逾期或从未走访", "Overdue or never visited"), &today.overdue, today.today, lang)}
        {child_section("today-red", lang.pick("红色预警", "Red"), &today.red, today.today, lang)}
        <h2>{format!("{}（{}）", lang.pick("强制报告", "Mandatory reports"), today.reports.len())}</h2>
        <ul class="records" data-testid="today-reports">
            {today.reports.iter().map(|report| {
                let name = report.name.clone().unwrap_or_else(|| lang.pick("（无档案）", "(no file)").to_owned());
                view! {
                    <li class="record" data-testid="today-report" data-open=report.follow_up.is_open().to_string()>
                        <a href=PhoneApp::township_child_path(&report.child_id.to_string())>
                            <span class="name">{name}</span>
                            <span class="meta">{format!("{} · {} · {}", report.village, report.visit_date, follow_up_text(&report.follow_up, lang))}</span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
        <h2>{format!("{}（{}）", lang.pick("逾期的帮扶措施", "Case actions past due"), today.actions_past_due.len())}</h2>
        <ul class="records" data-testid="today-actions">
            {today.actions_past_due.iter().map(|action| {
                let name = action.name.clone().unwrap_or_else(|| lang.pick("（无档案）", "(no file)").to_owned());
                let what = action_kind(&action.kind).map_or(action.kind.clone(), |kind| kind.label.get(lang).to_owned());
                view! {
                    <li class="record" data-testid="today-action">
                        <a href=PhoneApp::township_child_path(&action.child_id.to_string())>
                            <span class="name">{name}</span>
                            <span class="meta">{format!("{} · {what} · {} {}", action.village, action.by_whom, action.due.format("%m-%d %H:%M"))}</span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
        <h2>{format!("{}（{}）", lang.pick("待审核的帮扶计划", "Case plans waiting for you"), today.plans_waiting.len())}</h2>
        <ul class="records" data-testid="today-plans-waiting">
            {today.plans_waiting.iter().map(|plan| {
                let name = plan.name.clone().unwrap_or_else(|| lang.pick("（无档案）", "(no file)").to_owned());
                let kind = if plan.report { lang.pick("强制报告后续处置", "report follow-up") } else { lang.pick("帮扶计划", "case plan") };
                view! {
                    <li class="record" data-testid="today-plan-waiting">
                        <a href=PhoneApp::township_child_path(&plan.child_id.to_string())>
                            <span class="name">{name}</span>
                            <span class="meta">{format!("{} · {kind}", plan.village)}</span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
        <ul class="records today-waiting">
            {waiting.into_iter().filter(|(count, ..)| *count > 0).map(|(count, tab, testid, what)| view! {
                <li class="record">
                    <button type="button" class="link-button" data-testid=testid data-count=count.to_string()
                        on:click=move |_| state.show(tab)>
                        {format!("{count}{what}")}
                    </button>
                </li>
            }).collect_view()}
        </ul>
        <h2>{format!("{}（{}）", lang.pick(&format!("{SILENT_AFTER_DAYS} 天未同步的手机"), &format!("Phones silent for {SILENT_AFTER_DAYS} days")), today.silent_phones.len())}</h2>
        <ul class="records today-phones" data-testid="today-silent-phones">
            {today.silent_phones.iter().map(|phone| view! {
                <li class="record" data-testid="today-silent-phone">
                    <button type="button" class="link-button" on:click=move |_| state.show(TownshipTab::Phones)>
                        <span class="name">{phone.name.clone()}</span>
                        <span class="meta">{format!(
                            "{} · {} · {}{}",
                            phone.role.label(lang),
                            phone.village,
                            lang.pick("最后同步 ", "last seen "),
                            phone.last_seen_at.date_naive()
                        )}</span>
                    </button>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// Where a report's follow-up stands: "未开始", "已完成 1/4，2 项超时", or its outcome.
fn follow_up_text(follow_up: &ReportFollowUp, lang: Lang) -> String {
    if let Some(outcome) = &follow_up.outcome {
        return format!("{}{}", lang.pick("已结案：", "closed: "), label_of(report_outcomes(), outcome, lang));
    }
    if follow_up.plan_id.is_none() {
        return lang.pick("后续处置未开始", "follow-up not started").to_owned();
    }
    let late = match (follow_up.steps_overdue, lang) {
        (0, _) => String::new(),
        (n, Lang::ZhCn) => format!("，{n} 项超时"),
        (n, Lang::En) => format!(", {n} late"),
    };
    format!("{}{}/{}{late}", lang.pick("已完成 ", "done "), follow_up.steps_done, follow_up.steps)
}

/// A village's round: "桃源村 3/10" and a bar.
fn coverage_line(village: &VillageCoverage, lang: Lang) -> impl IntoView {
    view! {
        <li class="record" data-testid="today-village" data-village=village.village.clone()
            data-visited=village.visited.to_string() data-total=village.total.to_string()>
            <span class="name">{village.village.clone()}</span>
            <span class="meta">{format!("{}{}/{}", lang.pick("已走访 ", "visited "), village.visited, village.total)}</span>
            {progress_bar(village.visited, village.total)}
        </li>
    }
}

/// A heading with its count and the children under it, each opening her file.
fn child_section(
    testid: &'static str,
    heading: &'static str,
    children: &[TodayChild],
    today: chrono::NaiveDate,
    lang: Lang,
) -> impl IntoView {
    view! {
        <h2>{format!("{heading}（{}）", children.len())}</h2>
        <ul class="records" data-testid=testid>
            {children.iter().map(|child| view! {
                <li class="record" data-testid="today-child">
                    <a href=PhoneApp::township_child_path(&child.child_id.to_string())>
                        <span class="name">{child.name.clone()}</span>
                        <span class="meta">{format!("{} · {}", child.village, due_text(child.due, today, lang))}</span>
                        {colour_badge(child.colour, lang)}
                    </a>
                </li>
            }).collect_view()}
        </ul>
    }
}
