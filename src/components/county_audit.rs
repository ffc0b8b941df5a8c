//! The county's 日志 tab: the audit log, the newest first, filtered by who, what and days,
//! a page at a time. Reading it is itself written to the log.

use chrono::NaiveDate;
use leptos::prelude::*;
use tongxing_core::supervision::{TownshipProblem, TownshipRequest};
use tongxing_core::wire::{AuditLine, AuditQuery, Page};
use tongxing_core::Lang;

use super::{Loading, ProblemNotice};
use crate::context::use_lang;
use crate::sync::BrowserClock;
use crate::township_client::TownshipClient;

/// The actions offered in the filter, by their code, with their names.
const ACTIONS: [(&str, &str, &str); 12] = [
    ("read_child", "查看儿童档案", "read a child's file"),
    ("list_children", "查看儿童列表", "list children"),
    ("list_visits", "查看走访列表", "list visits"),
    ("export_visits", "导出走访", "export visits"),
    ("export_children", "导出儿童", "export children"),
    ("make_invite", "生成邀请", "make an invite"),
    ("enroll", "加入", "join"),
    ("revoke_device", "撤销手机", "revoke a phone"),
    ("revoke_invite", "撤销邀请", "revoke an invite"),
    ("store_visit", "保存走访", "store a visit"),
    ("read_county", "全县统计", "county figures"),
    ("forbidden", "越权访问", "refused call"),
];

/// The tab; `refreshes` counts the 刷新 taps.
#[component]
pub fn CountyAudit(refreshes: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let query = RwSignal::new(AuditQuery::default());
    let read = RwSignal::new(None::<Page<AuditLine>>);
    let problem = RwSignal::new(None::<TownshipProblem>);
    let actor = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    Effect::new(move |_| {
        refreshes.track();
        let asked = query.get();
        problem.set(None);
        read.set(None);
        leptos::task::spawn_local(async move {
            match TownshipClient::new().read::<Page<AuditLine>>(&TownshipRequest::AuditLog(asked)).await {
                Ok(page) => drop(read.try_set(Some(page))),
                Err(refused) => drop(problem.try_set(Some(refused))),
            }
        });
    });
    let day = |text: String| text.trim().parse::<NaiveDate>().ok();
    let search = move || {
        let text = |value: String| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        query.set(AuditQuery {
            actor: text(actor.get_untracked()),
            action: text(action.get_untracked()),
            from: day(from.get_untracked()),
            to: day(to.get_untracked()),
            page: None,
        });
    };
    let turn = move |by: i64| {
        query.update(|q| {
            let page = i64::from(q.page()) + by;
            q.page = u32::try_from(page.max(1)).ok();
        })
    };
    view! {
        <div class="county-audit" data-testid="county-audit">
            <form class="township-filter audit-filter" novalidate=true on:submit=move |ev| { ev.prevent_default(); search(); }>
                <div class="field">
                    <label for="audit_actor">{move || lang.get().pick("操作人", "Who")}</label>
                    <input id="audit_actor" type="text" data-testid="audit-actor" prop:value=actor on:input=move |ev| actor.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="audit_action">{move || lang.get().pick("操作", "Action")}</label>
                    <select id="audit_action" data-testid="audit-action" on:change=move |ev| action.set(event_target_value(&ev))>
                        <option value="">{move || lang.get().pick("全部", "All")}</option>
                        {move || {
                            let lang = lang.get();
                            ACTIONS.iter().map(|(code, zh, en)| view! { <option value=*code>{lang.pick(zh, en)}</option> }).collect_view()
                        }}
                    </select>
                </div>
                <div class="filter-dates">
                    <div class="field">
                        <label for="audit_from">{move || lang.get().pick("开始日期", "From")}</label>
                        <input id="audit_from" type="date" data-testid="audit-from" prop:value=from on:input=move |ev| from.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="audit_to">{move || lang.get().pick("结束日期", "To")}</label>
                        <input id="audit_to" type="date" data-testid="audit-to" prop:value=to on:input=move |ev| to.set(event_target_value(&ev)) />
                    </div>
                </div>
                <button type="submit" class="primary" data-testid="audit-search">{move || lang.get().pick("查询", "Search")}</button>
            </form>
            {move || problem.get().map(|problem| view! { <ProblemNotice problem /> })}
            {move || {
                let lang = lang.get();
                read.with(|read| match read {
                    None => view! { <Loading /> }.into_any(),
                    Some(page) => lines(page, lang, turn).into_any(),
                })
            }}
        </div>
    }
}

fn lines(page: &Page<AuditLine>, lang: Lang, turn: impl Fn(i64) + Copy + 'static) -> impl IntoView {
    let pages = page.total.div_ceil(u64::from(page.per_page.max(1))).max(1);
    let has_next = u64::from(page.page) < pages;
    let has_previous = page.page > 1;
    view! {
        <p class="list-count" data-testid="audit-count" data-total=page.total.to_string()>
            {match lang {
                Lang::ZhCn => format!("共 {} 条，第 {}/{} 页", page.total, page.page, pages),
                Lang::En => format!("{} lines, page {} of {}", page.total, page.page, pages),
            }}
        </p>
        <ul class="records audit-lines">
            {page.items.iter().map(|line| {
                let at = BrowserClock::to_local(line.at).format("%Y-%m-%d %H:%M").to_string();
                let action = ACTIONS.iter().find(|(code, ..)| *code == line.action).map_or(line.action.clone(), |(_, zh, en)| lang.pick(zh, en).to_owned());
                view! {
                    <li class="record audit-line" data-testid="audit-line" data-action=line.action.clone()>
                        <span class="name">{format!("{} · {}", line.actor, action)}</span>
                        <span class="meta">{at}</span>
                        <span class="meta audit-subject">{line.subject.clone()}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
        <div class="township-actions">
            <button type="button" class="secondary-button" data-testid="audit-previous" disabled=!has_previous on:click=move |_| turn(-1)>
                {lang.pick("上一页", "Previous")}
            </button>
            <button type="button" class="secondary-button" data-testid="audit-next" disabled=!has_next on:click=move |_| turn(1)>
                {lang.pick("下一页", "Next")}
            </button>
        </div>
    }
}
