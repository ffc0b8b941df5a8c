//! A button that downloads an export (or a child's whole file) with the phone's token and
//! saves it on the phone, saying while it works, when it is saved and how large, or why not.

use leptos::prelude::*;
use tongxing_core::supervision::{TownshipProblem, TownshipRequest};
use tongxing_core::Lang;

use super::ProblemNotice;
use crate::app::use_lang;
use crate::sync::BrowserClock;
use crate::township_client::TownshipClient;

/// Where a download stands.
#[derive(Debug, Clone, PartialEq)]
enum Progress {
    Idle,
    Working,
    /// Saved under this name, this many bytes.
    Saved(String, f64),
    Failed(TownshipProblem),
}

/// Downloads `request` (`None`: not possible now, as while the filter cannot be read).
/// `child_name` names a child's whole file.
#[component]
pub fn ExportButton(
    request: Signal<Option<TownshipRequest>>,
    testid: &'static str,
    /// The button's words, zh-CN then English.
    label: (&'static str, &'static str),
    #[prop(optional, into)] child_name: String,
) -> impl IntoView {
    let lang = use_lang();
    let progress = RwSignal::new(Progress::Idle);
    let start = move |_| {
        let Some(request) = request.get_untracked() else { return };
        if progress.get_untracked() == Progress::Working {
            return;
        }
        let today = BrowserClock::local_now().date_naive();
        let name = request.file_name(&child_name, today, lang.get_untracked());
        progress.set(Progress::Working);
        leptos::task::spawn_local(async move {
            let done = match TownshipClient::new().download(&request, &name).await {
                Ok(size) => Progress::Saved(name, size),
                Err(problem) => Progress::Failed(problem),
            };
            progress.try_set(done);
        });
    };
    let status = move || match progress.get() {
        Progress::Idle => None,
        Progress::Working => Some(view! { <p class="muted" role="status" data-testid=format!("{testid}-status") data-state="working">
            {move || lang.get().pick("正在导出…", "Exporting…")}
        </p> }.into_any()),
        Progress::Saved(name, size) => Some(view! { <p class="saved-note" role="status" data-testid=format!("{testid}-status") data-state="saved">
            {move || saved_text(&name, size, lang.get())}
        </p> }.into_any()),
        Progress::Failed(problem) => Some(view! { <ProblemNotice problem /> }.into_any()),
    };
    view! {
        <button
            type="button"
            class="secondary-button export-button"
            data-testid=testid
            disabled=move || request.with(Option::is_none) || progress.get() == Progress::Working
            on:click=start
        >
            {move || lang.get().pick(label.0, label.1)}
        </button>
        {status}
    }
}

/// "已保存 走访记录_….xlsx（12 KB）".
fn saved_text(name: &str, size: f64, lang: Lang) -> String {
    let kb = (size / 1000.0).ceil();
    match lang {
        Lang::ZhCn => format!("已保存 {name}（{kb} KB），可在手机的“下载”中找到。"),
        Lang::En => format!("Saved {name} ({kb} KB); it is in the phone's downloads."),
    }
}
