//! The field app: the due list, children's files, visit forms, photo notes and joining,
//! for directors, love mothers and volunteers; everything works offline and is sent by the
//! sync driver.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;
use tongxing_core::phone_app::PhoneApp;

use super::lazy_screens::{LazyScreen, LazyScreenView};
use super::{provide_shell, StricterPin, TopBar};
use crate::components::SyncStatusBar;
use crate::context::{use_lang, Db};
use crate::pages::{DueListPage, NotFoundPage};
use crate::screen_state::DueListCache;
use crate::storage::Database;
use crate::sync::SyncDriver;

/// The field app over the context's database ([`Db`]); the screens it loads when first
/// opened are the context's [`super::ScreenPiece`] (see [`crate::start_field`]).
#[component]
pub fn FieldApp() -> impl IntoView {
    provide_shell(PhoneApp::Field);
    let db = expect_context::<Db>().0.get_value();
    sweep_phone(db.clone());
    provide_context(SyncDriver::start(db));
    provide_context(DueListCache::new());
    let lang = use_lang();

    view! {
        <Router>
            <TopBar home="/" />
            <nav class="tabs" aria-label=move || lang.get().pick("主要页面", "Main screens")>
                <A href="/" exact=true attr:class="tab" attr:data-testid="nav-due">{move || lang.get().pick("待访", "Due")}</A>
                <A href="/children" attr:class="tab" attr:data-testid="nav-children">{move || lang.get().pick("儿童", "Children")}</A>
                <A href="/visits" attr:class="tab" attr:data-testid="nav-visits">{move || lang.get().pick("记录", "Visits")}</A>
                <A href="/settings" attr:class="tab" attr:data-testid="settings-link">{move || lang.get().pick("设置", "Settings")}</A>
            </nav>
            <SyncStatusBar />
            <StricterPin />
            <main>
                <Routes fallback=|| view! { <NotFoundPage home="/" /> }>
                    <Route path=path!("/") view=DueListPage />
                    <Route path=path!("/children") view=|| view! { <LazyScreenView screen=LazyScreen::ChildList /> } />
                    <Route path=path!("/children/new") view=|| view! { <LazyScreenView screen=LazyScreen::ChildForm /> } />
                    <Route path=path!("/children/:id/edit") view=|| view! { <LazyScreenView screen=LazyScreen::ChildForm /> } />
                    <Route path=path!("/children/:id") view=|| view! { <LazyScreenView screen=LazyScreen::Child /> } />
                    <Route path=path!("/plans/:id") view=|| view! { <LazyScreenView screen=LazyScreen::CasePlan /> } />
                    <Route path=path!("/visits") view=|| view! { <LazyScreenView screen=LazyScreen::VisitList /> } />
                    <Route path=path!("/visits/:id") view=|| view! { <LazyScreenView screen=LazyScreen::VisitForm /> } />
                    <Route path=path!("/settings") view=|| view! { <LazyScreenView screen=LazyScreen::Settings /> } />
                    <Route path=path!("/join") view=|| view! { <LazyScreenView screen=LazyScreen::Join /> } />
                </Routes>
            </main>
        </Router>
    }
}

/// What may leave the phone goes, once per start, after the first screen is drawn: the
/// details of visits the server has held as long as the county says (their summaries stay); photos no visit
/// or draft names (removed from a form, or left in a discarded draft) a day after they were
/// taken; and the bytes of photos the server holds once nothing waits to send them (also
/// after every run that delivered).
fn sweep_phone(db: Database) {
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(5_000).await;
        use tongxing_core::outbox::Clock;
        let now = crate::sync::BrowserClock.now();
        let enrolled = crate::storage::enrolment::load();
        let keep = tongxing_core::wire::keep_sent_visit_details(enrolled.as_ref().and_then(|e| e.county_policy()));
        if let Err(problem) = db.release_sent_visits(now, keep).await {
            leptos::logging::warn!("visit release: {problem}");
        }
        if let Err(problem) = db.remove_unnamed_photos(now).await {
            leptos::logging::warn!("photo sweep: {problem}");
        }
        if let Err(problem) = db.release_photos_on_server().await {
            leptos::logging::warn!("photo release: {problem}");
        }
    });
}
