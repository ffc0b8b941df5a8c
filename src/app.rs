//! The app's shell: provides the shared context ([`crate::context`]), the header and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;
use tongxing_core::Lang;

use crate::components::SyncStatusBar;
use crate::context::{use_supervisor, Db, Enrolled, UiLang};
use crate::pages::{
    ChildFormPage, ChildListPage, ChildPage, DueListPage, JoinPage, NotFoundPage, SettingsPage, TownshipChildPage,
    TownshipPage, VisitFormPage, VisitListPage,
};
use crate::screen_state::{DueListCache, TownshipState};
use crate::storage::Database;
use crate::storage::{enrolment, Settings};
use crate::sync::SyncDriver;

/// The app.
#[component]
pub fn App(db: Database) -> impl IntoView {
    let lang = RwSignal::new(Settings::load().lang);
    provide_context(UiLang(lang));
    let enrolled = RwSignal::new(enrolment::worker());
    provide_context(Enrolled(enrolled));
    // Joined (again) in another tab: this one learns it too.
    let _ = window_event_listener_untyped("storage", move |_| {
        let worker = enrolment::worker();
        if enrolled.with_untracked(|shown| *shown != worker) {
            enrolled.set(worker);
        }
    });
    provide_context(Db(StoredValue::new_local(db.clone())));
    sweep_unnamed_photos(db.clone());
    provide_context(SyncDriver::start(db));
    provide_context(DueListCache::new());
    provide_context(TownshipState::new());
    let supervisor = use_supervisor();
    let sync = expect_context::<SyncDriver>();
    // A supervisor sends nothing: the sync bar shows only if her phone still holds records.
    let show_sync =
        move || !supervisor.get() || sync.status.with(|s| s.summary.pending + s.summary.needs_attention > 0);
    Effect::new(move |_| {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.get().tag());
        }
        document().set_title(lang.get().pick("童行 · 儿童走访", "Tongxing · Home visits"));
    });
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
        <Router>
            <header class="topbar">
                <A href="/" attr:class="brand">{move || lang.get().pick("童行", "Tongxing")}</A>
                <button class="lang-switch" data-testid="lang-switch" on:click=toggle>
                    {move || lang.get().pick("English", "中文")}
                </button>
            </header>
            <nav class="tabs" aria-label=move || lang.get().pick("主要页面", "Main screens")>
                <A href="/" exact=true attr:class="tab" attr:data-testid="nav-due">
                    {move || if supervisor.get() { lang.get().pick("乡镇", "Township") } else { lang.get().pick("待访", "Due") }}
                </A>
                <Show when=move || !supervisor.get()>
                    <A href="/children" attr:class="tab" attr:data-testid="nav-children">{move || lang.get().pick("儿童", "Children")}</A>
                    <A href="/visits" attr:class="tab" attr:data-testid="nav-visits">{move || lang.get().pick("记录", "Visits")}</A>
                </Show>
                <A href="/settings" attr:class="tab" attr:data-testid="settings-link">{move || lang.get().pick("设置", "Settings")}</A>
            </nav>
            <Show when=show_sync>
                <SyncStatusBar />
            </Show>
            <main>
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/township/children/:id") view=TownshipChildPage />
                    <Route path=path!("/children") view=ChildListPage />
                    <Route path=path!("/children/new") view=ChildFormPage />
                    <Route path=path!("/children/:id/edit") view=ChildFormPage />
                    <Route path=path!("/children/:id") view=ChildPage />
                    <Route path=path!("/visits") view=VisitListPage />
                    <Route path=path!("/visits/:id") view=VisitFormPage />
                    <Route path=path!("/settings") view=SettingsPage />
                    <Route path=path!("/join") view=JoinPage />
                </Routes>
            </main>
        </Router>
    }
}

/// The home screen: the due list, or a supervisor's township.
#[component]
fn HomePage() -> impl IntoView {
    let supervisor = use_supervisor();
    let supervisor = Memo::new(move |_| supervisor.get());
    move || if supervisor.get() { view! { <TownshipPage /> }.into_any() } else { view! { <DueListPage /> }.into_any() }
}

/// Photos no visit or draft names (removed from a form, or left in a discarded draft) are
/// removed from the phone a day after they were taken; looked at once per start, after the
/// first screen is drawn.
fn sweep_unnamed_photos(db: Database) {
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(5_000).await;
        use tongxing_core::outbox::Clock;
        if let Err(problem) = db.remove_unnamed_photos(crate::sync::BrowserClock.now()).await {
            leptos::logging::warn!("photo sweep: {problem}");
        }
    });
}
