//! The county's 全县 tab: every township today, one line each (the supervisor's figures,
//! counted by the server), read when shown and again at each 刷新.

use leptos::prelude::*;
use tongxing_core::supervision::{TownshipProblem, TownshipRequest};
use tongxing_core::wire::{CountyToday, TownshipLine, SILENT_AFTER_DAYS};
use tongxing_core::Lang;

use super::{progress_bar, Loading, ProblemNotice};
use crate::context::use_lang;
use crate::township_client::TownshipClient;

/// The tab; `refreshes` counts the 刷新 taps.
#[component]
pub fn CountyTownships(refreshes: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let read = RwSignal::new(None::<CountyToday>);
    let problem = RwSignal::new(None::<TownshipProblem>);
    Effect::new(move |_| {
        refreshes.track();
        problem.set(None);
        leptos::task::spawn_local(async move {
            match TownshipClient::new().read::<CountyToday>(&TownshipRequest::CountyToday).await {
                Ok(today) => drop(read.try_set(Some(today))),
                Err(refused) => drop(problem.try_set(Some(refused))),
            }
        });
    });
    view! {
        <div class="county-townships" data-testid="county-townships">
            {move || problem.get().map(|problem| view! { <ProblemNotice problem /> })}
            {move || {
                let lang = lang.get();
                read.with(|read| match read {
                    None => view! { <Loading /> }.into_any(),
                    Some(today) if today.townships.is_empty() => view! {
                        <p class="muted" data-testid="county-none">{lang.pick("还没有乡镇：先邀请乡镇儿童督导员。", "No townships yet: invite the township supervisors first.")}</p>
                    }.into_any(),
                    Some(today) => view! {
                        <p class="muted">{format!("{}{}", lang.pick("日期：", "Day: "), today.today)}</p>
                        <ul class="records county-lines">
                            {today.townships.iter().map(|line| township_line(line, lang)).collect_view()}
                        </ul>
                    }.into_any(),
                })
            }}
        </div>
    }
}

/// "石门镇 已走访 3/5", a bar, then its counts.
fn township_line(line: &TownshipLine, lang: Lang) -> impl IntoView {
    let counts = [
        (line.overdue, lang.pick("逾期", "overdue")),
        (line.red, lang.pick("红色", "red")),
        (line.reports, lang.pick("未结案强制报告", "open reports")),
        (line.actions_past_due, lang.pick("逾期帮扶措施", "case actions past due")),
        (line.to_reconcile, lang.pick("待核对", "to reconcile")),
        (line.possible_duplicates, lang.pick("可能重复", "possible duplicates")),
    ];
    let mut counts: Vec<String> = counts.iter().map(|(n, what)| format!("{what} {n}")).collect();
    counts.push(match lang {
        Lang::ZhCn => format!("{SILENT_AFTER_DAYS}天未同步手机 {}", line.silent_phones),
        Lang::En => format!("phones silent {SILENT_AFTER_DAYS} days {}", line.silent_phones),
    });
    let counts = counts.join(" · ");
    view! {
        <li class="record county-line" data-testid="county-township" data-township=line.township.clone()
            data-visited=line.visited.to_string() data-due=line.due.to_string() data-red=line.red.to_string()
            data-overdue=line.overdue.to_string()>
            <span class="name">{line.township.clone()}</span>
            <span class="meta">{format!("{}{}/{}", lang.pick("本月已走访 ", "visited this month "), line.visited, line.due)}</span>
            {progress_bar(line.visited, line.due)}
            <span class="meta county-counts">{counts}</span>
        </li>
    }
}
