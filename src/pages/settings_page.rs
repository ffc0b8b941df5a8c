//! Settings: who this phone joined as and on which server, the interface language, whether
//! she passed a training's assessment, saving unsent records to a file, and leaving the phone. The
//! server is not set here: it is the one the phone joined, and another means joining again
//! from an invite link.

use leptos::prelude::*;
use tongxing_core::{Lang, Worker};

use crate::components::{ChoiceButtons, FormField, JoinBanner, LeavePhone, MyCertification, SaveUnsentFile};
use crate::context::{use_enrolled, use_lang};
use crate::storage::{enrolment, Settings};

/// The field app's settings: saving unsent records to a file as well (the oversight app
/// keeps no records, and never links this, so none of it is in its bundle).
#[component]
pub fn FieldSettingsPage() -> impl IntoView {
    view! {
        <SettingsPage>
            <MyCertification />
            <SaveUnsentFile />
        </SettingsPage>
    }
}

/// The settings screen; `children`: an app's own sections, before leaving the phone.
#[component]
pub fn SettingsPage(#[prop(optional)] children: Option<Children>) -> impl IntoView {
    let lang = use_lang();
    let enrolled = use_enrolled();

    let choose_lang = Callback::new(move |next: Lang| {
        lang.set(next);
        let mut settings = Settings::load();
        settings.lang = next;
        settings.store();
    });
    view! {
        <section class="page settings" data-testid="settings-page">
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
            {children.map(|children| children())}
            <LeavePhone />
        </section>
    }
}

/// Who this phone joined as (never the token).
#[component]
fn EnrolledAs(worker: Worker) -> impl IntoView {
    let lang = use_lang();
    let place = format!("{} {}", worker.place.village, worker.place.township).trim().to_owned();
    let server = enrolment::load().map(|enrolled| enrolled.server.host().to_owned()).unwrap_or_default();
    view! {
        <div class="enrolled-as" data-testid="enrolled-as">
            <h2>{move || lang.get().pick("本机身份", "This phone is")}</h2>
            <p>
                <strong data-testid="enrolled-name">{worker.name}</strong>
                " · "
                <span data-testid="enrolled-role">{move || worker.role.label(lang.get())}</span>
            </p>
            <p data-testid="enrolled-place">{place}</p>
            <p class="hint" data-testid="enrolled-server">
                {move || lang.get().pick("服务器：", "Server: ")}
                {server.clone()}
            </p>
            <p class="hint">
                {move || lang.get().pick(
                    "要换服务器或换人使用本手机，请打开督导员发来的新邀请链接重新加入。",
                    "To use another server, or for someone else to use this phone, join again from a new invite link.",
                )}
            </p>
        </div>
    }
}
