//! The mandatory-report prompt (强制报告): the law requires reporting to the police now.

use leptos::html;
use leptos::prelude::*;

/// A full-screen prompt (`role="alertdialog"`, `data-testid="mandatory-report-prompt"`)
/// with a tap-to-call 110 link. It opens by itself the moment `needed` turns true (an answer
/// found harm, serious neglect or abandonment); the page may also open it through `open`
/// (when a save finds the report's answers missing). It is in Chinese with English under
/// it, whatever the interface language: the duty must not be lost in a translation setting.
/// "I understand" closes it and calls `on_ack`.
#[component]
pub fn MandatoryReportPrompt(
    /// Whether the answers oblige a report.
    needed: Signal<bool>,
    /// Whether the prompt is shown.
    open: RwSignal<bool>,
    /// Called when the worker acknowledges it (to take her to the report's questions).
    on_ack: Callback<()>,
) -> impl IntoView {
    Effect::new(move |before: Option<bool>| {
        let now = needed.get();
        match (before, now) {
            (Some(false), true) => open.set(true),
            (_, false) => open.set(false),
            _ => {}
        }
        now
    });
    let dialog = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if open.get() {
            if let Some(el) = dialog.get() {
                let _ = el.focus();
            }
        }
    });
    let acknowledge = move |_| {
        open.set(false);
        on_ack.run(());
    };
    view! {
        <Show when=move || open.get()>
            <div class="report-overlay">
                <div
                    class="report-prompt"
                    role="alertdialog"
                    aria-modal="true"
                    aria-labelledby="report-prompt-title"
                    aria-describedby="report-prompt-body"
                    tabindex="-1"
                    data-testid="mandatory-report-prompt"
                    node_ref=dialog
                >
                    <h2 id="report-prompt-title" class="report-title">
                        "请立即向公安机关报告"
                        <span class="en">"Report to the police now"</span>
                    </h2>
                    <div id="report-prompt-body">
                        <p class="zh">
                            "依照法律规定（强制报告制度），发现儿童遭受或疑似遭受侵害、严重忽视或被遗弃，必须立即向公安机关报告。请现在拨打 110。"
                        </p>
                        <p class="en">
                            "The law (mandatory reporting) requires you to report suspected abuse, serious neglect or abandonment of a child to the police at once. Call 110 now."
                        </p>
                        <p class="zh">"报告后，请在本表“强制报告”部分记录报告时间、报告对象和回执编号；未能报告的，须写明原因。"</p>
                        <p class="en">
                            "Then record when you reported, to whom, and the receipt number in the form's Mandatory report section; if you could not report, say why."
                        </p>
                    </div>
                    <a class="call-110" href="tel:110" data-testid="call-110">
                        "拨打 110"
                        <span class="en">"Call 110"</span>
                    </a>
                    <button type="button" class="report-ack" data-testid="mandatory-report-ack" on:click=acknowledge>
                        "我已了解，去填写报告情况"
                        <span class="en">"I understand, record the report"</span>
                    </button>
                </div>
            </div>
        </Show>
    }
}
