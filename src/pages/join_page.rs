//! Joining this phone from an invite link (`/join?code=…[&server=…]`): who invites, for
//! which village and role, on which server; the worker's name and phone number; then the
//! device token is kept with the server that issued it and the outbox sends. A link naming a
//! server this app does not trust is refused before any request is made. The link needs the
//! network once. What each answer of the server means is decided in
//! `tongxing_core::enrolment`.
//!
//! Kept lean for the first visit's size: the screen has one shape for every state, drawn
//! with the language read once per drawing (not one closure per text); its state lives in
//! [`JoinState`], so a language switch redraws without losing what was typed.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use tongxing_core::enrolment::{InviteLink, JoinProblem};
use tongxing_core::{Lang, Worker};

use crate::components::{invite_card, invite_link_paste, join_form, join_problem_line};
use crate::context::{use_enrolled, use_lang, Db};
use crate::screen_state::{link_host, JoinState};
use crate::sync::SyncDriver;

/// The screen at `/join`: reads the link's `code` and `server` once, takes them out of the
/// address bar (so the code is not kept in the browser's history or shown over a shoulder),
/// and once joined goes home and sends what waits.
#[component]
pub fn JoinPage() -> impl IntoView {
    let query = use_query_map();
    let sync = expect_context::<SyncDriver>();
    let navigate = use_navigate();
    let on_joined = Callback::new(move |()| {
        sync.sync_now();
        navigate("/", NavigateOptions { replace: true, ..Default::default() });
    });
    let link = query.with_untracked(|q| {
        let (code, server) = (q.get_str("code"), q.get_str("server"));
        (code.is_some() || server.is_some()).then(|| InviteLink::from_query(code, server))
    });
    forget_query();
    view! { <JoinScreen link on_joined /> }
}

/// Replaces the address `/join?code=…` by `/join` in the browser's history, without the
/// router hearing of it.
fn forget_query() {
    let Some(window) = web_sys::window() else { return };
    let (location, history) = (window.location(), window.history());
    if let (Ok(path), Ok(history)) = (location.pathname(), history) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
}

/// Joining from `link` (`None`: no link was opened; the worker may paste one). Keeps the
/// enrolment (and the link's server as the server address), then calls `on_joined`.
#[component]
pub fn JoinScreen(link: Option<Result<InviteLink, JoinProblem>>, on_joined: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let state = JoinState::new(use_enrolled(), use_context::<Db>(), link, on_joined);
    state.load();
    state.count_unsent();

    // One shape for every state (each part there or not), so the view code exists once.
    move || {
        let lang = lang.get();
        let (link, invite) = (state.link.get(), state.invite.get());
        let (problem, info, loading) = match (&link, invite) {
            (Some(Err(problem)), _) => (Some(problem.clone()), None, false),
            (Some(Ok(_)), None) => (None, None, true),
            (Some(Ok(_)), Some(Err(problem))) => (Some(problem), None, false),
            (Some(Ok(_)), Some(Ok(info))) => (None, Some(info), false),
            (None, _) => (None, None, false),
        };
        let retry = problem.as_ref().is_some_and(JoinProblem::may_retry);
        // Pasting another link helps when there is none, or this one cannot be used.
        let paste = link.is_none() || (problem.is_some() && !retry);
        view! {
            <section class="page join-page" data-testid="join-page">
                <h1>{lang.pick("加入童行", "Join Tongxing")}</h1>
                {state.enrolled.get().map(|worker| view! { <p class="hint" data-testid="join-replaces">{joined_as(&worker, lang)}</p> })}
                {loading.then(|| view! { <p class="loading">{lang.pick("正在读取邀请…", "Reading the invite…")}</p> })}
                {problem.map(|problem| join_problem_line(&problem, lang))}
                {retry.then(|| view! {
                    <button class="primary" data-testid="join-retry" on:click=move |_| state.load()>
                        {lang.pick("重试", "Try again")}
                    </button>
                })}
                {info.map(|info| view! { {invite_card(&info, link_host(&link), lang)} {join_form(state, lang)} })}
                {paste.then(|| invite_link_paste(state, lang))}
            </section>
        }
    }
}

/// "You are … on this phone; joining again replaces that; someone else gets her own space".
fn joined_as(worker: &Worker, lang: Lang) -> String {
    let (name, role) = (&worker.name, worker.role.label(lang));
    match lang {
        Lang::ZhCn => format!(
            "您在这部手机上是 {name}（{role}）。再次加入将替换这个身份。如果您是另一位工作人员，请先锁定，再点“另一位工作人员加入这部手机”。"
        ),
        Lang::En => format!(
            "On this phone you are {name} ({role}). Joining again replaces that. If you are someone else, lock the app and tap “Someone else joins this phone”."
        ),
    }
}
