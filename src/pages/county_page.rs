//! The county administrator's home screen (县级管理员) in the oversight app: 全县 (every
//! township today, a line each), 统计 (the statistics, each a table with bars, and the
//! workbook), 邀请 (a supervisor, a director or anyone, of any township), 手机 (every phone and
//! invite, to revoke) and 日志 (the audit log). Everything is read from the server when shown: nothing is kept on the phone.

use leptos::prelude::*;
use tongxing_core::worker::Role;

use crate::components::{CountyAudit, CountyStatisticsTab, CountyTownships, InviteForm, TownshipPhones};
use crate::context::{use_enrolled, use_lang};

/// The county's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CountyTab {
    Townships,
    Statistics,
    Invite,
    Phones,
    AuditLog,
}

/// The screen at `/oversight/` for a phone joined as the county's administrator.
#[component]
pub fn CountyPage() -> impl IntoView {
    let lang = use_lang();
    let enrolled = use_enrolled();
    let tab = RwSignal::new(CountyTab::Townships);
    let refreshes = RwSignal::new(0_u32);
    let tab_button = move |shows: CountyTab, testid: &'static str, zh: &'static str, en: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="township-tab"
                data-testid=testid
                class:chosen=move || tab.get() == shows
                aria-selected=move || if tab.get() == shows { "true" } else { "false" }
                on:click=move |_| tab.set(shows)
            >
                {move || lang.get().pick(zh, en)}
            </button>
        }
    };
    let who = move || {
        enrolled.with(|worker| {
            worker.as_ref().map(|w| format!("{} · {}", w.role.label(lang.get()), w.name)).unwrap_or_default()
        })
    };
    view! {
        <section class="page township-page county-page" data-testid="county-page">
            <div class="township-head">
                <h1>{move || lang.get().pick("全县", "County")}</h1>
                <button type="button" class="secondary-button" data-testid="county-refresh" on:click=move |_| refreshes.update(|n| *n += 1)>
                    {move || lang.get().pick("刷新", "Refresh")}
                </button>
            </div>
            <p class="muted township-who" data-testid="county-who">{who}</p>
            <div class="township-tabs" role="tablist">
                {tab_button(CountyTab::Townships, "county-tab-townships", "全县", "Townships")}
                {tab_button(CountyTab::Statistics, "county-tab-statistics", "统计", "Statistics")}
                {tab_button(CountyTab::Invite, "county-tab-invite", "邀请", "Invite")}
                {tab_button(CountyTab::Phones, "county-tab-phones", "手机", "Phones")}
                {tab_button(CountyTab::AuditLog, "county-tab-audit", "日志", "Log")}
            </div>
            {move || match tab.get() {
                CountyTab::Townships => view! { <CountyTownships refreshes /> }.into_any(),
                CountyTab::Statistics => view! { <CountyStatisticsTab refreshes /> }.into_any(),
                CountyTab::Invite => view! { <InviteForm inviter=Role::County /> }.into_any(),
                CountyTab::Phones => view! { <TownshipPhones /> }.into_any(),
                CountyTab::AuditLog => view! { <CountyAudit refreshes /> }.into_any(),
            }}
        </section>
    }
}
