//! The sync indicator: online or not, how many records wait, when the last one was sent, and
//! a "sync now" button; and a line when the phone is nearly out of room.

use chrono::{DateTime, Timelike, Utc};
use leptos::prelude::*;
use tongxing_core::outbox::{waiting_too_long_message, Clock, RunStop};
use tongxing_core::Lang;

use crate::context::{use_enrolled, use_lang};
use crate::sync::{BrowserClock, SyncDriver};
use leptos_router::components::A;

/// The bar under the header.
#[component]
pub fn SyncStatusBar() -> impl IntoView {
    let lang = use_lang();
    let sync = expect_context::<SyncDriver>();
    let enrolled = use_enrolled();
    let status = sync.status;

    let pending_text = move || {
        let s = status.get();
        let lang = lang.get();
        match (s.summary.pending, lang) {
            _ if !s.counted => String::new(),
            (0, _) => lang.pick("全部已上传", "Everything is sent").to_owned(),
            (n, Lang::ZhCn) => format!("待上传 {n} 条"),
            (n, Lang::En) => format!("{n} waiting to send"),
        }
    };
    let attention_text = move || {
        let n = status.get().summary.needs_attention;
        match lang.get() {
            Lang::ZhCn => format!("{n} 条需要处理"),
            Lang::En => format!("{n} need attention"),
        }
    };
    // While photos go up on a slow link: how far, in bytes.
    let bytes_text = move || {
        let s = status.get();
        let bytes = s.bytes.filter(|b| s.running && b.total > 0)?;
        let (done, total) = (kilobytes(bytes.confirmed), kilobytes(bytes.total));
        Some(match lang.get() {
            Lang::ZhCn => format!("正在上传 {done} / {total} KB"),
            Lang::En => format!("Sending {done} / {total} KB"),
        })
    };
    let last_text = move || {
        let lang = lang.get();
        match status.get().last_success {
            Some(at) => format!("{}{}", lang.pick("上次上传：", "Last sent: "), local_time(at)),
            None => lang.pick("尚未上传", "Nothing sent yet").to_owned(),
        }
    };
    let notice = move || {
        let s = status.get();
        let lang = lang.get();
        if let Some(problem) = &s.storage_problem {
            return Some(problem.message(lang));
        }
        match s.last_stop {
            Some(RunStop::Paused) if enrolled.with(Option::is_none) => Some(
                lang.pick(
                    "本设备尚未加入，记录保存在手机上，加入后才能上传",
                    "This phone has not joined yet: records stay on the phone and are sent once it has",
                )
                .to_owned(),
            ),
            Some(RunStop::Paused) => Some(
                lang.pick(
                    "本设备需要重新加入，未上传的记录仍保存在手机上。请打开督导员发来的新邀请链接",
                    "This phone must join again; records not yet sent stay on it. Open a new invite link from your township supervisor",
                )
                .to_owned(),
            ),
            Some(RunStop::Overloaded) => Some(lang.pick("服务器繁忙，稍后自动重试", "The server is busy; it will retry by itself").to_owned()),
            Some(RunStop::Unreachable) if s.online && s.summary.pending > 0 => {
                Some(lang.pick("连不上服务器，稍后自动重试", "Cannot reach the server; it will retry by itself").to_owned())
            }
            _ => None,
        }
    };

    // The room the phone has left, read again after each save or send.
    let room = RwSignal::new(tongxing_core::photo::SpaceVerdict::Enough);
    Effect::new(move |_| {
        sync.changes.track();
        leptos::task::spawn_local(async move {
            let verdict = crate::storage::space::space_for_photo(0).await;
            room.try_set(verdict);
        });
    });

    // Read at each change of the status (every run, offline too), so the days grow with time.
    let waiting_text = move || {
        let days = status.get().summary.waiting_too_long(BrowserClock.now())?;
        Some(waiting_too_long_message(days, lang.get()))
    };

    view! {
        <section class="sync-bar" data-testid="sync-bar" class:offline=move || !status.get().online>
            <div class="sync-facts">
                <span class="net" data-testid="sync-online" data-online=move || status.get().online.to_string()>
                    {move || if status.get().online { lang.get().pick("在线", "Online") } else { lang.get().pick("离线", "Offline") }}
                </span>
                <span class="pending" data-testid="sync-pending" data-count=move || status.with(|s| s.counted.then(|| s.summary.pending.to_string()))>
                    {pending_text}
                </span>
                <Show when=move || { status.get().summary.needs_attention > 0 }>
                    <span class="attention" data-testid="sync-attention">{attention_text}</span>
                </Show>
                {move || bytes_text().map(|text| view! { <span class="bytes" data-testid="sync-bytes">{text}</span> })}
                <span class="last" data-testid="sync-last">{last_text}</span>
            </div>
            <button
                class="sync-now"
                data-testid="sync-now"
                disabled=move || status.get().running
                on:click=move |_| sync.sync_now()
            >
                {move || if status.get().running { lang.get().pick("同步中…", "Syncing…") } else { lang.get().pick("立即同步", "Sync now") }}
            </button>
            {move || notice().map(|text| view! { <p class="sync-notice" role="status" data-testid="sync-notice">{text}</p> })}
            {move || waiting_text().map(|text| view! { <p class="sync-notice" role="alert" data-testid="sync-waiting-long">{text}</p> })}
            {move || room.get().warning(lang.get()).map(|text| view! { <p class="sync-notice" role="alert" data-testid="sync-room-low">{text}</p> })}
            <Show when=move || status.get().last_stop == Some(RunStop::Paused)>
                <A href="/join" attr:class="button rejoin" attr:data-testid="rejoin">
                    {move || if enrolled.with(Option::is_none) { lang.get().pick("加入", "Join") } else { lang.get().pick("重新加入", "Join again") }}
                </A>
            </Show>
        </section>
    }
}

fn local_time(at: DateTime<Utc>) -> String {
    let local = BrowserClock::to_local(at);
    let today = BrowserClock::local_now().date_naive();
    if local.date_naive() == today {
        format!("{:02}:{:02}", local.hour(), local.minute())
    } else {
        format!("{} {:02}:{:02}", local.date_naive(), local.hour(), local.minute())
    }
}

/// Bytes as whole kilobytes, rounded up so that a started piece never shows as 0.
fn kilobytes(bytes: u64) -> u64 {
    bytes.div_ceil(1000)
}
