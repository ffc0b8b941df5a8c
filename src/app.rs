//! The app's shell: shared context (language, database, sync driver), header and routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;
use tongxing_core::{Lang, Worker};

use crate::components::SyncStatusBar;
use crate::pages::{
    ChildFormPage, ChildListPage, ChildPage, DueListCache, DueListPage, JoinPage, NotFoundPage, SettingsPage, VisitFormPage,
    VisitListPage,
};
use crate::storage::{enrolment, Settings};
use crate::storage::Database;
use crate::sync::SyncDriver;

/// The interface language, in context.
#[derive(Clone, Copy)]
pub struct UiLang(pub RwSignal<Lang>);

/// The phone's database, in context.
#[derive(Clone, Copy)]
pub struct Db(pub StoredValue<Database, LocalStorage>);

impl Db {
    /// A handle to use in an async block.
    pub fn get(&self) -> Database {
        self.0.get_value()
    }
}

/// The interface language from context.
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<UiLang>().0
}

/// The worker this phone joined as (`None`: not joined yet), in context.
#[derive(Clone, Copy)]
pub struct Enrolled(pub RwSignal<Option<Worker>>);

/// The worker this phone joined as, from context.
pub fn use_enrolled() -> RwSignal<Option<Worker>> {
    expect_context::<Enrolled>().0
}

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
                <A href="/" exact=true attr:class="tab" attr:data-testid="nav-due">{move || lang.get().pick("待访", "Due")}</A>
                <A href="/children" attr:class="tab" attr:data-testid="nav-children">{move || lang.get().pick("儿童", "Children")}</A>
                <A href="/visits" attr:class="tab" attr:data-testid="nav-visits">{move || lang.get().pick("记录", "Visits")}</A>
                <A href="/settings" attr:class="tab" attr:data-testid="settings-link">{move || lang.get().pick("设置", "Settings")}</A>
            </nav>
            <SyncStatusBar />
            <main>
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=DueListPage />
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
