//! A button that downloads an export (or a child's whole file) with the phone's token and
//! saves it on the phone, saying while it works, when it is saved and how large, or why not.

use chrono::Timelike;
use leptos::prelude::*;
use tongxing_core::supervision::{TownshipProblem, TownshipRequest};
use tongxing_core::wire::{DownloadLink, DownloadTarget};
use tongxing_core::Lang;

use super::{in_app_browser, CopyableLink, InAppHint, InAppHintKind, ProblemNotice};
use crate::context::use_lang;
use crate::sync::BrowserClock;
use crate::township_client::TownshipClient;

/// Where a download stands.
#[derive(Debug, Clone, PartialEq)]
enum Progress {
    Idle,
    Working,
    /// Saved under this name, this many bytes.
    Saved(String, u64),
    Failed(TownshipProblem),
}

/// Downloads `request` (`None`: not possible now, as while the filter cannot be read).
/// `township` names the file (never a child's name).
#[component]
pub fn ExportButton(
    request: Signal<Option<TownshipRequest>>,
    testid: &'static str,
    /// The button's words, zh-CN then English.
    label: (&'static str, &'static str),
    #[prop(optional, into)] township: String,
) -> impl IntoView {
    let lang = use_lang();
    let progress = RwSignal::new(Progress::Idle);
    let start = move |_| {
        let Some(request) = request.get_untracked() else { return };
        if progress.get_untracked() == Progress::Working {
            return;
        }
        let today = BrowserClock::local_now().date_naive();
        let name = request.file_name(&township, today, lang.get_untracked());
        progress.set(Progress::Working);
        leptos::task::spawn_local(async move {
            let done = match TownshipClient::new().download(&request, &name).await {
                Ok(size) => Progress::Saved(name, size),
                Err(problem) => Progress::Failed(problem),
            };
            progress.try_set(done);
        });
    };
    // One line for where it stands; a failure says why (and after a 401, how to join again).
    let status = move || {
        progress.with(|p| match p {
            Progress::Idle | Progress::Failed(_) => None,
            Progress::Working => Some(("working", lang.get().pick("正在导出…", "Exporting…").to_owned())),
            Progress::Saved(name, size) => Some(("saved", saved_text(name, *size, lang.get()))),
        })
    };
    let failed =
        move || progress.with(|p| if let Progress::Failed(problem) = p { Some(problem.clone()) } else { None });
    view! {
        <div class="export">
        <button
            type="button"
            class="secondary-button export-button"
            data-testid=testid
            disabled=move || request.with(Option::is_none) || progress.get() == Progress::Working
            on:click=start
        >
            {move || lang.get().pick(label.0, label.1)}
        </button>
        {in_app_browser().map(|_| view! {
            <InAppHint kind=InAppHintKind::Export />
            <OneTimeLink request testid />
        })}
        {move || status().map(|(state, text)| view! { <p class="hint" role="status" data-testid=format!("{testid}-status") data-state=state>{text}</p> })}
        {move || failed().map(|problem| view! { <ProblemNotice problem /> })}
        </div>
    }
}

/// Where the browser saves no downloads (WeChat's): a button that makes a one-time link to
/// the same file, then the link to copy into the phone's own browser, and until when.
#[component]
fn OneTimeLink(request: Signal<Option<TownshipRequest>>, testid: &'static str) -> impl IntoView {
    let lang = use_lang();
    let made = RwSignal::new(None::<Result<DownloadLink, TownshipProblem>>);
    let make = move |_| {
        let Some(target) = request.get_untracked().as_ref().and_then(DownloadTarget::of) else { return };
        leptos::task::spawn_local(async move {
            made.try_set(Some(TownshipClient::new().download_link(&target).await));
        });
    };
    view! {
        <button type="button" class="secondary-button" data-testid=format!("{testid}-link")
            disabled=move || request.with(Option::is_none) on:click=make>
            {move || lang.get().pick("生成下载链接", "Make a download link")}
        </button>
        {move || made.get().map(|made| match made {
            Ok(link) => {
                let until = BrowserClock::to_local(link.expires_at);
                let until = format!("{:02}:{:02}", until.hour(), until.minute());
                view! {
                    <CopyableLink name="download" link=link.path copied=("已复制：粘贴到手机浏览器里打开。", "Copied: open it in the phone's browser.") />
                    <p class="hint" data-testid="download-expires">{move || match lang.get() {
                        Lang::ZhCn => format!("只能用一次，{until} 前有效。"),
                        Lang::En => format!("Works once, until {until}."),
                    }}</p>
                }
                .into_any()
            }
            Err(problem) => view! { <ProblemNotice problem /> }.into_any(),
        })}
    }
}

/// "已保存 走访记录_….xlsx（12 KB）".
fn saved_text(name: &str, size: u64, lang: Lang) -> String {
    let kb = size.div_ceil(1000);
    match lang {
        Lang::ZhCn => format!("已保存 {name}（{kb} KB），可在手机的“下载”中找到。"),
        Lang::En => format!("Saved {name} ({kb} KB); it is in the phone's downloads."),
    }
}
