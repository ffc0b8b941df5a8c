//! A record's delivery state in words: waiting, sending, sent, or needs attention (and why).

use leptos::prelude::*;
use tongxing_core::outbox::{EntryState, OutboxEntry};

use crate::context::use_lang;

/// The state of one record's outbox entry.
#[component]
pub fn SyncStateLabel(entry: Option<OutboxEntry>) -> impl IntoView {
    let lang = use_lang();
    let state = entry.as_ref().map(|e| e.state);
    let code = match state {
        Some(EntryState::Queued) | None => "queued",
        Some(EntryState::Sending) => "sending",
        Some(EntryState::Sent) => "sent",
        Some(EntryState::NeedsAttention) => "needs_attention",
    };
    let conflict = entry.as_ref().is_some_and(|e| e.conflict);
    let detail = entry.clone();
    let text = move || {
        let lang = lang.get();
        match state {
            Some(EntryState::Queued) | None => lang.pick("等待上传", "Waiting to send").to_owned(),
            Some(EntryState::Sending) => lang.pick("正在上传", "Sending").to_owned(),
            Some(EntryState::Sent) if conflict => lang
                .pick(
                    "已上传，但另一部手机也改过这条记录：服务器两份都保留，请督导员核对",
                    "Sent, but another phone changed this record too: the server kept both for your supervisor to reconcile",
                )
                .to_owned(),
            Some(EntryState::Sent) => lang.pick("已上传", "Sent").to_owned(),
            Some(EntryState::NeedsAttention) => {
                let reason = detail.as_ref().and_then(|e| e.park_reason).map(|r| r.message(lang)).unwrap_or_default();
                format!("{}：{}", lang.pick("需要处理", "Needs attention"), reason)
            }
        }
    };
    let problem = entry.and_then(|e| if e.state == EntryState::Sent { None } else { e.last_error });
    view! {
        <span class=format!("sync-state sync-{code}") data-testid="sync-state" data-state=code data-conflict=conflict.then_some("true") title=problem.unwrap_or_default()>
            {text}
        </span>
    }
}
