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
use tongxing_core::enrolment::{read_reply, DeviceEnrolment, InviteLink, JoinProblem, ServerOrigin};
use tongxing_core::outbox::{Clock, EntryOwner};
use tongxing_core::wire::API_PREFIX;
use tongxing_core::worker::{EnrollReply, EnrollRequest, InviteInfo};
use tongxing_core::{FieldErrors, Lang, Worker};

use crate::context::{use_enrolled, use_lang, Db};
use crate::storage::{enrolment, OutboxDb, Settings, StorageError};
use crate::sync::{BrowserClock, HttpTransport, SyncDriver};
use crate::trusted_servers::trusted_servers;

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
    /// Records the worker joined until now has not sent yet, and whose they are.
    unsent: RwSignal<Option<(u32, EntryOwner)>>,
    /// "Join" was tapped once while records of another worker wait: the next tap joins.
    unsent_seen: RwSignal<bool>,
    /// The phone's database (none in tests of the screen alone).
    db: Option<Db>,
    on_joined: Callback<()>,
}

impl JoinState {
    /// Reads the invite of the current link.
    fn load(self) {
        let Some(Ok(link)) = self.link.get_untracked() else { return };
        self.invite.set(None);
        let Some(transport) = transport_for(&link) else { return };
        leptos::task::spawn_local(async move {
            let outcome = transport.get(&link.info_path()).await;
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
        let Ok(server) = checked_server(&link) else { return };
        let request = self.request(link.code.clone());
        self.checked.set(true);
        self.refused.set(None);
        if let Err(found) = request.validate() {
            self.errors.set(found);
            return;
        }
        self.errors.set(FieldErrors::new());
        if self.leaves_records_behind(&server, &request.name) && !self.unsent_seen.get_untracked() {
            // Ask first: the records of the worker joined until now will wait for her.
            self.unsent_seen.set(true);
            return;
        }
        self.sending.set(true);
        leptos::task::spawn_local(async move {
            let body = serde_json::to_string(&request).unwrap_or_default();
            let outcome = HttpTransport::new(server.clone(), None, Settings::load().lang).post_json(&format!("{API_PREFIX}/enroll"), body).await;
            match read_reply::<EnrollReply>(outcome) {
                Ok(joined) => match keep(self.db, server, joined.clone()).await {
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
        match InviteLink::parse(&self.pasted.get_untracked()).and_then(trusted_link) {
            Ok(link) => {
                self.link.set(Some(Ok(link)));
                self.load();
            }
            Err(refused) => self.paste_problem.set(Some(refused)),
        }
    }

    /// Whether joining as `name` at the invite's place on `server` leaves unsent records of
    /// another worker behind (the same worker joining again takes hers along).
    fn leaves_records_behind(self, server: &ServerOrigin, name: &str) -> bool {
        let Some((_, owner)) = self.unsent.get_untracked() else { return false };
        let Some(Ok(invite)) = self.invite.get_untracked() else { return true };
        EntryOwner::new(server.clone(), &invite.place, name) != owner
    }

    /// Counts what the worker joined until now has not sent (shown before joining again).
    fn count_unsent(self) {
        let (Some(db), Some(owner)) = (self.db, enrolment::owner()) else { return };
        leptos::task::spawn_local(async move {
            if let Ok(count @ 1..) = OutboxDb(db.get()).unsent_of(&owner).await {
                self.unsent.try_set(Some((count, owner)));
            }
        });
    }
}

/// The link, if the server it names is one this app talks to.
fn trusted_link(link: InviteLink) -> Result<InviteLink, JoinProblem> {
    checked_server(&link).map(|_| link)
}

/// The server `link` joins, if the app trusts it.
fn checked_server(link: &InviteLink) -> Result<ServerOrigin, JoinProblem> {
    let trusted = trusted_servers().ok_or(JoinProblem::BadServer)?;
    link.server_in(&trusted)
}

/// Joining from `link` (`None`: no link was opened; the worker may paste one). Keeps the
/// enrolment (and the link's server as the server address), then calls `on_joined`.
#[component]
pub fn JoinScreen(link: Option<Result<InviteLink, JoinProblem>>, on_joined: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let enrolled = use_enrolled();
    let state = JoinState {
        enrolled,
        // Checked before anything is asked of the server it names.
        link: RwSignal::new(link.map(|link| link.and_then(trusted_link))),
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
        unsent: RwSignal::new(None),
        unsent_seen: RwSignal::new(false),
        db: use_context::<Db>(),
        on_joined,
    };
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
                {problem.map(|problem| problem_line(&problem, lang))}
                {retry.then(|| view! {
                    <button class="primary" data-testid="join-retry" on:click=move |_| state.load()>
                        {lang.pick("重试", "Try again")}
                    </button>
                })}
                {info.map(|info| view! { {invite_card(&info, link_host(&link), lang)} {join_form(state, lang)} })}
                {paste.then(|| paste_box(state, lang))}
            </section>
        }
    }
}

/// To the server the link names (the app's own if none), which the app trusts; a link
/// naming another is refused before it gets here.
fn transport_for(link: &InviteLink) -> Option<HttpTransport> {
    checked_server(link).ok().map(|server| HttpTransport::new(server, None, Settings::load().lang))
}

/// The host of the server the link joins, shown on the invite.
fn link_host(link: &Option<Result<InviteLink, JoinProblem>>) -> String {
    match link {
        Some(Ok(link)) => checked_server(link).map(|server| server.host().to_owned()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// "This phone has joined as …; joining again replaces that".
fn joined_as(worker: &Worker, lang: Lang) -> String {
    let (name, role) = (&worker.name, worker.role.label(lang));
    match lang {
        Lang::ZhCn => format!("本手机已作为 {name}（{role}）加入。再次加入将替换原来的身份。"),
        Lang::En => format!("This phone has joined as {name} ({role}). Joining again replaces that."),
    }
}

/// What happens to the records another worker has not sent, asked before joining again.
fn unsent_warning(count: u32, owner: &EntryOwner, lang: Lang) -> String {
    let whose = owner.label(lang);
    match lang {
        Lang::ZhCn => format!(
            "本手机上还有 {whose} 的 {count} 条记录没有上传。以新身份加入后，这些记录不会以新身份上传，会留在本机，等 {whose} 再次加入本手机时再上传。确定要加入吗？"
        ),
        Lang::En => format!(
            "This phone holds {count} records of {whose} that have not been sent. After joining as someone else they will not be sent under the new name: they stay on this phone until {whose} joins it again. Join anyway?"
        ),
    }
}

/// Why joining did not work, and what to do.
fn problem_line(problem: &JoinProblem, lang: Lang) -> impl IntoView {
    view! { <p class="error" role="alert" data-testid="join-problem" data-problem=problem.code()>{problem.message(lang)}</p> }
}

/// Who invites, for which place and role, on which server, until when.
fn invite_card(info: &InviteInfo, host: String, lang: Lang) -> impl IntoView {
    let by = match lang {
        Lang::ZhCn => format!("{} 邀请您加入", info.invited_by),
        Lang::En => format!("{} invites you to join", info.invited_by),
    };
    let place = format!("{} {}", info.place.township, info.place.village).trim().to_owned();
    let role = format!("{}{}", lang.pick("身份：", "Role: "), info.role.label(lang));
    let until = format!("{}{}", lang.pick("邀请有效期至 ", "Valid until "), BrowserClock::to_local(info.expires_at).date_naive());
    let server = format!("{}{host}", lang.pick("记录将上传到：", "Records will be sent to: "));
    view! {
        <div class="invite-card" data-testid="invite-info">
            <p data-testid="invite-by">{by}</p>
            <p class="invite-place" data-testid="invite-place">{place}</p>
            <p data-testid="invite-role">{role}</p>
            <p data-testid="invite-server">{server}</p>
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
            {move || state.unsent_seen.get().then(|| state.unsent.get()).flatten().map(|(count, owner)| view! {
                <p class="error" role="alert" data-testid="join-unsent-warning">{unsent_warning(count, &owner, lang)}</p>
            })}
            <button type="submit" class="primary big" data-testid="join-submit" disabled=move || state.sending.get()>
                {move || match (state.sending.get(), state.unsent_seen.get()) {
                    (true, _) => lang.pick("正在加入…", "Joining…"),
                    (false, true) => lang.pick("仍然加入", "Join anyway"),
                    (false, false) => lang.pick("加入", "Join"),
                }}
            </button>
        </form>
    }
}

/// Keeps the token and the worker with the server that issued the token. What the worker
/// joined until now left unsent, without an owner, stays hers.
async fn keep(db: Option<Db>, server: ServerOrigin, joined: EnrollReply) -> Result<(), StorageError> {
    let enrolled = DeviceEnrolment::joined(joined, server, BrowserClock.now());
    if let (Some(earlier), Some(db)) = (enrolment::owner(), db) {
        if earlier != enrolled.owner() {
            OutboxDb(db.get()).hand_unowned_to(&earlier).await?;
        }
    }
    enrolment::store(&enrolled)
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
