//! Joining this phone from an invite link (`/join?code=…[&server=…]`): who invites, for
//! which village and role; the worker's name and phone number; then the device token is kept
//! and the outbox sends. The link needs the network once. What each answer of the server
//! means is decided in `tongxing_core::enrolment`.
//!
//! Kept lean for the first visit's size: the screen has one shape for every state, drawn
//! with the language read once per drawing (not one closure per text); its state lives in
//! [`JoinState`], so a language switch redraws without losing what was typed.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use tongxing_core::enrolment::{read_reply, InviteLink, JoinProblem};
use tongxing_core::wire::API_PREFIX;
use tongxing_core::worker::{EnrollReply, EnrollRequest, InviteInfo};
use tongxing_core::{FieldErrors, Lang, Worker};

use crate::app::{use_enrolled, use_lang};
use crate::storage::{enrolment, Settings, StorageError};
use crate::sync::{BrowserClock, HttpTransport, SyncDriver};

/// The screen at `/join`: reads the link's `code` and `server`, and once joined goes home
/// and sends what waits.
#[component]
pub fn JoinPage() -> impl IntoView {
    let query = use_query_map();
    let sync = expect_context::<SyncDriver>();
    let navigate = use_navigate();
    let on_joined = Callback::new(move |()| {
        sync.sync_now();
        navigate("/", NavigateOptions { replace: true, ..Default::default() });
    });
    move || {
        let link = query.with(|q| {
            let (code, server) = (q.get_str("code"), q.get_str("server"));
            (code.is_some() || server.is_some()).then(|| InviteLink::from_query(code, server))
        });
        view! { <JoinScreen link on_joined /> }
    }
}

/// Everything the join screen holds; `Copy`, so each drawing function takes it whole.
#[derive(Clone, Copy)]
struct JoinState {
    enrolled: RwSignal<Option<Worker>>,
    /// The link being used; `None`: none opened yet.
    link: RwSignal<Option<Result<InviteLink, JoinProblem>>>,
    /// `None` while the invite is read.
    invite: RwSignal<Option<Result<InviteInfo, JoinProblem>>>,
    name: RwSignal<String>,
    phone: RwSignal<String>,
    /// Field errors, from the phone's check or the server's `422`.
    errors: RwSignal<FieldErrors>,
    /// "Join" was tapped once: errors follow the typing from then on.
    checked: RwSignal<bool>,
    sending: RwSignal<bool>,
    /// Why the last "join" did not work.
    refused: RwSignal<Option<JoinProblem>>,
    storage_problem: RwSignal<Option<StorageError>>,
    pasted: RwSignal<String>,
    paste_problem: RwSignal<Option<JoinProblem>>,
    on_joined: Callback<()>,
}

impl JoinState {
    /// Reads the invite of the current link.
    fn load(self) {
        let Some(Ok(link)) = self.link.get_untracked() else { return };
        self.invite.set(None);
        leptos::task::spawn_local(async move {
            let outcome = transport_for(&link).get(&link.info_path()).await;
            self.invite.try_set(Some(read_reply(outcome)));
        });
    }

    fn request(self, code: String) -> EnrollRequest {
        EnrollRequest { code, name: self.name.get_untracked().trim().to_owned(), phone: self.phone.get_untracked().trim().to_owned() }
    }

    fn recheck(self) {
        if let (true, Some(Ok(link))) = (self.checked.get_untracked(), self.link.get_untracked()) {
            self.errors.set(self.request(link.code).validate().err().unwrap_or_default());
        }
    }

    /// Checks the form, enrols, keeps the token, then calls `on_joined`.
    fn submit(self) {
        let Some(Ok(link)) = self.link.get_untracked() else { return };
        let request = self.request(link.code.clone());
        self.checked.set(true);
        self.refused.set(None);
        if let Err(found) = request.validate() {
            self.errors.set(found);
            return;
        }
        self.errors.set(FieldErrors::new());
        self.sending.set(true);
        leptos::task::spawn_local(async move {
            let body = serde_json::to_string(&request).unwrap_or_default();
            let outcome = transport_for(&link).post_json(&format!("{API_PREFIX}/enroll"), body).await;
            match read_reply::<EnrollReply>(outcome) {
                Ok(joined) => match keep(&link, &joined) {
                    Ok(()) => {
                        self.enrolled.set(Some(joined.worker));
                        self.on_joined.run(());
                    }
                    Err(failed) => {
                        self.storage_problem.try_set(Some(failed));
                    }
                },
                Err(refused) => {
                    if let JoinProblem::Invalid(fields) = &refused {
                        self.errors.try_set(fields.clone());
                    }
                    self.refused.try_set(Some(refused));
                }
            }
            self.sending.try_set(false);
        });
    }

    /// Opens a pasted link or code.
    fn open_pasted(self) {
        match InviteLink::parse(&self.pasted.get_untracked()) {
            Ok(link) => {
                self.link.set(Some(Ok(link)));
                self.load();
            }
            Err(refused) => self.paste_problem.set(Some(refused)),
        }
    }
}

/// Joining from `link` (`None`: no link was opened; the worker may paste one). Keeps the
/// enrolment (and the link's server as the server address), then calls `on_joined`.
#[component]
pub fn JoinScreen(link: Option<Result<InviteLink, JoinProblem>>, on_joined: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let enrolled = use_enrolled();
    let state = JoinState {
        enrolled,
        link: RwSignal::new(link),
        invite: RwSignal::new(None),
        // Joining again: most likely the same person.
        name: RwSignal::new(enrolled.with_untracked(|w| w.as_ref().map(|w| w.name.clone()).unwrap_or_default())),
        phone: RwSignal::new(String::new()),
        errors: RwSignal::new(FieldErrors::new()),
        checked: RwSignal::new(false),
        sending: RwSignal::new(false),
        refused: RwSignal::new(None),
        storage_problem: RwSignal::new(None),
        pasted: RwSignal::new(String::new()),
        paste_problem: RwSignal::new(None),
        on_joined,
    };
    state.load();

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
                {problem.map(|problem| problem_line(&problem, lang))}
                {retry.then(|| view! {
                    <button class="primary" data-testid="join-retry" on:click=move |_| state.load()>
                        {lang.pick("重试", "Try again")}
                    </button>
                })}
                {info.map(|info| view! { {invite_card(&info, lang)} {join_form(state, lang)} })}
                {paste.then(|| paste_box(state, lang))}
            </section>
        }
    }
}

/// The server the link names, or the one the app uses.
fn transport_for(link: &InviteLink) -> HttpTransport {
    let settings = Settings::load();
    HttpTransport { base_url: link.server.clone().unwrap_or(settings.api_base), lang: settings.lang, token: None }
}

/// "This phone has joined as …; joining again replaces that".
fn joined_as(worker: &Worker, lang: Lang) -> String {
    let (name, role) = (&worker.name, worker.role.label(lang));
    match lang {
        Lang::ZhCn => format!("本手机已作为 {name}（{role}）加入。再次加入将替换原来的身份，未上传的记录仍会上传。"),
        Lang::En => format!("This phone has joined as {name} ({role}). Joining again replaces that; records not yet sent will still be sent."),
    }
}

/// Why joining did not work, and what to do.
fn problem_line(problem: &JoinProblem, lang: Lang) -> impl IntoView {
    view! { <p class="error" role="alert" data-testid="join-problem" data-problem=problem.code()>{problem.message(lang)}</p> }
}

/// Who invites, for which place and role, until when.
fn invite_card(info: &InviteInfo, lang: Lang) -> impl IntoView {
    let by = match lang {
        Lang::ZhCn => format!("{} 邀请您加入", info.invited_by),
        Lang::En => format!("{} invites you to join", info.invited_by),
    };
    let place = format!("{} {}", info.place.township, info.place.village).trim().to_owned();
    let role = format!("{}{}", lang.pick("身份：", "Role: "), info.role.label(lang));
    let until = format!("{}{}", lang.pick("邀请有效期至 ", "Valid until "), BrowserClock::to_local(info.expires_at).date_naive());
    view! {
        <div class="invite-card" data-testid="invite-info">
            <p data-testid="invite-by">{by}</p>
            <p class="invite-place" data-testid="invite-place">{place}</p>
            <p data-testid="invite-role">{role}</p>
            <p class="hint">{until}</p>
        </div>
    }
}

/// One labelled box with its error beneath (as `FormField` draws it).
fn field(
    id: &'static str,
    label: &'static str,
    input: impl IntoView,
    error: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {input}
            {move || error().map(|text| view! { <p class="field-error" role="alert" data-testid=format!("error-{id}")>{text}</p> })}
        </div>
    }
}

/// The worker's name and phone number, then "join".
fn join_form(state: JoinState, lang: Lang) -> impl IntoView {
    let error = move |name: &'static str| move || state.errors.with(|e| e.get(name).map(|error| error.message(lang)));
    let name = view! {
        <input
            id="name"
            type="text"
            autocomplete="name"
            data-testid="join-name"
            prop:value=move || state.name.get()
            on:input=move |ev| {
                state.name.set(event_target_value(&ev));
                state.recheck();
            }
        />
    };
    let phone = view! {
        <input
            id="phone"
            type="tel"
            inputmode="tel"
            autocomplete="tel"
            data-testid="join-phone"
            prop:value=move || state.phone.get()
            on:input=move |ev| {
                state.phone.set(event_target_value(&ev));
                state.recheck();
            }
        />
    };
    view! {
        <form class="join-form" on:submit=move |ev| { ev.prevent_default(); state.submit(); }>
            {field("name", lang.pick("您的姓名", "Your name"), name, error("name"))}
            {field("phone", lang.pick("手机号码", "Phone number"), phone, error("phone"))}
            {move || state.refused.get().map(|problem| problem_line(&problem, lang))}
            {move || state.storage_problem.get().map(|p| view! { <p class="error" role="alert" data-testid="storage-problem">{p.message(lang)}</p> })}
            <button type="submit" class="primary big" data-testid="join-submit" disabled=move || state.sending.get()>
                {move || if state.sending.get() { lang.pick("正在加入…", "Joining…") } else { lang.pick("加入", "Join") }}
            </button>
        </form>
    }
}

/// Keeps the token and the worker, and the link's server as the server address.
fn keep(link: &InviteLink, joined: &EnrollReply) -> Result<(), StorageError> {
    enrolment::store(joined)?;
    if let Some(server) = &link.server {
        let mut settings = Settings::load();
        settings.api_base = server.clone();
        settings.store();
    }
    Ok(())
}

/// For a link that opened elsewhere (another browser, a chat that cut it): paste it here.
fn paste_box(state: JoinState, lang: Lang) -> impl IntoView {
    let input = view! {
        <input
            id="invite_link"
            type="text"
            inputmode="url"
            autocomplete="off"
            data-testid="join-link-input"
            prop:value=move || state.pasted.get()
            on:input=move |ev| {
                state.paste_problem.set(None);
                state.pasted.set(event_target_value(&ev));
            }
        />
    };
    view! {
        <p class="hint">
            {lang.pick(
                "请打开督导员发来的邀请链接。如果链接在别的浏览器里打开了，可以把整个链接复制到这里。",
                "Open the invite link your township supervisor sent you. If it opened in another browser, copy the whole link here.",
            )}
        </p>
        <form class="join-paste" on:submit=move |ev| { ev.prevent_default(); state.open_pasted(); }>
            {field(
                "invite_link",
                lang.pick("邀请链接或邀请码", "Invite link or code"),
                input,
                move || state.paste_problem.get().map(|p| p.message(lang)),
            )}
            <button type="submit" class="secondary" data-testid="join-link-open">{lang.pick("打开邀请", "Open the invite")}</button>
        </form>
    }
}
