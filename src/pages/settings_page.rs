//! Settings: who this phone joined as, the interface language and the server address.

use leptos::prelude::*;
use tongxing_core::{Lang, Worker};

use crate::app::{use_enrolled, use_lang};
use crate::components::{ChoiceButtons, FormField, JoinBanner};
use crate::storage::Settings;
use crate::sync::SyncDriver;

/// The settings screen.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let lang = use_lang();
    let enrolled = use_enrolled();
    let sync = expect_context::<SyncDriver>();
    let api_base = RwSignal::new(Settings::load().api_base);
    let saved = RwSignal::new(false);
    let invalid = move || !Settings::is_valid_api_base(&api_base.get());

    let choose_lang = Callback::new(move |next: Lang| {
        lang.set(next);
        let mut settings = Settings::load();
        settings.lang = next;
        settings.store();
    });
    let save = move |_| {
        if invalid() {
            return;
        }
        let mut settings = Settings::load();
        settings.api_base = api_base.get_untracked().trim().trim_end_matches('/').to_owned();
        settings.store();
        saved.set(true);
        sync.sync_now();
    };

    view! {
        <section class="page settings">
            <h1>{move || lang.get().pick("设置", "Settings")}</h1>
            <JoinBanner />
            {move || enrolled.get().map(|worker| view! { <EnrolledAs worker /> })}
            <FormField id="lang" label=Signal::derive(move || lang.get().pick("语言", "Language").to_owned()) error=Signal::derive(|| None)>
                <ChoiceButtons
                    name="lang"
                    options=Signal::derive(|| vec![(Lang::ZhCn, "中文".to_owned()), (Lang::En, "English".to_owned())])
                    selected=Signal::derive(move || Some(lang.get()))
                    on_choose=choose_lang
                />
            </FormField>
            <FormField
                id="api_base"
                label=Signal::derive(move || lang.get().pick("服务器地址（留空则使用本站）", "Server address (empty: this site)").to_owned())
                error=Signal::derive(move || invalid().then(|| lang.get().pick("请填写以 https:// 开头的地址", "Enter an address that starts with https://").to_owned()))
            >
                <input
                    id="api_base"
                    type="url"
                    inputmode="url"
                    autocomplete="off"
                    data-testid="api-base"
                    prop:value=move || api_base.get()
                    on:input=move |ev| {
                        saved.set(false);
                        api_base.set(event_target_value(&ev));
                    }
                />
            </FormField>
            <button class="primary" data-testid="settings-save" on:click=save disabled=invalid>
                {move || lang.get().pick("保存设置", "Save settings")}
            </button>
            <Show when=move || saved.get()>
                <p class="saved-note" role="status">{move || lang.get().pick("已保存", "Saved")}</p>
            </Show>
        </section>
    }
}

/// Who this phone joined as (never the token).
#[component]
fn EnrolledAs(worker: Worker) -> impl IntoView {
    let lang = use_lang();
    let place = format!("{} {}", worker.place.village, worker.place.township).trim().to_owned();
    view! {
        <div class="enrolled-as" data-testid="enrolled-as">
            <h2>{move || lang.get().pick("本机身份", "This phone is")}</h2>
            <p>
                <strong data-testid="enrolled-name">{worker.name}</strong>
                " · "
                <span data-testid="enrolled-role">{move || worker.role.label(lang.get())}</span>
            </p>
            <p data-testid="enrolled-place">{place}</p>
        </div>
    }
}
