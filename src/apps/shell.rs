//! What both apps' shells provide: the interface language (kept on the page's `lang` and
//! title), who the phone joined as (learnt from other tabs too), the top bar, and the move
//! to the other app when the phone joins as a role that opens it.

use leptos::prelude::*;
use leptos_router::components::A;
use tongxing_core::phone_app::PhoneApp;
use tongxing_core::{Lang, Role};

use crate::context::{Enrolled, UiLang};
use crate::storage::{enrolment, Settings};

/// Provides the language and who the phone joined as to the app `here`; leaves for the
/// other app when the phone joins (here or in another tab) as a role that opens it. (That
/// it was joined so when the app started is the start's to see: a supervisor whose phone
/// must join again is sent to the field app's join screen and must be able to stay there.)
pub fn provide_shell(here: PhoneApp) {
    provide_language();
    let enrolled = RwSignal::new(enrolment::worker());
    provide_context(Enrolled(enrolled));
    let _ = window_event_listener_untyped("storage", move |_| {
        let worker = enrolment::worker();
        if enrolled.with_untracked(|shown| *shown != worker) {
            enrolled.set(worker);
        }
    });
    Effect::new(move |ran: Option<()>| {
        enrolled.with(|worker| {
            if ran.is_some() {
                open_own_app(here, worker.as_ref().map(|worker| worker.role));
            }
        })
    });
}

/// Provides the interface language, kept on the page's `lang` and title, unless an outer
/// owner already did (the oversight app's start, so that loading her screens after her PIN
/// speaks it too).
pub fn provide_language() {
    if use_context::<UiLang>().is_some() {
        return;
    }
    let lang = RwSignal::new(Settings::load().lang);
    provide_context(UiLang(lang));
    Effect::new(move |_| {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.get().tag());
        }
        document().set_title(lang.get().pick("童行 · 儿童走访", "Tongxing · Home visits"));
    });
}

/// Leaves the app `here` for the one `role` opens, if that is the other one; whether it
/// left.
pub fn open_own_app(here: PhoneApp, role: Option<Role>) -> bool {
    let own = PhoneApp::for_role(role);
    if own == here {
        return false;
    }
    window().location().replace(own.root()).is_ok()
}

/// The bar at the top of every screen: the name, home, the language switch, and the lock.
#[component]
pub fn TopBar(home: &'static str) -> impl IntoView {
    let lang = expect_context::<UiLang>().0;
    let toggle = move |_| {
        let next = match lang.get() {
            Lang::ZhCn => Lang::En,
            Lang::En => Lang::ZhCn,
        };
        lang.set(next);
        let mut settings = Settings::load();
        settings.lang = next;
        settings.store();
    };
    view! {
        <header class="topbar">
            <A href=home attr:class="brand">{move || lang.get().pick("童行", "Tongxing")}</A>
            <button class="lang-switch" data-testid="lang-switch" on:click=toggle>
                {move || lang.get().pick("English", "中文")}
            </button>
            <button class="lang-switch" data-testid="lock" on:click=|_| super::lock_now()>
                {move || lang.get().pick("锁定", "Lock")}
            </button>
        </header>
    }
}
