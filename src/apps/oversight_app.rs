//! The oversight app, served at `/oversight/`: a township supervisor's screens, read from
//! the server (her township's lists, a child's file, exports, invites and phones), the
//! county administrator's console (every township, statistics, invites, the audit log), and
//! settings. It keeps nothing of the township on the phone and sends nothing, so it opens
//! no database and runs no sync.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;
use tongxing_core::phone_app::PhoneApp;

use super::{provide_shell, StricterPin, TopBar};
use crate::context::{use_enrolled, use_lang};
use crate::pages::{CountyPage, NotFoundPage, SettingsPage, TownshipChildPage, TownshipPage};
use crate::screen_state::TownshipState;

/// The oversight app.
#[component]
pub fn OversightApp() -> impl IntoView {
    provide_shell(PhoneApp::Oversight);
    provide_context(TownshipState::new());
    let lang = use_lang();
    let enrolled = use_enrolled();
    let county = move || enrolled.with(|worker| worker.as_ref().is_some_and(|w| w.role.reads_county()));
    let root = PhoneApp::OVERSIGHT_ROOT;

    view! {
        <Router>
            <TopBar home=root />
            <nav class="tabs" aria-label=move || lang.get().pick("主要页面", "Main screens")>
                <A href=root exact=true attr:class="tab" attr:data-testid="nav-due">{move || if county() { lang.get().pick("全县", "County") } else { lang.get().pick("乡镇", "Township") }}</A>
                <A href="/oversight/settings" attr:class="tab" attr:data-testid="settings-link">{move || lang.get().pick("设置", "Settings")}</A>
            </nav>
            <StricterPin />
            <main>
                <Routes fallback=|| view! { <NotFoundPage home=PhoneApp::OVERSIGHT_ROOT /> }>
                    <Route path=path!("/oversight") view=move || if county() { view! { <CountyPage /> }.into_any() } else { view! { <TownshipPage /> }.into_any() } />
                    <Route path=path!("/oversight/children/:id") view=TownshipChildPage />
                    <Route path=path!("/oversight/settings") view=|| view! { <SettingsPage /> } />
                </Routes>
            </main>
        </Router>
    }
}
